// POST …/transactions/{transactionId}/recurring-terminal: a terminal on which the customer
// confirms a charge of one of their stored cards (by panHash); 201 with its terminalUri.
import { apiRoute } from "../http/api/route.server";
import { RecurringTerminalBody } from "../http/api/schemas-terminals";
import { openTerminalHandler } from "../http/api/terminal-route.server";
import { createRecurringTerminal } from "../services/terminals/recurring-terminal.server";

export const { loader, action } = apiRoute({
  POST: openTerminalHandler(RecurringTerminalBody, createRecurringTerminal),
});
