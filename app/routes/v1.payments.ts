// GET /v1/payments: search. POST /v1/payments: create, optionally with its first transaction.
import { parseBody, parseQuery } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { CreatePaymentBody } from "../http/api/schemas";
import { pageJson, paymentJson } from "../http/api/serialize";
import { PAYMENT_SEARCH_FIELDS, searchPayments } from "../services/queries/payment-search.server";
import { createPayment } from "../services/payments/payments.server";

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) => {
    const query = parseQuery(url, PAYMENT_SEARCH_FIELDS, { exactTotal: true, after: true });
    const page = await searchPayments(caller, { query });
    return json(pageJson(page, paymentJson));
  },
  POST: async ({ body, caller }) => {
    const payment = await createPayment(caller, parseBody(CreatePaymentBody, body));
    return json(paymentJson(payment), 201, { Location: `/v1/payments/${payment.paymentId}` });
  },
});
