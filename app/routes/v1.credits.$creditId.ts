// GET /v1/credits/{creditId}; PATCH while CREATED and active.
import { db } from "../../db/client";
import { parseBody, pathId } from "../api/parse.server";
import { apiRoute, invalidInput, json } from "../api/route.server";
import { CREDIT_READ_ONLY_FIELDS, CreditPatchBody } from "../api/schemas";
import { creditJson } from "../api/serialize";
import { getCredit, updateCredit } from "../services/credits.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) => json(creditJson(await getCredit(db(), caller, pathId(params, "creditId")))),
  PATCH: async ({ params, caller, body }) => {
    const creditId = pathId(params, "creditId");
    if (body && typeof body === "object" && !Array.isArray(body)) {
      const readOnly = Object.keys(body).filter((key) => (CREDIT_READ_ONLY_FIELDS as readonly string[]).includes(key));
      if (readOnly.length) {
        throw invalidInput(readOnly.map((field) => ({ field, message: "is not editable (editable: totalCreditAmount, creditTransactions, settlementId, active)" })));
      }
    }
    return json(creditJson(await updateCredit(caller, creditId, parseBody(CreditPatchBody, body))));
  },
});
