// CSRF defence for the staff screens: a state-changing request must come from our own origin.
// Browsers send Origin on every POST; when a proxy strips it, Referer is the fallback. The
// /v1 API is exempt: it authenticates with a bearer token, which a browser never adds by itself.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginCheck = {
  method: string;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
};

export function isOriginAllowed({ method, path, host, origin, referer }: OriginCheck): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (path === "/v1" || path.startsWith("/v1/")) return true;
  if (!host) return false;
  const source = origin && origin !== "null" ? origin : referer;
  if (!source) return false;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}
