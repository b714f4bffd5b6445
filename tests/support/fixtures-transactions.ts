// Reading a transaction back in the HTTP integration tests: its /v1 path, its body as a client
// sees it, the operations of its log, and its row in the database.
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { operationLog, paymentTransactions } from "../../db/schema";
import type { TestClient } from "./api";
import type { TestDatabase } from "./database";
import type { TestServer } from "./server";

export type TransactionIds = { paymentId: number; transactionId: number };

/** `/v1/payments/{paymentId}/transactions/{transactionId}`, then `/action` when one is given. */
export const transactionPath = (p: TransactionIds, action = "") =>
  `/v1/payments/${p.paymentId}/transactions/${p.transactionId}${action ? `/${action}` : ""}`;

/** The transaction as `client` GETs it (which must answer 200). */
export async function readTransaction(client: TestClient, p: TransactionIds) {
  const result = await client.get(transactionPath(p));
  expect(result.status).toBe(200);
  return result.body;
}

/** The operations of a transaction's operation log as the API shows it, in its order. */
export const operationsOf = (t: { operationLog: { operation: string }[] }) => t.operationLog.map((o) => o.operation);

/** The payment_transactions row of a transaction, in the database of `server` (or of an in-process test). */
export async function transactionRow(server: { database: TestDatabase }, transactionId: number) {
  const [row] = await server.database.db
    .select()
    .from(paymentTransactions)
    .where(eq(paymentTransactions.transactionId, transactionId));
  return row;
}

/** A transaction's status and the operations of its log: what a refused or abandoned flow must leave as it was. */
export const stateOf = (t: { status: string; operationLog: { operation: string }[] }) => ({
  status: t.status,
  operations: operationsOf(t),
});

/** The operation_log rows of a transaction, in the order they were written. */
export function operationLogOf(server: TestServer, transactionId: number) {
  return server.database.db
    .select()
    .from(operationLog)
    .where(eq(operationLog.transactionId, transactionId))
    .orderBy(operationLog.id);
}
