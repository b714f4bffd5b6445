// POST …/transactions/{transactionId}/app-claim (Vipps): 201 with the appClaimUrl for a plain
// payment or a new agreement, 204 when an existing ACTIVE agreement was charged at once.
import { hostedPageInput } from "../http/api/parse.server";
import { apiRoute, json, noContent } from "../http/api/route.server";
import { AppClaimBody, type AppClaimJson } from "../http/api/schemas-mobile";
import { createAppClaim } from "../services/mobile/app-claims.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const outcome = await createAppClaim(caller, hostedPageInput(AppClaimBody, { params, body, url }));
    if (outcome.kind === "charged") return noContent();
    const response: AppClaimJson = {
      paymentId: outcome.paymentId,
      transactionId: outcome.transactionId,
      appClaimUrl: outcome.appClaimUrl,
    };
    return json(response, 201);
  },
});
