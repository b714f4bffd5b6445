// Product self-service in Chromium, as a customer: the shop sends the customer to
// /account/authorize, they log in and allow it, the shop exchanges the code for a customer token;
// then they pay an invoice and change a product's payment method through our pages and the
// sandbox provider's, and land on the shop's returnUrl (intercepted: https://shop.example does
// not exist) with result=finished. The database and the API agree afterwards. An attacker's
// returnUrl stops on our refusal page. Once with JavaScript (Remix <Form>), once without.
import type { Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../app/auth/password.server";
import { formatMoney } from "../../app/components/format";
import { customerInvoices, customers, products } from "../../db/schema";
import { chromiumAvailable } from "../support/browser";
import { SHOP, shopContext, useShopBrowserTest } from "../support/browser-test";

describe.skipIf(!chromiumAvailable)("product self-service in Chromium", () => {
  const e2e = useShopBrowserTest(1901);

  /** A customer with one product paid by invoice and one open invoice for it. */
  async function customerWithInvoice(n: number) {
    const customer = { customerNumber: `19010${n}`, email: `e2e${n}@self.test`, password: `e2e password ${n}` };
    await e2e.server.database.db.insert(customers).values({
      ...customer,
      name: `Kari E2E ${n}`,
      passwordHash: await hashPassword(customer.password),
      organisationId: 1901,
    });
    const productCode = `E2E${n}`;
    await e2e.server.database.db.insert(products).values({
      productCode,
      customerNumber: customer.customerNumber,
      organisationId: 1901,
      companyCode: "E2ECO",
      name: "Månedskort sone 1",
      currentPaymentMethod: "invoice",
    });
    const invoiceNumber = `FE2E${n}`;
    await e2e.server.database.db.insert(customerInvoices).values({
      invoiceNumber,
      productCode,
      companyCode: "E2ECO",
      customerNumber: customer.customerNumber,
      amount: "849.00",
      dueDate: "2026-12-15",
    });
    return { ...customer, productCode, invoiceNumber };
  }

  async function hydrated(page: Page, javaScriptEnabled: boolean) {
    if (javaScriptEnabled)
      await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  }

  /** Where the browser landed at the shop, as an object of its query. */
  function shopQuery(page: Page) {
    const url = new URL(page.url());
    return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
  }

  const flowUrl = (path: string, id: Record<string, string>, returnUrl = `${SHOP}return`) =>
    `${e2e.server.url}${path}?${new URLSearchParams({ clientId: e2e.shop.clientId, returnUrl, errorUrl: `${SHOP}error`, ...id })}`;

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? "with" : "without";

    it(`logs in, pays an invoice and changes a product's payment method (${mode} JavaScript)`, async () => {
      const customer = await customerWithInvoice(javaScriptEnabled ? 1 : 2);
      const context = await shopContext(e2e.browser, javaScriptEnabled);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      try {
        // 1. The shop asks to act for the customer: login, allow, back with a code.
        await page.goto(
          `${e2e.server.url}/account/authorize?${new URLSearchParams({ clientId: e2e.shop.clientId, redirectUri: `${SHOP}signed-in`, state: "e2e" })}`,
        );
        expect(new URL(page.url()).pathname).toBe("/account/login");
        await hydrated(page, javaScriptEnabled);
        await page.getByLabel("Email").fill(customer.email);
        await page.getByLabel("Password").fill(customer.password);
        await page.getByRole("button", { name: "Log in" }).click();
        await page.getByRole("button", { name: "Allow" }).waitFor();
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Continue to");
        await hydrated(page, javaScriptEnabled);
        await page.getByRole("button", { name: "Allow" }).click();
        await page.waitForURL(`${SHOP}signed-in**`);
        const signedIn = shopQuery(page);
        expect(signedIn.query.state).toBe("e2e");
        const exchanged = await e2e.shop.post("/v1/customer-tokens", { code: signedIn.query.code });
        expect(exchanged.status).toBe(201);
        const asCustomer = { "Entur-Customer-Token": exchanged.body.customerToken };

        // 2. The shop starts paying the invoice; the customer pays on our page and the provider's.
        const started = await e2e.shop.post(
          "/v1/api/payment/invoice",
          {
            invoiceNumber: customer.invoiceNumber,
            productCode: customer.productCode,
            companyCode: "E2ECO",
            paymentMethod: "creditcardPayex",
          },
          asCustomer,
        );
        expect(started.body).toEqual({ success: true, transactionId: expect.any(Number) });
        const transactionId = started.body.transactionId as number;
        await page.goto(flowUrl("/payment/invoice/pay", { transactionId: String(transactionId) }));
        // Our page writes money as the reader's language does (English here); the provider's its own way.
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("849.00", "NOK", "en-GB"));
        expect(await page.getByTestId("invoice").textContent()).toBe(customer.invoiceNumber);
        await hydrated(page, javaScriptEnabled);
        await page.getByRole("button", { name: "Continue to PayEx" }).click();
        // (With JavaScript the URL changes before the provider page has rendered: wait for the page.)
        await page.getByRole("heading", { name: "PayEx", exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toMatch(/^\/sandbox\/checkout\//);
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("849.00", "NOK"));
        await page.getByRole("button", { name: "Pay", exact: true }).click();
        await page.waitForURL(`${SHOP}return**`);
        expect(shopQuery(page)).toEqual({
          path: "/return",
          query: { transactionId: String(transactionId), result: "finished" },
        });
        expect(await page.locator("h1").textContent()).toBe("Back at the shop");

        const [invoice] = await e2e.server.database.db
          .select()
          .from(customerInvoices)
          .where(eq(customerInvoices.invoiceNumber, customer.invoiceNumber));
        expect(invoice).toMatchObject({ status: "PAID", paidTransactionId: transactionId });
        const transaction = await e2e.shop.get(`/v1/payments/${invoice.paymentId}/transactions/${transactionId}`);
        expect(transaction.body).toMatchObject({ status: "CAPTURED", amount: "849.00" });
        expect(transaction.body.operationLog.map((o: { operation: string }) => o.operation)).toEqual([
          "CREATE",
          "INITIATE",
          "AUTHORIZE",
          "CAPTURE",
        ]);
        expect(
          (
            await e2e.shop.post(
              "/v1/api/payment/invoice",
              {
                invoiceNumber: customer.invoiceNumber,
                productCode: customer.productCode,
                companyCode: "E2ECO",
                paymentMethod: "nexi",
              },
              asCustomer,
            )
          ).status,
        ).toBe(409);

        // 3. The shop asks to change the product's payment method; the customer confirms with Vipps.
        const change = await e2e.shop.post(
          `/v1/product/payment/${customer.productCode}`,
          { paymentMethod: "recurringVippsPayment" },
          asCustomer,
        );
        expect(change.status).toBe(200);
        const paymentChangeId = String(change.body.paymentChangeId);
        await page.goto(flowUrl("/paymentChange", { paymentChangeId }));
        expect(await page.getByTestId("current").textContent()).toBe("Invoice");
        expect(await page.getByTestId("method").textContent()).toBe("Vipps, recurring");
        await hydrated(page, javaScriptEnabled);
        await page.getByRole("button", { name: "Continue to Vipps" }).click();
        await page.getByRole("heading", { name: "Vipps", exact: true }).waitFor();
        await page.getByRole("button", { name: "Approve", exact: true }).click();
        await page.waitForURL(`${SHOP}return**`);
        expect(shopQuery(page)).toEqual({ path: "/return", query: { paymentChangeId, result: "finished" } });
        const methods = await e2e.shop.get(`/v1/product/payment/${customer.productCode}`, asCustomer);
        expect(methods.body.paymentMethodResponseItems[0]).toMatchObject({
          paymentMethod: "recurringVippsPayment",
          current: true,
        });

        // 4. An attacker's returnUrl stops on our page: no redirect, and it says why.
        await page.goto(flowUrl("/paymentChange", { paymentChangeId }, "https://evil.example/steal"));
        expect(new URL(page.url()).origin).toBe(e2e.server.url);
        expect(await page.getByRole("alert").textContent()).toContain("not an address");

        // 5. /account shows it all.
        await page.goto(`${e2e.server.url}/account`);
        expect(await page.getByTestId(`invoice-${customer.invoiceNumber}`).getByTestId("status").textContent()).toBe(
          "Paid",
        );
        expect(
          await page.getByTestId(`product-${customer.productCode}`).getByTestId("current-method").textContent(),
        ).toBe("Vipps, recurring");
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
