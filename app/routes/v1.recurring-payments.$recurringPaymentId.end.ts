// PUT /v1/recurring-payments/{id}/end: CANCELLED, no longer usable (idempotent).
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { recurringPaymentJson } from "../http/api/serialize-recurring";
import { endRecurringPayment } from "../services/recurring/recurring-payments.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(
      recurringPaymentJson(
        await endRecurringPayment(caller, { recurringPaymentId: pathId(params, "recurringPaymentId") }),
      ),
    ),
});
