// The enums of the API, as the source for validation and the UI. db/schema.ts keeps copies of
// the lists behind its CHECK constraints (db/ imports nothing from app/); db/schema.test.ts keeps
// them equal.

export const TRANSACTION_STATUSES = [
  "CREATED",
  "INITIATED",
  "AUTHORIZED",
  "CAPTURED",
  "CREDITED",
  "CANCELLED",
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const PAYMENT_TYPE_GROUPS = ["PAYMENTCARD", "MOBILE", "INVOICE", "GIFTCARD", "ECARD", "CASH", "AGENT"] as const;
export type PaymentTypeGroup = (typeof PAYMENT_TYPE_GROUPS)[number];

/** Each payment type belongs to exactly one group. */
export const PAYMENT_TYPE_GROUP_OF = {
  VISA: "PAYMENTCARD",
  MASTERCARD: "PAYMENTCARD",
  AMEX: "PAYMENTCARD",
  VIPPS: "MOBILE",
  MOBILEPAY: "MOBILE",
  COLLECTOR: "INVOICE",
  COLLECTOR_B2B: "INVOICE",
  GIFTCARD: "GIFTCARD",
  ECARD: "ECARD",
  CASH: "CASH",
  AGENT: "AGENT",
} as const satisfies Record<string, PaymentTypeGroup>;
export type PaymentType = keyof typeof PAYMENT_TYPE_GROUP_OF;
export const PAYMENT_TYPES = Object.keys(PAYMENT_TYPE_GROUP_OF) as PaymentType[];

export const OPERATIONS = [
  "CREATE",
  "INITIATE",
  "AUTHORIZE",
  "CAPTURE",
  "CANCEL",
  "CREDIT",
  "IMPORT",
  "UPDATE",
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const CREDIT_STATUSES = ["CREATED", "CREDITED"] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

export const CHARGEBACK_STATUSES = ["OPEN", "WON", "LOST"] as const;
export type ChargebackStatus = (typeof CHARGEBACK_STATUSES)[number];
/** How an OPEN chargeback ends. */
export const CHARGEBACK_OUTCOMES = ["WON", "LOST"] as const satisfies readonly ChargebackStatus[];
export type ChargebackOutcome = (typeof CHARGEBACK_OUTCOMES)[number];
/** Where a chargeback came from: entered by finance, or a settlement report's CHARGEBACK line. */
export const CHARGEBACK_SOURCES = ["MANUAL", "REPORT"] as const;
export type ChargebackSource = (typeof CHARGEBACK_SOURCES)[number];

export const CREDIT_TRANSACTION_STATUSES = ["CREATED", "CREDITED", "FAILED"] as const;
export type CreditTransactionStatus = (typeof CREDIT_TRANSACTION_STATUSES)[number];

export const RECURRING_STATUSES = ["CREATED", "ACTIVE", "EXPIRED", "CANCELLED"] as const;
export type RecurringStatus = (typeof RECURRING_STATUSES)[number];

export const AGREEMENT_STATUSES = ["CREATED", "PENDING", "ACTIVE", "STOPPED", "EXPIRED"] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** What a provider operation (provider_operations) asks the PSP to do. */
export const PROVIDER_OPERATION_KINDS = [
  "CAPTURE",
  "CANCEL",
  "AUTHORIZE",
  "REFUND",
  "CARD_AUTHORIZE",
  "STORED_CARD_CHARGE",
  "VIPPS_CLAIM",
  "VIPPS_CHARGE",
  "WALLET_AUTHORIZE",
  "INVOICE_AUTHORIZE",
  "INVOICE_PAY",
  "METHOD_REGISTRATION",
] as const;
export type ProviderOperationKind = (typeof PROVIDER_OPERATION_KINDS)[number];

/** PENDING while the outcome is unknown; then settled once. */
export const PROVIDER_OPERATION_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type ProviderOperationStatus = (typeof PROVIDER_OPERATION_STATUSES)[number];

export const SCA_EXEMPTIONS = ["NO_EXEMPTION", "LOW_VALUE"] as const;
export type ScaExemption = (typeof SCA_EXEMPTIONS)[number];

/**
 * The API.md errorReasons, and FOUR_EYES_REQUIRED: a 403 when the four-eyes rule keeps this caller
 * from executing a credit (app/domain/four-eyes.ts, docs/decisions/026).
 */
export const ERROR_REASONS = [
  "SOFT_DECLINE",
  "REFUSED_BY_ISSUER",
  "RESOURCE_BUSY",
  "PROVIDER_UNAVAILABLE",
  "FOUR_EYES_REQUIRED",
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** Self-service: how a customer may pay one invoice. */
export const INVOICE_PAYMENT_METHODS = ["creditcardPayex", "swishPayex", "vippsEcommerce", "nexi"] as const;
export type InvoicePaymentMethod = (typeof INVOICE_PAYMENT_METHODS)[number];

/** Self-service: how a product (subscription) is paid from now on. */
export const PRODUCT_PAYMENT_METHODS = [
  "invoice",
  "autoGiro",
  "recurringVippsPayment",
  "recurringPayExCardPayment",
  "recurringKlarnaPayment",
  "recurringNexiPayment",
] as const;
export type ProductPaymentMethod = (typeof PRODUCT_PAYMENT_METHODS)[number];

/** Self-service: the `result` a redirect flow reports back to `returnUrl`. */
export const REDIRECT_RESULTS = ["finished", "cancelled", "failed", "unknown", "initiated"] as const;
export type RedirectResult = (typeof REDIRECT_RESULTS)[number];

/** Who performed an operation or a staff action. */
export const ACTOR_TYPES = ["CLIENT", "STAFF", "SYSTEM", "CUSTOMER"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
