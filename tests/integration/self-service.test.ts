// Product self-service over HTTP against a real database: the customer's login and
// session, the customer token a client gets through /account/authorize, the three /v1 routes
// with their limits and enums, and the redirect pages with the sandbox provider page, driven like
// a browser (GET the page, POST its form with our Origin, follow the 302 by hand). The races at
// the end run real parallel requests; on PostgreSQL (DATABASE_URL) they really interleave.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  PayInvoiceResponse,
  PaymentChangeResponse,
  ProductPaymentMethodsResponse,
  CustomerTokenResponse,
} from "../../app/http/api/schemas-self-service";
import { hashPassword } from "../../app/auth/password.server";
import { PRODUCT_PAYMENT_METHODS } from "../../app/domain/enums";
import {
  customerInvoices,
  customers,
  customerSessions,
  paymentChanges,
  paymentMethods,
  paymentTransactions,
  payments,
  products,
  providerOperations,
  recurringPayments,
} from "../../db/schema";
import { withDatabase } from "../../app/platform/db.server";
import { recoverProviderOperations } from "../../app/services/operations/recovery.server";
import { usingServer } from "../support/database";
import { startPsp } from "../support/psp";
import { createClient, expectProblem, type TestClient } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { operationLogOf, transactionRow } from "../support/fixtures-transactions";
import { operationsNamed } from "../support/api";
import { createStaff, getPage, loginAs, postForm, sessionCookieFrom } from "../support/staff";

const SHOP = "https://shop.example/";
const RETURN = `${SHOP}self-service/return?order=7`;
const ERROR = `${SHOP}self-service/error`;
const EVIL = "https://evil.example/steal";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 4101, allowedRedirectPrefixes: [SHOP] }); // organisation 4101, the customers' products are sold here
const sibling = useApiClient(server, { organisationId: 4101, allowedRedirectPrefixes: ["https://sibling.example/"] }); // same organisation, another client
const stranger = useApiClient(server, { organisationId: 4102, allowedRedirectPrefixes: [SHOP] }); // organisation 4102

// ---------------------------------------------------------------- the world: customers, products, invoices

let sequence = 0;
const next = () => ++sequence;

type TestCustomer = { customerNumber: string; email: string; password: string; cookie: string; token: string };

async function newCustomer(options: { login?: boolean; client?: TestClient } = {}): Promise<TestCustomer> {
  const n = next();
  const customer = {
    customerNumber: String(700000 + n),
    email: `customer${n}@self.test`,
    password: `a long secret ${n}`,
    cookie: "",
    token: "",
  };
  await server.database.db.insert(customers).values({
    customerNumber: customer.customerNumber,
    name: `Customer ${n}`,
    email: customer.email,
    passwordHash: await hashPassword(customer.password),
    organisationId: 4101,
  });
  if (options.login === false) return customer;
  customer.cookie = await customerLogin(customer.email, customer.password);
  customer.token = await customerToken(options.client ?? shop, customer.cookie);
  return customer;
}

async function newProduct(
  customer: { customerNumber: string },
  options: { organisationId?: number; method?: string; code?: string } = {},
) {
  const productCode = options.code ?? `PR${next()}`;
  await server.database.db.insert(products).values({
    productCode,
    customerNumber: customer.customerNumber,
    organisationId: options.organisationId ?? 4101,
    companyCode: "COMPANY1",
    name: `Monthly pass ${productCode}`,
    currentPaymentMethod: options.method ?? "invoice",
  });
  return productCode;
}

async function newInvoice(
  customer: { customerNumber: string },
  productCode: string,
  options: { amount?: string; paid?: boolean; number?: string; companyCode?: string; dueDate?: string } = {},
) {
  const invoiceNumber = options.number ?? `F${next()}`;
  await server.database.db.insert(customerInvoices).values({
    invoiceNumber,
    productCode,
    companyCode: options.companyCode ?? "COMPANY1",
    customerNumber: customer.customerNumber,
    amount: options.amount ?? "590.00",
    dueDate: options.dueDate ?? "2099-12-01",
    status: options.paid ? "PAID" : "OPEN",
    paidAt: options.paid ? new Date() : null,
  });
  return { invoiceNumber, productCode, companyCode: options.companyCode ?? "COMPANY1" };
}

/** A logged-in customer with one product and one open invoice of it. */
async function customerWithInvoice(options: Parameters<typeof newCustomer>[0] = {}) {
  const customer = await newCustomer(options);
  return { customer, invoice: await newInvoice(customer, await newProduct(customer)) };
}

// ---------------------------------------------------------------- browser-like helpers

async function customerLogin(email: string, password: string): Promise<string> {
  const response = await postForm(server, "/account/login", { email, password });
  if (response.status !== 302) throw new Error(`customer login ${email}: ${response.status}`);
  return sessionCookieFrom(response);
}

const authorizePath = (client: TestClient, redirectUri: string, state?: string) =>
  `/account/authorize?${new URLSearchParams({ clientId: client.clientId, redirectUri, ...(state ? { state } : {}) })}`;

/** /account/authorize as the logged-in customer, "Allow", and the code exchanged by the client. */
async function customerToken(client: TestClient, cookie: string): Promise<string> {
  const redirectUri = client === sibling ? "https://sibling.example/signed-in" : `${SHOP}signed-in`;
  const allowed = await postForm(server, authorizePath(client, redirectUri, "s1"), { intent: "allow" }, cookie);
  if (allowed.status !== 302) throw new Error(`authorize: ${allowed.status}`);
  const code = new URL(allowed.headers.get("location")!).searchParams.get("code");
  const exchanged = await client.post("/v1/customer-tokens", { code });
  if (exchanged.status !== 201) throw new Error(`exchange: ${exchanged.status} ${JSON.stringify(exchanged.body)}`);
  return exchanged.body.customerToken;
}

const as = (customer: { token: string }) => ({ "Entur-Customer-Token": customer.token });

function payPath(transactionId: number | string, overrides: Record<string, string> = {}, client: TestClient = shop) {
  return `/payment/invoice/pay?${new URLSearchParams({ clientId: client.clientId, returnUrl: RETURN, errorUrl: ERROR, transactionId: String(transactionId), ...overrides })}`;
}

