// The app, wallet and invoice flows in-process: a Vipps app claim approved on its page, a wallet
// payment authorized at once and one through its 3-D Secure page, and a Collector invoice
// confirmed on its page.
import { eq } from "drizzle-orm";
import { operationLog } from "../../../db/schema";
import type { PaymentTypeGroup } from "../../domain/enums";
import { insertTransaction, transactionRowIn } from "../../../tests/support/fixtures-use-case";
import { clientCaller, newOrganisation, systemCaller, useTestDatabase } from "../../../tests/support/use-case";
import { createAppClaim, decideOnVippsPage, vippsPage } from "./app-claims.server";
import { createInvoice, decideInvoice, invoicePage } from "./invoices.server";
import { decideWallet3ds, registerWallet } from "./wallets.server";

const database = useTestDatabase();
const origin = "https://paydesk.example";
const back = "https://example.com/back";

const newTransaction = (
  organisationId: number,
  kind: { paymentTypeGroup: PaymentTypeGroup; paymentType?: string },
  amount = "150.00",
) => insertTransaction(database(), organisationId, kind, amount);

const statusOf = (transactionId: number) => transactionRowIn(database(), transactionId);

/** A client of an organisation of its own, and a transaction of `kind` of that organisation. */
async function callerWithTransaction(kind: { paymentTypeGroup: PaymentTypeGroup; paymentType?: string }) {
  const caller = clientCaller(await newOrganisation(database()));
  return { caller, ids: await newTransaction(caller.organisationId, kind) };
}

const tokenOf = (url: string) => url.split("/").pop()!;

describe("Vipps app claim", () => {
  it("opens the Vipps page; approving there authorizes as the sandbox provider", async () => {
    const { caller, ids } = await callerWithTransaction({ paymentTypeGroup: "MOBILE", paymentType: "VIPPS" });
    const claim = await createAppClaim(caller, { ...ids, origin, phoneNumber: "+4712345678", redirectUrl: back });
    if (claim.kind !== "claim") throw new Error("expected a claim");
    expect((await statusOf(ids.transactionId)).status).toBe("INITIATED");
    const token = tokenOf(claim.appClaimUrl);
    expect(await vippsPage(token)).toMatchObject({ state: "open", mode: "payment", amount: "150.00" });

    const decided = await decideOnVippsPage(systemCaller("sandbox-vipps"), { token, decision: "approve" });
    expect(decided).toMatchObject({ state: "approved", redirectTo: expect.stringContaining("result=approved") });
    expect((await statusOf(ids.transactionId)).status).toBe("AUTHORIZED");
    const [authorize] = await database()
      .db.select()
      .from(operationLog)
      .where(eq(operationLog.transactionId, ids.transactionId))
      .then((rows) => rows.filter((r) => r.operation === "AUTHORIZE"));
    expect(authorize.actor).toBe("sandbox-vipps");
    expect((await decideOnVippsPage(systemCaller(), { token, decision: "reject" }))?.state).toBe("completed");
    expect(await decideOnVippsPage(systemCaller(), { token: "x".repeat(30), decision: "approve" })).toBeNull();
  });

  it("needs a phoneNumber and a Vipps transaction", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const vipps = await newTransaction(caller.organisationId, { paymentTypeGroup: "MOBILE", paymentType: "VIPPS" });
    await expect(createAppClaim(caller, { ...vipps, origin })).rejects.toMatchObject({
      kind: "invalid",
      errors: [{ field: "phoneNumber" }],
    });
    const card = await newTransaction(caller.organisationId, { paymentTypeGroup: "PAYMENTCARD" });
    await expect(createAppClaim(caller, { ...card, origin, phoneNumber: "+4712345678" })).rejects.toMatchObject({
      kind: "conflict",
    });
  });
});

describe("wallets", () => {
  it("authorizes at once without a redirectUrl, keeping only the last 4 and the scheme", async () => {
    const { caller, ids } = await callerWithTransaction({ paymentTypeGroup: "PAYMENTCARD" });
    const paymentData = { paymentMethod: { displayName: "Visa 0326", network: "Visa" } };
    const registered = await registerWallet(caller, { ...ids, origin, walletProvider: "ApplePay", paymentData });
    expect(registered).toEqual({ ...ids, walletProvider: "ApplePay" });
    expect(await statusOf(ids.transactionId)).toMatchObject({
      status: "AUTHORIZED",
      cardNumber: "0326",
      paymentType: "VISA",
    });
  });

  it("with a redirectUrl, authorizes once the customer completes the 3-D Secure page", async () => {
    const { caller, ids } = await callerWithTransaction({ paymentTypeGroup: "PAYMENTCARD" });
    const paymentData = { last4: "4242", network: "MASTERCARD" };
    const registered = await registerWallet(caller, {
      ...ids,
      origin,
      walletProvider: "GooglePay",
      paymentData,
      redirectUrl: back,
    });
    expect(registered.terminalUri).toMatch(/\/sandbox\/wallet\//);
    expect((await statusOf(ids.transactionId)).status).toBe("INITIATED");
    const decided = await decideWallet3ds(systemCaller("sandbox-wallet"), {
      token: tokenOf(registered.terminalUri!),
      decision: "approve",
    });
    expect(decided?.state).toBe("approved");
    expect(await statusOf(ids.transactionId)).toMatchObject({ status: "AUTHORIZED", paymentType: "MASTERCARD" });
  });
});

describe("Collector invoices", () => {
  it("creates a COLLECTOR invoice page; confirming there authorizes", async () => {
    const { caller, ids } = await callerWithTransaction({ paymentTypeGroup: "INVOICE", paymentType: "COLLECTOR" });
    await expect(createInvoice(caller, { ...ids, origin })).rejects.toMatchObject({
      kind: "invalid",
      errors: [{ field: "redirectUrl" }],
    });
    const invoice = await createInvoice(caller, { ...ids, origin, redirectUrl: back, languageCode: "nb" });
    expect(invoice).toMatchObject({ ...ids, expiryDate: null, publicToken: null });
    const token = tokenOf(invoice.terminalUri!);
    expect(await invoicePage(token)).toMatchObject({ state: "open", amount: "150.00", paymentType: "COLLECTOR" });
    const decided = await decideInvoice(systemCaller("sandbox-invoice"), { token, decision: "confirm" });
    expect(decided?.state).toBe("approved");
    expect((await statusOf(ids.transactionId)).status).toBe("AUTHORIZED");
    expect((await invoicePage(token))?.confirmedAt).not.toBeNull();
  });
});
