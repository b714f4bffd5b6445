// Claim → ask → settle over HTTP, raced (PostgreSQL with DATABASE_URL; PGlite runs them one after
// another): one provider effect per operation however many requests race for it, concurrent
// capture and cancel end in exactly one of them, credited ≤ captured after racing credits, and a
// retry with the same Idempotency-Key after a 503 gets the settled result. The sandbox PSP keeps
// every effect by reference (GET /admin/operations of the file's own PSP): it is compared with Paydesk's.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { money, sum } from "../../app/domain/money";
import { withDatabase } from "../../app/platform/db.server";
import { recoverProviderOperations } from "../../app/services/operations/recovery.server";
import { operationLog, paymentTransactions, providerOperations } from "../../db/schema";
import { agreementTransaction, insertActiveAgreement, insertStoredCard } from "../support/fixtures-transactions";
import {
  capturedCardPayment,
  createClient,
  expectProblem,
  paymentWithTransaction,
  type TestClient,
} from "../support/api";
import { pspOperations, usePsp } from "../support/psp";
import { pspEffects, usePspFaults } from "../support/psp-faults";
import { startTestServer, type TestServer } from "../support/server";

const psp = usePsp();
const { inject: injectFault, clear: clearFaults } = usePspFaults(psp);
let server: TestServer;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await createClient(server, { organisationId: 871 });
});
afterAll(() => server?.close());

const txPath = (p: { paymentId: number; transactionId: number }) =>
  `/v1/payments/${p.paymentId}/transactions/${p.transactionId}`;

async function authorizedCard(total: string) {
  const p = await paymentWithTransaction(client, total, "VISA");
  expect((await client.post(`${txPath(p)}/authorize`, { totalAmount: total })).status).toBe(200);
  return p;
}

/** The sandbox PSP's own record of what it did for a transaction, by operation kind. */
const sandboxEffects = (kind: string, transactionId: number) => pspEffects(psp(), kind, transactionId);

async function logged(transactionId: number, operation: "CAPTURE" | "CANCEL" | "CREDIT") {
  return server.database.db
    .select()
    .from(operationLog)
    .where(and(eq(operationLog.transactionId, transactionId), eq(operationLog.operation, operation)));
}

