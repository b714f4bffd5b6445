// PUT /v1/payments/{paymentId}/deactivate
import { db } from "../../db/client";
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { paymentJson } from "../http/api/serialize";
import { deactivatePayment } from "../services/payments/payments.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(paymentJson(await deactivatePayment(caller, db(), pathId(params, "paymentId")))),
});
