// Reading a transaction back in the HTTP integration tests: its /v1 path, its body as a client
// sees it, the operations of its log, and its row in the database; and what a transaction charges
// without a customer on a page: an ACTIVE Vipps agreement, a stored card.
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { operationLog, paymentAgreements, paymentTransactions, recurringPayments } from "../../db/schema";
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

/** An ACTIVE Vipps agreement of an organisation's customer, as if the customer had confirmed it. */
export async function insertActiveAgreement(
  db: TestDatabase["db"],
  agreement: { agreementId: string; organisationId: number; customerNumber: string },
) {
  await db.insert(paymentAgreements).values({
    ...agreement,
    productName: "Pass",
    pricing: {},
    provider: { type: "VIPPS" },
    status: "ACTIVE",
  });
}

/** A payment of `totalAmount` with one transaction charging the agreement (created, not yet charged). */
export async function agreementTransaction(client: TestClient, agreementId: string, totalAmount: string) {
  const payment = await client.post("/v1/payments", { totalAmount });
  const added = await client.post(`/v1/payments/${payment.body.paymentId}/transactions`, {
    paymentAgreementId: agreementId,
  });
  if (added.status !== 201) throw new Error(`add transaction: ${added.status} ${JSON.stringify(added.body)}`);
  return { paymentId: payment.body.paymentId as number, transactionId: added.body.transactionId as number };
}

/** An ACTIVE stored VISA card (a recurring payment) of an organisation's customer, as if it had been registered; its id. */
export async function insertStoredCard(
  db: TestDatabase["db"],
  card: { organisationId: number; customerNumber: string; panHash: string },
): Promise<number> {
  const [stored] = await db
    .insert(recurringPayments)
    .values({
      ...card,
      recurringStatus: "ACTIVE",
      isPrimary: true,
      paymentType: "VISA",
      maskedPan: "411111******1111",
      cardExpiresAt: new Date(Date.now() + 365 * 24 * 3600_000),
    })
    .returning();
  return stored.recurringPaymentId;
}
