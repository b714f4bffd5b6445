// The recurring payment and payment agreement routes' part of
// GET /v1/openapi.json: complete path items spread into `paths` by openapi.server.ts. Bodies are
// inlined from the zod schemas that validate the requests (schemas-recurring.ts); header
// parameters, response headers and Problem are $refs to the components openapi.server.ts declares.
import { AGREEMENT_STATUSES } from "../../domain/enums";
import {
  CreateRecurringPaymentBody,
  PaymentAgreement,
  RecurringPayment,
  RecurringPaymentPatchBody,
  RecurringPaymentTerminal,
  RecurringPaymentTerminalBody,
  RegisterAgreementBody,
} from "./schemas-recurring";
import {
  inlineSchema,
  operation as buildOperation,
  pathIdParameter,
  type Json,
  type OperationSpec,
  COMMON_PROBLEMS,
  RESOURCE_BUSY,
} from "./openapi-parts";

const ERRORS: Record<number, string> = {
  ...COMMON_PROBLEMS,
  400: "Malformed input: a body, query or header field is invalid (each is named in `errors`), or a field that cannot be changed",
  403: "Not allowed for this client: customerNumber from a non-privileged client, Entur-On-Behalf-Of, distribution channel",
  404: "Unknown id, or another organisation's",
  409: `State conflict: the recurring payment or agreement is not in a state that allows this, a concurrent change; ${RESOURCE_BUSY}`,
  422: "Well-formed but breaks a business rule (e.g. giving up the primary without naming another), or an Idempotency-Key reused with another request",
};

const RECURRING_ID = pathIdParameter("recurringPaymentId", "recurring payment");

const AGREEMENT_ID: Json = {
  name: "agreementId",
  in: "path",
  required: true,
  description: "The agreement's id (a string); an unknown or another organisation's id answers 404",
  schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,100}$", examples: ["agr_3kq9XbL2mPz0"] },
};

const CUSTOMER_NUMBER_QUERY: Json = {
  name: "customerNumber",
  in: "query",
  required: true,
  description: "The customer (digits). Missing: 400.",
  schema: { type: "string", pattern: "^[0-9]{1,20}$" },
};

const operation = (spec: OperationSpec): Json => buildOperation(spec, ERRORS);

const RECURRING = "Recurring payments";
const AGREEMENTS = "Payment agreements";
const recurringList = { type: "array", items: inlineSchema(RecurringPayment, "output") };

