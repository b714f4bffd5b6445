// CSV of the operations behind one settlement (?day= for one UTC day), as its drill-down lists
// them, every page, streamed a keyset page at a time. Times are UTC ISO 8601.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { isDay } from "../domain/day-range";
import { formatAmount, money } from "../domain/money";
import { csvResponse } from "../http/staff/csv.server";
import { badExport } from "../http/staff/settlement-filter.server";
import { staffCaller } from "../http/staff/action.server";
import { settlementOperationBatches } from "../services/queries/settlements.server";

const HEADER = [
  "settlementId",
  "createdAt",
  "operation",
  "amount",
  "currency",
  "paymentId",
  "transactionId",
  "paymentType",
  "paymentTypeGroup",
  "cardNumber",
  "orderId",
  "actor",
  "clientName",
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settlement:read");
  await requirePermission(request, "export:csv");
  const settlementId = params.settlementId ?? "";
  const day = new URL(request.url).searchParams.get("day")?.trim() || null;
  if (day !== null && !isDay(day)) return badExport([{ field: "day", message: "must be a day written as YYYY-MM-DD" }]);
  const caller = staffCaller(user, request, context, null);
  async function* rows() {
    for await (const batch of settlementOperationBatches(caller, { settlementId, day })) {
      yield batch.map((row) => [
        settlementId,
        row.createdAt.toISOString(),
        row.operation,
        formatAmount(money(row.amount)),
        row.currency,
        row.paymentId,
        row.transactionId,
        row.paymentType,
        row.paymentTypeGroup,
        row.cardNumber,
        row.orderId,
        row.actor,
        row.clientName,
      ]);
    }
  }
  return csvResponse(`settlement-${settlementId}${day ? `-${day}` : ""}.csv`, HEADER, rows());
}
