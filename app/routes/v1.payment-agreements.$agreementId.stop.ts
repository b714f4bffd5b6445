// PUT /v1/payment-agreements/{agreementId}/stop: STOPPED (idempotent; an EXPIRED one is a 409).
import { pathKey } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { agreementJson } from "../http/api/serialize-recurring";
import { publicOrigin } from "../http/hosted-page.server";
import { stopAgreement } from "../services/agreements/agreements.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller, url }) =>
    json(
      agreementJson(
        await stopAgreement(caller, { agreementId: pathKey(params, "agreementId"), origin: publicOrigin(url) }),
      ),
    ),
});
