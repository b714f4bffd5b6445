// Reading payments with their transactions and operation logs, confined to the caller's tenant.
// Other organisations' rows simply do not match, so their ids answer "not found".
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../../../db/client";
import { readDb } from "../../platform/db.server";
import { operationLog, paymentTransactions, payments } from "../../../db/schema";
import type { Operation, PaymentTypeGroup, ScaExemption, TransactionStatus } from "../../domain/enums";
import { notFound } from "../../domain/errors";
import { money, type Money } from "../../domain/money";
import { amountsOf, summaryOf, type Summary } from "../../domain/transaction";
import type { Caller } from "../../domain/caller";
import { tenantCondition } from "../../platform/tenancy.server";

export type PaymentRow = typeof payments.$inferSelect;
export type TransactionRow = typeof paymentTransactions.$inferSelect;
export type OperationRow = typeof operationLog.$inferSelect;

export type OperationView = {
  operation: Operation;
  amount: Money | null;
  createdAt: Date;
  correlationId: string;
  clientName: string | null;
  pos: string | null;
  distributionChannel: string | null;
  actorType: string;
  actor: string;
};

export type TransactionView = {
  transactionId: number;
  paymentId: number;
  amount: Money;
  currency: string;
  status: TransactionStatus;
  paymentType: string | null;
  paymentTypeGroup: PaymentTypeGroup;
  reimbursementTypeGroup: string | null;
  rrn: string | null;
  cardNumber: string | null;
  externalTransactionId: string | null;
  recurringPaymentId: number | null;
  paymentAgreementId: string | null;
  isImport: boolean;
  scaExemption: ScaExemption;
  terminalId: string | null;
  importData: Record<string, unknown> | null;
  fee: Money | null;
  createdAt: Date;
  updatedAt: Date;
  summary: Summary;
  operationLog: OperationView[];
};

export type PaymentView = {
  paymentId: number;
  orderId: string | null;
  orderVersion: number | null;
  totalAmount: Money;
  currency: string;
  active: boolean;
  settlementId: string | null;
  customerNumber: string | null;
  organisationId: number;
  createdAt: Date;
  updatedAt: Date;
  transactions: TransactionView[];
};

export function toOperationView(row: OperationRow): OperationView {
  return {
    operation: row.operation,
    amount: row.amount === null ? null : money(row.amount),
    createdAt: row.createdAt,
    correlationId: row.correlationId,
    clientName: row.clientName,
    pos: row.pos,
    distributionChannel: row.distributionChannel,
    actorType: row.actorType,
    actor: row.actor,
  };
}

export function toTransactionView(row: TransactionRow, operations: OperationRow[]): TransactionView {
  return {
    transactionId: row.transactionId,
    paymentId: row.paymentId,
    amount: money(row.amount),
    currency: row.currency,
    status: row.status,
    paymentType: row.paymentType,
    paymentTypeGroup: row.paymentTypeGroup,
    reimbursementTypeGroup: row.reimbursementTypeGroup,
    rrn: row.rrn,
    cardNumber: row.cardNumber,
    externalTransactionId: row.externalTransactionId,
    recurringPaymentId: row.recurringPaymentId,
    paymentAgreementId: row.paymentAgreementId,
    isImport: row.isImport,
    scaExemption: row.scaExemption,
    terminalId: row.terminalId,
    importData: row.importData ?? null,
    fee: row.fee === null ? null : money(row.fee),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    summary: summaryOf(amountsOf(row)),
    operationLog: operations.map(toOperationView),
  };
}

export function toPaymentView(row: PaymentRow, transactions: TransactionView[]): PaymentView {
  return {
    paymentId: row.paymentId,
    orderId: row.orderId,
    orderVersion: row.orderVersion,
    totalAmount: money(row.totalAmount),
    currency: row.currency,
    active: row.active,
    settlementId: row.settlementId,
    customerNumber: row.customerNumber,
    organisationId: row.organisationId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    transactions,
  };
}

/** Payments by id with their transactions and logs, in three queries whatever the count. */
export async function loadPaymentViews(database: Db | Tx, paymentRows: PaymentRow[]): Promise<PaymentView[]> {
  if (!paymentRows.length) return [];
  const ids = paymentRows.map((p) => p.paymentId);
  // Both by payment id, so they go out together: one round trip less than reading the log after
  // the transactions (a payment without transactions has no log either).
  const [transactionRows, operationRows] = await Promise.all([
    database
      .select()
      .from(paymentTransactions)
      .where(inArray(paymentTransactions.paymentId, ids))
      .orderBy(asc(paymentTransactions.transactionId)),
    database
      .select()
      .from(operationLog)
      .where(inArray(operationLog.paymentId, ids))
      .orderBy(asc(operationLog.createdAt), asc(operationLog.id)),
  ]);
  const operationsByTransaction = groupBy(operationRows, (o) => o.transactionId);
  const transactionsByPayment = groupBy(transactionRows, (t) => t.paymentId);
  return paymentRows.map((p) =>
    toPaymentView(
      p,
      (transactionsByPayment.get(p.paymentId) ?? []).map((t) =>
        toTransactionView(t, operationsByTransaction.get(t.transactionId) ?? []),
      ),
    ),
  );
}

/**
 * The payment with its transactions and their operation logs, as the caller may see it.
 * @throws not_found  the payment is unknown or another organisation's
 */
export async function getPayment(caller: Caller, input: { paymentId: number }): Promise<PaymentView> {
  return getPaymentLocked(readDb(), caller, input);
}

/**
 * getPayment inside a use-case's own transaction, after it locked and changed the payment: the
 * view it returns is what that transaction wrote.
 * @throws not_found  the payment is unknown or another organisation's
 */
export async function getPaymentLocked(
  tx: Db | Tx,
  caller: Caller,
  input: { paymentId: number },
): Promise<PaymentView> {
  // One statement: the payment, its transactions and their logs (Drizzle's relational query).
  const found = await tx.query.payments.findFirst({
    where: and(eq(payments.paymentId, input.paymentId), tenantCondition(caller)),
    with: {
      transactions: {
        orderBy: asc(paymentTransactions.transactionId),
        with: { operations: { orderBy: [asc(operationLog.createdAt), asc(operationLog.id)] } },
      },
    },
  });
  if (!found) throw notFound("Payment", input.paymentId);
  const { transactions, ...row } = found;
  return toPaymentView(
    row,
    transactions.map(({ operations, ...t }) => toTransactionView(t, operations)),
  );
}

/**
 * One transaction of a payment the caller may see.
 * @throws not_found  the payment or the transaction is unknown, or another organisation's
 */
export async function getTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number },
): Promise<TransactionView> {
  const payment = await getPayment(caller, { paymentId: input.paymentId });
  const transaction = payment.transactions.find((t) => t.transactionId === input.transactionId);
  if (!transaction) throw notFound("Transaction", input.transactionId);
  return transaction;
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
