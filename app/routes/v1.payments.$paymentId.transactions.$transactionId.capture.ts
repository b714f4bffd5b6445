// PUT …/transactions/{transactionId}/capture: answers with the whole payment.
import { pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { paymentJson } from "../api/serialize";
import { captureTransaction } from "../services/transactions.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(paymentJson(await captureTransaction(caller, pathId(params, "paymentId"), pathId(params, "transactionId")))),
});
