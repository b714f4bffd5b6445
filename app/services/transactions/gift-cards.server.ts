// Gift cards (seed 000, POST …/gift-card): a claim deducts the transaction's amount from the
// card's balance and captures the GIFTCARD transaction at once, in one DB transaction.
//
// Lock order: the payment and its transactions (locks.server.ts), then the gift card row
// FOR UPDATE, so concurrent claims against one card queue up on it and each sees the balance
// the previous one left. The CHECK gift_cards_balance_ck (balance >= 0) is the last line of
// defence: no interleaving can take a card below zero.
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { giftCards } from "../../../db/schema";
import { conflict, ruleBroken } from "../../domain/errors";
import { formatAmount, money, toDbAmount } from "../../domain/money";
import type { ClientCaller } from "../../domain/caller";
import { lockTransaction, requireActive } from "../../platform/locks.server";
import { getPaymentLocked, type PaymentView } from "../queries/payment-view.server";
import { captureLocked } from "./transactions.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

export async function claimGiftCard(
  caller: ClientCaller,
  paymentId: number,
  transactionId: number,
  giftCardCode: string,
): Promise<PaymentView> {
  return inTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    if (transaction.paymentTypeGroup !== "GIFTCARD") {
      throw conflict(
        `A gift card can only pay a GIFTCARD transaction; this one is ${transaction.paymentType ?? transaction.paymentTypeGroup}`,
      );
    }
    if (transaction.status !== "CREATED")
      throw conflict(`The transaction is ${transaction.status}; a gift card claim needs a CREATED one`);

    // A card of another organisation is answered like an unknown one.
    const [card] = await tx
      .select()
      .from(giftCards)
      .where(
        and(
          eq(giftCards.giftCardCode, giftCardCode),
          or(isNull(giftCards.organisationId), eq(giftCards.organisationId, payment.organisationId)),
        ),
      )
      .for("update");
    if (!card) throw ruleBroken("No gift card has this code", "giftCardCode");
    const at = new Date();
    if (card.expiresAt && card.expiresAt.getTime() <= at.getTime()) {
      throw ruleBroken(`The gift card expired on ${card.expiresAt.toISOString().slice(0, 10)}`, "giftCardCode");
    }
    if (card.currency !== transaction.currency) {
      throw ruleBroken(
        `The gift card is in ${card.currency}, the transaction in ${transaction.currency}`,
        "giftCardCode",
      );
    }
    const amount = money(transaction.amount);
    const balance = money(card.balance);
    if (balance < amount) {
      throw ruleBroken(
        `The gift card's balance (${formatAmount(balance)} ${card.currency}) is less than the amount (${formatAmount(amount)} ${transaction.currency})`,
        "giftCardCode",
      );
    }
    try {
      await tx
        .update(giftCards)
        .set({ balance: sql`${giftCards.balance} - ${toDbAmount(amount)}::numeric`, updatedAt: at })
        .where(eq(giftCards.giftCardCode, card.giftCardCode));
    } catch (error) {
      if (violatedConstraint(error) === "gift_cards_balance_ck") {
        throw ruleBroken("The gift card's balance is less than the amount", "giftCardCode");
      }
      throw error;
    }
    await captureLocked(tx, caller, payment, transaction, at, "CAPTURE");
    return getPaymentLocked(tx, caller, { paymentId });
  });
}