function changePath(
  paymentChangeId: number | string,
  overrides: Record<string, string> = {},
  client: TestClient = shop,
) {
  return `/paymentChange?${new URLSearchParams({ clientId: client.clientId, returnUrl: RETURN, errorUrl: ERROR, paymentChangeId: String(paymentChangeId), ...overrides })}`;
}

async function page(path: string, cookie?: string) {
  const response = await getPage(server, path, cookie);
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

async function submit(path: string, fields: Record<string, string>, cookie?: string) {
  const response = await postForm(server, path, fields, cookie);
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

/** Where a redirect went, with its query as an object. */
function landed(location: string | null) {
  const url = new URL(location!);
  return { base: `${url.origin}${url.pathname}`, query: Object.fromEntries(url.searchParams) };
}

async function payAttempt(
  customer: TestCustomer,
  invoice: { invoiceNumber: string; productCode: string; companyCode: string },
  paymentMethod = "creditcardPayex",
  client = shop,
) {
  const result = await client.post("/v1/api/payment/invoice", { ...invoice, paymentMethod }, as(customer));
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.transactionId as number;
}

/** POST "Continue" on the pay page: the provider's page (its path) for this attempt. */
async function openCheckout(customer: TestCustomer, path: string): Promise<string> {
  const continued = await submit(path, { intent: "continue" }, customer.cookie);
  expect(continued.status, continued.html.slice(0, 300)).toBe(302);
  const url = new URL(continued.location!);
  expect(url.pathname).toMatch(/^\/sandbox\/checkout\/[A-Za-z0-9_-]{20,}$/);
  return url.pathname;
}

const decide = (checkout: string, decision: string) => submit(checkout, { decision });

async function invoiceRow(invoiceNumber: string) {
  const [row] = await server.database.db
    .select()
    .from(customerInvoices)
    .where(eq(customerInvoices.invoiceNumber, invoiceNumber));
  return row;
}

const operations = async (transactionId: number) =>
  (await operationLogOf(server, transactionId)).map((r) => r.operation);

async function currentMethod(customer: TestCustomer, productCode: string) {
  const result = await shop.get(`/v1/product/payment/${productCode}`, as(customer));
  expect(result.status).toBe(200);
  return result.body.paymentMethodResponseItems.find((i: { current: boolean }) => i.current)?.paymentMethod;
}

// ================================================================ customer login and session

describe("customer login", () => {
  it("logs in with argon2id, sets its own HttpOnly cookie and shows /account", async () => {
    const customer = await newCustomer({ login: false });
    const [row] = await server.database.db
      .select()
      .from(customers)
      .where(eq(customers.customerNumber, customer.customerNumber));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    const wrong = await submit("/account/login", { email: customer.email, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain("Wrong email or password.");

    const response = await postForm(server, "/account/login", {
      email: customer.email.toUpperCase(),
      password: customer.password,
      redirectTo: "/account?x=1",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/account?x=1");
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^paydesk_customer=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    const cookie = sessionCookieFrom(response);
    // Only the token's hash is stored.
    const sessions = await server.database.db
      .select()
      .from(customerSessions)
      .where(eq(customerSessions.customerNumber, customer.customerNumber));
    expect(sessions).toHaveLength(1);
    expect(sessions[0].id).not.toContain(cookie.split("=")[1]);

    const account = await page("/account", cookie);
    expect(account.status).toBe(200);
    expect(account.html).toContain(`customer ${customer.customerNumber}`);
  });

  it("sends an anonymous visitor to the login, and back afterwards (same-site paths only)", async () => {
    const anonymous = await page("/account");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/account/login");
    const evil = await postForm(server, "/account/login", {
      email: "nobody@self.test",
      password: "x",
      redirectTo: "//evil.example/",
    });
    expect(evil.status).toBe(401);
    const customer = await newCustomer({ login: false });
    const login = await postForm(server, "/account/login", {
      email: customer.email,
      password: customer.password,
      redirectTo: "https://evil.example/",
    });
    expect(login.headers.get("location")).toBe("/account");
  });

  it("is apart from staff: a staff session opens no customer page and a customer session no staff page", async () => {
    const staff = await createStaff(server, "admin");
    const staffCookie = await loginAs(server, staff);
    expect((await page("/account", staffCookie)).location).toBe("/account/login");
    const customer = await newCustomer({ login: false });
    const cookie = await customerLogin(customer.email, customer.password);
    expect((await page("/", cookie)).location).toMatch(/^\/login/);
    // A customer's email and password do not open the staff login either.
    expect((await postForm(server, "/login", { email: customer.email, password: customer.password })).status).toBe(401);
  });

  it("refuses a cross-site login or logout (Origin check)", async () => {
    const response = await fetch(`${server.url}/account/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=x",
    });
    expect(response.status).toBe(403);
  });

  // Throttling of failed customer logins: tests/integration/login-throttling.test.ts.

  it("logout ends the session and every customer token it issued", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer);
    expect((await shop.get(`/v1/product/payment/${productCode}`, as(customer))).status).toBe(200);
    const out = await submit("/account/logout", {}, customer.cookie);
    expect(out.status).toBe(302);
    expect((await page("/account", customer.cookie)).location).toBe("/account/login");
    expectProblem(await shop.get(`/v1/product/payment/${productCode}`, as(customer)), 401, "Entur-Customer-Token");
  });
});

// ================================================================ customer tokens

describe("customer tokens (/account/authorize and POST /v1/customer-tokens)", () => {
  it("asks the logged-in customer, sends a one-time code with the state, and the code buys one token", async () => {
    const customer = await newCustomer({ login: false });
    const cookie = await customerLogin(customer.email, customer.password);
    const path = authorizePath(shop, `${SHOP}signed-in?x=1`, "xyz");

    expect((await page(path)).location).toBe(`/account/login?${new URLSearchParams({ redirectTo: path })}`);
    const asked = await page(path, cookie);
    expect(asked.status).toBe(200);
    expect(asked.html).toContain("asks to act for you");

    const allowed = await submit(path, { intent: "allow" }, cookie);
    const back = landed(allowed.location);
    expect(back.base).toBe(`${SHOP}signed-in`);
    expect(back.query).toEqual({ x: "1", code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), state: "xyz" });

    // Another client cannot redeem it; the right one can, once.
    expectProblem(await sibling.post("/v1/customer-tokens", { code: back.query.code }), 400, "code");
    const exchanged = await shop.post("/v1/customer-tokens", { code: back.query.code });
    expect(exchanged.status).toBe(201);
    expect(CustomerTokenResponse.safeParse(exchanged.body).success).toBe(true);
    expect(exchanged.body.customerNumber).toBe(customer.customerNumber);
    expect(Date.parse(exchanged.body.expiresAt) - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    expectProblem(await shop.post("/v1/customer-tokens", { code: back.query.code }), 400, "code");
    expectProblem(await shop.post("/v1/customer-tokens", {}), 400, "code");
    expectProblem(await shop.post("/v1/customer-tokens", { code: "made-up" }), 400, "code");
  });

  it("deny goes back with error=access_denied and no code", async () => {
    const customer = await newCustomer({ login: false });
    const cookie = await customerLogin(customer.email, customer.password);
    const denied = await submit(authorizePath(shop, `${SHOP}signed-in`), { intent: "deny" }, cookie);
    expect(landed(denied.location).query).toEqual({ error: "access_denied" });
  });

  it("refuses a redirectUri outside the client's prefixes, and an unknown client, without redirecting", async () => {
    const customer = await newCustomer({ login: false });
    const cookie = await customerLogin(customer.email, customer.password);
    for (const path of [
      authorizePath(shop, EVIL),
      authorizePath(shop, "https://shop.example.evil.test/"),
      authorizePath(shop, "https://shop.example@evil.example/"),
      `/account/authorize?clientId=no-such-client&redirectUri=${encodeURIComponent(SHOP)}`,
    ]) {
      for (const answer of [await page(path, cookie), await submit(path, { intent: "allow" }, cookie)]) {
        expect(answer.status, path).toBe(400);
        expect(answer.location).toBeNull();
        expect(answer.html).toContain("This link cannot be used");
      }
    }
  });

  it("a token works only for the client it was issued to", async () => {
    const customer = await newCustomer({ client: sibling });
    const productCode = await newProduct(customer);
    expect((await sibling.get(`/v1/product/payment/${productCode}`, as(customer))).status).toBe(200);
    expectProblem(await shop.get(`/v1/product/payment/${productCode}`, as(customer)), 401, "Entur-Customer-Token");
  });
});

// ================================================================ GET /v1/product/payment/{product}

describe("GET /v1/product/payment/{product}", () => {
  it("answers 401 without a logged-in customer", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer);
    for (const headers of [
      {} as Record<string, string>,
      { "Entur-Customer-Token": "" },
      { "Entur-Customer-Token": "pdc_" + "x".repeat(43) },
      { "Entur-Customer-Token": "nonsense" },
    ]) {
      const result = await shop.get(`/v1/product/payment/${productCode}`, headers);
      expectProblem(result, 401, "Entur-Customer-Token");
      expect(result.headers.get("www-authenticate")).toContain("paydesk-customer");
    }
  });

  it("lists the current method first and every other possible one", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer, { method: "recurringVippsPayment" });
    const result = await shop.get(`/v1/product/payment/${productCode}`, as(customer));
    expect(result.status).toBe(200);
    expect(ProductPaymentMethodsResponse.safeParse(result.body).success).toBe(true);
    const items = result.body.paymentMethodResponseItems as { paymentMethod: string; current: boolean }[];
    expect(items[0]).toMatchObject({ paymentMethod: "recurringVippsPayment", current: true });
    expect(items.filter((i) => i.current)).toHaveLength(1);
    expect(items.map((i) => i.paymentMethod).sort()).toEqual([...PRODUCT_PAYMENT_METHODS].sort());
  });

  it("takes product codes of 1 to 12 characters", async () => {
    const customer = await newCustomer();
    const twelve = await newProduct(customer, { code: "ABCDEFGHIJ12" });
    expect((await shop.get(`/v1/product/payment/${twelve}`, as(customer))).status).toBe(200);
    expectProblem(await shop.get(`/v1/product/payment/ABCDEFGHIJ123`, as(customer)), 400, "product");
    expectProblem(await shop.get(`/v1/product/payment/%20`, as(customer)), 400, "product");
  });

  it("another customer's product, or one sold by another organisation, is 404", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const theirs = await newProduct(other);
    const elsewhere = await newProduct(customer, { organisationId: 4102 });
    expectProblem(await shop.get(`/v1/product/payment/${theirs}`, as(customer)), 404);
    expectProblem(await shop.get(`/v1/product/payment/${elsewhere}`, as(customer)), 404);
    expectProblem(await shop.get(`/v1/product/payment/NOSUCH`, as(customer)), 404);
    // The same customer, through a client of the other organisation: it sees that one, not this one.
    const mine = await newProduct(customer);
    const viaStranger = { token: await customerToken(stranger, customer.cookie) };
    expectProblem(await stranger.get(`/v1/product/payment/${mine}`, as(viaStranger)), 404);
    expect((await stranger.get(`/v1/product/payment/${elsewhere}`, as(viaStranger))).status).toBe(200);
  });
});

// ================================================================ POST /v1/product/payment/{productCode}

describe("POST /v1/product/payment/{productCode}", () => {
  it("answers {paymentChangeId} and changes nothing yet", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer);
    const result = await shop.post(
      `/v1/product/payment/${productCode}`,
      { paymentMethod: "recurringPayExCardPayment" },
      as(customer),
    );
    expect(result.status).toBe(200);
    expect(PaymentChangeResponse.safeParse(result.body).success).toBe(true);
    const [change] = await server.database.db
      .select()
      .from(paymentChanges)
      .where(eq(paymentChanges.paymentChangeId, result.body.paymentChangeId));
    expect(change).toMatchObject({
      productCode,
      customerNumber: customer.customerNumber,
      paymentMethod: "recurringPayExCardPayment",
      status: "CREATED",
      clientId: shop.clientId,
    });
    expect(await currentMethod(customer, productCode)).toBe("invoice");
  });

  it("accepts exactly the six product payment methods", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer);
    for (const paymentMethod of PRODUCT_PAYMENT_METHODS) {
      expect((await shop.post(`/v1/product/payment/${productCode}`, { paymentMethod }, as(customer))).status).toBe(200);
    }
    for (const paymentMethod of ["creditcardPayex", "INVOICE", "", 1, null, "recurringPayexCardPayment"]) {
      expectProblem(
        await shop.post(`/v1/product/payment/${productCode}`, { paymentMethod }, as(customer)),
        400,
        "paymentMethod",
      );
    }
    expectProblem(await shop.post(`/v1/product/payment/${productCode}`, {}, as(customer)), 400, "paymentMethod");
    expectProblem(
      await shop.post(`/v1/product/payment/ABCDEFGHIJ123`, { paymentMethod: "invoice" }, as(customer)),
      400,
      "productCode",
    );
  });

  it("needs a logged-in customer, and another customer's product is 404", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const theirs = await newProduct(other);
    expectProblem(
      await shop.post(`/v1/product/payment/${theirs}`, { paymentMethod: "invoice" }),
      401,
      "Entur-Customer-Token",
    );
    expectProblem(await shop.post(`/v1/product/payment/${theirs}`, { paymentMethod: "invoice" }, as(customer)), 404);
    expect(
      await server.database.db.select().from(paymentChanges).where(eq(paymentChanges.productCode, theirs)),
    ).toHaveLength(0);
  });
});

// ================================================================ POST /v1/api/payment/invoice

describe("POST /v1/api/payment/invoice", () => {
  it("starts an attempt: {success, transactionId}, a CREATED transaction of the invoice's payment", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer);
    const invoice = await newInvoice(customer, productCode, { amount: "590.50" });
    const result = await shop.post(
      "/v1/api/payment/invoice",
      { ...invoice, paymentMethod: "vippsEcommerce" },
      as(customer),
    );
    expect(result.status).toBe(200);
    expect(PayInvoiceResponse.safeParse(result.body).success).toBe(true);
    expect(result.body.success).toBe(true);
    const transaction = await transactionRow(server, result.body.transactionId);
    expect(transaction).toMatchObject({
      status: "CREATED",
      amount: "590.50000",
      paymentType: "VIPPS",
      paymentTypeGroup: "MOBILE",
    });
    const [payment] = await server.database.db
      .select()
      .from(payments)
      .where(eq(payments.paymentId, transaction.paymentId));
    expect(payment).toMatchObject({
      orderId: invoice.invoiceNumber,
      organisationId: 4101,
      customerNumber: customer.customerNumber,
      totalAmount: "590.50000",
      createdByClientId: shop.clientId,
    });
    expect(await invoiceRow(invoice.invoiceNumber)).toMatchObject({
      status: "OPEN",
      paymentId: payment.paymentId,
      paymentMethod: "vippsEcommerce",
    });
    // The client may read the payment like any of its own.
    expect((await shop.get(`/v1/payments/${payment.paymentId}`)).body.transactions[0].status).toBe("CREATED");
  });

  it("holds the self-service length limits: invoiceNumber ≤ 10, productCode ≤ 12, companyCode ≤ 12", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer, { code: "P23456789012" });
    const invoice = await newInvoice(customer, productCode, { number: "F234567890", companyCode: "C23456789012" });
    expect(
      (await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi" }, as(customer))).status,
    ).toBe(200);
    for (const [field, value] of [
      ["invoiceNumber", "F2345678901"],
      ["productCode", "P234567890123"],
      ["companyCode", "C234567890123"],
      ["invoiceNumber", ""],
      ["productCode", "   "],
      ["companyCode", 12345],
    ] as const) {
      expectProblem(
        await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi", [field]: value }, as(customer)),
        400,
        field,
      );
    }
  });

  it("takes paymentMethod only from creditcardPayex, swishPayex, vippsEcommerce, nexi; every field is required", async () => {
    const { customer, invoice } = await customerWithInvoice();
    for (const paymentMethod of ["invoice", "autoGiro", "CREDITCARDPAYEX", "klarna", "", null]) {
      expectProblem(
        await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod }, as(customer)),
        400,
        "paymentMethod",
      );
    }
    const missing = await shop.post("/v1/api/payment/invoice", {}, as(customer));
    for (const field of ["invoiceNumber", "productCode", "companyCode", "paymentMethod"])
      expectProblem(missing, 400, field);
    for (const paymentMethod of ["creditcardPayex", "swishPayex", "vippsEcommerce", "nexi"]) {
      expect((await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod }, as(customer))).status).toBe(
        200,
      );
    }
  });

  it("needs a logged-in customer (401), and answers 404 for another customer's invoice or a wrong product or company", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const theirs = await newInvoice(other, await newProduct(other));
    const mine = await newInvoice(customer, await newProduct(customer));
    expectProblem(
      await shop.post("/v1/api/payment/invoice", { ...mine, paymentMethod: "nexi" }),
      401,
      "Entur-Customer-Token",
    );
    expectProblem(await shop.post("/v1/api/payment/invoice", { ...theirs, paymentMethod: "nexi" }, as(customer)), 404);
    expectProblem(
      await shop.post(
        "/v1/api/payment/invoice",
        { ...mine, productCode: theirs.productCode, paymentMethod: "nexi" },
        as(customer),
      ),
      404,
    );
    expectProblem(
      await shop.post(
        "/v1/api/payment/invoice",
        { ...mine, companyCode: "OTHER", paymentMethod: "nexi" },
        as(customer),
      ),
      404,
    );
    expect((await invoiceRow(theirs.invoiceNumber)).paymentId).toBeNull();
  });

  it("an invoice of a product another organisation sells is 404 for this client", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer, await newProduct(customer, { organisationId: 4102 }));
    expectProblem(await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi" }, as(customer)), 404);
  });

  it("an already paid invoice is 409", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer, await newProduct(customer), { paid: true });
    expectProblem(await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi" }, as(customer)), 409);
  });

  it("a method the client has disabled is 422 naming paymentMethod", async () => {
    const client = await createClient(server, { organisationId: 4101, allowedRedirectPrefixes: [SHOP] });
    await server.database.db
      .update(paymentMethods)
      .set({ enabled: false })
      .where(and(eq(paymentMethods.clientId, client.clientId), eq(paymentMethods.paymentTypeGroup, "MOBILE")));
    const { customer, invoice } = await customerWithInvoice({ client });
    expectProblem(
      await client.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "swishPayex" }, as(customer)),
      422,
      "paymentMethod",
    );
    expect(
      (await client.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi" }, as(customer))).status,
    ).toBe(200);
  });

  it("a new attempt cancels the open one (its page stops working); the payment's total is claimed once", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const first = await payAttempt(customer, invoice);
    const checkout = await openCheckout(customer, payPath(first));
    const second = await payAttempt(customer, invoice, "swishPayex");
    expect((await transactionRow(server, first)).status).toBe("CANCELLED");
    expect(await operations(first)).toEqual(["CREATE", "INITIATE", "CANCEL"]);
    expect((await transactionRow(server, second)).paymentId).toBe((await transactionRow(server, first)).paymentId);
    const stale = await decide(checkout, "approve");
    expect(stale.status).toBe(409);
    expect(stale.html).toContain("replaced by a newer one");
    expect((await invoiceRow(invoice.invoiceNumber)).status).toBe("OPEN");
  });
});

// ================================================================ /payment/invoice/pay and the provider page

describe("/payment/invoice/pay", () => {
  it("refuses an attacker's returnUrl or errorUrl (and unknown clients) with a page, never a redirect", async () => {
    const customer = await newCustomer();
    const transactionId = await payAttempt(customer, await newInvoice(customer, await newProduct(customer)));
    const refusals: [Record<string, string>, string][] = [
      [{ returnUrl: EVIL }, "returnUrl"],
      [{ errorUrl: EVIL }, "errorUrl"],
      [{ returnUrl: "https://shop.example.evil.test/x" }, "returnUrl"],
      [{ returnUrl: "https://shop.example@evil.example/" }, "returnUrl"],
      [{ returnUrl: "javascript:alert(1)" }, "returnUrl"],
      [{ returnUrl: "" }, "returnUrl"],
      [{ clientId: "no-such-client" }, "clientId"],
      [{ clientId: sibling.clientId }, "returnUrl"], // the shop's URL is not the sibling's
    ];
    for (const [overrides, field] of refusals) {
      const path = payPath(transactionId, overrides);
      // Refused before the login is even asked for, and on the form POST too.
      for (const answer of [
        await page(path),
        await page(path, customer.cookie),
        await submit(path, { intent: "continue" }, customer.cookie),
      ]) {
        expect(answer.status, `${field} ${JSON.stringify(overrides)}`).toBe(400);
        expect(answer.location).toBeNull();
        expect(answer.html).toContain("This link cannot be used");
        expect(answer.html).toContain(field);
      }
    }
    expect((await transactionRow(server, transactionId)).status).toBe("CREATED");
  });

  it("asks an anonymous customer to log in and brings them back", async () => {
    const customer = await newCustomer();
    const transactionId = await payAttempt(customer, await newInvoice(customer, await newProduct(customer)));
    const path = payPath(transactionId);
    const anonymous = await page(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/account/login?${new URLSearchParams({ redirectTo: path })}`);
    const login = await postForm(server, "/account/login", {
      email: customer.email,
      password: customer.password,
      redirectTo: path,
    });
    expect(login.headers.get("location")).toBe(path);
  });

  it("goes to errorUrl for a malformed id, another customer's attempt, or another client's attempt", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const mine = await payAttempt(customer, await newInvoice(customer, await newProduct(customer)));
    const theirs = await payAttempt(other, await newInvoice(other, await newProduct(other)));
    const bySibling = await newCustomer({ client: sibling });
    const siblingAttempt = await payAttempt(
      bySibling,
      await newInvoice(bySibling, await newProduct(bySibling)),
      "nexi",
      sibling,
    );

    expect(landed((await page(payPath("abc"), customer.cookie)).location)).toEqual({
      base: ERROR,
      query: { error: "invalid_request" },
    });
    expect(landed((await page(payPath(""), customer.cookie)).location).query.error).toBe("invalid_request");
    expect(landed((await page(payPath(theirs), customer.cookie)).location)).toEqual({
      base: ERROR,
      query: { transactionId: String(theirs), error: "not_found" },
    });
    expect(landed((await submit(payPath(theirs), { intent: "continue" }, customer.cookie)).location).query.error).toBe(
      "not_found",
    );
    expect(landed((await page(payPath(siblingAttempt), bySibling.cookie)).location).query.error).toBe("not_found");
    expect((await page(payPath(mine), customer.cookie)).status).toBe(200);
    expect((await transactionRow(server, theirs)).status).toBe("CREATED");
  });

  it("pays: page → provider → approve → returnUrl?result=finished; the invoice is PAID with a captured transaction", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer, await newProduct(customer), { amount: "1290.00" });
    const transactionId = await payAttempt(customer, invoice, "creditcardPayex");

    const shown = await page(payPath(transactionId), customer.cookie);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(invoice.invoiceNumber);
    expect(shown.html).toContain("Continue to PayEx");
    // Looking at the page changes nothing.
    expect((await transactionRow(server, transactionId)).status).toBe("CREATED");

    const checkout = await openCheckout(customer, payPath(transactionId));
    expect((await transactionRow(server, transactionId)).status).toBe("INITIATED");
    const provider = await page(checkout);
    expect(provider.status).toBe(200);
    expect(provider.html).toContain("PayEx");
    expect(provider.html).toContain('value="approve"');

    const approved = await decide(checkout, "approve");
    expect(approved.status).toBe(302);
    expect(landed(approved.location)).toEqual({
      base: `${SHOP}self-service/return`,
      query: { order: "7", transactionId: String(transactionId), result: "finished" },
    });
    const paid = await invoiceRow(invoice.invoiceNumber);
    expect(paid).toMatchObject({ status: "PAID", paidTransactionId: transactionId });
    expect(paid.paidAt).toBeInstanceOf(Date);
    expect(await operations(transactionId)).toEqual(["CREATE", "INITIATE", "AUTHORIZE", "CAPTURE"]);
    const transaction = await shop.get(`/v1/payments/${paid.paymentId}/transactions/${transactionId}`);
    expect(transaction.body).toMatchObject({
      status: "CAPTURED",
      amount: "1290.00",
      summary: { capturedAmount: "1290.00" },
    });

    // Afterwards: the provider page says it is done, the redirect page goes straight back, the API says 409.
    expect((await page(checkout)).html).toContain("This invoice has been paid.");
    expect(landed((await page(payPath(transactionId), customer.cookie)).location).query.result).toBe("finished");
    expectProblem(await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi" }, as(customer)), 409);
  });

  it("cancel on the provider page: result=cancelled, the attempt CANCELLED, the invoice still open", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const transactionId = await payAttempt(customer, invoice, "vippsEcommerce");
    const checkout = await openCheckout(customer, payPath(transactionId));
    expect((await page(checkout)).html).toContain("Vipps");
    const cancelled = await decide(checkout, "cancel");
    expect(landed(cancelled.location).query).toMatchObject({
      transactionId: String(transactionId),
      result: "cancelled",
    });
    expect((await transactionRow(server, transactionId)).status).toBe("CANCELLED");
    expect((await invoiceRow(invoice.invoiceNumber)).status).toBe("OPEN");
    expect(landed((await page(payPath(transactionId), customer.cookie)).location).query.result).toBe("cancelled");
  });

  it("cancel on our page: result=cancelled without visiting the provider", async () => {
    const customer = await newCustomer();
    const transactionId = await payAttempt(customer, await newInvoice(customer, await newProduct(customer)));
    const cancelled = await submit(payPath(transactionId), { intent: "cancel" }, customer.cookie);
    expect(landed(cancelled.location).query.result).toBe("cancelled");
    expect((await transactionRow(server, transactionId)).status).toBe("CANCELLED");
  });

  it("a refusal by the provider (amount ending .02): result=failed, nothing paid, and a new attempt can pay", async () => {
    const customer = await newCustomer();
    const invoice = await newInvoice(customer, await newProduct(customer), { amount: "100.02" });
    const first = await payAttempt(customer, invoice, "swishPayex");
    const refused = await decide(await openCheckout(customer, payPath(first)), "approve");
    expect(landed(refused.location).query).toMatchObject({ transactionId: String(first), result: "failed" });
    expect((await transactionRow(server, first)).status).toBe("INITIATED");
    expect(await operations(first)).toEqual(["CREATE", "INITIATE"]);
    expect((await invoiceRow(invoice.invoiceNumber)).status).toBe("OPEN");
    const second = await payAttempt(customer, invoice, "swishPayex");
    expect((await transactionRow(server, first)).status).toBe("CANCELLED");
    expect((await transactionRow(server, second)).status).toBe("CREATED");
  });

  it("opening the provider again replaces the earlier page of the same attempt", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const transactionId = await payAttempt(customer, invoice);
    const older = await openCheckout(customer, payPath(transactionId));
    const newer = await openCheckout(customer, payPath(transactionId));
    expect((await decide(older, "approve")).html).toContain("replaced by a newer one");
    expect(landed((await decide(newer, "approve")).location).query.result).toBe("finished");
    expect(await operations(transactionId)).toEqual(["CREATE", "INITIATE", "AUTHORIZE", "CAPTURE"]);
  });

  it("goes to errorUrl?error=system_error when paying breaks on our side", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const transactionId = await payAttempt(customer, invoice);
    const checkout = await openCheckout(customer, payPath(transactionId));
    // A real failure inside the decision's transaction: the database refuses marking this invoice paid.
    await server.database.db.execute(
      sql.raw(`
      create or replace function refuse_paid_${invoice.invoiceNumber}() returns trigger language plpgsql as $$
      begin if new.invoice_number = '${invoice.invoiceNumber}' and new.status = 'PAID' then raise exception 'disk on fire'; end if; return new; end $$`),
    );
    await server.database.db.execute(
      sql.raw(
        `create trigger refuse_paid_${invoice.invoiceNumber} before update on customer_invoices for each row execute function refuse_paid_${invoice.invoiceNumber}()`,
      ),
    );
    try {
      const broken = await decide(checkout, "approve");
      expect(broken.status).toBe(302);
      expect(landed(broken.location)).toEqual({
        base: ERROR,
        query: { transactionId: String(transactionId), error: "system_error" },
      });
      // Nothing of the decision stayed: one DB transaction.
      expect((await transactionRow(server, transactionId)).status).toBe("INITIATED");
      expect(await operations(transactionId)).toEqual(["CREATE", "INITIATE"]);
    } finally {
      await server.database.db.execute(
        sql.raw(`drop trigger refuse_paid_${invoice.invoiceNumber} on customer_invoices`),
      );
    }
  });
});

// ================================================================ /paymentChange

describe("/paymentChange", () => {
  async function changeRequest(customer: TestCustomer, productCode: string, paymentMethod: string) {
    const result = await shop.post(`/v1/product/payment/${productCode}`, { paymentMethod }, as(customer));
    expect(result.status).toBe(200);
    return result.body.paymentChangeId as number;
  }

  it("refuses an attacker's returnUrl or errorUrl with a page, never a redirect", async () => {
    const customer = await newCustomer();
    const id = await changeRequest(customer, await newProduct(customer), "autoGiro");
    const refusals: Record<string, string>[] = [
      { returnUrl: EVIL },
      { errorUrl: EVIL },
      { clientId: "nobody" },
      { returnUrl: "http://shop.example/" },
    ];
    for (const overrides of refusals) {
      for (const answer of [
        await page(changePath(id, overrides), customer.cookie),
        await submit(changePath(id, overrides), { intent: "continue" }, customer.cookie),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.location).toBeNull();
        expect(answer.html).toContain("This link cannot be used");
      }
    }
  });

  it("changes: page → provider → approve → result=finished, and the product's current method is the new one", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer, { method: "invoice" });
    const id = await changeRequest(customer, productCode, "recurringKlarnaPayment");
    expect((await page(changePath(id))).location).toMatch(/^\/account\/login\?redirectTo=/);
    const shown = await page(changePath(id), customer.cookie);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("Continue to Klarna");
    const checkout = await openCheckout(customer, changePath(id));
    expect((await page(checkout)).html).toContain("Klarna");
    const approved = await decide(checkout, "approve");
    expect(landed(approved.location)).toEqual({
      base: `${SHOP}self-service/return`,
      query: { order: "7", paymentChangeId: String(id), result: "finished" },
    });
    expect(await currentMethod(customer, productCode)).toBe("recurringKlarnaPayment");
    const [change] = await server.database.db
      .select()
      .from(paymentChanges)
      .where(eq(paymentChanges.paymentChangeId, id));
    expect(change).toMatchObject({ status: "FINISHED", result: "finished" });
    expect(landed((await page(changePath(id), customer.cookie)).location).query.result).toBe("finished");
  });

  it("cancel (ours or the provider's) and a refusal change nothing", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer, { method: "autoGiro" });
    const ours = await changeRequest(customer, productCode, "invoice");
    expect(landed((await submit(changePath(ours), { intent: "cancel" }, customer.cookie)).location).query.result).toBe(
      "cancelled",
    );
    const theirs = await changeRequest(customer, productCode, "recurringNexiPayment");
    expect(
      landed((await decide(await openCheckout(customer, changePath(theirs)), "cancel")).location).query.result,
    ).toBe("cancelled");
    expect(await currentMethod(customer, productCode)).toBe("autoGiro");

    const refusedProduct = await newProduct(customer, { method: "invoice", code: `R${next()}02` });
    const refused = await changeRequest(customer, refusedProduct, "recurringVippsPayment");
    expect(
      landed((await decide(await openCheckout(customer, changePath(refused)), "approve")).location).query.result,
    ).toBe("failed");
    expect(await currentMethod(customer, refusedProduct)).toBe("invoice");
  });

  it("goes to errorUrl for another customer's change, another client's, or a malformed id", async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const theirs = await changeRequest(other, await newProduct(other), "invoice");
    expect(landed((await page(changePath(theirs), customer.cookie)).location)).toEqual({
      base: ERROR,
      query: { paymentChangeId: String(theirs), error: "not_found" },
    });
    const siblingCustomer = await newCustomer({ client: sibling });
    const bySibling = (
      await sibling.post(
        `/v1/product/payment/${await newProduct(siblingCustomer)}`,
        { paymentMethod: "invoice" },
        as(siblingCustomer),
      )
    ).body.paymentChangeId;
    expect(landed((await page(changePath(bySibling), siblingCustomer.cookie)).location).query.error).toBe("not_found");
    expect(landed((await page(changePath("1e3"), customer.cookie)).location).query.error).toBe("invalid_request");
  });
});

