// GET /v1/credits/{creditId}; PATCH while CREATED and active.
import { parseBody, pathId, refuseReadOnlyFields } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { CREDIT_READ_ONLY_FIELDS, CreditPatchBody } from "../http/api/schemas";
import { creditJson } from "../http/api/serialize";
import { getCredit, updateCredit } from "../services/credits/credits.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) =>
    json(creditJson(await getCredit(caller, { creditId: pathId(params, "creditId") }))),
  PATCH: async ({ params, caller, body }) => {
    const creditId = pathId(params, "creditId");
    refuseReadOnlyFields(body, CREDIT_READ_ONLY_FIELDS, "totalCreditAmount, creditTransactions, settlementId, active");
    return json(creditJson(await updateCredit(caller, { creditId, patch: parseBody(CreditPatchBody, body) })));
  },
});
