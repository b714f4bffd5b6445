// The field types of the staff forms, as zod schemas over what a browser posts: text (a single
// string; a file or a repeated field is refused), checkboxes ("on" or absent) and lists (a
// repeated field). Each schema of app/http/staff/forms is built from these, and values are
// checked with the domain's own parsers, so a form and the API refuse the same things. Amounts are
// read as people type them (app/domain/typed-amount.ts: `2 596,50`, `2596.50`) and refused in
// their words; the API keeps its strict grammar.
import { z } from "zod";
import { REASON_MAX_LENGTH } from "../../domain/action-result";
import type { Money } from "../../domain/money";
import { parseTypedAmount, parseTypedPositiveAmount } from "../../domain/typed-amount";
import { isCleanText } from "../../domain/text";
import { CARD_NUMBER_MESSAGE, containsCardNumber } from "../../domain/card-number";

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

/** One string; `missing` says what is wrong when the field is absent or blank. */
function single(missing: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? missing : "must be a single text value") });
}

/**
 * Trimmed, clean text of at most `max` characters; required (blank counts as absent). It never
 * carries a card number (app/domain/card-number.ts): every text field of the staff forms is
 * built from this, so none can forget the rule.
 */
export function requiredText(max: number, { missing = "is required" }: { missing?: string } = {}) {
  return z.preprocess(
    blankIsAbsent,
    single(missing)
      .trim()
      .max(max, `must be at most ${max} characters`)
      .refine(isCleanText, "contains characters that are not allowed")
      .refine((value) => !containsCardNumber(value), CARD_NUMBER_MESSAGE),
  );
}

/** Trimmed, clean text of at most `max` characters, or undefined when absent or blank. */
export function optionalText(max: number) {
  return z.preprocess(blankIsAbsent, requiredText(max).optional());
}

/** Text exactly as typed (spaces and any character count), e.g. a password; "" when absent. */
export function rawText(max: number) {
  return z.preprocess((value) => value ?? "", single("is required").max(max, `must be at most ${max} characters`));
}

/** A positive whole-number id (a form's hidden field); `message` says what it must be. */
export function id(message: string) {
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
export function amount(missing = "Enter an amount", { zero = false }: { zero?: boolean } = {}) {
  const parse = zero ? parseTypedAmount : parseTypedPositiveAmount;
  return z.preprocess(
    blankIsAbsent,
    single(missing)
      .trim()
      .transform((text, ctx): Money => {
        // A card number typed here is named as one, as in every other field, not as a large amount.
        if (containsCardNumber(text)) {
          ctx.addIssue({ code: "custom", message: CARD_NUMBER_MESSAGE });
          return z.NEVER;
        }
        const parsed = parse(text);
        if (parsed.ok) return parsed.value;
        ctx.addIssue({ code: "custom", message: parsed.message });
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
    .preprocess(blankIsAbsent, z.literal("on", { error: "must be ticked or not" }).optional())
    .transform((value) => value === "on");
}

/** A field the form repeats (checkboxes of one name): always a list, each value checked. */
export function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(item, { error: "must be a list" }),
  );
}

/** One of fixed choices (a select): `message` lists them. */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(blankIsAbsent, z.enum(values, { error: message }));
}

/** The form's `reason`: required where money moves, optional elsewhere; always clean, bounded text. */
export function reason(required: boolean) {
  const text = optionalText(REASON_MAX_LENGTH);
  if (!required) return text.transform((value) => value ?? null);
  return z.preprocess(
    blankIsAbsent,
    requiredText(REASON_MAX_LENGTH, { missing: "is required: say why, it goes to the audit log" }),
  );
}
