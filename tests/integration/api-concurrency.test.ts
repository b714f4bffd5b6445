// Many requests at once on the same rows: the money invariants must hold under any
// interleaving. Against PostgreSQL (DATABASE_URL) these requests really run in parallel on a
// pool of connections; on PGlite they queue up, and the same assertions must hold.
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withDatabase } from "../../app/platform/db.server";
import { recoverProviderOperations } from "../../app/services/operations/recovery.server";
import { dailyVolume, paymentTransactions, providerOperations } from "../../db/schema";
import { money, sum } from "../../app/domain/money";
import { capturedCardPayment, paymentWithTransaction, operationsNamed } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 701 });

const N = 50;
const times = <T>(n: number, make: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => make(i)));
const countOf = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

type Answer = { status: number; body: { errorReason?: string } };

/**
 * The one request that claimed the provider operation: it answered 200, or, when the PSP did not
 * answer within its bound (a loaded machine), 503 PROVIDER_UNAVAILABLE with the operation left
 * pending. Then the recovery job settles it, as it would in production, so the test goes on to
 * count the effects either way. Returns how many provider effects there are to find: one, or
 * none when the provider never got the unanswered request. Every other request must have been refused with 409 at once.
 */
async function settledWinner(results: Answer[], transactionId: number): Promise<number> {
  const statuses = results.map((r) => r.status);
  const unanswered = results.filter((r) => r.status === 503);
  for (const r of unanswered) expect(r.body.errorReason, JSON.stringify(r.body)).toBe("PROVIDER_UNAVAILABLE");
  expect(countOf(statuses, 200) + unanswered.length, JSON.stringify(statuses)).toBe(1);
  expect(countOf(statuses, 409), JSON.stringify(statuses)).toBe(results.length - 1);
  if (unanswered.length === 0) return 1;
  await server.database.db
    .update(providerOperations)
    .set({ nextCheckAt: new Date(0) })
    .where(eq(providerOperations.transactionId, transactionId));
  await withDatabase(server.database, () => recoverProviderOperations());
  const operations = await server.database.db
    .select({ status: providerOperations.status })
    .from(providerOperations)
    .where(
      and(eq(providerOperations.transactionId, transactionId), inArray(providerOperations.kind, ["CAPTURE", "CANCEL"])),
    );
  // Settled now; the provider either did it (one effect) or never got it (none). Never two.
  expect(operations.filter((o) => o.status === "PENDING")).toEqual([]);
  return operations.filter((o) => o.status === "SUCCEEDED").length;
}

describe(`${N} concurrent requests`, () => {
  it("capture one AUTHORIZED transaction: exactly one succeeds, with one CAPTURE entry", async () => {
    const created = await paymentWithTransaction(client, "123.45", "VISA");
    const base = `/v1/payments/${created.paymentId}/transactions/${created.transactionId}`;
    await client.post(`${base}/authorize`, { totalAmount: "123.45" });

    const results = await times(N, () => client.put(`${base}/capture`));
    const effects = await settledWinner(results, created.transactionId);

    const captures = await operationsNamed(server, created.transactionId, "CAPTURE");
    expect(captures).toHaveLength(effects);
    if (effects === 0) return;
    const [volume] = await server.database.db
      .select({
        count: sql<number>`sum(${dailyVolume.capturedCount})::int`,
        amount: sql<string>`sum(${dailyVolume.capturedAmount})::text`,
      })
      .from(dailyVolume)
      .where(eq(dailyVolume.organisationId, client.organisationId));
    expect(volume.count).toBe(1);
    expect(money(volume.amount)).toBe(money("123.45"));
  });

  it("add transactions to one payment: their amounts never exceed totalAmount", async () => {
    const created = await client.post("/v1/payments", { totalAmount: "100.00" });
    const paymentId = created.body.paymentId;
    const results = await times(N, (i) =>
      client.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "CASH", amount: i % 2 ? "10.00" : "7.50" }),
    );
    const statuses = results.map((r) => r.status);
    expect(countOf(statuses, 201) + countOf(statuses, 422)).toBe(N);
    expect(countOf(statuses, 201)).toBeGreaterThan(0);

    const rows = await server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.paymentId, paymentId));
    const total = sum(rows.filter((r) => r.status !== "CANCELLED").map((r) => money(r.amount)));
    expect(total <= money("100.00")).toBe(true);
    expect(rows).toHaveLength(countOf(statuses, 201));
    // the payment is full: whatever is left is smaller than any refused request
    expect(money("100.00") - total < money("10.00")).toBe(true);
  });

  it("credit one captured transaction in full: it is credited exactly once", async () => {
    const captured = await capturedCardPayment(client, "64.00");
    const results = await times(N, () => client.post(`${captured.base}/credit`));
    const statuses = results.map((r) => r.status);
    expect(countOf(statuses, 201), JSON.stringify(statuses)).toBe(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const [row] = await server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, captured.transactionId));
    expect(row.status).toBe("CREDITED");
    expect(money(row.creditedAmount)).toBe(money("64.00"));
    expect(money(row.reservedAmount)).toBe(0n);
    const creditEntries = await operationsNamed(server, captured.transactionId, "CREDIT");
    expect(creditEntries).toHaveLength(1);
  });

  it("cancel and capture racing on one AUTHORIZED transaction: exactly one of them wins", async () => {
    const created = await paymentWithTransaction(client, "20.00", "VISA");
    const base = `/v1/payments/${created.paymentId}/transactions/${created.transactionId}`;
    await client.post(`${base}/authorize`, { totalAmount: "20.00" });
    const results = await times(N, (i) => (i % 2 ? client.put(`${base}/capture`) : client.put(`${base}/cancel`)));
    const effects = await settledWinner(results, created.transactionId);
    const final = await client.get(base);
    const operations = final.body.operationLog.map((o: { operation: string }) => o.operation);
    expect(operations.filter((o: string) => o === "CAPTURE" || o === "CANCEL")).toHaveLength(effects);
  });

  it("deactivate while transactions are added: nothing is added after the deactivation", async () => {
    const created = await client.post("/v1/payments", { totalAmount: "1000.00" });
    const paymentId = created.body.paymentId;
    const results = await times(N, (i) =>
      i === N / 2
        ? client.put(`/v1/payments/${paymentId}/deactivate`)
        : client.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "VISA", amount: "1.00" }),
    );
    expect(results[N / 2].status).toBe(200);
    const after = await client.get(`/v1/payments/${paymentId}`);
    expect(after.body.active).toBe(false);
    // every transaction that made it in before the deactivation was cancelled by it
    expect(after.body.transactions.every((t: { status: string }) => t.status === "CANCELLED")).toBe(true);
  });
});
