// Request and response schemas of the recurring payment and payment agreement
// routes. They validate requests and describe the routes in GET /v1/openapi.json
// (app/http/api/openapi-recurring.ts); the response schemas also check real answers in the tests.
import { z } from "zod";
import { AGREEMENT_PROVIDERS, PRICING_TYPES } from "../../domain/agreement";
import { AGREEMENT_STATUSES, RECURRING_STATUSES } from "../../domain/enums";
import { AmountOut, TimestampOut } from "./response-schemas";
import { phoneNumber, redirectUrl } from "./schemas-mobile";
import { currencyCode, customerNumber, optional, positiveAmount, text } from "./schemas";
import { TerminalBody } from "./schemas-terminals";

const bool = z.boolean({ error: "must be true or false" });
const nickname = text(100).meta({ description: "The customer's name for the card, e.g. Jobb", example: "Jobb" });

// ---------------------------------------------------------------- recurring payments: requests

export const CreateRecurringPaymentBody = z.object({
  nickname: optional(nickname),
  isPrimary: optional(bool).meta({
    description: "Make it the customer's primary recurring payment (the customer's first one is primary regardless)",
  }),
  customerNumber: optional(customerNumber).meta({
    description:
      "The customer it belongs to; honoured only for privileged clients (others: 403). Cannot be changed later.",
  }),
});
export type CreateRecurringPaymentInput = z.output<typeof CreateRecurringPaymentBody>;

/** PATCH (merge-patch): only these keys; nickname null removes it. */
export const RecurringPaymentPatchBody = z
  .object({
    nickname: nickname.nullable().optional().meta({ description: "null removes the nickname" }),
    isPrimary: bool.optional().meta({
      description:
        "true makes it primary (the previous primary stops being one); false is refused for the primary (make another one primary instead)",
    }),
  })
  .strict();

export const RECURRING_PAYMENT_READ_ONLY_FIELDS = [
  "customerNumber",
  "recurringPaymentId",
  "organisationId",
  "primary",
  "recurringStatus",
  "paymentType",
  "maskedPan",
  "cardExpiresAt",
  "expiresAt",
  "createdAt",
  "updatedAt",
] as const;

const NO_EFFECT_ON_REGISTRATION =
  "Accepted as in seed 001 and validated; no effect here, since registering a card pays nothing";

/**
 * The card terminal of a recurring payment. It gets the payment terminal's whole
 * request body; the card page uses redirectUrl, callbackUrl, singlePage, countryCode and
 * terminalLanguage. The rest are still checked, so a wrong type or an unknown transactionType is
 * a 400 naming the field rather than silently accepted; the card always belongs to the recurring
 * payment's own customer.
 */
export const RecurringPaymentTerminalBody = TerminalBody.extend({
  autoSale: TerminalBody.shape.autoSale.meta({ description: NO_EFFECT_ON_REGISTRATION }),
  storePayment: TerminalBody.shape.storePayment.meta({
    description: `${NO_EFFECT_ON_REGISTRATION} (the card is always stored)`,
  }),
  customerNumber: TerminalBody.shape.customerNumber.meta({
    description: `${NO_EFFECT_ON_REGISTRATION} (the card is the recurring payment's customer's)`,
  }),
  transactionType: TerminalBody.shape.transactionType.meta({ description: NO_EFFECT_ON_REGISTRATION }),
});

// ---------------------------------------------------------------- recurring payments: responses

const Id = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const RecurringPayment = z
  .object({
    recurringPaymentId: Id,
    customerNumber: z.string(),
    organisationId: z.int(),
    nickname: z.string().nullable(),
    primary: z.boolean().meta({
      description: "Whether this is the customer's primary recurring payment; exactly one of the non-cancelled ones is",
    }),
    recurringStatus: z.enum(RECURRING_STATUSES).meta({ description: "EXPIRED once expiresAt has passed" }),
    paymentType: z
      .string()
      .nullable()
      .meta({ description: "The card's scheme (VISA, MASTERCARD, AMEX) once authorized" }),
    maskedPan: z
      .string()
      .regex(/^[0-9]{0,6}[*]+[0-9]{4}$/)
      .nullable()
      .meta({ description: "First 6 and last 4 digits at most", example: "411111******1111" }),
    cardExpiresAt: TimestampOut.nullable().meta({ description: "The end of the card's expiry month" }),
    expiresAt: TimestampOut.nullable().meta({
      description: "When the recurring payment stops being usable; never after cardExpiresAt",
    }),
    createdAt: TimestampOut,
    updatedAt: TimestampOut,
  })
  .strict()
  .meta({ description: "A stored card (recurring payment)" });

export const RecurringPaymentTerminal = z
  .object({
    terminalUri: z
      .string()
      .meta({ description: "The card page where the customer enters the card to store; expires after 15 minutes" }),
    recurringPaymentId: Id,
  })
  .strict();

// ---------------------------------------------------------------- payment agreements: requests

const currency = optional(currencyCode)
  .transform((code) => code ?? "NOK")
  .meta({ description: "ISO 4217; default NOK" });

const pricingError = (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : `must be an object whose type is one of ${PRICING_TYPES.join(", ")}`;

export const PricingBody = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("LEGACY"),
      amount: positiveAmount.meta({ description: "The price of each charge" }),
      currency,
    }),
    z.object({
      type: z.literal("VARIABLE"),
      suggestedMaxAmount: positiveAmount.meta({ description: "The most one charge may take" }),
      currency,
    }),
  ],
  { error: pricingError },
);

export const AgreementProviderBody = z.object(
  {
    type: z.enum(AGREEMENT_PROVIDERS, { error: `must be one of ${AGREEMENT_PROVIDERS.join(", ")}` }),
    phoneNumber: optional(phoneNumber),
    redirectUrl: optional(redirectUrl).meta({
      description: "Where the confirmation page sends the customer back, with agreementId and result",
    }),
  },
  { error: (issue) => (issue.input === undefined ? "is required" : 'must be an object such as {"type": "VIPPS"}') },
);

export const RegisterAgreementBody = z.object({
  customerNumber: optional(customerNumber).meta({
    description: "The customer; honoured only for privileged clients (others: 403)",
  }),
  productName: text(100).meta({ description: "Name of the product or subscription", example: "Månedskort Oslo" }),
  pricing: PricingBody,
  provider: AgreementProviderBody,
});
export type RegisterAgreementRequest = z.output<typeof RegisterAgreementBody>;

// ---------------------------------------------------------------- payment agreements: responses

export const PricingOut = z.union([
  z.object({ type: z.literal("LEGACY"), amount: AmountOut, currency: z.string() }).strict(),
  z.object({ type: z.literal("VARIABLE"), suggestedMaxAmount: AmountOut, currency: z.string() }).strict(),
]);

export const PaymentAgreement = z
  .object({
    agreementId: z.string(),
    customerNumber: z.string(),
    organisationId: z.int(),
    productName: z.string(),
    status: z.enum(AGREEMENT_STATUSES),
    pricing: PricingOut,
    provider: z
      .object({
        type: z.string(),
        phoneNumber: z.string().optional(),
        confirmationUrl: z
          .string()
          .optional()
          .meta({ description: "The Vipps confirmation page; only while the agreement is CREATED or PENDING" }),
      })
      .strict(),
    stoppedAt: TimestampOut.nullable(),
    createdAt: TimestampOut,
    updatedAt: TimestampOut,
  })
  .strict()
  .meta({ description: "A payment agreement" });
