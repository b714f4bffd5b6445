// POST …/transactions/{transactionId}/import: privileged clients fill an isImport transaction.
import { parseBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { ImportBody } from "../http/api/schemas";
import { transactionJson } from "../http/api/serialize";
import { importTransaction } from "../services/transactions/transactions.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body }) => {
    const transaction = await importTransaction(caller, {
      ...transactionPath(params),
      data: parseBody(ImportBody, body),
    });
    return json(transactionJson(transaction), 201);
  },
});
