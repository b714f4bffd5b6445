// /v1 requests reach their route module's loader or action straight from here, without Remix.
//
// Remix's request handler flattens and ranks every route of the app again for each request it
// matches (matchRoutes), and wraps a resource route's call in work a JSON API does not need; on
// the money path that was a tenth of the server's CPU. The /v1 routes are resource routes whose
// loader and action always answer a Response (app/http/api/route.server.ts), so they are matched
// here against a table built once from the same build: static segments before parameters, the
// catch-all (`v1.$`, the problem+json 404) last. Anything the table does not answer goes to Remix
// as before. (docs/decisions/038)
import type { AppLoadContext, ServerBuild } from "@remix-run/node";

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "splat" };
type ApiRouteEntry = {
  segments: Segment[];
  module: ServerBuild["routes"][string]["module"];
};

/** The full path pattern of a route ("v1/payments/:paymentId"), through its parents. */
function fullPath(routes: ServerBuild["routes"], id: string): string {
  const parts: string[] = [];
  for (
    let route: ServerBuild["routes"][string] | undefined = routes[id];
    route;
    route = route.parentId ? routes[route.parentId] : undefined
  ) {
    if (route.path) parts.unshift(route.path);
  }
  return parts.join("/");
}

function segmentsOf(path: string): Segment[] {
  return path
    .split("/")
    .filter(Boolean)
    .map((part) =>
      part === "*"
        ? { kind: "splat" }
        : part.startsWith(":")
          ? { kind: "param", name: part.slice(1) }
          : { kind: "static", value: part },
    );
}

/** More specific first: at the first segment where two differ, static beats a parameter beats a splat. */
function compareSpecificity(a: ApiRouteEntry, b: ApiRouteEntry): number {
  const rank = (s: Segment | undefined) => (s === undefined ? 3 : s.kind === "static" ? 0 : s.kind === "param" ? 1 : 2);
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  return 0;
}

function match(entry: ApiRouteEntry, parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < entry.segments.length; i++) {
    const segment = entry.segments[i];
    if (segment.kind === "splat") {
      params["*"] = parts.slice(i).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.kind === "static") {
      if (part.toLowerCase() !== segment.value.toLowerCase()) return null;
    } else params[segment.name] = part;
  }
  return parts.length === entry.segments.length ? params : null;
}

export type ApiDispatch = (request: Request, context: AppLoadContext) => Promise<Response> | null;

/** A dispatcher for the build's /v1 routes: null for a request it does not answer (Remix does). */
export function apiDispatcher(build: ServerBuild): ApiDispatch {
  const table: ApiRouteEntry[] = Object.values(build.routes)
    .map((route) => ({ path: fullPath(build.routes, route.id), module: route.module }))
    .filter(({ path }) => path === "v1" || path.startsWith("v1/"))
    .map(({ path, module }) => ({ segments: segmentsOf(path), module }))
    .sort(compareSpecificity);

  return (request, context) => {
    const url = new URL(request.url);
    let parts: string[];
    try {
      // Decoded per segment as React Router does: an escaped slash stays one (%2F) inside its segment.
      parts = url.pathname
        .split("/")
        .filter(Boolean)
        .map((part) => decodeURIComponent(part).replace(/\//g, "%2F"));
    } catch {
      return null;
    }
    for (const entry of table) {
      const params = match(entry, parts);
      if (!params) continue;
      const reads = request.method === "GET" || request.method === "HEAD";
      const handler = reads ? entry.module.loader : entry.module.action;
      if (!handler) return null;
      return (async () => {
        let response: unknown;
        try {
          response = await handler({ request, params, context });
        } catch (thrown) {
          if (thrown instanceof Response) response = thrown;
          else throw thrown;
        }
        if (!(response instanceof Response)) throw new Error(`${url.pathname}: a /v1 route answered no Response`);
        return request.method === "HEAD"
          ? new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers })
          : response;
      })();
    }
    return null;
  };
}
