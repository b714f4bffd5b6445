// A server process killed with SIGKILL while a credit is being executed (the sandbox has acted
// but not answered yet), then restarted and asked again: every credit transaction ends credited
// exactly once, and credited ≤ captured holds. Runs the real `server/index.ts` as a child
// process over a shared database: a PGlite data directory, or a fresh database on the server
// when DATABASE_URL is set.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../app/services/api-clients.server";
import { openDatabase, type DatabaseHandle, type OpenOptions } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { creditTransactions, operationLog, paymentTransactions, sandboxOperations } from "../../db/schema";

const serverUrl = process.env.DATABASE_URL;
let options: OpenOptions;
let dropDatabase = async () => {};
const port = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;
let token = "";

async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(options);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

function startServer(latencyMs: number): Promise<ChildProcess> {
  // One process (node with tsx's loader), so SIGKILL hits the server itself; the tsx CLI would
  // run the server in a child process that a SIGKILL of the parent leaves running.
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      PAYDESK_SEED: "none",
      PAYDESK_SANDBOX_LATENCY_MS: String(latencyMs),
      LOG_LEVEL: "warn",
      ...(options.url ? { DATABASE_URL: options.url } : { DATABASE_URL: "", PAYDESK_DATA_DIR: options.dataDir }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const poll = setInterval(async () => {
      try {
        if ((await fetch(`${base}/readyz`)).ok) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve(child);
        }
      } catch {
        // not listening yet
      }
    }, 200);
    child.on("exit", (code) => {
      clearInterval(poll);
      clearTimeout(deadline);
      if (code !== null && code !== 0) reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function api(method: string, route: string, body?: unknown) {
  return fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "ET-Client-Name": "crash-test", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function killHard(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  if (serverUrl) {
    const name = `paydesk_crash_${process.pid}_${Date.now()}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    options = { url: url.toString() };
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    options = { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-crash-")) };
    dropDatabase = async () => fs.rmSync(options.dataDir!, { recursive: true, force: true });
  }
  await withDatabase(async (handle) => {
    await migrateDatabase(handle);
    token = (await createApiClient(handle.db, { name: "Crash test", organisationId: 901, channels: ["web"] })).token;
  });
});

afterAll(async () => {
  await dropDatabase();
});

describe("a crash in the middle of executing a credit", () => {
  it("ends with every credit transaction credited exactly once after restart and retry", async () => {
    let server = await startServer(2_000);
    let creditId = 0;
    const transactionIds: number[] = [];
    const amounts = ["30.00", "45.50", "12.25"];
    try {
      const lines = [];
      for (const amount of amounts) {
        const created = await (await api("POST", "/v1/payments", { totalAmount: amount, transaction: { paymentType: "VISA" } })).json();
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
      const execution = api("PUT", `/v1/credits/${creditId}/execute`).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 700));
      await killHard(server);
      await execution;
    } finally {
      if (server.exitCode === null && server.signalCode === null) await killHard(server);
    }

    // The crash hit the dangerous window: the sandbox refunded the first line (its outcome is
    // stored under the line's reference), but the line was never settled.
    await withDatabase(async (handle) => {
      const lines = await handle.db
        .select()
        .from(creditTransactions)
        .where(eq(creditTransactions.creditId, creditId))
        .orderBy(creditTransactions.creditTransactionId);
      expect(lines[0].status).toBe("CREATED");
      expect(lines[0].providerReference).not.toBeNull();
      const refunded = await handle.db.select().from(sandboxOperations).where(eq(sandboxOperations.reference, lines[0].providerReference!));
      expect(refunded).toHaveLength(1);
      expect(lines.slice(1).every((l) => l.providerReference === null)).toBe(true);
    });

    server = await startServer(0);
    try {
      const retried = await api("PUT", `/v1/credits/${creditId}/execute`);
      expect(retried.status).toBe(200);
      const body = await retried.json();
      expect(body.status).toBe("CREDITED");
      expect(body.creditTransactions.map((l: { status: string }) => l.status)).toEqual(["CREDITED", "CREDITED", "CREDITED"]);
      // A third call is still a no-op.
      expect((await api("PUT", `/v1/credits/${creditId}/execute`)).status).toBe(200);
    } finally {
      await killHard(server);
    }

    await withDatabase(async (handle) => {
      const rows = await handle.db.select().from(paymentTransactions).where(inArray(paymentTransactions.transactionId, transactionIds));
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
        .where(inArray(sandboxOperations.reference, lines.map((l) => l.providerReference!)));
      expect(refunds).toHaveLength(3);
      for (const line of lines) {
        const refund = refunds.find((r) => r.reference === line.providerReference)!;
        expect((refund.outcome as { rrn: string }).rrn).toBe(line.rrn);
      }
    });
  }, 180_000);
});
