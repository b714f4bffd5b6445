// Card terminals over HTTP (…/terminal, …/recurring-terminal, …/internal-terminal) and
// the sandbox's hosted card page driven the way a browser without JavaScript would: GET the page,
// POST the form with our own Origin.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { callbackOutbox, dailyVolume, providerSessions, recurringPayments } from "../../db/schema";
import { add, money, subtract } from "../../app/domain/money";
import {
  InternalTerminalResponse,
  RecurringTerminalResponse,
  TerminalResponse,
} from "../../app/http/api/schemas-terminals";
import { isAllowedRedirect } from "../../app/domain/redirects";
import { loggablePath } from "../../app/platform/logger.server";
import { createClient, expectProblem, operationsNamed, paymentWithTransaction, type TestClient } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { cardForm, fetchPage, submitForm } from "../support/fixtures-pages";
import { operationsOf, readTransaction, transactionPath } from "../support/fixtures-transactions";

const SHOP = "https://shop.example/";
const RETURN = "https://shop.example/return?order=42";
const APPROVE = "4111111111111111";
const REFUSED = "4000000000000002";
const SOFT = "4000000000009995";
const MASTERCARD = "5555555555554444";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 1701, allowedRedirectPrefixes: [SHOP, "https://pay.example"] });
const privileged = useApiClient(server, { organisationId: 1702, privileged: true, allowedRedirectPrefixes: [SHOP] });
const otherOrg = useApiClient(server, { organisationId: 1703, allowedRedirectPrefixes: [SHOP] });

const tx = (paymentId: number, transactionId: number, action = "") =>
  transactionPath({ paymentId, transactionId }, action);

async function cardPayment(who: TestClient = client, total = "100.00", extra: Record<string, unknown> = {}) {
  return paymentWithTransaction(who, total, "VISA", extra);
}

