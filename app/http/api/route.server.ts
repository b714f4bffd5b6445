// The conventions every /v1 route shares (the /v1 contract): bearer auth, ET-Client-Name, correlation id,
// Entur-POS / Entur-Distribution-Channel / Entur-On-Behalf-Of, rate limiting, Idempotency-Key,
// and problem+json for every error. (server/app.ts puts X-Correlation-Id on every response.) A route file declares its handlers per method with
// `apiRoute({ GET, POST, ... })`; each handler parses, calls one service and renders.
import { createHash } from "node:crypto";
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";

type Params = LoaderFunctionArgs["params"];
import { eq } from "drizzle-orm";
import { db } from "../../../db/client";
import { organisations } from "../../../db/schema";
import { authenticateApiClient, type ApiClient } from "../../auth/api-client.server";
import { CUSTOMER_TOKEN_HEADER } from "../../auth/customer-token.server";
import { DomainError, type FieldError } from "../../domain/errors";
import { CARD_NUMBER_MESSAGE, containsCardNumber } from "../../domain/card-number";
import { logger } from "../../platform/logger.server";
import type { ClientCaller } from "../../domain/caller";
import {
  claimIdempotencyKey,
  ClaimedMeanwhile,
  completeIdempotencyKey,
  idempotencyKeyKnown,
  releaseIdempotencyKey,
  requestFingerprint,
  storeFirstAnswer,
  withIdempotencyKey,
  type RequestKey,
} from "../../platform/idempotency.server";
import { hitRateLimit } from "../../platform/rate-limit.server";
import { responseText, textResponse } from "../../platform/response-text";
import {
  isDatabaseUnavailable,
  requestDeadlineMs,
  RETRY_AFTER_SECONDS,
  withDeadline,
} from "../../platform/unavailable.server";
import { problem, problemFromDomain, problemResponse, ProblemError } from "./problem.server";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type ApiArgs = {
  request: Request;
  params: Params;
  url: URL;
  caller: ClientCaller;
  client: ApiClient;
  /** The request body parsed as JSON (undefined when empty). */
  body: unknown;
  context: AppLoadContext;
};

export type ApiHandler = (args: ApiArgs) => Promise<Response>;

const MAX_BODY_BYTES = 1024 * 1024;
const IDEMPOTENT_METHODS = new Set(["POST", "PUT"]);

export type ApiRouteOptions = {
  /**
   * Running a request again never acts twice: its use-case finishes what an earlier run left and
   * answers the state (credit execution, deactivation). A key whose request took effect without
   * a stored answer (a crash, a 503) is then run again on retry, instead of answering 409 "look it
   * up": that request may have only settled operations another request had claimed, which a
   * re-run resumes by nothing of its own.
   */
  rerunnable?: boolean;
};

