// POST …/transactions/{transactionId}/terminal: opens the hosted card terminal (201 with its
// terminalUri), or with transactionType MIT_UCOF charges the transaction's stored card at once
// (201 without terminalUri; a decline is a 422 problem with errorReason).
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { TerminalBody } from "../http/api/schemas-terminals";
import { createTerminal } from "../services/terminals/card-terminal.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) =>
    json(
      await createTerminal(caller, {
        ...parseBody(TerminalBody, body),
        paymentId: pathId(params, "paymentId"),
        transactionId: pathId(params, "transactionId"),
        origin: url.origin,
      }),
      201,
    ),
});
