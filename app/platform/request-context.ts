// What the HTTP server (server/app.ts) hands every loader and action besides the request, and
// what the platform's writers (audit, sessions) take from it. It lives here, below the web
// layer, so that platform and auth need nothing from app/http.
export type RequestContext = {
  /** From X-Correlation-Id, or generated; echoed on the response and stored on every log row. */
  correlationId: string;
  /** The peer address as the server sees it (behind a proxy: configure TRUST_PROXY). */
  clientIp: string;
  /** This response's Content-Security-Policy nonce, for the page's own inline scripts. */
  cspNonce?: string;
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation: the loaders' context is this shape
  interface AppLoadContext extends RequestContext {}
}

/** For code reached without the server in front (CLI, seed, scripts). */
export function systemContext(correlationId = crypto.randomUUID()): RequestContext {
  return { correlationId, clientIp: "local" };
}
