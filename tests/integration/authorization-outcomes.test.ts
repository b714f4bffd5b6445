// Authorization outcomes over HTTP and the real database: every way a payment is authorized or
// declined by the (sandbox) provider adds exactly one to the daily_outcomes rollup, a decline
// leaves the transaction as it was (also where the use-case's DB transaction rolled back), and
// the dashboard shows what the rollup holds. Credits, card registrations and adjustments of a
// pre-authorization are not authorization attempts.
import { and, between, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDays, utcDay } from "../../app/domain/day-range";
import { formatCount } from "../../app/components/format";
import { getDashboard } from "../../app/services/queries/dashboard.server";
import { dailyOutcomes, paymentAgreements, paymentTransactions, recurringPayments } from "../../db/schema";
import { capturedCardPayment, expectProblem, paymentWithTransaction } from "../support/api";
import { outcomeTotals, type OutcomeTotals } from "../support/outcomes";
import { useApiClient, useStaffSession, useTestServer } from "../support/fixtures-http";
import { cardForm, landed, submitForm } from "../support/fixtures-pages";
import { readTransaction, stateOf, transactionPath, type TransactionIds } from "../support/fixtures-transactions";
import { staffCaller } from "../support/use-case";
import { getPage } from "../support/staff";

const SHOP = "https://shop.example/";
const RETURN = "https://shop.example/return";
const APPROVE = "4111111111111111";
const REFUSED = "4000000000000002";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 4401, allowedRedirectPrefixes: [SHOP], privileged: true });
const support = useStaffSession(server, "support");

type Counts = OutcomeTotals;

/** The rollup's attempts of one organisation and payment type group, over every day. */
function outcomes(organisationId: number, paymentTypeGroup: string): Promise<Counts> {
  return outcomeTotals(
    server.database.db,
    and(eq(dailyOutcomes.organisationId, organisationId), eq(dailyOutcomes.paymentTypeGroup, paymentTypeGroup)),
  );
}

/** What `act` added to the rollup for the group (the shop's organisation). */
async function added(paymentTypeGroup: string, act: () => Promise<void>): Promise<Counts> {
  const before = await outcomes(shop.organisationId, paymentTypeGroup);
  await act();
  const after = await outcomes(shop.organisationId, paymentTypeGroup);
  return {
    approved: after.approved - before.approved,
    declined: after.declined - before.declined,
    failed: after.failed - before.failed,
  };
}

const transaction = async (p: TransactionIds) => stateOf(await readTransaction(shop, p));

/** A form POST on a hosted page as a browser sends it (same Origin, no redirect following). */
const submit = (url: string, fields: Record<string, string>) => submitForm(url, fields, server.url);

/** A Vipps payment of `total` with an app claim open (coming back to RETURN): its ids and the claim's page. */
async function vippsClaim(total: string) {
  const p = await paymentWithTransaction(shop, total, "VIPPS");
  const claim = await shop.post(transactionPath(p, "app-claim"), { phoneNumber: "12345678", redirectUrl: RETURN });
  expect(claim.status).toBe(201);
  return { p, appClaimUrl: claim.body.appClaimUrl as string };
}

/**
 * `decision` on the provider page at `url` comes back with result=failed, is counted as one
 * decline of `paymentTypeGroup`, and leaves the transaction INITIATED.
 */
async function expectDeclinedOnPage(paymentTypeGroup: string, p: TransactionIds, url: string, decision: string) {
  const delta = await added(paymentTypeGroup, async () => {
    const failed = await submit(url, { decision });
    expect(landed(failed.location).query.result).toBe("failed");
  });
  expect(delta).toEqual({ approved: 0, declined: 1, failed: 0 });
  expect(await transaction(p)).toEqual({ status: "INITIATED", operations: ["CREATE", "INITIATE"] });
}

function walletToken(last4: string) {
  return JSON.stringify({ paymentMethod: { displayName: `Visa ${last4}`, network: "Visa", type: "debit" } });
}

