// The settlements screen's filter in its URL (range or from/to, settlementId, currency), read by
// the list and by its CSV exports, so that an export is exactly the set the table shows.
import { parseCurrencyParam, parseDayRange, rangeParams, type DayRange } from "../../domain/day-range";
import type { FieldError } from "../../domain/errors";
import { translator } from "../../i18n/i18n";
import type { Language } from "../../i18n/language";
import { fieldErrorsIn } from "./list-query.server";

/** Days are cheap here (rows are paginated), but a bound keeps a typo from scanning years. */
export const SETTLEMENT_MAX_DAYS = 366;

/** As the API accepts it (text of at most 100 characters). */
const SETTLEMENT_ID_MAX = 100;

export type SettlementFilterState = {
  range: DayRange;
  settlementId: string | null;
  currency: string | null;
};

export function readSettlementFilter(
  params: URLSearchParams,
  today: string,
): { state: SettlementFilterState; errors: FieldError[] } {
  const { range, errors } = parseDayRange(params, { today, defaultPreset: "30d", maxDays: SETTLEMENT_MAX_DAYS });
  const currency = parseCurrencyParam(params.get("currency"));
  if (currency.error) errors.push(currency.error);
  let settlementId = params.get("settlementId")?.trim() || null;
  if (settlementId !== null && settlementId.length > SETTLEMENT_ID_MAX) {
    errors.push({
      field: "settlementId",
      message: `must be at most ${SETTLEMENT_ID_MAX} characters`,
      say: { key: "errors.form.tooLong", values: { max: SETTLEMENT_ID_MAX } },
    });
    settlementId = null;
  }
  return { state: { range, settlementId, currency: currency.currency }, errors };
}

/** The query string of a filter (no page), e.g. for the CSV link. */
export function settlementFilterSearch(state: SettlementFilterState): string {
  const params = new URLSearchParams(rangeParams(state.range));
  if (state.settlementId !== null) params.set("settlementId", state.settlementId);
  if (state.currency !== null) params.set("currency", state.currency);
  return params.toString();
}

/** A CSV export asked with parameters it cannot use (exporting something else would mislead), in `language`. */
export function badExport(errors: readonly FieldError[], language: Language = "en"): Response {
  const problems = fieldErrorsIn(language, errors)
    .map((error) => `${error.field} ${error.message}`)
    .join("; ");
  return new Response(`${translator(language)("listTools.csv.nothingExported", { problems })}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}
