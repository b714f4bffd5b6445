// Zod schemas of the /v1 RESPONSE shapes, written to match app/http/api/serialize.ts
// field for field. They document the API in GET /v1/openapi.json and, in the integration tests,
// check real responses for drift (every object is strict: an extra or a missing field fails).
// The server does not validate its own responses with them at runtime.
import { z } from "zod";
import { EXACT_COUNT_CAP } from "../../domain/search-filter";
import {
  CREDIT_STATUSES,
  CREDIT_TRANSACTION_STATUSES,
  ERROR_REASONS,
  OPERATIONS,
  PAYMENT_TYPE_GROUPS,
  PAYMENT_TYPES,
  SCA_EXEMPTIONS,
  TRANSACTION_STATUSES,
} from "../../domain/enums";

/** serialize.ts renders amounts with formatAmount: at least 2 decimals, at most 5. */
export const AmountOut = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,12})\.[0-9]{2,5}$/)
  .meta({ description: "Decimal amount as a string, at least 2 and at most 5 decimals", example: "100.00" });

/** Date#toISOString: UTC with milliseconds. */
export const TimestampOut = z.iso
  .datetime({ precision: 3 })
  .meta({ description: "ISO 8601 UTC timestamp with milliseconds", example: "2026-11-21T10:15:30.123Z" });

const Id = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .meta({ example: "NOK" });

export const OperationLogEntry = z
  .object({
    operation: z.enum(OPERATIONS),
    amount: AmountOut.nullable(),
    createdAt: TimestampOut,
    correlationId: z.string(),
    clientName: z.string().nullable().meta({ description: "ET-Client-Name of the request" }),
    pos: z.string().nullable().meta({ description: "Entur-POS of the request" }),
    distributionChannel: z.string().nullable().meta({ description: "Entur-Distribution-Channel of the request" }),
    actor: z.string().meta({ description: "API client id or staff user" }),
  })
  .strict()
  .meta({ description: "A successful operation on a transaction; entries are append-only" });

export const TransactionSummary = z
  .object({
    authorizedAmount: AmountOut,
    capturedAmount: AmountOut,
    creditedAmount: AmountOut,
    cancelledAmount: AmountOut,
    creditableAmount: AmountOut.meta({ description: "captured − credited − reserved by unexecuted credits" }),
  })
  .strict();

/** What an import left on the transaction (keys vary with the payment type group). */
export const ImportData = z
  .looseObject({
    transactionConfirmedAt: z.string().optional(),
    issuer: z.string().optional(),
    companyId: z.string().optional(),
    mediaSerialNumberId: z.string().optional(),
    envNetworkId: z.string().optional(),
    additionalData: z.record(z.string(), z.string()).optional(),
  })
  .meta({ description: "Data recorded by POST …/import" });

export const Transaction = z
  .object({
    transactionId: Id,
    paymentId: Id,
    amount: AmountOut,
    currency: Currency,
    status: z.enum(TRANSACTION_STATUSES),
    paymentType: z.enum(PAYMENT_TYPES).nullable().meta({ description: "null while only the group is known" }),
    paymentTypeGroup: z.enum(PAYMENT_TYPE_GROUPS),
    rrn: z.string().nullable(),
    cardNumber: z
      .string()
      .regex(/^[0-9]{4}$/)
      .nullable()
      .meta({ description: "Last 4 digits of the card only" }),
    externalTransactionId: z.string().nullable(),
    recurringPaymentId: Id.nullable(),
    paymentAgreementId: z.string().nullable(),
    isImport: z.boolean(),
    scaExemption: z.enum(SCA_EXEMPTIONS),
    createdAt: TimestampOut,
    updatedAt: TimestampOut,
    summary: TransactionSummary,
    operationLog: z.array(OperationLogEntry),
    importData: ImportData.nullable(),
    fee: AmountOut.nullable(),
  })
  .strict();

export const Payment = z
  .object({
    paymentId: Id,
    orderId: z.string().nullable(),
    orderVersion: z.int().min(0).nullable(),
    totalAmount: AmountOut,
    currency: Currency,
    active: z.boolean(),
    settlementId: z.string().nullable(),
    customerNumber: z.string().nullable(),
    organisationId: Id,
    createdAt: TimestampOut,
    updatedAt: TimestampOut,
    transactions: z.array(Transaction),
  })
  .strict();

