// GET /credits/export.csv?<the credits list's query>: every credit the list shows for that URL
// (all pages), newest first, written by the database and streamed (decision 044).
import { csvExportLoader, readCreditsQuery } from "../http/staff/list-screens.server";
import { exportCredits } from "../services/admin/csv-export.server";

export const loader = csvExportLoader({
  permission: "export:csv",
  name: "credits",
  read: (params, _timeZone, language) => readCreditsQuery(params, language),
  exportRows: exportCredits,
});
