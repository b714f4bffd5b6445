// POST …/transactions/{transactionId}/recurring-terminal: a terminal on which the customer
// confirms a charge of one of their stored cards (by panHash); 201 with its terminalUri.
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { RecurringTerminalBody } from "../http/api/schemas-terminals";
import { createRecurringTerminal } from "../services/terminals/recurring-terminal.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) =>
    json(
      await createRecurringTerminal(caller, {
        ...parseBody(RecurringTerminalBody, body),
        paymentId: pathId(params, "paymentId"),
        transactionId: pathId(params, "transactionId"),
        origin: url.origin,
      }),
      201,
    ),
});
