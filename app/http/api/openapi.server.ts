// GET /v1/openapi.json: the OpenAPI 3.1 description of /v1, generated from the same zod schemas
// that validate requests (app/http/api/schemas.ts, with z.toJSONSchema's input side, so transforms
// show what a client sends), the search fields the routes parse (PAYMENT_SEARCH_FIELDS,
// CREDIT_SEARCH_FIELDS) and the response schemas (app/http/api/response-schemas.ts). It is built once
// per process, on first request, and kept in a module variable.
//
// A new route file under app/routes/v1.*.ts must be added to ROUTES below; the integration test
// tests/integration/api-openapi.test.ts fails until it is.
import { z } from "zod";
import { AMOUNT_PATTERN } from "../../domain/money";
import { DEFAULT_PER_PAGE, EXACT_COUNT_CAP, MAX_PER_PAGE, OPERATORS, type FieldSpec } from "../../domain/search-filter";
import { CALLBACK_API_FIELDS } from "../../services/queries/callbacks.server";
import { CREDIT_SEARCH_FIELDS } from "../../services/queries/credit-search.server";
import { PAYMENT_METHOD_FILTERS } from "../../services/admin/payment-methods.server";
import { PAYMENT_SEARCH_FIELDS } from "../../services/queries/payment-search.server";
import {
  Credit,
  CreditPage,
  CreditTransaction,
  OperationLogEntry,
  Payment,
  PaymentMethod,
  PaymentPage,
  Problem,
  Transaction,
  TransactionSummary,
  ImportData,
} from "./response-schemas";
import {
  AuthorizeBody,
  CREDIT_READ_ONLY_FIELDS,
  CreateCreditBody,
  CreatePaymentBody,
  CreditLineBody,
  CreditPatchBody,
  CreditTransactionBody,
  ImportBody,
  NewTransactionBody,
  PAYMENT_READ_ONLY_FIELDS,
  PaymentPatchBody,
} from "./schemas";
import { Callback, CallbackAttempt, CallbackPage } from "./schemas-callbacks";
import { mobilePathItems } from "./openapi-mobile";
import { TERMINAL_PATHS } from "./openapi-terminals";
import { SELF_SERVICE_PATHS } from "./openapi-self-service";
import { RECURRING_PATHS } from "./openapi-recurring";
import {
  componentRef,
  operation,
  pathIdParameter,
  tidySchemaNode,
  type Json,
  type Method,
  COMMON_PROBLEMS,
  RESOURCE_BUSY,
} from "./openapi-parts";

// ------------------------------------------------------------------------------ components

const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  CreatePaymentRequest: CreatePaymentBody,
  NewTransactionRequest: NewTransactionBody,
  PaymentPatchRequest: PaymentPatchBody,
  AuthorizeRequest: AuthorizeBody,
  CreditTransactionRequest: CreditTransactionBody,
  ImportRequest: ImportBody,
  CreateCreditRequest: CreateCreditBody,
  CreditLineRequest: CreditLineBody,
  CreditPatchRequest: CreditPatchBody,
};

const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  Payment,
  Transaction,
  TransactionSummary,
  OperationLogEntry,
  ImportData,
  PaymentMethod,
  PaymentPage,
  Credit,
  CreditTransaction,
  CreditPage,
  Callback,
  CallbackAttempt,
  CallbackPage,
  Problem,
};

const ref = (name: string) => componentRef("schemas", name);

/** Turns one registry of named zod schemas into components/schemas entries. */
function componentSchemas(schemas: Record<string, z.ZodType>, io: "input" | "output"): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io,
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => tidySchemaNode(jsonSchema as Json),
  });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(generated)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

