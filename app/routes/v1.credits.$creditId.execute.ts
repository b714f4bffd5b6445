// PUT /v1/credits/{creditId}/execute: sequential and idempotent; a failure answers that
// credit transaction's problem and keeps what succeeded before it.
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { creditJson } from "../http/api/serialize";
import { executeCredit } from "../services/credits/credits.server";

export const { loader, action } = apiRoute({
  PUT: async ({ params, caller }) =>
    json(creditJson(await executeCredit(caller, { creditId: pathId(params, "creditId") }))),
});
