// Request and response schemas of the card terminal routes (…/terminal,
// …/recurring-terminal, …/internal-terminal). They validate requests and describe the routes in
// GET /v1/openapi.json (app/http/api/openapi-terminals.ts), so the two cannot drift apart.
import { z } from "zod";
import { CARD_NUMBER_MESSAGE, customerNumber, isCleanText, noCardNumber, optional, resourceId } from "./schemas";

const URL_MESSAGE = "must be an http(s) URL of at most 1024 characters after the scheme";

/**
 * The seed's `^(https?://).{0,1024}`, anchored at the end too (a longer URL is refused, not cut),
 * and it must parse as a URL. Whether a redirectUrl is one of the client's allowed prefixes is
 * checked by the service, which knows the client.
 */
export const httpUrl = z
  .string({ error: URL_MESSAGE })
  .regex(/^(https?:\/\/).{0,1024}$/, URL_MESSAGE)
  .refine(isCleanText, "must not contain control characters")
  .refine((text) => URL.canParse(text), "is not a valid URL")
  .refine(noCardNumber, CARD_NUMBER_MESSAGE)
  .meta({ example: "https://shop.example/checkout/return" });

const bool = z.boolean({ error: "must be true or false" });

export const TRANSACTION_TYPES = ["MIT_UCOF"] as const;
export const RECURRING_TYPES = ["R", "S"] as const;

export const TerminalBody = z.object({
  redirectUrl: httpUrl.meta({
    description:
      "Where the terminal sends the customer back; must start with one of the client's allowed redirect prefixes",
  }),
  autoSale: optional(bool).meta({
    description: "Capture at once when the card is authorized (no capture call needed)",
  }),
  singlePage: optional(bool).meta({
    description: "Ask for a single-page terminal (the sandbox terminal always is one)",
  }),
  callbackUrl: optional(httpUrl).meta({
    description: "Receives a POST when the payment completes, repeated until it answers 202",
  }),
  countryCode: optional(
    z
      .string({ error: "must be an ISO 3166-1 alpha-2 code" })
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as NO"),
  ).meta({
    description: "ISO 3166-1 alpha-2; default NO",
  }),
  storePayment: optional(bool).meta({
    description: "Store the card for recurring payments; only when the payment has a customer (otherwise ignored)",
  }),
  customerNumber: optional(customerNumber).meta({
    description: "Customer for the stored card; honoured only for privileged clients",
  }),
  transactionType: optional(
    z.enum(TRANSACTION_TYPES, { error: "must be MIT_UCOF (or absent for a normal terminal)" }),
  ).meta({
    description: "MIT_UCOF: charge the transaction's stored card (its recurringPaymentId) at once, without a terminal",
  }),
  terminalLanguage: optional(
    z
      .string({ error: "must be a locale such as no_NO" })
      .regex(/^[a-z]{2}_[A-Z]{2}$/, "must be a locale such as no_NO or en_GB"),
  ).meta({ description: "Language of the terminal page; default no_NO" }),
});

export const RecurringTerminalBody = z.object({
  panHash: optional(
    z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .refine(isCleanText, "must not contain control characters")
      // The hash, never the number it stands for (a mistake that would send a PAN along).
      .refine(noCardNumber, CARD_NUMBER_MESSAGE),
  ).meta({
    description:
      "The stored card's panHash; may be left out when the transaction was created with a recurringPaymentId",
  }),
  redirectUrl: httpUrl,
  recurringType: z.enum(RECURRING_TYPES, { error: "must be R or S" }),
});

export const InternalTerminalBody = z.object({ redirectUrl: httpUrl });

// ---------------------------------------------------------------- responses

export const TerminalResponse = z
  .object({
    terminalUri: z
      .string()
      .optional()
      .meta({ description: "The terminal page; absent for MIT_UCOF charges, which need none" }),
    paymentId: resourceId,
    transactionId: resourceId,
    recurringPaymentId: resourceId
      .optional()
      .meta({ description: "The recurring payment the card is stored as (storePayment) or charged from" }),
  })
  .strict();

export const RecurringTerminalResponse = z
  .object({ terminalUri: z.string(), paymentId: resourceId, transactionId: resourceId })
  .strict();

export const InternalTerminalResponse = z
  .object({ terminalUrl: z.string(), paymentId: resourceId, transactionId: resourceId })
  .strict();
