// The search grammar shared by the /v1 search routes and the staff filter builder:
//   field=value            equals (no prefix means eq)
//   field=op:value         op in eq ne gt gte lt lte
//   field repeated         eq values are OR-ed (IN); every other operator is AND-ed
// plus page (1-based) and perPage (default 20, max 500). Unknown parameters, unknown operators
// and values of the wrong type are errors that name the parameter.
//
// A value whose text before the first colon is a word of two or more letters is read as
// `op:value`, so an unknown operator (`like:`, `between:`) is a 400 naming the parameter rather
// than a silent equality match; timestamps (2026-01-01T10:00:00Z) and most ids need no prefix,
// and a value that itself starts with such a word needs an explicit `eq:`.

import type { FieldError, Say } from "./errors";
import { parseAmount, type Money } from "./money";
import { TYPED_AMOUNT_EXAMPLE } from "./typed-amount";
import { cursorFromParam, type KeysetCursor } from "./keyset-cursor";

export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte"] as const;
export type Operator = (typeof OPERATORS)[number];

export type FieldType = "integer" | "string" | "amount" | "timestamp" | "enum" | "boolean" | "currency";

export type FieldSpec = {
  type: FieldType;
  /** For enums: the allowed values. */
  values?: readonly string[];
  /** For integers: the column's range (default: safe JavaScript integers). */
  min?: number;
  max?: number;
  /** For strings: a pattern the value must match, with a message. */
  pattern?: RegExp;
  patternMessage?: string;
  /** The pattern's message by its locale key, for the staff screens (the API says patternMessage). */
  patternSay?: Say;
};

/** A filter problem's locale key (the staff lists say it in the reader's language; /v1 keeps `message`). */
const filterSays = (key: string, values?: Say["values"]): Say => ({ key: `errors.filter.${key}`, values });

/** A field as the staff lists' filter builder offers it: its name, label, type and enum values. */
export type FilterField = {
  name: string;
  label: string;
  type: FieldType;
  /** For enums: the allowed values. */
  values?: readonly string[];
  placeholder?: string;
};

export type FilterValue = string | number | Date | Money | boolean;

export type Condition = { field: string; op: Operator; value: FilterValue };

/** Per field: values to match any of (eq), and conditions that must all hold. */
export type FieldFilter = { anyOf: FilterValue[]; all: Condition[] };

export type SearchQuery = {
  filters: Record<string, FieldFilter>;
  page: number;
  perPage: number;
  /** `exactTotal=true`: count every match, however many (where the search caps its count). */
  exactTotal?: boolean;
  /**
   * `after=<cursor>` (GET /v1/payments): the rows strictly after that place in the newest-first
   * order; `page` is then only the client's own count, echoed back (decision 058).
   */
  after?: KeysetCursor;
};

export const DEFAULT_PER_PAGE = 20;
/**
 * Searches that cap their count count up to this many matches exactly and estimate above it
 * (docs/decisions/029-bounded-counts-and-read-paths.md).
 */
export const EXACT_COUNT_CAP = 10_000;
export const MAX_PER_PAGE = 500;

const ORDERED_TYPES: ReadonlySet<FieldType> = new Set(["integer", "amount", "timestamp", "string"]);

export type ParseOutcome = { ok: true; query: SearchQuery } | { ok: false; errors: FieldError[] };

export function parseSearchQuery(
  params: URLSearchParams,
  spec: Record<string, FieldSpec>,
  options: {
    defaultPerPage?: number;
    maxPerPage?: number;
    extra?: readonly string[];
    exactTotal?: boolean;
    /** Accept `after=<cursor>` (a previous page's nextCursor). */
    after?: boolean;
  } = {},
): ParseOutcome {
  const errors: FieldError[] = [];
  const filters: Record<string, FieldFilter> = {};
  const maxPerPage = options.maxPerPage ?? MAX_PER_PAGE;
  let page = 1;
  let perPage = options.defaultPerPage ?? DEFAULT_PER_PAGE;
  let exactTotal: boolean | undefined;
  let after: KeysetCursor | undefined;

  for (const name of new Set(params.keys())) {
    const raw = params.getAll(name);
    if (name === "exactTotal" && options.exactTotal) {
      if (raw.length === 1 && (raw[0] === "true" || raw[0] === "false")) exactTotal = raw[0] === "true";
      else errors.push({ field: name, message: "must be true or false", say: filterSays("trueFalse") });
      continue;
    }
    if (name === "after" && options.after) {
      const cursor = raw.length === 1 ? cursorFromParam(raw[0]) : null;
      if (cursor) after = cursor;
      else errors.push({ field: name, message: "must be the nextCursor of a previous page, given once" });
      continue;
    }
    if (name === "page" || name === "perPage") {
      const limit = name === "page" ? Number.MAX_SAFE_INTEGER : maxPerPage;
      const value = raw.length === 1 && /^[1-9][0-9]{0,8}$/.test(raw[0]) ? Number(raw[0]) : NaN;
      if (!Number.isInteger(value) || value > limit) {
        errors.push({
          field: name,
          message: name === "page" ? "must be a whole number from 1" : `must be a whole number from 1 to ${maxPerPage}`,
          say: name === "page" ? filterSays("page") : filterSays("perPage", { max: maxPerPage }),
        });
      } else if (name === "page") page = value;
      else perPage = value;
      continue;
    }
    if (options.extra?.includes(name)) continue;
    const fieldSpec = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!fieldSpec) {
      errors.push({
        field: name,
        message: `is not a search parameter here; use one of: ${Object.keys(spec).join(", ")}`,
        say: filterSays("unknownParameter", { fields: Object.keys(spec).join(", ") }),
      });
      continue;
    }
    const filter: FieldFilter = { anyOf: [], all: [] };
    for (const entry of raw) {
      const { op, text } = splitOperator(entry);
      if (!op) {
        errors.push({
          field: name,
          message: `has an unknown operator in "${entry}"; use one of ${OPERATORS.join(", ")}`,
          say: filterSays("unknownOperator", { typed: entry, operators: OPERATORS.join(", ") }),
        });
        continue;
      }
      if (op !== "eq" && op !== "ne" && !ORDERED_TYPES.has(fieldSpec.type)) {
        errors.push({
          field: name,
          message: `supports only eq and ne, not ${op}`,
          say: filterSays("eqNeOnly", { op }),
        });
        continue;
      }
      const parsed = parseValue(text, fieldSpec);
      if (!parsed.ok) {
        errors.push({ field: name, message: parsed.message, say: parsed.say });
        continue;
      }
      if (op === "eq") filter.anyOf.push(parsed.value);
      else filter.all.push({ field: name, op, value: parsed.value });
    }
    filters[name] = filter;
  }
  if (errors.length) return { ok: false, errors };
  const query: SearchQuery = { filters, page, perPage };
  if (exactTotal !== undefined) query.exactTotal = exactTotal;
  if (after !== undefined) query.after = after;
  return { ok: true, query };
}