const HEADER_PARAMETERS: Record<string, Json> = {
  ETClientName: {
    name: "ET-Client-Name",
    in: "header",
    required: true,
    description:
      "Who calls: `<company>-<application>`. Recorded on operation-log entries. Missing or blank, or carrying a card number: 400.",
    schema: { type: "string", minLength: 1, maxLength: 200, examples: ["entur-webshop"] },
  },
  XCorrelationId: {
    name: "X-Correlation-Id",
    in: "header",
    required: false,
    description:
      "Echoed on the response and stored on every operation-log and audit row; a UUID is generated when absent, not a token of 1–128 `[A-Za-z0-9._:-]`, or carrying a card number.",
    schema: { type: "string", pattern: "^[A-Za-z0-9._:\\-]{1,128}$" },
  },
  EnturPOS: {
    name: "Entur-POS",
    in: "header",
    required: false,
    description:
      "Point of sale; recorded on operation-log entries (at most 200 characters are kept). Carrying a card number: 400.",
    schema: { type: "string" },
  },
  EnturDistributionChannel: {
    name: "Entur-Distribution-Channel",
    in: "header",
    required: false,
    description:
      "Distribution channel; must be one of the client's channels (else 403). Recorded on operation-log entries and filters GET /v1/payment-methods.",
    schema: { type: "string" },
  },
  EnturOnBehalfOf: {
    name: "Entur-On-Behalf-Of",
    in: "header",
    required: false,
    description: "Organisation id to act for; only for clients allowed to (otherwise 403).",
    schema: { type: "string", pattern: "^[1-9][0-9]{0,8}$" },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "Same key and same request within 24 h replays the stored status and body (with `Idempotent-Replayed: true`); same key with another request is 422; while the first is still running, 409. Scoped to the client.",
    schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
  },
};

const RESPONSE_HEADERS: Record<string, Json> = {
  XCorrelationId: {
    description: "The request's correlation id, or the one generated for it",
    schema: { type: "string" },
  },
  Location: { description: "Path of the created resource", schema: { type: "string" } },
  RetryAfter: { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } },
  WWWAuthenticate: { description: "The bearer challenge", schema: { type: "string" } },
  IdempotentReplayed: {
    description: "`true` when this is a stored response replayed for a repeated Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
};

/** The four-eyes rule as a client meets it (app/domain/four-eyes.ts, docs/decisions/026). */
const FOUR_EYES_RULE =
  "Four-eyes rule: a credit above the threshold of its currency (10 000 NOK unless an admin set others; every credit in a currency " +
  "without one) that a staff user created is executed only by another staff user, never through the API; one that an API client " +
  "created is executed through the API only by a privileged client, else by a staff user. Otherwise: 403 with " +
  "`errorReason: FOUR_EYES_REQUIRED`, and nothing is executed.";

/** What a route that creates and executes a credit answers when the four-eyes rule holds it back. */
const FOUR_EYES_WAIT =
  "When the credit is above the four-eyes threshold and the client is not privileged, it is created and reserves the amount " +
  "but is not executed: 202 with `Location` of the credit, which a staff user executes.";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  ...COMMON_PROBLEMS,
  400: "Malformed input: a body, query or header field is invalid (each is named in `errors`)",
  403: "Not allowed for this client (Entur-On-Behalf-Of, distribution channel, privileged operation)",
  404: "Unknown id, or another organisation's",
  405: "Method not supported on this path",
  409: `State conflict: wrong transaction state, inactive payment, concurrent change; ${RESOURCE_BUSY}`,
  422: "Well-formed but breaks a business rule, or an Idempotency-Key reused with another request",
};

// ------------------------------------------------------------------------------ query parameters

const ORDERED = new Set(["integer", "amount", "timestamp", "string"]);

function valueGrammar(spec: FieldSpec): { type: string; pattern?: string } {
  const strip = (source: string) => source.replace(/^\^/, "").replace(/\$$/, "");
  switch (spec.type) {
    case "integer":
      return { type: "whole number", pattern: "-?[0-9]{1,15}" };
    case "amount":
      return { type: "decimal amount", pattern: strip(AMOUNT_PATTERN.source) };
    case "currency":
      return { type: "ISO 4217 currency code", pattern: "[A-Z]{3}" };
    case "boolean":
      return { type: "true or false", pattern: "true|false" };
    case "enum":
      return { type: `one of ${spec.values?.join(", ")}`, pattern: (spec.values ?? []).join("|") };
    case "timestamp":
      return { type: "ISO 8601 date or time (no offset means UTC)" };
    case "string":
      return spec.pattern
        ? { type: `text that ${spec.patternMessage ?? "matches the pattern"}`, pattern: strip(spec.pattern.source) }
        : { type: "text of at most 200 characters" };
  }
}