async function openTerminal(
  body: Record<string, unknown> = {},
  who: TestClient = client,
  total = "100.00",
  extra: Record<string, unknown> = {},
) {
  const payment = await cardPayment(who, total, extra);
  const result = await who.post(tx(payment.paymentId, payment.transactionId, "terminal"), {
    redirectUrl: RETURN,
    ...body,
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return { ...payment, terminalUri: result.body.terminalUri as string, result };
}

/** A form POST as a browser sends it: urlencoded, same Origin, no redirect following. */
const submit = (uri: string, fields: Record<string, string>, origin = server.url) => submitForm(uri, fields, origin);

const transaction = (who: TestClient, paymentId: number, transactionId: number) =>
  readTransaction(who, { paymentId, transactionId });

/** POST /v1/payments: `total` for the customer, its transaction charged from the stored card. */
const chargeStoredCard = (total: string, customerNumber: string, recurringPaymentId: number) =>
  privileged.post("/v1/payments", { totalAmount: total, customerNumber, transaction: { recurringPaymentId } });

async function sessionOf(transactionId: number) {
  const rows = await server.database.db
    .select()
    .from(providerSessions)
    .where(eq(providerSessions.transactionId, transactionId))
    .orderBy(providerSessions.id);
  return rows.at(-1)!;
}

describe("POST …/terminal", () => {
  it("answers 201 with an absolute terminalUri on this server, sets INITIATED with an INITIATE entry, and the page works", async () => {
    const before = Date.now();
    const { paymentId, transactionId, terminalUri, result } = await openTerminal({}, client, "249.50");
    expect(Object.keys(result.body).sort()).toEqual(["paymentId", "terminalUri", "transactionId"]);
    expect(TerminalResponse.safeParse(result.body).success).toBe(true); // the documented response schema
    expect(result.body).toMatchObject({ paymentId, transactionId });
    expect(terminalUri).toMatch(new RegExp(`^${server.url}/sandbox/card/[A-Za-z0-9_-]{43}$`));

    const t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("INITIATED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE"]);
    expect(t.operationLog[1]).toMatchObject({ amount: "249.50", actor: client.clientId, clientName: "paydesk-tests" });

    const session = await sessionOf(transactionId);
    expect(session.kind).toBe("CARD_TERMINAL");
    expect(session.token).toBe(terminalUri.split("/").at(-1));
    expect(session.expiresAt.getTime() - before).toBeGreaterThan(14.9 * 60_000);
    expect(session.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(session.options).toMatchObject({
      autoSale: false,
      countryCode: "NO",
      terminalLanguage: "no_NO",
      attempts: 0,
    });

    const shown = await fetchPage(terminalUri);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("Organisation 1701");
    expect(shown.html).toMatch(/249,50/);
    expect(shown.html).toContain("NOK");
    expect(shown.html).toContain('name="cardNumber"');
    expect(shown.html).toContain("Kortnummer"); // terminalLanguage defaults to no_NO
  });

  it("words the page in English for terminalLanguage en_GB", async () => {
    const { terminalUri } = await openTerminal({ terminalLanguage: "en_GB" });
    const shown = await fetchPage(terminalUri);
    expect(shown.html).toContain("Card number");
    expect(shown.html).toMatch(/100\.00/);
  });

  it("refuses a redirectUrl outside the client's allowed prefixes, and malformed URLs, with a 400 naming the field", async () => {
    const { paymentId, transactionId } = await cardPayment();
    const path = tx(paymentId, transactionId, "terminal");
    for (const redirectUrl of [
      "https://evil.example/steal",
      "https://shop.example.evil.test/", // does not start with "https://shop.example/"
      "https://pay.example.evil.test/", // prefix without a slash must end at a separator
      "http://shop.example/", // scheme is part of the prefix
      "ftp://shop.example/",
      "javascript:alert(1)",
      `https://shop.example/${"x".repeat(1100)}`,
    ]) {
      expectProblem(await client.post(path, { redirectUrl }), 400, "redirectUrl");
    }
    expectProblem(await client.post(path, {}), 400, "redirectUrl");
    expectProblem(await client.post(path, { redirectUrl: RETURN, callbackUrl: "not a url" }), 400, "callbackUrl");
    expectProblem(await client.post(path, { redirectUrl: RETURN, countryCode: "norway" }), 400, "countryCode");
    expectProblem(await client.post(path, { redirectUrl: RETURN, transactionType: "CIT" }), 400, "transactionType");
    expectProblem(await client.post(path, { redirectUrl: RETURN, autoSale: "yes" }), 400, "autoSale");
    // Nothing happened to the transaction.
    expect(operationsOf(await transaction(client, paymentId, transactionId))).toEqual(["CREATE"]);
    // A client without prefixes can open no terminal at all.
    const bare = await createClient(server, { organisationId: 1704 });
    const own = await cardPayment(bare);
    expectProblem(
      await bare.post(tx(own.paymentId, own.transactionId, "terminal"), { redirectUrl: RETURN }),
      400,
      "redirectUrl",
    );
    // The allowed ones work.
    expect((await client.post(path, { redirectUrl: "https://pay.example/done" })).status).toBe(201);
  });

  it("matches prefixes at a separator", () => {
    expect(isAllowedRedirect("https://shop.example/a", ["https://shop.example/"])).toBe(true);
    expect(isAllowedRedirect("https://shop.example", ["https://shop.example"])).toBe(true);
    expect(isAllowedRedirect("https://shop.example?x=1", ["https://shop.example"])).toBe(true);
    expect(isAllowedRedirect("https://shop.example.evil/", ["https://shop.example"])).toBe(false);
    expect(isAllowedRedirect("https://shop.example@evil/", ["https://shop.example"])).toBe(false);
    expect(isAllowedRedirect("https://shop.example/", [])).toBe(false);
    expect(isAllowedRedirect("https://shop.example/", [""])).toBe(false);
  });

  it("is only for card transactions in CREATED or INITIATED of an active payment of the caller", async () => {
    // Not a card: 422.
    const cash = await paymentWithTransaction(client, "10.00", "CASH");
    expectProblem(await client.post(tx(cash.paymentId, cash.transactionId, "terminal"), { redirectUrl: RETURN }), 422);
    // Captured: 409.
    const captured = await cardPayment();
    const base = tx(captured.paymentId, captured.transactionId);
    expect((await client.post(`${base}/authorize`, { totalAmount: "100.00" })).status).toBe(200);
    expectProblem(await client.post(`${base}/terminal`, { redirectUrl: RETURN }), 409);
    expect((await client.put(`${base}/capture`)).status).toBe(200);
    expectProblem(await client.post(`${base}/terminal`, { redirectUrl: RETURN }), 409);
    // Cancelled: 409.
    const cancelled = await cardPayment();
    expect((await client.put(tx(cancelled.paymentId, cancelled.transactionId, "cancel"))).status).toBe(200);
    expectProblem(
      await client.post(tx(cancelled.paymentId, cancelled.transactionId, "terminal"), { redirectUrl: RETURN }),
      409,
    );
    // Inactive payment: 409.
    const inactive = await cardPayment();
    expect((await client.put(`/v1/payments/${inactive.paymentId}/deactivate`)).status).toBe(200);
    const refused = await client.post(tx(inactive.paymentId, inactive.transactionId, "terminal"), {
      redirectUrl: RETURN,
    });
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/deactivated/);
    // Unknown and other organisation's ids: 404.
    const mine = await cardPayment();
    expectProblem(await client.post(tx(mine.paymentId, 999_999, "terminal"), { redirectUrl: RETURN }), 404);
    expectProblem(
      await otherOrg.post(tx(mine.paymentId, mine.transactionId, "terminal"), { redirectUrl: RETURN }),
      404,
    );
    expect(operationsOf(await transaction(client, mine.paymentId, mine.transactionId))).toEqual(["CREATE"]);
  });

  it("replaces the open terminal of an INITIATED transaction: a second INITIATE, and the old page is closed", async () => {
    const first = await openTerminal();
    const second = await client.post(tx(first.paymentId, first.transactionId, "terminal"), { redirectUrl: RETURN });
    expect(second.status).toBe(201);
    expect(second.body.terminalUri).not.toBe(first.terminalUri);
    const t = await transaction(client, first.paymentId, first.transactionId);
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "INITIATE"]);

    const old = await submit(first.terminalUri, cardForm(APPROVE));
    expect(old.status).toBe(409);
    expect((await transaction(client, first.paymentId, first.transactionId)).status).toBe("INITIATED");
    const fresh = await submit(second.body.terminalUri, cardForm(APPROVE));
    expect(fresh.status).toBe(302);
  });
});