export const PaymentMethod = z
  .object({
    id: Id,
    paymentType: z.enum(PAYMENT_TYPES),
    paymentTypeGroup: z.enum(PAYMENT_TYPE_GROUPS),
    distributionChannelId: z.string(),
    clientId: z.string(),
    paymentConfiguration: z.record(z.string(), z.unknown()),
    fee: AmountOut.nullable(),
  })
  .strict();

export const CreditTransaction = z
  .object({
    creditTransactionId: Id,
    paymentId: Id,
    transactionId: Id,
    amount: AmountOut,
    status: z.enum(CREDIT_TRANSACTION_STATUSES),
    reimbursementMethod: z
      .enum([...new Set<string>([...PAYMENT_TYPES, ...PAYMENT_TYPE_GROUPS])] as [string, ...string[]])
      .meta({ description: "The credited transaction's paymentType, or its paymentTypeGroup when it has no type" }),
    reimbursementTypeGroup: z.enum(PAYMENT_TYPE_GROUPS),
    rrn: z.string().nullable(),
    creditedAt: TimestampOut.nullable(),
    failureReason: z.string().nullable(),
  })
  .strict();

export const Credit = z
  .object({
    creditId: Id,
    orderId: z.string().nullable(),
    orderVersion: z.int().min(0).nullable(),
    totalCreditAmount: AmountOut,
    currency: Currency,
    active: z.boolean(),
    status: z.enum(CREDIT_STATUSES),
    settlementId: z.string().nullable(),
    customerNumber: z.string().nullable(),
    organisationId: Id,
    createdAt: TimestampOut,
    updatedAt: TimestampOut,
    creditTransactions: z.array(CreditTransaction),
  })
  .strict();

/** `{items, totalItems, totalPages, page, perPage}` of a search. */
export function paged<T extends z.ZodType>(item: T) {
  return z
    .object({
      items: z.array(item),
      totalItems: z.int().min(0),
      totalPages: z.int().min(0),
      page: z.int().min(1),
      perPage: z.int().min(1).max(500),
    })
    .strict();
}

/**
 * The payments search caps its count (docs/decisions/029-bounded-counts-and-read-paths.md):
 * `totalItems` is exact up to EXACT_COUNT_CAP matches and an estimate above it, which
 * `totalItemsEstimated` says; `exactTotal=true` asks for the exact count however many match.
 */
export const PaymentPage = paged(Payment).extend({
  totalItemsEstimated: z.boolean().meta({
    description:
      `true when more than ${EXACT_COUNT_CAP.toLocaleString("en")} payments match and totalItems (and totalPages) is the database's estimate, ` +
      "rounded to three significant digits; false when totalItems is exact. Ask with exactTotal=true for an exact count (slower on broad searches).",
  }),
  nextCursor: z
    .string()
    .nullable()
    .meta({
      description:
        "Pass as `after` (with the same filters and perPage) for the next page: the payments strictly after this page's last one, " +
        "read by keyset however deep. Opaque. null on the last page.",
      example: "2026-11-21T10:15:30.123Z_4711",
    }),
});
export const CreditPage = paged(Credit);

export const FieldErrorOut = z.object({ field: z.string(), message: z.string() }).strict();

/** RFC 9457 problem details (application/problem+json), as problem.server.ts renders them. */
export const Problem = z
  .object({
    type: z.string().meta({ example: "/problems/invalid-request" }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().meta({ description: "The request path" }),
    correlationId: z.string(),
    errors: z.array(FieldErrorOut).min(1).optional().meta({ description: "One entry per offending field or header" }),
    errorReason: z.enum(ERROR_REASONS).optional(),
  })
  .strict();

export type PaymentJson = z.infer<typeof Payment>;
export type TransactionJson = z.infer<typeof Transaction>;
export type CreditJson = z.infer<typeof Credit>;
export type ProblemJson = z.infer<typeof Problem>;
