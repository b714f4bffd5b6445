// The card terminal routes' part of GET /v1/openapi.json: complete path items, spread into the
// document's `paths` by openapi.server.ts. Request and response schemas are generated inline from
// the zod schemas that validate the requests (schemas-terminals.ts); parameters, headers and the
// Problem schema are $refs to the components openapi.server.ts declares.
import type { z } from "zod";
import {
  InternalTerminalBody,
  InternalTerminalResponse,
  RecurringTerminalBody,
  RecurringTerminalResponse,
  TerminalBody,
  TerminalResponse,
} from "./schemas-terminals";
import { transactionOperation, TRANSACTION_PATH, type Json, COMMON_PROBLEMS, RESOURCE_BUSY } from "./openapi-parts";

const ERRORS: Record<number, string> = {
  ...COMMON_PROBLEMS,
  400: "Malformed input (each field is named in `errors`), e.g. a redirectUrl that is not one of the client's allowed prefixes",
  403: "Not allowed for this client (Entur-On-Behalf-Of, distribution channel)",
  404: "Unknown payment or transaction, or another organisation's",
  409: `State conflict: the transaction is not CREATED or INITIATED, the payment is deactivated; ${RESOURCE_BUSY}`,
  422: "Business rule: not a PAYMENTCARD transaction, an unusable stored card, a declined charge (with `errorReason`), or an Idempotency-Key reused with another request",
};

/** A terminal route: POST with the body, answering 201 with the terminal. */
function post(spec: {
  operationId: string;
  summary: string;
  description: string;
  body: z.ZodType;
  response: z.ZodType;
  created: string;
  /** It asks the payment provider (MIT_UCOF charges a stored card at once). */
  provider?: boolean;
}): Record<string, Json> {
  const { response, created, ...rest } = spec;
  return {
    post: transactionOperation({ ...rest, success: { "201": { description: created, schema: response } } }, ERRORS),
  };
}

export const TERMINAL_PATHS: Record<string, Record<string, Json>> = {
  [`${TRANSACTION_PATH}/terminal`]: post({
    operationId: "createTerminal",
    provider: true,
    summary: "Create a card terminal (or charge a stored card: MIT_UCOF)",
    description:
      "For a PAYMENTCARD transaction in CREATED or INITIATED (a new terminal replaces the open one) of an active payment. " +
      "Sets the transaction INITIATED (INITIATE entry) and answers the `terminalUri` of the hosted card page, which expires after 15 minutes. " +
      "`redirectUrl` (and `callbackUrl`) must match `^(https?://).{0,1024}$`; `redirectUrl` must start with one of the client's allowed redirect prefixes (else 400). " +
      "On approval the customer is sent to `redirectUrl?paymentId=…&transactionId=…&responseCode=OK`; the transaction is AUTHORIZED (CAPTURED with `autoSale`). " +
      "`storePayment` with a customer (the payment's, or `customerNumber` from a privileged client) creates a recurring payment (`recurringPaymentId`) that becomes ACTIVE on approval. " +
      "`transactionType: MIT_UCOF` on a transaction created with an ACTIVE `recurringPaymentId` charges that card at once: 201 without `terminalUri`, " +
      "or a 422 problem with `errorReason` (`REFUSED_BY_ISSUER`, `SOFT_DECLINE`) that leaves the transaction as it was.",
    body: TerminalBody,
    response: TerminalResponse,
    created: "The terminal (or, for MIT_UCOF, the authorized charge)",
  }),
  [`${TRANSACTION_PATH}/recurring-terminal`]: post({
    operationId: "createRecurringTerminal",
    summary: "Create a terminal that charges a stored card",
    description:
      "`panHash` must be that of an ACTIVE, unexpired stored card of the payment's customer (else 422); it may be left out when the transaction was created " +
      "with a `recurringPaymentId`. `recurringType` is `R` or `S` (else 400). INITIATE entry; the customer confirms the charge on the page (no card entry), " +
      "which authorizes the transaction.",
    body: RecurringTerminalBody,
    response: RecurringTerminalResponse,
    created: "The terminal",
  }),
  [`${TRANSACTION_PATH}/internal-terminal`]: post({
    operationId: "createInternalTerminal",
    summary: "Create an internal card terminal (customer service)",
    description:
      "The same card page for staff who take the card details from the customer. Same rules as …/terminal for the transaction and `redirectUrl`; " +
      "answers `terminalUrl`.",
    body: InternalTerminalBody,
    response: InternalTerminalResponse,
    created: "The terminal",
  }),
};
