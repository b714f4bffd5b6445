// The Vipps, wallet 3DS and Collector invoice pages in Chromium: a real browser submits their
// forms (with its own Origin and Referer rules, which the HTTP tests only imitate) and lands on
// the shop's redirectUrl (intercepted: https://shop.example does not exist) with the result.
// This is what caught a Referrer-Policy: no-referrer on the pages, which made Chromium send
// "Origin: null" and the CSRF check refuse every decision.
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../app/components/format";
import { chromiumAvailable } from "../support/browser";
import { paymentWithTransaction } from "../support/api";
import { SHOP, shopContext, useShopBrowserTest } from "../support/browser-test";

describe.skipIf(!chromiumAvailable)("hosted Vipps, wallet and invoice pages in Chromium", () => {
  const e2e = useShopBrowserTest(1851);

  const tx = (p: { paymentId: number; transactionId: number }) =>
    `/v1/payments/${p.paymentId}/transactions/${p.transactionId}`;

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? "with" : "without";

    it(`approves a Vipps claim and returns to the shop (${mode} JavaScript)`, async () => {
      const p = await paymentWithTransaction(e2e.shop, "129.00", "VIPPS");
      const claim = await e2e.shop.post(`${tx(p)}/app-claim`, {
        phoneNumber: "12345678",
        description: "Day pass",
        redirectUrl: `${SHOP}vipps`,
      });
      expect(claim.status).toBe(201);
      const context = await shopContext(e2e.browser, javaScriptEnabled);
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
      expect((await e2e.shop.get(tx(p))).body.status).toBe("AUTHORIZED");
    });

    it(`cancels a wallet 3DS page and returns to the shop (${mode} JavaScript)`, async () => {
      const p = await paymentWithTransaction(e2e.shop, "45.00", "VISA");
      const wallet = await e2e.shop.post(`${tx(p)}/wallet`, {
        walletProvider: "GooglePay",
        paymentData: JSON.stringify({ paymentMethodData: { info: { cardDetails: "1111", cardNetwork: "VISA" } } }),
        redirectUrl: `${SHOP}wallet`,
      });
      expect(wallet.status).toBe(201);
      const context = await shopContext(e2e.browser, javaScriptEnabled);
      const page = await context.newPage();
      try {
        await page.goto(wallet.body.terminalUri);
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("45.00", "NOK"));
        expect(await page.getByTestId("merchant").textContent()).toBe(`Organisation ${e2e.shop.organisationId}`);
        await page.getByRole("button", { name: "Cancel" }).click();
        await page.waitForURL(`${SHOP}**`);
        expect(new URL(page.url()).searchParams.get("result")).toBe("rejected");
      } finally {
        await context.close();
      }
      expect((await e2e.shop.get(tx(p))).body.status).toBe("INITIATED");
    });

    it(`confirms a B2B invoice on its page, which stays there (${mode} JavaScript)`, async () => {
      const p = await paymentWithTransaction(e2e.shop, "800.00", "COLLECTOR_B2B");
      const invoice = await e2e.shop.post(`${tx(p)}/invoice`, { externalInvoiceNumber: "E2E-1" });
      expect(invoice.status).toBe(201);
      const context = await shopContext(e2e.browser, javaScriptEnabled);
      const page = await context.newPage();
      try {
        await page.goto(`${e2e.server.url}/sandbox/invoice/${invoice.body.publicToken}`);
        expect(await page.getByTestId("amount").textContent()).toBe(formatMoney("800.00", "NOK"));
        expect(await page.getByTestId("merchant").textContent()).toBe(`Organisation ${e2e.shop.organisationId}`);
        await page.getByRole("button", { name: "Confirm invoice" }).click();
        await expect.poll(() => page.getByRole("status").textContent()).toContain("Invoice confirmed");
        expect(await page.getByRole("button", { name: "Confirm invoice" }).count()).toBe(0);
      } finally {
        await context.close();
      }
      expect((await e2e.shop.get(tx(p))).body.status).toBe("AUTHORIZED");
    });
  }
});
