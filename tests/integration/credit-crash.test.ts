// A server process killed with SIGKILL while a credit is being executed (the sandbox PSP has acted
// but not answered yet), then restarted and asked again: every credit transaction ends credited
// exactly once, and credited ≤ captured holds. Runs the real `server/index.ts` as a child
// process over a shared database: a PGlite data directory, or a fresh database on the server
// when DATABASE_URL is set.
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { creditTransactions, operationLog, paymentTransactions } from "../../db/schema";
import { pspOperations, usePsp } from "../support/psp";
import { randomPort, startServerProcess, stopServerProcess, type ServerProcess } from "../support/process";
import { apiClientToken, useSharedDatabase, waitFor } from "../support/fixtures-process";

// The file's own PSP: its refunds are slowed down while the first server runs.
const psp = usePsp();
const database = useSharedDatabase("crash");

let base = "";
let token = "";

async function startServer(latencyMs: number): Promise<ServerProcess> {
  await psp().setFaults({ latencyMs, ops: ["refund"] });
  // The PSP bound as in production (the suite's own is longer, for a loaded machine): a crashed
  // request's operation is leased for twice that, so recovery looks again within seconds.
  const server = await startServerProcess(database, randomPort(), {
    PAYDESK_RECOVERY_INTERVAL_MS: "500",
    PAYDESK_PSP_TIMEOUT_MS: "3000",
  });
  base = server.url;
  return server;
}

/** Runs `steps` against a server started with the PSP's refunds `latencyMs` late, and stops it after them. */
async function withServer(latencyMs: number, steps: (server: ServerProcess) => Promise<void>) {
  const server = await startServer(latencyMs);
  try {
    await steps(server);
  } finally {
    await stopServerProcess(server);
  }
}

function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "ET-Client-Name": "crash-test",
      "Content-Type": "application/json",
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A VISA payment of `amount`, created, authorized and captured through the API; its ids and its transaction's route. */
async function capturedPayment(amount: string) {
  const created = await (
    await api("POST", "/v1/payments", { totalAmount: amount, transaction: { paymentType: "VISA" } })
  ).json();
  const paymentId: number = created.paymentId;
  const transactionId: number = created.transactions[0].transactionId;
  const route = `/v1/payments/${paymentId}/transactions/${transactionId}`;
  expect((await api("POST", `${route}/authorize`, { totalAmount: amount })).status).toBe(200);
  expect((await api("PUT", `${route}/capture`)).status).toBe(200);
  return { paymentId, transactionId, route };
}

/**
 * Sends `request` and kills the server once the PSP has done one refund more: done but not yet
 * answered. The PSP's memory says when; waiting for that rather than a fixed time keeps the kill
 * inside the window on a slow machine too.
 */
async function killAfterNextRefund(server: ServerProcess, request: () => Promise<unknown>) {
  const refunds = () =>
    psp()
      .service.memory.dump()
      .filter((o) => o.operation === "refund").length;
  const before = refunds();
  const answer = request().catch(() => null);
  await waitFor(() => refunds() > before, 60_000);
  await stopServerProcess(server);
  await answer;
}

beforeAll(async () => {
  token = await apiClientToken(database, { name: "Crash test", organisationId: 901, channels: ["web"] });
});

