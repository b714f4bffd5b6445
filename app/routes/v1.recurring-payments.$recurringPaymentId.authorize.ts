// PUT /v1/recurring-payments/{id}/authorize: the card registered on its terminal is accepted;
// ACTIVE with masked PAN and card expiry.
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { recurringPaymentJson } from "../http/api/serialize-recurring";
import { authorizeRecurringPayment } from "../services/recurring/recurring-payments.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(
      recurringPaymentJson(
        await authorizeRecurringPayment(caller, { recurringPaymentId: pathId(params, "recurringPaymentId") }),
      ),
    ),
});
