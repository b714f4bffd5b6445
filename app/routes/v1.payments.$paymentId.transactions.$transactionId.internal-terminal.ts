// POST …/transactions/{transactionId}/internal-terminal: the card terminal for customer-service
// staff; 201 with its terminalUrl.
import { parseBody, pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { InternalTerminalBody } from "../api/schemas-terminals";
import { createInternalTerminal } from "../services/terminals.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) =>
    json(
      await createInternalTerminal(
        caller,
        pathId(params, "paymentId"),
        pathId(params, "transactionId"),
        parseBody(InternalTerminalBody, body),
        url.origin,
      ),
      201,
    ),
});
