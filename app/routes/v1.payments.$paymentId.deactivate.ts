// PUT /v1/payments/{paymentId}/deactivate. Running it again finishes the cancels and credits an
// earlier run left open and acts on nothing twice, so a retry with the key of a request that died
// or answered 503 runs it again.
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { paymentJson } from "../http/api/serialize";
import { deactivatePayment } from "../services/payments/payments.server";

export const { loader, action } = apiRoute(
  {
    // An API client is not bound by the four-eyes rule, so the result always carries the payment.
    PUT: async ({ params, caller }) =>
      json(paymentJson((await deactivatePayment(caller, { paymentId: pathId(params, "paymentId") })).payment)),
  },
  { rerunnable: true },
);
