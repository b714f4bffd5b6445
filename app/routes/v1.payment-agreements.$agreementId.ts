// GET /v1/payment-agreements/{agreementId}: status and details; the Vipps confirmation URL only
// while the agreement awaits the customer (CREATED or PENDING).
import { pathKey } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { agreementJson } from "../http/api/serialize-recurring";
import { publicOrigin } from "../http/hosted-page.server";
import { getAgreement } from "../services/agreements/agreements.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller, url }) =>
    json(
      agreementJson(
        await getAgreement(caller, { agreementId: pathKey(params, "agreementId"), origin: publicOrigin(url) }),
      ),
    ),
});
