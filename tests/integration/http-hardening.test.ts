// What the HTTP server does before any route, over real sockets: the Content-Security-Policy with
// a nonce that every inline script of a page carries, no framing, HSTS with Secure cookies,
// no-store on staff and customer pages, body limits checked before the body is read (also for
// a chunked body and without a session), 415 for a /v1 body that is not JSON, 405 and 431 as
// problems, and never a stack trace.
import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { createClient } from "../support/api";
import { useStaffSession, useTestServer } from "../support/fixtures-http";
import { getPage } from "../support/staff";

const server = useTestServer();
const support = useStaffSession(server, "support");

const port = () => Number(new URL(server.url).port);

/** A raw HTTP/1.1 exchange: what the server answers to exactly these bytes (it closes after). */
function rawExchange(request: string | Buffer, options: { endAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port(), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("utf8")));
    socket.on("end", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.on("error", (error) => (answer ? resolve(answer) : reject(error)));
    socket.write(request);
    if (options.endAfterWrite) socket.end();
  });
}

/**
 * Sends headers that announce `declaredBytes` of body and then nothing: an answer proves the
 * server decided without reading the body.
 */
function announceBody(path: string, declaredBytes: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: port(),
        path,
        method: "POST",
        headers: {
          "Content-Length": String(declaredBytes),
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: server.url,
          ...headers,
        },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.flushHeaders();
  });
}

/** Streams `bytes` of body in chunks without a Content-Length (Transfer-Encoding: chunked). */
function chunkedPost(path: string, bytes: number, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: port(), path, method: "POST", headers: { Origin: server.url, ...headers } },
      (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    request.on("error", (error) =>
      error.message.includes("EPIPE") || error.message.includes("ECONNRESET") ? undefined : reject(error),
    );
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!request.write(chunk)) return request.once("drain", pump);
      }
      request.end();
    };
    pump();
  });
}

function expectProblemBody(body: string, status: number) {
  const problem = JSON.parse(body);
  expect(problem).toMatchObject({ status });
  expect(body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return problem;
}

describe("Content-Security-Policy", () => {
  it("gives every page a fresh nonce, and every inline script on the page carries it", async () => {
    const nonces = new Set<string>();
    for (const [path, cookie] of [
      ["/login", undefined],
      ["/", support.cookie],
      ["/payments", support.cookie],
      ["/account/login", undefined],
    ] as const) {
      const response = await getPage(server, path, cookie);
      expect(response.status, path).toBe(200);
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
      expect(nonce, `${path}: ${policy}`).toBeTruthy();
      nonces.add(nonce!);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("base-uri 'none'");
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const attributes of scripts) {
        // Inline scripts need the nonce; scripts with src are from this origin anyway.
        if (!/\bsrc=/.test(attributes))
          expect(attributes, `${path}: <script${attributes}>`).toContain(`nonce="${nonce}"`);
      }
    }
    expect(nonces.size).toBe(4);
  });

  it("sends HSTS only when cookies are Secure", async () => {
    expect((await getPage(server, "/login")).headers.get("strict-transport-security")).toBeNull();
    process.env.PAYDESK_COOKIE_SECURE = "true";
    try {
      const response = await getPage(server, "/login");
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      delete process.env.PAYDESK_COOKIE_SECURE;
    }
  });
});

describe("caching", () => {
  it("keeps staff pages, their data, customer pages and the API out of every cache; static files may be cached", async () => {
    const client = await createClient(server);
    const answers = {
      "/login": await getPage(server, "/login"),
      "/ (staff)": await getPage(server, "/", support.cookie),
      "/payments?_data": await getPage(server, "/payments?_data=routes%2F_staff.payments._index", support.cookie),
      "/account/login": await getPage(server, "/account/login"),
      "/v1/payments": await client.get("/v1/payments"),
      "/v1/no-such (404)": await client.get("/v1/no-such"),
    };
    for (const [what, response] of Object.entries(answers)) {
      expect(response.headers.get("cache-control"), what).toBe("no-store");
    }
    expect((await getPage(server, "/favicon.svg")).headers.get("cache-control")).toMatch(/max-age=\d+/);
  });
});

