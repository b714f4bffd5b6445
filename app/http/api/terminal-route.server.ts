// The card terminals a client opens on a transaction (…/terminal, …/internal-terminal,
// …/recurring-terminal) take their request alike: the body, the path's two ids and the origin
// the terminal's address is built on go to the use-case, which answers 201 with the terminal.
import type { z } from "zod";
import type { ClientCaller } from "../../domain/caller";
import { parseBody, transactionPath } from "./parse.server";
import { json, type ApiHandler } from "./route.server";

type TerminalInput<Body extends z.ZodType<object>> = z.output<Body> & {
  paymentId: number;
  transactionId: number;
  origin: string;
};

/** The POST handler of a terminal route: `schema` validates the body, `open` opens the terminal. */
export function openTerminalHandler<Body extends z.ZodType<object>>(
  schema: Body,
  open: (caller: ClientCaller, input: TerminalInput<Body>) => Promise<unknown>,
): ApiHandler {
  return async ({ params, caller, body, url }) =>
    json(await open(caller, { ...parseBody(schema, body), ...transactionPath(params), origin: url.origin }), 201);
}
