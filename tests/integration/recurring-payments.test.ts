// Recurring payments over HTTP: query, create, update, end, the card terminal that
// registers a card and authorize; one primary per customer, also under concurrent requests
// (against a real PostgreSQL server when DATABASE_URL is set); tenancy; and which stored cards a
// transaction may be charged from.
import { and, eq, ne, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { RecurringPayment, RecurringPaymentTerminal } from "../../app/http/api/schemas-recurring";
import { callbackOutbox, providerSessions, recurringPayments } from "../../db/schema";
import { expectProblem, type ApiResult, type TestClient } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { cardForm, submitForm } from "../support/fixtures-pages";

const SHOP = "https://shop.example/";
const RETURN = "https://shop.example/cards/done";
const APPROVE = "4111111111111111";
const REFUSED = "4000000000000002";

const server = useTestServer();
const partner = useApiClient(server, { organisationId: 2101, privileged: true, allowedRedirectPrefixes: [SHOP] }); // privileged: names customers
const shop = useApiClient(server, { organisationId: 2101, allowedRedirectPrefixes: [SHOP] }); // the same organisation, not privileged
const stranger = useApiClient(server, { organisationId: 2102, privileged: true, allowedRedirectPrefixes: [SHOP] }); // another organisation, privileged
const strangerShop = useApiClient(server, { organisationId: 2102, allowedRedirectPrefixes: [SHOP] }); // another organisation, not privileged

let customerCounter = 0;
const newCustomer = () => `21${String(++customerCounter).padStart(5, "0")}${Date.now() % 1000}`;

const path = (id: number, action = "") => `/v1/recurring-payments/${id}${action ? `/${action}` : ""}`;

async function create(customerNumber: string, body: Record<string, unknown> = {}, who: TestClient = partner) {
  const result = await who.post("/v1/recurring-payments", { customerNumber, ...body });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body as { recurringPaymentId: number; primary: boolean; recurringStatus: string };
}

async function list(customerNumber: string, who: TestClient = partner, extra = "") {
  const result = await who.get(`/v1/recurring-payments?customerNumber=${customerNumber}${extra}`);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body as {
    recurringPaymentId: number;
    primary: boolean;
    recurringStatus: string;
    nickname: string | null;
  }[];
}

/** Form POST as a browser without JavaScript sends it from the card page. */
const submit = (uri: string, fields: Record<string, string>) => submitForm(uri, fields, server.url);

const card = (number: string, expiry = "12/30") => cardForm(number, { expiry });

async function openTerminal(id: number, body: Record<string, unknown> = {}, who: TestClient = partner) {
  const result = await who.post(path(id, "terminal"), { redirectUrl: RETURN, ...body });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.terminalUri as string;
}

/** Terminal, card entered on the page, authorize: an ACTIVE stored card. */
async function registerCard(id: number, number = APPROVE, expiry = "12/30") {
  const uri = await openTerminal(id);
  const paid = await submit(uri, card(number, expiry));
  expect(paid.status, paid.html.slice(0, 300)).toBe(302);
  const authorized = await partner.put(path(id, "authorize"));
  expect(authorized.status, JSON.stringify(authorized.body)).toBe(200);
  return authorized.body;
}

/** A recurring payment of the customer with an ACTIVE stored card: what create answered. */
async function createWithCard(customerNumber: string) {
  const created = await create(customerNumber);
  await registerCard(created.recurringPaymentId);
  return created;
}

async function primariesOf(customerNumber: string) {
  return server.database.db
    .select({ id: recurringPayments.recurringPaymentId })
    .from(recurringPayments)
    .where(
      and(
        eq(recurringPayments.customerNumber, customerNumber),
        eq(recurringPayments.isPrimary, true),
        ne(recurringPayments.recurringStatus, "CANCELLED"),
      ),
    );
}

function expectShape(result: ApiResult) {
  const parsed = RecurringPayment.safeParse(result.body);
  if (!parsed.success) throw new Error(`${JSON.stringify(parsed.error.issues)}\n${JSON.stringify(result.body)}`);
}

// ---------------------------------------------------------------------------------------------

describe("POST /v1/recurring-payments", () => {
  it("creates CREATED recurring payments: the first is primary, a later one only with isPrimary, which moves it", async () => {
    const customer = newCustomer();
    const first = await partner.post("/v1/recurring-payments", { customerNumber: customer, nickname: "Privat" });
    expect(first.status).toBe(201);
    expectShape(first);
    expect(first.headers.get("location")).toBe(`/v1/recurring-payments/${first.body.recurringPaymentId}`);
    expect(first.body).toMatchObject({
      customerNumber: customer,
      organisationId: 2101,
      nickname: "Privat",
      primary: true,
      recurringStatus: "CREATED",
      maskedPan: null,
      paymentType: null,
      cardExpiresAt: null,
      expiresAt: null,
    });

    // Not first and not asked: not primary, even with isPrimary false the first stays.
    const second = await create(customer, { isPrimary: false });
    expect(second.primary).toBe(false);
    const third = await create(customer, { isPrimary: true, nickname: "Jobb" });
    expect(third.primary).toBe(true);
    const shown = await list(customer);
    expect(shown.map((r) => r.recurringPaymentId)).toEqual([
      third.recurringPaymentId,
      second.recurringPaymentId,
      first.body.recurringPaymentId,
    ]);
    expect(shown.map((r) => r.primary)).toEqual([true, false, false]);
    expect(await primariesOf(customer)).toEqual([{ id: third.recurringPaymentId }]);

    // isPrimary: false on the customer's very first card is overruled: someone must be primary.
    const lone = await create(newCustomer(), { isPrimary: false });
    expect(lone.primary).toBe(true);
  });

  it("honours customerNumber only from privileged clients: 403 naming it for others, and nothing is created", async () => {
    const customer = newCustomer();
    const refused = await shop.post("/v1/recurring-payments", { customerNumber: customer });
    expectProblem(refused, 403, "customerNumber");
    expectProblem(await shop.post("/v1/recurring-payments", {}), 403, "customerNumber");
    expect(await list(customer)).toEqual([]);
    expectProblem(await partner.post("/v1/recurring-payments", {}), 400, "customerNumber");
    expectProblem(await partner.post("/v1/recurring-payments"), 400, "customerNumber");
  });

  it("answers 400 naming each malformed field", async () => {
    const customer = newCustomer();
    expectProblem(await partner.post("/v1/recurring-payments", { customerNumber: "12ab" }), 400, "customerNumber");
    expectProblem(
      await partner.post("/v1/recurring-payments", { customerNumber: customer, isPrimary: "yes" }),
      400,
      "isPrimary",
    );
    expectProblem(
      await partner.post("/v1/recurring-payments", { customerNumber: customer, nickname: "x".repeat(101) }),
      400,
      "nickname",
    );
    expectProblem(
      await partner.post("/v1/recurring-payments", { customerNumber: customer, nickname: "a\u0000b" }),
      400,
      "nickname",
    );
    expectProblem(await partner.request("POST", "/v1/recurring-payments", { raw: "{nope" }), 400, "body");
    expectProblem(await partner.post("/v1/recurring-payments", [customer]), 400, "body");
    expect(await list(customer)).toEqual([]);
  });

  it("replays a repeated Idempotency-Key instead of creating a second one", async () => {
    const customer = newCustomer();
    const headers = { "Idempotency-Key": `create-${customer}` };
    const once = await partner.post("/v1/recurring-payments", { customerNumber: customer }, headers);
    const again = await partner.post("/v1/recurring-payments", { customerNumber: customer }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.recurringPaymentId).toBe(once.body.recurringPaymentId);
    expect(await list(customer)).toHaveLength(1);
  });
});

describe("GET /v1/recurring-payments", () => {
  it("never shows CANCELLED ones; EXPIRED ones only with includeExpired", async () => {
    const customer = newCustomer();
    const active = await createWithCard(customer);
    const lapsed = await createWithCard(customer);
    // Past its expiresAt the card reads as EXPIRED, whatever the stored status says.
    await server.database.db
      .update(recurringPayments)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(recurringPayments.recurringPaymentId, lapsed.recurringPaymentId));
    const markedExpired = await create(customer);
    await server.database.db
      .update(recurringPayments)
      .set({ recurringStatus: "EXPIRED" })
      .where(eq(recurringPayments.recurringPaymentId, markedExpired.recurringPaymentId));
    const ended = await create(customer);
    expect((await partner.put(path(ended.recurringPaymentId, "end"))).status).toBe(200);

    const usual = await list(customer);
    expect(usual.map((r) => r.recurringPaymentId)).toEqual([active.recurringPaymentId]);
    expect(usual[0].recurringStatus).toBe("ACTIVE");
    expect(await list(customer, partner, "&includeExpired=false")).toEqual(usual);

    const all = await list(customer, partner, "&includeExpired=true");
    expect(all.map((r) => [r.recurringPaymentId, r.recurringStatus])).toEqual([
      [markedExpired.recurringPaymentId, "EXPIRED"],
      [lapsed.recurringPaymentId, "EXPIRED"],
      [active.recurringPaymentId, "ACTIVE"],
    ]);
    for (const item of all) expect(RecurringPayment.safeParse(item).success).toBe(true);
    // The ended one is still there for GET by id, as CANCELLED.
    const endedShown = await partner.get(path(ended.recurringPaymentId));
    expect(endedShown.body).toMatchObject({ recurringStatus: "CANCELLED", primary: false });
  });

  it("requires customerNumber and refuses unknown parameters and bad values, naming them", async () => {
    expectProblem(await partner.get("/v1/recurring-payments"), 400, "customerNumber");
    expectProblem(await partner.get("/v1/recurring-payments?customerNumber=abc"), 400, "customerNumber");
    expectProblem(await partner.get("/v1/recurring-payments?customerNumber=1&customerNumber=2"), 400, "customerNumber");
    expectProblem(
      await partner.get("/v1/recurring-payments?customerNumber=1&includeExpired=yes"),
      400,
      "includeExpired",
    );
    expectProblem(await partner.get("/v1/recurring-payments?customerNumber=1&status=ACTIVE"), 400, "status");
  });

  it("shows a client only its own organisation's recurring payments", async () => {
    const customer = newCustomer();
    const ours = await create(customer);
    const theirs = await create(customer, {}, stranger);
    expect((await list(customer, shop)).map((r) => r.recurringPaymentId)).toEqual([ours.recurringPaymentId]);
    expect((await list(customer, strangerShop)).map((r) => r.recurringPaymentId)).toEqual([theirs.recurringPaymentId]);
    expectProblem(await strangerShop.get(path(ours.recurringPaymentId)), 404);
    expect((await shop.get(path(ours.recurringPaymentId))).status).toBe(200);
  });
});

