// The HTTP server in front of Remix: correlation ids, access logs, the CSRF origin check,
// security headers and static assets. Everything else is a Remix route.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { isOriginAllowed } from "../app/auth/origin";
import type { RequestContext } from "../app/lib/context";
import { logger } from "../app/lib/logger.server";

const PUBLIC_DIR = fileURLToPath(new URL("../public", import.meta.url));

/** A client's correlation id is kept if it is a sane token; otherwise we make one. */
export function acceptCorrelationId(value: string | undefined): string {
  if (value && /^[A-Za-z0-9._:\-]{1,128}$/.test(value)) return value;
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
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      if (req.path.startsWith("/build/")) return;
      logger.info("request", {
        correlationId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
      });
    });
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
      path: req.path,
      origin: req.get("origin"),
    });
    res.status(403).type("text/plain").send("Cross-site request refused: the Origin does not match this site.");
  });

  app.use("/build", express.static(`${PUBLIC_DIR}/build`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(PUBLIC_DIR, { maxAge: "1h" }));

  app.all(
    "*",
    createRequestHandler({
      build,
      // Development mode would send stack traces to browsers; only an explicit opt-in gets it.
      mode: process.env.NODE_ENV === "development" ? "development" : "production",
      getLoadContext: (req, res): RequestContext => ({
        correlationId: res.locals.correlationId as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );
  return app;
}