describe("declines", () => {
  it("a declined wallet payment (422, the use-case rolled back) is counted once and leaves the transaction CREATED", async () => {
    const p = await paymentWithTransaction(shop, "30.00", "VISA");
    const delta = await added("PAYMENTCARD", async () => {
      const result = await shop.post(transactionPath(p, "wallet"), {
        walletProvider: "ApplePay",
        paymentData: walletToken("0002"),
      });
      expectProblem(result, 422);
      expect(result.body.errorReason).toBe("REFUSED_BY_ISSUER");
    });
    expect(delta).toEqual({ approved: 0, declined: 1, failed: 0 });
    expect(await transaction(p)).toEqual({ status: "CREATED", operations: ["CREATE"] });
  });

  it("a declined Vipps agreement charge (amount .02, 422) is counted once under MOBILE and changes nothing", async () => {
    await server.database.db.insert(paymentAgreements).values({
      agreementId: "agr_outcomes_active",
      organisationId: shop.organisationId,
      customerNumber: "4401",
      productName: "Pass",
      pricing: {},
      provider: { type: "VIPPS" },
      status: "ACTIVE",
    });
    const payment = await shop.post("/v1/payments", { totalAmount: "10.02" });
    const transactionAdded = await shop.post(`/v1/payments/${payment.body.paymentId}/transactions`, {
      paymentAgreementId: "agr_outcomes_active",
    });
    const p = {
      paymentId: payment.body.paymentId as number,
      transactionId: transactionAdded.body.transactionId as number,
    };
    const delta = await added("MOBILE", async () => {
      const result = await shop.post(transactionPath(p, "app-claim"), {});
      expectProblem(result, 422);
      expect(result.body.errorReason).toBe("REFUSED_BY_ISSUER");
    });
    expect(delta).toEqual({ approved: 0, declined: 1, failed: 0 });
    expect(await transaction(p)).toEqual({ status: "CREATED", operations: ["CREATE"] });
  });

  it("a declined stored card charge (MIT_UCOF, 422) is counted once and leaves the transaction CREATED", async () => {
    const [stored] = await server.database.db
      .insert(recurringPayments)
      .values({
        organisationId: shop.organisationId,
        customerNumber: "4401002",
        recurringStatus: "ACTIVE",
        paymentType: "VISA",
        maskedPan: "400000******0002",
        panHash: "ph_outcomes_0002",
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    const payment = await shop.post("/v1/payments", {
      totalAmount: "20.00",
      customerNumber: "4401002",
      transaction: { recurringPaymentId: stored.recurringPaymentId },
    });
    const p = {
      paymentId: payment.body.paymentId as number,
      transactionId: payment.body.transactions[0].transactionId as number,
    };
    const delta = await added("PAYMENTCARD", async () => {
      const result = await shop.post(transactionPath(p, "terminal"), {
        redirectUrl: RETURN,
        transactionType: "MIT_UCOF",
      });
      expectProblem(result, 422);
    });
    expect(delta).toEqual({ approved: 0, declined: 1, failed: 0 });
    expect(await transaction(p)).toEqual({ status: "CREATED", operations: ["CREATE"] });
  });

  it("the card page counts each refused card (committed with the attempt) and then the approval", async () => {
    const p = await paymentWithTransaction(shop, "55.00", "VISA");
    const opened = await shop.post(transactionPath(p, "terminal"), { redirectUrl: RETURN });
    expect(opened.status).toBe(201);
    const refused = await added("PAYMENTCARD", async () => {
      expect((await submit(opened.body.terminalUri, cardForm(REFUSED))).status).toBe(402);
      expect((await submit(opened.body.terminalUri, cardForm(REFUSED))).status).toBe(402);
    });
    expect(refused).toEqual({ approved: 0, declined: 2, failed: 0 });
    expect(await transaction(p)).toEqual({ status: "INITIATED", operations: ["CREATE", "INITIATE"] });
    const approved = await added("PAYMENTCARD", async () => {
      expect((await submit(opened.body.terminalUri, cardForm(APPROVE))).status).toBe(302);
    });
    expect(approved).toEqual({ approved: 1, declined: 0, failed: 0 });
    expect((await transaction(p)).status).toBe("AUTHORIZED");
  });

  it("a declined Vipps claim on the app page (result=failed) is counted once and leaves the transaction INITIATED", async () => {
    const { p, appClaimUrl } = await vippsClaim("10.05");
    await expectDeclinedOnPage("MOBILE", p, appClaimUrl, "approve");
  });
});

describe("declines on the invoice page", () => {
  it("a Collector invoice declined by the credit check (amount .02, result=failed) is counted once under INVOICE", async () => {
    const p = await paymentWithTransaction(shop, "250.02", "COLLECTOR");
    const created = await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN });
    expect(created.status).toBe(201);
    await expectDeclinedOnPage("INVOICE", p, created.body.terminalUri, "confirm");
  });
});

