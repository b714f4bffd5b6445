// The staff Customers screen over HTTP: a support agent looks a customer up and sees their
// payments, credits, recurring payments, agreements, products and invoices; an admin ends a
// recurring payment, makes one primary and stops an agreement, each with a reason that lands in the audit
// log; bad or forged posts change nothing.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, roleHasPermission } from "../../app/auth/roles";
import { auditLog, customerInvoices, customers, paymentAgreements, products, recurringPayments } from "../../db/schema";
import { useApiClient, useStaffSession, useTestServer } from "../support/fixtures-http";
import { cardForm, submitForm } from "../support/fixtures-pages";
import { createStaff, getPage, loginAs, postForm } from "../support/staff";

const SHOP = "https://shop.example/";
const ROUTE_ID = "routes/_staff.customers.$customerNumber";

const server = useTestServer();
const partner = useApiClient(server, { organisationId: 2301, privileged: true, allowedRedirectPrefixes: [SHOP] });
const support = useStaffSession(server, "support");
const admin = useStaffSession(server, "admin");

const CUSTOMER = "2300001";
const OTHER_CUSTOMER = "2300002";
let activeCard: number; // ACTIVE, primary
let newCard: number; // CREATED
let otherCustomersCard: number;
let agreementId: string;
let paymentId: number;

beforeAll(async () => {
  // The customer's data, made through the API like a client would.
  activeCard = (await partner.post("/v1/recurring-payments", { customerNumber: CUSTOMER, nickname: "Privat" })).body
    .recurringPaymentId;
  const terminal = await partner.post(`/v1/recurring-payments/${activeCard}/terminal`, { redirectUrl: `${SHOP}done` });
  const stored = await submitForm(
    terminal.body.terminalUri,
    cardForm("4111111111111111", { cardholder: "Kari" }),
    server.url,
  );
  expect(stored.status).toBe(302);
  expect((await partner.put(`/v1/recurring-payments/${activeCard}/authorize`)).status).toBe(200);
  newCard = (await partner.post("/v1/recurring-payments", { customerNumber: CUSTOMER, nickname: "Jobb" })).body
    .recurringPaymentId;
  otherCustomersCard = (await partner.post("/v1/recurring-payments", { customerNumber: OTHER_CUSTOMER })).body
    .recurringPaymentId;
  agreementId = (
    await partner.post("/v1/payment-agreements", {
      customerNumber: CUSTOMER,
      productName: "Månedskort Oslo",
      pricing: { type: "LEGACY", amount: "799.00" },
      provider: { type: "VIPPS" },
    })
  ).body.agreementId;
  paymentId = (
    await partner.post("/v1/payments", { totalAmount: "123.45", customerNumber: CUSTOMER, orderId: "CUST-ORDER-1" })
  ).body.paymentId;

  // Products and invoices belong to self-service; the screen only reads them.
  await server.database.db
    .insert(customers)
    .values({ customerNumber: CUSTOMER, name: "Kari Nordmann", email: "kari@example.no", organisationId: 2301 });
  const product = { productCode: "P2300001", companyCode: "NORDBUSS", customerNumber: CUSTOMER };
  await server.database.db
    .insert(products)
    .values({ ...product, organisationId: 2301, name: "Årskort sone 1", currentPaymentMethod: "invoice" });
  await server.database.db.insert(customerInvoices).values([
    { ...product, invoiceNumber: "F2300001", amount: "2450.00000", dueDate: "2099-12-20" },
    { ...product, invoiceNumber: "F2300002", amount: "99.00000", dueDate: "2020-01-31" },
  ]);
});

/** A same-origin post of the screen's form as Remix's fetcher sends it (JSON answer). */
function act(fields: Record<string, string>, cookie = admin.cookie, customerNumber = CUSTOMER) {
  return postForm(server, `/customers/${customerNumber}?_data=${encodeURIComponent(ROUTE_ID)}`, fields, cookie);
}

const card = async (id: number) =>
  (await server.database.db.select().from(recurringPayments).where(eq(recurringPayments.recurringPaymentId, id)))[0];
const agreement = async () =>
  (await server.database.db.select().from(paymentAgreements).where(eq(paymentAgreements.agreementId, agreementId)))[0];
const auditOf = (entityType: string, entityId: string | number) =>
  server.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, String(entityId))));

