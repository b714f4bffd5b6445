// Pieces every part of the OpenAPI document (openapi.server.ts and its openapi-*.ts sections)
// describes the same way.

export type Json = Record<string, unknown>;

/** An error response: problem+json with the correlation id, and the headers 401 and 429 carry. */
export function problemResponse(status: number, description: string | undefined): Json {
  const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
  const headers: Json = { "X-Correlation-Id": header("XCorrelationId") };
  if (status === 401) headers["WWW-Authenticate"] = header("WWWAuthenticate");
  if (status === 429) headers["Retry-After"] = header("RetryAfter");
  return {
    description,
    headers,
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
}
