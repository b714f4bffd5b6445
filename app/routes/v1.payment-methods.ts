// GET /v1/payment-methods: the client's enabled methods, by paymentType, paymentTypeGroup and
// the Entur-Distribution-Channel header.
import { parseQuery } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { paymentMethodJson } from "../http/api/serialize";
import type { PaymentTypeGroup } from "../domain/enums";
import { listPaymentMethods, PAYMENT_METHOD_FILTERS } from "../services/admin/payment-methods.server";

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) => {
    const { filters } = parseQuery(url, PAYMENT_METHOD_FILTERS);
    const methods = await listPaymentMethods(caller, {
      paymentType: filters.paymentType?.anyOf as string[] | undefined,
      paymentTypeGroup: filters.paymentTypeGroup?.anyOf as PaymentTypeGroup[] | undefined,
    });
    return json(methods.map(paymentMethodJson));
  },
});
