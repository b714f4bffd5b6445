// Vipps app claims over HTTP (POST …/app-claim), driving the sandbox Vipps page like a
// customer's browser: GET the page, POST its form with our Origin, follow the 302 by hand.
import { formatMoney } from "../../app/components/format";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AppClaimResponse } from "../../app/http/api/schemas-mobile";
import { paymentAgreements, providerSessions } from "../../db/schema";
import { expectProblem, paymentWithTransaction } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { expectPageShows, expectSentBack, fetchPage, landed, submitForm } from "../support/fixtures-pages";
import {
  operationLogOf,
  operationsOf,
  readTransaction,
  stateOf,
  transactionPath,
} from "../support/fixtures-transactions";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 711, allowedRedirectPrefixes: ["https://shop.example/"] });
const partner = useApiClient(server, {
  organisationId: 712,
  privileged: true,
  allowedRedirectPrefixes: ["https://partner.example/app"],
});
const stranger = useApiClient(server, { organisationId: 713, allowedRedirectPrefixes: ["https://shop.example/"] });

const RETURN = "https://shop.example/return";

const decide = (url: string, decision: string) => submitForm(url, { decision }, server.url);

async function vippsTransaction(client = shop, amount = "100.00", extra: Record<string, unknown> = {}) {
  return paymentWithTransaction(client, amount, "VIPPS", extra);
}

describe("phoneNumber", () => {
  it.each([
    ["12345678", "4712345678"],
    ["4712345678", "4712345678"],
    ["+4712345678", "4712345678"],
    ["4512345678", "4512345678"],
    ["+358401234567", "358401234567"],
    ["46701234567", "46701234567"],
  ])("accepts %s as +%s", async (input, msisdn) => {
    const p = await vippsTransaction();
    const result = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: input, redirectUrl: RETURN });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    await expectPageShows(result.body.appClaimUrl, [`Phone: +${msisdn}`]);
  });

  it.each(["1234567", "+4912345678", "abc", "12345678901234567", "123456789", "+47 12345678", ""])(
    "refuses %j with a 400 naming phoneNumber and changes nothing",
    async (input) => {
      const p = await vippsTransaction();
      expectProblem(
        await shop.post(transactionPath(p, "app-claim"), { phoneNumber: input, redirectUrl: RETURN }),
        400,
        "phoneNumber",
      );
      const after = await readTransaction(shop, p);
      expect(after.status).toBe("CREATED");
      expect(operationsOf(after)).toEqual(["CREATE"]);
    },
  );

  it("is required for a claim the customer must approve", async () => {
    const p = await vippsTransaction();
    expectProblem(await shop.post(transactionPath(p, "app-claim"), { redirectUrl: RETURN }), 400, "phoneNumber");
    expectProblem(await shop.post(transactionPath(p, "app-claim"), { phoneNumber: 12345678 }), 400, "phoneNumber");
  });
});

describe("redirectUrl", () => {
  it("must match the pattern and one of the client's allowed prefixes", async () => {
    const p = await vippsTransaction();
    for (const redirectUrl of [
      "ftp://shop.example/x",
      "shop.example/x",
      "https://evil.example/return",
      "https://shop.example.evil.test/",
    ]) {
      expectProblem(
        await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678", redirectUrl }),
        400,
        "redirectUrl",
      );
    }
    expect((await readTransaction(shop, p)).status).toBe("CREATED");
  });

  it("a prefix without a trailing slash only matches up to a path boundary", async () => {
    const p = await vippsTransaction(partner, "10.00", { customerNumber: "5001" });
    expectProblem(
      await partner.post(transactionPath(p, "app-claim"), {
        phoneNumber: "12345678",
        redirectUrl: "https://partner.example/apple",
      }),
      400,
      "redirectUrl",
    );
    const ok = await partner.post(transactionPath(p, "app-claim"), {
      phoneNumber: "12345678",
      redirectUrl: "https://partner.example/app?x=1",
    });
    expect(ok.status).toBe(201);
  });
});

