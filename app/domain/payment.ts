// The payment: what an order costs (its totalAmount), paid by its transactions.
//
//   active ──deactivate──▶ deactivated ──reactivate (with the correct totalAmount)──▶ active
//
// A deactivated payment refuses every transaction operation. Deactivating cancels what is still
// open and credits in full what was captured, except imported transactions: their money came in
// outside Paydesk, so the client credits them itself through the transaction's credit route.
import { conflict, DomainError, ruleBroken } from "./errors";
import type { TransactionStatus } from "./enums";
import { formatAmount, type Money } from "./money";
import { CANCELLABLE } from "./transaction";

export type PaymentState = { paymentId: number; active: boolean };

/**
 * A deactivated payment refuses every transaction operation until it is reactivated.
 * @throws conflict  the payment is deactivated
 */
export function requireActive(payment: PaymentState): void {
  if (!payment.active) {
    throw conflict(
      `Payment ${payment.paymentId} is deactivated; reactivate it (PATCH active: true with the correct totalAmount) first`,
      undefined,
      { key: "errors.payment.deactivated", values: { paymentId: payment.paymentId } },
    );
  }
}

/**
 * A payment created together with its first transaction is paid by that transaction alone, so
 * the transaction's amount (where given) is the payment's totalAmount.
 * @throws rule  the transaction's amount differs from totalAmount
 */
export function requireFirstTransactionPaysTotal(transactionAmount: Money | undefined, totalAmount: Money): void {
  if (transactionAmount !== undefined && transactionAmount !== totalAmount) {
    throw ruleBroken(
      `transaction.amount ${formatAmount(transactionAmount)} must equal totalAmount ${formatAmount(totalAmount)}`,
      "transaction.amount",
    );
  }
}

export type PaymentChange = { totalAmount?: Money; active?: true };

/**
 * Whether a change of a payment's total and active flag may happen, and whether it reactivates:
 * - reactivating (active: true on a deactivated payment) needs the correct totalAmount with it;
 * - a deactivated payment's total changes only together with its reactivation;
 * - the total never drops below what its transactions claim (transaction.claimedTotal);
 * - with `onlyReactivate` (a staff user asked to reactivate, not to edit the total), an active
 *   payment is a conflict.
 * @throws invalid   reactivation without a totalAmount
 * @throws conflict  the payment is already active (onlyReactivate); a total change on a deactivated payment
 * @throws rule      totalAmount is below what the transactions claim
 */
export function decidePaymentChange(
  payment: PaymentState,
  change: PaymentChange,
  claimed: Money,
  { onlyReactivate }: { onlyReactivate: boolean },
): { reactivating: boolean } {
  if (onlyReactivate && payment.active)
    throw conflict(`Payment ${payment.paymentId} is already active`, undefined, {
      key: "errors.payment.alreadyActive",
      values: { paymentId: payment.paymentId },
    });
  const reactivating = change.active === true && !payment.active;
  if (reactivating && change.totalAmount === undefined) {
    throw new DomainError("invalid", "Reactivating a payment needs its correct totalAmount in the same patch", {
      errors: [{ field: "totalAmount", message: "is required when reactivating (active: true)" }],
    });
  }
  if (!payment.active && !reactivating && change.totalAmount !== undefined) {
    throw conflict(
      `Payment ${payment.paymentId} is deactivated; send active: true with the totalAmount to reactivate it`,
    );
  }
  if (change.totalAmount !== undefined && change.totalAmount < claimed) {
    throw ruleBroken(
      `totalAmount ${formatAmount(change.totalAmount)} is less than its transactions already hold (${formatAmount(claimed)})`,
      "totalAmount",
      {
        key: "errors.payment.totalBelowHeld",
        values: { totalAmount: formatAmount(change.totalAmount), held: formatAmount(claimed) },
      },
    );
  }
  return { reactivating };
}

export type DeactivatedTransaction = {
  transactionId: number;
  status: TransactionStatus;
  isImport: boolean;
  /** transaction.creditableAmount: captured less credited less what open credits reserve. */
  creditable: Money;
};

export type DeactivationPlan = {
  /** CREATED, INITIATED and AUTHORIZED transactions, cancelled. */
  cancel: number[];
  /** Captured transactions that were not imported, credited for all that is creditable. */
  credit: { transactionId: number; amount: Money }[];
};

/** What deactivating a payment does to each of its transactions. */
export function planDeactivation(transactions: readonly DeactivatedTransaction[]): DeactivationPlan {
  const plan: DeactivationPlan = { cancel: [], credit: [] };
  for (const t of transactions) {
    if (CANCELLABLE.has(t.status)) plan.cancel.push(t.transactionId);
    else if (t.status === "CAPTURED" && !t.isImport && t.creditable > 0n) {
      plan.credit.push({ transactionId: t.transactionId, amount: t.creditable });
    }
  }
  return plan;
}
