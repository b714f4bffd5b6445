// GET /payments/export.csv?<the payments list's query>: every payment the list shows for that
// URL (all pages), in the list's order, one row per payment with its transactions summed; the
// database writes the CSV and it is streamed as the client takes it (decision 044).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { staffLanguage } from "../i18n/language.server";
import { csvExportResponse } from "../http/staff/csv.server";
import { badFiltersResponse, readPaymentsQuery } from "../http/staff/list-screens.server";
import { staffCaller } from "../http/staff/action.server";
import { exportPayments } from "../services/admin/csv-export.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "export:csv");
  const params = new URL(request.url).searchParams;
  const language = staffLanguage(user, request);
  const read = readPaymentsQuery(params, user.timeZone, language);
  if (!read.ok) return badFiltersResponse(read.messages, language);
  const caller = staffCaller(user, request, context, null);
  const file = await exportPayments(caller, { query: read.query, filters: params.toString() });
  return csvExportResponse(`payments-${new Date().toISOString().slice(0, 10)}.csv`, file);
}
