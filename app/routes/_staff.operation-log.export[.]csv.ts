// GET /operation-log/export.csv?<the operation log's query>: every row the log shows for that URL
// (all pages), newest first, written by the database and streamed (decision 044).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { staffLanguage } from "../i18n/language.server";
import { csvExportResponse } from "../http/staff/csv.server";
import { badFiltersResponse, readOperationLogQuery } from "../http/staff/list-screens.server";
import { staffCaller } from "../http/staff/action.server";
import { exportOperationLog } from "../services/admin/csv-export.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "export:csv");
  const params = new URL(request.url).searchParams;
  const language = staffLanguage(user, request);
  const read = readOperationLogQuery(params, user.timeZone, language);
  if (!read.ok) return badFiltersResponse(read.messages, language);
  const caller = staffCaller(user, request, context, null);
  const file = await exportOperationLog(caller, { query: read.query, filters: params.toString() });
  return csvExportResponse(`operation-log-${new Date().toISOString().slice(0, 10)}.csv`, file);
}
