// A customer pays on the sandbox card terminal in Chromium: opens the terminalUri the API handed
// out, is refused with one test card, types the approving one, and lands back on the shop's
// redirectUrl (intercepted: https://shop.example does not exist) with responseCode=OK; the API
// then shows the transaction AUTHORIZED with only the last 4 digits. Once with JavaScript
// (Remix <Form>), once without (a plain HTML form POST).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable } from "../support/browser";
import { paymentWithTransaction } from "../support/api";
import { SHOP, shopContext, useShopBrowserTest } from "../support/browser-test";

describe.skipIf(!chromiumAvailable)("card terminal in Chromium", () => {
  const e2e = useShopBrowserTest(1801);

  async function openTerminal() {
    const { paymentId, transactionId } = await paymentWithTransaction(e2e.shop, "149.90", "VISA");
    const result = await e2e.shop.post(`/v1/payments/${paymentId}/transactions/${transactionId}/terminal`, {
      redirectUrl: `${SHOP}return?order=e2e`,
      terminalLanguage: "en_GB",
    });
    expect(result.status).toBe(201);
    return { paymentId, transactionId, terminalUri: result.body.terminalUri as string };
  }

  async function typeCard(page: Page, number: string) {
    await page.getByLabel("Card number").fill(number);
    await page.getByLabel("Expiry date").fill("12/30");
    await page.getByLabel("Security code").fill("123");
    await page.getByLabel("Name on card").fill("Kari Nordmann");
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`pays with the approving test card and returns to the shop (${javaScriptEnabled ? "with" : "without"} JavaScript)`, async () => {
      const { paymentId, transactionId, terminalUri } = await openTerminal();
      const context = await shopContext(e2e.browser, javaScriptEnabled);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const posts: string[] = [];
      page.on("request", (request) => {
        if (request.method() === "POST") posts.push(request.url());
      });
      try {
        await page.goto(terminalUri);
        expect(await page.getByTestId("merchant").textContent()).toBe("Organisation 1801");
        expect(await page.getByTestId("amount").textContent()).toContain("149.90");
        if (javaScriptEnabled) {
          // Hydrated: the Remix router runs, so the form is submitted by fetch, not by the browser.
          await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
        }

        // A refused card: the page says so, the number field comes back empty, nothing changed.
        await typeCard(page, "4000 0000 0000 0002");
        await page.getByRole("button", { name: "Pay" }).click();
        await expect.poll(() => page.getByRole("alert").textContent()).toContain("refused");
        expect(await page.getByLabel("Card number").inputValue()).toBe("");
        expect(await page.getByLabel("Name on card").inputValue()).toBe("Kari Nordmann");
        expect(await page.content()).not.toContain("4000 0000 0000 0002".replace(/ /g, ""));
        expect((await e2e.shop.get(`/v1/payments/${paymentId}/transactions/${transactionId}`)).body.status).toBe(
          "INITIATED",
        );

        // The approving card: back to the shop with the result.
        await typeCard(page, "4111 1111 1111 1111");
        await page.getByRole("button", { name: "Pay" }).click();
        await page.waitForURL(/^https:\/\/shop\.example\/return/);
        const landed = new URL(page.url());
        expect(Object.fromEntries(landed.searchParams)).toEqual({
          order: "e2e",
          paymentId: String(paymentId),
          transactionId: String(transactionId),
          responseCode: "OK",
        });
        expect(await page.locator("h1").textContent()).toBe("Back at the shop");
        // With JavaScript Remix posted by fetch (?_data=…); without it the browser posted the form.
        expect(posts).toHaveLength(2);
        for (const url of posts) expect(new URL(url).searchParams.has("_data")).toBe(javaScriptEnabled);

        const transaction = await e2e.shop.get(`/v1/payments/${paymentId}/transactions/${transactionId}`);
        expect(transaction.body).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111", paymentType: "VISA" });
        expect(transaction.body.operationLog.map((o: { operation: string }) => o.operation)).toEqual([
          "CREATE",
          "INITIATE",
          "AUTHORIZE",
        ]);

        // Going back to the terminal shows it is over.
        await page.goto(terminalUri);
        await expect.poll(() => page.getByRole("status").textContent()).toContain("already been completed");
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
