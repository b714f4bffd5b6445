// PUT /v1/payments/{paymentId}/deactivate. Running it again finishes the cancels and credits an
// earlier run left open and acts on nothing twice, so a retry with the key of a request that died
// or answered 503 runs it again.
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { paymentJson } from "../http/api/serialize";
import { deactivatePayment } from "../services/payments/payments.server";

export const { loader, action } = apiRoute(
  {
    PUT: async ({ params, caller }) => {
      const result = await deactivatePayment(caller, { paymentId: pathId(params, "paymentId") });
      if (result.kind === "deactivated") return json(paymentJson(result.payment));
      // Deactivated, but the four-eyes rule keeps this client from executing its credit, which
      // reserves the amount until a staff user executes it (docs/decisions/026): 202, and where it is.
      return json(paymentJson(result.payment), 202, { Location: `/v1/credits/${result.creditId}` });
    },
  },
  { rerunnable: true },
);
