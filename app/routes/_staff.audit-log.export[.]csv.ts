// GET /audit-log/export.csv?<the audit log's query>: every entry the audit log shows for that URL
// (all pages), newest first, written by the database and streamed (decision 044). Admins only:
// the audit log is theirs to read, and the export is itself audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { staffLanguage } from "../i18n/language.server";
import { csvExportResponse } from "../http/staff/csv.server";
import { badFiltersResponse, readAuditLogQuery } from "../http/staff/list-screens.server";
import { staffCaller } from "../http/staff/action.server";
import { exportAuditLog } from "../services/admin/csv-export.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "audit:read");
  const params = new URL(request.url).searchParams;
  const language = staffLanguage(user, request);
  const read = readAuditLogQuery(params, language);
  if (!read.ok) return badFiltersResponse(read.messages, language);
  const caller = staffCaller(user, request, context, null);
  const file = await exportAuditLog(caller, { query: read.query, filters: params.toString() });
  return csvExportResponse(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`, file);
}
