// GET /payments/export.csv?<the payments list's query>: every payment the list shows for that
// URL (all pages), in the list's order, one row per payment with its transactions summed; the
// database writes the CSV and it is streamed as the client takes it (decision 044).
import { csvExportLoader, readPaymentsQuery } from "../http/staff/list-screens.server";
import { exportPayments } from "../services/admin/csv-export.server";

export const loader = csvExportLoader({
  permission: "export:csv",
  name: "payments",
  read: readPaymentsQuery,
  exportRows: exportPayments,
});
