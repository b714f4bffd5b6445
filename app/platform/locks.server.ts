// Row locks in the one fixed order every use-case follows: the payment, then its transactions by
// id. Two use-cases on the same payment therefore queue up instead of deadlocking, and what a
// use-case read to decide cannot change before it commits.
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { paymentTransactions, payments } from "../../db/schema";
import { conflict, notFound } from "../domain/errors";
import type { Caller } from "../domain/caller";
import { tenantCondition, type PaymentRow, type TransactionRow } from "../services/queries/payment-view.server";

export type LockedPayment = { payment: PaymentRow; transactions: TransactionRow[] };

export async function lockPayment(tx: Tx, caller: Caller, paymentId: number): Promise<LockedPayment> {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.paymentId, paymentId), tenantCondition(caller)))
    .for("update");
  if (!payment) throw notFound("Payment", paymentId);
  const transactions = await tx
    .select()
    .from(paymentTransactions)
    .where(eq(paymentTransactions.paymentId, paymentId))
    .orderBy(asc(paymentTransactions.transactionId))
    .for("update");
  return { payment, transactions };
}

/** Locks the payment and its transactions, and picks out one transaction of it. */
export async function lockTransaction(
  tx: Tx,
  caller: Caller,
  paymentId: number,
  transactionId: number,
): Promise<LockedPayment & { transaction: TransactionRow }> {
  const locked = await lockPayment(tx, caller, paymentId);
  const transaction = locked.transactions.find((t) => t.transactionId === transactionId);
  if (!transaction) throw notFound("Transaction", transactionId);
  return { ...locked, transaction };
}

/** A deactivated payment refuses every transaction operation until it is reactivated. */
export function requireActive(payment: PaymentRow): void {
  if (!payment.active) {
    throw conflict(
      `Payment ${payment.paymentId} is deactivated; reactivate it (PATCH active: true with the correct totalAmount) first`,
    );
  }
}
