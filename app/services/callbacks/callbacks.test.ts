// Callback deliveries in-process, against a real HTTP receiver on loopback: the delivery job
// records every attempt (status, latency, error) with the row's new state; a paused target is
// skipped and delivered after the resume; resends (one, or a previewed filtered set) are audited;
// a client sees only its own callbacks.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, callbackAttempts, callbackOutbox } from "../../../db/schema";
import { refused, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { auditEntries, staffCaller } from "../../../tests/support/use-case";
import { MAX_BULK_RESEND } from "../../domain/callback";
import type { ClientCaller } from "../../domain/caller";
import { deliverDueCallbacks, enqueueCallback } from "../../platform/outbox.server";
import { getCallback, getCallbackForStaff, searchOwnCallbacks } from "../queries/callbacks.server";
import {
  pauseCallbackTarget,
  previewResend,
  resendCallback,
  resendCallbacks,
  resumeCallbackTarget,
} from "./callbacks.server";

const { database, shop, otherShop } = useTwoShops();

type Answer = { status: number; body?: string } | "hang";

/** A receiver that answers each request with the next of `answers` (the last one repeats). */
async function receiver(answers: Answer[]) {
  const received: unknown[] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const answer = answers[Math.min(received.length, answers.length - 1)];
      received.push(JSON.parse(body));
      if (answer === "hang") open.add(response);
      else response.writeHead(answer.status).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/hooks/paydesk?shop=1`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let made = 0;

/** Queues a callback of `caller` to `url` and returns its id. */
async function queue(caller: ClientCaller, url: string, extra: Record<string, unknown> = {}): Promise<number> {
  made += 1;
  const transactionId = 700_000 + made;
  await enqueueCallback(database().db, {
    url,
    payload: { paymentId: 1, transactionId, status: "AUTHORIZED", maskedPan: "411111******1111", ...extra },
    clientId: caller.clientId,
    organisationId: caller.organisationId,
    paymentId: 1,
    transactionId,
    correlationId: `corr-${made}-${Math.random().toString(36).slice(2)}`,
  });
  const [row] = await database()
    .db.select({ id: callbackOutbox.id })
    .from(callbackOutbox)
    .where(eq(callbackOutbox.transactionId, transactionId));
  return row.id;
}

/** Makes a callback due now (skipping its backoff) and runs one pass of the job. */
async function deliverNow(id: number) {
  await database().db.update(callbackOutbox).set({ nextAttemptAt: new Date() }).where(eq(callbackOutbox.id, id));
  await deliverDueCallbacks();
}

const attemptsOf = (id: number) =>
  database()
    .db.select()
    .from(callbackAttempts)
    .where(eq(callbackAttempts.callbackId, id))
    .orderBy(callbackAttempts.attemptedAt, callbackAttempts.id);

const auditOf = (entityType: string, entityId: string) =>
  auditEntries(database(), and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)));

describe("the delivery job", () => {
  it("records each attempt and retries until the receiver answers 202", async () => {
    const hook = await receiver([
      { status: 500, body: "database down, card 4111 1111 1111 1111 echoed" },
      { status: 200 },
      { status: 202 },
    ]);
    try {
      const id = await queue(shop, hook.url);
      expect((await getCallback(shop, { callbackId: id })).state).toBe("PENDING");

      const before = Date.now();
      await deliverDueCallbacks();
      let [row] = await database().db.select().from(callbackOutbox).where(eq(callbackOutbox.id, id));
      expect(row.attempts).toBe(1);
      // Backoff: the second attempt one second after the first.
      expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 1000);
      let callback = await getCallback(shop, { callbackId: id });
      expect(callback.state).toBe("RETRYING");
      expect(callback.nextAttemptAt).toEqual(row.nextAttemptAt);

      await deliverNow(id);
      await deliverNow(id);
      const attempts = await attemptsOf(id);
      expect(attempts.map((a) => [a.statusCode, a.delivered])).toEqual([
        [500, false],
        [200, false],
        [202, true],
      ]);
      // The receiver's words are kept, with the card number it echoed masked.
      expect(attempts[0].error).toBe("receiver answered 500, not 202: database down, card **** **** **** 1111 echoed");
      expect(attempts[1].error).toBe("receiver answered 200, not 202");
      expect(attempts[2].error).toBeNull();
      for (const attempt of attempts) {
        expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
        expect(attempt.latencyMs).toBeLessThan(5000);
      }
      [row] = await database().db.select().from(callbackOutbox).where(eq(callbackOutbox.id, id));
      expect(row).toMatchObject({ attempts: 3, lastStatus: 202, lastError: null });
      expect(row.deliveredAt).not.toBeNull();
      callback = await getCallback(shop, { callbackId: id });
      expect(callback).toMatchObject({ state: "DELIVERED", nextAttemptAt: null });
      expect(callback.attemptList).toHaveLength(3);
      expect(hook.received).toHaveLength(3);

      // Delivered: the job never sends it again.
      await deliverNow(id);
      expect(hook.received).toHaveLength(3);
    } finally {
      await hook.close();
    }
  });

  it("records a receiver that does not answer in time, and one that refuses the connection", async () => {
    const hook = await receiver(["hang"]);
    process.env.PAYDESK_CALLBACK_TIMEOUT_MS = "300";
    try {
      const slow = await queue(shop, hook.url);
      await deliverDueCallbacks();
      const [timedOut] = await attemptsOf(slow);
      expect(timedOut).toMatchObject({ statusCode: null, delivered: false, error: "no answer within 300 ms" });
      expect(timedOut.latencyMs).toBeGreaterThanOrEqual(290);
    } finally {
      delete process.env.PAYDESK_CALLBACK_TIMEOUT_MS;
      await hook.close();
    }
    // The receiver is gone now: nothing listens on its port.
    const refusedId = await queue(shop, hook.url);
    await deliverDueCallbacks();
    const [attempt] = await attemptsOf(refusedId);
    expect(attempt.statusCode).toBeNull();
    expect(attempt.error).toMatch(/ECONNREFUSED/);
    expect((await getCallback(shop, { callbackId: refusedId })).state).toBe("RETRYING");
  });
});

describe("pause and resume", () => {
  it("holds a client's target while paused and delivers what waited once resumed, audited", async () => {
    const hook = await receiver([{ status: 202 }]);
    const admin = staffCaller({ email: "admin@paydesk.test", reason: "receiver migrating" });
    try {
      const first = await queue(shop, hook.url);
      // Another client's callbacks to the same receiver are not held by this client's pause.
      const others = await queue(otherShop, `${hook.base}/other`);
      await pauseCallbackTarget(admin, { clientId: shop.clientId, target: hook.base });
      const second = await queue(shop, `${hook.base}/another/path`);
      await deliverDueCallbacks();
      await deliverDueCallbacks();
      expect(hook.received).toHaveLength(1);
      expect((await getCallback(otherShop, { callbackId: others })).state).toBe("DELIVERED");
      for (const id of [first, second]) {
        expect(await getCallback(shop, { callbackId: id })).toMatchObject({ state: "PAUSED", nextAttemptAt: null });
        expect(await attemptsOf(id)).toHaveLength(0);
      }
      await expect(pauseCallbackTarget(admin, { clientId: shop.clientId, target: hook.base })).rejects.toEqual(
        refused({ kind: "conflict" }),
      );
      const staffView = await getCallbackForStaff(admin, { callbackId: first });
      expect(staffView.pause).toMatchObject({ pausedBy: "admin@paydesk.test", reason: "receiver migrating" });

      // A pause names a target the client has callbacks to.
      await expect(
        pauseCallbackTarget(admin, { clientId: shop.clientId, target: "https://nowhere.example" }),
      ).rejects.toEqual(refused({ kind: "rule" }));

      await resumeCallbackTarget(
        { ...admin, reason: "receiver is back" },
        { clientId: shop.clientId, target: hook.base },
      );
      await deliverDueCallbacks();
      expect(hook.received).toHaveLength(3);
      for (const id of [first, second]) expect((await getCallback(shop, { callbackId: id })).state).toBe("DELIVERED");

      const audit = await auditOf("callback-target", `${shop.clientId} ${hook.base}`);
      expect(audit.map((a) => [a.action, a.reason, a.actorEmail])).toEqual([
        ["callback.pause", "receiver migrating", "admin@paydesk.test"],
        ["callback.resume", "receiver is back", "admin@paydesk.test"],
      ]);
      expect(audit[1].after).toMatchObject({ queued: 2 });
      await expect(resumeCallbackTarget(admin, { clientId: shop.clientId, target: hook.base })).rejects.toEqual(
        refused({ kind: "conflict" }),
      );
    } finally {
      await hook.close();
    }
  });
});

describe("resend", () => {
  it("sends a delivered callback again, audited with the reason", async () => {
    const hook = await receiver([{ status: 202 }]);
    try {
      const id = await queue(shop, hook.url);
      await deliverDueCallbacks();
      expect((await getCallback(shop, { callbackId: id })).state).toBe("DELIVERED");
      await resendCallback(staffCaller({ reason: "client lost it" }), { callbackId: id });
      expect((await getCallback(shop, { callbackId: id })).state).toBe("RETRYING");
      await deliverDueCallbacks();
      const callback = await getCallback(shop, { callbackId: id });
      expect(callback.state).toBe("DELIVERED");
      expect(callback.attemptList.map((a) => a.statusCode)).toEqual([202, 202]);
      expect(hook.received).toHaveLength(2);
      const [entry] = await auditOf("callback", String(id));
      expect(entry).toMatchObject({ action: "callback.resend", reason: "client lost it" });
      expect(entry.before).toMatchObject({ state: "DELIVERED", attempts: 1 });
      await expect(resendCallback(staffCaller(), { callbackId: 999_999_999 })).rejects.toEqual(
        refused({ kind: "not_found" }),
      );
    } finally {
      await hook.close();
    }
  });

  it("resends a filtered set only as previewed, with one audit entry each", async () => {
    const hook = await receiver([{ status: 202 }]);
    try {
      const correlationId = `bulk-${Math.random().toString(36).slice(2)}`;
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await queue(shop, hook.url);
        await database().db.update(callbackOutbox).set({ correlationId }).where(eq(callbackOutbox.id, id));
        ids.push(id);
      }
      await deliverDueCallbacks();
      const filter = { filters: { correlationId: { anyOf: [correlationId], all: [] } } };
      expect(await previewResend(staffCaller(), filter)).toEqual({
        matching: 3,
        delivered: 3,
        paused: 0,
        tooMany: false,
      });

      // A count other than the preview's resends nothing.
      await expect(
        resendCallbacks(staffCaller(), { ...filter, expected: 2, describedAs: `correlationId=${correlationId}` }),
      ).rejects.toEqual(refused({ kind: "rule" }));
      expect(await auditOf("callback", String(ids[0]))).toHaveLength(0);

      const done = await resendCallbacks(staffCaller({ reason: "replay after outage" }), {
        ...filter,
        expected: 3,
        describedAs: `correlationId=${correlationId}`,
      });
      expect(done).toEqual({ resent: 3, paused: 0 });
      for (const id of ids) {
        const [entry] = await auditOf("callback", String(id));
        expect(entry).toMatchObject({ action: "callback.resend", reason: "replay after outage" });
        expect(entry.after).toMatchObject({ bulk: { filter: `correlationId=${correlationId}`, count: 3 } });
      }
      await deliverDueCallbacks();
      expect(hook.received).toHaveLength(6);
    } finally {
      await hook.close();
    }
  });

  it("refuses a filtered set larger than the cap", async () => {
    const correlationId = `many-${Math.random().toString(36).slice(2)}`;
    await database()
      .db.insert(callbackOutbox)
      .values(
        Array.from({ length: MAX_BULK_RESEND + 1 }, () => ({
          url: "https://example.com/hook",
          target: "https://example.com",
          payload: {},
          clientId: shop.clientId,
          organisationId: shop.organisationId,
          correlationId,
          deliveredAt: new Date(),
        })),
      );
    const filter = { filters: { correlationId: { anyOf: [correlationId], all: [] } } };
    expect(await previewResend(staffCaller(), filter)).toMatchObject({ tooMany: true });
    await expect(
      resendCallbacks(staffCaller(), { ...filter, expected: MAX_BULK_RESEND + 1, describedAs: "x" }),
    ).rejects.toEqual(refused({ kind: "rule" }));
    const [{ n }] = await database()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(callbackOutbox)
      .where(and(eq(callbackOutbox.correlationId, correlationId), sql`${callbackOutbox.deliveredAt} is null`));
    expect(n).toBe(0);
  });
});

describe("a client's own callbacks", () => {
  it("never shows another client's", async () => {
    const mine = await queue(shop, "https://example.com/mine");
    const theirs = await queue(otherShop, "https://example.com/theirs");
    await expect(getCallback(shop, { callbackId: theirs })).rejects.toEqual(refused({ kind: "not_found" }));
    // Same client id, another organisation (Entur-On-Behalf-Of): not its callbacks either.
    await expect(
      getCallback({ ...shop, organisationId: otherShop.organisationId }, { callbackId: mine }),
    ).rejects.toEqual(refused({ kind: "not_found" }));
    const page = await searchOwnCallbacks(shop, { query: { filters: {}, page: 1, perPage: 500 } });
    expect(page.items.map((item) => item.id)).toContain(mine);
    expect(page.items.map((item) => item.id)).not.toContain(theirs);
    expect(page.totalItemsEstimated).toBe(false);
    const pending = await searchOwnCallbacks(shop, {
      query: { filters: { state: { anyOf: ["PENDING"], all: [] } }, page: 1, perPage: 500 },
    });
    expect(pending.items.map((item) => item.id)).toContain(mine);
    expect(pending.items.every((item) => item.state === "PENDING")).toBe(true);
  });
});
