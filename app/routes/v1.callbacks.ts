// GET /v1/callbacks: the client's own callbacks and their delivery attempts, newest first.
import { parseQuery } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { callbackJson } from "../http/api/schemas-callbacks";
import { pageJson } from "../http/api/serialize";
import { CALLBACK_API_FIELDS, searchOwnCallbacks } from "../services/queries/callbacks.server";

export const { loader, action } = apiRoute({
  GET: async ({ url, caller }) =>
    json(
      pageJson(
        await searchOwnCallbacks(caller, { query: parseQuery(url, CALLBACK_API_FIELDS, { exactTotal: true }) }),
        callbackJson,
      ),
    ),
});
