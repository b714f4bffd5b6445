// GET /v1/payment-agreements/{agreementId}: status and details; the Vipps confirmation URL only
// while the agreement awaits the customer (CREATED or PENDING).
import { db } from "../../db/client";
import { apiRoute, json } from "../http/api/route.server";
import { agreementJson } from "../http/api/serialize-recurring";
import { publicOrigin } from "../services/mobile/app-claims.server";
import { agreementIdOf, getAgreement } from "../services/agreements/agreements.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller, url }) =>
    json(agreementJson(await getAgreement(db(), caller, agreementIdOf(params.agreementId), publicOrigin(url)))),
});
