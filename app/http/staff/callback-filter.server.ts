// The Callbacks list's URL as a filter: the /v1 grammar for the fields (client, state,
// transaction, correlation id, …) plus the day range in the staff user's time zone, read the same
// way by the list's loader and by its "resend the filtered set" action.
import { readDayRange } from "../../domain/zoned-day-range";
import { CALLBACK_STAFF_FIELDS, type CallbackFilter } from "../../services/queries/callbacks.server";
import type { Language } from "../../i18n/language";
import { readListFilters, saidIn } from "./list-query.server";

/** The list's own parameters besides the filters: the day range and the keyset cursor. */
export const CALLBACK_LIST_PARAMS = ["from", "to", "older", "newer"] as const;

export type CallbackFilterOutcome =
  | { ok: true; filter: CallbackFilter; describedAs: string }
  | { ok: false; errors: { filters: Record<string, string>; other: string[]; range?: string } };

/** `language`: the reader's, for the errors (the list's and its resend form's). */
export function readCallbackFilter(
  params: URLSearchParams,
  timeZone: string,
  language: Language = "en",
): CallbackFilterOutcome {
  const { filters, fieldErrors, otherErrors } = readListFilters(
    params,
    CALLBACK_STAFF_FIELDS,
    CALLBACK_LIST_PARAMS,
    language,
  );
  const range = readDayRange(params, timeZone);
  if (!range.ok || Object.keys(fieldErrors).length > 0 || otherErrors.length > 0) {
    return {
      ok: false,
      errors: {
        filters: fieldErrors,
        other: otherErrors,
        range: range.ok ? undefined : saidIn(language, range.message, range.say),
      },
    };
  }
  // What the audit entry says was filtered: the URL's filters, without paging.
  const described = new URLSearchParams(params);
  for (const name of ["older", "newer", "perPage", "page", "index", "exactTotal"]) described.delete(name);
  if (described.get("from") || described.get("to")) described.set("timeZone", timeZone);
  return { ok: true, filter: { filters, created: range.bounds }, describedAs: described.toString() || "(no filter)" };
}