describe("viewing a customer", () => {
  it("shows the customer's payments, credits, recurring payments, agreements, products and invoices", async () => {
    const response = await getPage(server, `/customers/${CUSTOMER}`, support.cookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Kari Nordmann");
    expect(html).toContain("411111******1111");
    expect(html).toContain(`Recurring payment ${newCard}`);
    expect(html).toContain("Card not registered yet");
    expect(html).toContain("Månedskort Oslo");
    expect(html).toContain(`href="/payments/${paymentId}"`);
    expect(html).toContain("CUST-ORDER-1");
    expect(html).toContain("Årskort sone 1");
    expect(html).toContain("F2300001");
    // An open invoice past its due day says so; one due later does not.
    expect(html.match(/>Overdue</g)).toHaveLength(1);
    expect(html).toContain('title="Due 2020-01-31"');
    expect(html).toContain("No credits with this customer number.");
    // Only last 4 / masked PANs anywhere; another customer's card is not on this screen.
    expect(html).not.toContain(`Recurring payment ${otherCustomersCard}`);
    expect(html).not.toMatch(/ph_[A-Za-z0-9_-]{10}/);
  });

  it("looks up by number from the search box, and says what is wrong with a bad one", async () => {
    const found = await getPage(server, `/customers?customerNumber=%20${CUSTOMER}%20`, support.cookie);
    expect(found.status).toBe(302);
    expect(found.headers.get("location")).toBe(`/customers/${CUSTOMER}`);
    const bad = await getPage(server, "/customers?customerNumber=12ab", support.cookie);
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("A customer number has digits only");
    expect((await getPage(server, "/customers/12ab", support.cookie)).status).toBe(404);
    const unknown = await (await getPage(server, "/customers/99999999", support.cookie)).text();
    expect(unknown).toContain("Nothing is known under this customer number");
  });

  it("sends someone who is not logged in to the login page", async () => {
    const response = await getPage(server, `/customers/${CUSTOMER}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("acting on a customer", () => {
  it("an admin makes a recurring payment primary, with the reason and before/after in the audit log", async () => {
    const response = await fetch(`${server.url}/customers/${CUSTOMER}?_data=${encodeURIComponent(ROUTE_ID)}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: server.url,
        Cookie: admin.cookie,
        "X-Correlation-Id": "staff-primary-1",
      },
      body: new URLSearchParams({
        intent: "make-primary",
        target: String(newCard),
        reason: "Customer asked by phone, CS-1",
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, message: expect.stringContaining(`${newCard}`) });
    expect((await card(newCard)).isPrimary).toBe(true);
    expect((await card(activeCard)).isPrimary).toBe(false);
    const [entry] = await auditOf("recurring_payment", newCard);
    expect(entry).toMatchObject({
      action: "recurring_payment.make_primary",
      actorUserId: admin.id,
      actorEmail: admin.email,
      reason: "Customer asked by phone, CS-1",
      correlationId: "staff-primary-1",
      before: expect.objectContaining({ isPrimary: false }),
      after: expect.objectContaining({ isPrimary: true }),
    });
    // Through the API the change is visible at once.
    const listed = await partner.get(`/v1/recurring-payments?customerNumber=${CUSTOMER}`);
    expect(
      listed.body
        .filter((r: { primary: boolean }) => r.primary)
        .map((r: { recurringPaymentId: number }) => r.recurringPaymentId),
    ).toEqual([newCard]);
  });

  it("ends a recurring payment and stops an agreement, each audited; doing it again is refused in the form or changes nothing", async () => {
    const ended = await act({ intent: "end-recurring", target: String(activeCard), reason: "Card reported stolen" });
    expect(ended.status).toBe(200);
    expect((await card(activeCard)).recurringStatus).toBe("CANCELLED");
    expect(await auditOf("recurring_payment", activeCard)).toEqual([
      expect.objectContaining({
        action: "recurring_payment.end",
        reason: "Card reported stolen",
        after: expect.objectContaining({ recurringStatus: "CANCELLED" }),
      }),
    ]);

    const stopped = await act({
      intent: "stop-agreement",
      target: agreementId,
      reason: "Customer cancelled the subscription",
    });
    expect(stopped.status).toBe(200);
    expect((await stopped.json()).message).toContain("stopped");
    expect((await agreement()).status).toBe("STOPPED");
    const [stopEntry] = await auditOf("payment_agreement", agreementId);
    expect(stopEntry).toMatchObject({
      action: "payment_agreement.stop",
      before: { status: "PENDING" },
      after: expect.objectContaining({ status: "STOPPED" }),
    });

    // An ended card cannot become primary: the service's 409, shown in the form, no audit entry.
    const refused = await act({ intent: "make-primary", target: String(activeCard), reason: "Try anyway" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).message).toMatch(/ended/);
    // In the staff user's language (here by the language cookie): no English left on a Norwegian screen.
    const norsk = await act(
      { intent: "make-primary", target: String(activeCard), reason: "Prøv likevel" },
      `${admin.cookie}; paydesk_lang=nb`,
    );
    expect((await norsk.json()).message).toBe(`Gjentakende betaling ${activeCard} er avsluttet; den kan ikke endres`);
    expect(await auditOf("recurring_payment", activeCard)).toHaveLength(1);
    // Stopping again answers the same and writes nothing more.
    expect((await act({ intent: "stop-agreement", target: agreementId, reason: "Again" })).status).toBe(200);
    expect(await auditOf("payment_agreement", agreementId)).toHaveLength(1);
  });

  it("wants a reason and a known action, and refuses another customer's card; nothing changes", async () => {
    const before = await card(otherCustomersCard);
    const noReason = await act({ intent: "end-recurring", target: String(newCard), reason: " " });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).fieldErrors.reason).toMatch(/required/);
    expect((await act({ intent: "end-recurring", target: String(newCard), reason: "x".repeat(501) })).status).toBe(400);
    expect((await act({ intent: "delete-everything", target: String(newCard), reason: "Because" })).status).toBe(400);
    expect((await act({ intent: "end-recurring", target: "../1", reason: "Because" })).status).toBe(400);
    const notTheirs = await act({
      intent: "end-recurring",
      target: String(otherCustomersCard),
      reason: "Wrong screen",
    });
    expect(notTheirs.status).toBe(404);
    expect((await act({ intent: "end-recurring", target: "987654321", reason: "Unknown" })).status).toBe(404);
    expect((await act({ intent: "stop-agreement", target: "agr_nope", reason: "Unknown" })).status).toBe(404);
    expect(await card(otherCustomersCard)).toEqual(before);
    expect((await card(newCard)).recurringStatus).toBe("CREATED");
    expect(await auditOf("recurring_payment", otherCustomersCard)).toEqual([]);
  });

  it("refuses forged posts: not logged in, from another site, or from a role without customer:manage", async () => {
    const before = await card(otherCustomersCard);
    const fields = { intent: "end-recurring", target: String(otherCustomersCard), reason: "Forged" };
    const anonymous = await postForm(server, `/customers/${OTHER_CUSTOMER}`, fields);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
    const crossSite = await fetch(`${server.url}/customers/${OTHER_CUSTOMER}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://evil.example",
        Cookie: support.cookie,
      },
      body: new URLSearchParams(fields),
    });
    expect(crossSite.status).toBe(403);
    expect(await card(otherCustomersCard)).toEqual(before);
    expect(await auditOf("recurring_payment", otherCustomersCard)).toEqual([]);
  });

  // The permission matrix (app/auth/roles.ts) decides: every role may look, only admins act.
  it.each(ROLES)("%s: acts exactly when the role has customer:manage", async (role) => {
    const staff = await createStaff(server, role);
    const cookie = await loginAs(server, staff);
    const target = (await partner.post("/v1/recurring-payments", { customerNumber: OTHER_CUSTOMER })).body
      .recurringPaymentId;
    const response = await act(
      { intent: "end-recurring", target: String(target), reason: `Matrix check ${role}` },
      cookie,
      OTHER_CUSTOMER,
    );
    if (roleHasPermission(role, "customer:manage")) {
      expect(response.status).toBe(200);
      expect((await card(target)).recurringStatus).toBe("CANCELLED");
    } else {
      expect(response.status).toBe(403);
      expect((await card(target)).recurringStatus).toBe("CREATED");
      expect(await auditOf("recurring_payment", target)).toEqual([]);
    }
    expect((await getPage(server, `/customers/${OTHER_CUSTOMER}`, cookie)).status).toBe(
      roleHasPermission(role, "customer:read") ? 200 : 403,
    );
  });
});