describe("body limits, before the body is read", () => {
  it.each([
    ["/login", 10 * 1024 * 1024],
    ["/logout", 20 * 1024 * 1024],
    ["/payments/1", 50 * 1024 * 1024],
    ["/account/login", 10 * 1024 * 1024],
    ["/v1/payments", 2 * 1024 * 1024],
  ])(
    "answers a declared %s body of %i bytes with a 413 problem without a session and without reading it",
    async (path, bytes) => {
      const answer = await announceBody(path, bytes);
      expect(answer.status).toBe(413);
      expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(answer.headers.connection).toBe("close");
      expectProblemBody(answer.body, 413);
    },
  );

  it("cuts off a chunked body at the limit: 413, for a form and for the API", async () => {
    const form = await chunkedPost("/login", 1024 * 1024, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(413);
    expectProblemBody(form.body, 413);
    const client = await createClient(server);
    const api = await chunkedPost("/v1/payments", 3 * 1024 * 1024, {
      "Content-Type": "application/json",
      Authorization: `Bearer ${client.token}`,
      "ET-Client-Name": "test-chunked",
    });
    expect(api.status).toBe(413);
    expectProblemBody(api.body, 413);
  });

  it("still takes a form of ordinary size", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new URLSearchParams({ email: "nobody@staff.test", password: "x".repeat(100) }),
    });
    expect(response.status).toBe(401);
  });
});

describe("/v1 media types", () => {
  it("answers a body that is not JSON with 415 naming Content-Type, and takes JSON types with a charset", async () => {
    const client = await createClient(server);
    const headers = { Authorization: `Bearer ${client.token}`, "ET-Client-Name": "test-media" };
    const body = JSON.stringify({ totalAmount: "10.00", transaction: { paymentType: "VISA" } });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const response = await fetch(`${server.url}/v1/payments`, {
        method: "POST",
        headers: { ...headers, ...(type ? { "Content-Type": type } : {}) },
        body: type ? body : new Blob([body]),
      });
      expect(response.status, type).toBe(415);
      const problem = expectProblemBody(await response.text(), 415);
      expect(problem.errors).toEqual([{ field: "Content-Type", message: "must be application/json" }]);
    }
    for (const type of ["application/json; charset=utf-8", "application/JSON"]) {
      const response = await fetch(`${server.url}/v1/payments`, {
        method: "POST",
        headers: { ...headers, "Content-Type": type },
        body,
      });
      expect(response.status, type).toBe(201);
    }
    // A PUT without a body needs no type.
    const put = await fetch(`${server.url}/v1/payments/1/deactivate`, { method: "PUT", headers });
    expect(put.status).not.toBe(415);
  });
});

describe("methods, headers and errors", () => {
  it.each(["TRACE", "PROPFIND", "OPTIONS", "CONNECT_LIKE"])(
    "answers %s with a 405 problem naming the allowed methods",
    async (method) => {
      for (const path of ["/", "/login", "/v1/payments"]) {
        const verb = method === "CONNECT_LIKE" ? "MKCOL" : method;
        const answer = await rawExchange(`${verb} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        expect(answer, `${verb} ${path}`).toMatch(/^HTTP\/1\.1 405 /);
        expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE\r\n/i);
        expect(answer).toMatch(/\r\nContent-Type: application\/problem\+json/i);
        expectProblemBody(answer.slice(answer.indexOf("\r\n\r\n") + 4), 405);
      }
    },
  );

  it("answers headers over 16 KiB with a 431 problem", async () => {
    const answer = await rawExchange(
      `GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/\r\nContent-Type: application\/problem\+json/i);
    const problem = expectProblemBody(answer.slice(answer.indexOf("\r\n\r\n") + 4), 431);
    expect(problem.detail).toMatch(/headers are larger/);
  });

  it("answers a request that is not HTTP with a 400 problem", async () => {
    const answer = await rawExchange("this is not http\r\n\r\n", { endAfterWrite: true });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expectProblemBody(answer.slice(answer.indexOf("\r\n\r\n") + 4), 400);
  });
});
