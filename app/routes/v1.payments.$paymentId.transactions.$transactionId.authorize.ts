// POST …/transactions/{transactionId}/authorize: pre-authorization, then increments or one reduction.
import { parseBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { AuthorizeBody } from "../http/api/schemas";
import { transactionJson } from "../http/api/serialize";
import { authorizeTransaction } from "../services/transactions/transactions.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const { totalAmount } = parseBody(AuthorizeBody, body);
    const transaction = await authorizeTransaction(caller, {
      ...transactionPath(params),
      totalAmount,
    });
    return json(transactionJson(transaction));
  },
});
