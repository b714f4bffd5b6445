// OpenAPI path items of the app, wallet, gift-card and invoice routes, built from their zod
// schemas (app/http/api/schemas-mobile.ts) and spread into `paths` by app/http/api/openapi.server.ts.
// They refer to the shared components that document declares (path and header parameters,
// Problem, Payment); request and response bodies are inlined here.
import {
  AppClaimBody,
  AppClaimResponse,
  GiftCardBody,
  InvoiceBody,
  InvoiceChangeBody,
  InvoiceResponse,
  WalletBody,
  WalletResponse,
} from "./schemas-mobile";
import { transactionOperation, TRANSACTION_PATH, type Json, COMMON_PROBLEMS, RESOURCE_BUSY } from "./openapi-parts";

const SANDBOX_RULES =
  "Sandbox: Vipps approvals and agreement charges, and Collector invoice confirmations, are decided by the amount's cents — " +
  "an amount ending in .02 is REFUSED_BY_ISSUER, .05 a SOFT_DECLINE, anything else succeeds. Wallets are decided by the card's last 4 " +
  "digits in the token like the test cards: 0002 REFUSED_BY_ISSUER, 9995 SOFT_DECLINE. A decline is a 422 problem with `errorReason`; " +
  "it changes nothing and is not logged.";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  ...COMMON_PROBLEMS,
  400: "Malformed input: a body, query or header field is invalid (each is named in `errors`)",
  403: "Not allowed for this client (Entur-On-Behalf-Of, distribution channel)",
  404: "Unknown id, or another organisation's",
  409: `State conflict: wrong transaction state or type, inactive payment; ${RESOURCE_BUSY}`,
  422: "Well-formed but breaks a business rule, a provider decline (with `errorReason`), or an Idempotency-Key reused with another request",
};

const operation = (spec: Parameters<typeof transactionOperation>[0]) => transactionOperation(spec, ERROR_DESCRIPTIONS);

/** The path items, keyed by path: spread into the document's `paths`. */
export const mobilePathItems: Record<string, Record<string, Json>> = {
  [`${TRANSACTION_PATH}/app-claim`]: {
    post: operation({
      operationId: "createAppClaim",
      provider: true,
      summary: "Vipps: claim the payment in the customer's app",
      description:
        "For MOBILE (Vipps) transactions in CREATED or INITIATED. The answer depends on how the transaction was created: " +
        "a plain Vipps payment answers 201 with `appClaimUrl`, the page where the customer approves or rejects (INITIATE entry, transaction INITIATED; " +
        "approving authorizes the amount, AUTHORIZE entry); a `createAgreement` transaction answers 201 with the agreement's confirmation page " +
        "(confirming makes the agreement ACTIVE and authorizes the transaction as its initial charge); a transaction on an ACTIVE `paymentAgreementId` " +
        "is charged at once and answers 204 (INITIATE and AUTHORIZE entries). The page comes back to `redirectUrl` with `paymentId`, `transactionId` " +
        "and `result` (`approved`, `rejected`, `failed`) in the query; it expires after 15 minutes. `redirectUrl` must start with one of the client's " +
        "allowed prefixes. " +
        SANDBOX_RULES,
      body: AppClaimBody,
      success: {
        "201": { description: "The claim is waiting for the customer", schema: AppClaimResponse },
        "204": { description: "An existing agreement was charged; the transaction is AUTHORIZED" },
      },
    }),
  },
  [`${TRANSACTION_PATH}/wallet`]: {
    post: operation({
      operationId: "registerWalletPayment",
      provider: true,
      summary: "ApplePay / GooglePay: register a wallet payment",
      description:
        "For PAYMENTCARD transactions in CREATED. `paymentData` is the wallet's token as a JSON string (not parsing as a JSON object: 400); " +
        "only the card's last 4 digits and network are kept. Without `redirectUrl` the payment is authorized at once (AUTHORIZE entry, `cardNumber` " +
        "the last 4). With `redirectUrl` (an allowed prefix) the answer has `terminalUri`, the 3DS page, and the transaction is INITIATED until the " +
        "customer completes it there; the page comes back to `redirectUrl` with `paymentId`, `transactionId` and `result`. " +
        SANDBOX_RULES,
      body: WalletBody,
      success: {
        "201": { description: "The registered wallet payment", schema: WalletResponse },
      },
    }),
  },
  [`${TRANSACTION_PATH}/gift-card`]: {
    post: operation({
      operationId: "claimGiftCard",
      summary: "Claim a gift card",
      description:
        "For GIFTCARD transactions in CREATED (409 otherwise). Deducts the transaction's amount from the card's balance and captures the " +
        "transaction at once (CAPTURE entry). An unknown or another organisation's code, an expired card, a card in another currency or a " +
        "balance below the amount is a 422 naming `giftCardCode`. Concurrent claims never take a balance below zero.",
      body: GiftCardBody,
      success: {
        "201": {
          description: "The payment with the captured transaction",
          schema: { $ref: "#/components/schemas/Payment" },
        },
      },
    }),
  },
  [`${TRANSACTION_PATH}/invoice`]: {
    post: operation({
      operationId: "createInvoice",
      summary: "Collector: create or replace the invoice",
      description:
        "For COLLECTOR and COLLECTOR_B2B transactions in CREATED or INITIATED. A new invoice replaces the transaction's previous one, unless that " +
        "was confirmed (409). INITIATE entry; the transaction is INITIATED. COLLECTOR needs `redirectUrl` and answers `terminalUri`, the invoice " +
        "page (15 minutes); COLLECTOR_B2B answers `expiryDate` (14 days on) and `publicToken` (the payment iframe's token). Confirming the invoice " +
        "on its page authorizes the transaction (AUTHORIZE entry). " +
        SANDBOX_RULES,
      body: InvoiceBody,
      success: { "201": { description: "The invoice", schema: InvoiceResponse } },
    }),
    put: operation({
      operationId: "changeInvoice",
      summary: "Collector: change the content and/or amount of an invoice",
      description:
        "Only COLLECTOR_B2B invoices (422 otherwise), and only before the customer confirmed them (409 after). An `amount` change also changes " +
        "the transaction's amount; the payment's transactions may not exceed its totalAmount (422). Logged as UPDATE with the invoice's amount.",
      body: InvoiceChangeBody,
      success: { "200": { description: "The changed invoice", schema: InvoiceResponse } },
    }),
  },
};
