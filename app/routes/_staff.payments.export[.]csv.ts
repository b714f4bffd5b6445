// GET /payments/export.csv?<the payments list's query>: every payment the list shows for that
// URL (all pages), in the list's order, streamed as CSV in keyset batches. One row per payment,
// so the file has exactly the screen's total; transactions are summed into columns.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { formatAmount, money } from "../domain/money";
import { csvResponse, type CsvCell } from "../http/staff/csv.server";
import { readPaymentListUrl } from "../http/staff/payment-list-url.server";
import { staffCaller } from "../http/staff/action.server";
import { exportPayments } from "../services/admin/payment-export.server";
import type { PaymentExportRow } from "../services/queries/payment-list.server";

const COLUMNS: ReadonlyArray<[header: string, cell: (row: PaymentExportRow) => CsvCell]> = [
  ["paymentId", (row) => row.paymentId],
  ["createdAt", (row) => row.createdAt.toISOString()],
  ["orderId", (row) => row.orderId],
  ["orderVersion", (row) => row.orderVersion],
  ["organisationId", (row) => row.organisationId],
  ["organisationName", (row) => row.organisationName],
  ["customerNumber", (row) => row.customerNumber],
  ["currency", (row) => row.currency],
  ["totalAmount", (row) => formatAmount(money(row.totalAmount))],
  ["active", (row) => row.active],
  ["settlementId", (row) => row.settlementId],
  ["transactionCount", (row) => row.transactionCount],
  ["statuses", (row) => row.statuses],
  ["paymentTypes", (row) => row.paymentTypes],
  ["cardNumbers", (row) => row.cardNumbers],
  ["rrns", (row) => row.rrns],
  ["authorizedAmount", (row) => formatAmount(money(row.authorizedAmount))],
  ["capturedAmount", (row) => formatAmount(money(row.capturedAmount))],
  ["creditedAmount", (row) => formatAmount(money(row.creditedAmount))],
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "export:csv");
  const params = new URL(request.url).searchParams;
  const url = readPaymentListUrl(params, user.timeZone);
  if (!url.ok) {
    const messages = [
      ...Object.entries(url.errors.filters).map(([field, message]) => `${field} ${message}`),
      ...url.errors.other,
      ...(url.errors.q ? [`q ${url.errors.q}`] : []),
      ...(url.errors.range ? [url.errors.range] : []),
    ];
    return new Response(`The export's filters are not valid:\n${messages.join("\n")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const caller = staffCaller(user, request, context, null);
  const batches = await exportPayments(caller, { query: url.query, filters: params.toString() });
  async function* lines() {
    for await (const batch of batches) yield batch.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  }
  const day = new Date().toISOString().slice(0, 10);
  return csvResponse(
    `payments-${day}.csv`,
    COLUMNS.map(([header]) => header),
    lines(),
  );
}
