// PAYDESK_WORKERS: the server as N processes on one port and one PostgreSQL database. What the
// processes share must hold across them: one rate-limit budget per client, and a disabled API
// client refused by every process at once (each caches clients; a trigger's NOTIFY drops them).
import http from "node:http";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClients, callbackAttempts, callbackOutbox } from "../../db/schema";
import { workerCount } from "../../server/workers";
import { createApiClient } from "../../app/services/admin/api-clients.server";
import { setDatabase } from "../../db/client";
import { systemCaller } from "../support/use-case";
import { useSharedDatabase } from "../support/fixtures-process";
import { randomPort, startServerProcess, stopServerProcess, type ServerProcess } from "../support/process";

describe("PAYDESK_WORKERS", () => {
  it("is 1 by default, refuses nonsense, and refuses more than one process on embedded PGlite", () => {
    expect(workerCount({})).toEqual({ workers: 1 });
    expect(workerCount({ PAYDESK_WORKERS: "3", DATABASE_URL: "postgres://x/y" })).toEqual({ workers: 3 });
    expect(workerCount({ PAYDESK_WORKERS: "1" })).toEqual({ workers: 1 });
    expect(workerCount({ PAYDESK_WORKERS: "2" })).toMatchObject({ error: expect.stringMatching(/DATABASE_URL/) });
    for (const bad of ["0", "-1", "2.5", "many", "65"])
      expect(workerCount({ PAYDESK_WORKERS: bad, DATABASE_URL: "postgres://x/y" })).toHaveProperty("error");
  });
});

/** One request on a connection of its own: the cluster hands each new connection to the next worker. */
function request(url: string, token: string, path: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { agent: false, headers: { Authorization: `Bearer ${token}`, "ET-Client-Name": "workers-test" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode! }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(process.env.DATABASE_URL)("two app processes on one PostgreSQL database", () => {
  const database = useSharedDatabase("workers");
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess(database, randomPort(), { PAYDESK_WORKERS: "2" });
  }, 90_000);

  afterAll(async () => {
    if (server) await stopServerProcess(server, "SIGTERM");
  });

  async function newClient(rateLimitPerMinute: number) {
    return database.withDatabase(async (handle) => {
      setDatabase(handle);
      try {
        return await createApiClient(systemCaller(), {
          name: `Workers ${Math.random().toString(36).slice(2, 8)}`,
          organisationId: 4100,
          channels: ["web"],
          rateLimitPerMinute,
        });
      } finally {
        setDatabase(undefined);
      }
    });
  }

  it("serves from two processes that share one rate-limit budget per client", async () => {
    const { token } = await newClient(6);
    // The budget is per client and clock minute: ten paced requests must not straddle a new one.
    const leftOfMinute = 60_000 - (Date.now() % 60_000);
    if (leftOfMinute < 12_000) await sleep(leftOfMinute + 100);
    const statuses: number[] = [];
    // Paced past twice the processes' 200 ms flush of their counts (one adds, the other reads back),
    // so each knows what the other let through.
    for (let i = 0; i < 10; i++) {
      const answer = await request(server.url, token, "/v1/payment-methods");
      statuses.push(answer.status);
      await sleep(500);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
  }, 30_000);

  it("refuses a client disabled by SQL in every process at once, although each had it cached", async () => {
    const { token, clientId } = await newClient(100_000);
    for (let i = 0; i < 4; i++) expect((await request(server.url, token, "/v1/payment-methods")).status).toBe(200);
    await database.withDatabase((handle) =>
      handle.db.update(apiClients).set({ disabledAt: new Date() }).where(eq(apiClients.clientId, clientId)),
    );
    await sleep(200); // the NOTIFY's way to both processes
    const after = await Promise.all([0, 1, 2, 3].map(() => request(server.url, token, "/v1/payment-methods")));
    expect(after.map((a) => a.status)).toEqual([401, 401, 401, 401]);
  }, 30_000);

  it("delivers each queued callback once although both processes run the delivery job", async () => {
    // A receiver that answers a little slowly, so that the processes' claims overlap in time.
    const received = new Map<string, number>();
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const { n } = JSON.parse(body) as { n: string };
        received.set(n, (received.get(n) ?? 0) + 1);
        setTimeout(() => res.writeHead(202).end(), 20);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const count = 150;
    try {
      const ids = await database.withDatabase(async (handle) => {
        const rows = await handle.db
          .insert(callbackOutbox)
          .values(Array.from({ length: count }, (_, i) => ({ url, target: url, payload: { n: String(i) } })))
          .returning({ id: callbackOutbox.id });
        return rows.map((row) => row.id);
      });
      const deadline = Date.now() + 60_000;
      while (received.size < count && Date.now() < deadline) await sleep(250);
      await sleep(1_500); // a second delivery, were there one, would come by now
      expect(received.size).toBe(count);
      expect([...received.values()].filter((times) => times !== 1)).toEqual([]);
      const attempts = await database.withDatabase((handle) =>
        handle.db
          .select({ callbackId: callbackAttempts.callbackId, n: sql<number>`count(*)::int` })
          .from(callbackAttempts)
          .where(inArray(callbackAttempts.callbackId, ids))
          .groupBy(callbackAttempts.callbackId),
      );
      expect(attempts).toHaveLength(count);
      expect(attempts.every((row) => row.n === 1)).toBe(true);
    } finally {
      receiver.close();
    }
  }, 90_000);

  it("stops every process on SIGTERM", async () => {
    await stopServerProcess(server, "SIGTERM");
    await expect(request(server.url, "x".repeat(20), "/healthz")).rejects.toThrow();
  }, 30_000);
});
