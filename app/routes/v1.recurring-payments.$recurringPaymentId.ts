// GET /v1/recurring-payments/{id}; PATCH (merge-patch) its nickname and isPrimary.
import { parseBody, pathId, refuseReadOnlyFields } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { RECURRING_PAYMENT_READ_ONLY_FIELDS, RecurringPaymentPatchBody } from "../http/api/schemas-recurring";
import { recurringPaymentJson } from "../http/api/serialize-recurring";
import { getRecurringPayment, updateRecurringPayment } from "../services/recurring/recurring-payments.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) =>
    json(
      recurringPaymentJson(
        await getRecurringPayment(caller, { recurringPaymentId: pathId(params, "recurringPaymentId") }),
      ),
    ),
  PATCH: async ({ params, caller, body }) => {
    const recurringPaymentId = pathId(params, "recurringPaymentId");
    refuseReadOnlyFields(body, RECURRING_PAYMENT_READ_ONLY_FIELDS, "nickname, isPrimary");
    return json(
      recurringPaymentJson(
        await updateRecurringPayment(caller, { ...parseBody(RecurringPaymentPatchBody, body), recurringPaymentId }),
      ),
    );
  },
});
