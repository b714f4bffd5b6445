// Row locks in the one fixed order every use-case follows: the payment, then its transactions by
// id. Two use-cases on the same payment therefore queue up instead of deadlocking, and what a
// use-case read to decide cannot change before it commits.
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { paymentTransactions, payments } from "../../db/schema";
import { notFound } from "../domain/errors";
import type { Caller } from "../domain/caller";
import { tenantCondition } from "./tenancy.server";

type PaymentRow = typeof payments.$inferSelect;
type TransactionRow = typeof paymentTransactions.$inferSelect;

export type LockedPayment = { payment: PaymentRow; transactions: TransactionRow[] };

/**
 * Locks the caller's payment and its transactions (FOR UPDATE, in the fixed order).
 * @throws not_found  the payment is unknown or another organisation's
 */
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

/**
 * Locks the payment and its transactions, and picks out one transaction of it.
 * @throws not_found  the payment or transaction is unknown or another organisation's
 */
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

// The rule lives in the domain (app/domain/payment.ts); re-exported for the services that still
// import it from here.
export { requireActive } from "../domain/payment";
