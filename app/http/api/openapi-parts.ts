// Pieces every part of the OpenAPI document (openapi.server.ts and its openapi-*.ts sections)
// describes the same way: inline schemas, the header parameters, success and problem responses,
// request bodies, and the two shapes of operation the sections share. Parameters, response
// headers and the Problem schema are $refs to the components openapi.server.ts declares.
import { z } from "zod";

export type Json = Record<string, unknown>;
export type Method = "get" | "post" | "put" | "patch" | "delete";

/** The path of one transaction, under which its provider routes lie. */
export const TRANSACTION_PATH = "/v1/payments/{paymentId}/transactions/{transactionId}";

export const componentRef = (kind: "schemas" | "parameters" | "headers", name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** What toJSONSchema leaves on a node that OpenAPI 3.1 says otherwise. */
export function tidySchemaNode(node: Json, options: { keepDateTimePattern?: boolean } = {}): void {
  // zod spells out a calendar regex beside format: date-time; the format says it.
  if (node.format === "date-time" && !options.keepDateTimePattern) delete node.pattern;
  // JSON Schema 2020-12 has `examples`; OpenAPI 3.1 deprecates `example` in schemas.
  if ("example" in node) {
    node.examples = [node.example];
    delete node.example;
  }
}

/**
 * A zod schema as a JSON Schema written out in place (no $refs of its own). The self-service
 * section has always published the regex beside format: date-time (`keepDateTimePattern`), and
 * a published document does not change under its clients.
 */
export function inlineSchema(
  schema: z.ZodType,
  io: "input" | "output",
  options: { keepDateTimePattern?: boolean } = {},
): Json {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    reused: "inline",
    override: ({ jsonSchema }) => tidySchemaNode(jsonSchema as Json, options),
  }) as Json;
  return rest;
}