describe("races", () => {
  it("50 concurrent captures of one transaction: exactly one provider capture, the others 409", async () => {
    const p = await authorizedCard("150.00");
    // The PSP takes its time, so the race meets the capture in flight.
    await injectFault({ fault: "slow", times: 1, operations: ["CAPTURE"], delayMs: 400 });
    const results = await Promise.all(Array.from({ length: 50 }, () => client.put(`${txPath(p)}/capture`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const busy = results.filter((r) => r.status === 409 && r.body.errorReason === "RESOURCE_BUSY");
    // Those that came after the capture settled are told it is captured; all the others, that it is busy.
    expect(busy.length + results.filter((r) => /already captured/.test(r.body?.detail ?? "")).length).toBe(49);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) expectProblem(r, 409);
    expect(await sandboxEffects("CAPTURE", p.transactionId)).toHaveLength(1);
    expect(await logged(p.transactionId, "CAPTURE")).toHaveLength(1);
  });

  it("capture and cancel at once, 10 times: each transaction ends in exactly one of them, at the PSP too", async () => {
    for (let round = 0; round < 10; round++) {
      const p = await authorizedCard("20.00");
      const [capture, cancel] = await Promise.all([
        client.put(`${txPath(p)}/capture`),
        client.put(`${txPath(p)}/cancel`),
      ]);
      expect([capture.status, cancel.status].sort()).toEqual([200, 409]);
      const [row] = await server.database.db
        .select()
        .from(paymentTransactions)
        .where(eq(paymentTransactions.transactionId, p.transactionId));
      const captures = await sandboxEffects("CAPTURE", p.transactionId);
      const cancels = await sandboxEffects("CANCEL", p.transactionId);
      if (capture.status === 200) {
        expect(row.status).toBe("CAPTURED");
        expect([captures.length, cancels.length]).toEqual([1, 0]);
      } else {
        expect(row.status).toBe("CANCELLED");
        expect([captures.length, cancels.length]).toEqual([0, 1]);
      }
    }
  });

  it("racing direct credits and executions never credit more than was captured, and the PSP refunded exactly that", async () => {
    const p = await capturedCardPayment(client, "100.00");
    const credit = (amount: string) => client.post(`${txPath(p)}/credit`, { amount });
    const created = await client.post("/v1/credits", {
      totalCreditAmount: "40.00",
      creditTransactions: [{ paymentId: p.paymentId, transactionId: p.transactionId, amount: "40.00" }],
    });
    expect(created.status).toBe(201);
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => credit("25.00")),
      ...Array.from({ length: 8 }, () => client.put(`/v1/credits/${created.body.creditId}/execute`)),
    ]);
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    const [row] = await server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, p.transactionId));
    const credited = money(row.creditedAmount);
    expect(credited + money(row.reservedAmount)).toBeLessThanOrEqual(money(row.capturedAmount));
    const ours = await server.database.db
      .select({ reference: providerOperations.reference })
      .from(providerOperations)
      .where(and(eq(providerOperations.transactionId, p.transactionId), eq(providerOperations.kind, "REFUND")));
    const references = new Set(ours.map((o) => o.reference));
    const refunds = (await pspOperations(psp().url)).filter((o) => references.has(o.reference) && o.answer.ok);
    expect(sum(refunds.map((o) => money(o.amount!)))).toBe(credited);
    const entries = await logged(p.transactionId, "CREDIT");
    expect(sum(entries.map((e) => money(e.amount!)))).toBe(credited);
  });
});

describe("no answer from the provider", () => {
  // A "timeout" hangs until the adapter gives up; the races above keep the default bound, as a
  // loaded machine can take a second to answer 16 requests at once.

  it("answers 503 PROVIDER_UNAVAILABLE with Retry-After; the same Idempotency-Key then gets the settled result", async () => {
    const p = await authorizedCard("30.00");
    const key = { "Idempotency-Key": `capture-after-503-${p.transactionId}` };
    await injectFault({ fault: "lost_answer", times: 1, operations: ["CAPTURE"] });
    const first = await client.put(`${txPath(p)}/capture`, undefined, key);
    expectProblem(first, 503);
    expect(first.body.errorReason).toBe("PROVIDER_UNAVAILABLE");
    expect(Number(first.headers.get("retry-after"))).toBeGreaterThan(0);

    const retried = await client.put(`${txPath(p)}/capture`, undefined, key);
    expect(retried.status).toBe(200);
    expect(retried.body.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: "30.00" } });
    const replayed = await client.put(`${txPath(p)}/capture`, undefined, key);
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body).toEqual(retried.body);
    expect(await sandboxEffects("CAPTURE", p.transactionId)).toHaveLength(1);
  });

  it("while the provider is down: 503 for the request, 409 RESOURCE_BUSY for any other; recovery settles it once it is back", async () => {
    const p = await authorizedCard("35.00");
    await injectFault({ fault: "timeout", times: Infinity });
    expectProblem(await client.put(`${txPath(p)}/capture`), 503);
    const other = await client.put(`${txPath(p)}/cancel`);
    expect(other.status).toBe(409);
    expect(other.body.errorReason).toBe("RESOURCE_BUSY");
    await server.database.db
      .update(providerOperations)
      .set({ nextCheckAt: new Date(0) })
      .where(eq(providerOperations.transactionId, p.transactionId));
    expect(await withDatabase(server.database, () => recoverProviderOperations())).toMatchObject({ settled: 0 });
    await clearFaults();
    await server.database.db
      .update(providerOperations)
      .set({ nextCheckAt: new Date(0) })
      .where(eq(providerOperations.transactionId, p.transactionId));
    await withDatabase(server.database, () => recoverProviderOperations());
    const after = await client.get(`/v1/payments/${p.paymentId}`);
    expect(after.body.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: "35.00" } });
    expect(await sandboxEffects("CAPTURE", p.transactionId)).toHaveLength(1);
  });

  it("a direct credit without an answer is settled by the same key's retry: one credit, one refund", async () => {
    const p = await capturedCardPayment(client, "50.00");
    const key = { "Idempotency-Key": `credit-after-503-${p.transactionId}` };
    await injectFault({ fault: "timeout", times: 1, operations: ["REFUND"] });
    expectProblem(await client.post(`${txPath(p)}/credit`, { amount: "15.00" }, key), 503);
    const retried = await client.post(`${txPath(p)}/credit`, { amount: "15.00" }, key);
    expect(retried.status).toBe(201);
    expect(retried.body.transactions[0].summary).toMatchObject({ creditedAmount: "15.00", creditableAmount: "35.00" });
    expect(await logged(p.transactionId, "CREDIT")).toHaveLength(1);
  });
});

