// The card terminal in-process: opening it, paying on its page, a decline, and expiry (an
// expired terminal authorizes nothing).
import { eq } from "drizzle-orm";
import { providerSessions } from "../../../db/schema";
import { insertTransaction, transactionRowIn } from "../../../tests/support/fixtures-use-case";
import { clientCaller, newOrganisation, systemCaller, useTestDatabase } from "../../../tests/support/use-case";
import { createInternalTerminal, createTerminal } from "./card-terminal.server";
import { cancelTerminal, payWithCard, terminalPage } from "./card-page.server";

const database = useTestDatabase();
const APPROVE = { cardNumber: "4111111111111111", expiry: "12/30", cvc: "123", cardholder: "Kari Nordmann" };
const REFUSED = { ...APPROVE, cardNumber: "4000000000000002" };
const origin = "https://paydesk.example";

const cardTransaction = (organisationId: number, amount = "199.00") =>
  insertTransaction(database(), organisationId, { paymentTypeGroup: "PAYMENTCARD" }, amount);

const tokenOf = (uri: string | undefined) => uri!.split("/").pop()!;

const transaction = (transactionId: number) => transactionRowIn(database(), transactionId);

describe("the card terminal", () => {
  it("opens (INITIATED), and a card paid on its page authorizes and sends the customer back", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await cardTransaction(caller.organisationId);
    const opened = await createTerminal(caller, { ...ids, origin, redirectUrl: "https://example.com/back" });
    expect(opened.terminalUri).toMatch(/^https:\/\/paydesk\.example\/sandbox\/card\/[A-Za-z0-9_-]{43}$/);
    expect((await transaction(ids.transactionId)).status).toBe("INITIATED");
    const token = tokenOf(opened.terminalUri);
    expect(await terminalPage(token)).toMatchObject({ state: "open", kind: "CARD_TERMINAL", amount: "199.00000" });

    const outcome = await payWithCard(systemCaller(), { token, card: APPROVE });
    expect(outcome).toEqual({
      kind: "redirect",
      url: `https://example.com/back?paymentId=${ids.paymentId}&transactionId=${ids.transactionId}&responseCode=OK`,
    });
    const row = await transaction(ids.transactionId);
    expect(row).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111", paymentType: "VISA" });
    expect((await terminalPage(token))?.state).toBe("completed");
  });

  it("keeps the page open after a decline and counts the attempt", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await cardTransaction(caller.organisationId);
    const opened = await createInternalTerminal(caller, { ...ids, origin, redirectUrl: "https://example.com/back" });
    const token = tokenOf(opened.terminalUrl);
    const outcome = await payWithCard(systemCaller(), { token, card: REFUSED });
    expect(outcome).toMatchObject({ kind: "declined", errorReason: "REFUSED_BY_ISSUER", attemptsLeft: 9 });
    expect((await transaction(ids.transactionId)).status).toBe("INITIATED");
    expect(await cancelTerminal(systemCaller(), { token })).toMatchObject({
      kind: "redirect",
      url: expect.stringContaining("responseCode=REFUSED_BY_ISSUER"),
    });
  });

  it("authorizes nothing once expired (15 minutes)", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const ids = await cardTransaction(caller.organisationId);
    const opened = await createTerminal(caller, { ...ids, origin, redirectUrl: "https://example.com/back" });
    const token = tokenOf(opened.terminalUri);
    const [session] = await database().db.select().from(providerSessions).where(eq(providerSessions.token, token));
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(15 * 60_000);
    await database()
      .db.update(providerSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(providerSessions.token, token));
    expect(await payWithCard(systemCaller(), { token, card: APPROVE })).toEqual({
      kind: "expired",
      returnUrl: expect.stringContaining("responseCode=EXPIRED"),
    });
    expect((await transaction(ids.transactionId)).status).toBe("INITIATED");
    expect((await terminalPage(token))?.state).toBe("expired");
  });

  it("refuses another organisation's transaction, a redirect outside the client's prefixes and a second terminal after payment", async () => {
    const caller = clientCaller(await newOrganisation(database()));
    const other = clientCaller(await newOrganisation(database()));
    const ids = await cardTransaction(caller.organisationId);
    const input = { ...ids, origin, redirectUrl: "https://example.com/back" };
    await expect(createTerminal(other, input)).rejects.toMatchObject({ kind: "not_found" });
    await expect(createTerminal(caller, { ...input, redirectUrl: "https://evil.example/" })).rejects.toMatchObject({
      kind: "invalid",
      errors: [{ field: "redirectUrl" }],
    });
    const opened = await createTerminal(caller, input);
    await payWithCard(systemCaller(), { token: tokenOf(opened.terminalUri), card: APPROVE });
    await expect(createTerminal(caller, input)).rejects.toMatchObject({ kind: "conflict" });
  });
});
