import { describe, expect, it } from "vitest";
import { money } from "./money";
import { conditionToParam, parseSearchQuery, parseTimestamp, type FieldSpec } from "./search-filter";

const spec: Record<string, FieldSpec> = {
  paymentId: { type: "integer" },
  orderId: { type: "string" },
  totalAmount: { type: "amount" },
  createdAt: { type: "timestamp" },
  status: { type: "enum", values: ["CREATED", "CAPTURED"] },
  currency: { type: "currency" },
  cardNumber: { type: "string", pattern: /^[0-9]{4}$/, patternMessage: "must be the last 4 digits" },
};

const parse = (query: string) => parseSearchQuery(new URLSearchParams(query), spec);

describe("parseSearchQuery", () => {
  it("reads plain values as eq and repeated eq values as any-of", () => {
    const outcome = parse("paymentId=1&paymentId=eq:2&orderId=A-1");
    expect(outcome).toEqual({
      ok: true,
      query: {
        page: 1,
        perPage: 20,
        filters: {
          paymentId: { anyOf: [1, 2], all: [] },
          orderId: { anyOf: ["A-1"], all: [] },
        },
      },
    });
  });

  it("ANDs range operators, e.g. a month of createdAt", () => {
    const outcome = parse("createdAt=gte:2026-01-01&createdAt=lt:2026-02-01");
    expect(outcome.ok && outcome.query.filters.createdAt.all).toEqual([
      { field: "createdAt", op: "gte", value: new Date("2026-01-01T00:00:00.000Z") },
      { field: "createdAt", op: "lt", value: new Date("2026-02-01T00:00:00.000Z") },
    ]);
  });

  it("parses amounts exactly", () => {
    const outcome = parse("totalAmount=gt:100.5&totalAmount=ne:200");
    expect(outcome.ok && outcome.query.filters.totalAmount.all.map((c) => c.value)).toEqual([
      money("100.5"),
      money("200"),
    ]);
  });

  it("takes a timestamp with colons without a prefix", () => {
    const outcome = parse("createdAt=2026-01-01T10:15:30.123Z");
    expect(outcome.ok && outcome.query.filters.createdAt.anyOf).toEqual([new Date("2026-01-01T10:15:30.123Z")]);
  });

  it.each([
    ["unknownField=1", "unknownField", /not a search parameter/],
    ["paymentId=foo:1", "paymentId", /unknown operator/],
    ["orderId=like:ORD", "orderId", /unknown operator/],
    ["createdAt=between:2026-01-01", "createdAt", /unknown operator/],
    ["paymentId=abc", "paymentId", /whole number/],
    ["totalAmount=1e3", "totalAmount", /amount/],
    ["totalAmount=-1", "totalAmount", /amount/],
    ["createdAt=yesterday", "createdAt", /ISO 8601/],
    ["createdAt=2026-02-31", "createdAt", /ISO 8601/],
    ["status=PAID", "status", /one of CREATED, CAPTURED/],
    ["status=gt:CREATED", "status", /only eq and ne/],
    ["currency=nok", "currency", /3-letter/],
    ["cardNumber=4111111111111111", "cardNumber", /last 4 digits/],
    ["orderId=", "orderId", /needs a value/],
    ["page=0", "page", /from 1/],
    ["page=x", "page", /from 1/],
    ["perPage=501", "perPage", /1 to 500/],
    ["perPage=1&perPage=2", "perPage", /from 1/],
    ["constructor=1", "constructor", /not a search parameter/],
  ])("refuses %s naming %s", (query, field, message) => {
    const outcome = parse(query);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.errors).toHaveLength(1);
      expect(outcome.errors[0].field).toBe(field);
      expect(outcome.errors[0].message).toMatch(message);
    }
  });

  it("reads page and perPage", () => {
    const outcome = parse("page=3&perPage=500");
    expect(outcome.ok && [outcome.query.page, outcome.query.perPage]).toEqual([3, 500]);
  });

  it("reads exactTotal only where the search caps its count", () => {
    const capped = (query: string) => parseSearchQuery(new URLSearchParams(query), spec, { exactTotal: true });
    expect(capped("exactTotal=true")).toMatchObject({ ok: true, query: { exactTotal: true } });
    expect(capped("exactTotal=false")).toMatchObject({ ok: true, query: { exactTotal: false } });
    expect(capped("status=CAPTURED")).toMatchObject({ ok: true, query: { filters: { status: {} } } });
    expect(capped("exactTotal=1")).toEqual({
      ok: false,
      errors: [{ field: "exactTotal", message: "must be true or false", say: { key: "errors.filter.trueFalse" } }],
    });
    expect(capped("exactTotal=true&exactTotal=true")).toMatchObject({ ok: false, errors: [{ field: "exactTotal" }] });
    // Elsewhere it is an unknown parameter, as before.
    expect(parse("exactTotal=true")).toMatchObject({ ok: false, errors: [{ field: "exactTotal" }] });
  });
});

describe("parseTimestamp", () => {
  it("accepts offsets and converts to UTC", () => {
    expect(parseTimestamp("2026-01-01T10:00:00+01:00")?.toISOString()).toBe("2026-01-01T09:00:00.000Z");
    expect(parseTimestamp("2026-01-01T10:00")?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
  });
});

describe("conditionToParam", () => {
  it("prefixes only when needed", () => {
    const equals = { "ORD-1": "ORD-1", "abc:1": "eq:abc:1", "order:1": "eq:order:1" };
    for (const [value, param] of Object.entries(equals)) expect(conditionToParam("eq", value), value).toBe(param);
    expect(conditionToParam("gte", "100")).toBe("gte:100");
  });
});
