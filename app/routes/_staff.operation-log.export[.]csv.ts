// GET /operation-log/export.csv?<the operation log's query>: every row the log shows for that URL
// (all pages), newest first, written by the database and streamed (decision 044).
import { csvExportLoader, readOperationLogQuery } from "../http/staff/list-screens.server";
import { exportOperationLog } from "../services/admin/csv-export.server";

export const loader = csvExportLoader({
  permission: "export:csv",
  name: "operation-log",
  read: readOperationLogQuery,
  exportRows: exportOperationLog,
});