describe("PATCH /v1/recurring-payments/{id}", () => {
  it("changes the nickname (null removes it) and moves the primary", async () => {
    const customer = newCustomer();
    const first = await create(customer);
    const second = await create(customer);
    const renamed = await partner.request("PATCH", path(second.recurringPaymentId), {
      raw: JSON.stringify({ nickname: "Reisekort" }),
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(renamed.status).toBe(200);
    expectShape(renamed);
    expect(renamed.body).toMatchObject({ nickname: "Reisekort", primary: false });
    const cleared = await shop.patch(path(second.recurringPaymentId), { nickname: null });
    expect(cleared.body.nickname).toBeNull();

    const moved = await shop.patch(path(second.recurringPaymentId), { isPrimary: true });
    expect(moved.status).toBe(200);
    expect(moved.body.primary).toBe(true);
    expect((await partner.get(path(first.recurringPaymentId))).body.primary).toBe(false);
    // Again: nothing to move.
    expect((await shop.patch(path(second.recurringPaymentId), { isPrimary: true })).body.primary).toBe(true);
    expect((await shop.patch(path(first.recurringPaymentId), {})).status).toBe(200);
    expect(await primariesOf(customer)).toEqual([{ id: second.recurringPaymentId }]);
  });

  it("refuses customerNumber and other read-only fields with a 400 naming them, and changes nothing", async () => {
    const customer = newCustomer();
    const card = await create(customer, { nickname: "Privat" });
    for (const [field, value] of [
      ["customerNumber", "99999"],
      ["recurringStatus", "ACTIVE"],
      ["maskedPan", "411111******1111"],
      ["primary", true],
      ["expiresAt", "2030-01-01T00:00:00.000Z"],
    ] as const) {
      expectProblem(
        await partner.patch(path(card.recurringPaymentId), { [field]: value, nickname: "Changed" }),
        400,
        field,
      );
    }
    expectProblem(await partner.patch(path(card.recurringPaymentId), { colour: "red" }), 400, "colour");
    expectProblem(await partner.patch(path(card.recurringPaymentId), { isPrimary: null }), 400, "isPrimary");
    expectProblem(await partner.patch(path(card.recurringPaymentId), { isPrimary: "true" }), 400, "isPrimary");
    expectProblem(await partner.patch(path(card.recurringPaymentId), { nickname: "" }), 400, "nickname");
    expectProblem(await partner.patch(path(card.recurringPaymentId)), 400, "body");
    const after = await partner.get(path(card.recurringPaymentId));
    expect(after.body).toMatchObject({ customerNumber: customer, nickname: "Privat", recurringStatus: "CREATED" });
  });

  it("refuses to leave the customer without a primary (422), and changes of ended (409) or expired-to-primary (409)", async () => {
    const customer = newCustomer();
    const first = await create(customer);
    const second = await create(customer);
    expectProblem(await partner.patch(path(first.recurringPaymentId), { isPrimary: false }), 422, "isPrimary");
    expect((await partner.patch(path(second.recurringPaymentId), { isPrimary: false })).body.primary).toBe(false);

    await server.database.db
      .update(recurringPayments)
      .set({ recurringStatus: "EXPIRED" })
      .where(eq(recurringPayments.recurringPaymentId, second.recurringPaymentId));
    expectProblem(await partner.patch(path(second.recurringPaymentId), { isPrimary: true }), 409);
    expect((await partner.patch(path(second.recurringPaymentId), { nickname: "Old card" })).status).toBe(200);

    const ended = await create(customer);
    await partner.put(path(ended.recurringPaymentId, "end"));
    expectProblem(await partner.patch(path(ended.recurringPaymentId), { nickname: "x" }), 409);
    expectProblem(await partner.patch(path(ended.recurringPaymentId), { isPrimary: true }), 409);
    expect(await primariesOf(customer)).toEqual([{ id: first.recurringPaymentId }]);
  });

  it("answers 404 for another organisation's recurring payment and 400 for a malformed id", async () => {
    const card = await create(newCustomer());
    expectProblem(await strangerShop.patch(path(card.recurringPaymentId), { nickname: "Mine" }), 404);
    expectProblem(await stranger.patch(path(card.recurringPaymentId), { isPrimary: true }), 404);
    expectProblem(await partner.patch(path(987654321), { nickname: "x" }), 404);
    expectProblem(await partner.patch("/v1/recurring-payments/abc", { nickname: "x" }), 400, "recurringPaymentId");
    expect((await partner.get(path(card.recurringPaymentId))).body.nickname).toBeNull();
  });
});

describe("PUT /v1/recurring-payments/{id}/end", () => {
  it("ends (CANCELLED) idempotently; ending the primary hands it to the newest usable card, else a CREATED one, else none", async () => {
    const customer = newCustomer();
    const primary = await createWithCard(customer);
    const olderActive = await createWithCard(customer);
    const newerActive = await createWithCard(customer);
    const pending = await create(customer); // newest, but CREATED: a usable card comes first

    const ended = await shop.put(path(primary.recurringPaymentId, "end"));
    expect(ended.status).toBe(200);
    expectShape(ended);
    expect(ended.body).toMatchObject({ recurringStatus: "CANCELLED", primary: false });
    expect(await primariesOf(customer)).toEqual([{ id: newerActive.recurringPaymentId }]);
    const again = await shop.put(path(primary.recurringPaymentId, "end"));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(ended.body);

    await partner.put(path(newerActive.recurringPaymentId, "end"));
    expect(await primariesOf(customer)).toEqual([{ id: olderActive.recurringPaymentId }]);
    await partner.put(path(olderActive.recurringPaymentId, "end"));
    expect(await primariesOf(customer)).toEqual([{ id: pending.recurringPaymentId }]);
    await partner.put(path(pending.recurringPaymentId, "end"));
    expect(await primariesOf(customer)).toEqual([]);
    expect(await list(customer, partner, "&includeExpired=true")).toEqual([]);
    // A new card of a customer with only ended ones is primary again.
    expect((await create(customer)).primary).toBe(true);
  });

  it("answers 404 for another organisation's and leaves it as it was", async () => {
    const card = await create(newCustomer());
    expectProblem(await strangerShop.put(path(card.recurringPaymentId, "end")), 404);
    expect((await partner.get(path(card.recurringPaymentId))).body.recurringStatus).toBe("CREATED");
  });
});

describe("the card terminal and authorize", () => {
  it("registers a card on the terminal page; authorize makes it ACTIVE with masked PAN and card expiry", async () => {
    const customer = newCustomer();
    const created = await create(customer, { nickname: "Privat" });
    const id = created.recurringPaymentId;
    expectProblem(await partner.put(path(id, "authorize")), 409); // no card yet

    const before = Date.now();
    const opened = await partner.post(path(id, "terminal"), {
      redirectUrl: RETURN,
      terminalLanguage: "en_GB",
      autoSale: true,
    });
    expect(opened.status).toBe(201);
    expect(RecurringPaymentTerminal.safeParse(opened.body).success).toBe(true);
    expect(opened.body.recurringPaymentId).toBe(id);
    const uri = opened.body.terminalUri as string;
    expect(uri).toMatch(new RegExp(`^${server.url}/sandbox/card/[A-Za-z0-9_-]{43}$`));
    const [session] = await server.database.db
      .select()
      .from(providerSessions)
      .where(eq(providerSessions.token, uri.split("/").at(-1)!));
    expect(session.kind).toBe("CARD_REGISTRATION");
    expect(session.expiresAt.getTime() - before).toBeGreaterThan(14.9 * 60_000);
    expect(session.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const shown = await fetch(uri);
    const html = await shown.text();
    expect(shown.status).toBe(200);
    expect(html).toContain("Store your card");
    expect(html).toContain("Nothing is charged now");
    expect(html).toContain("Organisation 2101");

    const refused = await submit(uri, card(REFUSED));
    expect(refused.status).toBe(402);
    expectProblem(await partner.put(path(id, "authorize")), 409);

    const stored = await submit(uri, card(APPROVE, "12/30"));
    expect(stored.status).toBe(302);
    const back = new URL(stored.location!);
    expect(`${back.origin}${back.pathname}`).toBe(RETURN);
    expect(back.searchParams.get("recurringPaymentId")).toBe(String(id));
    expect(back.searchParams.get("responseCode")).toBe("OK");
    // The page alone changes nothing: authorize does.
    expect((await partner.get(path(id))).body.recurringStatus).toBe("CREATED");

    const authorized = await partner.put(path(id, "authorize"));
    expect(authorized.status).toBe(200);
    expectShape(authorized);
    expect(authorized.body).toMatchObject({
      recurringStatus: "ACTIVE",
      maskedPan: "411111******1111",
      paymentType: "VISA",
      cardExpiresAt: "2030-12-31T23:59:59.999Z",
      primary: true,
      nickname: "Privat",
    });
    // Three years from now comes before the card's expiry, so that is when it expires.
    const threeYears = new Date();
    threeYears.setUTCFullYear(threeYears.getUTCFullYear() + 3);
    expect(Math.abs(Date.parse(authorized.body.expiresAt) - threeYears.getTime())).toBeLessThan(60_000);
    expect(Date.parse(authorized.body.expiresAt)).toBeLessThanOrEqual(Date.parse(authorized.body.cardExpiresAt));
    expect(JSON.stringify(authorized.body)).not.toMatch(/panHash|ph_/);

    // Authorize again: the same answer. A terminal for an ACTIVE one: 409. The page is done.
    expect((await partner.put(path(id, "authorize"))).body).toEqual(authorized.body);
    expectProblem(await partner.post(path(id, "terminal"), { redirectUrl: RETURN }), 409);
    const reused = await submit(uri, card(APPROVE));
    expect(reused.status).toBe(409);
  });

  it("never lets expiresAt pass the card's own expiry", async () => {
    const soon = new Date();
    soon.setUTCMonth(soon.getUTCMonth() + 3);
    const expiry = `${String(soon.getUTCMonth() + 1).padStart(2, "0")}/${String(soon.getUTCFullYear()).slice(2)}`;
    const created = await create(newCustomer());
    const authorized = await registerCard(created.recurringPaymentId, "5555555555554444", expiry);
    expect(authorized).toMatchObject({
      recurringStatus: "ACTIVE",
      maskedPan: "555555******4444",
      paymentType: "MASTERCARD",
    });
    expect(authorized.expiresAt).toBe(authorized.cardExpiresAt);
    expect(new Date(authorized.cardExpiresAt).getUTCMonth()).toBe(soon.getUTCMonth());
  });

  it("checks redirectUrl and callbackUrl against the client's prefixes, and sends the callback when the card is registered", async () => {
    const created = await create(newCustomer());
    const id = created.recurringPaymentId;
    expectProblem(
      await partner.post(path(id, "terminal"), { redirectUrl: "https://evil.example/steal" }),
      400,
      "redirectUrl",
    );
    expectProblem(await partner.post(path(id, "terminal"), {}), 400, "redirectUrl");
    expectProblem(await partner.post(path(id, "terminal"), { redirectUrl: "ftp://shop.example/" }), 400, "redirectUrl");
    expectProblem(
      await partner.post(path(id, "terminal"), { redirectUrl: RETURN, callbackUrl: "http://10.0.0.1/" }),
      400,
      "callbackUrl",
    );
    expectProblem(await strangerShop.post(path(id, "terminal"), { redirectUrl: RETURN }), 404);

    const callbackUrl = "https://shop.example/hooks/cards";
    const uri = await openTerminal(id, { callbackUrl });
    expect((await submit(uri, card(APPROVE))).status).toBe(302);
    const hooks = await server.database.db.select().from(callbackOutbox).where(eq(callbackOutbox.url, callbackUrl));
    expect(hooks.map((h) => h.payload)).toEqual([
      expect.objectContaining({ recurringPaymentId: id, responseCode: "OK" }),
    ]);
  });

  it("a new terminal replaces the open one; an expired or cancelled terminal registers nothing", async () => {
    const created = await create(newCustomer());
    const id = created.recurringPaymentId;
    const first = await openTerminal(id);
    const second = await openTerminal(id);
    expect((await submit(first, card(APPROVE))).status).toBe(409);
    await server.database.db
      .update(providerSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(providerSessions.token, second.split("/").at(-1)!));
    expect((await fetch(second)).status).toBe(410);
    expect((await submit(second, card(APPROVE))).status).toBe(410);
    expectProblem(await partner.put(path(id, "authorize")), 409);

    const third = await openTerminal(id);
    const cancelled = await submit(third, { intent: "cancel" });
    expect(cancelled.status).toBe(302);
    expect(new URL(cancelled.location!).searchParams.get("responseCode")).toBe("CANCELLED");
    expectProblem(await partner.put(path(id, "authorize")), 409);
    expect((await partner.get(path(id))).body.recurringStatus).toBe("CREATED");
  });

  it("refuses terminal and authorize for ended and expired ones (409)", async () => {
    const customer = newCustomer();
    const ended = await create(customer);
    const uri = await openTerminal(ended.recurringPaymentId);
    await partner.put(path(ended.recurringPaymentId, "end"));
    expectProblem(await partner.post(path(ended.recurringPaymentId, "terminal"), { redirectUrl: RETURN }), 409);
    // The page opened before the end can no longer register the card.
    expect((await submit(uri, card(APPROVE))).status).toBe(409);
    expectProblem(await partner.put(path(ended.recurringPaymentId, "authorize")), 409);

    const lapsed = await createWithCard(customer);
    await server.database.db
      .update(recurringPayments)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(recurringPayments.recurringPaymentId, lapsed.recurringPaymentId));
    expectProblem(await partner.put(path(lapsed.recurringPaymentId, "authorize")), 409);
  });

  it("a newly usable card takes over from a primary that cannot be charged", async () => {
    const customer = newCustomer();
    const abandoned = await create(customer); // primary, but its card was never registered
    const later = await create(customer);
    expect(later.primary).toBe(false);
    await registerCard(later.recurringPaymentId);
    expect(await primariesOf(customer)).toEqual([{ id: later.recurringPaymentId }]);
    // A second usable card does not take over from a usable primary.
    await registerCard(abandoned.recurringPaymentId);
    expect(await primariesOf(customer)).toEqual([{ id: later.recurringPaymentId }]);
  });
});

describe("charging a recurring payment in a transaction", () => {
  async function activeCard(customer: string) {
    const created = await createWithCard(customer);
    return created.recurringPaymentId;
  }

  async function payWith(recurringPaymentId: number, customerNumber: string | undefined, who: TestClient = partner) {
    const payment = await who.post("/v1/payments", {
      totalAmount: "80.00",
      ...(customerNumber ? { customerNumber } : {}),
    });
    expect(payment.status).toBe(201);
    return {
      paymentId: payment.body.paymentId as number,
      result: await who.post(`/v1/payments/${payment.body.paymentId}/transactions`, { recurringPaymentId }),
    };
  }

  it("charges an ACTIVE, unexpired card of the payment's customer (MIT)", async () => {
    const customer = newCustomer();
    const id = await activeCard(customer);
    const { paymentId, result } = await payWith(id, customer);
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      recurringPaymentId: id,
      paymentTypeGroup: "PAYMENTCARD",
      paymentType: "VISA",
      status: "CREATED",
    });
    const charged = await partner.post(`/v1/payments/${paymentId}/transactions/${result.body.transactionId}/terminal`, {
      redirectUrl: RETURN,
      transactionType: "MIT_UCOF",
    });
    expect(charged.status).toBe(201);
    const t = await partner.get(`/v1/payments/${paymentId}/transactions/${result.body.transactionId}`);
    expect(t.body).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111", recurringPaymentId: id });
  });

  it("refuses a CREATED, ended, expired, another customer's or another organisation's card with a 422 naming recurringPaymentId", async () => {
    const customer = newCustomer();
    const created = await create(customer);
    expectProblem((await payWith(created.recurringPaymentId, customer)).result, 422, "recurringPaymentId");

    const ended = await activeCard(customer);
    await partner.put(path(ended, "end"));
    expectProblem((await payWith(ended, customer)).result, 422, "recurringPaymentId");

    const lapsed = await activeCard(customer);
    await server.database.db
      .update(recurringPayments)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(recurringPayments.recurringPaymentId, lapsed));
    expectProblem((await payWith(lapsed, customer)).result, 422, "recurringPaymentId");

    const usable = await activeCard(customer);
    expectProblem((await payWith(usable, newCustomer())).result, 422, "recurringPaymentId");
    expectProblem((await payWith(usable, undefined)).result, 422, "recurringPaymentId");
    expectProblem((await payWith(usable, customer, stranger)).result, 422, "recurringPaymentId");
    // The same card on a proper payment works, so the refusals above were about the card.
    expect((await payWith(usable, customer)).result.status).toBe(201);
  });
});

