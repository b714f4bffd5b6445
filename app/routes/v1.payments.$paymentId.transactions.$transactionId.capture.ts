// PUT …/transactions/{transactionId}/capture: answers with the whole payment.
import { transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { paymentJson } from "../http/api/serialize";
import { captureTransaction } from "../services/transactions/transactions.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) => json(paymentJson(await captureTransaction(caller, transactionPath(params)))),
});
