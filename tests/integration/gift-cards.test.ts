// Gift cards over HTTP (POST …/gift-card): the claim deducts the balance and captures
// the transaction at once; every refusal is clear and changes nothing; concurrent claims
// against one card never take its balance below zero.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { Payment } from "../../app/http/api/response-schemas";
import { dailyVolume, giftCards } from "../../db/schema";
import { expectProblem, paymentWithTransaction } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { operationsOf, transactionPath } from "../support/fixtures-transactions";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 731 });
const stranger = useApiClient(server, { organisationId: 732 });

const DAY = 86_400_000;

beforeAll(async () => {
  await server.database.db.insert(giftCards).values([
    {
      giftCardCode: "GC-100",
      organisationId: 731,
      balance: "100.00000",
      currency: "NOK",
      expiresAt: new Date(Date.now() + 365 * DAY),
    },
    { giftCardCode: "GC-ANY-ORG", organisationId: null, balance: "50.00000", currency: "NOK" },
    {
      giftCardCode: "GC-EXPIRED",
      organisationId: 731,
      balance: "100.00000",
      currency: "NOK",
      expiresAt: new Date(Date.now() - DAY),
    },
    { giftCardCode: "GC-SEK", organisationId: 731, balance: "100.00000", currency: "SEK" },
    { giftCardCode: "GC-SMALL", organisationId: 731, balance: "5.00000", currency: "NOK" },
    { giftCardCode: "GC-OTHER-ORG", organisationId: 732, balance: "100.00000", currency: "NOK" },
    { giftCardCode: "GC-EXACT", organisationId: 731, balance: "19.99000", currency: "NOK" },
    { giftCardCode: "GC-RACE", organisationId: 731, balance: "100.00000", currency: "NOK" },
  ]);
});

async function balance(code: string): Promise<string> {
  const [card] = await server.database.db.select().from(giftCards).where(eq(giftCards.giftCardCode, code));
  return card.balance;
}

async function giftCardTransaction(amount: string, client = shop) {
  return paymentWithTransaction(client, amount, "GIFTCARD");
}

async function expectUnchanged(p: { paymentId: number; transactionId: number }) {
  const after = await shop.get(transactionPath(p));
  expect(after.body.status).toBe("CREATED");
  expect(operationsOf(after.body)).toEqual(["CREATE"]);
}

