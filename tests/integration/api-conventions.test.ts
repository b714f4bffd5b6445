// The conventions every /v1 route shares (the /v1 contract), over HTTP against the real server.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { requestFingerprint } from "../../app/platform/idempotency.server";
import { requestDeadlineMs } from "../../app/platform/unavailable.server";
import { apiClients, idempotencyKeys } from "../../db/schema";
import { capturedCardPayment, createClient, expectProblem, paymentWithTransaction } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { startPsp } from "../support/psp";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 501 });
const other = useApiClient(server, { organisationId: 502 });

describe("authentication and required headers", () => {
  it("answers 401 problem+json without a token or with an unknown one", async () => {
    for (const authorization of [undefined, "Bearer pd_not_a_real_token_at_all", "Basic dXNlcjpwYXNz"]) {
      const response = await fetch(`${server.url}/v1/payments`, {
        headers: { "ET-Client-Name": "acme-shop", ...(authorization ? { Authorization: authorization } : {}) },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("refuses a disabled client's token", async () => {
    const doomed = await createClient(server);
    await server.database.db
      .update(apiClients)
      .set({ disabledAt: new Date() })
      .where(eq(apiClients.clientId, doomed.clientId));
    expect((await doomed.get("/v1/payments")).status).toBe(401);
  });

  it("requires ET-Client-Name and names it", async () => {
    for (const value of ["", "   "])
      expectProblem(await client.get("/v1/payments", { "ET-Client-Name": value }), 400, "ET-Client-Name");
    const response = await fetch(`${server.url}/v1/payments`, { headers: { Authorization: `Bearer ${client.token}` } });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([{ field: "ET-Client-Name", message: "is required" }]);
  });

  it("echoes X-Correlation-Id and stores it on the operation log", async () => {
    const result = await client.post(
      "/v1/payments",
      { totalAmount: "10.00", transaction: { paymentType: "VISA" } },
      { "X-Correlation-Id": "corr-abc-123", "Entur-POS": "kiosk-7", "Entur-Distribution-Channel": "app" },
    );
    expect(result.status).toBe(201);
    expect(result.headers.get("x-correlation-id")).toBe("corr-abc-123");
    const [entry] = result.body.transactions[0].operationLog;
    expect(entry).toMatchObject({
      operation: "CREATE",
      correlationId: "corr-abc-123",
      clientName: "paydesk-tests",
      pos: "kiosk-7",
      distributionChannel: "app",
      actor: client.clientId,
    });
  });

  it("generates a correlation id when absent and puts it in problems", async () => {
    const result = await client.get("/v1/payments/999999999");
    expectProblem(result, 404);
    expect(result.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.body.correlationId).toBe(result.headers.get("x-correlation-id"));
    expect(result.body.instance).toBe("/v1/payments/999999999");
  });
});

describe("Entur headers", () => {
  it("refuses Entur-On-Behalf-Of for a client without that agreement", async () => {
    expectProblem(await client.get("/v1/payments", { "Entur-On-Behalf-Of": String(other.organisationId) }), 403);
  });

  it("lets an allowed client act for another organisation", async () => {
    const partner = await createClient(server, { organisationId: 503, onBehalfOfAllowed: true, privileged: true });
    const created = await partner.post(
      "/v1/payments",
      { totalAmount: "5.00" },
      { "Entur-On-Behalf-Of": String(other.organisationId) },
    );
    expect(created.status).toBe(201);
    expect(created.body.organisationId).toBe(other.organisationId);
    expect((await other.get(`/v1/payments/${created.body.paymentId}`)).status).toBe(200);
    expectProblem(await partner.get("/v1/payments", { "Entur-On-Behalf-Of": "not-an-org" }), 400, "Entur-On-Behalf-Of");
  });

  it("refuses a distribution channel the client does not have", async () => {
    expectProblem(await client.get("/v1/payment-methods", { "Entur-Distribution-Channel": "ticket-machine" }), 403);
  });
});

describe("tenancy", () => {
  it("hides another organisation's payment behind 404, for reads and writes", async () => {
    const mine = await paymentWithTransaction(client);
    const base = `/v1/payments/${mine.paymentId}`;
    expectProblem(await other.get(base), 404);
    expectProblem(await other.patch(base, { settlementId: "X" }), 404);
    expectProblem(await other.put(`${base}/deactivate`), 404);
    expectProblem(await other.get(`${base}/transactions/${mine.transactionId}`), 404);
    expectProblem(await other.put(`${base}/transactions/${mine.transactionId}/cancel`), 404);
    expectProblem(await other.post(`${base}/transactions`, { paymentType: "VISA", amount: "1.00" }), 404);
    const search = await other.get(`/v1/payments?paymentId=${mine.paymentId}`);
    expect(search.body.totalItems).toBe(0);
    const byOrg = await other.get(`/v1/payments?organisationId=${client.organisationId}`);
    expect(byOrg.body.totalItems).toBe(0);
    // and it is still there for its owner
    expect((await client.get(base)).status).toBe(200);
  });
});

describe("errors", () => {
  it("answers unknown routes and methods with problems", async () => {
    expectProblem(await client.get("/v1/no-such-thing"), 404);
    const wrongMethod = await client.request("DELETE", "/v1/payments");
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
  });

  it("answers a body that is not JSON with 400", async () => {
    expectProblem(await client.request("POST", "/v1/payments", { raw: "{not json" }), 400, "body");
    expectProblem(await client.request("POST", "/v1/payments", { raw: "[1,2]" }), 400, "body");
    expectProblem(await client.request("POST", "/v1/payments", { raw: "" }), 400, "body");
  });

  it("answers a malformed path id with 400 naming it", async () => {
    expectProblem(await client.get("/v1/payments/abc"), 400, "paymentId");
    expectProblem(await client.get("/v1/payments/1/transactions/-1"), 400, "transactionId");
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After past the client's limit", async () => {
    const limited = await createClient(server, { rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await limited.get("/v1/payment-methods");
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expectProblem(last!, 429);
    const retryAfter = Number(last!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // another client is not affected
    expect((await client.get("/v1/payment-methods")).status).toBe(200);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first answer for the same key and body, with no second effect", async () => {
    const body = { orderId: "IDEM-1", totalAmount: "42.00", transaction: { paymentType: "VISA" } };
    const first = await client.post("/v1/payments", body, { "Idempotency-Key": "key-1" });
    const second = await client.post("/v1/payments", body, { "Idempotency-Key": "key-1" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    const search = await client.get("/v1/payments?orderId=IDEM-1");
    expect(search.body.totalItems).toBe(1);
  });

  it("creates once when the same new key arrives many times at once: each answer is the first one's or 'still running'", async () => {
    const body = { orderId: "IDEM-RACE", totalAmount: "42.00", transaction: { paymentType: "VISA" } };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => client.post("/v1/payments", body, { "Idempotency-Key": "key-race" })),
    );
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const answer of created) expect(answer.body).toEqual(created[0].body);
    for (const answer of answers.filter((answer) => answer.status !== 201)) {
      expectProblem(answer, 409);
      expect(answer.body.errorReason).toBe("RESOURCE_BUSY");
    }
    expect((await client.get("/v1/payments?orderId=IDEM-RACE")).body.totalItems).toBe(1);
    // Once answered, the key replays the answer.
    const replay = await client.post("/v1/payments", body, { "Idempotency-Key": "key-race" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(created[0].body);
  });

  it("refuses the same key with another body (422) and scopes keys per client", async () => {
    await client.post("/v1/payments", { totalAmount: "1.00" }, { "Idempotency-Key": "key-2" });
    expectProblem(
      await client.post("/v1/payments", { totalAmount: "2.00" }, { "Idempotency-Key": "key-2" }),
      422,
      "Idempotency-Key",
    );
    const elsewhere = await other.post("/v1/payments", { totalAmount: "2.00" }, { "Idempotency-Key": "key-2" });
    expect(elsewhere.status).toBe(201);
  });

  it("replays errors too, so a retried bad request stays the same answer", async () => {
    const first = await client.post("/v1/payments", { totalAmount: "-1" }, { "Idempotency-Key": "key-3" });
    const second = await client.post("/v1/payments", { totalAmount: "-1" }, { "Idempotency-Key": "key-3" });
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    expect(second.body.detail).toBe(first.body.detail);
  });

  it("answers 409 while the first request with the key is still running", async () => {
    // A PSP of this test's own whose refunds take 600 ms to answer.
    const psp = await startPsp({ faults: { latencyMs: 600, ops: ["refund"] } });
    const shared = process.env.PAYDESK_PSP_URL;
    process.env.PAYDESK_PSP_URL = psp.url;
    try {
      const payment = await capturedCardPayment(client, "80.00");
      const path = `${payment.base}/credit`;
      const [a, b] = await Promise.all([
        client.post(path, { amount: "10.00" }, { "Idempotency-Key": "key-4" }),
        new Promise((resolve) => setTimeout(resolve, 150)).then(() =>
          client.post(path, { amount: "10.00" }, { "Idempotency-Key": "key-4" }),
        ),
      ]);
      expect(a.status).toBe(201);
      expectProblem(b, 409);
      expect(b.body.errorReason).toBe("RESOURCE_BUSY");
      const after = await client.get(`/v1/payments/${payment.paymentId}`);
      expect(after.body.transactions[0].summary.creditedAmount).toBe("10.00");
    } finally {
      process.env.PAYDESK_PSP_URL = shared;
      await psp.close();
    }
  });

  describe("when the process dies before the answer is stored", () => {
    /** The record as a crashed first request leaves it: claimed long ago, never answered. */
    async function asIfCrashed(key: string) {
      await server.database.db
        .update(idempotencyKeys)
        .set({
          state: "IN_PROGRESS",
          responseStatus: null,
          responseHeaders: null,
          responseBody: null,
          createdAt: new Date(Date.now() - 5 * 60_000),
        })
        .where(and(eq(idempotencyKeys.clientId, client.clientId), eq(idempotencyKeys.key, key)));
    }

    it("never runs a request again under its key once its effect was committed (409), so nothing happens twice", async () => {
      const { paymentId } = (await client.post("/v1/payments", { totalAmount: "100.00" })).body;
      const path = `/v1/payments/${paymentId}/transactions`;
      const body = { amount: "20.00", paymentType: "VISA" };
      expect((await client.post(path, body, { "Idempotency-Key": "key-crash-1" })).status).toBe(201);
      await asIfCrashed("key-crash-1");

      const retry = await client.post(path, body, { "Idempotency-Key": "key-crash-1" });
      expectProblem(retry, 409, "Idempotency-Key");
      expect((await client.get(`/v1/payments/${paymentId}`)).body.transactions).toHaveLength(1);
    });

    it("runs it on a retry when nothing was committed before the crash", async () => {
      const { paymentId } = (await client.post("/v1/payments", { totalAmount: "100.00" })).body;
      const path = `/v1/payments/${paymentId}/transactions`;
      const body = { amount: "20.00", paymentType: "VISA" };
      await server.database.db.insert(idempotencyKeys).values({
        clientId: client.clientId,
        key: "key-crash-2",
        requestHash: requestFingerprint("POST", path, JSON.stringify(body), { organisationId: client.organisationId }),
        state: "IN_PROGRESS",
        createdAt: new Date(Date.now() - 5 * 60_000),
        expiresAt: new Date(Date.now() + 60 * 60_000),
      });

      const retry = await client.post(path, body, { "Idempotency-Key": "key-crash-2" });
      expect(retry.status).toBe(201);
      expect((await client.get(`/v1/payments/${paymentId}`)).body.transactions).toHaveLength(1);
      const replay = await client.post(path, body, { "Idempotency-Key": "key-crash-2" });
      expect(replay.body).toEqual(retry.body);
    });

    it("takes an unmarked claim over once it is older than any request may run, not a minute later", async () => {
      const { paymentId } = (await client.post("/v1/payments", { totalAmount: "100.00" })).body;
      const path = `/v1/payments/${paymentId}/transactions`;
      const body = { amount: "20.00", paymentType: "VISA" };
      const claimed = (key: string, ageMs: number) =>
        server.database.db.insert(idempotencyKeys).values({
          clientId: client.clientId,
          key,
          requestHash: requestFingerprint("POST", path, JSON.stringify(body), {
            organisationId: client.organisationId,
          }),
          state: "IN_PROGRESS",
          createdAt: new Date(Date.now() - ageMs),
          expiresAt: new Date(Date.now() + 60 * 60_000),
        });
      // Younger than the request deadline: its request may still be running.
      await claimed("key-crash-3", requestDeadlineMs() - 1_000);
      const running = await client.post(path, body, { "Idempotency-Key": "key-crash-3" });
      expectProblem(running, 409);
      expect(running.body.errorReason).toBe("RESOURCE_BUSY");
      // Past the deadline and its margin, its process is gone: the retry runs it.
      await claimed("key-crash-4", requestDeadlineMs() + 3_000);
      expect((await client.post(path, body, { "Idempotency-Key": "key-crash-4" })).status).toBe(201);
      expect((await client.get(`/v1/payments/${paymentId}`)).body.transactions).toHaveLength(1);
    });
  });

  it("refuses a malformed key", async () => {
    expectProblem(
      await client.post("/v1/payments", { totalAmount: "1.00" }, { "Idempotency-Key": "x".repeat(300) }),
      400,
      "Idempotency-Key",
    );
  });
});
