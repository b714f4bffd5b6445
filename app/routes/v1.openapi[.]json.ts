// GET /v1/openapi.json: the OpenAPI 3.1 description of /v1 (built in app/http/api/openapi.server.ts).
// Public on purpose: a published API description holds nothing a token would protect, and
// clients and tools fetch it before they have credentials. Other methods answer a problem 405.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openApiJson } from "../http/api/openapi.server";
import { problemResponse } from "../http/api/problem.server";

export function loader() {
  return new Response(openApiJson(), {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" },
  });
}

export function action({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const response = problemResponse(
    {
      status: 405,
      title: "Method Not Allowed",
      detail: `${request.method} is not supported on ${url.pathname}`,
      headers: { Allow: "GET" },
    },
    { instance: url.pathname, correlationId: context.correlationId },
  );
  return response;
}
