// GET /v1/callbacks and /v1/callbacks/{id} over HTTP: a client sees its own callbacks with every
// attempt and never another client's or organisation's; bad filters are problem+json naming the
// parameter; the answers match the published schema. And the staff resend over HTTP: audited with
// its reason, refused without one, and not allowed to support.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { Callback, CallbackPage } from "../../app/http/api/schemas-callbacks";
import { auditLog, callbackAttempts, callbackOutbox } from "../../db/schema";
import { expectProblem, type TestClient } from "../support/api";
import { itRefusesBadQueries, useApiClient, useStaffSession, useTestServer } from "../support/fixtures-http";
import { postStaffAction } from "../support/fixtures-staff";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 861 });
const sameOrganisation = useApiClient(server, { organisationId: 861 });
const otherOrganisation = useApiClient(server, { organisationId: 862 });
const admin = useStaffSession(server, "admin");
const support = useStaffSession(server, "support");

const ids = { delivered: 0, retrying: 0, pending: 0, sameOrganisation: 0, otherOrganisation: 0 };
const correlationId = `corr-${Math.random().toString(36).slice(2)}`;

async function insertCallback(client: TestClient, values: Partial<typeof callbackOutbox.$inferInsert> = {}) {
  const [row] = await server.database.db
    .insert(callbackOutbox)
    .values({
      url: "https://example.com/hooks/paydesk?order=A-1",
      target: "https://example.com",
      payload: { paymentId: 11, transactionId: 12, status: "AUTHORIZED", maskedPan: "411111******1111" },
      clientId: client.clientId,
      organisationId: client.organisationId,
      paymentId: 11,
      transactionId: 12,
      ...values,
    })
    .returning({ id: callbackOutbox.id });
  return row.id;
}

beforeAll(async () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, seconds));
  ids.delivered = await insertCallback(shop, {
    createdAt: at(0),
    attempts: 2,
    lastStatus: 202,
    deliveredAt: at(5),
    correlationId,
    transactionId: 99,
  });
  await server.database.db.insert(callbackAttempts).values([
    {
      callbackId: ids.delivered,
      attemptedAt: at(1),
      statusCode: 500,
      latencyMs: 40,
      error: "receiver answered 500, not 202",
      delivered: false,
    },
    { callbackId: ids.delivered, attemptedAt: at(5), statusCode: 202, latencyMs: 12, error: null, delivered: true },
  ]);
  ids.retrying = await insertCallback(shop, {
    createdAt: at(10),
    attempts: 1,
    nextAttemptAt: at(20),
    lastError: "no answer within 10000 ms",
  });
  await server.database.db.insert(callbackAttempts).values({
    callbackId: ids.retrying,
    attemptedAt: at(11),
    statusCode: null,
    latencyMs: 10_000,
    error: "no answer within 10000 ms",
    delivered: false,
  });
  ids.pending = await insertCallback(shop, { createdAt: at(30), nextAttemptAt: at(30) });
  ids.sameOrganisation = await insertCallback(sameOrganisation, { createdAt: at(40) });
  ids.otherOrganisation = await insertCallback(otherOrganisation, { createdAt: at(50) });
});

