// GET /v1/payment-methods: the client's enabled methods, by paymentType, paymentTypeGroup and
// the Entur-Distribution-Channel header.
import { db } from "../../db/client";
import { parseQuery } from "../api/parse.server";
import { apiRoute, json } from "../api/route.server";
import { paymentMethodJson } from "../api/serialize";
import { PAYMENT_TYPE_GROUPS, PAYMENT_TYPES } from "../domain/enums";
import { listPaymentMethods } from "../services/payment-methods.server";

const FILTERS = {
  paymentType: { type: "enum", values: PAYMENT_TYPES },
  paymentTypeGroup: { type: "enum", values: PAYMENT_TYPE_GROUPS },
} as const;

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) => {
    const { filters } = parseQuery(url, FILTERS);
    const methods = await listPaymentMethods(db(), caller, {
      paymentType: filters.paymentType?.anyOf as string[] | undefined,
      paymentTypeGroup: filters.paymentTypeGroup?.anyOf as string[] | undefined,
    });
    return json(methods.map(paymentMethodJson));
  },
});
