// Gift cards: a claim pays a GIFTCARD transaction in full from the card's balance and captures it
// at once. A card pays only while it is valid, in its own currency, and never below a zero balance.
import { conflict, ruleBroken } from "./errors";
import { formatAmount, type Money } from "./money";

/**
 * Only a CREATED transaction of the GIFTCARD group can be paid with a gift card.
 * @throws conflict  another payment type group; not CREATED
 */
export function requireGiftCardTransaction(transaction: {
  paymentTypeGroup: string;
  paymentType: string | null;
  status: string;
}): void {
  if (transaction.paymentTypeGroup !== "GIFTCARD") {
    throw conflict(
      `A gift card can only pay a GIFTCARD transaction; this one is ${transaction.paymentType ?? transaction.paymentTypeGroup}`,
    );
  }
  if (transaction.status !== "CREATED")
    throw conflict(`The transaction is ${transaction.status}; a gift card claim needs a CREATED one`);
}

export type GiftCard = { expiresAt: Date | null; currency: string; balance: Money };

/**
 * The card pays the amount: it has not expired at `at`, is in the transaction's currency and
 * its balance covers the whole amount.
 * @throws rule  expired; another currency; the balance is less than the amount
 */
export function requireCardCovers(card: GiftCard, payment: { amount: Money; currency: string }, at: Date): void {
  if (card.expiresAt && card.expiresAt.getTime() <= at.getTime()) {
    throw ruleBroken(`The gift card expired on ${card.expiresAt.toISOString().slice(0, 10)}`, "giftCardCode");
  }
  if (card.currency !== payment.currency) {
    throw ruleBroken(`The gift card is in ${card.currency}, the transaction in ${payment.currency}`, "giftCardCode");
  }
  if (card.balance < payment.amount) {
    throw ruleBroken(
      `The gift card's balance (${formatAmount(card.balance)} ${card.currency}) is less than the amount (${formatAmount(payment.amount)} ${payment.currency})`,
      "giftCardCode",
    );
  }
}
