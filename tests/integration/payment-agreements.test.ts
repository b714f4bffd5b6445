// Payment agreements over HTTP: register (Vipps drafts it and answers a confirmation
// URL), query by customer with repeatable status, get (the URL only while CREATED/PENDING), stop
// (idempotent); the sandbox Vipps confirmation page driven like a browser; and agreements made
// (createAgreement) and charged (paymentAgreementId) by transactions.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PaymentAgreement } from "../../app/http/api/schemas-recurring";
import { paymentAgreements } from "../../db/schema";
import { expectProblem, type ApiResult, type TestClient } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { fetchPage, submitForm } from "../support/fixtures-pages";

const SHOP = "https://shop.example/";
const RETURN = "https://shop.example/agreements/done";

const server = useTestServer();
const partner = useApiClient(server, { organisationId: 2201, privileged: true, allowedRedirectPrefixes: [SHOP] }); // privileged: names customers
const shop = useApiClient(server, { organisationId: 2201, allowedRedirectPrefixes: [SHOP] }); // the same organisation, not privileged
const stranger = useApiClient(server, { organisationId: 2202, privileged: true, allowedRedirectPrefixes: [SHOP] }); // another organisation

let counter = 0;
const newCustomer = () => `22${String(++counter).padStart(5, "0")}${Date.now() % 1000}`;

const LEGACY = { type: "LEGACY", amount: "99" };

