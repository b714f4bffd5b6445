// Request schemas of /v1. The same zod schemas validate requests and generate
// GET /v1/openapi.json, so the document cannot drift from what the server accepts.
import { z } from "zod";
import { PAYMENT_TYPE_GROUPS, PAYMENT_TYPES, SCA_EXEMPTIONS } from "../../domain/enums";
import { AMOUNT_PATTERN, parseAmount, type Money } from "../../domain/money";
import { parseTimestamp } from "../../domain/search-filter";
import { isCleanText } from "../../domain/text";
import { CARD_NUMBER_MESSAGE, containsCardNumber, refusesAsCardNumber, RRN_FORMAT } from "../../domain/card-number";

const AMOUNT_MESSAGE =
  'must be a decimal string with a dot, at most 13 digits before it and 5 after it, no sign, exponent or leading zeros (e.g. "100.00")';

/** A decimal amount string, parsed into exact money; > 0 where something is paid or credited. */
export const positiveAmount = z
  .string({ error: AMOUNT_MESSAGE })
  .regex(AMOUNT_PATTERN, AMOUNT_MESSAGE)
  .transform((text, ctx): Money => {
    const parsed = parseAmount(text);
    if (!parsed.ok || parsed.value <= 0n) {
      ctx.addIssue({ code: "custom", message: "must be greater than 0" });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({ description: "Decimal amount, at most 18 digits with 5 after the dot (ISO 20022)", example: "100.00" });

export const currencyCode = z
  .string({ error: "must be a 3-letter ISO 4217 code" })
  .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code such as NOK")
  .meta({ example: "NOK" });

export const resourceId = z
  .int({ error: "must be a whole number" })
  .min(1, "must be a positive id")
  .max(Number.MAX_SAFE_INTEGER, "is too large");

export const customerNumber = z
  .union([z.string().regex(/^[0-9]{1,20}$/), z.int().min(0)], { error: "must be a numeric customer id" })
  .transform(String)
  // A customer number is stored and shown everywhere; 12–19 digits that pass Luhn may be a card's.
  .refine((value) => !containsCardNumber(value), CARD_NUMBER_MESSAGE)
  .meta({ description: "Numeric id of the customer", example: "100234" });

export const isoTimestamp = z
  .string({ error: "must be an ISO 8601 timestamp" })
  .transform((text, ctx) => {
    const date = parseTimestamp(text);
    if (!date) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 timestamp such as 2026-11-21T10:15:30.123Z" });
      return z.NEVER;
    }
    return date;
  })
  .meta({ format: "date-time" });

export { isCleanText, CARD_NUMBER_MESSAGE };
/** For fields that are not `text` (URLs): true when the value carries no card number. */
export const noCardNumber = (value: string) => !containsCardNumber(value);
export const CLEAN_TEXT_MESSAGE = "must not contain control characters or invalid Unicode";

/**
 * A trimmed, non-empty, clean string of at most `max` characters that carries no card number
 * (app/domain/card-number.ts): every free-text field of /v1 is built from this, so none can
 * forget the rule. `format`: a whole value the field is made for that may pass Luhn by chance
 * (an RRN) and is accepted as such.
 */
export const text = (max: number, { format }: { format?: RegExp } = {}) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(isCleanText, CLEAN_TEXT_MESSAGE)
    .refine((value) => !refusesAsCardNumber(value, format), CARD_NUMBER_MESSAGE);

/** Text of a record (the import's additionalData): clean, bounded, no card number; may be empty. */
const recordText = (max: number) =>
  z
    .string()
    .max(max)
    .refine(isCleanText, CLEAN_TEXT_MESSAGE)
    .refine((value) => !containsCardNumber(value), CARD_NUMBER_MESSAGE);

/** Optional in a POST body: null counts as absent. */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

export const NewTransactionBody = z.object({
  amount: optional(positiveAmount),
  currency: optional(currencyCode),
  paymentType: optional(z.enum(PAYMENT_TYPES, { error: `must be one of ${PAYMENT_TYPES.join(", ")}` })),
  paymentTypeGroup: optional(
    z.enum(PAYMENT_TYPE_GROUPS, { error: `must be one of ${PAYMENT_TYPE_GROUPS.join(", ")}` }),
  ),
  isImport: optional(z.boolean({ error: "must be true or false" })),
  scaExemption: optional(z.enum(SCA_EXEMPTIONS, { error: `must be one of ${SCA_EXEMPTIONS.join(", ")}` })),
  with3DSecure: optional(z.boolean({ error: "must be true or false" })),
  createAgreement: optional(z.boolean({ error: "must be true or false" })),
  paymentAgreementId: optional(text(100)),
  recurringPaymentId: optional(resourceId),
});

export const CreatePaymentBody = z.object({
  orderId: optional(text(100)),
  orderVersion: optional(
    z.int({ error: "must be a whole number" }).min(0, "must be 0 or more").max(2_147_483_647, "is too large"),
  ),
  totalAmount: positiveAmount,
  currency: optional(currencyCode),
  settlementId: optional(text(100)),
  customerNumber: optional(customerNumber),
  transaction: optional(NewTransactionBody),
});

/** PATCH /v1/payments/{id}: only these keys may appear; null removes where removable. */
export const PaymentPatchBody = z
  .object({
    totalAmount: positiveAmount.optional(),
    active: z
      .literal(true, { error: "can only be set to true (reactivation); use PUT …/deactivate to deactivate" })
      .optional(),
    settlementId: text(100).nullable().optional(),
  })
  .strict();

export const PAYMENT_READ_ONLY_FIELDS = [
  "paymentId",
  "orderId",
  "orderVersion",
  "currency",
  "customerNumber",
  "organisationId",
  "createdAt",
  "updatedAt",
  "transactions",
] as const;

export const AuthorizeBody = z.object({ totalAmount: positiveAmount });

export const CreditTransactionBody = z.object({ amount: optional(positiveAmount) });

export const ImportBody = z.object({
  transactionConfirmedAt: isoTimestamp,
  rrn: optional(text(50, { format: RRN_FORMAT })),
  terminalId: optional(text(50)),
  paymentType: optional(text(50)),
  companyId: optional(
    z.string({ error: "must be a string of 1 to 4 digits" }).regex(/^[0-9]{1,4}$/, "must be 1 to 4 digits"),
  ),
  mediaSerialNumberId: optional(
    z.string({ error: "must be a string of 1 to 10 digits" }).regex(/^[0-9]{1,10}$/, "must be 1 to 10 digits"),
  ),
  envNetworkId: optional(
    z.string({ error: "must be a string of 6 digits" }).regex(/^[0-9]{6}$/, "must be exactly 6 digits"),
  ),
  externalTransactionId: optional(text(100)),
  additionalData: optional(
    z
      .record(recordText(100), recordText(1000), {
        error: "must be an object of string values",
      })
      .refine((record) => Object.keys(record).length <= 50, "may have at most 50 entries"),
  ),
});

export const CreditLineBody = z.object({
  paymentId: resourceId,
  transactionId: resourceId,
  amount: positiveAmount,
  reimbursementTypeGroup: optional(
    z.enum(PAYMENT_TYPE_GROUPS, { error: `must be one of ${PAYMENT_TYPE_GROUPS.join(", ")}` }),
  ),
});

const creditLines = z
  .array(CreditLineBody, { error: "must be a list of credit transactions" })
  .min(1, "must contain at least one credit transaction")
  .max(100, "may contain at most 100 credit transactions");

export const CreateCreditBody = z.object({
  orderId: optional(text(100)),
  orderVersion: optional(
    z.int({ error: "must be a whole number" }).min(0, "must be 0 or more").max(2_147_483_647, "is too large"),
  ),
  totalCreditAmount: positiveAmount,
  currency: optional(currencyCode),
  settlementId: optional(text(100)),
  customerNumber: optional(customerNumber),
  creditTransactions: creditLines,
});

/** PATCH /v1/credits/{id}: only these keys; `active` may only become false. */
export const CreditPatchBody = z
  .object({
    totalCreditAmount: positiveAmount.optional(),
    creditTransactions: creditLines.optional(),
    settlementId: text(100).nullable().optional(),
    active: z
      .literal(false, { error: "can only be set to false (an inactive credit cannot be reactivated)" })
      .optional(),
  })
  .strict();

export const CREDIT_READ_ONLY_FIELDS = [
  "creditId",
  "orderId",
  "orderVersion",
  "currency",
  "status",
  "customerNumber",
  "organisationId",
  "createdAt",
  "updatedAt",
] as const;
