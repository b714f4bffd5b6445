// The card terminal routes' part of GET /v1/openapi.json: complete path items, spread into the
// document's `paths` by openapi.server.ts. Request and response schemas are generated inline from
// the zod schemas that validate the requests (schemas-terminals.ts); parameters, headers and the
// Problem schema are $refs to the components openapi.server.ts declares.
import { z } from "zod";
import {
  InternalTerminalBody,
  InternalTerminalResponse,
  RecurringTerminalBody,
  RecurringTerminalResponse,
  TerminalBody,
  TerminalResponse,
} from "./schemas-terminals";
import { problemResponse } from "./openapi-parts";

type Json = Record<string, unknown>;

const TRANSACTION = "/v1/payments/{paymentId}/transactions/{transactionId}";

export function inlineSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const generated = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Json;
      if ("example" in node) {
        node.examples = [node.example];
        delete node.example;
      }
    },
  }) as Json;
  const { $schema: _schema, ...rest } = generated;
  return rest;
}

const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

const ERRORS: Record<number, string> = {
  400: "Malformed input (each field is named in `errors`), e.g. a redirectUrl that is not one of the client's allowed prefixes",
  401: "Missing or unknown bearer token",
  403: "Not allowed for this client (Entur-On-Behalf-Of, distribution channel)",
  404: "Unknown payment or transaction, or another organisation's",
  409: "State conflict: the transaction is not CREATED or INITIATED, the payment is deactivated, or an Idempotency-Key is still in progress",
  413: "Request body larger than 1 MiB",
  422: "Business rule: not a PAYMENTCARD transaction, an unusable stored card, a declined charge (with `errorReason`), or an Idempotency-Key reused with another request",
  429: "Rate limited; see Retry-After",
};

const problem = (status: number): Json => problemResponse(status, ERRORS[status]);

function post(operation: {
  operationId: string;
  summary: string;
  description: string;
  body: z.ZodType;
  response: z.ZodType;
  created: string;
}): Record<string, Json> {
  const responses: Json = {
    "201": {
      description: operation.created,
      headers: { "X-Correlation-Id": header("XCorrelationId"), "Idempotent-Replayed": header("IdempotentReplayed") },
      content: { "application/json": { schema: inlineSchema(operation.response, "output") } },
    },
  };
  for (const status of [400, 401, 403, 404, 409, 413, 422, 429]) responses[String(status)] = problem(status);
  return {
    post: {
      operationId: operation.operationId,
      summary: operation.summary,
      description: operation.description,
      tags: ["Transactions"],
      parameters: [
        param("paymentId"),
        param("transactionId"),
        param("ETClientName"),
        param("XCorrelationId"),
        param("EnturPOS"),
        param("EnturDistributionChannel"),
        param("EnturOnBehalfOf"),
        param("IdempotencyKey"),
      ],
      requestBody: {
        required: true,
        content: { "application/json": { schema: inlineSchema(operation.body, "input") } },
      },
      responses,
    },
  };
}

export const TERMINAL_PATHS: Record<string, Record<string, Json>> = {
  [`${TRANSACTION}/terminal`]: post({
    operationId: "createTerminal",
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
  [`${TRANSACTION}/recurring-terminal`]: post({
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
  [`${TRANSACTION}/internal-terminal`]: post({
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
