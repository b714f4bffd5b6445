// The list screens' URLs read once, for every door that takes one: the screen itself, its CSV
// export, and a saved view being saved (a view is a screen's query string, so it is checked by
// the screen's own reader and can never make the screen fail). Errors come back as messages, in
// the reader's language (`language`; a CSV export's refusal is read by a person too).
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Permission } from "../../auth/roles";
import { requirePermission } from "../../auth/session.server";
import type { StaffCaller } from "../../domain/caller";
import type { CsvExport } from "../../services/admin/csv-export.server";
import { staffCaller } from "./action.server";
import { csvExportResponse } from "./csv.server";
import { parseSearchQuery, type FieldFilter, type SearchQuery } from "../../domain/search-filter";
import { readDayRange, type InstantBounds } from "../../domain/zoned-day-range";
import type { PaymentQuery } from "../../services/queries/payment-list.server";
import { CREDIT_SEARCH_FIELDS } from "../../services/queries/credit-search.server";
import { OPERATION_LOG_FIELDS } from "../../services/queries/operation-log.server";
import { AUDIT_FILTERS } from "../../services/queries/audit-log.server";
import type { Language } from "../../i18n/language";
import { translator } from "../../i18n/i18n";
import { staffLanguage } from "../../i18n/language.server";
import { filterErrorsIn, readListFilters, saidIn, typedAmountFilters } from "./list-query.server";
import { readPaymentListUrl } from "./payment-list-url.server";

type Read<Q> = { ok: true; query: Q } | { ok: false; messages: string[] };

export function readPaymentsQuery(
  params: URLSearchParams,
  timeZone: string,
  language: Language = "en",
): Read<PaymentQuery> {
  const url = readPaymentListUrl(params, timeZone, language);
  if (url.ok) return { ok: true, query: url.query };
  return {
    ok: false,
    messages: [
      ...Object.entries(url.errors.filters).map(([field, message]) => `${field} ${message}`),
      ...url.errors.other,
      ...(url.errors.q ? [`q ${url.errors.q}`] : []),
      ...(url.errors.range ? [url.errors.range] : []),
    ],
  };
}

export const CREDIT_LIST_PAGING = { defaultPerPage: 25, maxPerPage: 100 };

/** The credits list's query (amounts as staff type them, then the API's own parser). */
export function readCreditsQuery(
  params: URLSearchParams,
  language: Language = "en",
): Read<SearchQuery> & { fieldErrors: Record<string, string> } {
  const typed = typedAmountFilters(params, CREDIT_SEARCH_FIELDS, language);
  const parsed = parseSearchQuery(typed.params, CREDIT_SEARCH_FIELDS, CREDIT_LIST_PAGING);
  if (parsed.ok && Object.keys(typed.fieldErrors).length === 0)
    return { ok: true, query: parsed.query, fieldErrors: {} };
  const fieldErrors = { ...filterErrorsIn(language, parsed.ok ? [] : parsed.errors), ...typed.fieldErrors };
  return { ok: false, messages: Object.entries(fieldErrors).map(([f, m]) => `${f} ${m}`), fieldErrors };
}

export const OPERATION_LOG_OWN_PARAMS = ["from", "to", "older", "newer"] as const;

export function readOperationLogQuery(
  params: URLSearchParams,
  timeZone: string,
  language: Language = "en",
): Read<{ filters: Record<string, FieldFilter>; created: InstantBounds | undefined }> {
  const { filters, fieldErrors, otherErrors } = readListFilters(
    params,
    OPERATION_LOG_FIELDS,
    OPERATION_LOG_OWN_PARAMS,
    language,
  );
  const range = readDayRange(params, timeZone);
  const messages = [
    ...Object.entries(fieldErrors).map(([f, m]) => `${f} ${m}`),
    ...otherErrors,
    ...(range.ok ? [] : [saidIn(language, range.message, range.say)]),
  ];
  if (!range.ok || messages.length > 0) return { ok: false, messages };
  return { ok: true, query: { filters, created: range.bounds } };
}

export function readAuditLogQuery(params: URLSearchParams, language: Language = "en"): Read<SearchQuery> {
  const parsed = parseSearchQuery(params, AUDIT_FILTERS, { defaultPerPage: 50, maxPerPage: 200, extra: ["entry"] });
  return parsed.ok
    ? { ok: true, query: parsed.query }
    : { ok: false, messages: Object.entries(filterErrorsIn(language, parsed.errors)).map(([f, m]) => `${f} ${m}`) };
}

/** The screens a user can save views of: where they live, who may see them, how their URL is read. */
export const VIEW_SCREENS = {
  payments: {
    path: "/payments",
    permission: "payment:read",
    // Where the user was in the list is not part of a view.
    paging: ["page", "older", "newer", "exactTotal"],
    check: (params: URLSearchParams, timeZone: string, language: Language) =>
      readPaymentsQuery(params, timeZone, language),
  },
  credits: {
    path: "/credits",
    permission: "credit:read",
    paging: ["page"],
    check: (params: URLSearchParams, _timeZone: string, language: Language) => readCreditsQuery(params, language),
  },
  "operation-log": {
    path: "/operation-log",
    permission: "log:read",
    paging: ["older", "newer"],
    check: (params: URLSearchParams, timeZone: string, language: Language) =>
      readOperationLogQuery(params, timeZone, language),
  },
} satisfies Record<
  string,
  {
    path: string;
    permission: Permission;
    paging: string[];
    check: (params: URLSearchParams, timeZone: string, language: Language) => Read<unknown>;
  }
>;

/**
 * The loader of a list's `export.csv` route: the screen's own URL reader (so the file holds what
 * the screen shows), then the service that has the database write the CSV, streamed under
 * `<name>-<UTC day>.csv`. Filters the screen would refuse answer 400 in the reader's language,
 * never another file.
 */
export function csvExportLoader<Q>(spec: {
  permission: Permission;
  name: string;
  read: (params: URLSearchParams, timeZone: string, language: Language) => Read<Q>;
  exportRows: (caller: StaffCaller, input: { query: Q; filters: string }) => Promise<CsvExport>;
}) {
  return async function loader({ request, context }: LoaderFunctionArgs): Promise<Response> {
    const user = await requirePermission(request, spec.permission);
    const params = new URL(request.url).searchParams;
    const language = staffLanguage(user, request);
    const read = spec.read(params, user.timeZone, language);
    if (!read.ok) return badFiltersResponse(read.messages, language);
    const caller = staffCaller(user, request, context, null);
    const file = await spec.exportRows(caller, { query: read.query, filters: params.toString() });
    return csvExportResponse(`${spec.name}-${new Date().toISOString().slice(0, 10)}.csv`, file);
  };
}

/** A CSV export asked for with filters the screen would not accept: what is wrong, as text, in `language`. */
export function badFiltersResponse(messages: string[], language: Language = "en"): Response {
  return new Response(`${translator(language)("listTools.csv.badFilters")}\n${messages.join("\n")}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}
