// PUT /v1/recurring-payments/{id}/end: CANCELLED, no longer usable (idempotent).
import { pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { recurringPaymentJson } from "../api/serialize-recurring";
import { endRecurringPayment } from "../services/recurring-payments.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) => json(recurringPaymentJson(await endRecurringPayment(caller, pathId(params, "recurringPaymentId")))),
});