async function register(customerNumber: string, body: Record<string, unknown> = {}, who: TestClient = partner) {
  const result = await who.post("/v1/payment-agreements", {
    customerNumber,
    productName: "Månedskort Oslo",
    pricing: LEGACY,
    provider: { type: "VIPPS", phoneNumber: "12345678", redirectUrl: RETURN },
    ...body,
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

async function list(customerNumber: string, extra = "", who: TestClient = partner) {
  const result = await who.get(`/v1/payment-agreements?customerNumber=${customerNumber}${extra}`);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body as { agreementId: string; status: string; provider: { confirmationUrl?: string } }[];
}

const decide = (url: string, decision: string, origin = server.url) => submitForm(url, { decision }, origin);

function expectShape(result: ApiResult | unknown) {
  const body = result && typeof result === "object" && "body" in result ? (result as ApiResult).body : result;
  const parsed = PaymentAgreement.safeParse(body);
  if (!parsed.success) throw new Error(`${JSON.stringify(parsed.error.issues)}\n${JSON.stringify(body)}`);
}

const agreementPath = (id: string, action = "") => `/v1/payment-agreements/${id}${action ? `/${action}` : ""}`;

// ---------------------------------------------------------------------------------------------

describe("POST /v1/payment-agreements", () => {
  it("Vipps drafts the agreement: 201, PENDING, with a confirmation URL to the sandbox page", async () => {
    const customer = newCustomer();
    const result = await partner.post("/v1/payment-agreements", {
      customerNumber: customer,
      productName: "Månedskort Oslo",
      pricing: LEGACY,
      provider: { type: "VIPPS", phoneNumber: "+4712345678", redirectUrl: RETURN },
    });
    expect(result.status).toBe(201);
    expectShape(result);
    expect(result.headers.get("location")).toBe(`/v1/payment-agreements/${result.body.agreementId}`);
    expect(result.body).toMatchObject({
      agreementId: expect.stringMatching(/^agr_[A-Za-z0-9_-]+$/),
      customerNumber: customer,
      organisationId: 2201,
      productName: "Månedskort Oslo",
      status: "PENDING",
      pricing: { type: "LEGACY", amount: "99.00", currency: "NOK" },
      provider: {
        type: "VIPPS",
        phoneNumber: "4712345678",
        confirmationUrl: expect.stringMatching(new RegExp(`^${server.url}/sandbox/vipps/[A-Za-z0-9_-]{32}$`)),
      },
      stoppedAt: null,
    });
    const shown = await partner.get(agreementPath(result.body.agreementId));
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(result.body);

    const variable = await register(customer, {
      pricing: { type: "VARIABLE", suggestedMaxAmount: "1500.5", currency: "SEK" },
      provider: { type: "VIPPS" },
    });
    expectShape(variable);
    expect(variable.pricing).toEqual({ type: "VARIABLE", suggestedMaxAmount: "1500.50", currency: "SEK" });
    expect(Object.keys(variable.provider).sort()).toEqual(["confirmationUrl", "type"]);
  });

  it("answers 400 naming each malformed field, 403 for customerNumber from a non-privileged client, and creates nothing", async () => {
    const customer = newCustomer();
    const valid = { customerNumber: customer, productName: "Pass", pricing: LEGACY, provider: { type: "VIPPS" } };
    const cases: [Record<string, unknown>, string][] = [
      [{ productName: undefined }, "productName"],
      [{ productName: "" }, "productName"],
      [{ productName: "x".repeat(101) }, "productName"],
      [{ pricing: undefined }, "pricing"],
      [{ pricing: "99" }, "pricing"],
      [{ pricing: { type: "FLAT", amount: "99" } }, "pricing.type"],
      [{ pricing: { type: "LEGACY" } }, "pricing.amount"],
      [{ pricing: { type: "LEGACY", amount: 99 } }, "pricing.amount"],
      [{ pricing: { type: "LEGACY", amount: "0.00" } }, "pricing.amount"],
      [{ pricing: { type: "LEGACY", amount: "99", currency: "nok" } }, "pricing.currency"],
      [{ pricing: { type: "VARIABLE", amount: "99" } }, "pricing.suggestedMaxAmount"],
      [{ provider: undefined }, "provider"],
      [{ provider: { type: "NETS" } }, "provider.type"],
      [{ provider: { type: "VIPPS", phoneNumber: "+4912345678" } }, "provider.phoneNumber"],
      [{ provider: { type: "VIPPS", redirectUrl: "javascript:alert(1)" } }, "provider.redirectUrl"],
      [{ provider: { type: "VIPPS", redirectUrl: "https://evil.example/" } }, "provider.redirectUrl"],
      [{ customerNumber: "12-34" }, "customerNumber"],
      [{ customerNumber: undefined }, "customerNumber"],
    ];
    for (const [change, field] of cases) {
      const body = JSON.parse(JSON.stringify({ ...valid, ...change }));
      expectProblem(await partner.post("/v1/payment-agreements", body), 400, field);
    }
    expectProblem(await shop.post("/v1/payment-agreements", valid), 403, "customerNumber");
    expectProblem(await partner.post("/v1/payment-agreements"), 400, "body");
    expect(await list(customer)).toEqual([]);
  });
});

describe("the Vipps confirmation page", () => {
  it("confirming makes the agreement ACTIVE and sends the customer back; the URL is then gone", async () => {
    const created = await register(newCustomer());
    const url = created.provider.confirmationUrl as string;
    const shown = await fetchPage(url);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("Organisation 2201 asks +4712345678 to confirm an agreement");
    expect(shown.html).toContain("Agreement: Månedskort Oslo");
    expect(shown.html).toContain("Price per charge.");
    expect(shown.html).toContain("Confirm agreement");

    // A cross-site form post is refused before it reaches the page and changes nothing.
    expect((await decide(url, "approve", "https://evil.example")).status).toBe(403);
    expect((await decide(url, "maybe")).status).toBe(400);
    expect((await partner.get(agreementPath(created.agreementId))).body.status).toBe("PENDING");

    const confirmed = await decide(url, "approve");
    expect(confirmed.status).toBe(302);
    const back = new URL(confirmed.location!);
    expect(`${back.origin}${back.pathname}`).toBe(RETURN);
    expect(back.searchParams.get("agreementId")).toBe(created.agreementId);
    expect(back.searchParams.get("result")).toBe("approved");

    const after = await partner.get(agreementPath(created.agreementId));
    expectShape(after);
    expect(after.body.status).toBe("ACTIVE");
    expect(after.body.provider).toEqual({ type: "VIPPS", phoneNumber: "4712345678" });
    const again = await fetchPage(url);
    expect(again.html).toContain("This agreement has already been confirmed.");
    expect(again.html).not.toContain("Confirm agreement</");
    const late = await decide(url, "reject");
    expect(late.status).toBe(409);
    expect((await partner.get(agreementPath(created.agreementId))).body.status).toBe("ACTIVE");
  });

  it("rejecting stops the agreement; without a redirectUrl the page tells the result", async () => {
    const created = await register(newCustomer(), {
      provider: { type: "VIPPS" },
      pricing: { type: "VARIABLE", suggestedMaxAmount: "500" },
    });
    const url = created.provider.confirmationUrl as string;
    const shown = await fetchPage(url);
    expect(shown.html).toContain("asks you to confirm an agreement");
    expect(shown.html).toContain("The most a single charge may be.");
    const rejected = await decide(url, "reject");
    expect(rejected.status).toBe(200);
    expect(rejected.html).toContain("You rejected the agreement");
    const after = await partner.get(agreementPath(created.agreementId));
    expect(after.body).toMatchObject({ status: "STOPPED", stoppedAt: expect.any(String) });
    expect(after.body.provider.confirmationUrl).toBeUndefined();
  });

  it("an unknown token is a 404 page", async () => {
    expect((await fetchPage(`${server.url}/sandbox/vipps/${"x".repeat(32)}`)).status).toBe(404);
    expect((await decide(`${server.url}/sandbox/vipps/${"x".repeat(32)}`, "approve")).status).toBe(404);
  });
});

describe("GET /v1/payment-agreements", () => {
  it("lists the customer's agreements newest first, filtered by a repeatable status", async () => {
    const customer = newCustomer();
    const a = await register(customer);
    const b = await register(customer);
    const c = await register(customer);
    await decide(b.provider.confirmationUrl, "approve");
    await partner.put(agreementPath(c.agreementId, "stop"));

    const all = await list(customer);
    expect(all.map((x) => [x.agreementId, x.status])).toEqual([
      [c.agreementId, "STOPPED"],
      [b.agreementId, "ACTIVE"],
      [a.agreementId, "PENDING"],
    ]);
    all.forEach(expectShape);
    // The URL only where the customer can still confirm.
    expect(all.map((x) => Boolean(x.provider.confirmationUrl))).toEqual([false, false, true]);
    expect((await list(customer, "&status=ACTIVE")).map((x) => x.agreementId)).toEqual([b.agreementId]);
    expect((await list(customer, "&status=ACTIVE&status=PENDING")).map((x) => x.agreementId)).toEqual([
      b.agreementId,
      a.agreementId,
    ]);
    expect(await list(customer, "&status=EXPIRED")).toEqual([]);
    // A non-privileged client of the organisation sees them too; another organisation does not.
    expect((await list(customer, "", shop)).length).toBe(3);
    expect(await list(customer, "", stranger)).toEqual([]);
  });

  it("requires customerNumber and refuses unknown parameters and statuses, naming them", async () => {
    expectProblem(await partner.get("/v1/payment-agreements"), 400, "customerNumber");
    expectProblem(await partner.get("/v1/payment-agreements?status=ACTIVE"), 400, "customerNumber");
    expectProblem(await partner.get("/v1/payment-agreements?customerNumber=1&status=DONE"), 400, "status");
    expectProblem(await partner.get("/v1/payment-agreements?customerNumber=1&productName=x"), 400, "productName");
  });
});

describe("GET and stop by agreementId", () => {
  it("answers 404 for another organisation's, unknown and malformed ids", async () => {
    const created = await register(newCustomer());
    expectProblem(await stranger.get(agreementPath(created.agreementId)), 404);
    expectProblem(await stranger.put(agreementPath(created.agreementId, "stop")), 404);
    expectProblem(await partner.get(agreementPath("agr_nothing_here")), 404);
    expectProblem(await partner.get(agreementPath("%00")), 404);
    expectProblem(await partner.get(agreementPath("a%20b")), 404);
    expect((await partner.get(agreementPath(created.agreementId))).body.status).toBe("PENDING");
  });

  it("stop is idempotent: STOPPED once, the same answer after; the page no longer confirms", async () => {
    const created = await register(newCustomer());
    const stopped = await shop.put(agreementPath(created.agreementId, "stop"));
    expect(stopped.status).toBe(200);
    expectShape(stopped);
    expect(stopped.body).toMatchObject({ status: "STOPPED", stoppedAt: expect.any(String) });
    expect(stopped.body.provider.confirmationUrl).toBeUndefined();
    const again = await shop.put(agreementPath(created.agreementId, "stop"));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(stopped.body);
    const late = await decide(created.provider.confirmationUrl, "approve");
    expect(late.status).toBe(409);
    expect(late.html).toContain("stopped");
    expect((await partner.get(agreementPath(created.agreementId))).body.status).toBe("STOPPED");
  });

  it("parallel stops all answer 200 with the same stoppedAt", async () => {
    const created = await register(newCustomer());
    await decide(created.provider.confirmationUrl, "approve");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => partner.put(agreementPath(created.agreementId, "stop"))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.stoppedAt)).size).toBe(1);
  });

  it("an EXPIRED agreement cannot be stopped (409)", async () => {
    const created = await register(newCustomer());
    await server.database.db
      .update(paymentAgreements)
      .set({ status: "EXPIRED" })
      .where(eq(paymentAgreements.agreementId, created.agreementId));
    expectProblem(await partner.put(agreementPath(created.agreementId, "stop")), 409);
    const after = await partner.get(agreementPath(created.agreementId));
    expect(after.body).toMatchObject({ status: "EXPIRED", stoppedAt: null });
    expect(after.body.provider.confirmationUrl).toBeUndefined();
  });
});

