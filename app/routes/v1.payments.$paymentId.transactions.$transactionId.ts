// GET /v1/payments/{paymentId}/transactions/{transactionId}: one transaction with its operation log.
import { db } from "../../db/client";
import { pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { transactionJson } from "../api/serialize";
import { getTransaction } from "../services/payment-view.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) =>
    json(transactionJson(await getTransaction(db(), caller, pathId(params, "paymentId"), pathId(params, "transactionId")))),
});
