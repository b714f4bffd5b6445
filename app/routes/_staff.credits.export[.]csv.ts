// GET /credits/export.csv?<the credits list's query>: every credit the list shows for that URL
// (all pages), newest first, written by the database and streamed (decision 044).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { staffLanguage } from "../i18n/language.server";
import { csvExportResponse } from "../http/staff/csv.server";
import { badFiltersResponse, readCreditsQuery } from "../http/staff/list-screens.server";
import { staffCaller } from "../http/staff/action.server";
import { exportCredits } from "../services/admin/csv-export.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "export:csv");
  const params = new URL(request.url).searchParams;
  const language = staffLanguage(user, request);
  const read = readCreditsQuery(params, language);
  if (!read.ok) return badFiltersResponse(read.messages, language);
  const caller = staffCaller(user, request, context, null);
  const file = await exportCredits(caller, { query: read.query, filters: params.toString() });
  return csvExportResponse(`credits-${new Date().toISOString().slice(0, 10)}.csv`, file);
}
