// Each demo role logs in through the real login page in Chromium, sees the shell with the areas
// its role may use, and pages through the payments list of the demo data.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { chromiumAvailable, logInThroughForm, type BrowserStaff } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";

describe.skipIf(!chromiumAvailable)("staff shell in Chromium", () => {
  const e2e = useBrowserTest({ demoPayments: 120 });

  async function logIn(page: Page, user: BrowserStaff) {
    await page.goto(`${e2e.server.url}/payments`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await logInThroughForm(page, user);
    await page.waitForURL(`${e2e.server.url}/payments`);
  }

  for (const user of DEMO_USERS) {
    it(`lets ${user.role} log in, see the shell and page through payments`, async () => {
      const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      try {
        await logIn(page, user);

        const header = page.getByRole("banner");
        await expect.poll(() => header.textContent()).toContain(user.name);
        expect(await header.textContent()).toContain(user.role);

        const nav = page.getByRole("navigation");
        expect(await nav.getByRole("link", { name: "Payments" }).count()).toBe(1);
        const adminLinks = await nav.getByRole("link", { name: "Audit log" }).count();
        expect(adminLinks).toBe(user.role === "admin" ? 1 : 0);
        const financeLinks = await nav.getByRole("link", { name: "Settlements" }).count();
        expect(financeLinks).toBe(user.role === "support" ? 0 : 1);

        const rows = page.locator("table tbody tr");
        expect(await rows.count()).toBe(25);
        const firstPageFirstId = await rows.first().locator('td a[href^="/payments/"]').first().textContent();
        await expect.poll(() => page.getByText(/Showing 1–25 of 120/).count()).toBe(1);

        await page
          .getByRole("button", { name: "2" })
          .or(page.getByRole("link", { name: "2" }))
          .first()
          .click();
        await page.waitForURL(/page=2/);
        await expect.poll(() => page.getByText(/Showing 26–50 of 120/).count()).toBe(1);
        expect(await rows.first().locator('td a[href^="/payments/"]').first().textContent()).not.toBe(firstPageFirstId);

        await page.getByRole("button", { name: "Log out" }).click();
        await page.waitForURL(`${e2e.server.url}/login`);
        await page.goto(`${e2e.server.url}/payments`);
        await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
