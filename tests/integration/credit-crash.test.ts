// A server process killed with SIGKILL while a credit is being executed (the sandbox has acted
// but not answered yet), then restarted and asked again: every credit transaction ends credited
// exactly once, and credited ≤ captured holds. Runs the real `server/index.ts` as a child
// process over a shared database: a PGlite data directory, or a fresh database on the server
// when DATABASE_URL is set.
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { creditTransactions, operationLog, paymentTransactions, sandboxOperations } from "../../db/schema";
import { randomPort, startServerProcess, stopServerProcess, type ServerProcess } from "../support/process";
import { apiClientToken, useSharedDatabase, waitFor } from "../support/fixtures-process";

const database = useSharedDatabase("crash");
let base = "";
let token = "";

/** Runs `work` against a server whose sandbox answers after `latencyMs`, and stops it afterwards. */
async function withServer(latencyMs: number, work: (server: ServerProcess) => Promise<void>) {
  const server = await startServerProcess(database, randomPort(), {
    PAYDESK_SANDBOX_LATENCY_MS: String(latencyMs),
    LOG_LEVEL: "info",
  });
  base = server.url;
  try {
    await work(server);
  } finally {
    await stopServerProcess(server);
  }
}

function api(method: string, route: string, body?: unknown) {
  return fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "ET-Client-Name": "crash-test", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
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
        const created = await (
          await api("POST", "/v1/payments", { totalAmount: amount, transaction: { paymentType: "VISA" } })
        ).json();
        const transactionId = created.transactions[0].transactionId;
        const route = `/v1/payments/${created.paymentId}/transactions/${transactionId}`;
        expect((await api("POST", `${route}/authorize`, { totalAmount: amount })).status).toBe(200);
        expect((await api("PUT", `${route}/capture`)).status).toBe(200);
        transactionIds.push(transactionId);
        lines.push({ paymentId: created.paymentId, transactionId, amount });
      }
      const credit = await api("POST", "/v1/credits", { totalCreditAmount: "87.75", creditTransactions: lines });
      expect(credit.status).toBe(201);
      creditId = (await credit.json()).creditId;

      // Execute, and kill the process while the first refund is done but not yet answered.
      // The sandbox says when the first refund is done (a log line); waiting for that rather than
      // a fixed time keeps the kill inside the window on a slow machine too.
      const execution = api("PUT", `/v1/credits/${creditId}/execute`).catch(() => null);
      await waitFor(() => server.output().includes("sandbox refund done, answer delayed"), 60_000, 50);
      await stopServerProcess(server);
      await execution;
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
      const refunded = await handle.db
        .select()
        .from(sandboxOperations)
        .where(eq(sandboxOperations.reference, lines[0].providerReference!));
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
      const refunds = await handle.db
        .select()
        .from(sandboxOperations)
        .where(
          inArray(
            sandboxOperations.reference,
            lines.map((l) => l.providerReference!),
          ),
        );
      expect(refunds).toHaveLength(3);
      for (const line of lines) {
        const refund = refunds.find((r) => r.reference === line.providerReference)!;
        expect((refund.outcome as { rrn: string }).rrn).toBe(line.rrn);
      }
    });
  }, 180_000);
});
