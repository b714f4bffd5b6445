// The Content-Security-Policy breaks no screen: Chromium opens every staff screen (the list below
// is checked against app/routes, so a new screen cannot be left out), the login's pages, the
// customer pages and a sandbox hosted page, waits for each to hydrate and to settle, clicks
// through the navigation once, and reports no policy violation and no page error. (Every other
// browser test watches for violations too: tests/support/browser.ts.)
import fs from "node:fs";
import { desc } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_CLIENTS, DEMO_CUSTOMERS, DEMO_USERS } from "../../db/demo";
import { callbackOutbox } from "../../db/schema";
import { enqueueCallback } from "../../app/platform/outbox.server";
import { capturedCardPayment, createClient, paymentWithTransaction } from "../support/api";
import { chromiumAvailable, cspViolations, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { createStaff } from "../support/staff";

const ADMIN = DEMO_USERS.find((user) => user.role === "admin")!;
const KARI = DEMO_CUSTOMERS[0];

const NOT_IN_DEMO_DATA = new Set(["/chargebacks/$chargebackId", "/credits/bulk/$runId"]);

/** Every staff screen: its route file's pattern and a URL of it. */
function staffScreens(ids: {
  paymentId: number;
  creditId: number;
  settlementId: string;
  callbackId: number;
}): Record<string, string> {
  return {
    "/": "/",
    "/payments": "/payments",
    "/payments/$paymentId": `/payments/${ids.paymentId}`,
    "/credits": "/credits",
    "/credits/new": "/credits/new",
    "/credits/$creditId": `/credits/${ids.creditId}`,
    "/customers": "/customers",
    "/customers/$customerNumber": `/customers/${KARI.customerNumber}`,
    "/operation-log": "/operation-log",
    "/settlements": "/settlements",
    "/settlements/$settlementId": `/settlements/${encodeURIComponent(ids.settlementId)}`,
    "/payment-methods": "/payment-methods",
    "/audit-log": "/audit-log",
    "/users": "/users",
    "/api-clients": "/api-clients",
    "/me": "/me",
    "/work": "/work",
    "/search": `/search?q=${ids.paymentId}`,
    "/callbacks": "/callbacks",
    "/callbacks/$callbackId": `/callbacks/${ids.callbackId}`,
    "/chargebacks": "/chargebacks",
    "/chargebacks/$chargebackId": "/chargebacks/1",
    "/credits/bulk/$runId": "/credits/bulk/none",
    "/reconciliation": "/reconciliation",
    "/reconciliation/$settlementId": `/reconciliation/${encodeURIComponent(ids.settlementId)}`,
  };
}

/** The URL patterns of the staff screens in app/routes (not the CSV downloads, not the layout). */
function staffRoutePatterns(): string[] {
  return fs
    .readdirSync(new URL("../../app/routes", import.meta.url))
    .filter((name) => name.startsWith("_staff.") && name !== "_staff.tsx" && !name.endsWith(".ts"))
    .map((name) => name.replace(/\.tsx$/, "").replace(/^_staff\.?/, ""))
    .map((name) => `/${name.replace(/\._index$|^_index$/, "").replaceAll(".", "/")}`.replace(/\/$/, "") || "/");
}

describe.skipIf(!chromiumAvailable)("Content-Security-Policy in Chromium", () => {
  const errors: string[] = [];

  const e2e = useBrowserTest({ demoPayments: 40 });

  /** Waits until Remix has hydrated the page and the network is quiet. */
  async function settled(page: Page) {
    await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
    await page.waitForLoadState("networkidle");
  }

  it("lists every staff screen of app/routes", () => {
    const listed = Object.keys(staffScreens({ paymentId: 1, creditId: 1, settlementId: "x", callbackId: 1 })).sort();
    expect(listed).toEqual(staffRoutePatterns().sort());
  });

  it("opens every staff screen and clicks through the navigation without a violation", async () => {
    const nordbuss = DEMO_CLIENTS.find((client) => client.clientId === "nordbuss-web")!;
    const shop = await createClient(e2e.server, { organisationId: nordbuss.organisationId });
    const captured = await capturedCardPayment(shop, "200.00");
    const credit = await shop.post("/v1/credits", {
      totalCreditAmount: "20.00",
      creditTransactions: [{ paymentId: captured.paymentId, transactionId: captured.transactionId, amount: "20.00" }],
    });
    expect(credit.status).toBe(201);
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/", { errors });
    // A settlement of the list (its detail is reached from there, with the list's range).
    await page.goto(`${e2e.server.url}/settlements`);
    const settlementLink = page.locator('a[href^="/settlements/"]:not([href*="export"])').first();
    await settlementLink.waitFor();
    const settlementHref = (await settlementLink.getAttribute("href"))!;
    // A callback for its console's detail screen.
    await enqueueCallback(e2e.server.database.db, {
      url: "https://shop.example/callbacks",
      payload: { paymentId: captured.paymentId, transactionId: captured.transactionId, status: "CAPTURED" },
      clientId: shop.clientId,
      organisationId: nordbuss.organisationId,
      paymentId: captured.paymentId,
      transactionId: captured.transactionId,
    });
    const [callback] = await e2e.server.database.db
      .select({ id: callbackOutbox.id })
      .from(callbackOutbox)
      .orderBy(desc(callbackOutbox.id))
      .limit(1);
    const screens = staffScreens({
      paymentId: captured.paymentId,
      creditId: credit.body.creditId,
      settlementId: "",
      callbackId: callback.id,
    });
    screens["/settlements/$settlementId"] = settlementHref;
    for (const [pattern, path] of Object.entries(screens)) {
      const response = await page.goto(`${e2e.server.url}${path}`);
      // The demo data has no chargeback and no bulk credit run: their not-found pages are walked.
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
    const first = await e2e.browser.newContext();
    const login = await first.newPage();
    login.on("pageerror", (error) => errors.push(error.message));
    await login.goto(`${e2e.server.url}/login`);
    await settled(login);
    await login.getByLabel("Email").fill(ADMIN.email);
    await login.getByLabel("Password").fill(ADMIN.password);
    await login.getByRole("button", { name: "Log in" }).click();
    await login.waitForURL((url) => url.pathname === "/login/code");
    await settled(login);
    await first.close();

    // Enrolment (with its QR code) as a support user who chooses to.
    const support = await createStaff(e2e.server, "support");
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, support, "/me", { errors });
    await page.goto(`${e2e.server.url}/login/enrol?redirectTo=%2Fme`);
    await settled(page);
    expect(await page.getByTestId("totp-secret").count()).toBe(1);
    await context.close();

    // The customer's login and overview.
    const customer = await e2e.browser.newContext();
    const account = await customer.newPage();
    account.on("pageerror", (error) => errors.push(error.message));
    await account.goto(`${e2e.server.url}/account`);
    await account.waitForURL((url) => url.pathname === "/account/login");
    await settled(account);
    await account.getByLabel("Email").fill(KARI.email);
    await account.getByLabel("Password").fill(KARI.password);
    await account.getByRole("button", { name: "Log in" }).click();
    await account.waitForURL((url) => url.pathname === "/account");
    await settled(account);
    await customer.close();

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
