// The PSP boundary. Use-cases talk to this interface only; the default implementation is the
// in-process sandbox (sandbox.server.ts). Each provider converts our exact amounts into its own
// money format inside its adapter, never outside.
import type { ErrorReason } from "../domain/enums";
import type { Money } from "../domain/money";

export type RefundRequest = {
  /** Our idempotency reference: the same reference always yields the first outcome. */
  reference: string;
  amount: Money;
  currency: string;
  paymentType: string | null;
  paymentTypeGroup: string;
  /** The original transaction's references, for the PSP to find it. */
  rrn: string | null;
  cardNumber: string | null;
};

export type RefundOutcome = { ok: true; rrn: string } | { ok: false; reason: string; errorReason?: ErrorReason };

export interface PaymentProvider {
  refund(request: RefundRequest): Promise<RefundOutcome>;
}
