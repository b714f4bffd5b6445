// The staff Customers screen in Chromium, used as support and admins use it. Support looks a
// customer up by number and reads everything, with no way to act (a forged post is refused).
// An admin makes a stored card primary, ends the primary card and stops an agreement, each
// through the screen's dialog with a reason; the result is checked where people rely on it: the
// /v1 API that shops read, the screen after a reload, and the audit log screen. An unknown number
// reads as an empty customer; a malformed one is refused next to the search field.
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/roles";
import { formatMoney } from "../../app/components/format";
import { customerInvoices, customers, products } from "../../db/schema";
import { capturedCardPayment, createClient, type TestClient } from "../support/api";
import { chromiumAvailable, errorNextTo, withSignedInPage } from "../support/browser";
import { createStaff } from "../support/staff";
import { SHOP, useBrowserTest } from "../support/browser-test";

const CUSTOMER = "2400001";
const ORGANISATION = "Tindved Buss AS";
const ROUTE_ID = "routes/_staff.customers.$customerNumber";

describe.skipIf(!chromiumAvailable)("customers screen in Chromium", () => {
  let partner: TestClient;
  const staff = {} as Record<Role, { id: string; email: string; password: string; totpSecret?: string }>;
  // The customer's things, made through the API as a partner's systems would.
  let privateCard: number; // registered first: primary
  let workCard: number; // registered later: not primary
  let agreementId: string;
  let paymentId: number;
  let creditId: number;

  const e2e = useBrowserTest();

  beforeAll(async () => {
    partner = await createClient(e2e.server, {
      organisationId: 2401,
      organisationName: ORGANISATION,
      privileged: true,
      allowedRedirectPrefixes: [SHOP],
    });
    for (const role of ["support", "admin"] as const)
      staff[role] = await createStaff(e2e.server, role, { name: `Customers ${role}`, timeZone: "Europe/Oslo" });

    privateCard = await registeredCard("Privat", "4111111111111111");
    workCard = await registeredCard("Jobb", "5555555555554444");
    const agreement = await partner.post("/v1/payment-agreements", {
      customerNumber: CUSTOMER,
      productName: "Månedskort Tindved",
      pricing: { type: "LEGACY", amount: "799.00" },
      provider: { type: "VIPPS", phoneNumber: "91234567" },
    });
    expect(agreement.status, JSON.stringify(agreement.body)).toBe(201);
    agreementId = agreement.body.agreementId;
    // The customer confirms it in the (sandbox) Vipps app: ACTIVE.
    expect((await submit(agreement.body.provider.confirmationUrl, { decision: "approve" })).status).toBeLessThan(400);
    expect((await partner.get(`/v1/payment-agreements/${agreementId}`)).body.status).toBe("ACTIVE");

    const payment = await capturedCardPayment(partner, "249.00", { customerNumber: CUSTOMER, orderId: "CUST-E2E-1" });
    paymentId = payment.paymentId;
    const credit = await partner.post("/v1/credits", {
      totalCreditAmount: "49.50",
      creditTransactions: [{ paymentId, transactionId: payment.transactionId, amount: "49.50" }],
    });
    expect(credit.status, JSON.stringify(credit.body)).toBe(201);
    creditId = credit.body.creditId;

    // Customer record, products and invoices belong to self-service, which has no
    // API to create them; the screen only reads them.
    await e2e.server.database.db
      .insert(customers)
      .values({ customerNumber: CUSTOMER, name: "Kari Tindved", email: "kari@tindved.example", organisationId: 2401 });
    await e2e.server.database.db.insert(products).values({
      productCode: "P2400011",
      customerNumber: CUSTOMER,
      organisationId: 2401,
      companyCode: "TINDVED",
      name: "Årskort sone 2",
      currentPaymentMethod: "invoice",
    });
    await e2e.server.database.db.insert(customerInvoices).values({
      invoiceNumber: "F2400001",
      productCode: "P2400011",
      companyCode: "TINDVED",
      customerNumber: CUSTOMER,
      amount: "3450.00000",
      dueDate: "2026-12-20",
    });
  }, 90_000);

  /** A form post from one of the app's own pages (the sandbox pages check the Origin). */
  function submit(url: string, fields: Record<string, string>) {
    return fetch(url, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: e2e.server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  }

  /** A recurring payment whose card the customer registered on the card page: ACTIVE. */
  async function registeredCard(nickname: string, cardNumber: string): Promise<number> {
    const created = await partner.post("/v1/recurring-payments", { customerNumber: CUSTOMER, nickname });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: number = created.body.recurringPaymentId;
    const terminal = await partner.post(`/v1/recurring-payments/${id}/terminal`, { redirectUrl: `${SHOP}card-stored` });
    const fields = { intent: "pay", cardNumber, expiry: "12/30", cvc: "123", cardholder: "Kari Tindved" };
    expect((await submit(terminal.body.terminalUri, fields)).status).toBe(302);
    expect((await partner.put(`/v1/recurring-payments/${id}/authorize`)).status).toBe(200);
    return id;
  }

  /** The customer's cards as a shop sees them through the API (never the ended ones). */
  async function cardsThroughApi(): Promise<
    { recurringPaymentId: number; primary: boolean; recurringStatus: string }[]
  > {
    const listed = await partner.get(`/v1/recurring-payments?customerNumber=${CUSTOMER}`);
    expect(listed.status).toBe(200);
    return listed.body;
  }

  const asStaff = (role: Role, path: string, use: (page: Page) => Promise<void>) =>
    withSignedInPage(e2e.browser, e2e.server.url, staff[role], path, use);

  /** Types a customer number in the search box and looks it up. */
  async function lookUp(page: Page, customerNumber: string) {
    await page.getByRole("textbox", { name: "Customer number" }).fill(customerNumber);
    await page.getByRole("button", { name: "Look up" }).click();
  }

  const section = (page: Page, title: string) => page.getByRole("region", { name: title, exact: true });
  const cardRow = (page: Page, id: number) =>
    section(page, "Recurring payments")
      .getByRole("row")
      .filter({ hasText: `Recurring payment ${id}` });
  const agreementRow = (page: Page) =>
    section(page, "Payment agreements").getByRole("row").filter({ hasText: agreementId });
  const textOf = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/\s+/g, " ");
  /** An amount as the screen shows it, with the spacing textOf leaves. */
  const nok = (amount: string) => formatMoney(amount, "NOK", "en").replace(/\s+/g, " ");
  const isPrimaryOnScreen = async (row: Locator) => (await row.getByText("Primary", { exact: true }).count()) === 1;

  /** Everything a support agent needs to see about the customer, by section. */
  async function expectCustomerShown(page: Page) {
    await expect
      .poll(() => page.getByRole("heading", { name: `Customer ${CUSTOMER}` }).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await page.getByText("Kari Tindved", { exact: true }).count()).toBe(1);
    const payments = section(page, "Payments");
    expect(await textOf(payments)).toContain("CUST-E2E-1");
    expect(await textOf(payments)).toContain(nok("249.00"));
    expect(await payments.getByRole("link", { name: String(paymentId) }).getAttribute("href")).toBe(
      `/payments/${paymentId}`,
    );
    expect(await textOf(section(page, "Credits"))).toContain(nok("49.50"));
    expect(await textOf(section(page, "Credits"))).toContain(String(creditId));
    expect(await textOf(section(page, "Products"))).toContain("Årskort sone 2");
    const invoices = await textOf(section(page, "Invoices"));
    expect(invoices).toContain("F2400001");
    expect(invoices).toContain(nok("3450.00"));
    expect(await textOf(cardRow(page, privateCard))).toContain("411111******1111");
    expect(await textOf(cardRow(page, workCard))).toContain("555555******4444");
    expect(await textOf(cardRow(page, workCard))).toContain(ORGANISATION);
    expect(await textOf(agreementRow(page))).toContain("Månedskort Tindved");
  }

  /** Opens a row's action, gives the reason and confirms; waits for the dialog to close. */
  async function act(page: Page, row: Locator, button: string, title: RegExp, reason: string) {
    await row.getByRole("button", { name: button, exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await textOf(dialog)).toMatch(title);
    // Without a reason the form is not sent (the server refuses it too: integration tests).
    await dialog.getByRole("button", { name: button, exact: true }).click();
    expect(
      await dialog.getByLabel("Reason").evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing),
    ).toBe(true);
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: button, exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: 20_000 });
  }

  it("support finds the customer by number and reads everything, but has no action and cannot act", async () => {
    await asStaff("support", "/customers", async (page) => {
      await lookUp(page, ` ${CUSTOMER} `);
      await page.waitForURL(`${e2e.server.url}/customers/${CUSTOMER}`);
      await expectCustomerShown(page);
      expect(await textOf(cardRow(page, privateCard))).toContain("ACTIVE");
      expect(await textOf(agreementRow(page))).toContain("ACTIVE");
      // Things an admin could act on, but no buttons (nor an Actions column) for support.
      for (const name of ["Make primary", "End", "Stop"])
        expect(await page.getByRole("button", { name, exact: true }).count(), name).toBe(0);
      expect(await page.getByRole("columnheader", { name: "Actions", exact: true }).count()).toBe(0);

      // A post made by hand from their own signed-in page: refused, nothing changes.
      const status = await page.evaluate(
        async ({ url, fields }) => (await fetch(url, { method: "POST", body: new URLSearchParams(fields) })).status,
        {
          url: `/customers/${CUSTOMER}?_data=${encodeURIComponent(ROUTE_ID)}`,
          fields: { intent: "stop-agreement", target: agreementId, reason: "Not mine to do" },
        },
      );
      expect(status).toBe(403);
      expect((await partner.get(`/v1/payment-agreements/${agreementId}`)).body.status).toBe("ACTIVE");
    });
  });

  it("admin makes a card primary, ends the primary and stops the agreement: the API, the screen and the audit log agree", async () => {
    await asStaff("admin", "/customers", async (page) => {
      await lookUp(page, CUSTOMER);
      await page.waitForURL(`${e2e.server.url}/customers/${CUSTOMER}`);
      await expectCustomerShown(page);
      expect(await isPrimaryOnScreen(cardRow(page, privateCard))).toBe(true);
      expect(await isPrimaryOnScreen(cardRow(page, workCard))).toBe(false);

      // Make the work card primary: it takes the primary from the private card.
      await act(
        page,
        cardRow(page, workCard),
        "Make primary",
        new RegExp(`Make recurring payment ${workCard} .*primary\\?`),
        "Customer asked by phone, CS-2401",
      );
      await expect
        .poll(() => page.getByText(`Recurring payment ${workCard} is now the customer's primary one.`).count())
        .toBeGreaterThan(0);
      await expect.poll(() => isPrimaryOnScreen(cardRow(page, workCard))).toBe(true);
      expect(await isPrimaryOnScreen(cardRow(page, privateCard))).toBe(false);
      expect((await cardsThroughApi()).filter((card) => card.primary).map((card) => card.recurringPaymentId)).toEqual([
        workCard,
      ]);

      // End the work card, now the primary: it is gone from the API and the private card is primary again.
      await act(
        page,
        cardRow(page, workCard),
        "End",
        new RegExp(`End recurring payment ${workCard} `),
        "Card reported stolen, CS-2402",
      );
      await expect.poll(() => textOf(cardRow(page, workCard))).toContain("CANCELLED");
      await expect.poll(() => isPrimaryOnScreen(cardRow(page, privateCard))).toBe(true);
      expect(await cardRow(page, workCard).getByRole("button").count()).toBe(0);
      expect(await cardsThroughApi()).toEqual([
        expect.objectContaining({ recurringPaymentId: privateCard, primary: true, recurringStatus: "ACTIVE" }),
      ]);

      // Stop the agreement.
      await act(
        page,
        agreementRow(page),
        "Stop",
        /Stop agreement Månedskort Tindved\?/,
        "Customer cancelled the subscription",
      );
      await expect.poll(() => textOf(agreementRow(page))).toContain("STOPPED");
      expect(await agreementRow(page).getByRole("button", { name: "Stop" }).count()).toBe(0);
      expect((await partner.get(`/v1/payment-agreements/${agreementId}`)).body.status).toBe("STOPPED");

      // A reload reads the same from the database.
      await page.reload();
      await expect.poll(() => textOf(agreementRow(page)), { timeout: 20_000 }).toContain("STOPPED");
      expect(await textOf(cardRow(page, workCard))).toContain("CANCELLED");
      expect(await isPrimaryOnScreen(cardRow(page, workCard))).toBe(false);
      expect(await isPrimaryOnScreen(cardRow(page, privateCard))).toBe(true);
      expect(await textOf(cardRow(page, privateCard))).toContain("ACTIVE");

      // The audit log screen has the three, with who, why and on what.
      await page.goto(`${e2e.server.url}/audit-log?actor=${encodeURIComponent(staff.admin.email)}`);
      const rows = page.getByTestId("audit-row");
      const actions = () =>
        rows.evaluateAll((all) =>
          all.map((row) => row.getAttribute("data-action")).filter((action) => action !== "auth.login"),
        );
      await expect
        .poll(actions, { timeout: 20_000 })
        .toEqual(["payment_agreement.stop", "recurring_payment.end", "recurring_payment.make_primary"]);
      const entry = (action: string) => page.locator(`[data-testid="audit-row"][data-action="${action}"]`);
      for (const [action, entity, reason] of [
        ["recurring_payment.make_primary", String(workCard), "Customer asked by phone, CS-2401"],
        ["recurring_payment.end", String(workCard), "Card reported stolen, CS-2402"],
        ["payment_agreement.stop", agreementId, "Customer cancelled the subscription"],
      ]) {
        const text = await textOf(entry(action));
        expect(text, action).toContain(entity);
        expect(text, action).toContain(reason);
        expect(text, action).toContain(staff.admin.email);
      }
      // An entry leads back to the customer whose card it was.
      await entry("recurring_payment.end")
        .getByRole("link", { name: String(workCard), exact: true })
        .click();
      await page.waitForURL(`${e2e.server.url}/customers/${CUSTOMER}`);
      await expect.poll(() => textOf(cardRow(page, workCard)), { timeout: 20_000 }).toContain("CANCELLED");
    });
  });

  it("an unknown customer number reads as nobody; a malformed one is refused next to the field", async () => {
    await asStaff("support", "/customers", async (page) => {
      await lookUp(page, "99999999");
      await page.waitForURL(`${e2e.server.url}/customers/99999999`);
      await expect
        .poll(() => page.getByText(/Nothing is known under this customer number/).count(), { timeout: 20_000 })
        .toBe(1);
      expect(await page.getByRole("region").count()).toBe(0);

      const field = page.getByRole("textbox", { name: "Customer number" });
      await lookUp(page, "12ab");
      await page.waitForURL(/\/customers\?customerNumber=12ab$/);
      await expect
        .poll(() => errorNextTo(page, field), { timeout: 20_000 })
        .toBe("A customer number has digits only (at most 20).");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await field.inputValue()).toBe("12ab");
    });
  });
});