describe("a crash in the middle of executing a credit", () => {
  it("ends with every credit transaction credited exactly once after restart and retry", async () => {
    let creditId = 0;
    const transactionIds: number[] = [];
    const amounts = ["30.00", "45.50", "12.25"];
    await withServer(2_000, async (server) => {
      const lines = [];
      for (const amount of amounts) {
        const { paymentId, transactionId } = await capturedPayment(amount);
        transactionIds.push(transactionId);
        lines.push({ paymentId, transactionId, amount });
      }
      const credit = await api("POST", "/v1/credits", { totalCreditAmount: "87.75", creditTransactions: lines });
      expect(credit.status).toBe(201);
      creditId = (await credit.json()).creditId;

      // Execute, and kill the process while the first refund is done but not yet answered.
      await killAfterNextRefund(server, () => api("PUT", `/v1/credits/${creditId}/execute`));
    });

    // The crash hit the dangerous window: the sandbox refunded the first line (its outcome is
    // stored under the line's reference), but the line was never settled.
    await database.withDatabase(async (handle) => {
      const lines = await handle.db
        .select()
        .from(creditTransactions)
        .where(eq(creditTransactions.creditId, creditId))
        .orderBy(creditTransactions.creditTransactionId);
      expect(lines[0].status).toBe("CREATED");
      expect(lines[0].providerReference).not.toBeNull();
      const refunded = (await pspOperations(psp().url)).filter((o) => o.reference === lines[0].providerReference);
      expect(refunded).toHaveLength(1);
      expect(lines.slice(1).every((l) => l.providerReference === null)).toBe(true);
    });

    await withServer(0, async () => {
      const retried = await api("PUT", `/v1/credits/${creditId}/execute`);
      expect(retried.status).toBe(200);
      const body = await retried.json();
      expect(body.status).toBe("CREDITED");
      expect(body.creditTransactions.map((l: { status: string }) => l.status)).toEqual([
        "CREDITED",
        "CREDITED",
        "CREDITED",
      ]);
      // A third call is still a no-op.
      expect((await api("PUT", `/v1/credits/${creditId}/execute`)).status).toBe(200);
    });

    await database.withDatabase(async (handle) => {
      const rows = await handle.db
        .select()
        .from(paymentTransactions)
        .where(inArray(paymentTransactions.transactionId, transactionIds));
      for (const row of rows) {
        expect(row.creditedAmount).toBe(row.capturedAmount);
        expect(row.reservedAmount).toBe("0.00000");
        expect(row.status).toBe("CREDITED");
      }
      const entries = await handle.db
        .select()
        .from(operationLog)
        .where(and(inArray(operationLog.transactionId, transactionIds), eq(operationLog.operation, "CREDIT")));
      expect(entries).toHaveLength(3);
      // One refund per credit transaction at the PSP, and each line carries that refund's rrn.
      const lines = await handle.db.select().from(creditTransactions).where(eq(creditTransactions.creditId, creditId));
      const references = lines.map((l) => l.providerReference!);
      const refunds = (await pspOperations(psp().url)).filter((o) => references.includes(o.reference));
      expect(refunds).toHaveLength(3);
      for (const line of lines) {
        const refund = refunds.find((r) => r.reference === line.providerReference)!;
        expect(refund.answer.rrn).toBe(line.rrn);
      }
    });
  }, 180_000);

  it("a direct credit killed mid-refund settles by itself after restart, and its Idempotency-Key then answers the result", async () => {
    let route!: string;
    let paymentId!: number;
    let transactionId = 0;
    const key = { "Idempotency-Key": `direct-credit-${Date.now()}` };
    await withServer(2_000, async (server) => {
      ({ paymentId, transactionId, route } = await capturedPayment("66.00"));
      await killAfterNextRefund(server, () => api("POST", `${route}/credit`, { amount: "20.00" }, key));
    });

    // Nobody asks again: the restarted server's recovery job finds the refund by its reference.
    await withServer(0, async () => {
      // (Read through the API: an embedded database belongs to the running server alone.)
      const started = Date.now();
      let credited = "";
      while (Date.now() - started < 60_000) {
        const payment = await (await api("GET", `/v1/payments/${paymentId}`)).json();
        credited = payment.transactions[0].summary.creditedAmount;
        if (credited === "20.00") break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(credited).toBe("20.00");

      // The crashed request's key is still "in progress" (409 RESOURCE_BUSY) until its settled
      // operation has been quiet for a few seconds; then the retry resumes it and answers.
      let retried = await api("POST", `${route}/credit`, { amount: "20.00" }, key);
      while (retried.status === 409 && Date.now() - started < 60_000) {
        expect((await retried.json()).errorReason).toBe("RESOURCE_BUSY");
        await new Promise((resolve) => setTimeout(resolve, 500));
        retried = await api("POST", `${route}/credit`, { amount: "20.00" }, key);
      }
      expect(retried.status).toBe(201);
      const body = await retried.json();
      expect(body.transactions[0].summary).toMatchObject({ creditedAmount: "20.00", creditableAmount: "46.00" });
      // Answered once: the same key replays it.
      const again = await api("POST", `${route}/credit`, { amount: "20.00" }, key);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
    });

    await database.withDatabase(async (handle) => {
      const lines = await handle.db
        .select()
        .from(creditTransactions)
        .where(eq(creditTransactions.transactionId, transactionId));
      expect(lines).toHaveLength(1);
      const refunds = (await pspOperations(psp().url)).filter((o) => o.reference === lines[0].providerReference);
      expect(refunds).toHaveLength(1);
      const [row] = await handle.db
        .select()
        .from(paymentTransactions)
        .where(eq(paymentTransactions.transactionId, transactionId));
      expect(row).toMatchObject({ creditedAmount: "20.00000", reservedAmount: "0.00000", capturedAmount: "66.00000" });
    });
  }, 180_000);
});