// ================================================================ /account

describe("/account", () => {
  it("lists the customer's products and invoices, and pays an invoice through the provider and back", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer, { method: "recurringVippsPayment" });
    const open = await newInvoice(customer, productCode, { amount: "395.00" });
    const paid = await newInvoice(customer, productCode, { paid: true });
    const other = await newCustomer();
    const theirs = await newInvoice(other, await newProduct(other));

    const account = await page("/account", customer.cookie);
    expect(account.html).toContain(productCode);
    expect(account.html).toContain("Vipps, recurring");
    expect(account.html).toContain(open.invoiceNumber);
    expect(account.html).toContain(paid.invoiceNumber);
    expect(account.html).not.toContain(theirs.invoiceNumber);
    expect(account.html).not.toContain("Overdue");
    await newInvoice(customer, productCode, { dueDate: "2020-01-31" });
    expect((await page("/account", customer.cookie)).html.match(/>Overdue</g)).toHaveLength(1);

    const started = await submit("/account", { intent: "pay", ...open, paymentMethod: "nexi" }, customer.cookie);
    expect(started.status).toBe(302);
    const checkout = new URL(started.location!).pathname;
    expect((await page(checkout)).html).toContain("Nexi");
    const back = landed((await decide(checkout, "approve")).location);
    expect(back.base).toBe(`${server.url}/account`);
    expect(back.query.result).toBe("finished");
    expect((await invoiceRow(open.invoiceNumber)).status).toBe("PAID");
    // The customer's own actions are logged as theirs.
    const [created] = await operationsNamed(server, Number(back.query.transactionId), "CREATE");
    expect(created).toMatchObject({ actorType: "CUSTOMER", actor: customer.customerNumber });

    // Another customer's invoice cannot be paid from here.
    const refused = await submit("/account", { intent: "pay", ...theirs, paymentMethod: "nexi" }, customer.cookie);
    expect(refused.status).toBe(404);
    expect((await invoiceRow(theirs.invoiceNumber)).paymentId).toBeNull();
  });

  it("changes a product's payment method through the provider and back", async () => {
    const customer = await newCustomer();
    const productCode = await newProduct(customer);
    const started = await submit(
      "/account",
      { intent: "change", productCode, paymentMethod: "autoGiro" },
      customer.cookie,
    );
    const checkout = new URL(started.location!).pathname;
    expect((await page(checkout)).html).toContain("AvtaleGiro");
    expect(landed((await decide(checkout, "approve")).location).query.result).toBe("finished");
    expect(await currentMethod(customer, productCode)).toBe("autoGiro");
  });
});

