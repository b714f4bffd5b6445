// GET /v1/payments/{paymentId}/transactions/{transactionId}: one transaction with its operation log.
import { transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { transactionJson } from "../http/api/serialize";
import { getTransaction } from "../services/queries/payment-view.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) => json(transactionJson(await getTransaction(caller, transactionPath(params)))),
});