/** A search filter: `op:value` strings, repeatable (eq values OR-ed, other operators AND-ed). */
function filterParameter(name: string, spec: FieldSpec): Json {
  const ops = ORDERED.has(spec.type) ? [...OPERATORS] : ["eq", "ne"];
  const grammar = valueGrammar(spec);
  const item: Json = { type: "string", minLength: 1 };
  if (grammar.pattern) item.pattern = `^(?:(?:${ops.join("|")}):)?(?:${grammar.pattern})$`;
  return {
    name,
    in: "query",
    required: false,
    style: "form",
    explode: true,
    description:
      `Filter on \`${name}\` (${grammar.type}). Each value is \`op:value\` with \`op\` in ${ops.map((o) => `\`${o}\``).join(" ")}; ` +
      "no prefix means `eq` (a value that itself starts with two or three letters and a colon needs an explicit `eq:`). " +
      "The parameter may repeat: its `eq` values are OR-ed (IN), every other operator is AND-ed " +
      (ORDERED.has(spec.type) ? `(\`${name}=gte:…&${name}=lt:…\`). ` : `(\`${name}=a&${name}=b\` matches either). `) +
      `An unknown operator or a value of the wrong type is a 400 naming \`${name}\`.`,
    schema: { type: "array", items: item },
  };
}

/** A filter parameter for each search field a route parses. */
const filterParameters = (fields: Record<string, FieldSpec>): Json[] =>
  Object.entries(fields).map(([name, spec]) => filterParameter(name, spec));

const PAGING_PARAMETERS: Json[] = [
  {
    name: "page",
    in: "query",
    required: false,
    description: "1-based page number",
    schema: { type: "integer", minimum: 1, maximum: 999_999_999, default: 1 },
  },
  {
    name: "perPage",
    in: "query",
    required: false,
    description: `Items per page (at most ${MAX_PER_PAGE})`,
    schema: { type: "integer", minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE },
  },
];

/** GET /v1/payments and GET /v1/callbacks cap their count (docs/decisions/029-bounded-counts-and-read-paths.md). */
const EXACT_TOTAL_PARAMETER: Json = {
  name: "exactTotal",
  in: "query",
  required: false,
  description:
    `Without it (or false) \`totalItems\` is exact up to ${EXACT_COUNT_CAP.toLocaleString("en")} matches and the database's estimate above ` +
    "that (`totalItemsEstimated: true`). `true` counts every match exactly, which on a broad search over millions of payments takes seconds.",
  schema: { type: "boolean", default: false },
};

/** GET /v1/payments also pages by keyset (docs/decisions/058-keyset-pages-for-payments.md). */
const AFTER_PARAMETER: Json = {
  name: "after",
  in: "query",
  required: false,
  description:
    "The `nextCursor` of the previous page: this page holds the payments strictly after that one in the list's order " +
    "(`createdAt` descending, then id), read from where the index left off however deep the page is, so walking a long " +
    "list costs the same per page and never skips or repeats a payment when payments are added meanwhile. The cursor is " +
    "opaque: pass it back as it came. With `after`, `page` is not used to find the rows; it is only echoed back as the " +
    "client's own count of pages (send the number you are at, or leave it out). The filters, `perPage` and `exactTotal` " +
    "must be those of the page the cursor came from. A malformed cursor is a 400 naming `after`.",
  schema: { type: "string", example: "2026-11-21T10:15:30.123Z_4711" },
};