// ================================================================ races

describe("concurrency", () => {
  // One connection (PGlite) takes its transactions one at a time: only a server has row locks to wait on.
  it.runIf(usingServer())(
    "settling an invoice payment locks the invoice before the payment, as every claim on it does",
    async () => {
      const { customer, invoice } = await customerWithInvoice();
      const transactionId = await payAttempt(customer, invoice);
      const checkout = await openCheckout(customer, payPath(transactionId));
      // The PSP pays, but its answer is lost: the payment stays in progress for recovery to settle.
      const psp = await startPsp({ faults: { lostAnswerRate: 1, ops: ["self-service-pay"], times: 1 } });
      const shared = process.env.PAYDESK_PSP_URL;
      process.env.PAYDESK_PSP_URL = psp.url;
      try {
        await decide(checkout, "approve");
        const { paymentId } = await transactionRow(server, transactionId);
        const { db } = server.database;
        await db
          .update(providerOperations)
          .set({ nextCheckAt: new Date(0) })
          .where(eq(providerOperations.transactionId, transactionId));
        let recovery: Promise<unknown> | undefined;
        await db.transaction(async (tx) => {
          // A claim on the invoice (a new attempt, the page's next step) holds it...
          await tx
            .select()
            .from(customerInvoices)
            .where(eq(customerInvoices.invoiceNumber, invoice.invoiceNumber))
            .for("update");
          recovery = withDatabase(server.database, () => recoverProviderOperations());
          const waiting = sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`;
          const started = Date.now();
          while (((await db.execute(waiting)) as unknown as { n: number }[])[0].n < 1) {
            if (Date.now() - started > 20_000) throw new Error("the settlement never waited for the invoice");
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          // ...and the settlement waits for it without holding the payment, which the claim locks next.
          await db.execute(sql`select payment_id from payments where payment_id = ${paymentId} for update nowait`);
        });
        await recovery;
        expect((await invoiceRow(invoice.invoiceNumber)).status).toBe("PAID");
      } finally {
        process.env.PAYDESK_PSP_URL = shared;
        await psp.close();
      }
    },
  );

  it("parallel approvals of one provider page pay the invoice exactly once", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const transactionId = await payAttempt(customer, invoice);
    const checkout = await openCheckout(customer, payPath(transactionId));
    const answers = await Promise.all(Array.from({ length: 12 }, () => decide(checkout, "approve")));
    expect(answers.filter((a) => a.status === 302)).toHaveLength(1);
    // The others see the page completed (409) or, while the winner still waits on the provider, in progress (202).
    expect(answers.filter((a) => a.status !== 302 && a.status !== 409 && a.status !== 202)).toEqual([]);
    expect((await operations(transactionId)).filter((o) => o === "CAPTURE")).toHaveLength(1);
    expect((await invoiceRow(invoice.invoiceNumber)).paidTransactionId).toBe(transactionId);
  });

  it("parallel attempts leave exactly one open attempt, and the invoice's payment never over its total", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        shop.post(
          "/v1/api/payment/invoice",
          { ...invoice, paymentMethod: i % 2 ? "nexi" : "vippsEcommerce" },
          as(customer),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const { paymentId } = await invoiceRow(invoice.invoiceNumber);
    const attempts = await server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.paymentId, paymentId!));
    expect(attempts).toHaveLength(10);
    expect(attempts.filter((t) => t.status !== "CANCELLED")).toHaveLength(1);
    expect(
      await server.database.db.select().from(payments).where(eq(payments.orderId, invoice.invoiceNumber)),
    ).toHaveLength(1);
  });

  it("two attempts raced against their approvals: the invoice is paid at most once, by a captured attempt", async () => {
    const { customer, invoice } = await customerWithInvoice();
    const first = await payAttempt(customer, invoice);
    const firstPage = await openCheckout(customer, payPath(first));
    // While the customer approves the first attempt in one tab, other tabs start new attempts and approve them too.
    const racers = await Promise.all([
      decide(firstPage, "approve"),
      ...Array.from({ length: 4 }, async () => {
        const result = await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "nexi" }, as(customer));
        if (result.status !== 200) return { status: result.status, location: null, html: "" };
        const continued = await submit(payPath(result.body.transactionId), { intent: "continue" }, customer.cookie);
        const target = continued.location ? new URL(continued.location) : null;
        return target?.pathname.startsWith("/sandbox/checkout/") ? decide(target.pathname, "approve") : continued;
      }),
    ]);
    const finished = racers.filter((r) => r.location && landed(r.location).query.result === "finished");
    expect(finished).toHaveLength(1);
    const row = await invoiceRow(invoice.invoiceNumber);
    expect(row.status).toBe("PAID");
    const attempts = await server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.paymentId, row.paymentId!));
    const captured = attempts.filter((t) => t.status === "CAPTURED");
    expect(captured.map((t) => t.transactionId)).toEqual([row.paidTransactionId]);
    expect(captured.map((t) => t.transactionId)).toEqual([Number(landed(finished[0].location).query.transactionId)]);
    expect(attempts.filter((t) => t.status === "CREATED" || t.status === "INITIATED")).toHaveLength(0);
    // Every racer that lost got a clear answer: 409 (already paid) or a page/redirect saying so.
    for (const racer of racers) expect([200, 302, 409]).toContain(racer.status);
  });

  it("a code exchanged twice at once buys one token", async () => {
    const customer = await newCustomer({ login: false });
    const cookie = await customerLogin(customer.email, customer.password);
    const allowed = await submit(authorizePath(shop, `${SHOP}signed-in`), { intent: "allow" }, cookie);
    const code = landed(allowed.location).query.code;
    const answers = await Promise.all(Array.from({ length: 6 }, () => shop.post("/v1/customer-tokens", { code })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(5);
  });
});

describe("a shop acting for its logged-in customer on recurring payments and agreements", () => {
  it("creates a recurring payment and an agreement for the customer of its token, never for one it names", async () => {
    const customer = await newCustomer();
    const card = await shop.post("/v1/recurring-payments", { nickname: "Privat" }, as(customer));
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    expect(card.body).toMatchObject({ customerNumber: customer.customerNumber, nickname: "Privat" });

    const agreement = await shop.post(
      "/v1/payment-agreements",
      {
        productName: "Månedskort",
        pricing: { type: "LEGACY", amount: "99.00", currency: "NOK" },
        provider: { type: "VIPPS", phoneNumber: "12345678", redirectUrl: `${SHOP}agreement` },
      },
      as(customer),
    );
    expect(agreement.status, JSON.stringify(agreement.body)).toBe(201);
    expect(agreement.body.customerNumber).toBe(customer.customerNumber);

    // Naming someone else, or no customer token at all, is refused and creates nothing.
    const other = await newCustomer({ login: false });
    expectProblem(
      await shop.post("/v1/recurring-payments", { customerNumber: other.customerNumber }, as(customer)),
      403,
      "customerNumber",
    );
    expectProblem(await shop.post("/v1/recurring-payments", {}), 403, "customerNumber");
    expectProblem(
      await shop.post("/v1/recurring-payments", {}, { "Entur-Customer-Token": "made-up" }),
      401,
      "Entur-Customer-Token",
    );
    expect(
      await server.database.db
        .select()
        .from(recurringPayments)
        .where(eq(recurringPayments.customerNumber, other.customerNumber)),
    ).toEqual([]);
  });
});
