// GET /v1/payments/{paymentId}; PATCH (merge-patch): totalAmount, active (reactivation), settlementId.
import { db } from "../../db/client";
import { parseBody, pathId, refuseReadOnlyFields } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { PAYMENT_READ_ONLY_FIELDS, PaymentPatchBody } from "../http/api/schemas";
import { paymentJson } from "../http/api/serialize";
import { getPayment } from "../services/queries/payment-view.server";
import { updatePayment } from "../services/payments/payments.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) => json(paymentJson(await getPayment(db(), caller, pathId(params, "paymentId")))),
  PATCH: async ({ params, caller, body }) => {
    const paymentId = pathId(params, "paymentId");
    refuseReadOnlyFields(body, PAYMENT_READ_ONLY_FIELDS, "totalAmount, active, settlementId");
    const patch = parseBody(PaymentPatchBody, body);
    return json(paymentJson(await updatePayment(caller, { paymentId, patch })));
  },
});
