// GET /v1/openapi.json: a public OpenAPI 3.1 document that names every /v1 route file, and
// response schemas that real responses of the API satisfy exactly (no field more, none less).
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  Credit,
  CreditPage,
  Payment,
  PaymentMethod,
  PaymentPage,
  Problem,
  Transaction,
  type CreditJson,
  type PaymentJson,
  type ProblemJson,
  type TransactionJson,
} from "../../app/http/api/response-schemas";
import type {
  creditJson,
  operationJson,
  paymentJson,
  paymentMethodJson,
  transactionJson,
} from "../../app/http/api/serialize";
import { PAYMENT_SEARCH_FIELDS } from "../../app/services/queries/payment-search.server";
import { expectProblem, type ApiResult } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";

// Compile-time half of the drift check: the response schemas name exactly the keys serialize.ts
// renders (npx tsc --noEmit fails otherwise). The runtime half below checks values too.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { differs: [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] };
const sameKeys: [
  SameKeys<PaymentJson, ReturnType<typeof paymentJson>>,
  SameKeys<TransactionJson, ReturnType<typeof transactionJson>>,
  SameKeys<TransactionJson["summary"], ReturnType<typeof transactionJson>["summary"]>,
  SameKeys<TransactionJson["operationLog"][number], ReturnType<typeof operationJson>>,
  SameKeys<z.infer<typeof PaymentMethod>, ReturnType<typeof paymentMethodJson>>,
  SameKeys<CreditJson, ReturnType<typeof creditJson>>,
  SameKeys<CreditJson["creditTransactions"][number], ReturnType<typeof creditJson>["creditTransactions"][number]>,
] = [true, true, true, true, true, true, true];
void sameKeys;

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
  security?: unknown[];
};
type Operation = {
  operationId: string;
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
};
type Parameter = { name: string; in: string; required?: boolean; explode?: boolean; schema: Record<string, unknown> };

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const server = useTestServer();
const client = useApiClient(server, { organisationId: 801, channels: ["web", "app"] });
const privileged = useApiClient(server, { organisationId: 802, privileged: true });
let doc: Doc;
let response: Response;

beforeAll(async () => {
  response = await fetch(`${server.url}/v1/openapi.json`);
  doc = (await response.json()) as Doc;
});

/** app/routes/v1.*.ts → "/v1/…" with {params}; the splat (v1.$.ts) answers unknown paths and is no route. */
function routeFilePaths(): string[] {
  const dir = fileURLToPath(new URL("../../app/routes/", import.meta.url));
  const paths: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const name = entry.isDirectory() ? entry.name : entry.name.replace(/\.(ts|tsx|js|jsx)$/, "");
    if (!entry.isDirectory() && name === entry.name) continue;
    if (!name.startsWith("v1.") || name.endsWith(".test")) continue;
    const segments = name
      .replace(/\[\.\]/g, "\u0000")
      .split(".")
      .map((segment) => segment.replace(/\u0000/g, ".").replace(/^\[(.*)\]$/, "$1"))
      .filter((segment) => segment !== "_index" && !segment.startsWith("_"));
    if (segments.at(-1) === "$") continue;
    paths.push("/" + segments.map((s) => (s.startsWith("$") ? `{${s.slice(1)}}` : s)).join("/"));
  }
  return paths.sort();
}