/** A numeric id in the path (`pathId` in parse.server.ts reads it). */
export const pathIdParameter = (name: string, what: string): Json => ({
  name,
  in: "path",
  required: true,
  description: `The ${what}'s id; another organisation's id answers 404 (not a positive whole number: 400)`,
  schema: { type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
});

/** A zod schema inlined, or a schema (a $ref, an array of them) as it is given. */
const schemaOf = (schema: z.ZodType | Json, io: "input" | "output"): Json =>
  schema instanceof z.ZodType ? inlineSchema(schema, io) : schema;

const isIdempotent = (method: Method) => method === "post" || method === "put";

/** The header parameters every authenticated operation takes, and Idempotency-Key on POST and PUT. */
export function headerParameters(idempotent: boolean): Json[] {
  const names = ["ETClientName", "XCorrelationId", "EnturPOS", "EnturDistributionChannel", "EnturOnBehalfOf"];
  return [...names, ...(idempotent ? ["IdempotencyKey"] : [])].map((name) => componentRef("parameters", name));
}

/** The headers of a success response: the correlation id, Location, Idempotent-Replayed on POST and PUT. */
export function successHeaders(options: { location?: boolean; idempotent: boolean }): Json {
  const headers: Json = { "X-Correlation-Id": componentRef("headers", "XCorrelationId") };
  if (options.location) headers.Location = componentRef("headers", "Location");
  if (options.idempotent) headers["Idempotent-Replayed"] = componentRef("headers", "IdempotentReplayed");
  return headers;
}

/** An error response: problem+json with the correlation id, and the headers 401, 429 and 503 carry. */
export function problemResponse(status: number, description: string | undefined): Json {
  const headers: Json = { "X-Correlation-Id": componentRef("headers", "XCorrelationId") };
  if (status === 401) headers["WWW-Authenticate"] = componentRef("headers", "WWWAuthenticate");
  if (status === 429 || status === 503) headers["Retry-After"] = componentRef("headers", "RetryAfter");
  return {
    description,
    headers,
    content: { "application/problem+json": { schema: componentRef("schemas", "Problem") } },
  };
}

const DATABASE_UNAVAILABLE =
  "The database is unavailable or did not answer in time (no `errorReason`): retry after `Retry-After` seconds, with the " +
  "same Idempotency-Key if the request had one";

/**
 * 503 of an operation that asks the payment provider: the database's, or the provider's (the
 * claim → ask → settle of docs/decisions/019-claim-ask-settle.md).
 */
const PROVIDER_OR_DATABASE_UNAVAILABLE =
  "The database is unavailable or did not answer in time (no `errorReason`), or the payment provider did not answer in time " +
  "(`errorReason: PROVIDER_UNAVAILABLE`): then the operation stays in progress and is settled by itself once the provider " +
  "answers. Either way retry after `Retry-After` seconds with the same Idempotency-Key, which gets the operation's outcome " +
  "once it is known, or look the resource up";

/**
 * The 409 a request gets when it would have to wait for another that is still running: every POST
 * and PUT (its Idempotency-Key), and whatever changes a transaction a provider operation is on.
 */
export const RESOURCE_BUSY =
  "`errorReason: RESOURCE_BUSY` when another request is still in progress on it: one with the same Idempotency-Key, or a " +
  "payment provider operation on the same transaction (retry shortly)";

/** The problems every section describes alike; each section adds (or overrides) its own words. */
export const COMMON_PROBLEMS: Record<number, string> = {
  401: "Missing or unknown bearer token",
  413: "Request body larger than 1 MiB",
  429: "Rate limited; see Retry-After",
  503: DATABASE_UNAVAILABLE,
};

/**
 * One problem response per status (each once, in ascending order), described by a section's own
 * words; 503 on every operation, since each reads the database (its token, the rate limit) and
 * answers 503 with Retry-After when that cannot be done in time.
 */
export function problemResponses(statuses: Iterable<number>, descriptions: Record<number, string>): Json {
  const responses: Json = {};
  for (const status of [...new Set([...statuses, 503])].sort((a, b) => a - b))
    responses[String(status)] = problemResponse(status, descriptions[status]);
  return responses;
}

/** A section's descriptions, with the provider's 503 for an operation that asks it. */
const describedFor = (descriptions: Record<number, string>, provider: boolean | undefined) =>
  provider ? { ...descriptions, 503: PROVIDER_OR_DATABASE_UNAVAILABLE } : descriptions;

/** A JSON request body; a merge patch is accepted as application/merge-patch+json too. */
export function requestBody(schema: Json, required: boolean, mergePatch = false): Json {
  const media = { schema };
  return {
    required,
    content: mergePatch
      ? { "application/merge-patch+json": media, "application/json": media }
      : { "application/json": media },
  };
}

export type OperationSpec = {
  method: Method;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Path and query parameters; the header parameters follow them. */
  parameters?: Json[];
  /** A zod schema is inlined (input side); anything else is the schema itself. */
  body?: { schema: z.ZodType | Json; required: boolean; mergePatch?: boolean };
  success: { status: number; description: string; schema?: z.ZodType | Json; location?: boolean };
  /** Besides 400, 401, 403, 429 and 503, 409 and 422 on POST and PUT, and 413 with a body. */
  errors: number[];
  /** It asks the payment provider: its 503 may be PROVIDER_UNAVAILABLE. */
  provider?: boolean;
};

/** An operation of the resource routes (payments, credits, recurring payments, agreements). */
export function operation(spec: OperationSpec, errorDescriptions: Record<number, string>): Json {
  const idempotent = isIdempotent(spec.method);
  const schema = spec.success.schema && schemaOf(spec.success.schema, "output");
  const errors = [400, 401, 403, 429, ...spec.errors, ...(idempotent ? [409, 422] : []), ...(spec.body ? [413] : [])];
  const result: Json = {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    parameters: [...(spec.parameters ?? []), ...headerParameters(idempotent)],
    responses: {
      [String(spec.success.status)]: {
        description: spec.success.description,
        headers: successHeaders({ location: spec.success.location, idempotent }),
        ...(schema ? { content: { "application/json": { schema } } } : {}),
      },
      ...problemResponses(errors, describedFor(errorDescriptions, spec.provider)),
    },
  };
  if (spec.body) {
    const { schema: body, required, mergePatch } = spec.body;
    result.requestBody = requestBody(schemaOf(body, "input"), required, mergePatch);
  }
  return result;
}

/**
 * A POST or PUT on one transaction (its provider routes: terminals, app claim, wallet, gift card,
 * invoice): a required body, one or more success answers, and the problems each of them may answer.
 */
export function transactionOperation(
  spec: {
    operationId: string;
    summary: string;
    description: string;
    body: z.ZodType;
    success: Record<string, { description: string; schema?: z.ZodType | Json }>;
    /** It asks the payment provider: its 503 may be PROVIDER_UNAVAILABLE. */
    provider?: boolean;
  },
  errorDescriptions: Record<number, string>,
): Json {
  const responses: Json = {};
  for (const [status, { description, schema }] of Object.entries(spec.success)) {
    responses[status] = {
      description,
      headers: successHeaders({ idempotent: true }),
      ...(schema ? { content: { "application/json": { schema: schemaOf(schema, "output") } } } : {}),
    };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: ["Transactions"],
    parameters: [
      componentRef("parameters", "paymentId"),
      componentRef("parameters", "transactionId"),
      ...headerParameters(true),
    ],
    requestBody: requestBody(inlineSchema(spec.body, "input"), true),
    responses: {
      ...responses,
      ...problemResponses([400, 401, 403, 404, 409, 413, 422, 429], describedFor(errorDescriptions, spec.provider)),
    },
  };
}
