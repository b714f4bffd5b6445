// Claim → ask → settle for the operations of hosted pages, terminals and the app flows, in-process:
// the card page (a typed card is never sent again: without an answer it fails once the PSP surely
// gave up; a lost answer is found by reference), the stored-card MIT charge, Vipps (page and
// agreement charge), wallets, the Collector invoice page and self-service's pay page. Each: no
// answer → the page says "in progress" (or the API a 503) and recovery settles it.
import { eq, sql } from "drizzle-orm";
import { paymentTransactions, payments, providerOperations, providerSessions } from "../../../db/schema";
import type { PaymentTypeGroup } from "../../domain/enums";
import { clientCaller, newOrganisation, systemCaller, useTestDatabase } from "../../../tests/support/use-case";
import { outcomeTotals } from "../../../tests/support/outcomes";
import { usePsp } from "../../../tests/support/psp";
import { usePspFaults } from "../../../tests/support/psp-faults";
import { dailyOutcomes } from "../../../db/schema";
import { createAppClaim, decideOnVippsPage } from "../mobile/app-claims.server";
import { createInvoice, decideInvoice } from "../mobile/invoices.server";
import { decideWallet3ds, registerWallet } from "../mobile/wallets.server";
import { createTerminal } from "../terminals/card-terminal.server";
import { payWithCard, terminalPage } from "../terminals/card-page.server";
import { recoverProviderOperations } from "./recovery.server";

const database = useTestDatabase();
const psp = usePsp();
const { inject: injectFault } = usePspFaults(psp);
const origin = "https://paydesk.example";
const back = "https://example.com/back";
const CARD = { cardNumber: "4111111111111111", expiry: "12/30", cvc: "123", cardholder: "Kari Nordmann" };
const unavailable = expect.objectContaining({ kind: "unavailable", status: 503, errorReason: "PROVIDER_UNAVAILABLE" });

async function newTransaction(
  organisationId: number,
  kind: { paymentTypeGroup: PaymentTypeGroup; paymentType?: string },
  amount = "150.00",
) {
  const { db } = database();
  const [payment] = await db.insert(payments).values({ organisationId, totalAmount: amount }).returning();
  const [transaction] = await db
    .insert(paymentTransactions)
    .values({ paymentId: payment.paymentId, organisationId, amount, currency: "NOK", ...kind })
    .returning();
  return { paymentId: payment.paymentId, transactionId: transaction.transactionId };
}

async function transaction(transactionId: number) {
  const [row] = await database()
    .db.select()
    .from(paymentTransactions)
    .where(eq(paymentTransactions.transactionId, transactionId));
  return row;
}

const operationsOf = (transactionId: number) =>
  database().db.select().from(providerOperations).where(eq(providerOperations.transactionId, transactionId));

/** A page's decision that got no answer says "in progress"; the recovery job then authorizes the transaction. */
async function expectInProgressUntilRecovered(decision: Promise<unknown>, transactionId: number) {
  expect(await decision).toMatchObject({ state: "in_progress" });
  await recoverNow();
  expect((await transaction(transactionId)).status).toBe("AUTHORIZED");
}

/** Lets the recovery job look now; `age` pretends the operation was claimed that long ago. */
async function recoverNow(ageMs = 0) {
  await database()
    .db.update(providerOperations)
    .set({
      nextCheckAt: sql`now() - interval '1 second'`,
      ...(ageMs ? { createdAt: new Date(Date.now() - ageMs) } : {}),
    })
    .where(eq(providerOperations.status, "PENDING"));
  return recoverProviderOperations();
}

const tokenOf = (url: string) => url.split("/").pop()!;

describe("card page (CARD_AUTHORIZE)", () => {
  async function openTerminal() {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await newTransaction(caller.organisationId, { paymentTypeGroup: "PAYMENTCARD" }, "199.00");
    const opened = await createTerminal(caller, { ...ids, origin, redirectUrl: back });
    return { caller, ids, token: tokenOf(opened.terminalUri!) };
  }

  it("a lost answer: the page says in progress; recovery finds the authorization by reference and approves", async () => {
    const { ids, token } = await openTerminal();
    await injectFault({ fault: "lost_answer", times: 1, operations: ["CARD_AUTHORIZE"] });
    expect(await payWithCard(systemCaller(), { token, card: CARD })).toEqual({ kind: "in_progress", returnUrl: null });
    // Paying again while it is in flight asks nobody.
    expect(await payWithCard(systemCaller(), { token, card: CARD })).toEqual({ kind: "in_progress", returnUrl: null });
    expect((await operationsOf(ids.transactionId)).map((o) => o.request)).toEqual([
      expect.not.objectContaining({ cardNumber: expect.anything(), cvc: expect.anything(), number: expect.anything() }),
    ]);
    await recoverNow();
    expect(await transaction(ids.transactionId)).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111" });
    expect((await terminalPage(token))?.state).toBe("completed");
  });

  it("no answer: a typed card is not sent again; once the PSP surely gave up it fails, counted failed, the page open", async () => {
    const { caller, ids, token } = await openTerminal();
    await injectFault({ fault: "timeout", times: 1, operations: ["CARD_AUTHORIZE"] });
    expect(await payWithCard(systemCaller(), { token, card: CARD })).toMatchObject({ kind: "in_progress" });
    expect(await recoverNow()).toMatchObject({ settled: 0, stillPending: 1 }); // too early to tell
    expect(await recoverNow(60_000)).toMatchObject({ settled: 1 });
    const [op] = await operationsOf(ids.transactionId);
    expect(op).toMatchObject({ status: "FAILED", answer: expect.objectContaining({ unreached: true }) });
    expect((await transaction(ids.transactionId)).status).toBe("INITIATED");
    const totals = await outcomeTotals(database().db, eq(dailyOutcomes.organisationId, caller.organisationId));
    expect(totals).toEqual({ approved: 0, declined: 0, failed: 1 });
    // The page is still open for another try.
    expect(await payWithCard(systemCaller(), { token, card: CARD })).toMatchObject({ kind: "redirect" });
  });
});

