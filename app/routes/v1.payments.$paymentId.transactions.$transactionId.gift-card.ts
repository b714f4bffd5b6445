// POST …/transactions/{transactionId}/gift-card: deducts the amount from the card and captures
// the transaction; answers with the whole payment.
import { parseBody, pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { GiftCardBody } from "../api/schemas-mobile";
import { paymentJson } from "../api/serialize";
import { claimGiftCard } from "../services/gift-cards.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const { giftCardCode } = parseBody(GiftCardBody, body);
    return json(paymentJson(await claimGiftCard(caller, pathId(params, "paymentId"), pathId(params, "transactionId"), giftCardCode)), 201);
  },
});
