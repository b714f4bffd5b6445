// GET /v1/payment-agreements/{agreementId}: status and details; the Vipps confirmation URL only
// while the agreement awaits the customer (CREATED or PENDING).
import { db } from "../../db/client";
import { apiRoute, json } from "../api/route.server";
import { agreementJson } from "../api/serialize-recurring";
import { publicOrigin } from "../services/mobile-payments.server";
import { agreementIdOf, getAgreement } from "../services/payment-agreements.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller, url }) =>
    json(agreementJson(await getAgreement(db(), caller, agreementIdOf(params.agreementId), publicOrigin(url)))),
});
