// Reading a staff list's URL: the filters in the /v1 grammar (parsed by the API's own parser, so
// a filter means the same on the screen and in the API), and the list's page and size. Bad
// filter values become messages for the screen to show next to the filter, never exceptions.
import { parseSearchQuery, type FieldFilter, type FieldSpec, type FilterField } from "../../domain/search-filter";

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
): ListFilters {
  const filterParams = new URLSearchParams(params);
  filterParams.delete("page");
  filterParams.delete("perPage");
  const outcome = parseSearchQuery(filterParams, spec, { extra: own });
  if (outcome.ok) return { filters: outcome.query.filters, fieldErrors: {}, otherErrors: [] };
  const fieldErrors: Record<string, string> = {};
  const otherErrors: string[] = [];
  for (const { field, message } of outcome.errors) {
    if (Object.hasOwn(spec, field)) fieldErrors[field] ??= message;
    else otherErrors.push(`${field.slice(0, 60)} ${message}`);
  }
  return { filters: {}, fieldErrors, otherErrors };
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
