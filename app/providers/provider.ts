// The PSP boundary. Use-cases talk to this interface only; the implementation is the HTTP client
// of the sandbox PSP (psp-http.server.ts). Each provider converts our exact amounts into its own
// money format inside its adapter, never outside.
import type { ErrorReason } from "../domain/enums";
import type { Money } from "../domain/money";

/** What every call that moves an amount of a transaction at the PSP carries. */
export type AmountRequest = {
  /** Our idempotency reference: the same reference always yields the first outcome. */
  reference: string;
  /** Our name of the transaction at the PSP (`transaction-<transactionId>`), for its ledger. */
  transactionReference?: string;
  amount: Money;
  currency: string;
};

export type RefundRequest = AmountRequest & {
  paymentType: string | null;
  paymentTypeGroup: string;
  /** The original transaction's references, for the PSP to find it. */
  rrn: string | null;
  cardNumber: string | null;
};

export type RefundOutcome = { ok: true; rrn: string } | { ok: false; reason: string; errorReason?: ErrorReason };

/**
 * Our stable name of a transaction at the PSP, which its ledger books every effect on: each
 * operation on a transaction names it, so the PSP's books can be held against ours transaction
 * by transaction.
 */
export const transactionReference = (transactionId: number): string => `transaction-${transactionId}`;

/** Capture, cancel and authorization adjustments act on an authorization the PSP holds for a transaction. */
export type TransactionAtProvider = {
  /** Our idempotency reference for THIS operation: the same reference always yields the first outcome. */
  reference: string;
  /** Our stable name of the transaction at the PSP: `transaction-<transactionId>`. */
  transactionReference: string;
  amount: Money;
  currency: string;
  paymentTypeGroup: string;
};

export type ProviderAnswer =
  { ok: true; rrn?: string; pspReference?: string } | { ok: false; reason: string; errorReason?: ErrorReason };

/** What the PSP knows of an operation by our reference. */
export type ProviderLookup =
  { found: false } | { found: true; operation: string; amount: Money | null; answer: ProviderAnswer };

export interface PaymentProvider {
  refund(request: RefundRequest): Promise<RefundOutcome>;
  capture(request: TransactionAtProvider): Promise<ProviderAnswer>;
  cancel(request: TransactionAtProvider): Promise<ProviderAnswer>;
  /** Pre-authorization, incremental or reductional: `amount` is the new authorized total. */
  authorize(
    request: TransactionAtProvider & { kind: "PRE_AUTHORIZATION" | "INCREMENTAL" | "REDUCTIONAL" },
  ): Promise<ProviderAnswer>;
  /** Status by reference, for any operation of any port (cards, mobile, self-service, refund, capture, …). */
  lookup(reference: string): Promise<ProviderLookup>;
}
