// GET /v1/callbacks/{callbackId}: one of the client's own callbacks with every delivery attempt.
import { pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { callbackJson } from "../http/api/schemas-callbacks";
import { getCallback } from "../services/queries/callbacks.server";

export const { loader, action } = apiRoute({
  GET: async ({ params, caller }) =>
    json(callbackJson(await getCallback(caller, { callbackId: pathId(params, "callbackId") }))),
});
