// Reading payments with their transactions and operation logs, confined to the caller's tenant.
// Other organisations' rows simply do not match, so their ids answer "not found".
import { and, desc, eq, getTableColumns, is, sql, type SQL } from "drizzle-orm";
import { PgJsonb, PgNumeric, type PgColumn } from "drizzle-orm/pg-core";
import type { Db, Tx } from "../../../db/client";
import { readDb } from "../../platform/db.server";
import { operationLog, paymentTransactions, payments } from "../../../db/schema";
import type { Operation, PaymentTypeGroup, ScaExemption, TransactionStatus } from "../../domain/enums";
import { notFound } from "../../domain/errors";
import { money, type Money } from "../../domain/money";
import { amountsOf, summaryOf, type Summary } from "../../domain/transaction";
import type { Caller } from "../../domain/caller";
import { tenantCondition } from "../../platform/tenancy.server";
import type { OperationLogRow } from "../../platform/operation-log.server";

export type PaymentRow = typeof payments.$inferSelect;
export type TransactionRow = typeof paymentTransactions.$inferSelect;
/** The operation log's row, as platform/operation-log.server.ts writes it. */
export type OperationRow = OperationLogRow;

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

// ---------------------------------------------------------------- the document in one statement

type Columns = [key: string, column: PgColumn][];
const TRANSACTION_COLUMNS: Columns = Object.entries(getTableColumns(paymentTransactions));
const OPERATION_COLUMNS: Columns = Object.entries(getTableColumns(operationLog));

/** `alias.column` of a table aliased in a statement. */
const columnOf = (alias: string, column: PgColumn) => sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;

/**
 * One row of `columns` as a JSON array, in their order. Amounts go as text: a JSON number would
 * be read through a float, and numeric(18,5) has more digits than a float keeps.
 */
function jsonArrayOf(alias: string, columns: Columns, ...more: SQL[]): SQL {
  const values = columns.map(([, column]) =>
    is(column, PgNumeric) ? sql`${columnOf(alias, column)}::text` : columnOf(alias, column),
  );
  return sql`json_build_array(${sql.join([...values, ...more], sql`, `)})`;
}

/**
 * How to read back the row jsonArrayOf wrote: each value mapped as Drizzle maps that column's own
 * value (a timestamp's text to a Date…). jsonb is already JSON there; Drizzle's mapping would
 * parse a JSON string a second time.
 */
function rowReader(columns: Columns): (values: unknown[]) => Record<string, unknown> {
  const mappers = columns.map(([key, column]) => ({
    key,
    map: is(column, PgJsonb) ? (value: unknown) => value : (value: unknown) => column.mapFromDriverValue(value),
  }));
  return (values) => {
    const row: Record<string, unknown> = {};
    mappers.forEach(({ key, map }, i) => {
      const value = values[i];
      row[key] = value === null ? null : map(value);
    });
    return row;
  };
}
const transactionRowOf = rowReader(TRANSACTION_COLUMNS);
const operationRowOf = rowReader(OPERATION_COLUMNS);

/**
 * The transactions of the payment whose id is `paymentId`, each with its operation log, as the
 * text of one JSON array: transactions by id, each log oldest first (then by id).
 */
function transactionsJson(paymentId: SQL): SQL<string> {
  const t = "t";
  const o = "o";
  const log = sql`(select coalesce(json_agg(${jsonArrayOf(o, OPERATION_COLUMNS)}
                     order by ${columnOf(o, operationLog.createdAt)}, ${columnOf(o, operationLog.id)}), '[]'::json)
                     from ${operationLog} ${sql.identifier(o)}
                    where ${columnOf(o, operationLog.transactionId)} = ${columnOf(t, paymentTransactions.transactionId)})`;
  return sql<string>`(select coalesce(json_agg(${jsonArrayOf(t, TRANSACTION_COLUMNS, log)}
                        order by ${columnOf(t, paymentTransactions.transactionId)}), '[]'::json)::text
                        from ${paymentTransactions} ${sql.identifier(t)}
                       where ${columnOf(t, paymentTransactions.paymentId)} = ${paymentId})`;
}

/**
 * The transactions of the page's payment (paymentDocuments), built once. Its id is named in full:
 * with one table, Drizzle leaves the table out of the columns it selects, and the subquery's own
 * payment_id would then be the transaction's.
 */
const PAGE_TRANSACTIONS = transactionsJson(columnOf("page", payments.paymentId));

/** The transactions transactionsJson wrote, as views. */
function transactionViewsOf(text: string): TransactionView[] {
  return (JSON.parse(text) as unknown[][]).map((values) =>
    toTransactionView(
      transactionRowOf(values) as TransactionRow,
      (values[TRANSACTION_COLUMNS.length] as unknown[][]).map((operation) => operationRowOf(operation) as OperationRow),
    ),
  );
}

/**
 * The payments matching `where`, newest first, `limit` of them after `offset`, each with its
 * transactions and their operation logs: one statement. The page is chosen first, in a subquery,
 * and only its rows read their transactions (an OFFSET would otherwise build the documents of the
 * rows it skips).
 */
export async function paymentDocuments(
  database: Db | Tx,
  where: SQL | undefined,
  page: { limit: number; offset?: number },
): Promise<PaymentView[]> {
  const chosen = database
    .select()
    .from(payments)
    .where(where)
    .orderBy(desc(payments.createdAt), desc(payments.paymentId))
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .as("page");
  // The subquery's columns, each named as it (Drizzle maps them as the payments' own).
  const columns = Object.fromEntries(
    Object.keys(getTableColumns(payments)).map((key) => [key, chosen[key as keyof PaymentRow]]),
  ) as (typeof chosen)["_"]["selectedFields"];
  const rows = await database
    .select({ ...columns, transactions: PAGE_TRANSACTIONS })
    .from(chosen)
    .orderBy(desc(chosen.createdAt), desc(chosen.paymentId));
  return rows.map(({ transactions, ...row }) => toPaymentView(row, transactionViewsOf(transactions)));
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
  // One statement: the payment, its transactions and their logs (the search's own).
  const [found] = await paymentDocuments(tx, and(eq(payments.paymentId, input.paymentId), tenantCondition(caller)), {
    limit: 1,
  });
  if (!found) throw notFound("Payment", input.paymentId);
  return found;
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
