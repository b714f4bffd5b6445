// An API client of the test server: created through the same service as the CLI, and a small
// fetch wrapper that sends the headers every /v1 request needs.
import { and, eq } from "drizzle-orm";
import { createApiClient, type NewApiClient } from "../../app/services/admin/api-clients.server";
import { withDatabase } from "../../app/platform/db.server";
import { systemCaller } from "./use-case";
import { operationLog } from "../../db/schema";
import type { Operation } from "../../app/domain/enums";
import type { TestServer } from "./server";

export type TestClient = {
  clientId: string;
  organisationId: number;
  token: string;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResult>;
  get(path: string, headers?: Record<string, string>): Promise<ApiResult>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
};

export type ApiResult = { status: number; headers: Headers; body: any };

let counter = 0;

export async function createClient(server: TestServer, input: Partial<NewApiClient> = {}): Promise<TestClient> {
  counter += 1;
  const created = await withDatabase(server.database, () =>
    createApiClient(systemCaller(), {
      name: `Test client ${counter}`,
      organisationId: 100 + counter,
      channels: ["web", "app"],
      rateLimitPerMinute: 100_000,
      ...input,
    }),
  );
  const request: TestClient["request"] = async (method, path, options = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${created.token}`,
        "ET-Client-Name": "paydesk-tests",
        ...(options.body !== undefined || options.raw !== undefined ? { "Content-Type": "application/json" } : {}),
        ...options.headers,
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    return { status: response.status, headers: response.headers, body: await readBody(response) };
  };
  return {
    ...created,
    request,
    get: (path, headers) => request("GET", path, { headers }),
    post: (path, body, headers) => request("POST", path, { body, headers }),
    put: (path, body, headers) => request("PUT", path, { body, headers }),
    patch: (path, body, headers) => request("PATCH", path, { body, headers }),
  };
}

/** Creates a payment with one transaction of the given type and returns both ids. */
export async function paymentWithTransaction(
  client: TestClient,
  totalAmount = "100.00",
  paymentType = "VISA",
  extra: Record<string, unknown> = {},
): Promise<{ paymentId: number; transactionId: number; body: any }> {
  const result = await client.post("/v1/payments", { totalAmount, transaction: { paymentType }, ...extra });
  if (result.status !== 201) throw new Error(`create payment: ${result.status} ${JSON.stringify(result.body)}`);
  return {
    paymentId: result.body.paymentId,
    transactionId: result.body.transactions[0].transactionId,
    body: result.body,
  };
}

/** A captured card transaction: created, pre-authorized, captured. */
export async function capturedCardPayment(
  client: TestClient,
  totalAmount = "100.00",
  extra: Record<string, unknown> = {},
) {
  const created = await paymentWithTransaction(client, totalAmount, "VISA", extra);
  const base = `/v1/payments/${created.paymentId}/transactions/${created.transactionId}`;
  const authorized = await client.post(`${base}/authorize`, { totalAmount });
  if (authorized.status !== 200) throw new Error(`authorize: ${authorized.status} ${JSON.stringify(authorized.body)}`);
  const captured = await client.put(`${base}/capture`);
  if (captured.status !== 200) throw new Error(`capture: ${captured.status} ${JSON.stringify(captured.body)}`);
  return { ...created, base };
}

export function expectProblem(result: ApiResult, status: number, field?: string) {
  const where = `${result.status} ${JSON.stringify(result.body)}`;
  if (result.status !== status) throw new Error(`expected ${status}, got ${where}`);
  if (!result.headers.get("content-type")?.startsWith("application/problem+json"))
    throw new Error(`not problem+json: ${where}`);
  for (const key of ["type", "title", "status", "detail", "instance", "correlationId"]) {
    if (!(key in result.body)) throw new Error(`problem lacks ${key}: ${where}`);
  }
  if (field && !result.body.errors?.some((e: { field: string }) => e.field === field)) {
    throw new Error(`problem does not name ${field}: ${where}`);
  }
}

/** The operation-log entries of one transaction with one operation, read from the database. */
export function operationsNamed(server: TestServer, transactionId: number, operation: Operation) {
  return server.database.db
    .select()
    .from(operationLog)
    .where(and(eq(operationLog.transactionId, transactionId), eq(operationLog.operation, operation)));
}

/** An answer's body: its JSON, or its text where it is not JSON (null where it is empty). */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
