// Feedback while the server works, and the list screens on a phone (issue 13, points 6 and 10):
// with the data requests slowed down, the progress bar, the dimmed old page and the pending
// Apply button appear and then go; at 390 px the filter builder and a row action are usable
// without anything off-screen.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { chromiumAvailable, closeBrowser, launchBrowser, signedInPage } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

const POLL = { timeout: 20_000, interval: 100 };
const admin = DEMO_USERS.find((user) => user.role === "admin")!;

/** Holds every client-side data request (Remix's `_data`) for `ms` before letting it through. */
async function slowDataRequests(page: Page, ms: number) {
  await page.route(
    (url) => url.searchParams.has("_data"),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await route.continue();
    },
  );
}

/** Whether the element is inside the viewport's width (nothing cut off at either side). */
async function withinWidth(page: Page, locator: ReturnType<Page["locator"]>): Promise<boolean> {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  return box !== null && box.x >= 0 && box.x + box.width <= width + 0.5;
}

describe.skipIf(!chromiumAvailable)("feedback and narrow screens in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ demoPayments: 120 });
    browser = await launchBrowser();
    ({ context, page } = await signedInPage(browser, server.url, admin, "/payments", { errors }));
  });

  afterAll(async () => {
    await context?.close();
    await closeBrowser(browser);
    await server?.close();
  });

  it("shows a progress bar, a dimmed list and a pending Apply button while a slow filter loads, then none of them", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${server.url}/payments`);
    await slowDataRequests(page, 2_500);
    const progress = page.getByTestId("navigation-progress");
    const apply = page.getByRole("button", { name: "Apply" });
    expect(await progress.count()).toBe(0);

    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByTestId("filter-row").getByLabel("Field").click();
    await page.getByRole("option", { name: "Transaction status" }).click();
    await page.getByTestId("filter-row").getByLabel("Value").click();
    await page.getByRole("option", { name: "CAPTURED", exact: true }).click();
    await apply.click();

    // While the server is held back: the bar, the busy page, the button loading and disabled.
    await expect.poll(() => progress.isVisible(), POLL).toBe(true);
    expect(await page.getByTestId("page-content").getAttribute("aria-busy")).toBe("true");
    expect(await apply.getAttribute("data-loading")).toBe("true");
    expect(await apply.isDisabled()).toBe(true);
    expect(new URL(page.url()).searchParams.get("status")).toBeNull();

    // Once the answer is there, all of it goes and the filtered list is shown.
    await page.waitForURL((url) => url.searchParams.get("status") === "CAPTURED", POLL);
    await expect.poll(() => progress.count(), POLL).toBe(0);
    expect(await page.getByTestId("page-content").getAttribute("aria-busy")).toBeNull();
    expect(await apply.getAttribute("data-loading")).toBeNull();
    expect(await apply.isDisabled()).toBe(false);

    // A page link: the bar again, and the page asked for is the active one at once.
    await page.getByRole("link", { name: "2", exact: true }).first().click();
    await expect.poll(() => progress.isVisible(), POLL).toBe(true);
    expect(await page.locator('.mantine-Pagination-root [data-active="true"]').first().textContent()).toBe("2");
    await page.waitForURL((url) => url.searchParams.get("page") === "2", POLL);
    await expect.poll(() => progress.count(), POLL).toBe(0);
    await page.unroute((url) => url.searchParams.has("_data"));
    expect(errors).toEqual([]);
  });

  it("keeps the filter builder and a row action on screen at 390 px, and both work", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/payments`);
    await page.getByRole("button", { name: "Add filter" }).click();
    const row = page.getByTestId("filter-row");
    for (const control of [
      row.getByLabel("Field"),
      row.getByLabel("Operator"),
      row.getByLabel("Value"),
      row.getByRole("button", { name: /Remove filter/ }),
    ]) {
      expect(await withinWidth(page, control)).toBe(true);
    }
    await row.getByLabel("Field").click();
    await page.getByRole("option", { name: "Total amount" }).click();
    await row.getByLabel("Operator").click();
    await page.getByRole("option", { name: /gte/ }).click();
    await row.getByLabel("Value").fill("100");
    expect(await withinWidth(page, page.getByRole("button", { name: "Apply" }))).toBe(true);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("totalAmount") === "gte:100", POLL);
    // Nothing of the page is wider than the phone: only tables scroll, inside their box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Users: every row's actions are in view at the table's right edge, and one opens its dialog.
    await page.goto(`${server.url}/users`);
    const support = page.getByTestId("user-support@paydesk.test");
    const changeRole = support.getByRole("button", { name: "Change role" });
    expect(await withinWidth(page, changeRole)).toBe(true);
    expect(await withinWidth(page, support.getByRole("button", { name: "Disable" }))).toBe(true);
    await changeRole.click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.isVisible(), POLL).toBe(true);
    expect(await withinWidth(page, dialog.getByRole("button", { name: "Cancel" }))).toBe(true);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  });
});
