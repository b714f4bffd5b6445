// The product self-service routes' part of GET /v1/openapi.json, spread into `paths`
// by openapi.server.ts. Bodies are generated from the zod schemas that validate the requests
// (schemas-self-service.ts); shared headers and the Problem schema are $refs to the components
// openapi.server.ts declares. The customer is identified by Entur-Customer-Token (decision 009).
import type { z } from "zod";
import { CUSTOMER_TOKEN_HEADER } from "../../auth/customer-token.server";
import {
  ChangePaymentMethodBody,
  CustomerTokenBody,
  CustomerTokenResponse,
  PayInvoiceBody,
  PayInvoiceResponse,
  PaymentChangeResponse,
  PRODUCT_CODE_MAX,
  ProductPaymentMethodsResponse,
} from "./schemas-self-service";
import {
  headerParameters,
  inlineSchema,
  problemResponses,
  requestBody,
  successHeaders,
  type Json,
  COMMON_PROBLEMS,
  RESOURCE_BUSY,
} from "./openapi-parts";

const CUSTOMER_TOKEN: Json = {
  name: CUSTOMER_TOKEN_HEADER,
  in: "header",
  required: true,
  description:
    "The logged-in customer this call is for: a customer access token from POST /v1/customer-tokens, issued to this client. " +
    "Missing, unknown, expired, logged out or another client's: 401.",
  schema: { type: "string", pattern: "^pdc_[A-Za-z0-9_-]{43}$" },
};

const PRODUCT: Json = {
  name: "product",
  in: "path",
  required: true,
  description:
    "The product code (seed 004 calls it `product` on GET and `productCode` on POST); another customer's product answers 404",
  schema: { type: "string", minLength: 1, maxLength: PRODUCT_CODE_MAX },
};

const ERRORS: Record<number, string> = {
  ...COMMON_PROBLEMS,
  400: "Malformed input, each field named in `errors`: a length limit, an enum, a missing field, or a bad path product code",
  401: "Missing or unknown bearer token, or no logged-in customer (Entur-Customer-Token)",
  403: "Not allowed for this client (Entur-On-Behalf-Of, distribution channel)",
  404: "Not the customer's product or invoice (or another organisation's)",
  409: `The invoice is already paid, its payment was deactivated; ${RESOURCE_BUSY}`,
  422: "The client has no enabled payment method of that kind, or an Idempotency-Key reused with another request",
};

type Operation = {
  method: "get" | "post";
  operationId: string;
  summary: string;
  description: string;
  path?: Json;
  customer: boolean;
  body?: z.ZodType;
  status: number;
  response: z.ZodType;
  errors: number[];
};

const KEEP = { keepDateTimePattern: true };

/** Answers "OK" with the response; the request body, when there is one, precedes the responses. */
function operation(op: Operation): Record<string, Json> {
  const idempotent = op.method === "post";
  return {
    [op.method]: {
      operationId: op.operationId,
      summary: op.summary,
      description: op.description,
      tags: ["Product self-service"],
      parameters: [
        ...(op.path ? [op.path] : []),
        ...(op.customer ? [CUSTOMER_TOKEN] : []),
        ...headerParameters(idempotent),
      ],
      ...(op.body ? { requestBody: requestBody(inlineSchema(op.body, "input", KEEP), true) } : {}),
      responses: {
        [String(op.status)]: {
          description: "OK",
          headers: successHeaders({ idempotent }),
          content: { "application/json": { schema: inlineSchema(op.response, "output", KEEP) } },
        },
        ...problemResponses([400, 401, 403, 429, ...op.errors], ERRORS),
      },
    },
  };
}

const REDIRECT_RESULT =
  "The customer comes back to `returnUrl` with `result` (`finished`, `cancelled`, `failed`, `unknown`, `initiated`), or to `errorUrl` " +
  "with `error` (`invalid_request`, `not_found`, `system_error`). Both URLs must start with one of this client's allowed redirect prefixes; " +
  "otherwise the page refuses the link and redirects nowhere.";

export const SELF_SERVICE_PATHS: Record<string, Record<string, Json>> = {
  "/v1/product/payment/{product}": {
    ...operation({
      method: "get",
      operationId: "listProductPaymentMethods",
      summary: "List payment methods of a product",
      description:
        "For a logged-in customer: the product's current payment method (`current: true`, listed first) and every other possible one.",
      path: PRODUCT,
      customer: true,
      status: 200,
      response: ProductPaymentMethodsResponse,
      errors: [404],
    }),
    ...operation({
      method: "post",
      operationId: "changeProductPaymentMethod",
      summary: "Change payment method",
      description:
        "For a logged-in customer: registers the wish and answers `paymentChangeId`. Complete it by sending the customer to " +
        "`/paymentChange?clientId=…&returnUrl=…&errorUrl=…&paymentChangeId=…`, where they confirm with the provider; the product keeps its method until then. " +
        REDIRECT_RESULT +
        " Sandbox: a product whose code ends in `02` is refused by the provider (`result=failed`).",
      path: PRODUCT,
      customer: true,
      body: ChangePaymentMethodBody,
      status: 200,
      response: PaymentChangeResponse,
      errors: [404, 409, 413, 422],
    }),
  },
  "/v1/api/payment/invoice": operation({
    method: "post",
    operationId: "payInvoice",
    summary: "Pay invoice",
    description:
      "For a logged-in customer: a new attempt to pay one of their OPEN invoices (`invoiceNumber` ≤ 10, `productCode` ≤ 12, `companyCode` ≤ 12 characters). " +
      "A new attempt replaces (cancels) an earlier unpaid one. Complete it by sending the customer to " +
      "`/payment/invoice/pay?clientId=…&returnUrl=…&errorUrl=…&transactionId=…`; paying marks the invoice PAID with that transaction. " +
      REDIRECT_RESULT +
      " Sandbox: an amount ending in .02 is refused, .05 a soft decline (`result=failed`). An already paid invoice is 409.",
    customer: true,
    body: PayInvoiceBody,
    status: 200,
    response: PayInvoiceResponse,
    errors: [404, 409, 413, 422],
  }),
  "/v1/customer-tokens": operation({
    method: "post",
    operationId: "createCustomerToken",
    summary: "Exchange a customer's authorization code for a customer token",
    description:
      "Send the customer to `/account/authorize?clientId=…&redirectUri=…&state=…` (redirectUri: one of this client's allowed prefixes). " +
      "After they log in and allow it, they come back to redirectUri with `code` (one-time, 5 minutes). Exchange it here for a token " +
      `to send as ${CUSTOMER_TOKEN_HEADER}; it lasts 60 minutes at most and ends when the customer logs out or their session times out.`,
    customer: false,
    body: CustomerTokenBody,
    status: 201,
    response: CustomerTokenResponse,
    errors: [409, 413, 422],
  }),
};