describe("approvals", () => {
  it("an approved wallet payment and an approved Vipps claim each count one approval", async () => {
    const walletPayment = await paymentWithTransaction(shop, "31.00", "VISA");
    expect(
      await added("PAYMENTCARD", async () => {
        expect(
          (
            await shop.post(transactionPath(walletPayment, "wallet"), {
              walletProvider: "GooglePay",
              paymentData: walletToken("0326"),
            })
          ).status,
        ).toBe(201);
      }),
    ).toEqual({ approved: 1, declined: 0, failed: 0 });

    const { appClaimUrl } = await vippsClaim("12.00");
    expect(
      await added("MOBILE", async () => {
        const approved = await submit(appClaimUrl, { decision: "approve" });
        expect(landed(approved.location).query.result).toBe("approved");
      }),
    ).toEqual({ approved: 1, declined: 0, failed: 0 });
  });

  it("a pre-authorization counts once; its increment and reduction are not new attempts, nor is a rejection by the customer", async () => {
    const p = await paymentWithTransaction(shop, "100.00", "VISA");
    expect(
      await added("PAYMENTCARD", async () => {
        expect((await shop.post(transactionPath(p, "authorize"), { totalAmount: "60.00" })).status).toBe(200);
        expect((await shop.post(transactionPath(p, "authorize"), { totalAmount: "80.00" })).status).toBe(200);
        expect((await shop.post(transactionPath(p, "authorize"), { totalAmount: "70.00" })).status).toBe(200);
      }),
    ).toEqual({ approved: 1, declined: 0, failed: 0 });

    const { appClaimUrl } = await vippsClaim("12.02");
    expect(
      await added("MOBILE", async () => {
        await submit(appClaimUrl, { decision: "reject" });
      }),
    ).toEqual({ approved: 0, declined: 0, failed: 0 });
  });

  it("a credit that the provider declines is not an authorization attempt", async () => {
    const captured = await capturedCardPayment(shop, "40.00");
    // The sandbox refuses refunds to a card ending in 0002 (which it never authorizes itself).
    await server.database.db
      .update(paymentTransactions)
      .set({ cardNumber: "0002" })
      .where(eq(paymentTransactions.transactionId, captured.transactionId));
    const delta = await added("PAYMENTCARD", async () => {
      const result = await shop.post(`${captured.base}/credit`, { amount: "40.00" });
      expectProblem(result, 422);
      expect(result.body.errorReason).toBe("REFUSED_BY_ISSUER");
    });
    expect(delta).toEqual({ approved: 0, declined: 0, failed: 0 });
  });
});

describe("the dashboard", () => {
  it("shows the declined or failed share of the range and each payment type group as the rollup has them", async () => {
    // One more refused card in SEK: the dashboard shows one currency at a time.
    const sek = await paymentWithTransaction(shop, "99.00", "VISA", { currency: "SEK" });
    const opened = await shop.post(transactionPath(sek, "terminal"), { redirectUrl: RETURN });
    expect((await submit(opened.body.terminalUri, cardForm(REFUSED))).status).toBe(402);

    const today = utcDay(new Date());
    const from = addDays(today, -6);
    const rows = await server.database.db
      .select({
        group: dailyOutcomes.paymentTypeGroup,
        approved: sql<number>`sum(${dailyOutcomes.approvedCount})::int`,
        declined: sql<number>`sum(${dailyOutcomes.declinedCount})::int`,
        failed: sql<number>`sum(${dailyOutcomes.failedCount})::int`,
      })
      .from(dailyOutcomes)
      .where(and(eq(dailyOutcomes.currency, "NOK"), between(dailyOutcomes.day, from, today)))
      .groupBy(dailyOutcomes.paymentTypeGroup);
    const total = rows.reduce(
      (sum, row) => ({
        approved: sum.approved + row.approved,
        declined: sum.declined + row.declined,
        failed: sum.failed + row.failed,
      }),
      {
        approved: 0,
        declined: 0,
        failed: 0,
      },
    );
    // What the tests above did in NOK: 7 declines, 5 approvals (card page, wallet, Vipps, pre-auth, the credited card).
    expect(total).toEqual({ approved: 5, declined: 7, failed: 0 });
    const attempts = total.approved + total.declined + total.failed;

    const dashboard = await getDashboard(staffCaller(), { from, to: today, currency: "NOK" });
    expect(dashboard.authorizations).toMatchObject({ ...total, attempts, unapprovedShare: "58.3" });
    expect(
      dashboard.authorizations.groups.map((g) => [g.paymentTypeGroup, g.approved, g.declined, g.failed]).sort(),
    ).toEqual(rows.map((row) => [row.group, row.approved, row.declined, row.failed]).sort());

    const html = await (await getPage(server, "/?range=7d&currency=NOK", support.cookie)).text();
    expect(html).toContain(`Declined or failed: 58.3 %`);
    expect(html).toContain(
      `${formatCount(total.declined)} declined, ${formatCount(total.failed)} failed of ${formatCount(attempts)} attempts`,
    );
    // MOBILE: one approval, two declines.
    expect(html).toMatch(/data-group="MOBILE">.*?>MOBILE<.*?>66.7 %<.*?>3<.*?>1<.*?>2<.*?>0</s);

    const sekHtml = await (await getPage(server, "/?range=7d&currency=SEK", support.cookie)).text();
    expect(sekHtml).toContain("Declined or failed: 100.0 %");
    expect(sekHtml).toContain("1 declined, 0 failed of 1 attempt");

    const empty = await (await getPage(server, "/?from=2001-01-01&to=2001-01-31", support.cookie)).text();
    expect(empty).toContain("Nothing was captured, credited or authorized in this range.");
  });
});