/** What reads as an operator prefix: a word of letters before the first colon. */
const OPERATOR_PREFIX = /^([A-Za-z]{2,}):(.*)$/s;

function splitOperator(entry: string): { op: Operator | null; text: string } {
  const match = OPERATOR_PREFIX.exec(entry);
  if (!match) return { op: "eq", text: entry };
  const op = match[1] as Operator;
  return OPERATORS.includes(op) ? { op, text: match[2] } : { op: null, text: entry };
}

type ValueOutcome = { ok: true; value: FilterValue } | { ok: false; message: string; say?: Say };

export function parseValue(text: string, spec: FieldSpec): ValueOutcome {
  if (text === "") return { ok: false, message: "needs a value", say: filterSays("needsValue") };
  switch (spec.type) {
    case "integer": {
      const min = spec.min ?? -Number.MAX_SAFE_INTEGER;
      const max = spec.max ?? Number.MAX_SAFE_INTEGER;
      if (!/^-?[0-9]{1,16}$/.test(text))
        return {
          ok: false,
          message: `must be a whole number, not "${text}"`,
          say: filterSays("wholeNumber", { typed: text }),
        };
      const value = Number(text);
      return value >= min && value <= max
        ? { ok: true, value }
        : {
            ok: false,
            message: `must be a whole number from ${min} to ${max}`,
            say: filterSays("wholeNumberRange", { min, max }),
          };
    }
    case "amount": {
      const parsed = parseAmount(text);
      return parsed.ok
        ? { ok: true, value: parsed.value }
        : // The API's strict grammar is for API clients; a staff list says it as its amount fields do.
          {
            ok: false,
            message: `must be an amount: ${parsed.message}`,
            say: { key: "amount.shape", values: { example: TYPED_AMOUNT_EXAMPLE } },
          };
    }
    case "timestamp": {
      const date = parseTimestamp(text);
      return date
        ? { ok: true, value: date }
        : {
            ok: false,
            message: `must be an ISO 8601 date or time, not "${text}"`,
            say: filterSays("timestamp", { typed: text }),
          };
    }
    case "enum":
      return spec.values?.includes(text)
        ? { ok: true, value: text }
        : {
            ok: false,
            message: `must be one of ${spec.values?.join(", ")}, not "${text}"`,
            say: filterSays("oneOf", { values: spec.values?.join(", ") ?? "", typed: text }),
          };
    case "boolean":
      return text === "true" || text === "false"
        ? { ok: true, value: text === "true" }
        : { ok: false, message: `must be true or false, not "${text}"`, say: filterSays("boolean", { typed: text }) };
    case "currency":
      return /^[A-Z]{3}$/.test(text)
        ? { ok: true, value: text }
        : { ok: false, message: "must be a 3-letter ISO 4217 code", say: filterSays("currency") };
    case "string":
      if (text.length > 200)
        return {
          ok: false,
          message: "is longer than 200 characters",
          say: { key: "errors.form.tooLong", values: { max: 200 } },
        };
      if (!text.isWellFormed() || /[\u0000-\u001f\u007f]/.test(text)) {
        return {
          ok: false,
          message: "must not contain control characters or invalid Unicode",
          say: filterSays("controlCharacters"),
        };
      }
      if (spec.pattern && !spec.pattern.test(text)) {
        return spec.patternMessage
          ? { ok: false, message: spec.patternMessage, say: spec.patternSay }
          : { ok: false, message: `has the wrong format: "${text}"`, say: filterSays("format", { typed: text }) };
      }
      return { ok: true, value: text };
  }
}

/** Integer filters on int4 columns. */
export const INT4 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** 2026-01-31, 2026-01-31T10:15, 2026-01-31T10:15:30.123Z, 2026-01-31T10:15:30+01:00 (no offset = UTC). */
export function parseTimestamp(text: string): Date | null {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = match;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, "0").slice(0, 3)}${zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  // PostgreSQL timestamps span years 1 to 9999 here; an offset can push a date outside.
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  // Reject roll-overs such as 2026-02-31 that Date would quietly move into March.
  if (zone === "Z" && (date.getUTCMonth() + 1 !== Number(mo) || date.getUTCDate() !== Number(d))) return null;
  return date;
}

/** Writes a query back into URL parameters (the staff filter builder keeps its state in the URL). */
export function conditionToParam(op: Operator, value: string): string {
  return op === "eq" && !OPERATOR_PREFIX.test(value) ? value : `${op}:${value}`;
}