describe("agreements and transactions", () => {
  async function activeAgreement(customer: string, pricing: Record<string, unknown> = LEGACY) {
    const created = await register(customer, { pricing });
    expect((await decide(created.provider.confirmationUrl, "approve")).status).toBe(302);
    return created.agreementId as string;
  }

  async function charge(
    agreementId: string,
    customerNumber: string | undefined,
    totalAmount = "99.00",
    who: TestClient = partner,
    extra = {},
  ) {
    const payment = await who.post("/v1/payments", {
      totalAmount,
      ...(customerNumber ? { customerNumber } : {}),
      ...extra,
    });
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
    const added = await who.post(`/v1/payments/${payment.body.paymentId}/transactions`, {
      paymentAgreementId: agreementId,
    });
    return { paymentId: payment.body.paymentId as number, added };
  }

  it("a transaction charges an ACTIVE agreement at once (app-claim 204)", async () => {
    const customer = newCustomer();
    const agreementId = await activeAgreement(customer);
    const { paymentId, added } = await charge(agreementId, customer);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ paymentAgreementId: agreementId, paymentType: "VIPPS" });
    const claimed = await partner.post(
      `/v1/payments/${paymentId}/transactions/${added.body.transactionId}/app-claim`,
      {},
    );
    expect(claimed.status).toBe(204);
    expect((await partner.get(`/v1/payments/${paymentId}/transactions/${added.body.transactionId}`)).body.status).toBe(
      "AUTHORIZED",
    );
    // A payment without a customer may charge it too (paymentAgreementId needs only ACTIVE).
    expect((await charge(agreementId, undefined, "50.00", shop)).added.status).toBe(201);
  });

  it("refuses a PENDING, stopped, another customer's or another organisation's agreement, and a charge above its price", async () => {
    const customer = newCustomer();
    const pending = await register(customer);
    expectProblem((await charge(pending.agreementId, customer)).added, 422, "paymentAgreementId");

    const active = await activeAgreement(customer);
    expectProblem((await charge(active, newCustomer())).added, 422, "paymentAgreementId");
    expectProblem((await charge(active, customer, "99.00", stranger)).added, 422, "paymentAgreementId");
    expectProblem((await charge(active, customer, "99.01")).added, 422, "amount");
    expectProblem((await charge(active, customer, "99.00", partner, { currency: "SEK" })).added, 422, "currency");
    expect((await charge(active, customer, "99.00")).added.status).toBe(201);

    await partner.put(agreementPath(active, "stop"));
    expectProblem((await charge(active, customer)).added, 422, "paymentAgreementId");
  });

  it("createAgreement: CREATED without a URL, PENDING with the app claim's page as its URL, ACTIVE once confirmed; then it can be charged and stopped", async () => {
    const customer = newCustomer();
    const created = await partner.post("/v1/payments", {
      totalAmount: "249.00",
      orderId: `ORDER-${customer}`,
      customerNumber: customer,
      transaction: { paymentType: "VIPPS", createAgreement: true },
    });
    expect(created.status).toBe(201);
    const t = created.body.transactions[0];
    const [drafted] = await list(customer);
    expectShape(drafted);
    expect(drafted).toMatchObject({
      agreementId: t.paymentAgreementId,
      status: "CREATED",
      productName: `Order ORDER-${customer}`,
      pricing: { type: "VARIABLE", suggestedMaxAmount: "249.00", currency: "NOK" },
      provider: { type: "VIPPS" },
    });
    expect(drafted.provider.confirmationUrl).toBeUndefined();

    const base = `/v1/payments/${created.body.paymentId}/transactions/${t.transactionId}`;
    const claim = await partner.post(`${base}/app-claim`, { phoneNumber: "12345678" });
    expect(claim.status).toBe(201);
    const pending = await partner.get(agreementPath(t.paymentAgreementId));
    expect(pending.body.status).toBe("PENDING");
    expect(pending.body.provider.confirmationUrl).toBe(claim.body.appClaimUrl);

    // Rejected on the page: the agreement waits for a new claim, and the dead page is no longer its URL.
    expect((await decide(claim.body.appClaimUrl, "reject")).status).toBe(200);
    const waiting = await partner.get(agreementPath(t.paymentAgreementId));
    expect(waiting.body.status).toBe("PENDING");
    expect(waiting.body.provider.confirmationUrl).toBeUndefined();

    const retry = await partner.post(`${base}/app-claim`, { phoneNumber: "12345678" });
    expect((await partner.get(agreementPath(t.paymentAgreementId))).body.provider.confirmationUrl).toBe(
      retry.body.appClaimUrl,
    );
    expect((await decide(retry.body.appClaimUrl, "approve")).status).toBe(200);
    const active = await partner.get(agreementPath(t.paymentAgreementId));
    expect(active.body.status).toBe("ACTIVE");
    expect(active.body.provider.confirmationUrl).toBeUndefined();
    expect((await partner.get(base)).body.status).toBe("AUTHORIZED");

    // Charged later within its price, refused above it; stopped, no more.
    expect((await charge(t.paymentAgreementId, customer, "249.00")).added.status).toBe(201);
    expectProblem((await charge(t.paymentAgreementId, customer, "250.00")).added, 422, "amount");
    expect((await partner.put(agreementPath(t.paymentAgreementId, "stop"))).body.status).toBe("STOPPED");
    expectProblem((await charge(t.paymentAgreementId, customer, "10.00")).added, 422, "paymentAgreementId");
  });
});
