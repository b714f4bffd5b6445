// The forms of the Views menu on the list screens: save the current filters under a name, make
// a view the default (or not), delete one. One schema per intent.
import { z } from "zod";
import { checkbox, id, rawText, requiredText, says } from "../fields";

export const SaveViewForm = z.object({
  name: requiredText(60, { missing: says("viewName") }),
  // The screen's query string; the screen's own reader checks it (list-screens.server.ts).
  query: rawText(2000),
});

export const ViewIdForm = z.object({ viewId: id(says("noSuchView")) });

export const DefaultViewForm = z.object({
  viewId: id(says("noSuchView")),
  isDefault: checkbox(),
});
