// The sandbox PSP's JSON protocol (docs/psp-protocol.md), shared by both ends: the HTTP adapters
// (psp-http.server.ts) build requests and check answers with it, the PSP service
// (sandbox/service.ts) checks requests and builds answers with it.
//
// Money crosses the wire as a decimal string ("100.02"), never as a JSON number. Every operation
// is a POST /v1/<operation> carrying our idempotency `reference`; the PSP answers
// `{ reference, replayed, answer }`, where `answer` is the first outcome ever recorded under the
// reference. `Psp-Merchant` names the merchant account: references and ledgers are per merchant.
import { z } from "zod";
import { ERROR_REASONS, INVOICE_PAYMENT_METHODS, PRODUCT_PAYMENT_METHODS } from "../domain/enums";
import { formatAmount, parseAmount, type Money } from "../domain/money";

export const MERCHANT_HEADER = "Psp-Merchant";
export const DEFAULT_MERCHANT = "paydesk";

/** Every operation a fault can be aimed at (PAYDESK_PSP_FAULT_OPS), `lookup` included. */
export const PSP_OPERATIONS = [
  "authorize",
  "capture",
  "cancel",
  "refund",
  "card-authorize",
  "card-charge",
  "vipps-claim",
  "vipps-charge",
  "wallet-authorize",
  "invoice-authorize",
  "self-service-pay",
  "self-service-register",
  "lookup",
] as const;
export type PspOperation = (typeof PSP_OPERATIONS)[number];
export type PspEffectOperation = Exclude<PspOperation, "lookup">;

/** An amount on the wire: the API's decimal string. */
export const wireAmount = (value: Money): string => formatAmount(value);

/** An amount from the wire, or undefined when it is not a decimal string. */
export function amountFromWire(value: unknown): Money | undefined {
  const parsed = parseAmount(value);
  return parsed.ok ? parsed.value : undefined;
}

const amount = z.string().refine((value) => parseAmount(value).ok, 'must be a decimal string such as "100.00"');
const text = z.string().min(1).max(200);
/** A sale (the merchant's autoSale): the card is authorized and captured in one operation. */
const sale = z.boolean().optional();

const common = {
  reference: text,
  /** Our name of the transaction at the PSP (`transaction-<id>`): the ledger line the effect lands on. */
  transactionReference: text.optional(),
  amount,
  currency: z.string().regex(/^[A-Z]{3}$/),
};

export const REQUESTS = {
  authorize: z.object({
    ...common,
    transactionReference: text,
    paymentTypeGroup: text,
    kind: z.enum(["PRE_AUTHORIZATION", "INCREMENTAL", "REDUCTIONAL"]),
  }),
  capture: z.object({ ...common, transactionReference: text, paymentTypeGroup: text }),
  cancel: z.object({ ...common, transactionReference: text, paymentTypeGroup: text }),
  refund: z.object({
    ...common,
    paymentType: text.nullable(),
    paymentTypeGroup: text,
    rrn: text.nullable(),
    /** What we keep of the card: its last 4 digits. */
    cardNumber: z.string().max(32).nullable(),
  }),
  "card-authorize": z.object({
    ...common,
    /** The only request that carries a PAN; the PSP keeps nothing of it beyond last 4 and masked PAN. */
    card: z.object({
      number: z.string().regex(/^[0-9]{12,19}$/),
      expiryMonth: z.number().int().min(1).max(12),
      expiryYear: z.number().int().min(2000).max(2200),
      cvc: z.string().regex(/^[0-9]{3,4}$/),
      holder: z.string().min(1).max(100),
    }),
    storeCard: z.boolean(),
    capture: sale,
  }),
  "card-charge": z.object({
    ...common,
    panHash: text,
    maskedPan: z.string().max(32).nullable(),
    initiator: z.enum(["MERCHANT", "CUSTOMER"]),
    capture: sale,
  }),
  "vipps-claim": z.object({ ...common, phoneNumber: text }),
  "vipps-charge": z.object({ ...common, agreementId: text }),
  "wallet-authorize": z.object({
    ...common,
    walletProvider: z.enum(["ApplePay", "GooglePay"]),
    card: z.object({ last4: z.string().max(4).nullable(), network: z.string().max(40).nullable() }),
  }),
  "invoice-authorize": z.object({ ...common, invoiceId: text }),
  "self-service-pay": z.object({ ...common, paymentMethod: z.enum(INVOICE_PAYMENT_METHODS) }),
  "self-service-register": z.object({
    reference: text,
    paymentMethod: z.enum(PRODUCT_PAYMENT_METHODS),
    productCode: text,
  }),
} satisfies Record<PspEffectOperation, z.ZodType>;