describe("the hosted card page", () => {
  it("approves the test card: AUTHORIZED, last 4 and rrn stored, 302 back to redirectUrl with the result", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal();
    expect((await fetchPage(terminalUri)).status).toBe(200);
    const posted = await submit(terminalUri, cardForm("4111 1111 1111 1111"));
    expect(posted.status).toBe(302);
    const location = new URL(posted.location!);
    expect(`${location.origin}${location.pathname}`).toBe("https://shop.example/return");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      order: "42",
      paymentId: String(paymentId),
      transactionId: String(transactionId),
      responseCode: "OK",
    });
    expect(posted.location).not.toContain("4111");

    const t = await transaction(client, paymentId, transactionId);
    expect(t).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111", paymentType: "VISA" });
    expect(t.rrn).toMatch(/^[0-9]{12}$/);
    expect(t.summary).toMatchObject({ authorizedAmount: "100.00", capturedAmount: "0.00" });
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    expect(t.operationLog[2]).toMatchObject({ amount: "100.00", actor: client.clientId });

    const session = await sessionOf(transactionId);
    expect(session.outcome).toBe("OK");
    expect(session.completedAt).not.toBeNull();
    expect(JSON.stringify(session)).not.toMatch(/4111111111111111|12\/30|Kari/);

    // The client captures as usual.
    expect((await client.put(tx(paymentId, transactionId, "capture"))).status).toBe(200);
  });

  it("answers a second POST after completion with 409 and changes nothing", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal();
    expect((await submit(terminalUri, cardForm(APPROVE))).status).toBe(302);
    const again = await submit(terminalUri, cardForm(MASTERCARD));
    expect(again.status).toBe(409);
    expect(again.html).toContain("allerede fullført");
    expect(again.html).not.toContain(MASTERCARD);
    const t = await transaction(client, paymentId, transactionId);
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    expect(t.cardNumber).toBe("1111");
    // GET says it is over, with a way back.
    const shown = await fetchPage(terminalUri);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("allerede fullført");
    expect(shown.html).toContain("responseCode=OK");
  });

  it("authorizes once when the form is posted twice at the same time", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal({ autoSale: true });
    const results = await Promise.all([
      submit(terminalUri, cardForm(APPROVE)),
      submit(terminalUri, cardForm(MASTERCARD)),
      submit(terminalUri, cardForm(APPROVE)),
    ]);
    // One wins; the others see it completed (409) or, while the winner waits on the provider, in progress (202).
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 302).every((s) => s === 409 || s === 202)).toBe(true);
    const t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("CAPTURED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE", "CAPTURE"]);
  });

  it("shows a refusal, changes nothing, does not echo the card, and lets the customer try another card", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal({ callbackUrl: `${SHOP}hooks/paydesk` });
    const refused = await submit(terminalUri, cardForm(REFUSED));
    expect(refused.status).toBe(402);
    expect(refused.html).toContain("REFUSED_BY_ISSUER");
    expect(refused.html).toContain("Kortutsteder avviste betalingen");
    expect(refused.html).not.toContain(REFUSED);
    // The form comes back with an empty number field (only the name on the card is kept).
    const numberInput = /<input[^>]*name="cardNumber"[^>]*>/.exec(refused.html)?.[0];
    expect(numberInput).toBeDefined();
    expect(numberInput).not.toMatch(/value=/);
    expect(refused.html).toMatch(/<input[^>]*name="cardholder"[^>]*value="Kari Nordmann"/);
    let t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("INITIATED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE"]);
    expect(t.cardNumber).toBeNull();
    expect(
      await server.database.db
        .select()
        .from(callbackOutbox)
        .where(eq(callbackOutbox.url, "https://hooks.example/paydesk")),
    ).toHaveLength(0);

    const approved = await submit(terminalUri, cardForm(APPROVE));
    expect(approved.status).toBe(302);
    t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("AUTHORIZED");
    expect((await sessionOf(transactionId)).options).toMatchObject({ attempts: 2 });
  });

  it("shows a soft decline, and Cancel sends the customer back with that responseCode, leaving the transaction INITIATED", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal();
    const soft = await submit(terminalUri, cardForm(SOFT));
    expect(soft.status).toBe(402);
    expect(soft.html).toContain("SOFT_DECLINE");
    expect(soft.html).not.toContain(SOFT);
    const cancelled = await submit(terminalUri, { intent: "cancel" });
    expect(cancelled.status).toBe(302);
    expect(new URL(cancelled.location!).searchParams.get("responseCode")).toBe("SOFT_DECLINE");
    const t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("INITIATED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE"]);
    // The terminal is closed now.
    expect((await submit(terminalUri, cardForm(APPROVE))).status).toBe(409);
    expect((await transaction(client, paymentId, transactionId)).status).toBe("INITIATED");
  });

  it("Cancel without a decline answers responseCode CANCELLED", async () => {
    const { terminalUri } = await openTerminal();
    const cancelled = await submit(terminalUri, { intent: "cancel" });
    expect(cancelled.status).toBe(302);
    expect(new URL(cancelled.location!).searchParams.get("responseCode")).toBe("CANCELLED");
  });

  it("validates the card (Luhn, expiry, CVC, name) without echoing it and without touching the transaction", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal({ terminalLanguage: "en_GB" });
    const badLuhn = await submit(terminalUri, cardForm("4111111111111112"));
    expect(badLuhn.status).toBe(400);
    expect(badLuhn.html).toContain("not a valid card number");
    expect(badLuhn.html).not.toContain("4111111111111112");
    const expired = await submit(terminalUri, cardForm(APPROVE, { expiry: "01/20" }));
    expect(expired.status).toBe(400);
    expect(expired.html).toContain("The card has expired");
    expect(expired.html).not.toContain(APPROVE);
    expect(expired.html).not.toContain("01/20");
    const unsupported = await submit(terminalUri, cardForm("6011111111111117"));
    expect(unsupported.status).toBe(400);
    expect(unsupported.html).toContain("not accepted");
    const noCvc = await submit(terminalUri, cardForm(APPROVE, { cvc: "", cardholder: "" }));
    expect(noCvc.status).toBe(400);
    expect(noCvc.html).toContain("3-digit security code");
    expect(noCvc.html).toContain("Enter the name on the card");
    const t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("INITIATED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE"]);
    expect((await sessionOf(transactionId)).options).toMatchObject({ attempts: 0 });
  });

  it("with autoSale captures at once (AUTHORIZE and CAPTURE entries, rollup updated)", async () => {
    // Summed over the rollup's rows: a key is split over shards (docs/decisions/047).
    const volume = async () => {
      const rows = await server.database.db
        .select()
        .from(dailyVolume)
        .where(and(eq(dailyVolume.organisationId, client.organisationId), eq(dailyVolume.paymentType, "MASTERCARD")));
      return rows.reduce(
        (sum, row) => ({ amount: add(sum.amount, money(row.capturedAmount)), count: sum.count + row.capturedCount }),
        { amount: money("0"), count: 0 },
      );
    };
    const before = await volume();
    const { paymentId, transactionId, terminalUri } = await openTerminal({ autoSale: true }, client, "77.70");
    expect((await submit(terminalUri, cardForm(MASTERCARD))).status).toBe(302);
    const t = await transaction(client, paymentId, transactionId);
    expect(t).toMatchObject({ status: "CAPTURED", cardNumber: "4444", paymentType: "MASTERCARD" });
    expect(t.summary).toMatchObject({ authorizedAmount: "77.70", capturedAmount: "77.70", creditableAmount: "77.70" });
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE", "CAPTURE"]);
    const after = await volume();
    expect(after.count - before.count).toBe(1);
    expect(subtract(after.amount, before.amount)).toBe(money("77.70"));
    // A capture call afterwards is a conflict, as for any captured transaction.
    expectProblem(await client.put(tx(paymentId, transactionId, "capture")), 409);
  });

  it("expires after 15 minutes: the page says so (410), POST is 410, and the transaction cannot be authorized", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal({ terminalLanguage: "en_GB" });
    await server.database.db
      .update(providerSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(providerSessions.transactionId, transactionId));
    const shown = await fetchPage(terminalUri);
    expect(shown.status).toBe(410);
    expect(shown.html).toContain("has expired");
    expect(shown.html).not.toContain('name="cardNumber"');
    const posted = await submit(terminalUri, cardForm(APPROVE));
    expect(posted.status).toBe(410);
    expect(posted.html).toContain("has expired");
    const t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("INITIATED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE"]);
    // A new terminal for the same transaction works again.
    const again = await client.post(tx(paymentId, transactionId, "terminal"), { redirectUrl: RETURN });
    expect(again.status).toBe(201);
    expect((await submit(again.body.terminalUri, cardForm(APPROVE))).status).toBe(302);
  });

  it("refuses to authorize when the shop cancelled the transaction meanwhile", async () => {
    const { paymentId, transactionId, terminalUri } = await openTerminal();
    expect((await client.put(tx(paymentId, transactionId, "cancel"))).status).toBe(200);
    const posted = await submit(terminalUri, cardForm(APPROVE));
    expect(posted.status).toBe(409);
    const t = await transaction(client, paymentId, transactionId);
    expect(t.status).toBe("CANCELLED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "CANCEL"]);
  });

  it("answers 404 for unknown tokens and 403 for a cross-site POST", async () => {
    expect((await fetchPage(`${server.url}/sandbox/card/${"A".repeat(43)}`)).status).toBe(404);
    expect((await fetchPage(`${server.url}/sandbox/card/short`)).status).toBe(404);
    const { terminalUri, paymentId, transactionId } = await openTerminal();
    expect((await submit(terminalUri, cardForm(APPROVE), "https://evil.example")).status).toBe(403);
    expect((await submit(terminalUri, cardForm(APPROVE), "")).status).toBe(403);
    expect((await transaction(client, paymentId, transactionId)).status).toBe("INITIATED");
  });

  it("enqueues the callback with the transaction's new state when a callbackUrl was given", async () => {
    const hook = `${SHOP}hooks/paydesk/card`;
    const { paymentId, transactionId, terminalUri } = await openTerminal({ callbackUrl: hook, autoSale: true });
    expect((await submit(terminalUri, cardForm(APPROVE))).status).toBe(302);
    const rows = await server.database.db.select().from(callbackOutbox).where(eq(callbackOutbox.url, hook));
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({
      paymentId,
      transactionId,
      status: "CAPTURED",
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
    });
    expect(rows[0].deliveredAt).toBeNull();
    // Whose it is and what it is about: the client sees it at GET /v1/callbacks, staff filter by it.
    expect(rows[0]).toMatchObject({
      clientId: client.clientId,
      organisationId: client.organisationId,
      paymentId,
      transactionId,
      target: new URL(SHOP).origin,
    });
    expect(rows[0].correlationId).toBeTruthy();
    const listed = await client.get(`/v1/callbacks?transactionId=${transactionId}`);
    expect(listed.body.items).toEqual([expect.objectContaining({ callbackId: rows[0].id, state: "PENDING" })]);
    // Without a callbackUrl nothing is enqueued.
    const quiet = await openTerminal();
    const before = await server.database.db.select({ n: sql<number>`count(*)::int` }).from(callbackOutbox);
    expect((await submit(quiet.terminalUri, cardForm(APPROVE))).status).toBe(302);
    const after = await server.database.db.select({ n: sql<number>`count(*)::int` }).from(callbackOutbox);
    expect(after[0].n).toBe(before[0].n);
  });
});