function resolve(pointer: string): unknown {
  if (!pointer.startsWith("#/")) throw new Error(`not a local $ref: ${pointer}`);
  let node: unknown = doc;
  for (const part of pointer.slice(2).split("/")) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

function parameters(operation: Operation): Parameter[] {
  return (operation.parameters ?? []).map((p) => ("$ref" in p ? (resolve(p.$ref) as Parameter) : p));
}

function operations(): { path: string; method: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

/** Parses a real response body with a strict response schema, naming every mismatch. */
function expectShape<T extends z.ZodType>(schema: T, result: ApiResult | unknown, what: string): z.output<T> {
  const body =
    result && typeof result === "object" && "headers" in result && "body" in result
      ? (result as ApiResult).body
      : result;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(
      `${what} does not match its response schema:\n${JSON.stringify(parsed.error.issues, null, 2)}\nbody: ${JSON.stringify(body)}`,
    );
  }
  return parsed.data;
}

describe("GET /v1/openapi.json", () => {
  it("is public JSON: no token and no ET-Client-Name needed", async () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json\b/);
    expect(response.headers.get("x-correlation-id")).toBeTruthy();
    const withGarbageToken = await fetch(`${server.url}/v1/openapi.json`, {
      headers: { Authorization: "Bearer nonsense" },
    });
    expect(withGarbageToken.status).toBe(200);
    // Built once and cached: the same document every time.
    expect(await withGarbageToken.json()).toEqual(doc);
  });

  it("answers other methods with a problem 405", async () => {
    const result = await client.post("/v1/openapi.json", {});
    expectProblem(result, 405);
    expect(result.headers.get("allow")).toBe("GET");
  });

  it("looks like OpenAPI 3.1 with bearer security", () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/v1/openapi.json"].get.security).toEqual([]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, operation } of operations()) {
      expect(path, `${method} ${path}`).toMatch(/^\/v1\//);
      expect(Object.keys(operation.responses).length, `${method} ${path} has responses`).toBeGreaterThan(0);
    }
  });

  it("documents every route file under app/routes/v1.*", () => {
    const files = routeFilePaths();
    expect(files.length).toBeGreaterThan(10);
    const documented = Object.keys(doc.paths).sort();
    const undocumented = files.filter((path) => !documented.includes(path));
    expect(undocumented, "route files without documentation").toEqual([]);
    const phantom = documented.filter((path) => !files.includes(path));
    expect(phantom, "documented paths without a route file").toEqual([]);
  });

  it("documents exactly the methods each route answers (its 405 Allow header)", async () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const concrete = path.replace(/\{[^}]+\}/g, "1");
      const probe = await fetch(`${server.url}${concrete}`, { method: "DELETE" });
      const documented = Object.keys(item)
        .filter((m) => HTTP_METHODS.includes(m))
        .map((m) => m.toUpperCase())
        .sort();
      if (documented.includes("DELETE")) {
        expect(probe.status, `DELETE ${path}`).not.toBe(405);
        continue;
      }
      expect(probe.status, `DELETE ${path}`).toBe(405);
      const allowed = (probe.headers.get("allow") ?? "")
        .split(",")
        .map((m) => m.trim())
        .filter(Boolean)
        .sort();
      expect(documented, `methods of ${path}`).toEqual(allowed);
    }
  });

  it("resolves every $ref", () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (key === "$ref" && typeof value === "string") refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const pointer of refs) expect(resolve(pointer), pointer).toBeDefined();
  });

  it("declares headers, integer path ids, request bodies and problem+json errors per operation", () => {
    for (const { path, method, operation } of operations()) {
      if (path === "/v1/openapi.json") continue;
      const where = `${method.toUpperCase()} ${path}`;
      const params = parameters(operation);
      const named = (name: string, place: string) => params.find((p) => p.name === name && p.in === place);
      expect(named("ET-Client-Name", "header")?.required, `${where} ET-Client-Name`).toBe(true);
      for (const header of ["X-Correlation-Id", "Entur-POS", "Entur-Distribution-Channel", "Entur-On-Behalf-Of"]) {
        expect(named(header, "header"), `${where} ${header}`).toBeDefined();
      }
      expect(Boolean(named("Idempotency-Key", "header")), `${where} Idempotency-Key`).toBe(
        method === "post" || method === "put",
      );
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        const param = named(name, "path");
        expect(param?.required, `${where} path ${name}`).toBe(true);
        // The /v1 contract: agreementId and invoiceId are strings, every other id a JSON integer; self-service's
        // product code is the other string in a path (at most 12 characters).
        if (name === "product")
          expect(param?.schema, `${where} path ${name}`).toMatchObject({ type: "string", maxLength: 12 });
        else
          expect(param?.schema.type, `${where} path ${name}`).toBe(
            name === "agreementId" || name === "invoiceId" ? "string" : "integer",
          );
      }
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${where} has a success response`,
      ).toBe(true);
      for (const status of ["400", "401"]) expect(statuses, `${where} documents ${status}`).toContain(status);
      if (path.includes("{")) expect(statuses, `${where} documents 404`).toContain("404");
      for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
        expect(Object.keys(operation.responses[status].content ?? {}), `${where} ${status}`).toEqual([
          "application/problem+json",
        ]);
        expect(operation.responses[status].content!["application/problem+json"].schema).toEqual({
          $ref: "#/components/schemas/Problem",
        });
      }
      if (method === "post" && !path.endsWith("/credit")) expect(operation.requestBody, `${where} body`).toBeDefined();
    }
    expect(Object.keys(doc.paths["/v1/payments/{paymentId}"].patch.requestBody!.content)).toContain(
      "application/merge-patch+json",
    );
  });

  it("documents 503 with Retry-After everywhere, PROVIDER_UNAVAILABLE where the provider is asked, and 409 RESOURCE_BUSY", () => {
    // The operations whose use-case asks the payment provider (claim → ask → settle).
    const askingTheProvider = [
      "authorizeTransaction",
      "captureTransaction",
      "cancelTransaction",
      "creditTransaction",
      "deactivatePayment",
      "executeCredit",
      "createTerminal",
      "createAppClaim",
      "registerWalletPayment",
    ];
    const documented = operations().map(({ operation }) => operation.operationId);
    expect(documented).toEqual(expect.arrayContaining(askingTheProvider));
    for (const { path, method, operation } of operations()) {
      if (path === "/v1/openapi.json") continue;
      const where = `${method.toUpperCase()} ${path}`;
      // Every operation reads the database (the token, the rate limit), so each may answer 503.
      const unavailable = operation.responses["503"] as
        { description: string; headers?: Record<string, { $ref: string }> } | undefined;
      expect(unavailable, `${where} documents 503`).toBeDefined();
      expect(unavailable!.headers?.["Retry-After"], `${where} 503 Retry-After`).toEqual({
        $ref: "#/components/headers/RetryAfter",
      });
      expect(unavailable!.description, `${where} 503`).toContain("database");
      expect(unavailable!.description.includes("PROVIDER_UNAVAILABLE"), `${where} 503 PROVIDER_UNAVAILABLE`).toBe(
        askingTheProvider.includes(operation.operationId),
      );
      // A POST or PUT waits for nobody: its Idempotency-Key (or the provider operation on its
      // transaction) still in progress answers 409 RESOURCE_BUSY at once.
      if (method === "post" || method === "put") {
        expect(operation.responses["409"]?.description, `${where} 409`).toContain("RESOURCE_BUSY");
      }
    }
    // A new total waits for no authorization in flight on the payment either.
    expect(doc.paths["/v1/payments/{paymentId}"].patch.responses["409"].description).toContain("RESOURCE_BUSY");
    const problem = doc.components.schemas.Problem as { properties: { errorReason: { enum: string[] } } };
    expect(problem.properties.errorReason.enum).toEqual(
      expect.arrayContaining(["RESOURCE_BUSY", "PROVIDER_UNAVAILABLE"]),
    );
  });

  it("takes the search parameters from PAYMENT_SEARCH_FIELDS, with the op:value grammar", () => {
    const search = doc.paths["/v1/payments"].get;
    const query = parameters(search).filter((p) => p.in === "query");
    expect(query.map((p) => p.name).sort()).toEqual(
      [...Object.keys(PAYMENT_SEARCH_FIELDS), "page", "perPage", "exactTotal", "after"].sort(),
    );
    // exactTotal is a boolean, after a previous page's nextCursor (decision 058); the rest are filters.
    expect(query.find((p) => p.name === "exactTotal")!.schema).toMatchObject({ type: "boolean", default: false });
    expect(query.find((p) => p.name === "after")!.schema).toMatchObject({ type: "string" });
    const pageSchema = doc.components.schemas.PaymentPage as { properties: Record<string, unknown> };
    expect(pageSchema.properties.nextCursor).toBeDefined();
    for (const param of query.filter((p) => !["page", "perPage", "exactTotal", "after"].includes(p.name))) {
      expect(param.explode, param.name).toBe(true);
      expect((param.schema.items as { type: string }).type, param.name).toBe("string");
      expect((param as Parameter & { description: string }).description).toContain("op:value");
    }
    const status = query.find((p) => p.name === "status")!;
    const pattern = new RegExp((status.schema.items as { pattern: string }).pattern);
    expect(pattern.test("CAPTURED")).toBe(true);
    expect(pattern.test("ne:CANCELLED")).toBe(true);
    expect(pattern.test("gt:CAPTURED")).toBe(false);
    expect(pattern.test("BOGUS")).toBe(false);
  });

  it("describes request bodies with the zod request schemas (input side of transforms)", () => {
    const schemas = doc.components.schemas as Record<
      string,
      { properties: Record<string, any>; required?: string[]; additionalProperties?: boolean }
    >;
    const create = schemas.CreatePaymentRequest;
    expect(create.required).toEqual(["totalAmount"]);
    expect(create.properties.totalAmount).toMatchObject({ type: "string", pattern: expect.stringContaining("[0-9]") });
    expect(JSON.stringify(create.properties.transaction)).toContain("#/components/schemas/NewTransactionRequest");
    expect(schemas.PaymentPatchRequest.additionalProperties).toBe(false);
    expect(schemas.ImportRequest.properties.transactionConfirmedAt).toMatchObject({
      type: "string",
      format: "date-time",
    });
    expect(schemas.Payment.additionalProperties).toBe(false);
    expect(schemas.Problem.required).toEqual(["type", "title", "status", "detail", "instance", "correlationId"]);
  });
});

describe("real responses match the response schemas", () => {
  const headers = { "Entur-POS": "kiosk-1", "Entur-Distribution-Channel": "web", "X-Correlation-Id": "drift-check-1" };

  it("through create, authorize, capture, credit, search and payment methods", async () => {
    const created = await client.post(
      "/v1/payments",
      {
        orderId: "DRIFT-1",
        orderVersion: 1,
        totalAmount: "150.5",
        settlementId: "S-1",
        transaction: { paymentType: "VISA" },
      },
      headers,
    );
    expect(created.status).toBe(201);
    const payment = expectShape(Payment, created, "POST /v1/payments");
    const paymentId = payment.paymentId;
    const transactionId = payment.transactions[0].transactionId;
    const base = `/v1/payments/${paymentId}/transactions/${transactionId}`;

    const authorized = await client.post(`${base}/authorize`, { totalAmount: "150.50" }, headers);
    expect(authorized.status).toBe(200);
    expect(expectShape(Transaction, authorized, "authorize").status).toBe("AUTHORIZED");

    const captured = await client.put(`${base}/capture`, undefined, headers);
    expect(captured.status).toBe(200);
    const afterCapture = expectShape(Payment, captured, "capture");
    expect(afterCapture.transactions[0].operationLog.map((e) => e.operation)).toEqual([
      "CREATE",
      "AUTHORIZE",
      "CAPTURE",
    ]);
    expect(afterCapture.transactions[0].operationLog[2]).toMatchObject({
      pos: "kiosk-1",
      distributionChannel: "web",
      correlationId: "drift-check-1",
    });

    expectShape(Payment, await client.get(`/v1/payments/${paymentId}`), "GET payment");
    expectShape(Transaction, await client.get(base), "GET transaction");

    const credited = await client.post(`${base}/credit`, { amount: "50.25" }, headers);
    expect(credited.status).toBe(201);
    expect(expectShape(Payment, credited, "credit").transactions[0].summary.creditedAmount).toBe("50.25");

    const added = await client.post(`/v1/payments/${paymentId}/transactions`, {
      paymentType: "CASH",
      amount: "0.12345",
    });
    // The payment's total is taken by the captured card transaction: a business-rule problem.
    expectShape(Problem, added, "add over total");

    const patched = await client.patch(`/v1/payments/${paymentId}`, { totalAmount: "200.00", settlementId: null });
    expect(patched.status).toBe(200);
    expect(expectShape(Payment, patched, "PATCH").settlementId).toBeNull();
    const cash = await client.post(`/v1/payments/${paymentId}/transactions`, {
      paymentType: "CASH",
      amount: "0.12345",
    });
    expect(cash.status).toBe(201);
    expectShape(Transaction, cash, "add transaction");
    const cancelled = await client.put(`/v1/payments/${paymentId}/transactions/${cash.body.transactionId}/cancel`);
    expect(expectShape(Transaction, cancelled, "cancel").status).toBe("CANCELLED");

    const search = await client.get(`/v1/payments?orderId=DRIFT-1&perPage=5`);
    expect(expectShape(PaymentPage, search, "search").items).toHaveLength(1);
    const methods = await client.get("/v1/payment-methods", { "Entur-Distribution-Channel": "web" });
    expect(methods.status).toBe(200);
    expect(expectShape(PaymentMethod.array(), methods, "payment methods").length).toBeGreaterThan(0);

    const deactivated = await client.put(`/v1/payments/${paymentId}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(expectShape(Payment, deactivated, "deactivate").active).toBe(false);
  });

  it("for an imported transaction (importData, null paymentType before import)", async () => {
    const created = await privileged.post("/v1/payments", { totalAmount: "42.00", customerNumber: "1234567" });
    expectShape(Payment, created, "create without transaction");
    const added = await privileged.post(`/v1/payments/${created.body.paymentId}/transactions`, {
      paymentTypeGroup: "PAYMENTCARD",
      isImport: true,
    });
    expect(added.status).toBe(201);
    expectShape(Transaction, added, "add import transaction");
    const imported = await privileged.post(
      `/v1/payments/${created.body.paymentId}/transactions/${added.body.transactionId}/import`,
      {
        transactionConfirmedAt: "2026-11-20T12:00:00Z",
        rrn: "123456789012",
        terminalId: "T-1",
        paymentType: "Visa",
        envNetworkId: "123456",
        additionalData: { note: "x" },
      },
    );
    expect(imported.status).toBe(201);
    expect(expectShape(Transaction, imported, "import").importData).toMatchObject({ issuer: "Visa" });
  });

  it("through a credit: create, get, patch, execute, search", async () => {
    const created = await client.post("/v1/payments", {
      totalAmount: "80.00",
      transaction: { paymentType: "MASTERCARD" },
    });
    const base = `/v1/payments/${created.body.paymentId}/transactions/${created.body.transactions[0].transactionId}`;
    expect((await client.post(`${base}/authorize`, { totalAmount: "80.00" })).status).toBe(200);
    expect((await client.put(`${base}/capture`)).status).toBe(200);
    const line = { paymentId: created.body.paymentId, transactionId: created.body.transactions[0].transactionId };
    const credit = await client.post("/v1/credits", {
      orderId: "DRIFT-CR",
      totalCreditAmount: "30.00",
      creditTransactions: [{ ...line, amount: "30.00" }],
    });
    expect(credit.status).toBe(201);
    const creditId = expectShape(Credit, credit, "POST /v1/credits").creditId;
    expectShape(Credit, await client.get(`/v1/credits/${creditId}`), "GET credit");
    const patched = await client.patch(`/v1/credits/${creditId}`, {
      totalCreditAmount: "20.00",
      creditTransactions: [{ ...line, amount: "20.00" }],
      settlementId: "CR-S",
    });
    expect(patched.status).toBe(200);
    expectShape(Credit, patched, "PATCH credit");
    const executed = await client.put(`/v1/credits/${creditId}/execute`);
    expect(executed.status).toBe(200);
    const done = expectShape(Credit, executed, "execute");
    expect(done.status).toBe("CREDITED");
    expect(done.creditTransactions[0].creditedAt).not.toBeNull();
    const search = await client.get("/v1/credits?orderId=DRIFT-CR");
    expect(expectShape(CreditPage, search, "credit search").items).toHaveLength(1);
  });

  it("for problems of every kind", async () => {
    const problems: [string, ApiResult][] = [
      ["400 body", await client.post("/v1/payments", { totalAmount: 1 })],
      ["400 query", await client.get("/v1/payments?bogus=1")],
      ["400 header", await client.request("GET", "/v1/payments", { headers: { "ET-Client-Name": " " } })],
      ["401", await client.request("GET", "/v1/payments", { headers: { Authorization: "Bearer not-a-real-token" } })],
      ["403", await client.get("/v1/payments", { "Entur-On-Behalf-Of": "1" })],
      ["404", await client.get("/v1/payments/999999999")],
      ["404 splat", await client.get("/v1/nowhere")],
      ["405", await client.request("DELETE", "/v1/payments")],
    ];
    for (const [what, result] of problems) {
      const problem = expectShape(Problem, result, what) as ProblemJson;
      expect(result.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
      expect(problem.status, what).toBe(result.status);
    }
    // A state conflict: capturing twice.
    const created = await client.post("/v1/payments", { totalAmount: "5.00", transaction: { paymentType: "CASH" } });
    const capture = `/v1/payments/${created.body.paymentId}/transactions/${created.body.transactions[0].transactionId}/capture`;
    expect((await client.put(capture)).status).toBe(200);
    const again = await client.put(capture);
    expect(again.status).toBe(409);
    expectShape(Problem, again, "409");
  });
});
