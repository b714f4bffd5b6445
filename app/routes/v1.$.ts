// Any other /v1 path: a problem+json 404 rather than the staff app's HTML page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { problemResponse } from "../http/api/problem.server";

function notFound({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return problemResponse(
    { status: 404, title: "Not Found", detail: `There is no API route ${request.method} ${url.pathname}` },
    { instance: url.pathname, correlationId: context.correlationId },
  );
}

export const loader = notFound;
export const action = notFound;