export function apiRoute(handlers: Partial<Record<HttpMethod, ApiHandler>>, options: ApiRouteOptions = {}) {
  const handle = ({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs) =>
    runApiRequest(request, params, context, handlers, options);
  return { loader: handle, action: handle };
}

async function runApiRequest(
  request: Request,
  params: Params,
  context: AppLoadContext,
  handlers: Partial<Record<HttpMethod, ApiHandler>>,
  options: ApiRouteOptions,
): Promise<Response> {
  const url = new URL(request.url);
  const correlationId = context.correlationId;
  const where = { instance: url.pathname, correlationId };
  // The request's key once its handler runs (set inside serve, read by the error handling below).
  const keyed: { scope: RequestKey | null } = { scope: null };
  const serve = async (): Promise<Response> => {
    const method = (request.method === "HEAD" ? "GET" : request.method) as HttpMethod;
    const handler = handlers[method];
    if (!handler) {
      throw problem(405, `${request.method} is not supported on ${url.pathname}`, {
        headers: { Allow: Object.keys(handlers).join(", ") },
      });
    }

    const client = await authenticateApiClient(request.headers.get("authorization"));
    if (!client) {
      throw problem(401, "A valid bearer token is required: Authorization: Bearer <token>", {
        headers: { "WWW-Authenticate": 'Bearer realm="paydesk"' },
      });
    }
    const caller = callerFor(client, request, correlationId);
    if (caller.organisationId !== client.organisationId && !(await organisationExists(caller.organisationId))) {
      throw problem(403, `Organisation ${caller.organisationId} is not one this client can act for`, {
        errors: [{ field: "Entur-On-Behalf-Of", message: "is not a known organisation" }],
      });
    }

    const limit = await hitRateLimit({
      key: `api:${client.clientId}`,
      limit: client.rateLimitPerMinute,
      windowSeconds: 60,
    });
    if (!limit.allowed) {
      throw problem(429, `Rate limit of ${client.rateLimitPerMinute} requests per minute exceeded`, {
        headers: { "Retry-After": String(limit.retryAfterSeconds) },
      });
    }

    const rawBody = method === "GET" || method === "DELETE" ? "" : await readJsonBody(request);
    const body = parseJsonBody(rawBody);

    const key = request.headers.get("idempotency-key");
    const run = () => handler({ request, params, url, caller, client, body, context });
    if (key === null || !IDEMPOTENT_METHODS.has(method)) return run();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw problem(400, "Idempotency-Key must be 1 to 255 visible ASCII characters", {
        errors: [{ field: "Idempotency-Key", message: "must be 1 to 255 visible ASCII characters" }],
      });
    }
    const actingFor = {
      organisationId: caller.organisationId,
      customerToken: request.headers.get(CUSTOMER_TOKEN_HEADER),
    };
    const scope: RequestKey = {
      clientId: client.clientId,
      key: storedIdempotencyKey(key),
      fingerprint: requestFingerprint(method, url.pathname + url.search, rawBody, actingFor),
      claimed: false,
    };
    const rerunnable = options.rerunnable === true;
    // A key seen before is claimed (or answered) ahead; a new one is inserted by the request's
    // first transaction (decision 060).
    if (await idempotencyKeyKnown(scope.clientId, scope.key)) {
      const answer = await claimOrAnswer(scope, rerunnable);
      if (answer) return answer;
    }
    keyed.scope = scope;
    let response: Response;
    try {
      response = await withIdempotencyKey(scope, run);
    } catch (error) {
      if (!(error instanceof ClaimedMeanwhile)) throw error;
      // A request with the same key got there first; this one's transaction was rolled back.
      keyed.scope = null;
      const answer = await claimOrAnswer(scope, rerunnable);
      if (answer) return answer;
      keyed.scope = scope;
      response = await withIdempotencyKey(scope, run);
    }
    return remember(scope, response, { rerunnable, where });
  };
  try {
    return await withDeadline(requestDeadlineMs(), serve);
  } catch (error) {
    const response = errorResponse(error, where, request);
    const scope = keyed.scope;
    // An answer is kept for replays (remember says which); a server error releases a held key.
    if (scope && response.status < 500) {
      return remember(scope, response, { rerunnable: options.rerunnable === true, where }).catch(() => response);
    }
    if (scope?.claimed) {
      const { clientId, key } = scope;
      // Not awaited when the database is the problem: the answer must not wait on it again (a key
      // left IN_PROGRESS is taken over once it is stale). When only the PSP did not answer, the
      // database is fine and the key is released before the 503 goes out: a client retrying at
      // once must find it free, not 409 "in progress" (CI saw that race under load).
      if (response.status === 503 && !providerDidNotAnswer(error))
        void releaseIdempotencyKey(clientId, key).catch(() => {});
      else await releaseIdempotencyKey(clientId, key).catch(() => {});
    }
    return response;
  }
}

/**
 * Claims a key that has a record (or had one a moment ago), or answers from that record: the
 * stored response replayed, or why the request cannot run. null: claimed, the request runs.
 */
async function claimOrAnswer(scope: RequestKey, rerunnable: boolean): Promise<Response | null> {
  const claim = await claimIdempotencyKey(scope.clientId, scope.key, scope.fingerprint, { rerunnable });
  if (claim.kind === "mismatch") {
    throw problem(422, "This Idempotency-Key was used with a different request", {
      errors: [{ field: "Idempotency-Key", message: "was used with a different request" }],
    });
  }
  if (claim.kind === "in_progress") {
    throw problem(409, "A request with this Idempotency-Key is still being processed", {
      errorReason: "RESOURCE_BUSY",
    });
  }
  if (claim.kind === "unanswered") {
    throw problem(
      409,
      "The first request with this Idempotency-Key took effect, but its answer was lost; look the result up instead of retrying with this key",
      {
        errors: [
          { field: "Idempotency-Key", message: "belongs to a request that took effect without a stored answer" },
        ],
      },
    );
  }
  if (claim.kind === "replay") {
    const init = {
      status: claim.response.status,
      headers: { ...claim.response.headers, "Idempotent-Replayed": "true" },
    };
    return claim.response.body ? textResponse(claim.response.body, init) : new Response(null, init);
  }
  scope.claimed = true;
  return null;
}

