// POST …/transactions/{transactionId}/credit: credit one transaction at once (default: all creditable).
import { parseOptionalBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { CreditTransactionBody } from "../http/api/schemas";
import { paymentJson } from "../http/api/serialize";
import { creditTransaction } from "../services/credits/credits.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const { amount } = parseOptionalBody(CreditTransactionBody, body);
    const result = await creditTransaction(caller, { ...transactionPath(params), amount });
    if (result.kind === "credited") return json(paymentJson(result.payment), 201);
    // The credit is created and reserves the amount, but the four-eyes rule keeps this client from
    // executing it: a staff user must (docs/decisions/026). 202, and where the credit is.
    return json(paymentJson(result.payment), 202, { Location: `/v1/credits/${result.creditId}` });
  },
});
