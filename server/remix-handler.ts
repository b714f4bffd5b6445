// Remix behind Express, as @remix-run/express does it, with two differences:
//   - the request body reaches Remix through a counter: past the route's limit (a chunked body
//     declares no length) the stream fails and the answer is a 413 problem, whatever the route
//     made of the failed read;
//   - a response that says nothing about caching is `Cache-Control: no-store`: staff and customer
//     pages (and their data requests) are never kept by a browser or a proxy;
//   - with a read replica (DATABASE_READ_URL), a page's reads may go to it, except right after this
//     browser's own action until the replica has caught up (docs/decisions/045); /v1 never does.
import { Transform } from "node:stream";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import type { RequestContext } from "../app/platform/request-context";
import { afterStaffWrite, replicaReadsFor, type ReplicaReads } from "../app/platform/read-replica.server";
import { responseText } from "../app/platform/response-text";
import { withReplicaReads, type ReadsStore } from "../db/client";
import { apiDispatcher } from "./api-dispatch";
import { bodyLimitFor, describeBytes, sendProblem } from "./http-guards";

/** The error a body past its limit fails with (the name is what app/entry.server.tsx recognises). */
class BodyTooLarge extends Error {
  override name = "BodyTooLarge";
}

function remixHeaders(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value) headers.set(name, value);
  }
  return headers;
}

async function sendResponse(res: ExpressResponse, response: Response, cookies: string[] = []): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // append, not set: several Set-Cookie headers stay several. The server's own cookies come after
  // the page's (a session cookie stays the first).
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  for (const cookie of cookies) res.append("Set-Cookie", cookie);
  if (!response.headers.has("Cache-Control")) res.setHeader("Cache-Control", "no-store");
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  const text = responseText(response);
  if (text !== undefined) res.end(text);
  else if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The URL as the client asked for it (host and port as forwarded when TRUST_PROXY says so). */
function requestUrl(req: ExpressRequest): URL {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((value) => Number.parseInt(value ?? "", 10)).find(Number.isSafeInteger);
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
}

/**
 * A /v1 body read whole, as bytes, before its Request is made: /v1 bodies are small JSON (1 MiB at
 * most), and handing Remix a Node stream wrapped as a web ReadableStream cost the money path a few
 * percent of its CPU. Null when it passes the limit: the request is then answered 413 unread.
 */
async function wholeBody(req: ExpressRequest, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, seen);
}

function toRemixRequest(req: ExpressRequest, res: ExpressResponse, limit: number, body?: Buffer) {
  const state = { tooLarge: false };
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers: remixHeaders(req),
    signal: controller.signal,
  };
  if (body !== undefined) {
    if (body.length) init.body = new Uint8Array(body.buffer, body.byteOffset, body.length) as unknown as BodyInit;
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > limit) {
          state.tooLarge = true;
          done(new BodyTooLarge(`the body is over ${limit} bytes`));
        } else done(null, chunk);
      },
    });
    req.on("error", (error) => counter.destroy(error));
    init.body = createReadableStreamFromReadable(req.pipe(counter));
    init.duplex = "half";
  }
  // Abort loaders and actions once the answer can no longer be written (close without finish).
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return { request: new Request(requestUrl(req).href, init), state };
}

/**
 * The answer for a staff page whose read PGlite refused as too broad (docs/decisions/046): the
 * reason, as a 422 that the page's error boundary shows (a data request's thrown-response form).
 */
function tooBroad(request: Request, message: string): Response {
  const dataRequest = new URL(request.url).searchParams.has("_data");
  return new Response(message, {
    status: 422,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...(dataRequest && { "X-Remix-Catch": "yes" }) },
  });
}

export function remixHandler(options: {
  build: ServerBuild;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => RequestContext;
}): RequestHandler {
  // Always production: development mode would send stack traces to browsers.
  const handle = createRequestHandler(options.build, "production");
  const dispatchApi = apiDispatcher(options.build);
  return async (req, res, next) => {
    try {
      const limit = bodyLimitFor(req.path);
      // API clients read their own writes from the primary (API.md); staff pages may read a
      // replica, and on PGlite their reads are bounded (docs/decisions/045, 046).
      const staff = !req.path.startsWith("/v1/");
      let body: Buffer | undefined;
      if (!staff && req.method !== "GET" && req.method !== "HEAD") {
        const whole = await wholeBody(req, limit);
        if (whole === null) {
          res.setHeader("Connection", "close");
          sendProblem(req, res, 413, `The request body is larger than ${describeBytes(limit)}`);
          return;
        }
        body = whole;
      }
      const { request, state } = toRemixRequest(req, res, limit, body);
      const context = options.getLoadContext(req, res);
      const page = staff && (req.method === "GET" || req.method === "HEAD");
      const reads: ReplicaReads | undefined = page ? await replicaReadsFor(request) : undefined;
      const respond = async (store?: ReadsStore) => {
        let response = await ((!staff && dispatchApi(request, context)) || handle(request, context));
        if (store?.refused && response.status >= 500) response = tooBroad(request, store.refused);
        const readAfter = staff ? await afterStaffWrite(request) : undefined;
        if (state.tooLarge) {
          await response.body?.cancel();
          if (!res.headersSent) sendProblem(req, res, 413, `The request body is larger than ${describeBytes(limit)}`);
          return;
        }
        await sendResponse(
          res,
          response,
          [reads?.setCookie, readAfter].filter((cookie) => cookie !== undefined),
        );
      };
      // The whole answer inside: a streamed CSV export reads its batches while the body is sent.
      await (reads ? withReplicaReads(reads.replica, respond) : respond());
    } catch (error) {
      next(error);
    }
  };
}
