// POST …/transactions/{transactionId}/credit: credit one transaction at once (default: all creditable).
import { db } from "../../db/client";
import { parseOptionalBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { CreditTransactionBody } from "../http/api/schemas";
import { paymentJson } from "../http/api/serialize";
import { creditTransactionNow } from "../services/credits/credits.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const { amount } = parseOptionalBody(CreditTransactionBody, body);
    const payment = await creditTransactionNow(
      caller,
      db(),
      pathId(params, "paymentId"),
      pathId(params, "transactionId"),
      amount,
    );
    return json(paymentJson(payment), 201);
  },
});
