// GET /v1/recurring-payments: a customer's recurring payments (never CANCELLED; EXPIRED only with
// includeExpired). POST: a new CREATED one for the customer (the first is primary).
import { parseOptionalBody } from "../http/api/parse.server";
import { callerWithCustomer } from "../http/api/customer.server";
import { apiRoute, json } from "../http/api/route.server";
import { CreateRecurringPaymentBody } from "../http/api/schemas-recurring";
import { parseCustomerListQuery, recurringPaymentJson } from "../http/api/serialize-recurring";
import { createRecurringPayment, listRecurringPayments } from "../services/recurring/recurring-payments.server";

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) => {
    const query = parseCustomerListQuery(url, ["includeExpired"], (params, errors) => {
      const values = params.getAll("includeExpired");
      if (values.length > 1 || (values.length === 1 && values[0] !== "true" && values[0] !== "false")) {
        errors.push({ field: "includeExpired", message: "must be true or false, once" });
      }
      return { includeExpired: values[0] === "true" };
    });
    return json((await listRecurringPayments(caller, query)).map(recurringPaymentJson));
  },
  POST: async ({ body, caller, request, client }) => {
    const created = await createRecurringPayment(
      await callerWithCustomer({ request, client, caller }),
      parseOptionalBody(CreateRecurringPaymentBody, body),
    );
    return json(recurringPaymentJson(created), 201, {
      Location: `/v1/recurring-payments/${created.recurringPaymentId}`,
    });
  },
});
