// No card number is ever stored or logged, whoever types it where (docs/decisions/025). A card
// number goes into every free-text input there is, in three spellings (together, in groups with
// spaces, with dashes):
//   - /v1: every string in every request body of the OpenAPI document (walked, so a new field
//     cannot be forgotten), the recorded headers (ET-Client-Name, Entur-POS, X-Correlation-Id,
//     Idempotency-Key), path ids and search parameters;
//   - the staff forms: every text field of every action, and every action's reason; the
//     export, whose query is audited;
//   - the customer pages: /account's posted fields, the redirect pages' URLs, the card page's
//     holder name.
// Every refusal is a 400 naming the field. Then every text and json column of every table (both
// databases) and everything the server wrote to its log (at debug level) are scanned: no hit.
// The login forms too: a mistyped email is stored on the login throttling's counters and the
// browser's User-Agent on the staff session, both masked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customers, products } from "../../db/schema";
import { hashPassword } from "../../app/auth/password.server";
import { capturedCardPayment, paymentWithTransaction, type ApiResult, type TestClient } from "../support/api";
import { scanDatabase, scanText } from "../support/card-scan";
import { useApiClient, useStaffSession, useTestServer } from "../support/fixtures-http";
import { postStaffAction } from "../support/fixtures-staff";
import { createStaff, getPage, postForm, sessionCookieFrom } from "../support/staff";

const PAN = "4111111111111111";
/** What is typed: the number alone, in groups with spaces inside text, with dashes (another card). */
const SPELLINGS = [PAN, "Ref 4111 1111 1111 1111 please", "5105-1051-0510-5100"];
/** Every spelling of every number typed: none may appear anywhere, in any of them. */
const TYPED = [PAN, "4111 1111 1111 1111", "5105105105105100", "5105-1051-0510-5100"];
const SHOP = "https://shop.example/";
const CARD_MESSAGE = "must not contain a card number";

const server = useTestServer();
const client = useApiClient(server, {
  organisationId: 6601,
  privileged: true,
  allowedRedirectPrefixes: [SHOP],
});
const admin = useStaffSession(server, "admin");
/** The session cookie of the customer logged in at /account (made with the API's fixtures). */
let customerCookie = "";

// ---------------------------------------------------------------- the server's log, captured

let log = "";
const restore: Array<() => void> = [];
beforeAll(() => {
  const level = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = "debug";
  restore.push(() => (process.env.LOG_LEVEL = level));
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array) => {
      log += chunk.toString();
      return true;
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
});
afterAll(() => restore.splice(0).forEach((undo) => undo()));

/** Every refusal answered, for the report when one is missing. */
const refusals: string[] = [];

function expectRefused(where: string, result: { status: number; fields: string[] }, field: string) {
  refusals.push(`${where} ${field}`);
  expect(result.status, `${where}: ${field} (${result.fields.join(", ")})`).toBe(400);
  expect(result.fields, `${where}: ${field}`).toContain(field);
}

const problemFields = (result: ApiResult) => ({
  status: result.status,
  fields: ((result.body?.errors ?? []) as { field: string }[]).map((e) => e.field),
});

// ---------------------------------------------------------------- /v1

type Json = Record<string, any>;

/**
 * Every string of a request body schema: its path (as `errors[].field` names it) and the values
 * its branch needs to be chosen (a union's discriminator, e.g. pricing.type), path → value.
 */
type StringField = { field: string; with: Record<string, unknown> };

function stringFields(schema: Json, doc: Json, path = "", chosen: Record<string, unknown> = {}): StringField[] {
  if (schema.$ref) return stringFields(doc.components.schemas[schema.$ref.split("/").pop()], doc, path, chosen);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return branches.flatMap((branch: Json) => stringFields(branch, doc, path, chosen));
  if (schema.type === "string") return schema.const === undefined ? [{ field: path, with: chosen }] : [];
  if (schema.type === "array" && schema.items) return stringFields(schema.items, doc, `${path}[0]`, chosen);
  if (schema.type === "object" || schema.properties) {
    const at = (name: string) => (path ? `${path}.${name}` : name);
    const properties = Object.entries((schema.properties ?? {}) as Record<string, Json>);
    const discriminators = Object.fromEntries(
      properties.filter(([, p]) => p.const !== undefined).map(([name, p]) => [at(name), p.const]),
    );
    const inBranch = { ...chosen, ...discriminators };
    const fields = properties.flatMap(([name, property]) => stringFields(property, doc, at(name), inBranch));
    // A record of strings (the import's additionalData): a card number as a value.
    if (schema.additionalProperties?.type === "string") fields.push({ field: `${path}.note`, with: inBranch });
    return fields;
  }
  return [];
}

