// A sick database, as an operator meets it: not migrated, read-only, stopped, hung. /readyz says
// so; /v1 answers 503 problems with Retry-After within a few seconds, never a 500 and never a
// long wait; and when the database is back the same process serves again without a restart.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, setDatabase, type DatabaseHandle } from "../../db/client";
import { createClient, type TestClient } from "../support/api";
import { createServerDatabase, dropServerDatabase, usingServer } from "../support/database";
import { startTestServer, type TestServer } from "../support/server";
import { createStaff, getPage, loginAs } from "../support/staff";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { databaseUrl } from "../support/template";

let server: TestServer;
let client: TestClient;
let knownPaymentId: number;

beforeAll(async () => {
  server = await startTestServer();
  client = await createClient(server);
  knownPaymentId = (await client.post("/v1/payments", { totalAmount: "1.00" })).body.paymentId;
});
afterAll(async () => {
  setDatabase(server.database);
  await server.close();
});

/** Runs `work` with the process's database swapped for `handle`, then puts the test database back. */
async function withHandle<T>(handle: DatabaseHandle, work: () => Promise<T>): Promise<T> {
  setDatabase(handle);
  try {
    return await work();
  } finally {
    setDatabase(server.database);
  }
}

const readyz = async () => {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") };
};

/** The test database's name, from the handle's (password-free) location URL. */
const testDatabaseName = () => new URL(server.database.location).pathname.slice(1);

describe("/readyz", () => {
  it("is ready on a migrated database that commits a write", async () => {
    expect(await readyz()).toMatchObject({ status: 200, body: { status: "ready", migrations: "applied" } });
  });

  it("fails on a database without the migrations", async () => {
    const name = `paydesk_unmigrated_${process.pid}_${Date.now()}`;
    const serverUrl = process.env.DATABASE_URL;
    if (serverUrl) await createServerDatabase(serverUrl, name, { fromTemplate: false });
    const empty = await openDatabase(serverUrl ? { url: databaseUrl(serverUrl, name) } : { inMemory: true });
    try {
      const answer = await withHandle(empty, readyz);
      expect(answer).toMatchObject({ status: 503, retryAfter: "5" });
      expect(answer.body).toMatchObject({ status: "unavailable", database: "ok", migrations: "pending" });
    } finally {
      await empty.close();
      if (serverUrl) await dropServerDatabase(serverUrl, name);
    }
  });

  it("fails when the database answers reads but cannot commit a write", async () => {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      // PGlite is one connection: the session setting makes every later transaction read-only.
      await server.database.db.execute("set default_transaction_read_only = on");
      try {
        expect(await readyz()).toMatchObject({ status: 503, body: { database: "read-only", migrations: "applied" } });
      } finally {
        await server.database.db.execute("set default_transaction_read_only = off");
      }
      return;
    }
    const name = testDatabaseName();
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database ${name} set default_transaction_read_only = on`);
    const readOnly = await openDatabase({ url: databaseUrl(serverUrl, name), maxConnections: 2 });
    try {
      const answer = await withHandle(readOnly, readyz);
      expect(answer).toMatchObject({ status: 503, body: { database: "read-only", migrations: "applied" } });
    } finally {
      await readOnly.close();
      await admin.unsafe(`alter database ${name} reset default_transaction_read_only`);
      await admin.end();
    }
    expect((await readyz()).status).toBe(200);
  });
});

describe.skipIf(!usingServer())("a database that stops or hangs under load (PostgreSQL)", () => {
  let proxy: TcpProxy;
  let proxied: DatabaseHandle;
  let deadlineBefore: string | undefined;

  beforeAll(async () => {
    const target = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(process.env.DATABASE_URL!);
    viaProxy.port = String(proxy.port);
    proxied = await openDatabase({
      url: databaseUrl(viaProxy.toString(), testDatabaseName()),
      maxConnections: 5,
      timeouts: { connectMs: 1_000, statementMs: 2_000, lockMs: 1_000, idleInTransactionMs: 5_000 },
    });
    setDatabase(proxied);
    deadlineBefore = process.env.PAYDESK_REQUEST_DEADLINE_MS;
    process.env.PAYDESK_REQUEST_DEADLINE_MS = "3000";
  });
  afterAll(async () => {
    if (deadlineBefore === undefined) delete process.env.PAYDESK_REQUEST_DEADLINE_MS;
    else process.env.PAYDESK_REQUEST_DEADLINE_MS = deadlineBefore;
    setDatabase(server.database);
    await proxied?.close().catch(() => {});
    await proxy?.close();
  });

  /** Creates payments and reads them back, 4 at a time, until stopped; records every answer. */
  function load() {
    const answers: { status: number; ms: number; contentType: string | null; retryAfter: string | null }[] = [];
    let running = true;
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const started = Date.now();
        const result =
          i % 2 === 0
            ? await client.post("/v1/payments", {
                totalAmount: "10.00",
                orderId: `outage-${n}-${i}-${started.toString(36)}`,
              })
            : await client.get(`/v1/payments/${knownPaymentId}`);
        answers.push({
          status: result.status,
          ms: Date.now() - started,
          contentType: result.headers.get("content-type"),
          retryAfter: result.headers.get("retry-after"),
        });
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    return {
      answers,
      stop: async () => {
        running = false;
        await Promise.all(workers);
      },
    };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function servingAgain(deadlineMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < deadlineMs) {
      if ((await client.get(`/v1/payments/${knownPaymentId}`)).status === 200) return Date.now() - started;
      await sleep(200);
    }
    throw new Error(`not serving again within ${deadlineMs} ms`);
  }

  it("answers 503 problems while the server is stopped, and serves again when it is back", async () => {
    const cookie = await loginAs(server, await createStaff(server, "support"));
    const running = load();
    await sleep(1_000);
    proxy.cut();
    const readyDuringOutage = await readyz();
    const staffScreenDuringOutage = await getPage(server, "/payments", cookie);
    await sleep(3_000);
    proxy.restore();
    const recoveredInMs = await servingAgain(15_000);
    await sleep(500);
    await running.stop();

    const statuses = new Set(running.answers.map((a) => a.status));
    expect(readyDuringOutage.status).toBe(503);
    expect(staffScreenDuringOutage.status).toBe(503);
    expect(await staffScreenDuringOutage.text()).toContain("The database is unavailable right now");
    expect(statuses.has(503)).toBe(true);
    expect(
      [...statuses].every((s) => s === 200 || s === 201 || s === 503),
      JSON.stringify([...statuses]),
    ).toBe(true);
    for (const answer of running.answers.filter((a) => a.status === 503)) {
      expect(answer.contentType).toContain("application/problem+json");
      expect(answer.retryAfter).toBe("5");
    }
    expect(recoveredInMs).toBeLessThan(15_000);
    expect((await readyz()).status).toBe(200);
  });

  it("answers a hung database with 503 within the request deadline, and recovers without a restart", async () => {
    const running = load();
    await sleep(500);
    proxy.hang();
    await sleep(5_000);
    proxy.restore();
    await servingAgain(15_000);
    await running.stop();

    const hung = running.answers.filter((a) => a.status === 503);
    expect(hung.length).toBeGreaterThan(0);
    expect(running.answers.every((a) => a.status !== 500)).toBe(true);
    // The deadline is 3 s here; nothing a client waited for took much longer than that.
    expect(Math.max(...running.answers.map((a) => a.ms))).toBeLessThan(5_000);
  });
});
