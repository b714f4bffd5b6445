// Callbacks from the durable outbox: a receiver on loopback that answers 500 twice and then 202
// gets exactly one accepted delivery, also when the app is restarted between attempts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueCallback, retryDelaySeconds } from "../../app/platform/outbox.server";
import { callbackOutbox } from "../../db/schema";
import {
  createSharedDatabase,
  randomPort,
  startServerProcess,
  stopServerProcess,
  type SharedDatabase,
} from "../support/process";
import { waitFor } from "../support/fixtures-process";

type Received = { body: unknown; answered: number };

function startReceiver(answers: number[]) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const answered = answers[Math.min(received.length, answers.length - 1)];
      received.push({ body: JSON.parse(body), answered });
      response.writeHead(answered).end();
    });
  });
  return new Promise<{ url: string; received: Received[]; close(): Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/callback`,
        received,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

describe("callback delivery", () => {
  let database: SharedDatabase;

  beforeAll(async () => {
    database = await createSharedDatabase("callbacks");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("backs off exponentially, capped at ten minutes", () => {
    expect([1, 2, 3, 4, 5].map(retryDelaySeconds)).toEqual([1, 2, 4, 8, 16]);
    expect(retryDelaySeconds(30)).toBe(600);
  });

  it("retries through a restart until the receiver answers 202, then never again", async () => {
    const receiver = await startReceiver([500, 500, 202]);
    try {
      const payload = { paymentId: 1, transactionId: 2, status: "CAPTURED" };
      await database.withDatabase((handle) =>
        enqueueCallback(handle.db, { url: receiver.url, payload, clientId: null, organisationId: null }),
      );

      // First instance: delivers (500), then is killed. On a busy machine the kill can come after
      // it sent the retry (a second 500) or while it holds the retry's 30-second claim.
      let server = await startServerProcess(database, randomPort());
      await waitFor(() => receiver.received.length >= 1, 15_000);
      await stopServerProcess(server, "SIGKILL");
      expect(receiver.received.every((r) => r.answered === 500)).toBe(true);

      // Second instance picks the outbox up where the first left it (after a dead claim expires).
      server = await startServerProcess(database, randomPort());
      try {
        await waitFor(() => receiver.received.some((r) => r.answered === 202), 60_000);
        // Wait past the next backoff step: nothing more may arrive once it was accepted.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      } finally {
        await stopServerProcess(server, "SIGTERM");
      }
      expect(receiver.received.map((r) => r.answered)).toEqual([500, 500, 202]);
      for (const delivery of receiver.received) expect(delivery.body).toEqual(payload);

      const [row] = await database.withDatabase((handle) =>
        handle.db.select().from(callbackOutbox).where(eq(callbackOutbox.url, receiver.url)),
      );
      expect(row.deliveredAt).not.toBeNull();
      expect(row.lastStatus).toBe(202);
      // Delivery is at least once: a kill after the receiver answered but before the answer was
      // recorded loses that attempt's record, and it is sent again once the claim expires.
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.attempts).toBeLessThanOrEqual(3);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
