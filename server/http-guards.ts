// What the HTTP server checks and adds before any route runs (docs/decisions/023-hardened-http.md):
//
//   - security headers on every answer: a Content-Security-Policy with a fresh nonce per request
//     (no script runs without it), frame-ancestors 'none' and X-Frame-Options: DENY, HSTS
//     whenever cookies are Secure;
//   - methods: anything but GET, HEAD, POST, PUT, PATCH and DELETE is a 405 problem;
//   - body sizes: a declared Content-Length over the route's limit is a 413 problem before a
//     byte of the body is read (a chunked body is cut off at the limit by server/remix-handler.ts);
//   - oversized headers: Node's 431 (above its maxHeaderSize) answered as a problem too;
//   - an error no route caught: a 500 problem, never a stack trace.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { problemBody, type Problem } from "../app/http/api/problem.server";
import { loggablePath, logger } from "../app/platform/logger.server";

/** The API's bodies (API.md: "Request body larger than 1 MiB" is a 413). */
export const API_BODY_LIMIT = 1024 * 1024;
/** Everything else posts forms: a login, a reason, a few ids. 64 KiB is far above any of them. */
export const FORM_BODY_LIMIT = 64 * 1024;
/**
 * A provider's settlement report, streamed into the importer line by line (docs/decisions/039):
 * a million lines are some 80 MB. The importer's memory does not grow with the file, so the limit
 * only bounds how long one upload may occupy the server.
 */
export const REPORT_UPLOAD_LIMIT = 512 * 1024 * 1024;
/** The paths whose POST is a settlement report upload. */
const REPORT_UPLOAD_PATHS = new Set(["/reconciliation", "/reconciliation/"]);

export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

export function isApiPath(path: string): boolean {
  return path === "/v1" || path.startsWith("/v1/");
}

export function bodyLimitFor(path: string): number {
  if (REPORT_UPLOAD_PATHS.has(path)) return REPORT_UPLOAD_LIMIT;
  return isApiPath(path) ? API_BODY_LIMIT : FORM_BODY_LIMIT;
}

const TITLES: Record<number, string> = {
  405: "Method Not Allowed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
};

/** A problem+json answer written by the server itself (before or instead of a route). */
export function sendProblem(
  req: Request,
  res: Response,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const problem: Problem = { status, title: TITLES[status] ?? "Error", detail };
  const body = problemBody(problem, { instance: loggablePath(req.path), correlationId: res.locals.correlationId });
  res
    .status(status)
    .set({ "Cache-Control": "no-store", ...headers })
    .type("application/problem+json")
    .send(JSON.stringify(body));
}

/** Whether cookies are Secure on this request (cookieAttributes in app/auth/session.server.ts decides the same). */
function secureCookies(req: Request): boolean {
  return process.env.PAYDESK_COOKIE_SECURE === "true" || req.secure;
}

/**
 * The policy: scripts only from this origin or inline with this request's nonce (Remix's
 * <Scripts>, <ScrollRestoration>, Mantine's ColorSchemeScript carry it); styles may be inline
 * (Mantine sets CSS variables in style attributes and a <style> element, which a nonce cannot
 * cover on the client); no plugins, no <base>, no framing. form-action is left open: the
 * sandbox's hosted pages post and then redirect to the merchant's own site (Chrome applies
 * form-action to that redirect).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const securityHeaders: RequestHandler = (req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  res.set("X-Frame-Options", "DENY");
  if (secureCookies(req)) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
};

export const methodGuard: RequestHandler = (req, res, next) => {
  if ((ALLOWED_METHODS as readonly string[]).includes(req.method)) return next();
  sendProblem(req, res, 405, `${req.method} is not supported here`, { Allow: ALLOWED_METHODS.join(", ") });
};

/** A declared body over the route's limit is refused before it is read (the connection then closes). */
export const declaredBodyLimit: RequestHandler = (req, res, next) => {
  const declared = req.headers["content-length"];
  const limit = bodyLimitFor(req.path);
  if (declared !== undefined && Number(declared) > limit) {
    return sendProblem(req, res, 413, `The request body is larger than ${describeBytes(limit)}`);
  }
  next();
};

export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

/** The last resort: whatever no route caught is a 500 problem; the log has it, the answer no stack. */
export const finalErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  logger.error("unhandled server error", {
    correlationId: res.locals.correlationId,
    method: req.method,
    path: loggablePath(req.path),
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  if (res.headersSent) return next(error);
  sendProblem(req, res, 500, "Something went wrong on our side; quote the correlationId.");
};

/**
 * Node answers malformed requests and headers over its maxHeaderSize (16 KiB) itself, with a
 * bare status line. With this listener it writes a problem instead where the connection can
 * still take one. (No correlation id exists yet at this point: the request never got that far.)
 */
export function answerClientErrors(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    const detail =
      status === 431
        ? "The request's headers are larger than the server accepts (16 KiB in all)"
        : "The request is not valid HTTP";
    const body = JSON.stringify({
      type: status === 431 ? "/problems/request-header-fields-too-large" : "/problems/invalid-request",
      title: status === 431 ? TITLES[431] : "Bad Request",
      status,
      detail,
    });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? TITLES[431] : "Bad Request"}\r\n` +
        "Content-Type: application/problem+json\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "Cache-Control: no-store\r\n" +
        "Connection: close\r\n\r\n" +
        body,
    );
  });
}