describe("a standard Vipps payment", () => {
  it("answers 201 with the appClaimUrl and INITIATEs the transaction", async () => {
    const p = await vippsTransaction(shop, "149.50");
    const result = await shop.post(transactionPath(p, "app-claim"), {
      phoneNumber: "12345678",
      description: "Monthly pass",
      redirectUrl: RETURN,
    });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      paymentId: p.paymentId,
      transactionId: p.transactionId,
      appClaimUrl: expect.any(String),
    });
    // The documented response schema (OpenAPI) matches the real answer exactly.
    expect(AppClaimResponse.safeParse(result.body).success).toBe(true);
    expect(result.body.appClaimUrl).toMatch(new RegExp(`^${server.url}/sandbox/vipps/[A-Za-z0-9_-]{20,}$`));
    const after = await readTransaction(shop, p);
    expect(after.status).toBe("INITIATED");
    expect(after.operationLog.map((o: { operation: string; amount: string }) => [o.operation, o.amount])).toEqual([
      ["CREATE", "149.50"],
      ["INITIATE", "149.50"],
    ]);

    await expectPageShows(result.body.appClaimUrl, [
      formatMoney("149.50", "NOK"),
      `Organisation ${shop.organisationId} asks`,
      "+4712345678",
      "Monthly pass",
      'value="approve"',
      'value="reject"',
    ]);
  });

  it("approve: AUTHORIZED for the amount, then back to redirectUrl with result=approved", async () => {
    const p = await vippsTransaction(shop, "80.00");
    const claim = await shop.post(transactionPath(p, "app-claim"), {
      phoneNumber: "+4712345678",
      redirectUrl: `${RETURN}?order=42`,
    });
    const approved = await decide(claim.body.appClaimUrl, "approve");
    expectSentBack(approved, RETURN, p, "approved", { order: "42" });
    const after = await readTransaction(shop, p);
    expect(after.status).toBe("AUTHORIZED");
    expect(after.summary.authorizedAmount).toBe("80.00");
    expect(operationsOf(after)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    const authorize = after.operationLog[2];
    expect(authorize.actor).toBe("sandbox-vipps");

    // The page is done: a second approval changes nothing.
    const again = await decide(claim.body.appClaimUrl, "approve");
    expect(again.status).toBe(409);
    expect(again.html).toContain("already been approved");
    expect(operationsOf(await readTransaction(shop, p))).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    expect((await fetchPage(claim.body.appClaimUrl)).html).not.toContain('value="approve"');

    // An authorized Vipps payment is captured like any other.
    const captured = await shop.put(transactionPath(p, "capture"));
    expect(captured.status).toBe(200);
    expect(captured.body.transactions[0].status).toBe("CAPTURED");
    // And a claim on it now is a state conflict.
    expectProblem(await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" }), 409);
  });

  it.each([
    [
      "reject: nothing is logged, the transaction stays INITIATED, back with result=rejected",
      "100.00",
      "reject",
      "rejected",
    ],
    [
      "a declined approval (amount ending in .02) changes nothing and comes back with result=failed",
      "10.02",
      "approve",
      "failed",
    ],
  ])("%s", async (_, amount, decision, result) => {
    const p = await vippsTransaction(shop, amount);
    const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678", redirectUrl: RETURN });
    const back = await decide(claim.body.appClaimUrl, decision);
    expect(back.status).toBe(302);
    expect(landed(back.location).query.result).toBe(result);
    const after = await readTransaction(shop, p);
    expect(stateOf(after)).toEqual({ status: "INITIATED", operations: ["CREATE", "INITIATE"] });
    expect(after.summary.authorizedAmount).toBe("0.00");
  });

  it("without redirectUrl the page tells the result itself", async () => {
    const p = await vippsTransaction();
    const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" });
    const approved = await decide(claim.body.appClaimUrl, "approve");
    expect(approved.status).toBe(200);
    expect(approved.html).toContain("Payment approved");
    expect((await readTransaction(shop, p)).status).toBe("AUTHORIZED");
  });

  it("an expired page says so and changes nothing", async () => {
    const p = await vippsTransaction();
    const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678", redirectUrl: RETURN });
    const token = claim.body.appClaimUrl.split("/").pop();
    await server.database.db
      .update(providerSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(providerSessions.token, token));
    const shown = await fetchPage(claim.body.appClaimUrl);
    expect(shown.status).toBe(410);
    expect(shown.html).toContain("expired");
    expect(shown.html).not.toContain('value="approve"');
    const late = await decide(claim.body.appClaimUrl, "approve");
    expect(late.status).toBe(410);
    expect(late.location).toBeNull();
    const after = await readTransaction(shop, p);
    expect(after.status).toBe("INITIATED");
    expect(operationsOf(after)).toEqual(["CREATE", "INITIATE"]);
  });

  it("sessions last 15 minutes", async () => {
    const p = await vippsTransaction();
    const before = Date.now();
    const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" });
    const [session] = await server.database.db
      .select()
      .from(providerSessions)
      .where(eq(providerSessions.token, claim.body.appClaimUrl.split("/").pop()));
    const minutes = (session.expiresAt.getTime() - before) / 60_000;
    expect(minutes).toBeGreaterThan(14.9);
    expect(minutes).toBeLessThan(15.1);
  });

  it("a new claim replaces the open one; the old page can no longer approve", async () => {
    const p = await vippsTransaction();
    const first = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678", redirectUrl: RETURN });
    const second = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "4512345678", redirectUrl: RETURN });
    expect(second.status).toBe(201);
    expect(second.body.appClaimUrl).not.toBe(first.body.appClaimUrl);
    const old = await decide(first.body.appClaimUrl, "approve");
    expect(old.status).toBe(409);
    expect(old.html).toContain("replaced");
    expect((await readTransaction(shop, p)).status).toBe("INITIATED");
    expect((await decide(second.body.appClaimUrl, "approve")).status).toBe(302);
    expect((await readTransaction(shop, p)).status).toBe("AUTHORIZED");
  });

  it("a cancelled transaction cannot be approved on its page", async () => {
    const p = await vippsTransaction();
    const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678", redirectUrl: RETURN });
    expect((await shop.put(transactionPath(p, "cancel"))).status).toBe(200);
    const late = await decide(claim.body.appClaimUrl, "approve");
    expect(late.status).toBe(409);
    expect(late.location).toBeNull();
    expect((await readTransaction(shop, p)).status).toBe("CANCELLED");
  });

  it("refuses other transaction types, other tenants, unknown pages and cross-site posts", async () => {
    const card = await paymentWithTransaction(shop, "10.00", "VISA");
    expectProblem(await shop.post(transactionPath(card, "app-claim"), { phoneNumber: "12345678" }), 409);
    const p = await vippsTransaction();
    expectProblem(await stranger.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" }), 404);
    expect((await fetchPage(`${server.url}/sandbox/vipps/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);

    const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" });
    const crossSite = await fetch(claim.body.appClaimUrl, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "decision=approve",
    });
    expect(crossSite.status).toBe(403);
    expect((await readTransaction(shop, p)).status).toBe("INITIATED");
    // A form value that is neither approve nor reject is refused.
    expect((await decide(claim.body.appClaimUrl, "maybe")).status).toBe(400);
    expect((await readTransaction(shop, p)).status).toBe("INITIATED");
  });
});

describe("a new agreement (createAgreement)", () => {
  it("answers 201 with the confirmation page; confirming activates the agreement and authorizes the initial charge", async () => {
    const created = await partner.post("/v1/payments", {
      totalAmount: "299.00",
      customerNumber: "5002",
      transaction: { paymentType: "VIPPS", createAgreement: true },
    });
    expect(created.status).toBe(201);
    const p = { paymentId: created.body.paymentId, transactionId: created.body.transactions[0].transactionId };
    const agreementId = created.body.transactions[0].paymentAgreementId;
    const claim = await partner.post(transactionPath(p, "app-claim"), {
      phoneNumber: "12345678",
      redirectUrl: "https://partner.example/app/done",
    });
    expect(claim.status).toBe(201);
    expect(claim.body.appClaimUrl).toMatch(new RegExp(`^${server.url}/sandbox/vipps/`));
    const [pending] = await server.database.db
      .select()
      .from(paymentAgreements)
      .where(eq(paymentAgreements.agreementId, agreementId));
    expect(pending.status).toBe("PENDING");
    expect((await readTransaction(partner, p)).status).toBe("INITIATED");

    const shown = await fetchPage(claim.body.appClaimUrl);
    expect(shown.html).toContain("Confirm agreement");
    expect(shown.html).toContain(formatMoney("299.00", "NOK"));

    const confirmed = await decide(claim.body.appClaimUrl, "approve");
    expect(confirmed.status).toBe(302);
    expect(new URL(confirmed.location!).searchParams.get("result")).toBe("approved");
    const [active] = await server.database.db
      .select()
      .from(paymentAgreements)
      .where(eq(paymentAgreements.agreementId, agreementId));
    expect(active.status).toBe("ACTIVE");
    const after = await readTransaction(partner, p);
    expect(after.status).toBe("AUTHORIZED");
    expect(after.summary.authorizedAmount).toBe("299.00");
    expect(operationsOf(after)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
  });

  it("rejecting leaves the agreement unconfirmed and the transaction INITIATED", async () => {
    const created = await partner.post("/v1/payments", {
      totalAmount: "50.00",
      customerNumber: "5003",
      transaction: { paymentType: "VIPPS", createAgreement: true },
    });
    const p = { paymentId: created.body.paymentId, transactionId: created.body.transactions[0].transactionId };
    const claim = await partner.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" });
    const rejected = await decide(claim.body.appClaimUrl, "reject");
    expect(rejected.status).toBe(200);
    const [agreement] = await server.database.db
      .select()
      .from(paymentAgreements)
      .where(eq(paymentAgreements.agreementId, created.body.transactions[0].paymentAgreementId));
    expect(agreement.status).toBe("PENDING");
    expect(operationsOf(await readTransaction(partner, p))).toEqual(["CREATE", "INITIATE"]);
  });
});

describe("an existing ACTIVE agreement (paymentAgreementId)", () => {
  beforeAll(async () => {
    await server.database.db.insert(paymentAgreements).values(
      ["agr_vipps_active", "agr_vipps_later_stopped"].map((agreementId) => ({
        agreementId,
        organisationId: 711,
        customerNumber: "77",
        productName: "Pass",
        pricing: {},
        provider: { type: "VIPPS" },
        status: "ACTIVE" as const,
      })),
    );
  });

  async function agreementTransaction(amount: string, agreementId = "agr_vipps_active") {
    const payment = await shop.post("/v1/payments", { totalAmount: amount });
    const added = await shop.post(`/v1/payments/${payment.body.paymentId}/transactions`, {
      paymentAgreementId: agreementId,
    });
    expect(added.status).toBe(201);
    return { paymentId: payment.body.paymentId as number, transactionId: added.body.transactionId as number };
  }

  it("charges at once and answers 204 No Content", async () => {
    const p = await agreementTransaction("45.00");
    const result = await shop.post(transactionPath(p, "app-claim"), {});
    expect(result.status).toBe(204);
    expect(result.body).toBeNull();
    const after = await readTransaction(shop, p);
    expect(after.status).toBe("AUTHORIZED");
    expect(after.paymentAgreementId).toBe("agr_vipps_active");
    expect(after.summary.authorizedAmount).toBe("45.00");
    expect(operationsOf(after)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    // No page was made for it.
    const sessions = await server.database.db
      .select()
      .from(providerSessions)
      .where(eq(providerSessions.transactionId, p.transactionId));
    expect(sessions).toEqual([]);
    // A second claim is a state conflict, not a second charge.
    expectProblem(await shop.post(transactionPath(p, "app-claim"), {}), 409);
  });

  it.each([
    ["10.02", "REFUSED_BY_ISSUER"],
    ["10.05", "SOFT_DECLINE"],
  ])(
    "a declined charge (%s) is a 422 with errorReason %s that changes nothing and is not logged",
    async (amount, reason) => {
      const p = await agreementTransaction(amount);
      const result = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678" });
      expectProblem(result, 422);
      expect(result.body.errorReason).toBe(reason);
      const after = await readTransaction(shop, p);
      expect(after.status).toBe("CREATED");
      expect(operationsOf(after)).toEqual(["CREATE"]);
      const logged = await operationLogOf(server, p.transactionId);
      expect(logged).toHaveLength(1);
    },
  );

  it("an agreement stopped after the transaction was made is a 422 naming paymentAgreementId", async () => {
    const p = await agreementTransaction("12.00", "agr_vipps_later_stopped");
    await server.database.db
      .update(paymentAgreements)
      .set({ status: "STOPPED" })
      .where(eq(paymentAgreements.agreementId, "agr_vipps_later_stopped"));
    expectProblem(await shop.post(transactionPath(p, "app-claim"), {}), 422, "paymentAgreementId");
    expect((await readTransaction(shop, p)).status).toBe("CREATED");
  });
});
