// The Vipps, wallet 3DS and Collector invoice pages in Chromium: a real browser submits their
// forms (with its own Origin and Referer rules, which the HTTP tests only imitate) and lands on
// the shop's redirectUrl (intercepted: https://shop.example does not exist) with the result.
// This is what caught a Referrer-Policy: no-referrer on the pages, which made Chromium send
// "Origin: null" and the CSRF check refuse every decision.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../app/components/format";
import { chromiumAvailable, closeBrowser, launchBrowser } from "../support/browser";
import { createClient, paymentWithTransaction, type TestClient } from "../support/api";
import { startTestServer, type TestServer } from "../support/server";

const SHOP = "https://shop.example/";

describe.skipIf(!chromiumAvailable)("hosted Vipps, wallet and invoice pages in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let client: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = await createClient(server, { organisationId: 1851, allowedRedirectPrefixes: [SHOP] });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeBrowser(browser);
    await server?.close();
  });

  async function shopContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 800, height: 900 } });
    await context.route(`${SHOP}**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html",
        body: "<!doctype html><title>Shop</title><h1>Back at the shop</h1>",
      }),
    );
    return context;
  }

  const tx = (p: { paymentId: number; transactionId: number }) =>
    `/v1/payments/${p.paymentId}/transactions/${p.transactionId}`;

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? "with" : "without";

    it(`approves a Vipps claim and returns to the shop (${mode} JavaScript)`, async () => {
      const p = await paymentWithTransaction(client, "129.00", "VIPPS");
      const claim = await client.post(`${tx(p)}/app-claim`, {
        phoneNumber: "12345678",
        description: "Day pass",
        redirectUrl: `${SHOP}vipps`,
      });
      expect(claim.status).toBe(201);
      const context = await shopContext(javaScriptEnabled);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      try {
        await page.goto(claim.body.appClaimUrl);
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("129.00", "NOK"));
        expect(await page.getByTestId("description").textContent()).toBe("Day pass");
        await page.getByRole("button", { name: "Approve" }).click();
        await page.waitForURL(`${SHOP}**`);
        const back = new URL(page.url());
        expect(back.searchParams.get("result")).toBe("approved");
        expect(back.searchParams.get("transactionId")).toBe(String(p.transactionId));
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
      expect((await client.get(tx(p))).body.status).toBe("AUTHORIZED");
    });

    it(`cancels a wallet 3DS page and returns to the shop (${mode} JavaScript)`, async () => {
      const p = await paymentWithTransaction(client, "45.00", "VISA");
      const wallet = await client.post(`${tx(p)}/wallet`, {
        walletProvider: "GooglePay",
        paymentData: JSON.stringify({ paymentMethodData: { info: { cardDetails: "1111", cardNetwork: "VISA" } } }),
        redirectUrl: `${SHOP}wallet`,
      });
      expect(wallet.status).toBe(201);
      const context = await shopContext(javaScriptEnabled);
      const page = await context.newPage();
      try {
        await page.goto(wallet.body.terminalUri);
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("45.00", "NOK"));
        expect(await page.getByTestId("merchant").textContent()).toBe(`Organisation ${client.organisationId}`);
        await page.getByRole("button", { name: "Cancel" }).click();
        await page.waitForURL(`${SHOP}**`);
        expect(new URL(page.url()).searchParams.get("result")).toBe("rejected");
      } finally {
        await context.close();
      }
      expect((await client.get(tx(p))).body.status).toBe("INITIATED");
    });

    it(`confirms a B2B invoice on its page, which stays there (${mode} JavaScript)`, async () => {
      const p = await paymentWithTransaction(client, "800.00", "COLLECTOR_B2B");
      const invoice = await client.post(`${tx(p)}/invoice`, { externalInvoiceNumber: "E2E-1" });
      expect(invoice.status).toBe(201);
      const context = await shopContext(javaScriptEnabled);
      const page = await context.newPage();
      try {
        await page.goto(`${server.url}/sandbox/invoice/${invoice.body.publicToken}`);
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("800.00", "NOK"));
        expect(await page.getByTestId("merchant").textContent()).toBe(`Organisation ${client.organisationId}`);
        await page.getByRole("button", { name: "Confirm invoice" }).click();
        await expect.poll(() => page.getByRole("status").textContent()).toContain("Invoice confirmed");
        expect(await page.getByRole("button", { name: "Confirm invoice" }).count()).toBe(0);
      } finally {
        await context.close();
      }
      expect((await client.get(tx(p))).body.status).toBe("AUTHORIZED");
    });
  }
});
