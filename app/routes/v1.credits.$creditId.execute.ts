// PUT /v1/credits/{creditId}/execute: sequential and idempotent; a failure answers that
// credit transaction's problem and keeps what succeeded before it. Running it again never refunds
// a line twice, so a retry with the key of a request that died or answered 503 runs it again.
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { creditJson } from "../http/api/serialize";
import { executeCredit } from "../services/credits/credits.server";

export const { loader, action } = apiRoute(
  {
    PUT: async ({ params, caller }) =>
      json(creditJson(await executeCredit(caller, { creditId: pathId(params, "creditId") }))),
  },
  { rerunnable: true },
);
