// POST …/transactions/{transactionId}/terminal: opens the hosted card terminal (201 with its
// terminalUri), or with transactionType MIT_UCOF charges the transaction's stored card at once
// (201 without terminalUri; a decline is a 422 problem with errorReason).
import { apiRoute } from "../http/api/route.server";
import { TerminalBody } from "../http/api/schemas-terminals";
import { openTerminalHandler } from "../http/api/terminal-route.server";
import { createTerminal } from "../services/terminals/card-terminal.server";

export const { loader, action } = apiRoute({ POST: openTerminalHandler(TerminalBody, createTerminal) });
