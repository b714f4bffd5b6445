// POST /v1/payments/{paymentId}/transactions: add a transaction.
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { NewTransactionBody } from "../http/api/schemas";
import { transactionJson } from "../http/api/serialize";
import { addTransaction } from "../services/transactions/transactions.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const paymentId = pathId(params, "paymentId");
    const transaction = await addTransaction(caller, { paymentId, transaction: parseBody(NewTransactionBody, body) });
    return json(transactionJson(transaction), 201, {
      Location: `/v1/payments/${paymentId}/transactions/${transaction.transactionId}`,
    });
  },
});