/** How a search with a capped count (EXACT_TOTAL_PARAMETER) ends its description. */
const CAPPED_COUNT_NOTE =
  "An unknown parameter is a 400 naming it. `totalItems` is exact up to " +
  `${EXACT_COUNT_CAP.toLocaleString("en")} matches and an estimate above that, flagged by \`totalItemsEstimated\`; \`exactTotal=true\` asks for the exact count.`;

/** The query of a search with a capped count: its filters, the paging and exactTotal. */
const cappedSearchQuery = (fields: Record<string, FieldSpec>): Json[] => [
  ...filterParameters(fields),
  ...PAGING_PARAMETERS,
  EXACT_TOTAL_PARAMETER,
];

// ------------------------------------------------------------------------------ routes

type Operation = {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  query?: Json[];
  body?: { schema: string; required: boolean; mergePatch?: boolean };
  success: { status: number; description: string; schema?: Json; location?: boolean };
  alsoSuccess?: { status: number; description: string; schema?: Json; location?: boolean };
  errors: number[];
  problems?: Record<number, string>;
  /** It asks the payment provider (503 PROVIDER_UNAVAILABLE). */
  provider?: boolean;
};

const PAYMENT = "/v1/payments/{paymentId}";
const TRANSACTION = `${PAYMENT}/transactions/{transactionId}`;

