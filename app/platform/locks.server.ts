// Row locks in the one fixed order every use-case follows: the payment, then its transactions by
// id. Two use-cases on the same payment therefore queue up instead of deadlocking, and what a
// use-case read to decide cannot change before it commits.
import { and, asc, eq, sql } from "drizzle-orm";
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
  // Two statements sent together (one round trip): the server runs them in order, so the second
  // starts once the payment is locked and, with a snapshot of its own, sees every transaction
  // added before that lock was granted. (One statement joining both would lock in the same order
  // but miss a transaction committed while it waited for the payment.) Without the payment (not
  // found, or another organisation's) the second locks nothing of the caller's: it is not read.
  const [[payment], transactions] = await Promise.all([
    tx
      .select()
      .from(payments)
      .where(and(eq(payments.paymentId, paymentId), tenantCondition(caller)))
      .for("update"),
    tx
      .select()
      .from(paymentTransactions)
      .where(
        and(
          eq(paymentTransactions.paymentId, paymentId),
          sql`exists (select 1 from ${payments} where ${payments.paymentId} = ${paymentId} and ${tenantCondition(caller) ?? sql`true`})`,
        ),
      )
      .orderBy(asc(paymentTransactions.transactionId))
      .for("update"),
  ]);
  if (!payment) throw notFound("Payment", paymentId);
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
