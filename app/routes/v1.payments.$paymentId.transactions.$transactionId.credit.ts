// POST …/transactions/{transactionId}/credit: credit one transaction at once (default: all creditable).
import { parseOptionalBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { CreditTransactionBody } from "../http/api/schemas";
import { paymentJson } from "../http/api/serialize";
import { creditTransaction } from "../services/credits/credits.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const { amount } = parseOptionalBody(CreditTransactionBody, body);
    // An API client is not bound by the four-eyes rule, so the credit is executed (or declined).
    const { payment } = await creditTransaction(caller, {
      ...transactionPath(params),
      amount,
    });
    return json(paymentJson(payment), 201);
  },
});
