// The field types of the staff forms, as zod schemas over what a browser posts: text (a single
// string; a file or a repeated field is refused), checkboxes ("on" or absent) and lists (a
// repeated field). Each schema of app/http/staff/forms is built from these, and values are
// checked with the domain's own parsers, so a form and the API refuse the same things. Amounts are
// read as people type them (app/domain/typed-amount.ts: `2 596,50`, `2596.50`) and refused in
// their words; the API keeps its strict grammar. Every message here and in forms/ is a locale key
// (`says`), which staffAction says in the staff user's language (ADR 042).
import { z } from "zod";
import type { en } from "../../locales/en";
import { REASON_MAX_LENGTH } from "../../domain/action-result";
import type { Money } from "../../domain/money";
import {
  MAX_TYPED_DECIMALS,
  parseTypedAmount,
  parseTypedPositiveAmount,
  TYPED_AMOUNT_EXAMPLE,
} from "../../domain/typed-amount";
import { isCleanText } from "../../domain/text";
import { containsCardNumber } from "../../domain/card-number";

/** A form's message as its locale key (app/locales/en/errors.ts `form`), which formErrors says. */
export type FormMessage = `errors.form.${keyof typeof en.errors.form}`;
export const says = (key: keyof typeof en.errors.form): FormMessage => `errors.form.${key}`;

/** A form field as posted: absent, one value, or several (a repeated name); a value may be a file. */
export type FormValue = FormDataEntryValue | FormDataEntryValue[] | undefined;

/** The form as an object of field name → value, which the schemas of app/http/staff/forms parse. */
export function formObject(form: FormData): Record<string, FormValue> {
  const object: Record<string, FormValue> = Object.create(null);
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name);
    object[name] = values.length === 1 ? values[0] : values;
  }
  return object;
}

const blank = (value: unknown) => value === undefined || (typeof value === "string" && value.trim() === "");
/** A blank field counts as absent, as in the browser, where an empty input is still sent. */
const blankIsAbsent = (value: unknown) => (blank(value) ? undefined : value);

/** The values of an amount refusal's words (app/locales/en/amount.ts). */
export const AMOUNT_PARAMS = { example: TYPED_AMOUNT_EXAMPLE, max: MAX_TYPED_DECIMALS };

/** One string; `missing` says what is wrong when the field is absent or blank. */
function single(missing: FormMessage) {
  return z.string({ error: (issue) => (issue.input === undefined ? missing : says("single")) });
}

/**
 * Trimmed, clean text of at most `max` characters; required (blank counts as absent). It never
 * carries a card number (app/domain/card-number.ts): every text field of the staff forms is
 * built from this, so none can forget the rule.
 */
export function requiredText(max: number, { missing = says("required") }: { missing?: FormMessage } = {}) {
  return z.preprocess(
    blankIsAbsent,
    single(missing)
      .trim()
      .max(max, says("tooLong"))
      .refine(isCleanText, says("notClean"))
      .refine((value) => !containsCardNumber(value), says("cardNumber")),
  );
}

/** Trimmed, clean text of at most `max` characters, or undefined when absent or blank. */
export function optionalText(max: number) {
  return z.preprocess(blankIsAbsent, requiredText(max).optional());
}

/** Text exactly as typed (spaces and any character count), e.g. a password; "" when absent. */
export function rawText(max: number) {
  return z.preprocess((value) => value ?? "", single(says("required")).max(max, says("tooLong")));
}

/** A positive whole-number id (a form's hidden field); `message` says what it must be. */
export function id(message: FormMessage) {
  return z.preprocess(
    blankIsAbsent,
    z
      .string({ error: message })
      .trim()
      .regex(/^[1-9][0-9]{0,15}$/, message)
      .transform(Number)
      .refine(Number.isSafeInteger, message),
  );
}

/**
 * An amount as a person types it (`2 596,50`, `2596.50`), greater than 0 unless `zero` allows it;
 * refused in the user's words ("Enter an amount like 2 596,50").
 */
export function amount(missing: FormMessage = says("amount"), { zero = false }: { zero?: boolean } = {}) {
  const parse = zero ? parseTypedAmount : parseTypedPositiveAmount;
  return z.preprocess(
    blankIsAbsent,
    single(missing)
      .trim()
      .transform((text, ctx): Money => {
        // A card number typed here is named as one, as in every other field, not as a large amount.
        if (containsCardNumber(text)) {
          ctx.addIssue({ code: "custom", message: says("cardNumber") });
          return z.NEVER;
        }
        const parsed = parse(text);
        if (parsed.ok) return parsed.value;
        // Its problem's words (app/locales/en/amount.ts), e.g. "Enter an amount like 2 596,50".
        ctx.addIssue({ code: "custom", message: `amount.${parsed.problem}`, params: AMOUNT_PARAMS });
        return z.NEVER;
      }),
  );
}

export function optionalAmount(options: { zero?: boolean } = {}) {
  return z.preprocess(blankIsAbsent, amount(undefined, options).optional());
}

/** A checkbox: "on" when ticked, absent when not. */
export function checkbox() {
  return z
    .preprocess(blankIsAbsent, z.literal("on", { error: says("ticked") }).optional())
    .transform((value) => value === "on");
}

/** A field the form repeats (checkboxes of one name): always a list, each value checked. */
export function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(item, { error: says("list") }),
  );
}

/** One of fixed choices (a select): `message` says what to choose; without one, the choices are listed. */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message?: FormMessage) {
  return z.preprocess(blankIsAbsent, z.enum(values, message ? { error: message } : undefined));
}

/** The form's `reason`: required where money moves, optional elsewhere; always clean, bounded text. */
export function reason(required: boolean) {
  const text = optionalText(REASON_MAX_LENGTH);
  if (!required) return text.transform((value) => value ?? null);
  return z.preprocess(blankIsAbsent, requiredText(REASON_MAX_LENGTH, { missing: says("reasonRequired") }));
}
