import { requireCardCovers, requireGiftCardTransaction } from "./gift-card";
import { money } from "./money";
import { domainError as error, ruleRefusal } from "../../tests/support/domain-errors";

describe("a gift card claim", () => {
  it("pays a CREATED transaction of the GIFTCARD group only", () => {
    expect(() =>
      requireGiftCardTransaction({ paymentTypeGroup: "GIFTCARD", paymentType: "GIFTCARD", status: "CREATED" }),
    ).not.toThrow();
    expect(() =>
      requireGiftCardTransaction({ paymentTypeGroup: "PAYMENTCARD", paymentType: "VISA", status: "CREATED" }),
    ).toThrow(
      error({ kind: "conflict", message: "A gift card can only pay a GIFTCARD transaction; this one is VISA" }),
    );
    expect(() =>
      requireGiftCardTransaction({ paymentTypeGroup: "GIFTCARD", paymentType: null, status: "CAPTURED" }),
    ).toThrow(
      error({ kind: "conflict", message: "The transaction is CAPTURED; a gift card claim needs a CREATED one" }),
    );
  });

  const now = new Date("2025-06-01T12:00:00Z");
  const card = { expiresAt: new Date("2025-12-31T00:00:00Z"), currency: "NOK", balance: money("100") };
  const giftCardError = (message: string | RegExp) =>
    ruleRefusal("giftCardCode", typeof message === "string" ? message : expect.stringMatching(message));

  it("needs a card that has not expired (a card without expiry never does)", () => {
    expect(() => requireCardCovers(card, { amount: money("100"), currency: "NOK" }, now)).not.toThrow();
    expect(() =>
      requireCardCovers({ ...card, expiresAt: null }, { amount: money("1"), currency: "NOK" }, now),
    ).not.toThrow();
    expect(() => requireCardCovers({ ...card, expiresAt: now }, { amount: money("1"), currency: "NOK" }, now)).toThrow(
      giftCardError("The gift card expired on 2025-06-01"),
    );
  });

  it("pays in its own currency only", () => {
    expect(() => requireCardCovers(card, { amount: money("1"), currency: "SEK" }, now)).toThrow(
      giftCardError("The gift card is in NOK, the transaction in SEK"),
    );
  });

  it("pays the whole amount from its balance, never going below zero", () => {
    expect(() => requireCardCovers(card, { amount: money("100.00001"), currency: "NOK" }, now)).toThrow(
      giftCardError("The gift card's balance (100.00 NOK) is less than the amount (100.00001 NOK)"),
    );
  });
});