/** A body with `value` at each path ("a.b[0].c"). */
function bodyWith(values: Record<string, unknown>): Json {
  const body: Json = {};
  for (const [field, value] of Object.entries(values)) {
    const parts = field.split(/\.|(?=\[)/);
    let node: any = body;
    parts.forEach((part, index) => {
      const key = part.startsWith("[") ? 0 : part;
      if (index === parts.length - 1) node[key] = value;
      else node = node[key] ??= parts[index + 1].startsWith("[") ? [] : {};
    });
  }
  return body;
}

describe("a card number sent to the API", () => {
  let ids: Record<string, string>;
  let customerToken: string;

  beforeAll(async () => {
    const captured = await capturedCardPayment(client, "100.00", { customerNumber: "6601001" });
    const credit = await client.post("/v1/credits", {
      totalCreditAmount: "1.00",
      creditTransactions: [{ paymentId: captured.paymentId, transactionId: captured.transactionId, amount: "1.00" }],
    });
    const recurring = await client.post("/v1/recurring-payments", { customerNumber: "6601001", nickname: "Jobb" });
    ids = {
      paymentId: String(captured.paymentId),
      transactionId: String(captured.transactionId),
      creditId: String(credit.body.creditId),
      recurringPaymentId: String(recurring.body.recurringPaymentId),
      agreementId: "agr_unknown",
      product: "P6601",
      productCode: "P6601",
    };
    customerToken = await loggedInCustomerToken(client, "6601001");
  });

  it("is refused in every string of every request body, naming the field", async () => {
    const doc = (await client.get("/v1/openapi.json")).body as Json;
    let checked = 0;
    for (const [template, operations] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const content = operation.requestBody?.content;
        if (!content) continue;
        const schema = (content["application/json"] ?? Object.values(content)[0]).schema as Json;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]);
        for (const { field, with: chosen } of stringFields(schema, doc)) {
          for (const value of SPELLINGS) {
            const result = await client.request(method.toUpperCase(), path, {
              body: bodyWith({ ...chosen, [field]: value }),
              headers: { "Entur-Customer-Token": customerToken },
            });
            expectRefused(`${method.toUpperCase()} ${template}`, problemFields(result), field);
            checked += 1;
          }
        }
      }
    }
    // The walk found the fields the red team used (and many more).
    for (const field of ["orderId", "settlementId", "nickname", "productName", "rrn", "terminalId"])
      expect(
        refusals.some((r) => r.endsWith(` ${field}`)),
        field,
      ).toBe(true);
    expect(refusals).toContain("POST /v1/payments/{paymentId}/transactions/{transactionId}/import additionalData.note");
    expect(checked).toBeGreaterThan(150);
  });

  it("says which rule refused a free-text field, without repeating the number", async () => {
    const result = await client.post("/v1/payments", { totalAmount: "10.00", orderId: `ORDER ${PAN}` });
    expect(result.body.errors).toEqual([{ field: "orderId", message: CARD_MESSAGE }]);
    expect(JSON.stringify(result.body)).not.toContain(PAN);
  });

  it("is refused in the recorded headers, and kept out of the correlation id and the stored Idempotency-Key", async () => {
    for (const header of ["ET-Client-Name", "Entur-POS"]) {
      for (const value of SPELLINGS) {
        const result = await client.post("/v1/payments", { totalAmount: "10.00" }, { [header]: value });
        expectRefused("header", problemFields(result), header);
      }
    }
    const traced = await client.post("/v1/payments", { totalAmount: "10.00" }, { "X-Correlation-Id": `pan-${PAN}` });
    expect(traced.status).toBe(201);
    expect(traced.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);

    const key = `order-${PAN}`;
    const first = await client.post("/v1/payments", { totalAmount: "11.00" }, { "Idempotency-Key": key });
    const again = await client.post("/v1/payments", { totalAmount: "11.00" }, { "Idempotency-Key": key });
    expect([first.status, again.status, again.headers.get("idempotent-replayed")]).toEqual([201, 201, "true"]);
    expect(again.body.paymentId).toBe(first.body.paymentId);
  });

  it("is refused in a path id, also under an Idempotency-Key; searching for it stores nothing", async () => {
    const deactivate = await client.put(`/v1/payments/${PAN}/deactivate`, undefined, { "Idempotency-Key": "k-path" });
    expectRefused("path", problemFields(deactivate), "paymentId");
    expect(deactivate.body.instance).not.toContain(PAN);
    const agreement = await client.put(`/v1/payment-agreements/x${PAN}/stop`, undefined, { "Idempotency-Key": "k-a" });
    expectRefused("path", problemFields(agreement), "agreementId");
    expect((await client.get(`/v1/payments?orderId=${PAN}`)).status).toBe(200);
  });
});

