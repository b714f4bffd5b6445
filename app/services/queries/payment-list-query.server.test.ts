// The staff payments list's query: quick search kinds, the API's filters, day bounds, every sort
// with ties, totals per currency, and the keyset export that must list exactly what the pages do.
import { organisations, paymentTransactions, payments } from "../../../db/schema";
import { money, sum, toDbAmount } from "../../domain/money";
import { PAYMENT_SORT_KEYS, type PaymentSort } from "../../domain/payment-sort";
import { recogniseQuickSearch } from "../../domain/quick-search";
import {
  listPayments,
  paymentExportSelect,
  paymentPage,
  resolvePaymentQuery,
  type PaymentQuery,
} from "./payment-list.server";
import { PAYMENT_SEARCH_FIELDS } from "./payment-search.server";
import { searchFilters } from "../../../tests/support/fixtures-use-case";
import { staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import { copiedText, csvRecords } from "../../../tests/support/csv";

const database = useTestDatabase();
const STAFF = staffCaller();

const ids: number[] = [];
const T0 = Date.parse("2026-11-10T12:00:00.000Z");
// Few amounts and timestamps for 40 payments (and one more), so every sort has long runs of ties.
const AMOUNTS = ["100.00", "250.50", "100.00", "75.00", "250.50"];

beforeAll(async () => {
  const { db } = database();
  await db.insert(organisations).values([
    { id: 7, name: "Testorg" },
    { id: 8, name: "Otherorg" },
  ]);
  for (let i = 0; i < 40; i++) {
    const [row] = await db
      .insert(payments)
      .values({
        organisationId: i % 4 === 0 ? 8 : 7,
        orderId: `ORD-${1000 + i}`,
        totalAmount: AMOUNTS[i % AMOUNTS.length],
        currency: i % 10 === 9 ? "EUR" : "NOK",
        createdAt: new Date(T0 + Math.floor(i / 3) * 3_600_000),
      })
      .returning({ paymentId: payments.paymentId });
    ids.push(row.paymentId);
    await db.insert(paymentTransactions).values({
      paymentId: row.paymentId,
      organisationId: i % 4 === 0 ? 8 : 7,
      amount: AMOUNTS[i % AMOUNTS.length],
      currency: i % 10 === 9 ? "EUR" : "NOK",
      status: i % 3 === 0 ? "CAPTURED" : "AUTHORIZED",
      capturedAmount: i % 3 === 0 ? AMOUNTS[i % AMOUNTS.length] : "0",
      authorizedAmount: AMOUNTS[i % AMOUNTS.length],
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
      cardNumber: i % 5 === 0 ? "4242" : "1111",
      rrn: `6123${String(i).padStart(8, "0")}`,
    });
  }

  // paymentId 4242, without transactions: "4242" is both its id and the last 4 of eight cards.
  await db.insert(payments).values({
    paymentId: 4242,
    organisationId: 7,
    orderId: "ORD-4242",
    totalAmount: "100.00",
    createdAt: new Date(T0 + 20 * 3_600_000),
  });
  ids.push(4242);
});

function query(search: string, extra: Partial<PaymentQuery> = {}): PaymentQuery {
  const params = new URLSearchParams(search);
  const q = params.get("q");
  params.delete("q");
  const filters = searchFilters(params, PAYMENT_SEARCH_FIELDS);
  const quick = recogniseQuickSearch(q);
  if (!quick.ok) throw new Error(quick.message);
  return { filters, quickSearch: quick.search, ...extra };
}

describe("quick search", () => {
  it("finds by orderId, rrn and paymentId, and says which kind matched", async () => {
    const byOrder = await listPayments(STAFF, { ...query("q=ORD-1007"), page: 1, perPage: 25 });
    expect(byOrder.items.map((p) => p.paymentId)).toEqual([ids[7]]);
    expect(byOrder.quickSearch?.matched).toEqual([{ kind: "orderId", count: 1 }]);

    const byRrn = await listPayments(STAFF, { ...query("q=612300000012"), page: 1, perPage: 25 });
    expect(byRrn.items.map((p) => p.paymentId)).toEqual([ids[12]]);
    expect(byRrn.quickSearch?.matched).toEqual([{ kind: "rrn", count: 1 }]);

    const byId = await listPayments(STAFF, { ...query(`q=${ids[3]}`), page: 1, perPage: 25 });
    expect(byId.items.map((p) => p.paymentId)).toEqual([ids[3]]);
    expect(byId.quickSearch?.matched).toEqual([{ kind: "paymentId", count: 1 }]);
  });

  it("reads 4 digits as card last 4 or paymentId (or part of an orderId, an rrn, an amount) and reports what matched", async () => {
    const both = await listPayments(STAFF, { ...query("q=4242"), page: 1, perPage: 25 });
    expect(both.quickSearch?.tried).toEqual(["cardNumber", "paymentId", "orderId", "rrn", "amount"]);
    expect(both.quickSearch?.matched).toEqual([
      { kind: "cardNumber", count: 8 },
      { kind: "paymentId", count: 1 },
      // Its orderId ORD-4242 holds it too (any part of an orderId matches).
      { kind: "orderId", count: 1 },
    ]);
    expect(both.total).toBe(9);
    expect(both.items.map((p) => p.paymentId)).toContain(4242);

    const cardOnly = await listPayments(STAFF, { ...query("q=1111"), page: 1, perPage: 50 });
    expect(cardOnly.quickSearch?.matched).toEqual([{ kind: "cardNumber", count: 32 }]);
  });

  it("combines with the filters: a match outside them is no match", async () => {
    const outside = await listPayments(STAFF, { ...query("q=ORD-1007&status=CAPTURED"), page: 1, perPage: 25 });
    expect(outside.items).toEqual([]);
    expect(outside.total).toBe(0);
    expect(outside.quickSearch?.matched).toEqual([]);
  });
});

describe("filters, day bounds and totals", () => {
  it("applies the API's filters and sums totalAmount per currency, exactly", async () => {
    const list = await listPayments(STAFF, { ...query("status=CAPTURED&totalAmount=gte:100"), page: 1, perPage: 5 });
    // i % 3 === 0 and amount >= 100: i in 0,3,6,...,39 without the 75.00 ones (i % 5 === 3).
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 === 0 && i % 5 !== 3);
    expect(list.total).toBe(expected.length);
    const of = (currency: string) => expected.filter((i) => (i % 10 === 9 ? "EUR" : "NOK") === currency);
    const sumOf = (currency: string) => toDbAmount(sum(of(currency).map((i) => money(AMOUNTS[i % 5]))));
    expect(list.totals).toEqual([
      { currency: "EUR", count: of("EUR").length, totalAmount: sumOf("EUR") },
      { currency: "NOK", count: of("NOK").length, totalAmount: sumOf("NOK") },
    ]);
    expect(list.pageCount).toBe(Math.ceil(expected.length / 5));
  });

  it("keeps createdAt within [gte, lt)", async () => {
    const created = { gte: new Date(T0 + 3_600_000), lt: new Date(T0 + 3 * 3_600_000) };
    const list = await listPayments(STAFF, { ...query(""), created, page: 1, perPage: 25 });
    expect(list.items.map((p) => p.paymentId).sort((a, b) => a - b)).toEqual(ids.slice(3, 9));
  });
});

