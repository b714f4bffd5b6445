// POST /v1/recurring-payments/{id}/terminal: the card page where the customer enters the card to
// store (201 with terminalUri; 15 minutes). Nothing is paid; authorize then makes it ACTIVE.
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { RecurringPaymentTerminalBody } from "../http/api/schemas-recurring";
import { publicOrigin } from "../http/hosted-page.server";
import { createRegistrationTerminal } from "../services/recurring/recurring-payments.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) =>
    json(
      await createRegistrationTerminal(caller, {
        ...parseBody(RecurringPaymentTerminalBody, body),
        recurringPaymentId: pathId(params, "recurringPaymentId"),
        origin: publicOrigin(url),
      }),
      201,
    ),
});
