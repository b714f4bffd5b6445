// The payments export: every payment the staff payments list shows for a query (all pages), in
// the list's order, for the CSV download. Taking payments out of the system is audited.
import type { StaffCaller } from "../../domain/caller";
import { maskCardNumbers } from "../../domain/card-number";
import { auditStaffAction } from "../../platform/audit.server";
import { db } from "../../platform/db.server";
import {
  paymentExportBatches,
  resolvePaymentQuery,
  type PaymentExportRow,
  type PaymentQuery,
} from "../queries/payment-list.server";

/**
 * Resolves the query (its quick search looked up), records who exported which filters in the
 * audit log, and returns the rows a keyset batch at a time; nothing is read until the first
 * batch is asked for. `filters` is the list's query string as the user sent it, for the audit.
 * @throws nothing of its own: the query was parsed and checked by the list's URL reader
 */
export async function exportPayments(
  caller: StaffCaller,
  input: { query: PaymentQuery; filters: string },
): Promise<AsyncGenerator<PaymentExportRow[]>> {
  const resolved = await resolvePaymentQuery(caller, { query: input.query });
  // Who took which payments out of the system, and with which filters.
  await auditStaffAction(db(), caller, {
    action: "payment.export_csv",
    entityType: "payment",
    entityId: null,
    // The query as typed, except a card number someone searched for (the quick search takes anything).
    after: { query: maskCardNumbers(input.filters) },
  });
  return paymentExportBatches(caller, { resolved });
}
