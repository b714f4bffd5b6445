// Amounts as staff type them. The screens print `2 596,50 kr` (Norwegian grouping with a
// no-break space, a decimal comma), so an amount input takes what a person types or copies from
// them: `2596,50`, `2 596,50` (a space, no-break space U+00A0, narrow no-break space U+202F or
// thin space U+2009 between groups of three), `2596.50` and `2596`. Anything else is refused in
// words a person acts on. The /v1 API keeps its strict grammar (parseAmount in money.ts); this
// rule only ever turns what a person typed into that grammar's value.
//
//   accepted   2596  2596,5  2596,50  2596.50  2 596,50  12 345 678.9  0,50  ,50 is refused
//   refused    2.596,50 (two separators)  2,596.50  25 96  -5  1e3  12,345678 (6 decimals)  abc
import { formatAmount, parseAmount, type Money } from "./money";

export const TYPED_AMOUNT_EXAMPLE = "2 596,50";

/** Why a typed amount was refused, for screens that say it in the reader's language. */
export type TypedAmountProblem = "empty" | "sign" | "shape" | "decimals" | "tooLarge" | "notPositive";

export type TypedAmount =
  { ok: true; value: Money; text: string } | { ok: false; message: string; problem: TypedAmountProblem };

const GROUP_SPACE = "[ \u00a0\u202f\u2009]";
/** Digits, or digits grouped by three with one kind of space; then a comma or dot and decimals. */
const TYPED = new RegExp(`^([0-9]+|[0-9]{1,3}(?:${GROUP_SPACE}[0-9]{3})+)(?:[.,]([0-9]+))?$`);
export const MAX_TYPED_DECIMALS = 5;
const MAX_DECIMALS = MAX_TYPED_DECIMALS;
const MAX_WHOLE_DIGITS = 13;

const SHAPE = `Enter an amount like ${TYPED_AMOUNT_EXAMPLE}`;

/**
 * Reads an amount a person typed. `value` is exact (bigint scaled by 10^5, money.ts) and `text`
 * is the same amount in the API's grammar ("2596.50"). Zero is an amount; whether a field takes
 * it is the field's rule (parseTypedPositiveAmount).
 */
export function parseTypedAmount(input: string): TypedAmount {
  const typed = input.trim();
  if (typed === "") return { ok: false, message: "Enter an amount", problem: "empty" };
  if (/^[-−+]/.test(typed))
    return { ok: false, message: `Enter the amount without a sign, like ${TYPED_AMOUNT_EXAMPLE}`, problem: "sign" };
  const match = TYPED.exec(typed);
  if (!match) return { ok: false, message: SHAPE, problem: "shape" };
  const whole = match[1].replace(/[^0-9]/g, "").replace(/^0+(?=[0-9])/, "");
  const decimals = match[2] ?? "";
  if (decimals.length > MAX_DECIMALS)
    return { ok: false, message: `Use at most ${MAX_DECIMALS} decimals`, problem: "decimals" };
  if (whole.length > MAX_WHOLE_DIGITS) return { ok: false, message: "The amount is too large", problem: "tooLarge" };
  // The API's grammar, so that both read the same number the same way.
  const parsed = parseAmount(decimals ? `${whole}.${decimals}` : whole);
  if (!parsed.ok) return { ok: false, message: SHAPE, problem: "shape" };
  return { ok: true, value: parsed.value, text: formatAmount(parsed.value) };
}

/** An amount that moves money (a credit, a capture, a total): greater than zero. */
export function parseTypedPositiveAmount(input: string): TypedAmount {
  const parsed = parseTypedAmount(input);
  if (parsed.ok && parsed.value <= 0n)
    return { ok: false, message: "Enter an amount greater than 0", problem: "notPositive" };
  return parsed;
}
