// GET /audit-log/export.csv?<the audit log's query>: every entry the audit log shows for that URL
// (all pages), newest first, written by the database and streamed (decision 044). Admins only:
// the audit log is theirs to read, and the export is itself audited.
import { csvExportLoader, readAuditLogQuery } from "../http/staff/list-screens.server";
import { exportAuditLog } from "../services/admin/csv-export.server";

export const loader = csvExportLoader({
  permission: "audit:read",
  name: "audit-log",
  read: (params, _timeZone, language) => readAuditLogQuery(params, language),
  exportRows: exportAuditLog,
});
