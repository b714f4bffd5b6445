// CSV of the settlement days the settlements screen shows for the same filter (every page),
// streamed a keyset page at a time. Amounts are decimal strings with a dot, as in the API.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { staffLanguage } from "../i18n/language.server";
import { utcDay } from "../domain/day-range";
import { formatAmount, money } from "../domain/money";
import { csvResponse } from "../http/staff/csv.server";
import { badExport, readSettlementFilter } from "../http/staff/settlement-filter.server";
import { staffCaller } from "../http/staff/action.server";
import { settlementDayBatches } from "../services/queries/settlements.server";

const HEADER = [
  "settlementId",
  "day",
  "currency",
  "capturedAmount",
  "capturedCount",
  "creditedAmount",
  "creditedCount",
  "chargedBackAmount",
  "chargedBackCount",
  "netAmount",
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settlement:read");
  await requirePermission(request, "export:csv");
  const { state, errors } = readSettlementFilter(new URL(request.url).searchParams, utcDay(new Date()));
  // An export of something other than what was asked for would be worse than none.
  if (errors.length > 0) return badExport(errors, staffLanguage(user, request));
  const filter = {
    from: state.range.from,
    to: state.range.to,
    settlementId: state.settlementId,
    currency: state.currency,
  };
  const caller = staffCaller(user, request, context, null);
  async function* rows() {
    for await (const batch of settlementDayBatches(caller, filter)) {
      yield batch.map((row) => [
        row.settlementId,
        row.day,
        row.currency,
        formatAmount(money(row.captured)),
        row.capturedCount,
        formatAmount(money(row.credited)),
        row.creditedCount,
        formatAmount(money(row.chargedBack)),
        row.chargedBackCount,
        formatAmount(money(row.net)),
      ]);
    }
  }
  return csvResponse(`settlements-${filter.from}-${filter.to}.csv`, HEADER, rows());
}