describe("GET /v1/callbacks", () => {
  it("lists the client's own callbacks newest first, each with every attempt", async () => {
    const result = await shop.get("/v1/callbacks");
    expect(result.status).toBe(200);
    const page = CallbackPage.parse(result.body);
    expect(page.items.map((item) => item.callbackId)).toEqual([ids.pending, ids.retrying, ids.delivered]);
    expect(page).toMatchObject({ totalItems: 3, totalPages: 1, page: 1, perPage: 20, totalItemsEstimated: false });
    const [pending, retrying, delivered] = page.items;
    expect(pending).toMatchObject({ state: "PENDING", attempts: [], deliveredAt: null });
    expect(pending.nextAttemptAt).toBe("2026-12-01T10:00:30.000Z");
    expect(retrying).toMatchObject({
      state: "RETRYING",
      nextAttemptAt: "2026-12-01T10:00:20.000Z",
      attempts: [{ statusCode: null, latencyMs: 10_000, error: "no answer within 10000 ms", delivered: false }],
    });
    expect(delivered).toMatchObject({
      state: "DELIVERED",
      nextAttemptAt: null,
      deliveredAt: "2026-12-01T10:00:05.000Z",
      correlationId,
      url: "https://example.com/hooks/paydesk?order=A-1",
      payload: { paymentId: 11, transactionId: 12, status: "AUTHORIZED", maskedPan: "411111******1111" },
    });
    expect(delivered.attempts.map((a) => [a.attemptedAt, a.statusCode, a.delivered])).toEqual([
      ["2026-12-01T10:00:01.000Z", 500, false],
      ["2026-12-01T10:00:05.000Z", 202, true],
    ]);
  });

  it("filters and pages with the /v1 search grammar", async () => {
    const ofIds = async (query: string) => {
      const result = await shop.get(`/v1/callbacks?${query}`);
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return result.body.items.map((item: { callbackId: number }) => item.callbackId);
    };
    expect(await ofIds("state=DELIVERED")).toEqual([ids.delivered]);
    expect(await ofIds("state=PENDING&state=RETRYING")).toEqual([ids.pending, ids.retrying]);
    expect(await ofIds("state=ne:DELIVERED")).toEqual([ids.pending, ids.retrying]);
    expect(await ofIds(`correlationId=${correlationId}`)).toEqual([ids.delivered]);
    expect(await ofIds("transactionId=99")).toEqual([ids.delivered]);
    expect(await ofIds("createdAt=gte:2026-12-01T10:00:10Z&createdAt=lt:2026-12-01T10:00:30Z")).toEqual([ids.retrying]);
    const paged = await shop.get("/v1/callbacks?perPage=2&page=2");
    expect(paged.body).toMatchObject({ totalItems: 3, totalPages: 2, page: 2, perPage: 2 });
    expect(paged.body.items.map((item: { callbackId: number }) => item.callbackId)).toEqual([ids.delivered]);
    const exact = await shop.get("/v1/callbacks?exactTotal=true");
    expect(exact.body).toMatchObject({ totalItems: 3, totalItemsEstimated: false });
  });

  it("never shows another client's callbacks, in the same organisation or another", async () => {
    const same = await sameOrganisation.get("/v1/callbacks");
    expect(same.body.items.map((item: { callbackId: number }) => item.callbackId)).toEqual([ids.sameOrganisation]);
    const other = await otherOrganisation.get("/v1/callbacks");
    expect(other.body.items.map((item: { callbackId: number }) => item.callbackId)).toEqual([ids.otherOrganisation]);
  });

  itRefusesBadQueries("/v1/callbacks", () => shop, [
    ["state=NOPE", "state"],
    ["state=gt:DELIVERED", "state"],
    ["clientId=someone-else", "clientId"],
    ["createdAt=like:2026", "createdAt"],
    ["transactionId=abc", "transactionId"],
    ["perPage=501", "perPage"],
    ["exactTotal=maybe", "exactTotal"],
  ]);
});

describe("GET /v1/callbacks/{callbackId}", () => {
  it("shows one of the client's callbacks with every attempt", async () => {
    const result = await shop.get(`/v1/callbacks/${ids.delivered}`);
    expect(result.status).toBe(200);
    const callback = Callback.parse(result.body);
    expect(callback).toMatchObject({ callbackId: ids.delivered, state: "DELIVERED" });
    expect(callback.attempts).toHaveLength(2);
  });

  it("answers another client's or organisation's callback, and an unknown one, with 404", async () => {
    for (const id of [ids.sameOrganisation, ids.otherOrganisation, 987_654_321]) {
      expectProblem(await shop.get(`/v1/callbacks/${id}`), 404);
    }
    expectProblem(await shop.get("/v1/callbacks/abc"), 400, "callbackId");
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await (await fetch(`${server.url}/v1/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/callbacks", "/v1/callbacks/{callbackId}"]));
    expect(doc.components.schemas.Callback).toBeDefined();
    const names = doc.paths["/v1/callbacks"].get.parameters.map((p: { name?: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(["state", "createdAt", "transactionId", "correlationId", "page"]));
  });
});

describe("resending from the staff screen", () => {
  const resend = (cookie: string, fields: Record<string, string>) =>
    postStaffAction(
      server,
      `/callbacks/${ids.delivered}`,
      "routes/_staff.callbacks.$callbackId",
      {
        intent: "resend",
        callbackId: String(ids.delivered),
        ...fields,
      },
      cookie,
    );
  const row = async () =>
    (await server.database.db.select().from(callbackOutbox).where(eq(callbackOutbox.id, ids.delivered)))[0];
  const audited = () =>
    server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "callback"), eq(auditLog.entityId, String(ids.delivered))));

  it("is not support's to do, needs a reason, and is audited", async () => {
    expect((await resend(support.cookie, { reason: "please" })).status).toBe(403);
    expect((await row()).deliveredAt).not.toBeNull();

    const noReason = await resend(admin.cookie, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.fieldErrors.reason).toBeTruthy();
    expect((await row()).deliveredAt).not.toBeNull();
    expect(await audited()).toHaveLength(0);

    const done = await resend(admin.cookie, { reason: "client lost the callback" });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ ok: true });
    expect((await row()).deliveredAt).toBeNull();
    const [entry] = await audited();
    expect(entry).toMatchObject({
      action: "callback.resend",
      reason: "client lost the callback",
      actorEmail: admin.email,
    });
  });
});