describe("sort, pages and export", () => {
  const sorts: PaymentSort[] = PAYMENT_SORT_KEYS.flatMap((key) => [
    { key, direction: "asc" as const },
    { key, direction: "desc" as const },
  ]);

  for (const sort of sorts) {
    it(`sorts by ${sort.key} ${sort.direction} with ties broken by paymentId, pages and the keyset export agreeing`, async () => {
      const resolved = await resolvePaymentQuery(STAFF, { query: query("", { sort }) });
      const paged: number[] = [];
      for (let page = 1; page <= 6; page++)
        paged.push(...(await paymentPage(STAFF, { resolved, page, perPage: 7 })).items.map((p) => p.paymentId));
      expect(paged).toHaveLength(41);
      expect(new Set(paged).size).toBe(41);

      const rows = await database().db.select().from(payments);
      const value = (id: number): bigint => {
        const row = rows.find((r) => r.paymentId === id)!;
        return sort.key === "createdAt"
          ? BigInt(row.createdAt.getTime())
          : sort.key === "totalAmount"
            ? money(row.totalAmount)
            : 0n;
      };
      const sign = sort.direction === "asc" ? 1 : -1;
      const order = (a: number, b: number) => (value(a) === value(b) ? a - b : value(a) < value(b) ? -1 : 1);
      const expected = [...paged].sort((a, b) => sign * order(a, b));
      expect(paged).toEqual(expected);

      // Runs of equal amounts and timestamps: the export's order must be the pages' order exactly.
      const exported = csvRecords(await copiedText(paymentExportSelect(resolved))).map((row) => Number(row.paymentId));
      expect(exported).toEqual(paged);
    });
  }

  it("exports each payment once with its transactions summed, and nothing when the quick search finds nothing", async () => {
    const resolved = await resolvePaymentQuery(STAFF, { query: query("cardNumber=4242") });
    const rows = csvRecords(await copiedText(paymentExportSelect(resolved)));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({ transactionCount: "1", cardNumbers: "4242", paymentTypes: "VISA" });
    const none = await resolvePaymentQuery(STAFF, { query: query("q=NOTHING-HERE") });
    expect(await copiedText(paymentExportSelect(none))).toMatch(/^paymentId,createdAt,[^\n]*\n$/);
  });
});
