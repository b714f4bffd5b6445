// The Content-Security-Policy breaks no screen: Chromium opens every staff screen (the list below
// is checked against app/routes, so a new screen cannot be left out), the login's pages, the
// customer pages and a sandbox hosted page, waits for each to hydrate and to settle, clicks
// through the navigation once, and reports no policy violation and no page error. (Every other
// browser test watches for violations too: tests/support/browser.ts.)
import { describe, expect, it } from "vitest";
import { DEMO_CUSTOMERS, DEMO_USERS } from "../../db/demo";
import { createClient, paymentWithTransaction } from "../support/api";
import { chromiumAvailable, cspViolations, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import {
  firstSettlementHref,
  NOT_IN_DEMO_DATA,
  screenData,
  settled,
  staffRoutePatterns,
  staffScreens,
} from "../support/staff-screens";
import { createStaff } from "../support/staff";

const ADMIN = DEMO_USERS.find((user) => user.role === "admin")!;
const KARI = DEMO_CUSTOMERS[0];

describe.skipIf(!chromiumAvailable)("Content-Security-Policy in Chromium", () => {
  const errors: string[] = [];

  const e2e = useBrowserTest({ demoPayments: 40 });

  /**
   * Opens `start` in a context of its own (its page errors counted), waits there for the login form
   * at `loginPath`, logs in and waits until it lands on `landing`, settled.
   */
  async function logInWithForm(
    start: string,
    loginPath: string,
    user: { email: string; password: string },
    landing: string,
  ) {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${e2e.server.url}${start}`);
    await page.waitForURL((url) => url.pathname === loginPath);
    await settled(page);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => url.pathname === landing);
    await settled(page);
    await context.close();
  }

  it("lists every staff screen of app/routes", () => {
    const listed = Object.keys(staffScreens({ paymentId: 1, creditId: 1, settlementHref: "", callbackId: 1 })).sort();
    expect(listed).toEqual(staffRoutePatterns().sort());
  });

  it("opens every staff screen and clicks through the navigation without a violation", async () => {
    const { captured, creditId, callbackId, chargebackId } = await screenData(e2e.server);
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/", { errors });
    // A settlement of the list (its detail is reached from there, with the list's range).
    const settlementHref = await firstSettlementHref(page, e2e.server.url);
    const screens = staffScreens({ paymentId: captured.paymentId, creditId, settlementHref, callbackId, chargebackId });
    for (const [pattern, path] of Object.entries(screens)) {
      const response = await page.goto(`${e2e.server.url}${path}`);
      // No bulk credit run and no imported report: their not-found pages are walked.
      expect(response?.status(), pattern).toBe(NOT_IN_DEMO_DATA.has(pattern) ? 404 : 200);
      await settled(page);
    }
    // Client-side navigation loads each route's module with import(): allowed from 'self'.
    await page.goto(`${e2e.server.url}/`);
    await settled(page);
    for (const link of await page.getByRole("navigation").getByRole("link").all()) {
      await link.click();
      await page.waitForLoadState("networkidle");
    }
    await context.close();
    expect(cspViolations).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000); // twenty screens, each opened and waited for: a minute and more under a full run's load

  it("opens the login's second step, enrolment, the customer pages and a hosted card page without a violation", async () => {
    // The second step: the demo admin's login stops at /login/code (signedInPage passes it).
    await logInWithForm("/login", "/login", ADMIN, "/login/code");

    // Enrolment (with its QR code) as a support user who chooses to.
    const support = await createStaff(e2e.server, "support");
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, support, "/me", { errors });
    await page.goto(`${e2e.server.url}/login/enrol?redirectTo=%2Fme`);
    await settled(page);
    expect(await page.getByTestId("totp-secret").count()).toBe(1);
    await context.close();

    // The customer's login and overview.
    await logInWithForm("/account", "/account/login", KARI, "/account");

    // A hosted card page of the sandbox provider.
    const shop = await createClient(e2e.server, { allowedRedirectPrefixes: ["https://shop.example/"] });
    const { paymentId, transactionId } = await paymentWithTransaction(shop, "49.00", "VISA");
    const terminal = await shop.post(`/v1/payments/${paymentId}/transactions/${transactionId}/terminal`, {
      redirectUrl: "https://shop.example/return",
      terminalLanguage: "en_GB",
    });
    expect(terminal.status, JSON.stringify(terminal.body)).toBe(201);
    const buyer = await e2e.browser.newContext();
    const card = await buyer.newPage();
    card.on("pageerror", (error) => errors.push(error.message));
    await card.goto(terminal.body.terminalUri);
    await settled(card);
    await buyer.close();

    expect(cspViolations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
