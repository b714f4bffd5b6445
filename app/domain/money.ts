// Exact money. An amount is a bigint count of 10^-5 units of its currency (ISO 20022 allows
// 18 digits of which 5 after the dot). Strings are parsed at the edges and formatted on the way
// out; in between only bigint arithmetic happens. A JS number never holds an amount.

declare const brand: unique symbol;
/** An amount in 10^-5 currency units. */
export type Money = bigint & { readonly [brand]: "Money" };

export const SCALE = 5;
const FACTOR = 10n ** BigInt(SCALE);

/** An API amount: at most 13 integer digits without leading zeros, at most 5 after a dot. */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,5})?$/;

export const ZERO = 0n as Money;

export type ParseResult = { ok: true; value: Money } | { ok: false; message: string };

/**
 * Parses an API amount string. Rejects everything else with a message a client can act on:
 * numbers (a JSON 10.5 has already been through a float), signs, exponents, spaces, commas,
 * leading zeros, more than 5 decimals or more than 18 digits.
 */
export function parseAmount(input: unknown): ParseResult {
  if (typeof input !== "string") {
    return { ok: false, message: 'must be a decimal string such as "100.00"' };
  }
  if (!AMOUNT_PATTERN.test(input)) {
    return {
      ok: false,
      message:
        'must be a decimal string with a dot, at most 13 digits before it and 5 after it, no sign, exponent or leading zeros (e.g. "100.00")',
    };
  }
  const [whole, fraction = ""] = input.split(".");
  return { ok: true, value: (BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, "0"))) as Money };
}

/** Parses an amount that must be greater than zero (something is paid or credited). */
export function parsePositiveAmount(input: unknown): ParseResult {
  const parsed = parseAmount(input);
  if (parsed.ok && parsed.value <= 0n) return { ok: false, message: "must be greater than 0" };
  return parsed;
}

/** For trusted sources only (the database's numeric(18,5) text, literals in code and tests). */
export function money(input: string): Money {
  const match = /^(-)?([0-9]+)(?:\.([0-9]{1,5}))?$/.exec(input.trim());
  if (!match) throw new Error(`Not a decimal amount: ${JSON.stringify(input)}`);
  const [, sign, whole, fraction = ""] = match;
  const value = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, "0"));
  return (sign ? -value : value) as Money;
}

/**
 * The API rendering: at least 2 decimals, more only when they carry digits ("100.00",
 * "0.12345", "10.50", "10.125").
 */
export function formatAmount(value: Money): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / FACTOR;
  let fraction = (abs % FACTOR).toString().padStart(SCALE, "0");
  while (fraction.length > 2 && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Full-precision rendering for the database (numeric(18,5)). */
export function toDbAmount(value: Money): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / FACTOR}.${(abs % FACTOR).toString().padStart(SCALE, "0")}`;
}

export function add(a: Money, b: Money): Money {
  return (a + b) as Money;
}

export function subtract(a: Money, b: Money): Money {
  return (a - b) as Money;
}

export function sum(values: Iterable<Money>): Money {
  let total = 0n;
  for (const value of values) total += value;
  return total as Money;
}

/** -1, 0 or 1, for sorting and comparisons. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function min(a: Money, b: Money): Money {
  return a < b ? a : b;
}

export function isPositive(value: Money): boolean {
  return value > 0n;
}
