// The forms of the Reconciliation screens (app/routes/_staff.reconciliation.*): marking a
// difference resolved (the reason, required, is added by the staff action); matching a settlement's
// lines missing in Paydesk again (the settlement is the screen's own, in its path). The upload is a
// streamed multipart body, read by app/http/staff/settlement-report-upload.server.ts.
import { z } from "zod";
import { id, says } from "../fields";

export const ResolveDifferenceForm = z.object({ differenceId: id(says("differenceId")) });

export const MatchAgainForm = z.object({});