export type PspRequest<O extends PspEffectOperation> = z.infer<(typeof REQUESTS)[O]>;

const decline = z.object({ ok: z.literal(false), reason: z.string(), errorReason: z.enum(ERROR_REASONS).optional() });
/** The card, mobile and self-service ports always say why. */
const declineWithReason = z.object({ ok: z.literal(false), reason: z.string(), errorReason: z.enum(ERROR_REASONS) });
const approval = z.looseObject({
  ok: z.literal(true),
  rrn: z.string().optional(),
  pspReference: z.string().optional(),
});

/** Any operation's answer; approvals may carry more (a card's facts), which a lookup passes on. */
export const ANSWER = z.union([approval, decline]);

const cardApproval = z.object({
  ok: z.literal(true),
  rrn: z.string(),
  pspReference: z.string(),
  panHash: z.string().nullable(),
  last4: z.string().regex(/^[0-9]{4}$/),
  maskedPan: z.string().regex(/^[0-9]{6}\*{6}[0-9]{4}$/),
  scheme: z.enum(["VISA", "MASTERCARD", "AMEX"]),
  /** ISO 8601: the last millisecond of the expiry month. */
  cardExpiresAt: z.iso.datetime(),
});
const withRrn = z.object({ ok: z.literal(true), rrn: z.string() });
const withPspReference = z.object({ ok: z.literal(true), pspReference: z.string() });
const withBoth = z.object({ ok: z.literal(true), rrn: z.string(), pspReference: z.string() });
const generic = z.object({ ok: z.literal(true), rrn: z.string().optional(), pspReference: z.string().optional() });

/** The answer each operation gives, as the adapters check it. */
export const ANSWERS = {
  authorize: z.union([generic, decline]),
  capture: z.union([generic, decline]),
  cancel: z.union([generic, decline]),
  refund: z.union([withRrn, decline]),
  "card-authorize": z.union([cardApproval, declineWithReason]),
  "card-charge": z.union([withBoth, declineWithReason]),
  "vipps-claim": z.union([withPspReference, declineWithReason]),
  "vipps-charge": z.union([withPspReference, declineWithReason]),
  "wallet-authorize": z.union([withRrn, declineWithReason]),
  "invoice-authorize": z.union([withPspReference, declineWithReason]),
  "self-service-pay": z.union([withPspReference, declineWithReason]),
  "self-service-register": z.union([withPspReference, declineWithReason]),
} satisfies Record<PspEffectOperation, z.ZodType>;

export type PspAnswer<O extends PspEffectOperation> = z.infer<(typeof ANSWERS)[O]>;

/** POST /v1/<operation>: the answer, and whether it is the first one replayed. */
export const envelope = <T extends z.ZodType>(answer: T) =>
  z.object({ reference: z.string(), replayed: z.boolean(), answer });

/** GET /v1/operations/<reference>. */
export const LOOKUP = z.union([
  z.object({ found: z.literal(false) }),
  z.object({ found: z.literal(true), operation: z.enum(PSP_OPERATIONS), amount: amount.nullable(), answer: ANSWER }),
]);

/** One transaction's line in the PSP's ledger: what it did in total, per kind (decimal strings). */
export type LedgerLine = { authorized: string; captured: string; cancelled: string; refunded: string };

/** The knobs of PUT /admin/faults (and of the PSP's environment, PAYDESK_PSP_*). */
export const FAULTS = z.object({
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  timeoutRate: z.number().min(0).max(1).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  lostAnswerRate: z.number().min(0).max(1).default(0),
  /** The operations the faults and the latency apply to; null: all of them. */
  ops: z.array(z.enum(PSP_OPERATIONS)).nullable().default(null),
  /** How many more calls (of `ops`) the knobs apply to, then none; null: every call, for as long as they are set. */
  times: z.number().int().min(0).nullable().default(null),
});
export type Faults = z.infer<typeof FAULTS>;