describe("one primary per customer under concurrent requests", () => {
  it("first cards created at once: exactly one is primary", async () => {
    const customer = newCustomer();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => partner.post("/v1/recurring-payments", { customerNumber: customer })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(results.filter((r) => r.body.primary)).toHaveLength(1);
    expect(await primariesOf(customer)).toHaveLength(1);
  });

  it("30 parallel primary moves, creates and ends: no 5xx, exactly one primary at the end, the one the last move chose", async () => {
    const customer = newCustomer();
    const cards: number[] = [];
    for (let i = 0; i < 10; i++) cards.push((await create(customer)).recurringPaymentId);
    const moves = Array.from({ length: 30 }, (_, i) => shop.patch(path(cards[i % cards.length]), { isPrimary: true }));
    const creates = Array.from({ length: 8 }, (_, i) =>
      partner.post("/v1/recurring-payments", { customerNumber: customer, isPrimary: i % 2 === 0 }),
    );
    const ends = [partner.put(path(cards[3], "end")), partner.put(path(cards[7], "end"))];
    const results = await Promise.all([...moves, ...creates, ...ends]);
    const statuses = results.map((r) => r.status);
    expect(
      statuses.filter((s) => s >= 500),
      JSON.stringify(results.filter((r) => r.status >= 500).map((r) => r.body)),
    ).toEqual([]);
    // A move of a card that was ended first is a 409; everything else succeeds.
    for (const r of results) expect([200, 201, 409]).toContain(r.status);
    expect(results.slice(30, 38).every((r) => r.status === 201)).toBe(true);

    const primaries = await primariesOf(customer);
    expect(primaries).toHaveLength(1);
    const [{ count }] = await server.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(recurringPayments)
      .where(and(eq(recurringPayments.customerNumber, customer), ne(recurringPayments.recurringStatus, "CANCELLED")));
    expect(count).toBe(10 - 2 + 8);
    const shown = await list(customer);
    expect(shown.filter((r) => r.primary).map((r) => r.recurringPaymentId)).toEqual([primaries[0].id]);

    // A final move decides, whatever happened before.
    const last = shown.find((r) => !r.primary)!;
    expect((await shop.patch(path(last.recurringPaymentId), { isPrimary: true })).body.primary).toBe(true);
    expect(await primariesOf(customer)).toEqual([{ id: last.recurringPaymentId }]);
  });
});