export const RECURRING_PATHS: Record<string, Record<string, Json>> = {
  "/v1/recurring-payments": {
    get: operation({
      method: "get",
      operationId: "listRecurringPayments",
      summary: "A customer's recurring payments",
      description:
        "The customer's recurring payments in the caller's organisation, newest first. Never CANCELLED (ended) ones; EXPIRED ones " +
        "(past `expiresAt`) only with `includeExpired=true`. An unknown parameter is a 400 naming it.",
      tags: [RECURRING],
      parameters: [
        CUSTOMER_NUMBER_QUERY,
        {
          name: "includeExpired",
          in: "query",
          required: false,
          description: "Include EXPIRED ones (default false)",
          schema: { type: "boolean", default: false },
        },
      ],
      success: { status: 200, description: "The recurring payments", schema: recurringList },
      errors: [],
    }),
    post: operation({
      method: "post",
      operationId: "createRecurringPayment",
      summary: "Create a recurring payment",
      description:
        "A CREATED recurring payment for the customer (`customerNumber`, honoured only for privileged clients; any other client gets 403). " +
        "The customer's first one is primary; a later one is primary only with `isPrimary: true`, which takes it from the previous primary. " +
        "Register the card with …/terminal, then …/authorize.",
      tags: [RECURRING],
      body: { schema: CreateRecurringPaymentBody, required: false },
      success: { status: 201, description: "The recurring payment", schema: RecurringPayment, location: true },
      errors: [],
    }),
  },
  "/v1/recurring-payments/{recurringPaymentId}": {
    get: operation({
      method: "get",
      operationId: "getRecurringPayment",
      summary: "A recurring payment",
      description: "Any status, ended ones included.",
      tags: [RECURRING],
      parameters: [RECURRING_ID],
      success: { status: 200, description: "The recurring payment", schema: RecurringPayment },
      errors: [404],
    }),
    patch: operation({
      method: "patch",
      operationId: "updateRecurringPayment",
      summary: "Change nickname and/or primary",
      description:
        "Merge patch: `nickname` (null removes it) and `isPrimary`. `isPrimary: true` makes it the customer's primary and the previous " +
        "primary stops being one (an EXPIRED one cannot become primary: 409); `isPrimary: false` on the primary is a 422 (make another one primary instead). " +
        "Any other field of the recurring payment (`customerNumber`, …) is a 400 naming it. An ended (CANCELLED) one is a 409.",
      tags: [RECURRING],
      parameters: [RECURRING_ID],
      body: { schema: RecurringPaymentPatchBody, required: true, mergePatch: true },
      success: { status: 200, description: "The recurring payment", schema: RecurringPayment },
      errors: [404, 409, 413, 422],
    }),
  },
  "/v1/recurring-payments/{recurringPaymentId}/end": {
    put: operation({
      method: "put",
      operationId: "endRecurringPayment",
      summary: "End a recurring payment",
      description:
        "CANCELLED: no transaction can use it any more. Ending an ended one answers it unchanged. When it was the primary, the customer's " +
        "newest usable (ACTIVE) card becomes primary, else the newest CREATED, else the newest EXPIRED one; none when it was the last.",
      tags: [RECURRING],
      parameters: [RECURRING_ID],
      success: { status: 200, description: "The ended recurring payment", schema: RecurringPayment },
      errors: [404],
    }),
  },
  "/v1/recurring-payments/{recurringPaymentId}/terminal": {
    post: operation({
      method: "post",
      operationId: "createRecurringPaymentTerminal",
      summary: "Open the card terminal that registers the card",
      description:
        "For a CREATED recurring payment (else 409): the hosted card page (`terminalUri`) where the customer enters the card to store; nothing is " +
        "charged. It expires after 15 minutes; a new terminal replaces the open one. `redirectUrl` (and `callbackUrl`) must start with one of the " +
        "client's allowed prefixes (else 400); the page sends the customer back with `recurringPaymentId` and `responseCode` (`OK`, `CANCELLED`, " +
        "`EXPIRED`, a decline reason). Then call …/authorize.",
      tags: [RECURRING],
      parameters: [RECURRING_ID],
      body: { schema: RecurringPaymentTerminalBody, required: true },
      success: { status: 201, description: "The terminal", schema: RecurringPaymentTerminal },
      errors: [404],
    }),
  },
  "/v1/recurring-payments/{recurringPaymentId}/authorize": {
    put: operation({
      method: "put",
      operationId: "authorizeRecurringPayment",
      summary: "Authorize the registered card",
      description:
        "The card the customer entered on the terminal is accepted: ACTIVE, with `maskedPan` (first 6 and last 4 digits at most), `paymentType`, " +
        "`cardExpiresAt` and `expiresAt` (the card's expiry or three years, whichever is first; never after `cardExpiresAt`). " +
        "409 when no card has been registered yet or the recurring payment is ended or expired; an ACTIVE one is answered unchanged.",
      tags: [RECURRING],
      parameters: [RECURRING_ID],
      success: { status: 200, description: "The ACTIVE recurring payment", schema: RecurringPayment },
      errors: [404],
    }),
  },
  "/v1/payment-agreements": {
    get: operation({
      method: "get",
      operationId: "listPaymentAgreements",
      summary: "A customer's payment agreements",
      description:
        "The customer's agreements in the caller's organisation, newest first, optionally of the given statuses (`status` may repeat: " +
        "`status=ACTIVE&status=PENDING`). An unknown parameter or status is a 400 naming it.",
      tags: [AGREEMENTS],
      parameters: [
        CUSTOMER_NUMBER_QUERY,
        {
          name: "status",
          in: "query",
          required: false,
          style: "form",
          explode: true,
          description: "Only agreements in one of these statuses",
          schema: { type: "array", items: { type: "string", enum: [...AGREEMENT_STATUSES] } },
        },
      ],
      success: {
        status: 200,
        description: "The agreements",
        schema: { type: "array", items: inlineSchema(PaymentAgreement, "output") },
      },
      errors: [],
    }),
    post: operation({
      method: "post",
      operationId: "registerPaymentAgreement",
      summary: "Register a payment agreement",
      description:
        "Vipps drafts the agreement: PENDING, with `provider.confirmationUrl`, the page where the customer confirms (ACTIVE) or rejects " +
        "(STOPPED) it; the page then sends the customer to `provider.redirectUrl` with `agreementId` and `result`. `pricing` is LEGACY " +
        "(`amount` per charge) or VARIABLE (`suggestedMaxAmount`); a transaction may charge an ACTIVE agreement (`paymentAgreementId`) at most " +
        "that, in its currency. `customerNumber` is honoured only for privileged clients (others: 403).",
      tags: [AGREEMENTS],
      body: { schema: RegisterAgreementBody, required: true },
      success: { status: 201, description: "The agreement", schema: PaymentAgreement, location: true },
      errors: [],
    }),
  },
  "/v1/payment-agreements/{agreementId}": {
    get: operation({
      method: "get",
      operationId: "getPaymentAgreement",
      summary: "A payment agreement's status",
      description:
        "`provider.confirmationUrl` is included only while the agreement awaits the customer's confirmation (CREATED or PENDING) and its page is open.",
      tags: [AGREEMENTS],
      parameters: [AGREEMENT_ID],
      success: { status: 200, description: "The agreement", schema: PaymentAgreement },
      errors: [404],
    }),
  },
  "/v1/payment-agreements/{agreementId}/stop": {
    put: operation({
      method: "put",
      operationId: "stopPaymentAgreement",
      summary: "Stop a payment agreement",
      description:
        "STOPPED: transactions can no longer charge it and its confirmation page no longer confirms it. Idempotent: stopping a STOPPED agreement " +
        "answers it unchanged. An EXPIRED agreement is a 409.",
      tags: [AGREEMENTS],
      parameters: [AGREEMENT_ID],
      success: { status: 200, description: "The stopped agreement", schema: PaymentAgreement },
      errors: [404],
    }),
  },
};
