// POST …/transactions/{transactionId}/gift-card: deducts the amount from the card and captures
// the transaction; answers with the whole payment.
import { parseBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { GiftCardBody } from "../http/api/schemas-mobile";
import { paymentJson } from "../http/api/serialize";
import { claimGiftCard } from "../services/transactions/gift-cards.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const { giftCardCode } = parseBody(GiftCardBody, body);
    return json(
      paymentJson(
        await claimGiftCard(caller, {
          ...transactionPath(params),
          giftCardCode,
        }),
      ),
      201,
    );
  },
});
