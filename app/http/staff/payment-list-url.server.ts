// The payments list's URL, read once for the screen and for its CSV export, so that an export
// holds exactly the payments the screen counted:
//   status=CAPTURED&totalAmount=gte:100   the API's filters (PAYMENT_SEARCH_FIELDS, /v1 grammar)
//   q=628000567870                         the quick search (app/domain/quick-search.ts)
//   from=2026-11-01&to=2026-11-07          createdAt days in the staff user's time zone
//   sort=totalAmount&dir=asc               createdAt (default), totalAmount or paymentId; desc default
//   page=2&perPage=50                      the screen's page (the export ignores them)
//   older=… / newer=…                      with page: the next/previous link's keyset cursor (decision 058)
//   exactTotal=true                        count and sum every match, however many (the screen only)
//   volume=captured&volumeDay=2026-11-20…  the payments behind a volume figure (app/domain/volume-filter.ts)
import { recogniseQuickSearch } from "../../domain/quick-search";
import { readSort, type PaymentSort } from "../../domain/payment-sort";
import type { PaymentQuery } from "../../services/queries/payment-list.server";
import { PAYMENT_SEARCH_FIELDS } from "../../services/queries/payment-search.server";
import { readDayRange } from "../../domain/zoned-day-range";
import { readVolumeFilter, VOLUME_PARAMS } from "../../domain/volume-filter";
import type { Language } from "../../i18n/language";
import { readListFilters, saidIn } from "./list-query.server";

export const PAYMENT_LIST_PARAMS = [
  "q",
  "from",
  "to",
  "sort",
  "dir",
  "exactTotal",
  "older",
  "newer",
  ...VOLUME_PARAMS,
] as const;

export type PaymentListErrors = {
  /** By filter field, for the filter builder's rows. */
  filters: Record<string, string>;
  /** Unknown parameters. */
  other: string[];
  q?: string;
  range?: string;
};

export type PaymentListUrl =
  { ok: true; query: PaymentQuery; sort: PaymentSort } | { ok: false; errors: PaymentListErrors; sort: PaymentSort };

/** `language`: the reader's, for the filters' messages (the screen's, its CSV export's and its views'). */
export function readPaymentListUrl(
  params: URLSearchParams,
  timeZone: string,
  language: Language = "en",
): PaymentListUrl {
  const sort = readSort(params);
  const { filters, fieldErrors, otherErrors } = readListFilters(
    params,
    PAYMENT_SEARCH_FIELDS,
    PAYMENT_LIST_PARAMS,
    language,
  );
  const quick = recogniseQuickSearch(params.get("q"));
  const range = readDayRange(params, timeZone);
  const volume = readVolumeFilter(params);
  const errors: PaymentListErrors = {
    filters: fieldErrors,
    other: volume.ok ? otherErrors : [...otherErrors, saidIn(language, volume.message, volume.say)],
    ...(quick.ok ? {} : { q: saidIn(language, quick.message, quick.say) }),
    ...(range.ok ? {} : { range: saidIn(language, range.message, range.say) }),
  };
  if (!quick.ok || !range.ok || !volume.ok || Object.keys(fieldErrors).length > 0 || otherErrors.length > 0)
    return { ok: false, errors, sort };
  return {
    ok: true,
    query: { filters, quickSearch: quick.search, created: range.bounds, volume: volume.filter, sort },
    sort,
  };
}