describe("claim a gift card", () => {
  it("deducts the amount, captures the transaction and answers 201 with the whole payment", async () => {
    const p = await giftCardTransaction("40.00");
    const result = await shop.post(
      transactionPath(p, "gift-card"),
      { giftCardCode: "GC-100" },
      { "Entur-POS": "kiosk-7" },
    );
    expect(result.status).toBe(201);
    expect(Payment.safeParse(result.body).success).toBe(true);
    expect(result.body).toMatchObject({ paymentId: p.paymentId, totalAmount: "40.00", currency: "NOK" });
    const [t] = result.body.transactions;
    expect(t).toMatchObject({
      transactionId: p.transactionId,
      status: "CAPTURED",
      paymentType: "GIFTCARD",
      paymentTypeGroup: "GIFTCARD",
    });
    expect(t.summary).toMatchObject({ authorizedAmount: "40.00", capturedAmount: "40.00", creditableAmount: "40.00" });
    expect(t.operationLog.map((o: { operation: string; amount: string }) => [o.operation, o.amount])).toEqual([
      ["CREATE", "40.00"],
      ["CAPTURE", "40.00"],
    ]);
    expect(t.operationLog[1].pos).toBe("kiosk-7");
    expect(await balance("GC-100")).toBe("60.00000");

    // The capture is in the daily rollup like every other capture.
    const [volume] = await server.database.db
      .select()
      .from(dailyVolume)
      .where(and(eq(dailyVolume.organisationId, 731), eq(dailyVolume.paymentTypeGroup, "GIFTCARD")));
    expect(volume.capturedAmount).toBe("40.00000");
    expect(volume.capturedCount).toBe(1);

    // A second claim on the captured transaction is a state conflict, and costs the card nothing.
    expectProblem(await shop.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-100" }), 409);
    expect(await balance("GC-100")).toBe("60.00000");
  });

  it("may use the whole balance, down to exactly zero", async () => {
    const p = await giftCardTransaction("19.99");
    expect((await shop.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-EXACT" })).status).toBe(201);
    expect(await balance("GC-EXACT")).toBe("0.00000");
  });

  it("accepts a card that belongs to no organisation", async () => {
    const p = await giftCardTransaction("10.00", stranger);
    const result = await stranger.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-ANY-ORG" });
    expect(result.status).toBe(201);
    expect(await balance("GC-ANY-ORG")).toBe("40.00000");
  });
});

describe("clear refusals that change nothing", () => {
  // [what the test is about, the payment's total, the code claimed, what the problem's detail says,
  // the card's balance after (none for a card that does not exist)]
  it.each([
    ["an unknown code is a 422 naming giftCardCode", "10.00", "NO-SUCH-CARD", /no gift card/i, null],
    [
      "another organisation's card is answered like an unknown one",
      "10.00",
      "GC-OTHER-ORG",
      /no gift card/i,
      "100.00000",
    ],
    ["an expired card is a 422 that says so", "10.00", "GC-EXPIRED", /expired/, "100.00000"],
    ["too small a balance is a 422 that tells the balance", "5.01", "GC-SMALL", "5.00 NOK", "5.00000"],
    ["a card in another currency is a 422", "10.00", "GC-SEK", "SEK", "100.00000"],
  ])("%s", async (_, total, giftCardCode, detail, balanceAfter) => {
    const p = await giftCardTransaction(total);
    const result = await shop.post(transactionPath(p, "gift-card"), { giftCardCode });
    expectProblem(result, 422, "giftCardCode");
    expect(result.body.detail).toMatch(detail);
    if (balanceAfter !== null) expect(await balance(giftCardCode)).toBe(balanceAfter);
    await expectUnchanged(p);
  });

  it("only GIFTCARD transactions in CREATED; other tenants' ids are 404; the code is required", async () => {
    const card = await paymentWithTransaction(shop, "10.00", "VISA");
    expectProblem(await shop.post(transactionPath(card, "gift-card"), { giftCardCode: "GC-100" }), 409);
    const p = await giftCardTransaction("10.00");
    expectProblem(await stranger.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-100" }), 404);
    expectProblem(await shop.post(transactionPath(p, "gift-card"), {}), 400, "giftCardCode");
    expectProblem(await shop.post(transactionPath(p, "gift-card"), { giftCardCode: "" }), 400, "giftCardCode");
    expectProblem(await shop.post(transactionPath(p, "gift-card"), { giftCardCode: 12 }), 400, "giftCardCode");
    expect((await shop.put(transactionPath(p, "cancel"))).status).toBe(200);
    expectProblem(await shop.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-100" }), 409);
    expect(await balance("GC-100")).toBe("60.00000");
  });

  it("a deactivated payment refuses the claim", async () => {
    const p = await giftCardTransaction("10.00");
    expect((await shop.put(`/v1/payments/${p.paymentId}/deactivate`)).status).toBe(200);
    expectProblem(await shop.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-100" }), 409);
    expect(await balance("GC-100")).toBe("60.00000");
  });
});

describe("concurrent claims against one card", () => {
  it("20 claims of 7.00 on a 100.00 card: 14 succeed, 6 are refused, the balance ends at 2.00, never below zero", async () => {
    const transactions = [];
    for (let i = 0; i < 20; i++) transactions.push(await giftCardTransaction("7.00"));
    const results = await Promise.all(
      transactions.map((p) => shop.post(transactionPath(p, "gift-card"), { giftCardCode: "GC-RACE" })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(14);
    expect(statuses.filter((s) => s === 422)).toHaveLength(6);
    for (const refused of results.filter((r) => r.status === 422))
      expect(refused.body.errors[0].field).toBe("giftCardCode");
    expect(await balance("GC-RACE")).toBe("2.00000");

    // Every successful claim captured exactly its transaction; every refused one left it CREATED.
    let captured = 0;
    for (const [i, p] of transactions.entries()) {
      const t = (await shop.get(transactionPath(p))).body;
      if (results[i].status === 201) {
        expect(t.status).toBe("CAPTURED");
        captured += 7;
      } else {
        expect(t.status).toBe("CREATED");
        expect(operationsOf(t)).toEqual(["CREATE"]);
      }
    }
    expect(captured).toBe(98);
  });
});
