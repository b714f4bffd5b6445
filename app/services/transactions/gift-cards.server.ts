// Gift cards (POST …/gift-card): a claim deducts the transaction's amount from the card's balance
// and captures the GIFTCARD transaction at once, in one DB transaction.
//
// Lock order: the payment and its transactions (locks.server.ts), then the gift card row
// FOR UPDATE, so concurrent claims against one card queue up on it and each sees the balance
// the previous one left. The CHECK gift_cards_balance_ck (balance >= 0) is the last line of
// defence: no interleaving can take a card below zero.
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { giftCards } from "../../../db/schema";
import { ruleBroken } from "../../domain/errors";
import { requireCardCovers, requireGiftCardTransaction } from "../../domain/gift-card";
import { money, toDbAmount } from "../../domain/money";
import { requireActive } from "../../domain/payment";
import type { ClientCaller } from "../../domain/caller";
import { lockTransaction } from "../../platform/locks.server";
import { getPayment, type PaymentView } from "../queries/payment-view.server";
import { captureLocked } from "./transactions.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

/**
 * Pays a CREATED GIFTCARD transaction in full from a gift card and captures it; answers with
 * the whole payment. A card of another organisation is answered like an unknown one.
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; not a GIFTCARD transaction or not CREATED
 * @throws rule       no card has this code; it expired, is in another currency or its balance is too low
 */
export async function claimGiftCard(
  caller: ClientCaller,
  input: { paymentId: number; transactionId: number; giftCardCode: string },
): Promise<PaymentView> {
  const { paymentId, transactionId, giftCardCode } = input;
  return inTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    requireGiftCardTransaction(transaction);

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
    const amount = money(transaction.amount);
    requireCardCovers(
      { expiresAt: card.expiresAt, currency: card.currency, balance: money(card.balance) },
      { amount, currency: transaction.currency },
      at,
    );
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
    return getPayment(tx, caller, paymentId);
  });
}