describe("stored cards", () => {
  const customer = "7700001";

  async function storeCard(number: string, expiry = "12/30", customerNumber = customer) {
    const opened = await openTerminal({ storePayment: true }, privileged, "50.00", { customerNumber });
    expect(opened.result.body.recurringPaymentId).toEqual(expect.any(Number));
    const recurringPaymentId = opened.result.body.recurringPaymentId as number;
    const [created] = await server.database.db
      .select()
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
    expect(created).toMatchObject({ recurringStatus: "CREATED", customerNumber, maskedPan: null, panHash: null });
    const cvc = /^3[47]/.test(number) ? "1234" : "123";
    expect((await submit(opened.terminalUri, cardForm(number, { expiry, cvc }))).status).toBe(302);
    const [stored] = await server.database.db
      .select()
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
    return { ...opened, recurringPaymentId, stored };
  }

  it("storePayment with a customer: the approved card becomes an ACTIVE recurring payment with a masked PAN; the first is primary", async () => {
    const first = await storeCard(MASTERCARD, "12/30");
    expect(first.stored).toMatchObject({
      recurringStatus: "ACTIVE",
      maskedPan: "555555******4444",
      paymentType: "MASTERCARD",
      isPrimary: true,
      customerNumber: customer,
      organisationId: privileged.organisationId,
      clientId: privileged.clientId,
    });
    expect(first.stored.panHash).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(first.stored.panHash).not.toContain("4444");
    expect(TerminalResponse.safeParse(first.result.body).success).toBe(true);
    expect(first.stored.cardExpiresAt!.toISOString()).toBe("2030-12-31T23:59:59.999Z");
    // Three years from now is earlier than the card's expiry: that is the limit.
    const threeYears = new Date();
    threeYears.setUTCFullYear(threeYears.getUTCFullYear() + 3);
    expect(Math.abs(first.stored.expiresAt!.getTime() - threeYears.getTime())).toBeLessThan(60_000);
    const t = await transaction(privileged, first.paymentId, first.transactionId);
    expect(t).toMatchObject({ status: "AUTHORIZED", cardNumber: "4444", recurringPaymentId: first.recurringPaymentId });

    // A second card of the same customer is not primary; one that expires sooner keeps its own expiry.
    const second = await storeCard("378282246310005", "06/27");
    expect(second.stored).toMatchObject({
      recurringStatus: "ACTIVE",
      maskedPan: "378282******0005",
      paymentType: "AMEX",
      isPrimary: false,
    });
    expect(second.stored.expiresAt!.toISOString()).toBe("2027-06-30T23:59:59.999Z");
    expect(second.stored.cardExpiresAt!.toISOString()).toBe("2027-06-30T23:59:59.999Z");
  });

  it("a declined card is not stored: the recurring payment stays CREATED", async () => {
    const opened = await openTerminal({ storePayment: true }, privileged, "50.00", { customerNumber: "7700002" });
    expect((await submit(opened.terminalUri, cardForm(REFUSED))).status).toBe(402);
    const [row] = await server.database.db
      .select()
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, opened.result.body.recurringPaymentId));
    expect(row).toMatchObject({ recurringStatus: "CREATED", maskedPan: null, panHash: null });
  });

  it("storePayment is disregarded without a customer; body customerNumber counts only for privileged clients", async () => {
    const anonymous = await openTerminal({ storePayment: true });
    expect(anonymous.result.body.recurringPaymentId).toBeUndefined();
    const ignored = await openTerminal({ storePayment: true, customerNumber: "123" });
    expect(ignored.result.body.recurringPaymentId).toBeUndefined();
    const byBody = await openTerminal({ storePayment: true, customerNumber: "7700003" }, privileged);
    const [row] = await server.database.db
      .select()
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, byBody.result.body.recurringPaymentId));
    expect(row.customerNumber).toBe("7700003");
  });

  it("MIT_UCOF charges the transaction's stored card at once: 201 without terminalUri, AUTHORIZED (CAPTURED with autoSale)", async () => {
    const { recurringPaymentId } = await storeCard(MASTERCARD, "12/30", "7700010");
    const payment = await chargeStoredCard("30.00", "7700010", recurringPaymentId);
    expect(payment.status).toBe(201);
    const paymentId = payment.body.paymentId;
    const transactionId = payment.body.transactions[0].transactionId;
    const hook = `${SHOP}hooks/mit`;
    const charged = await privileged.post(tx(paymentId, transactionId, "terminal"), {
      redirectUrl: RETURN,
      transactionType: "MIT_UCOF",
      callbackUrl: hook,
    });
    expect(charged.status).toBe(201);
    expect(charged.body).toEqual({ paymentId, transactionId, recurringPaymentId });
    expect(TerminalResponse.safeParse(charged.body).success).toBe(true);
    const t = await transaction(privileged, paymentId, transactionId);
    expect(t).toMatchObject({
      status: "AUTHORIZED",
      cardNumber: "4444",
      paymentType: "MASTERCARD",
      recurringPaymentId,
    });
    expect(t.rrn).toMatch(/^[0-9]{12}$/);
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    const [callback] = await server.database.db.select().from(callbackOutbox).where(eq(callbackOutbox.url, hook));
    expect(callback.payload).toMatchObject({ paymentId, transactionId, status: "AUTHORIZED" });
    // No terminal page was made.
    expect(
      await server.database.db.select().from(providerSessions).where(eq(providerSessions.transactionId, transactionId)),
    ).toHaveLength(0);
    // Charged once: a second MIT is a state conflict.
    expectProblem(
      await privileged.post(tx(paymentId, transactionId, "terminal"), {
        redirectUrl: RETURN,
        transactionType: "MIT_UCOF",
      }),
      409,
    );

    const auto = await chargeStoredCard("12.00", "7700010", recurringPaymentId);
    const autoBase = tx(auto.body.paymentId, auto.body.transactions[0].transactionId);
    expect(
      (
        await privileged.post(`${autoBase}/terminal`, {
          redirectUrl: RETURN,
          transactionType: "MIT_UCOF",
          autoSale: true,
        })
      ).status,
    ).toBe(201);
    const captured = await privileged.get(autoBase);
    expect(captured.body).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: "12.00" } });
    expect(operationsOf(captured.body)).toEqual(["CREATE", "INITIATE", "AUTHORIZE", "CAPTURE"]);
  });

  it("MIT_UCOF without a stored card on the transaction is a 422 naming transactionType", async () => {
    const { paymentId, transactionId } = await cardPayment(privileged, "10.00", { customerNumber: "7700011" });
    expectProblem(
      await privileged.post(tx(paymentId, transactionId, "terminal"), {
        redirectUrl: RETURN,
        transactionType: "MIT_UCOF",
      }),
      422,
      "transactionType",
    );
    expect(operationsOf(await transaction(privileged, paymentId, transactionId))).toEqual(["CREATE"]);
  });

  it("a declined MIT charge is a 422 with errorReason and leaves the transaction as it was", async () => {
    for (const [last4, reason] of [
      ["0002", "REFUSED_BY_ISSUER"],
      ["9995", "SOFT_DECLINE"],
    ] as const) {
      const [stored] = await server.database.db
        .insert(recurringPayments)
        .values({
          organisationId: privileged.organisationId,
          customerNumber: `77000${last4}`,
          recurringStatus: "ACTIVE",
          paymentType: "VISA",
          maskedPan: `400000******${last4}`,
          panHash: `ph_test_${last4}`,
          expiresAt: new Date(Date.now() + 86_400_000),
        })
        .returning();
      const payment = await chargeStoredCard("20.00", `77000${last4}`, stored.recurringPaymentId);
      const base = tx(payment.body.paymentId, payment.body.transactions[0].transactionId);
      const declined = await privileged.post(`${base}/terminal`, { redirectUrl: RETURN, transactionType: "MIT_UCOF" });
      expectProblem(declined, 422);
      expect(declined.body.errorReason).toBe(reason);
      const t = (await privileged.get(base)).body;
      expect(t.status).toBe("CREATED");
      expect(operationsOf(t)).toEqual(["CREATE"]);
      expect(t.cardNumber).toBeNull();
    }
  });

  it("recurring-terminal: the customer confirms a charge of a stored card found by panHash", async () => {
    const { stored, recurringPaymentId } = await storeCard(MASTERCARD, "12/30", "7700020");
    const { paymentId, transactionId } = await cardPayment(privileged, "45.00", { customerNumber: "7700020" });
    const path = tx(paymentId, transactionId, "recurring-terminal");
    expectProblem(await privileged.post(path, { panHash: stored.panHash, redirectUrl: RETURN }), 400, "recurringType");
    expectProblem(
      await privileged.post(path, { panHash: stored.panHash, redirectUrl: RETURN, recurringType: "X" }),
      400,
      "recurringType",
    );
    expectProblem(
      await privileged.post(path, { panHash: "ph_nobody", redirectUrl: RETURN, recurringType: "R" }),
      422,
      "panHash",
    );
    expectProblem(await privileged.post(path, { redirectUrl: RETURN, recurringType: "R" }), 400, "panHash");
    expectProblem(
      await privileged.post(path, {
        panHash: stored.panHash,
        redirectUrl: "https://evil.example/",
        recurringType: "R",
      }),
      400,
      "redirectUrl",
    );
    // Another customer's card: 422.
    const stranger = await cardPayment(privileged, "5.00", { customerNumber: "7700021" });
    expectProblem(
      await privileged.post(tx(stranger.paymentId, stranger.transactionId, "recurring-terminal"), {
        panHash: stored.panHash,
        redirectUrl: RETURN,
        recurringType: "S",
      }),
      422,
      "panHash",
    );
    expect(operationsOf(await transaction(privileged, paymentId, transactionId))).toEqual(["CREATE"]);

    const created = await privileged.post(path, { panHash: stored.panHash, redirectUrl: RETURN, recurringType: "R" });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["paymentId", "terminalUri", "transactionId"]);
    expect(RecurringTerminalResponse.safeParse(created.body).success).toBe(true);
    let t = await transaction(privileged, paymentId, transactionId);
    expect(t.status).toBe("INITIATED");
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE"]);
    const session = await sessionOf(transactionId);
    expect(session.kind).toBe("RECURRING_TERMINAL");
    expect(session.options).toMatchObject({ recurringPaymentId, recurringType: "R" });

    const shown = await fetchPage(created.body.terminalUri);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("555555******4444");
    expect(shown.html).toContain("Bekreft betaling");
    expect(shown.html).not.toContain('name="cardNumber"');
    // Typing a card is not what this terminal does.
    expect((await submit(created.body.terminalUri, cardForm(APPROVE))).status).toBe(409);

    const confirmed = await submit(created.body.terminalUri, { intent: "confirm" });
    expect(confirmed.status).toBe(302);
    expect(new URL(confirmed.location!).searchParams.get("responseCode")).toBe("OK");
    t = await transaction(privileged, paymentId, transactionId);
    expect(t).toMatchObject({
      status: "AUTHORIZED",
      cardNumber: "4444",
      paymentType: "MASTERCARD",
      recurringPaymentId,
    });
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
  });

  it("recurring-terminal takes the transaction's recurringPaymentId when panHash is left out", async () => {
    const { recurringPaymentId } = await storeCard(APPROVE, "12/30", "7700030");
    const payment = await chargeStoredCard("9.00", "7700030", recurringPaymentId);
    const base = tx(payment.body.paymentId, payment.body.transactions[0].transactionId);
    const created = await privileged.post(`${base}/recurring-terminal`, { redirectUrl: RETURN, recurringType: "S" });
    expect(created.status).toBe(201);
    expect((await submit(created.body.terminalUri, { intent: "confirm" })).status).toBe(302);
    expect((await privileged.get(base)).body).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111" });
  });
});