/** A customer of the client's organisation logged in at /account and its customer token for the client. */
async function loggedInCustomerToken(shop: TestClient, customerNumber: string): Promise<string> {
  const email = `card-data-${customerNumber}@self.test`;
  await server.database.db.insert(customers).values({
    customerNumber,
    name: "Card Data",
    email,
    passwordHash: await hashPassword("a long secret 6601"),
    organisationId: shop.organisationId,
  });
  await server.database.db.insert(products).values({
    productCode: "P6601",
    customerNumber,
    organisationId: shop.organisationId,
    companyCode: "C6601",
    name: "Monthly pass",
    currentPaymentMethod: "invoice",
  });
  const login = await postForm(server, "/account/login", { email, password: "a long secret 6601" });
  customerCookie = sessionCookieFrom(login);
  const authorize = `/account/authorize?${new URLSearchParams({ clientId: shop.clientId, redirectUri: `${SHOP}in` })}`;
  const allowed = await postForm(server, authorize, { intent: "allow" }, customerCookie);
  const code = new URL(allowed.headers.get("location")!).searchParams.get("code");
  return (await shop.post("/v1/customer-tokens", { code })).body.customerToken;
}

// ---------------------------------------------------------------- the staff forms

type StaffForm = { path: string; route: string; intent: string; fields: Record<string, string>; text: string[] };

describe("a card number typed into a staff form", () => {
  let forms: StaffForm[];

  beforeAll(async () => {
    const captured = await capturedCardPayment(client, "100.00");
    const credit = await client.post("/v1/credits", {
      totalCreditAmount: "1.00",
      creditTransactions: [{ paymentId: captured.paymentId, transactionId: captured.transactionId, amount: "1.00" }],
    });
    const invoice = await paymentWithTransaction(client, "50.00", "COLLECTOR_B2B");
    const payment = (id: number) => ({ path: `/payments/${id}`, route: "routes/_staff.payments.$paymentId" });
    const creditPage = { path: `/credits/${credit.body.creditId}`, route: "routes/_staff.credits.$creditId" };
    const tx = String(captured.transactionId);
    forms = [
      { ...payment(captured.paymentId), intent: "credit", fields: { transactionId: tx, amount: "1.00" }, text: [] },
      { ...payment(captured.paymentId), intent: "capture", fields: { transactionId: tx }, text: [] },
      { ...payment(captured.paymentId), intent: "cancel", fields: { transactionId: tx }, text: [] },
      { ...payment(captured.paymentId), intent: "deactivate", fields: {}, text: [] },
      { ...payment(captured.paymentId), intent: "reactivate", fields: { totalAmount: "100.00" }, text: [] },
      {
        ...payment(invoice.paymentId),
        intent: "invoice",
        fields: { transactionId: String(invoice.transactionId) },
        text: ["externalInvoiceNumber", "customerIdentificationNumber"],
      },
      {
        path: "/credits/new",
        route: "routes/_staff.credits.new",
        intent: "create",
        fields: { line: `${captured.paymentId}:${tx}`, [`amount-${tx}`]: "1.00" },
        text: ["orderId", "settlementId"],
      },
      { ...creditPage, intent: "updateSettlement", fields: {}, text: ["settlementId"] },
      { ...creditPage, intent: "execute", fields: {}, text: [] },
      { ...creditPage, intent: "deactivate", fields: {}, text: [] },
      {
        path: "/credits?index",
        route: "routes/_staff.credits._index",
        intent: "setFourEyesThreshold",
        fields: { currency: "NOK", amount: "10000.00" },
        text: ["amount"],
      },
      {
        path: "/customers/6601001",
        route: "routes/_staff.customers.$customerNumber",
        intent: "end-recurring",
        fields: { target: "1" },
        text: [],
      },
      {
        path: "/payment-methods",
        route: "routes/_staff.payment-methods",
        intent: "disable",
        fields: { methodId: "1" },
        text: [],
      },
      {
        path: "/users",
        route: "routes/_staff.users",
        intent: "create",
        fields: { email: "new.person@staff.test", role: "support", password: "a long enough password 1" },
        text: ["email", "name"],
      },
      {
        path: "/api-clients",
        route: "routes/_staff.api-clients",
        intent: "create",
        fields: { name: "Shop", organisation: "new", organisationId: "6602", organisationName: "Shop AS" },
        text: ["name", "organisationName", "organisationId", "channels", "allowedRedirectPrefixes"],
      },
      {
        path: "/api-clients",
        route: "routes/_staff.api-clients",
        intent: "update",
        fields: { clientId: client.clientId },
        text: ["channels", "allowedRedirectPrefixes"],
      },
    ];
  });

  it("is refused next to its field, in every text field and every reason", async () => {
    for (const form of forms) {
      for (const field of [...form.text, "reason"]) {
        for (const value of SPELLINGS) {
          const answer = await postStaffAction(
            server,
            form.path,
            form.route,
            { intent: form.intent, reason: "checked", ...form.fields, [field]: value },
            admin.cookie,
          );
          expectRefused(
            `${form.path} ${form.intent}`,
            {
              status: answer.status,
              fields: Object.keys(answer.body?.fieldErrors ?? {}),
            },
            field,
          );
          // (A longer spelling may be refused for its length first.)
          if (value === PAN) expect(answer.body.fieldErrors[field]).toBe(CARD_MESSAGE);
        }
      }
    }
  });

  it("is masked in the audited query of an export (a search for it stores nothing)", async () => {
    expect((await getPage(server, `/payments?q=${PAN}`, admin.cookie)).status).toBe(200);
    const exported = await getPage(server, `/payments/export.csv?q=${encodeURIComponent(SPELLINGS[1])}`, admin.cookie);
    expect(exported.status).toBe(200);
    await exported.text();
  });
});

