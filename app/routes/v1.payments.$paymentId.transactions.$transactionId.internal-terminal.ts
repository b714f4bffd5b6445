// POST …/transactions/{transactionId}/internal-terminal: the card terminal for customer-service
// staff; 201 with its terminalUrl.
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { InternalTerminalBody } from "../http/api/schemas-terminals";
import { createInternalTerminal } from "../services/terminals/card-terminal.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) =>
    json(
      await createInternalTerminal(caller, {
        ...parseBody(InternalTerminalBody, body),
        paymentId: pathId(params, "paymentId"),
        transactionId: pathId(params, "transactionId"),
        origin: url.origin,
      }),
      201,
    ),
});
