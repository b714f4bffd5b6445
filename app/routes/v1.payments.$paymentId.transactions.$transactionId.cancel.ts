// PUT …/transactions/{transactionId}/cancel: from CREATED, INITIATED or AUTHORIZED.
import { pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { transactionJson } from "../api/serialize";
import { cancelTransaction } from "../services/transactions.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(transactionJson(await cancelTransaction(caller, pathId(params, "paymentId"), pathId(params, "transactionId")))),
});
