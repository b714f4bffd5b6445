// The staff header's search in Chromium, by keyboard only: `/` opens it, typing part of an
// orderId in lower case finds the payment, arrows choose, Enter opens it; Ctrl+K opens it again,
// text that matches nothing says so, Esc closes. Then an amount typed as the screens print it
// (`2 596,50`) credits through the payment page, and garbage is refused next to the field.
import { and, eq, isNotNull } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { payments } from "../../db/schema";
import { createClient, type TestClient } from "../support/api";
import { chromiumAvailable, closeBrowser, errorNextTo, launchBrowser, signedInPage } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

describe.skipIf(!chromiumAvailable)("the search for everything and typed amounts in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let client: TestClient;
  const support = DEMO_USERS.find((u) => u.role === "support")!;

  beforeAll(async () => {
    server = await startTestServer({ demoPayments: 60 });
    client = await createClient(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeBrowser(browser);
    await server?.close();
  });

  it("opens with /, finds a payment by part of its orderId in lower case and opens it with Enter", async () => {
    const [sample] = await server.database.db
      .select({ paymentId: payments.paymentId, orderId: payments.orderId })
      .from(payments)
      .where(and(isNotNull(payments.orderId), eq(payments.orderVersion, 1)))
      .limit(1);
    const { context, page, errors } = await signedInPage(browser, server.url, support, "/");
    try {
      const box = page.getByRole("combobox", { name: "Search" });
      // The key works once the page is hydrated (a server-rendered page has no listener yet).
      await expect
        .poll(async () => {
          await page.keyboard.press("/");
          return box.isVisible();
        })
        .toBe(true);
      expect(await box.evaluate((element) => element === document.activeElement)).toBe(true);
      const part = sample.orderId!.slice(-8).toLowerCase();
      await page.keyboard.type(part);
      const option = page.getByRole("option", { name: new RegExp(`Payment ${sample.paymentId} `) });
      await option.waitFor();
      // The best match is chosen first; down and up again come back to it.
      await expect.poll(() => option.getAttribute("aria-selected")).toBe("true");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowUp");
      expect(await box.getAttribute("aria-activedescendant")).toBe(await option.getAttribute("id"));
      await page.keyboard.press("Enter");
      await page.waitForURL(`${server.url}/payments/${sample.paymentId}`);
      await page.getByRole("dialog").waitFor({ state: "detached" });

      // Ctrl+K, from anywhere; nothing found says so; Esc closes.
      await page.keyboard.press("Control+k");
      await box.waitFor();
      await box.fill("no-such-thing-qqq");
      await page.getByText("Nothing found for “no-such-thing-qqq”").waitFor();
      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "detached" });
      expect(page.url()).toBe(`${server.url}/payments/${sample.paymentId}`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("credits 2 596,50 typed as the screens print it, and refuses garbage next to the field", async () => {
    const created = await client.post("/v1/payments", {
      totalAmount: "3000.00",
      transaction: { paymentType: "CASH" },
    });
    const paymentId: number = created.body.paymentId;
    const transactionId: number = created.body.transactions[0].transactionId;
    expect((await client.put(`/v1/payments/${paymentId}/transactions/${transactionId}/capture`)).status).toBe(200);

    const { context, page, errors } = await signedInPage(browser, server.url, support, `/payments/${paymentId}`);
    try {
      await page.getByTestId(`credit-${transactionId}`).click();
      const dialog = page.getByRole("dialog");
      const amount = dialog.getByTestId("credit-amount");
      await amount.fill("2.596,50");
      await expect.poll(() => errorNextTo(page, amount)).toBe("Enter an amount like 2 596,50");
      await amount.fill("2 596,50");
      await expect.poll(() => errorNextTo(page, amount)).toBeNull();
      await dialog.getByLabel("Reason").fill("Most of the trip was cancelled");
      await dialog.getByRole("button", { name: "Credit", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      await expect.poll(() => page.getByTestId("summary-creditedAmount").textContent()).toMatch(/NOK\s2,596\.50/);
      const answer = await client.get(`/v1/payments/${paymentId}`);
      expect(answer.body.transactions[0].summary.creditedAmount).toBe("2596.50");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