describe("POST …/internal-terminal", () => {
  it("answers 201 with terminalUrl to the same card page (INTERNAL_TERMINAL), which authorizes", async () => {
    const { paymentId, transactionId } = await cardPayment();
    const path = tx(paymentId, transactionId, "internal-terminal");
    expectProblem(await client.post(path, {}), 400, "redirectUrl");
    expectProblem(await client.post(path, { redirectUrl: "https://evil.example/" }), 400, "redirectUrl");
    const created = await client.post(path, { redirectUrl: RETURN });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["paymentId", "terminalUrl", "transactionId"]);
    expect(InternalTerminalResponse.safeParse(created.body).success).toBe(true);
    expect(created.body.terminalUrl).toMatch(new RegExp(`^${server.url}/sandbox/card/`));
    expect((await sessionOf(transactionId)).kind).toBe("INTERNAL_TERMINAL");
    const shown = await fetchPage(created.body.terminalUrl);
    expect(shown.html).toContain("kundesenter");
    expect((await submit(created.body.terminalUrl, cardForm(APPROVE))).status).toBe(302);
    const t = await transaction(client, paymentId, transactionId);
    expect(t).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111" });
    expect(operationsOf(t)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
  });

  it("is 409 for an authorized transaction and 422 for a non-card one", async () => {
    const cash = await paymentWithTransaction(client, "3.00", "CASH");
    expectProblem(
      await client.post(tx(cash.paymentId, cash.transactionId, "internal-terminal"), { redirectUrl: RETURN }),
      422,
    );
    const { paymentId, transactionId } = await cardPayment();
    expect((await client.post(tx(paymentId, transactionId, "authorize"), { totalAmount: "100.00" })).status).toBe(200);
    expectProblem(await client.post(tx(paymentId, transactionId, "internal-terminal"), { redirectUrl: RETURN }), 409);
  });
});

