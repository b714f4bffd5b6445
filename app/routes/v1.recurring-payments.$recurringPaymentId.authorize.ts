// PUT /v1/recurring-payments/{id}/authorize: the card registered on its terminal is accepted;
// ACTIVE with masked PAN and card expiry.
import { pathId } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { recurringPaymentJson } from "../api/serialize-recurring";
import { authorizeRecurringPayment } from "../services/recurring-payments.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(recurringPaymentJson(await authorizeRecurringPayment(caller, pathId(params, "recurringPaymentId")))),
});
