// POST …/transactions/{transactionId}/internal-terminal: the card terminal for customer-service
// staff; 201 with its terminalUrl.
import { apiRoute } from "../http/api/route.server";
import { InternalTerminalBody } from "../http/api/schemas-terminals";
import { openTerminalHandler } from "../http/api/terminal-route.server";
import { createInternalTerminal } from "../services/terminals/card-terminal.server";

export const { loader, action } = apiRoute({ POST: openTerminalHandler(InternalTerminalBody, createInternalTerminal) });