const ROUTES: Operation[] = [
  {
    method: "get",
    path: "/v1/payments",
    operationId: "searchPayments",
    summary: "Search payments",
    description:
      "Payments of the caller's organisation, newest first (`createdAt` descending, then id). Transaction-level filters " +
      "(`cardNumber externalTransactionId paymentTransactionId paymentType paymentTypeGroup rrn status`) match payments having such a transaction. " +
      "Page by `page`, or walk the list by passing each page's `nextCursor` as `after` (faster on deep pages; null on the last page). " +
      CAPPED_COUNT_NOTE,
    tags: ["Payments"],
    query: [...cappedSearchQuery(PAYMENT_SEARCH_FIELDS), AFTER_PARAMETER],
    success: { status: 200, description: "A page of payments", schema: ref("PaymentPage") },
    errors: [400],
  },
  {
    method: "post",
    path: "/v1/payments",
    operationId: "createPayment",
    summary: "Create a payment",
    description:
      "Optionally with its first `transaction`, whose `amount` (when given) must equal `totalAmount`. " +
      "A second payment for the same organisation, `orderId` and `orderVersion` is 409. `customerNumber` is honoured only for privileged clients.",
    tags: ["Payments"],
    body: { schema: "CreatePaymentRequest", required: true },
    success: { status: 201, description: "The created payment", schema: ref("Payment"), location: true },
    errors: [400, 409, 413, 422],
  },
  {
    method: "get",
    path: PAYMENT,
    operationId: "getPayment",
    summary: "Get a payment with all its transactions",
    tags: ["Payments"],
    success: { status: 200, description: "The payment", schema: ref("Payment") },
    errors: [400, 404],
  },
  {
    method: "patch",
    path: PAYMENT,
    operationId: "updatePayment",
    summary: "Change a payment (JSON merge patch)",
    description:
      "Editable: `totalAmount`, `active` (only `true`: reactivation, which needs the correct `totalAmount` in the same patch), " +
      "`settlementId` (null removes it). A non-editable field " +
      `(${PAYMENT_READ_ONLY_FIELDS.map((f) => `\`${f}\``).join(", ")}) or an unknown one is a 400 naming it.`,
    tags: ["Payments"],
    body: { schema: "PaymentPatchRequest", required: true, mergePatch: true },
    success: { status: 200, description: "The changed payment", schema: ref("Payment") },
    errors: [400, 404, 409, 413, 422],
  },
  {
    method: "put",
    path: `${PAYMENT}/deactivate`,
    operationId: "deactivatePayment",
    provider: true,
    summary: "Deactivate a payment",
    description:
      "Sets `active=false`: captured non-imported transactions are credited in full, every CREATED/INITIATED/AUTHORIZED transaction cancelled; " +
      "imported ones stay for the client to credit. " +
      FOUR_EYES_WAIT,
    tags: ["Payments"],
    success: { status: 200, description: "The deactivated payment", schema: ref("Payment") },
    alsoSuccess: {
      status: 202,
      description:
        "The deactivated payment; its credit is created and reserves the amount, but waits for a staff user (four-eyes rule). `Location`: the credit",
      schema: ref("Payment"),
      location: true,
    },
    errors: [400, 404, 409, 422],
  },
  {
    method: "post",
    path: `${PAYMENT}/transactions`,
    operationId: "addTransaction",
    summary: "Add a transaction to a payment",
    description:
      "A payment method (`paymentType`/`paymentTypeGroup`, enabled for the client and channel, else 422), or `recurringPaymentId`, " +
      "`paymentAgreementId` or `createAgreement`; the mutually exclusive ones together are 400. Non-cancelled transaction amounts may " +
      "never exceed the payment's `totalAmount` (422).",
    tags: ["Transactions"],
    body: { schema: "NewTransactionRequest", required: true },
    success: { status: 201, description: "The created transaction", schema: ref("Transaction"), location: true },
    errors: [400, 404, 409, 413, 422],
  },
  {
    method: "get",
    path: TRANSACTION,
    operationId: "getTransaction",
    summary: "Get one transaction with its operation log",
    tags: ["Transactions"],
    success: { status: 200, description: "The transaction", schema: ref("Transaction") },
    errors: [400, 404],
  },
  {
    method: "put",
    path: `${TRANSACTION}/cancel`,
    operationId: "cancelTransaction",
    provider: true,
    summary: "Cancel a transaction",
    description: "From CREATED, INITIATED or AUTHORIZED; a CAPTURED transaction is 409 (credit it instead).",
    tags: ["Transactions"],
    success: { status: 200, description: "The cancelled transaction", schema: ref("Transaction") },
    errors: [400, 404, 409],
  },
  {
    method: "put",
    path: `${TRANSACTION}/capture`,
    operationId: "captureTransaction",
    provider: true,
    summary: "Capture a transaction",
    description:
      "From AUTHORIZED (a CASH transaction also from CREATED); a second capture is 409. Answers with the whole payment.",
    tags: ["Transactions"],
    success: { status: 200, description: "The payment with the captured transaction", schema: ref("Payment") },
    errors: [400, 404, 409, 422],
  },
  {
    method: "post",
    path: `${TRANSACTION}/authorize`,
    operationId: "authorizeTransaction",
    provider: true,
    summary: "Pre-authorize, increment or reduce the authorized amount",
    description:
      "`totalAmount`: pre-authorization, then incremental (only right after a pre-auth or increment) or reductional " +
      "(once; afterwards the amount is frozen). A decline is a problem with `errorReason`.",
    tags: ["Transactions"],
    body: { schema: "AuthorizeRequest", required: true },
    success: { status: 200, description: "The authorized transaction", schema: ref("Transaction") },
    errors: [400, 404, 409, 413, 422],
  },
  {
    method: "post",
    path: `${TRANSACTION}/import`,
    operationId: "importTransaction",
    summary: "Import a transaction settled elsewhere (privileged clients)",
    description:
      "Only for `isImport` transactions in CREATED. PAYMENTCARD needs `rrn`, `terminalId`, `paymentType` (issuer name); " +
      "ECARD needs `companyId` and `mediaSerialNumberId`; `rrn`+`terminalId` are unique. Ends CAPTURED with an IMPORT entry.",
    tags: ["Transactions"],
    body: { schema: "ImportRequest", required: true },
    success: { status: 201, description: "The imported transaction", schema: ref("Transaction") },
    errors: [400, 403, 404, 409, 413, 422],
  },
  {
    method: "post",
    path: `${TRANSACTION}/credit`,
    operationId: "creditTransaction",
    provider: true,
    summary: "Credit one transaction directly",
    description:
      "`amount` is optional and defaults to everything creditable. The route for imported transactions. " +
      FOUR_EYES_WAIT,
    tags: ["Transactions"],
    body: { schema: "CreditTransactionRequest", required: false },
    success: { status: 201, description: "The payment with the credited transaction", schema: ref("Payment") },
    alsoSuccess: {
      status: 202,
      description:
        "The payment; the credit is created and reserves the amount, but waits for a staff user (four-eyes rule). `Location`: the credit",
      schema: ref("Payment"),
      location: true,
    },
    errors: [400, 404, 409, 413, 422],
  },
  {
    method: "get",
    path: "/v1/credits",
    operationId: "searchCredits",
    summary: "Search credits",
    description:
      "Credits of the caller's organisation, newest first. Credit-transaction filters (`reimbursementMethod reimbursementTypeGroup rrn transactionId`) " +
      "match credits having such a credit transaction. An unknown parameter is a 400 naming it.",
    tags: ["Credits"],
    query: [...filterParameters(CREDIT_SEARCH_FIELDS), ...PAGING_PARAMETERS],
    success: { status: 200, description: "A page of credits", schema: ref("CreditPage") },
    errors: [400],
  },
  {
    method: "post",
    path: "/v1/credits",
    operationId: "createCredit",
    summary: "Create a credit",
    description:
      "Reserves each line's amount on its transaction. `totalCreditAmount` must equal the sum of `creditTransactions` (422); each line at most " +
      "its transaction's `creditableAmount` (422). `customerNumber` is honoured only for privileged clients.",
    tags: ["Credits"],
    body: { schema: "CreateCreditRequest", required: true },
    success: { status: 201, description: "The created credit", schema: ref("Credit"), location: true },
    errors: [400, 404, 409, 413, 422],
  },
  {
    method: "get",
    path: "/v1/credits/{creditId}",
    operationId: "getCredit",
    summary: "Get a credit with its credit transactions",
    tags: ["Credits"],
    success: { status: 200, description: "The credit", schema: ref("Credit") },
    errors: [400, 404],
  },
  {
    method: "patch",
    path: "/v1/credits/{creditId}",
    operationId: "updateCredit",
    summary: "Change a credit (JSON merge patch)",
    description:
      "Only while the credit is CREATED and active. `creditTransactions` and `totalCreditAmount` are replaced together; `active` may only " +
      "become `false` (releases the reservations); `settlementId` null removes it. A non-editable field " +
      `(${CREDIT_READ_ONLY_FIELDS.map((f) => `\`${f}\``).join(", ")}) or an unknown one is a 400 naming it.`,
    tags: ["Credits"],
    body: { schema: "CreditPatchRequest", required: true, mergePatch: true },
    success: { status: 200, description: "The changed credit", schema: ref("Credit") },
    errors: [400, 404, 409, 413, 422],
  },
  {
    method: "put",
    path: "/v1/credits/{creditId}/execute",
    operationId: "executeCredit",
    provider: true,
    summary: "Execute a credit",
    description:
      "Executes the credit transactions one after the other; idempotent (no credit transaction is ever executed twice). " +
      "On a failure answers that transaction's problem (with `errorReason`) and keeps what succeeded. " +
      FOUR_EYES_RULE,
    tags: ["Credits"],
    success: { status: 200, description: "The credit", schema: ref("Credit") },
    errors: [400, 404, 409, 422],
    problems: {
      403: "The four-eyes rule keeps this client from executing the credit (`errorReason: FOUR_EYES_REQUIRED`); nothing was executed",
    },
  },
  {
    method: "get",
    path: "/v1/payment-methods",
    operationId: "listPaymentMethods",
    summary: "Payment methods enabled for the client",
    description:
      "Filtered by `paymentType`, `paymentTypeGroup` and the `Entur-Distribution-Channel` header (all of the client's channels when absent).",
    tags: ["Payment methods"],
    query: filterParameters(PAYMENT_METHOD_FILTERS),
    success: {
      status: 200,
      description: "The enabled payment methods",
      schema: { type: "array", items: ref("PaymentMethod") },
    },
    errors: [400],
  },
  {
    method: "get",
    path: "/v1/callbacks",
    operationId: "searchCallbacks",
    summary: "Search the client's callbacks and their delivery attempts",
    description:
      "The callbacks Paydesk posted (or is posting) to this client's `callbackUrl`s in the organisation it acts for, newest first " +
      "(`createdAt` descending, then id), each with every delivery attempt: never another client's or organisation's. " +
      "A callback is delivered when the receiver answers 202; until then it is retried with backoff (1 s doubling, at most every ten minutes). " +
      CAPPED_COUNT_NOTE,
    tags: ["Callbacks"],
    query: cappedSearchQuery(CALLBACK_API_FIELDS),
    success: { status: 200, description: "A page of callbacks", schema: ref("CallbackPage") },
    errors: [400],
  },
  {
    method: "get",
    path: "/v1/callbacks/{callbackId}",
    operationId: "getCallback",
    summary: "Get one of the client's callbacks with every delivery attempt",
    tags: ["Callbacks"],
    success: { status: 200, description: "The callback", schema: ref("Callback") },
    errors: [400, 404],
  },
];

const PATH_PARAMETERS: Record<string, Json> = {
  paymentId: pathIdParameter("paymentId", "payment"),
  transactionId: pathIdParameter("transactionId", "transaction"),
  creditId: pathIdParameter("creditId", "credit"),
  callbackId: pathIdParameter("callbackId", "callback"),
};

/** A route of ROUTES: its path's parameters are $refs to PATH_PARAMETERS, its body a request schema by name. */
function operationObject(route: Operation): Json {
  const parameters: Json[] = [];
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    if (!PATH_PARAMETERS[name]) throw new Error(`No path parameter ${name} is described for ${route.path}`);
    parameters.push(componentRef("parameters", name));
  }
  const body = route.body && { ...route.body, schema: ref(route.body.schema) };
  return operation({ ...route, parameters: [...parameters, ...(route.query ?? [])], body }, ERROR_DESCRIPTIONS);
}

function buildDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method] = operationObject(route);
  }
  paths["/v1/openapi.json"] = {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This OpenAPI document",
      description: "Public: needs no token and no ET-Client-Name.",
      tags: ["Meta"],
      security: [],
      responses: {
        "200": {
          description: "OpenAPI 3.1 document",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
  };

  return {
    openapi: "3.1.0",
    info: {
      title: "Paydesk API",
      version: "1",
      description:
        "Payments, transactions and credits of Paydesk. Amounts are decimal strings (at most 13 digits before the dot and 5 after); " +
        "timestamps ISO 8601 UTC with milliseconds; every error is `application/problem+json` (RFC 9457).",
    },
    tags: [
      { name: "Payments" },
      { name: "Transactions" },
      { name: "Credits" },
      { name: "Payment methods" },
      { name: "Callbacks" },
      { name: "Meta" },
    ],
    security: [{ bearer: [] }],
    paths: { ...paths, ...mobilePathItems, ...TERMINAL_PATHS, ...SELF_SERVICE_PATHS, ...RECURRING_PATHS },
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "The token of an API client: `Authorization: Bearer <token>`. Missing or unknown: 401.",
        },
      },
      parameters: {
        ...PATH_PARAMETERS,
        ...HEADER_PARAMETERS,
      },
      headers: RESPONSE_HEADERS,
      schemas: {
        ...componentSchemas(REQUEST_SCHEMAS, "input"),
        ...componentSchemas(RESPONSE_SCHEMAS, "output"),
      },
    },
  };
}

let cached: { document: Json; text: string } | undefined;

/** The document (built on first use, then cached for the life of the process). */
export function openApiDocument(): Json {
  cached ??= (() => {
    const document = buildDocument();
    return { document, text: JSON.stringify(document) };
  })();
  return cached.document;
}

/** The document serialised as JSON (cached). */
export function openApiJson(): string {
  openApiDocument();
  return cached!.text;
}