/** A 503 because the PSP gave no answer (the database answered all along). */
const providerDidNotAnswer = (error: unknown) =>
  error instanceof DomainError && error.kind === "unavailable" && error.errorReason === "PROVIDER_UNAVAILABLE";

/**
 * Keeps the answer for the key's replays, unless it says "not now" rather than how the request
 * ended: a server error, or 409 RESOURCE_BUSY (another operation was in flight on the transaction,
 * nothing was done). Replaying "busy" would answer it for 24 hours to a client told to retry; the
 * key is released instead (kept UNANSWERED if something was committed under it). A request that
 * never claimed its key (it changed nothing) stores its answer only if no other request with the
 * key did meanwhile; otherwise it is answered as that one's retry. Returns the answer to send.
 */
async function remember(
  scope: RequestKey,
  response: Response,
  { rerunnable, where }: { rerunnable: boolean; where: { instance: string; correlationId: string } },
): Promise<Response> {
  const body = responseText(response) ?? (await response.clone().text());
  const notNow = response.status >= 500 || isBusy(response.status, body);
  if (notNow) {
    if (scope.claimed) await releaseIdempotencyKey(scope.clientId, scope.key);
    return response;
  }
  const headers: Record<string, string> = {};
  for (const name of ["content-type", "location"]) {
    const value = response.headers.get(name);
    if (value) headers[name] = value;
  }
  const stored = { status: response.status, headers, body };
  if (scope.claimed) {
    await completeIdempotencyKey(scope.clientId, scope.key, stored);
    return response;
  }
  if (await storeFirstAnswer(scope, stored)) return response;
  // Another request with the key got there first: answered as its retry.
  try {
    const answer = await claimOrAnswer(scope, rerunnable);
    if (answer) return answer;
  } catch (error) {
    if (error instanceof ProblemError) return problemResponse(error.problem, where);
    throw error;
  }
  // Its record had expired between the two looks: this answer is the key's now.
  await completeIdempotencyKey(scope.clientId, scope.key, stored);
  return response;
}

function isBusy(status: number, body: string): boolean {
  if (status !== 409) return false;
  try {
    return (JSON.parse(body) as { errorReason?: unknown }).errorReason === "RESOURCE_BUSY";
  } catch {
    return false;
  }
}

function errorResponse(error: unknown, where: { instance: string; correlationId: string }, request: Request): Response {
  if (error instanceof ProblemError) return problemResponse(error.problem, where);
  if (error instanceof DomainError) return problemResponse(problemFromDomain(error), where);
  if (isDatabaseUnavailable(error)) {
    logger.warn("database unavailable", {
      correlationId: where.correlationId,
      method: request.method,
      path: where.instance,
      error: String(error instanceof Error && error.cause ? error.cause : error),
    });
    return problemResponse(
      {
        status: 503,
        title: "Service Unavailable",
        detail:
          "The database is unavailable or did not answer in time. Try again shortly (with the same Idempotency-Key, if the request had one).",
        headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
      },
      where,
    );
  }
  logger.error("unhandled API error", {
    correlationId: where.correlationId,
    method: request.method,
    path: where.instance,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    // Drizzle wraps the driver's error; its message is where PostgreSQL says what went wrong.
    cause: error instanceof Error && error.cause ? String((error.cause as Error).message ?? error.cause) : undefined,
  });
  return problemResponse(
    {
      status: 500,
      title: "Internal Server Error",
      detail: "Something went wrong on our side; quote the correlationId.",
    },
    where,
  );
}

