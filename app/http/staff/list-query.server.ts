// Reading a staff list's URL: the filters in the /v1 grammar (parsed by the API's own parser, so
// a filter means the same on the screen and in the API), and the list's page and size. Bad
// filter values become messages for the screen to show next to the filter, never exceptions.
// Amount filters are the one exception to the grammar: staff type `gte:2 596,50` as the screens
// print amounts, so they are read as people type them (app/domain/typed-amount.ts) and handed to
// the API's parser in its own form. The messages are in the reader's language when the problem
// has a locale key (the API's words stay English on /v1: the parser's `message`).
import type { FieldError, Say } from "../../domain/errors";
import { parseSearchQuery, type FieldFilter, type FieldSpec, type FilterField } from "../../domain/search-filter";
import { MAX_TYPED_DECIMALS, parseTypedAmount, TYPED_AMOUNT_EXAMPLE } from "../../domain/typed-amount";
import type { Language } from "../../i18n/language";
import { sayIn } from "./action.server";

export type ListFilters = {
  filters: Record<string, FieldFilter>;
  /** By field, for the filter builder's rows. */
  fieldErrors: Record<string, string>;
  /** Parameters the list does not know (a hand-edited or outdated link): shown above the list. */
  otherErrors: string[];
};

/**
 * The filters of a list URL. `own` names the screen's other parameters (q, from, to, sort…);
 * page and perPage are the screen's too (see readPaging), so the parser never sees them.
 */
export function readListFilters(
  params: URLSearchParams,
  spec: Record<string, FieldSpec>,
  own: readonly string[],
  language: Language = "en",
): ListFilters {
  const { params: filterParams, fieldErrors: amountErrors } = typedAmountFilters(params, spec, language);
  filterParams.delete("page");
  filterParams.delete("perPage");
  const outcome = parseSearchQuery(filterParams, spec, { extra: own });
  if (outcome.ok && Object.keys(amountErrors).length === 0)
    return { filters: outcome.query.filters, fieldErrors: {}, otherErrors: [] };
  if (outcome.ok) return { filters: {}, fieldErrors: amountErrors, otherErrors: [] };
  const fieldErrors: Record<string, string> = { ...amountErrors };
  const otherErrors: string[] = [];
  for (const { field, message, say } of outcome.errors) {
    const said = saidIn(language, message, say);
    if (Object.hasOwn(spec, field)) fieldErrors[field] ??= said;
    else otherErrors.push(`${field.slice(0, 60)} ${said}`);
  }
  return { filters: {}, fieldErrors, otherErrors };
}

/**
 * A filter problem in `language` by its locale key, English too (an amount's problem is the API's
 * grammar in `message`, not staff words); one without a key as the parser said it.
 */
export function saidIn(language: Language, message: string, say: Say | undefined): string {
  return say ? sayIn(language, say) : message;
}

/** A parse's problems by field, the first of each, in `language` (a screen's filter errors). */
export function filterErrorsIn(language: Language, errors: readonly FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const { field, message, say } of errors) byField[field] ??= saidIn(language, message, say);
  return byField;
}

/** Field errors with their messages in `language` (a screen that lists them, each by its field). */
export function fieldErrorsIn(language: Language, errors: readonly FieldError[]): FieldError[] {
  return errors.map(({ field, message, say }) => ({ field, message: saidIn(language, message, say) }));
}

/** An operator prefix (`gte:`) of a filter value, kept as it is. */
const OPERATOR = /^([A-Za-z]{2,}:)?(.*)$/s;

/**
 * The list's params with each amount filter's value in the API's grammar (`gte:2 596,50` →
 * `gte:2596.00`), and, by field, what is wrong with one that is not an amount, in the user's words.
 */
export function typedAmountFilters(
  params: URLSearchParams,
  spec: Record<string, FieldSpec>,
  language: Language = "en",
): { params: URLSearchParams; fieldErrors: Record<string, string> } {
  const fieldErrors: Record<string, string> = {};
  const out = new URLSearchParams();
  for (const [name, value] of params) {
    if (!Object.hasOwn(spec, name) || spec[name].type !== "amount") {
      out.append(name, value);
      continue;
    }
    const [, op = "", text] = OPERATOR.exec(value)!;
    const parsed = parseTypedAmount(text);
    if (parsed.ok) out.append(name, `${op}${parsed.text}`);
    else
      fieldErrors[name] ??= saidIn(language, parsed.message, {
        key: `amount.${parsed.problem}`,
        values: { example: TYPED_AMOUNT_EXAMPLE, max: MAX_TYPED_DECIMALS },
      });
  }
  return { params: out, fieldErrors };
}

/**
 * Page and page size of a list URL. A hand-edited URL with a bad page or perPage shows the
 * default view rather than an error (docs/decisions/003); perPage is capped at maxPerPage.
 */
export function readPaging(params: URLSearchParams, defaults: { perPage: number; maxPerPage: number }) {
  const positive = (value: string | null) => (value !== null && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : null);
  return {
    page: positive(params.get("page")) ?? 1,
    perPage: Math.min(defaults.maxPerPage, positive(params.get("perPage")) ?? defaults.perPage),
  };
}

/** The filter builder's fields for a search spec: the API's own types and enum values, with labels. */
export function filterFieldsOf(
  spec: Record<string, FieldSpec>,
  labels: Record<string, string>,
  placeholders: Record<string, string> = {},
): FilterField[] {
  return Object.entries(spec)
    .map(([name, field]) => ({
      name,
      label: labels[name] ?? name,
      type: field.type,
      ...(field.values ? { values: [...field.values] } : {}),
      ...(placeholders[name] ? { placeholder: placeholders[name] } : {}),
    }))
    .sort((a, b) => Object.keys(labels).indexOf(a.name) - Object.keys(labels).indexOf(b.name));
}

/**
 * A keyset page as the screen's page links want it: its neighbours' places as URL values
 * (`toParam`, the list's own cursor format) and whether it is the newest page (no cursor asked).
 */
export function keysetPlace<C, P extends { older: C | null; newer: C | null }>(
  page: P,
  cursor: unknown,
  toParam: (place: C) => string,
): Omit<P, "older" | "newer"> & { older: string | null; newer: string | null; atNewest: boolean } {
  return {
    ...page,
    older: page.older === null ? null : toParam(page.older),
    newer: page.newer === null ? null : toParam(page.newer),
    atNewest: cursor === null,
  };
}
