// Gift card claims in-process: the card pays the whole amount and the transaction is captured;
// an expired, foreign, other-currency or too small card changes nothing.
import { eq } from "drizzle-orm";
import { giftCards } from "../../../db/schema";
import type { PaymentType } from "../../domain/enums";
import { money } from "../../domain/money";
import { refused, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { createPayment } from "../payments/payments.server";
import { claimGiftCard } from "./gift-cards.server";

const { database, shop, otherShop } = useTwoShops();

beforeAll(async () => {
  await database()
    .db.insert(giftCards)
    .values([
      { giftCardCode: "GC-100", organisationId: shop.organisationId, balance: "100.00000" },
      { giftCardCode: "GC-OLD", balance: "100.00000", expiresAt: new Date("2020-01-01T00:00:00Z") },
      { giftCardCode: "GC-SEK", balance: "100.00000", currency: "SEK" },
      { giftCardCode: "GC-OTHER", organisationId: otherShop.organisationId, balance: "100.00000" },
    ]);
});

async function giftCardTransaction(total: string, paymentType: PaymentType = "GIFTCARD") {
  const payment = await createPayment(shop, {
    totalAmount: money(total),
    transaction: { paymentType: paymentType as "GIFTCARD" },
  });
  return { paymentId: payment.paymentId, transactionId: payment.transactions[0].transactionId };
}

const balanceOf = async (code: string) =>
  (await database().db.select().from(giftCards).where(eq(giftCards.giftCardCode, code)))[0].balance;

describe("claimGiftCard", () => {
  it("deducts the amount from the balance and captures the transaction", async () => {
    const ids = await giftCardTransaction("60.00");
    const payment = await claimGiftCard(shop, { ...ids, giftCardCode: "GC-100" });
    expect(payment.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: money("60") } });
    expect(await balanceOf("GC-100")).toBe("40.00000");
    await expect(claimGiftCard(shop, { ...ids, giftCardCode: "GC-100" })).rejects.toThrow(
      refused({ kind: "conflict", message: "The transaction is CAPTURED; a gift card claim needs a CREATED one" }),
    );
  });

  it("refuses a balance below the amount, an expired card, another currency and another organisation's card", async () => {
    const ids = await giftCardTransaction("40.01");
    for (const [code, message] of [
      ["GC-100", /balance \(40\.00 NOK\) is less than the amount \(40\.01 NOK\)/],
      ["GC-OLD", /expired on 2020-01-01/],
      ["GC-SEK", /is in SEK, the transaction in NOK/],
      ["GC-OTHER", /^No gift card has this code$/],
      ["GC-NONE", /^No gift card has this code$/],
    ] as const) {
      await expect(claimGiftCard(shop, { ...ids, giftCardCode: code })).rejects.toThrow(
        refused({ kind: "rule", message: expect.stringMatching(message) }),
      );
    }
    expect(await balanceOf("GC-100")).toBe("40.00000");
  });

  it("only pays GIFTCARD transactions", async () => {
    const ids = await giftCardTransaction("1.00", "VISA");
    await expect(claimGiftCard(shop, { ...ids, giftCardCode: "GC-100" })).rejects.toThrow(
      refused({ kind: "conflict", message: "A gift card can only pay a GIFTCARD transaction; this one is VISA" }),
    );
  });
});