describe("Vipps", () => {
  it("VIPPS_CLAIM on the page: no answer → in progress; recovery re-sends and approves; the session closes approved", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await newTransaction(caller.organisationId, { paymentTypeGroup: "MOBILE", paymentType: "VIPPS" });
    const claim = await createAppClaim(caller, { ...ids, origin, phoneNumber: "+4712345678", redirectUrl: back });
    if (claim.kind !== "claim") throw new Error("expected a claim");
    const token = tokenOf(claim.appClaimUrl);
    await injectFault({ fault: "timeout", times: 1, operations: ["VIPPS_CLAIM"] });
    await expectInProgressUntilRecovered(
      decideOnVippsPage(systemCaller(), { token, decision: "approve" }),
      ids.transactionId,
    );
    const [session] = await database().db.select().from(providerSessions).where(eq(providerSessions.token, token));
    expect(session.outcome).toBe("approved");
    expect(await decideOnVippsPage(systemCaller(), { token, decision: "approve" })).toMatchObject({
      state: "completed",
    });
  });
});

describe("wallets (WALLET_AUTHORIZE)", () => {
  it("at once: a lost answer is a 503; recovery authorizes; a refused card settles FAILED and changes nothing", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await newTransaction(caller.organisationId, { paymentTypeGroup: "PAYMENTCARD" });
    await injectFault({ fault: "lost_answer", times: 1, operations: ["WALLET_AUTHORIZE"] });
    const paymentData = { paymentMethod: { displayName: "Visa 0326", network: "Visa" } };
    await expect(registerWallet(caller, { ...ids, origin, walletProvider: "ApplePay", paymentData })).rejects.toThrow(
      unavailable,
    );
    await recoverNow();
    expect(await transaction(ids.transactionId)).toMatchObject({ status: "AUTHORIZED", cardNumber: "0326" });

    const refused = await newTransaction(caller.organisationId, { paymentTypeGroup: "PAYMENTCARD" });
    await expect(
      registerWallet(caller, {
        ...refused,
        origin,
        walletProvider: "GooglePay",
        paymentData: { last4: "0002" },
      }),
    ).rejects.toThrow(expect.objectContaining({ kind: "declined", errorReason: "REFUSED_BY_ISSUER" }));
    expect((await transaction(refused.transactionId)).status).toBe("CREATED");
    expect((await operationsOf(refused.transactionId))[0].status).toBe("FAILED");
  });

  it("3-D Secure page: no answer → in progress, then settled", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await newTransaction(caller.organisationId, { paymentTypeGroup: "PAYMENTCARD" });
    const registered = await registerWallet(caller, {
      ...ids,
      origin,
      walletProvider: "ApplePay",
      paymentData: { last4: "4242" },
      redirectUrl: back,
    });
    const token = tokenOf(registered.terminalUri!);
    await injectFault({ fault: "timeout", times: 1, operations: ["WALLET_AUTHORIZE"] });
    await expectInProgressUntilRecovered(
      decideWallet3ds(systemCaller(), { token, decision: "approve" }),
      ids.transactionId,
    );
  });
});

describe("Collector invoice page (INVOICE_AUTHORIZE)", () => {
  it("no answer → in progress; recovery confirms the invoice and authorizes", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await newTransaction(caller.organisationId, { paymentTypeGroup: "INVOICE", paymentType: "COLLECTOR" });
    const invoice = await createInvoice(caller, { ...ids, origin, redirectUrl: back });
    const token = tokenOf(invoice.terminalUri!);
    await injectFault({ fault: "lost_answer", times: 1, operations: ["INVOICE_AUTHORIZE"] });
    await expectInProgressUntilRecovered(
      decideInvoice(systemCaller(), { token, decision: "confirm" }),
      ids.transactionId,
    );
  });
});