// ---------------------------------------------------------------- the customer pages

describe("a card number on a customer page", () => {
  it("is refused in /account's posted fields and the redirect pages' URLs", async () => {
    for (const field of ["invoiceNumber", "productCode", "companyCode"]) {
      const answer = await postStaffAction(
        server,
        "/account?index",
        "routes/account._index",
        {
          intent: "pay",
          paymentMethod: "nexi",
          invoiceNumber: "F1",
          productCode: "P6601",
          companyCode: "C6601",
          [field]: PAN,
        },
        customerCookie,
      );
      expect([answer.status, answer.body.field]).toEqual([400, field]);
    }
    const flow = (url: Record<string, string>) =>
      `/payment/invoice/pay?${new URLSearchParams({ clientId: client.clientId, returnUrl: `${SHOP}ok`, errorUrl: `${SHOP}err`, transactionId: "1", ...url })}`;
    for (const field of ["returnUrl", "errorUrl"]) {
      const page = await getPage(server, flow({ [field]: `${SHOP}back?card=${PAN}` }));
      expect(page.status, field).toBe(400);
    }
    const authorize = await getPage(
      server,
      `/account/authorize?${new URLSearchParams({ clientId: client.clientId, redirectUri: `${SHOP}in?pan=${PAN}` })}`,
      customerCookie,
    );
    expect(authorize.status).toBe(400);
  });

  it("is refused as the card holder's name on the card page", async () => {
    const created = await paymentWithTransaction(client, "20.00");
    const opened = await client.post(
      `/v1/payments/${created.paymentId}/transactions/${created.transactionId}/terminal`,
      { redirectUrl: `${SHOP}back` },
    );
    const answer = await postForm(server, new URL(opened.body.terminalUri).pathname, {
      intent: "pay",
      cardNumber: "4000000000000002",
      expiry: "11/29",
      cvc: "123",
      cardholder: SPELLINGS[1],
    });
    expect(answer.status).toBe(400);
  });
});

describe("a card number at a login", () => {
  it("is masked where a failed login's email and a session's User-Agent are stored", async () => {
    for (const [path, email] of [
      ["/login", `${PAN}@staff.test`],
      ["/account/login", SPELLINGS[1]],
    ]) {
      const refused = await postForm(server, path, { email, password: "not the password 6601" });
      expect(refused.status, path).toBeLessThan(500);
    }
    const staff = await createStaff(server, "support");
    const login = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: server.url,
        "User-Agent": `Mozilla/5.0 (card ${SPELLINGS[2]})`,
      },
      body: new URLSearchParams({ email: staff.email, password: staff.password }),
    });
    expect(login.status).toBe(302);
  });
});

// ---------------------------------------------------------------- nothing landed

describe("after all of it", () => {
  it("no column of any table and no line of the server's log holds a card number", async () => {
    expect(refusals.length).toBeGreaterThan(200);
    const scan = await scanDatabase(server.database.db, TYPED);
    expect(scan.columns).toBeGreaterThan(50);
    expect(scan.values).toBeGreaterThan(200);
    // The log was captured (request lines at debug level, with the masked card numbers in them).
    expect(log).toContain('"msg":"request"');
    expect(log).toContain("************1111");
    expect([...scan.findings, ...scanText("server log", log, TYPED)]).toEqual([]);
  });
});