function callerFor(client: ApiClient, request: Request, correlationId: string): ClientCaller {
  const headers = request.headers;
  const clientName = headers.get("et-client-name")?.trim();
  if (!clientName) {
    throw problem(400, "The ET-Client-Name header is required (<company>-<application>)", {
      errors: [{ field: "ET-Client-Name", message: "is required" }],
    });
  }
  if (clientName.length > 200) {
    throw problem(400, "ET-Client-Name is too long", {
      errors: [{ field: "ET-Client-Name", message: "is longer than 200 characters" }],
    });
  }
  // Both headers are recorded on every operation-log entry of the request.
  const pos = headers.get("entur-pos")?.trim().slice(0, 200) || null;
  for (const [field, value] of [
    ["ET-Client-Name", clientName],
    ["Entur-POS", pos],
  ] as const) {
    if (value !== null && containsCardNumber(value)) {
      throw problem(400, `${field} ${CARD_NUMBER_MESSAGE}`, { errors: [{ field, message: CARD_NUMBER_MESSAGE }] });
    }
  }

  let organisationId = client.organisationId;
  const onBehalfOf = headers.get("entur-on-behalf-of");
  if (onBehalfOf !== null) {
    if (!client.onBehalfOfAllowed) {
      throw problem(403, "This client may not act on behalf of another organisation (Entur-On-Behalf-Of)");
    }
    if (!/^[1-9][0-9]{0,8}$/.test(onBehalfOf.trim())) {
      throw problem(400, "Entur-On-Behalf-Of must be an organisation id", {
        errors: [{ field: "Entur-On-Behalf-Of", message: "must be an organisation id (a whole number)" }],
      });
    }
    organisationId = Number(onBehalfOf.trim());
  }

  const channel = headers.get("entur-distribution-channel")?.trim() || null;
  if (channel && !client.distributionChannels.includes(channel)) {
    throw problem(403, `This client does not sell through the distribution channel "${channel}"`, {
      errors: [{ field: "Entur-Distribution-Channel", message: `is not one of this client's channels` }],
    });
  }

  return {
    kind: "client",
    clientId: client.clientId,
    organisationId,
    privileged: client.privileged,
    channels: client.distributionChannels,
    allowedRedirectPrefixes: client.allowedRedirectPrefixes,
    clientName,
    pos,
    distributionChannel: channel,
    correlationId,
  };
}

/**
 * The Idempotency-Key as it is stored: as sent, unless it carries a card number, which is then
 * kept only as its SHA-256 (the same key maps to the same row, so replays still work). Not
 * refused: a client's key is an opaque token, and one that happens to look like a card must
 * still work.
 */
function storedIdempotencyKey(key: string): string {
  return containsCardNumber(key) ? `sha256:${createHash("sha256").update(key).digest("hex")}` : key;
}

async function organisationExists(organisationId: number): Promise<boolean> {
  const [row] = await db()
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return !!row;
}

/** JSON, as application/json or any application/…+json, with or without a charset. */
function isJsonMediaType(contentType: string | null): boolean {
  const type = contentType?.split(";")[0].trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * The body as text, when it is JSON: a body of another type is a 415 before a byte is read (an
 * empty body needs no type). The server (server/http-guards.ts) has refused a body over 1 MiB
 * already, by its Content-Length or, chunked, by counting; this is the same bound once more.
 */
async function readJsonBody(request: Request): Promise<string> {
  const declared = request.headers.get("content-length");
  const hasBody =
    request.body !== null && (declared === null ? request.headers.has("transfer-encoding") : declared !== "0");
  if (hasBody && !isJsonMediaType(request.headers.get("content-type"))) {
    throw problem(415, "The request body must be JSON: send Content-Type: application/json", {
      errors: [{ field: "Content-Type", message: "must be application/json" }],
      headers: { "Accept-Post": "application/json" },
    });
  }
  if (Number(declared ?? "0") > MAX_BODY_BYTES) throw problem(413, "The request body is larger than 1 MiB");
  let text: string;
  try {
    text = await request.text();
  } catch {
    // Cut off (at the server's limit: it answers 413 in place of this) or abandoned by the client.
    throw problem(400, "The request body could not be read to its end");
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw problem(413, "The request body is larger than 1 MiB");
  return text;
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw problem(400, "The request body is not valid JSON", {
      errors: [{ field: "body", message: "is not valid JSON" }],
    });
  }
}

// ---------------------------------------------------------------- responses

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return textResponse(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** A 400 problem naming each field. */
export function invalidInput(errors: FieldError[]): ProblemError {
  return problem(400, errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors });
}
