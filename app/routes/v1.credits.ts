// GET /v1/credits: search. POST /v1/credits: create a credit that reserves its amounts.
import { db } from "../../db/client";
import { parseBody, parseQuery } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { CreateCreditBody } from "../http/api/schemas";
import { creditJson, pageJson } from "../http/api/serialize";
import { CREDIT_SEARCH_FIELDS, searchCredits } from "../services/queries/credit-search.server";
import { createCredit } from "../services/credits/credits.server";

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) =>
    json(pageJson(await searchCredits(db(), caller, parseQuery(url, CREDIT_SEARCH_FIELDS)), creditJson)),
  POST: async ({ body, caller }) => {
    const input = parseBody(CreateCreditBody, body);
    // Only privileged clients say who the customer is.
    const credit = await createCredit(caller, {
      ...input,
      customerNumber: caller.privileged ? input.customerNumber : undefined,
    });
    return json(creditJson(credit), 201, { Location: `/v1/credits/${credit.creditId}` });
  },
});
