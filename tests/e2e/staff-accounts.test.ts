// Staff accounts in Chromium, as people use them: a new finance user logs in for the first time
// and sets up an authenticator (the secret read off the page, as a person types it into an app),
// keeps the recovery codes and lands where they were going; later logs in with a recovery code.
// An admin makes a password reset link on the Users screen; the user opens it in their own
// browser, sets a password and logs in with it and their code. A user changes their own password
// on their account page.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { chromiumAvailable, errorNextTo, logInThroughForm, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { createStaff } from "../support/staff";
import { freshTotpCode } from "../support/totp";
import { createStaffUser } from "../../app/services/admin/staff-users.server";
import { withDatabase } from "../../app/platform/db.server";
import { systemCaller } from "../support/use-case";

const ADMIN = DEMO_USERS.find((user) => user.role === "admin")!;

describe.skipIf(!chromiumAvailable)("staff accounts in Chromium", () => {
  const errors: string[] = [];

  const e2e = useBrowserTest({ demoPayments: 10 });

  async function newPage(): Promise<Page> {
    const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    return page;
  }

  it("enrols a finance user at the first login, shows the recovery codes once, and takes one later", async () => {
    const email = `first-login-${Date.now().toString(36)}@staff.test`;
    const password = "first-login-password";
    await withDatabase(e2e.server.database, () =>
      createStaffUser(systemCaller(), { email, role: "finance", password, name: "Frida First" }),
    );
    const page = await newPage();
    await page.goto(`${e2e.server.url}/settlements`);
    await page.waitForURL((url) => url.pathname === "/login");
    await logInThroughForm(page, { email, password });
    await page.waitForURL((url) => url.pathname === "/login/enrol");
    await expect
      .poll(() =>
        page
          .getByRole("img", { name: /QR code/ })
          .locator("svg")
          .count(),
      )
      .toBe(1);
    expect(await page.getByTestId("totp-uri").getAttribute("href")).toMatch(/^otpauth:\/\/totp\/Paydesk:/);
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replaceAll(" ", "");

    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect
      .poll(() => errorNextTo(page, page.getByLabel("Code from the app")))
      .toMatch(/not the code of this secret/);

    await page.getByLabel("Code from the app").fill(await freshTotpCode(secret));
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByTestId("recovery-codes");
    await expect.poll(() => codes.count()).toBe(1);
    const recoveryCodes = ((await codes.textContent()) ?? "").match(/[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/g);
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole("link", { name: /I have saved them/ }).click();
    await page.waitForURL((url) => url.pathname === "/settlements");
    await expect.poll(() => page.getByRole("banner").textContent()).toContain("Frida First");

    // Log out, and in again with a recovery code in place of the app's code.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => url.pathname === "/login/code");
    await page.getByLabel("Code").fill(recoveryCodes![0]);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("lets an admin make a reset link that the user opens to set a new password", async () => {
    const user = await createStaff(e2e.server, "finance");
    const { page: adminPage, context } = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/users", { errors });
    const row = adminPage.getByTestId(`user-${user.email}`);
    await row.getByRole("button", { name: "Reset password" }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Make link" }).click();
    const secret = adminPage.getByTestId("one-time-secret");
    await expect.poll(() => secret.count()).toBe(1);
    const link = ((await secret.textContent()) ?? "").trim();
    expect(link).toMatch(new RegExp(`^${e2e.server.url}/reset-password/[A-Za-z0-9_-]{43}$`));
    await context.close();

    const page = await newPage();
    await page.goto(link);
    await expect.poll(() => page.getByText(user.email).count()).toBeGreaterThan(0);
    await page.locator(`input[name="newPassword"]`).fill("Password1234");
    await page.getByLabel("New password again").fill("Password1234");
    await page.getByRole("button", { name: "Set password" }).click();
    await expect
      .poll(() => errorNextTo(page, page.locator(`input[name="newPassword"]`)))
      .toMatch(/list of common passwords/);
    const newPassword = "a fresh start for frida";
    await page.locator(`input[name="newPassword"]`).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.getByRole("button", { name: "Set password" }).click();
    await expect.poll(() => page.getByText("Your new password is set").count()).toBe(1);
    await page.getByRole("link", { name: "Log in" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    await logInThroughForm(page, { ...user, password: newPassword });
    await page.waitForURL((url) => url.pathname === "/");

    // The link was good once.
    await page.goto(link);
    await expect.poll(() => page.getByText("Link no longer works").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("lets a user change their own password on their account page", async () => {
    const user = await createStaff(e2e.server, "support");
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, user, "/", { errors });
    await page.getByRole("banner").getByRole("link", { name: "Test support" }).click();
    await page.waitForURL((url) => url.pathname === "/me");
    await page.getByTestId("change-password").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Current password").fill(user.password);
    await dialog.locator(`input[name="newPassword"]`).fill("1234567890");
    await dialog.getByLabel("New password again").fill("1234567890");
    await dialog.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => errorNextTo(page, dialog.locator(`input[name="newPassword"]`)))
      .toMatch(/at least 12 characters/);
    await dialog.locator(`input[name="newPassword"]`).fill("support now types this");
    await dialog.getByLabel("New password again").fill("support now types this");
    await dialog.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByText(/Your password is changed/).count()).toBeGreaterThan(0);
    // Still signed in here (the session got a new token), and the new password logs in.
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/me");
    const other = await newPage();
    await other.goto(`${e2e.server.url}/login`);
    await logInThroughForm(other, { ...user, password: "support now types this" });
    await other.waitForURL((url) => url.pathname === "/");
    expect(errors).toEqual([]);
    await context.close();
    await other.context().close();
  });
});