describe("retrying with the same Idempotency-Key", () => {
  it("after 409 RESOURCE_BUSY gets the outcome once the operation in flight has settled, not the 409 again", async () => {
    const p = await paymentWithTransaction(client, "60.00", "VISA");
    expect((await client.post(`${txPath(p)}/authorize`, { totalAmount: "40.00" })).status).toBe(200);
    // An increment in flight at a slow PSP keeps the transaction busy.
    await injectFault({ fault: "slow", times: 1, operations: ["AUTHORIZE"], delayMs: 1_500 });
    const increment = client.post(`${txPath(p)}/authorize`, { totalAmount: "60.00" });
    const inFlight = () =>
      server.database.db
        .select()
        .from(providerOperations)
        .where(and(eq(providerOperations.transactionId, p.transactionId), eq(providerOperations.status, "PENDING")));
    while (!(await inFlight()).length) await new Promise((resolve) => setTimeout(resolve, 20));
    const key = { "Idempotency-Key": `capture-while-busy-${p.transactionId}` };
    const busy = await client.put(`${txPath(p)}/capture`, undefined, key);
    expectProblem(busy, 409);
    expect(busy.body.errorReason).toBe("RESOURCE_BUSY");
    expect((await increment).status).toBe(200);

    const retried = await client.put(`${txPath(p)}/capture`, undefined, key);
    expect(retried.status).toBe(200);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(retried.body.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: "60.00" } });
    expect((await client.put(`${txPath(p)}/capture`, undefined, key)).headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("a retried execution that only resumed another request's refund", () => {
  it("runs again under its key after a 503 and answers the credit, instead of 409 'look it up'", async () => {
    const p = await capturedCardPayment(client, "50.00");
    const credit = await client.post("/v1/credits", {
      totalCreditAmount: "20.00",
      creditTransactions: [{ paymentId: p.paymentId, transactionId: p.transactionId, amount: "20.00" }],
    });
    const execute = (key: string) =>
      client.put(`/v1/credits/${credit.body.creditId}/execute`, undefined, { "Idempotency-Key": key });
    /** The same key again until the first request's 503 has released it (that is not awaited). */
    const retry = async (key: string) => {
      let result = await execute(key);
      for (let i = 0; i < 100 && result.status === 409 && result.body.errorReason === "RESOURCE_BUSY"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        result = await execute(key);
      }
      return result;
    };
    const [first, second] = [`execute-first-${p.transactionId}`, `execute-second-${p.transactionId}`];
    // The first execution claims the line's refund; the PSP refunds, but its answer is lost.
    await injectFault({ fault: "lost_answer", times: 1, operations: ["REFUND"] });
    expectProblem(await execute(first), 503);
    // The second resumes that refund (nothing of its own), and the PSP does not answer its lookup.
    await injectFault({ fault: "timeout", times: 1, operations: ["LOOKUP"] });
    expectProblem(await execute(second), 503);
    await clearFaults();

    const again = await retry(second);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ status: "CREDITED", creditTransactions: [{ status: "CREDITED" }] });
    expect((await retry(first)).status).toBe(200);
    // One refund at the PSP (by the credit line's reference), one CREDIT in the log.
    const refunds = (await pspOperations(psp().url)).filter(
      (o) => o.operation === "refund" && o.transactionReference === `transaction-${p.transactionId}` && o.answer.ok,
    );
    expect(refunds).toHaveLength(1);
    expect(await logged(p.transactionId, "CREDIT")).toHaveLength(1);
  });
});

describe("the PSP's ledger", () => {
  /** A transaction's line in the PSP's ledger (nothing cancelled). */
  const ledgerLine = (authorized: string, captured: string, refunded = "0.00") => ({
    authorized,
    captured,
    cancelled: "0.00",
    refunded,
  });

  it("books every effect on its transaction: refunds (direct and executed) and Vipps agreement charges too", async () => {
    const card = await capturedCardPayment(client, "100.00");
    expect((await client.post(`${txPath(card)}/credit`, { amount: "15.00" })).status).toBe(201);
    const credit = await client.post("/v1/credits", {
      totalCreditAmount: "10.50",
      creditTransactions: [{ paymentId: card.paymentId, transactionId: card.transactionId, amount: "10.50" }],
    });
    expect((await client.put(`/v1/credits/${credit.body.creditId}/execute`)).status).toBe(200);

    const agreement = { agreementId: "agr_ledger", organisationId: client.organisationId, customerNumber: "4711" };
    await insertActiveAgreement(server.database.db, agreement);
    const vipps = await agreementTransaction(client, agreement.agreementId, "45.00");
    expect((await client.post(`${txPath(vipps)}/app-claim`, {})).status).toBe(204);
    expect((await client.put(`${txPath(vipps)}/capture`)).status).toBe(200);
    expect((await client.post(`${txPath(vipps)}/credit`, { amount: "5.00" })).status).toBe(201);

    const ledger = await psp().ledger();
    expect(ledger[`transaction-${card.transactionId}`]).toEqual(ledgerLine("100.00", "100.00", "25.50"));
    expect(ledger[`transaction-${vipps.transactionId}`]).toEqual(ledgerLine("45.00", "45.00", "5.00"));
  });

  it("books a stored-card charge with autoSale as captured: Paydesk records it captured, so the PSP must capture it", async () => {
    const internal = await createClient(server, {
      organisationId: 872,
      privileged: true,
      allowedRedirectPrefixes: ["https://shop.example/"],
    });
    const recurringPaymentId = await insertStoredCard(server.database.db, {
      organisationId: 872,
      customerNumber: "4712",
      panHash: "ph_ledger_test",
    });
    const charge = async (autoSale: boolean) => {
      const payment = await internal.post("/v1/payments", {
        totalAmount: "30.00",
        customerNumber: "4712",
        transaction: { recurringPaymentId },
      });
      const p = {
        paymentId: payment.body.paymentId as number,
        transactionId: payment.body.transactions[0].transactionId,
      };
      const charged = await internal.post(`${txPath(p)}/terminal`, {
        transactionType: "MIT_UCOF",
        redirectUrl: "https://shop.example/return",
        autoSale,
      });
      expect(charged.status, JSON.stringify(charged.body)).toBe(201);
      return p;
    };
    const sale = await charge(true);
    const authorization = await charge(false);
    const ledger = await psp().ledger();
    expect(ledger[`transaction-${sale.transactionId}`]).toEqual(ledgerLine("30.00", "30.00"));
    expect(ledger[`transaction-${authorization.transactionId}`]).toEqual(ledgerLine("30.00", "0.00"));
    expect((await internal.get(`/v1/payments/${sale.paymentId}`)).body.transactions[0].status).toBe("CAPTURED");
  });
});