describe("Idempotency-Key", () => {
  it("replays the same terminal for the same key and body", async () => {
    const { paymentId, transactionId } = await cardPayment();
    const headers = { "Idempotency-Key": "terminal-once-1" };
    const first = await client.post(tx(paymentId, transactionId, "terminal"), { redirectUrl: RETURN }, headers);
    const second = await client.post(tx(paymentId, transactionId, "terminal"), { redirectUrl: RETURN }, headers);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await operationsNamed(server, transactionId, "INITIATE")).toHaveLength(1);
  });
});

describe("terminal hardening", () => {
  it("refuses a callbackUrl outside the client's allowed prefixes (no callbacks to arbitrary hosts)", async () => {
    const payment = await cardPayment();
    const result = await client.post(tx(payment.paymentId, payment.transactionId, "terminal"), {
      redirectUrl: RETURN,
      callbackUrl: "http://169.254.169.254/latest/meta-data",
    });
    expectProblem(result, 400, "callbackUrl");
  });

  it("lets an increment follow a terminal authorization, as after any pre-authorization", async () => {
    const payment = await client.post("/v1/payments", { totalAmount: "300.00" });
    const created = await client.post(`/v1/payments/${payment.body.paymentId}/transactions`, {
      paymentType: "VISA",
      amount: "200.00",
    });
    const base = tx(payment.body.paymentId, created.body.transactionId);
    const opened = await client.post(`${base}/terminal`, { redirectUrl: RETURN });
    expect((await submit(opened.body.terminalUri, cardForm(APPROVE))).status).toBe(302);
    const increment = await client.post(`${base}/authorize`, { totalAmount: "250.00" });
    expect(increment.status, JSON.stringify(increment.body)).toBe(200);
    expect(increment.body.summary.authorizedAmount).toBe("250.00");
  });

  it("keeps hosted-page tokens out of log lines", () => {
    expect(loggablePath("/sandbox/card/abcDEF123_-x")).toBe("/sandbox/card/…");
    expect(loggablePath("/v1/payments/1")).toBe("/v1/payments/1");
  });
});
