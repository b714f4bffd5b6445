// The admin screens in Chromium, clicked through as an admin does: toggle a payment method and
// watch GET /v1/payment-methods follow; create a user, change their role and disable them while
// they are signed in elsewhere (their next request lands on the login page); create an API
// client and rotate its token (old token 401, new one 200); then find every one of these actions
// on the audit log screen, with the before/after of one of them.
import { desc } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENTS, DEMO_USERS } from "../../db/demo";
import { auditLog } from "../../db/schema";
import { chromiumAvailable, errorNextTo, logInThroughForm, type BrowserStaff } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";

const ADMIN = DEMO_USERS.find((user) => user.role === "admin")!;
const NORDBUSS = DEMO_CLIENTS.find((client) => client.clientId === "nordbuss-web")!;

describe.skipIf(!chromiumAvailable)("admin screens in Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const e2e = useBrowserTest({ demoPayments: 20 });

  beforeAll(async () => {
    context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await logIn(page, ADMIN);
  });

  async function logIn(target: Page, user: BrowserStaff) {
    await target.goto(`${e2e.server.url}/login`);
    await logInThroughForm(target, user);
  }

  async function api(path: string, token: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${e2e.server.url}${path}`, {
      headers: { Authorization: `Bearer ${token}`, "ET-Client-Name": "e2e", ...headers },
    });
    return { status: response.status, body: response.status === 200 ? await response.json() : null };
  }

  const webMethods = async () =>
    (
      (await api("/v1/payment-methods", NORDBUSS.token, { "Entur-Distribution-Channel": "web" })).body as Array<{
        paymentType: string;
      }>
    ).map((method) => method.paymentType);

  /** Waits for the notification of a finished action and closes nothing: it fades by itself. */
  async function expectNotification(text: RegExp) {
    await expect.poll(() => page.getByText(text).count()).toBeGreaterThan(0);
  }

  it("disables a payment method with a reason and GET /v1/payment-methods follows at once, then enables it again", async () => {
    expect(await webMethods()).toContain("VISA");
    await page.goto(`${e2e.server.url}/payment-methods?clientId=${NORDBUSS.clientId}&channel=web`);
    const row = page.getByTestId(`method-${NORDBUSS.clientId}-web-VISA`);
    await row.getByRole("button", { name: "Disable" }).click();
    const dialog = page.getByRole("dialog");
    // Without a reason the form is not sent (the server would refuse it too: integration tests).
    await dialog.getByRole("button", { name: "Disable method" }).click();
    expect(
      await dialog.getByLabel("Reason").evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing),
    ).toBe(true);
    expect(await webMethods()).toContain("VISA");

    await dialog.getByLabel("Reason").fill("Acquirer outage INC-4711");
    await dialog.getByRole("button", { name: "Disable method" }).click();
    await expectNotification(/VISA on web for nordbuss-web is disabled/);
    await expect.poll(() => row.getByText("Disabled", { exact: true }).count()).toBe(1);
    expect(await row.textContent()).toContain("Acquirer outage INC-4711");
    expect(await webMethods()).not.toContain("VISA");

    await row.getByRole("button", { name: "Enable" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Enable method" }).click();
    await expectNotification(/VISA on web for nordbuss-web is enabled/);
    await expect.poll(() => row.getByText("Enabled", { exact: true }).count()).toBe(1);
    expect(await webMethods()).toContain("VISA");
  });

  it("creates a user, changes their role and disables them: their open session ends at once", async () => {
    const email = `kari.${Date.now().toString(36)}@paydesk.test`;
    await page.goto(`${e2e.server.url}/users`);
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Name").fill("Kari Nordmann");
    // A password shorter than the rule: the error shows next to the field.
    await dialog.getByLabel("Initial password").fill("short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect
      .poll(() => errorNextTo(page, dialog.getByLabel("Initial password")))
      .toMatch(/must be at least 12 characters/);
    // Empty: one is generated and shown once.
    await dialog.getByLabel("Initial password").fill("");
    await dialog.getByRole("button", { name: "Create user" }).click();
    const secret = page.getByTestId("one-time-secret");
    await expect.poll(() => secret.count()).toBe(1);
    const password = (await secret.textContent())!.trim();
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    await page.getByRole("button", { name: "I have copied it" }).click();

    const row = page.getByTestId(`user-${email}`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("support");

    // The new user signs in in another browser.
    const theirs = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const theirPage = await theirs.newPage();
      await logIn(theirPage, { email, password });
      expect(await theirPage.getByRole("banner").textContent()).toContain("support");

      await row.getByRole("button", { name: "Change role" }).click();
      const roleDialog = page.getByRole("dialog");
      await roleDialog.getByRole("textbox", { name: "New role" }).click();
      await page.getByRole("option", { name: "finance" }).click();
      await roleDialog.getByLabel("Reason").fill("Moved to finance");
      await roleDialog.getByRole("button", { name: "Change role" }).click();
      await expectNotification(/The role is finance now/);
      await expect.poll(async () => (await row.textContent()) ?? "").toContain("finance");
      // Finance logs in with a second factor: their next screen is setting one up.
      await theirPage.reload();
      await theirPage.waitForURL((url) => url.pathname === "/login/enrol");
      await expect.poll(() => theirPage.getByTestId("totp-secret").count()).toBe(1);

      await row.getByRole("button", { name: "Disable" }).click();
      const disableDialog = page.getByRole("dialog");
      await disableDialog.getByLabel("Reason").fill("Left the company");
      await disableDialog.getByRole("button", { name: "Disable user" }).click();
      await expectNotification(/Disabled; their sessions have ended/);
      await expect.poll(async () => (await row.textContent()) ?? "").toContain("Disabled");

      // Their next request goes to the login page.
      await theirPage.goto(`${e2e.server.url}/credits`);
      await theirPage.waitForURL((url) => url.pathname === "/login");
    } finally {
      await theirs.close();
    }
  });

  it("creates an API client and rotates its token: the old token gets 401, the new one works", async () => {
    await page.goto(`${e2e.server.url}/api-clients`);
    await page.getByRole("button", { name: "New API client" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Tindved web shop");
    await dialog.getByLabel("Allowed redirect prefixes").fill("ftp://tindved.example/");
    await dialog.getByRole("button", { name: "Create client" }).click();
    await expect
      .poll(() => errorNextTo(page, dialog.getByLabel("Allowed redirect prefixes")))
      .toMatch(/is not an http\(s\) URL prefix/);
    await dialog.getByLabel("Allowed redirect prefixes").fill("https://tindved.example/");
    await dialog.getByRole("button", { name: "Create client" }).click();
    const secret = page.getByTestId("one-time-secret");
    await expect.poll(() => secret.count()).toBe(1);
    const firstToken = (await secret.textContent())!.trim();
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect((await api("/v1/payment-methods", firstToken)).status).toBe(200);

    const row = page.locator("tr", { hasText: "Tindved web shop" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId("token-prefix").textContent()).toBe(`${firstToken.slice(0, 9)}…`);

    await row.getByRole("button", { name: "Rotate token" }).click();
    await page.getByRole("dialog").getByLabel("Reason").fill("Yearly rotation");
    await page.getByRole("dialog").getByRole("button", { name: "Rotate token" }).click();
    await expect.poll(() => secret.count()).toBe(1);
    const secondToken = (await secret.textContent())!.trim();
    expect(secondToken).not.toBe(firstToken);
    await page.getByRole("button", { name: "I have copied it" }).click();

    expect((await api("/v1/payment-methods", firstToken)).status).toBe(401);
    expect((await api("/v1/payment-methods", secondToken)).status).toBe(200);
    await expect.poll(async () => row.getByTestId("token-prefix").textContent()).toBe(`${secondToken.slice(0, 9)}…`);
  });

  it("shows every one of these actions on the audit log screen, with before and after", async () => {
    const actions = [
      "payment_method.disable",
      "payment_method.enable",
      "staff_user.create",
      "staff_user.change_role",
      "staff_user.disable",
      "api_client.create",
      "api_client.rotate_token",
    ];
    const stored = await e2e.server.database.db.select().from(auditLog).orderBy(desc(auditLog.id));
    for (const action of actions) expect(stored.map((entry) => entry.action)).toContain(action);
    expect(JSON.stringify(stored)).not.toMatch(/"pd_[A-Za-z0-9_-]{20,}/);

    await page.goto(`${e2e.server.url}/audit-log?actor=${encodeURIComponent(ADMIN.email)}`);
    const shown = await page
      .getByTestId("audit-row")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-action")));
    for (const action of actions) expect(shown).toContain(action);

    // Filter by action through the filter builder, then open the entry.
    await page.getByRole("button", { name: "Add filter" }).click();
    const filter = page.getByTestId("filter-row").last();
    await filter.getByRole("textbox", { name: "Field" }).click();
    await page.getByRole("option", { name: "Action" }).click();
    await filter.getByRole("textbox", { name: "Value" }).fill("payment_method.disable");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/action=payment_method.disable/);
    await expect.poll(() => page.getByTestId("audit-row").count()).toBe(1);
    expect(await page.getByTestId("audit-row").textContent()).toContain("Acquirer outage INC-4711");

    await page.getByTestId("audit-row").getByRole("link", { name: "View" }).click();
    await page.waitForURL(/entry=\d+/);
    const diff = page.getByTestId("audit-diff");
    await expect.poll(() => diff.count()).toBe(1);
    const changed = diff.locator("tr[data-changed]");
    const changedFields = (await changed.allTextContents())
      .map((text) => text.replace(/changed.*$/s, "").trim())
      .sort();
    expect(changedFields).toEqual(["disabledReason", "enabled"]);
    expect(await diff.textContent()).toContain("Acquirer outage INC-4711");
    // A reload shows the same entry: it lives in the URL.
    await page.reload();
    await expect.poll(() => page.getByTestId("audit-diff").count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
