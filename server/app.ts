// The HTTP server in front of Remix: correlation ids, access logs, security headers, the method
// and body-size checks (server/http-guards.ts), the CSRF origin check and static assets.
// Everything else is a Remix route (server/remix-handler.ts).
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { problemBody } from "../app/http/api/problem.server";
import { isOriginAllowed } from "../app/auth/origin";
import { containsCardNumber } from "../app/domain/card-number";
import type { RequestContext } from "../app/http/context";
import { loggablePath, logger } from "../app/platform/logger.server";
import { answerClientErrors, declaredBodyLimit, finalErrorHandler, methodGuard, securityHeaders } from "./http-guards";
import { remixHandler } from "./remix-handler";

const PUBLIC_DIR = fileURLToPath(new URL("../public", import.meta.url));

/**
 * A client's correlation id is kept if it is a sane token; otherwise we make one. One that
 * carries a card number is not sane: it would be stored on every row and log line of the request.
 */
export function acceptCorrelationId(value: string | undefined): string {
  if (value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) && !containsCardNumber(value)) return value;
  return randomUUID();
}

export function createApp(build: ServerBuild): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Behind a load balancer set TRUST_PROXY (e.g. "1" or "loopback") so req.ip is the client's.
  const trustProxy = process.env.TRUST_PROXY;
  if (trustProxy) app.set("trust proxy", /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);

  app.use((req, res, next) => {
    const correlationId = acceptCorrelationId(req.get("x-correlation-id"));
    res.locals.correlationId = correlationId;
    res.set("X-Correlation-Id", correlationId);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "same-origin");
    // A response sent before the request body was read (401, 413, …) must close the connection:
    // the unread body would otherwise be taken for the next request on it.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      if (!req.complete && !this.headersSent) this.setHeader("Connection", "close");
      return writeHead.apply(this, args);
    } as typeof writeHead;
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      if (req.path.startsWith("/build/")) return;
      logger.info("request", {
        correlationId,
        method: req.method,
        path: loggablePath(req.path),
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
      });
    });
    next();
  });

  app.use(securityHeaders);
  app.use(methodGuard);
  app.use(declaredBodyLimit);

  app.use((req, res, next) => {
    // A path with a broken percent-escape names nothing; say so here rather than let the router guess.
    try {
      decodeURIComponent(req.path);
    } catch {
      const correlationId = res.locals.correlationId as string;
      if (req.path.startsWith("/v1/")) {
        const problem = { status: 400, title: "Bad Request", detail: "The path contains a malformed percent-escape" };
        res
          .status(400)
          .type("application/problem+json")
          .send(JSON.stringify(problemBody(problem, { instance: req.path, correlationId })));
      } else res.status(400).type("text/plain").send("Bad Request: the path contains a malformed percent-escape.");
      return;
    }
    next();
  });

  app.use((req, res, next) => {
    const allowed = isOriginAllowed({
      method: req.method,
      path: req.path,
      host: req.get("host"),
      origin: req.get("origin"),
      referer: req.get("referer"),
    });
    if (allowed) return next();
    logger.warn("cross-site request refused", {
      correlationId: res.locals.correlationId,
      path: loggablePath(req.path),
      origin: req.get("origin"),
    });
    res.status(403).type("text/plain").send("Cross-site request refused: the Origin does not match this site.");
  });

  app.use("/build", express.static(`${PUBLIC_DIR}/build`, { immutable: true, maxAge: "1y" }));
  // Not for /v1: looking for a file first costs every API request a filesystem call, and no
  // public file lives under /v1.
  const publicFiles = express.static(PUBLIC_DIR, { maxAge: "1h" });
  app.use((req, res, next) => (req.path.startsWith("/v1/") ? next() : publicFiles(req, res, next)));

  // app.use, not app.all("*"): Express would decode the path as a route parameter and answer a
  // malformed escape (/v1/credits/%) with its own HTML error instead of ours.
  app.use(
    remixHandler({
      build,
      getLoadContext: (req, res): RequestContext => ({
        correlationId: res.locals.correlationId as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        cspNonce: res.locals.cspNonce as string,
      }),
    }),
  );
  app.use(finalErrorHandler);
  return app;
}

/** Listens like app.listen, with the server's own answers to malformed requests (http-guards.ts). */
export function listen(app: express.Express, port: number, host: string, onListening?: () => void): Server {
  const server = app.listen(port, host, onListening);
  answerClientErrors(server);
  return server;
}
