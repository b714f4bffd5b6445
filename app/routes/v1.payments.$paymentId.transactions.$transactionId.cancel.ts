// PUT …/transactions/{transactionId}/cancel: from CREATED, INITIATED or AUTHORIZED.
import { transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { transactionJson } from "../http/api/serialize";
import { cancelTransaction } from "../services/transactions/transactions.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) => json(transactionJson(await cancelTransaction(caller, transactionPath(params)))),
});
