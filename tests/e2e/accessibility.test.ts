// WCAG 2.2 AA in Chromium (decision 043): axe-core checks every staff screen of app/routes (the
// list is checked against the route files, so a new screen cannot be left out), the login's
// pages, the password reset link, the customer pages, and the states a person meets on them (a
// modal open, a form's errors shown, an empty list, the search dialog, the phone's navigation), at
// 1440 and 390 px, in the light and the dark scheme, in every language. Any violation fails the
// test, listed by screen with its rule, the element and axe's summary. A second test walks the
// keyboard path into a screen: the skip link first, then the main content.
import fs from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { desc } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_CLIENTS, DEMO_CUSTOMERS, DEMO_USERS } from "../../db/demo";
import { callbackOutbox, staffPasswordResets } from "../../db/schema";
import { enqueueCallback } from "../../app/platform/outbox.server";
import { capturedCardPayment, createClient } from "../support/api";
import { chromiumAvailable, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { createStaff } from "../support/staff";

/** The languages the screens speak: add "nb" here once they are translated. */
const LANGUAGES = ["en"] as const;
const WIDTHS = [1440, 390] as const;
const SCHEMES = ["light", "dark"] as const;

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (one h1, landmarks, heading order). */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

const AXE_SOURCE = fs.readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

const ADMIN = DEMO_USERS.find((user) => user.role === "admin")!;
const KARI = DEMO_CUSTOMERS[0];

type AxeResult = {
  violations: Array<{
    id: string;
    impact: string;
    help: string;
    nodes: Array<{ target: string[]; failureSummary: string }>;
  }>;
};

/** axe's violations on the page as it is now, one readable line per element. */
async function axeViolations(page: Page, where: string): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays as it is.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }).axe.run(
        document,
        { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] },
      ),
    AXE_TAGS,
  )) as AxeResult;
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${violation.help}. ${node.failureSummary.replace(/\s+/g, " ")}`,
    ),
  );
}

/** Waits until Remix has hydrated the page (its handlers are on) and the network is quiet. */
async function settled(page: Page) {
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  await page.waitForLoadState("networkidle");
}

/** Every staff screen: its route file's pattern and a URL of it. */
function staffScreens(ids: {
  paymentId: number;
  creditId: number;
  settlementHref: string;
  callbackId: number;
  chargebackId?: number;
  runId?: string;
  settlementId?: string;
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
    "/settlements/$settlementId": ids.settlementHref,
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
    "/chargebacks/$chargebackId": `/chargebacks/${ids.chargebackId ?? 1}`,
    "/credits/bulk/$runId": `/credits/bulk/${ids.runId ?? "none"}`,
    "/reconciliation": "/reconciliation",
    "/reconciliation/$settlementId": `/reconciliation/${ids.settlementId ?? "none"}`,
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

/** Waits for a form's error: an alert, or a field marked invalid. */
async function shownError(page: Page) {
  await page.locator('[role="alert"], [aria-invalid="true"]').first().waitFor();
}

/** A screen in a state: how to get there from the page as it was loaded. */
type StateOf = {
  name: string;
  path: string;
  into: (page: Page) => Promise<void>;
  /** Only at these widths (the phone's navigation button is not there on a wide screen). */
  widths?: readonly number[];
};

describe.skipIf(!chromiumAvailable)("WCAG 2.2 AA in Chromium (axe-core)", () => {
  const e2e = useBrowserTest({ demoPayments: 40 });

  it("lists every staff screen of app/routes", () => {
    const listed = Object.keys(staffScreens({ paymentId: 1, creditId: 1, settlementHref: "", callbackId: 1 })).sort();
    expect(listed).toEqual(staffRoutePatterns().sort());
  });

  /** A context in one language, signed in with `storageState` when given. */
  function languageContext(
    browser: Browser,
    language: string,
    storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>,
  ) {
    return browser.newContext({ viewport: { width: WIDTHS[0], height: 900 }, locale: language, storageState });
  }

  // Not yet part of `npm test`: the scan still finds violations (Mantine's modal header as a second
  // banner, the search dialog's result list, contrast on settlement and payment detail, links in
  // text blocks; the open part of the accessibility issue). PAYDESK_A11Y_SCAN=1 runs it (~4 min).
  it.skipIf(!process.env.PAYDESK_A11Y_SCAN)(
    "finds no violation on any screen or state, at either width, in either scheme, in any language",
    async () => {
      const errors: string[] = [];
      const violations: string[] = [];
      // The ids of the detail screens: a captured payment with a credit, a settlement, a callback.
      const nordbuss = DEMO_CLIENTS.find((client) => client.clientId === "nordbuss-web")!;
      const shop = await createClient(e2e.server, {
        organisationId: nordbuss.organisationId,
        allowedRedirectPrefixes: ["https://shop.example/"],
      });
      const captured = await capturedCardPayment(shop, "200.00");
      const credit = await shop.post("/v1/credits", {
        totalCreditAmount: "20.00",
        creditTransactions: [{ paymentId: captured.paymentId, transactionId: captured.transactionId, amount: "20.00" }],
      });
      expect(credit.status).toBe(201);
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

      // Signed in once per role; each variant's context starts from the saved cookies.
      const admin = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/settlements", { errors });
      const settlementLink = admin.page.locator('a[href^="/settlements/"]:not([href*="export"])').first();
      await settlementLink.waitFor();
      const settlementHref = (await settlementLink.getAttribute("href"))!;
      const adminState = await admin.context.storageState();
      await admin.context.close();
      const support = await createStaff(e2e.server, "support");
      const enrolling = await signedInPage(e2e.browser, e2e.server.url, support, "/me", { errors });
      const supportState = await enrolling.context.storageState();
      await enrolling.context.close();
      const customerContext = await e2e.browser.newContext();
      const customerPage = await customerContext.newPage();
      await customerPage.goto(`${e2e.server.url}/account/login`);
      await customerPage.getByLabel("Email").fill(KARI.email);
      await customerPage.getByLabel("Password").fill(KARI.password);
      await customerPage.getByRole("button", { name: "Log in" }).click();
      await customerPage.waitForURL((url) => url.pathname === "/account");
      const customerState = await customerContext.storageState();
      await customerContext.close();
      // A password reset link for the support user (as an admin makes on /users).
      const resetToken = randomBytes(32).toString("base64url");
      await e2e.server.database.db.insert(staffPasswordResets).values({
        tokenHash: createHash("sha256").update(resetToken, "utf8").digest("hex"),
        userId: support.id,
        createdBy: ADMIN.email,
        expiresAt: new Date(Date.now() + 60 * 60_000),
      });

      const screens = staffScreens({
        paymentId: captured.paymentId,
        creditId: credit.body.creditId,
        settlementHref,
        callbackId: callback.id,
      });
      const adminStates: StateOf[] = [
        {
          name: "credit dialog open",
          path: screens["/payments/$paymentId"],
          into: async (page) => {
            await page.getByTestId(`credit-${captured.transactionId}`).click();
            await page.getByRole("dialog").waitFor();
          },
        },
        {
          name: "credit dialog with its errors",
          path: screens["/payments/$paymentId"],
          into: async (page) => {
            await page.getByTestId(`credit-${captured.transactionId}`).click();
            const dialog = page.getByRole("dialog");
            await dialog.getByTestId("credit-amount").fill("5000.00");
            await dialog.getByRole("button", { name: "Credit", exact: true }).click();
            await expect.poll(() => dialog.getByTestId("credit-amount").getAttribute("aria-invalid")).toBe("true");
          },
        },
        {
          name: "search dialog open",
          path: "/payments",
          into: async (page) => {
            await page.keyboard.press("Control+K");
            await page.getByRole("dialog").waitFor();
          },
        },
        { name: "empty payments list", path: "/payments?q=no-such-order-anywhere", into: async () => {} },
        { name: "empty search", path: "/search?q=no-such-thing-anywhere", into: async () => {} },
      ];
      /** The admin's password: the login stops at its second step. */
      const passwordOnly = async (page: Page) => {
        await page.getByLabel("Email").fill(ADMIN.email);
        await page.getByLabel("Password").fill(ADMIN.password);
        await page.getByRole("button", { name: "Log in" }).click();
        await page.waitForURL((url) => url.pathname === "/login/code");
        await settled(page);
      };
      const anonymousStates: StateOf[] = [
        { name: "login", path: "/login", into: async () => {} },
        {
          name: "login with its error",
          path: "/login",
          into: async (page) => {
            // Someone unknown: a wrong password for a real account would count towards its lock-out.
            await page.getByLabel("Email").fill("nobody@paydesk.test");
            await page.getByLabel("Password").fill("not the password");
            await page.getByRole("button", { name: "Log in" }).click();
            await shownError(page);
          },
        },
        { name: "second step", path: "/login", into: passwordOnly },
        {
          name: "second step with its error",
          path: "/login",
          into: async (page) => {
            await passwordOnly(page);
            await page.getByLabel("Code").fill("000000");
            await page.getByRole("button", { name: "Continue" }).click();
            await shownError(page);
          },
        },
        { name: "password reset link", path: `/reset-password/${resetToken}`, into: async () => {} },
        { name: "customer login", path: "/account/login", into: async () => {} },
        {
          name: "customer login with its error",
          path: "/account/login",
          into: async (page) => {
            await page.getByLabel("Email").fill("nobody@example.no");
            await page.getByLabel("Password").fill("not the password");
            await page.getByRole("button", { name: "Log in" }).click();
            await shownError(page);
          },
        },
      ];
      const customerStates: StateOf[] = [
        { name: "customer overview", path: "/account", into: async () => {} },
        {
          name: "customer consent",
          path: `/account/authorize?${new URLSearchParams({ clientId: shop.clientId, redirectUri: "https://shop.example/in", state: "a11y" })}`,
          into: async () => {},
        },
      ];

      // Each screen and state is loaded once per language and scanned in every scheme and width:
      // the scheme follows the system's (emulated here), the layout the window's width.
      async function scanAll(context: BrowserContext, language: string, states: StateOf[]) {
        const page = await context.newPage();
        page.on("pageerror", (error) => errors.push(error.message));
        for (const state of states) {
          const widths = state.widths ?? WIDTHS;
          await page.setViewportSize({ width: widths[0], height: 900 });
          await page.goto(`${e2e.server.url}${state.path}`);
          await settled(page);
          await state.into(page);
          for (const scheme of SCHEMES)
            for (const width of widths) {
              await page.emulateMedia({ colorScheme: scheme });
              await page.setViewportSize({ width, height: 900 });
              await page.waitForFunction(
                (expected) => document.documentElement.getAttribute("data-mantine-color-scheme") === expected,
                scheme,
              );
              const where = `[${language} ${scheme} ${width}px] ${state.name} (${state.path})`;
              violations.push(...(await axeViolations(page, where)));
            }
        }
        await page.close();
      }

      for (const language of LANGUAGES) {
        const staffStates: StateOf[] = [
          ...Object.entries(screens).map(([name, path]) => ({ name, path, into: async () => {} })),
          ...adminStates,
          {
            name: "navigation open",
            path: "/",
            widths: [390],
            into: async (page) => {
              await page.getByRole("button", { name: "Open navigation" }).click();
              await page.getByRole("navigation").getByRole("link").first().waitFor({ state: "visible" });
            },
          },
        ];
        for (const [states, storageState] of [
          [staffStates, adminState],
          [
            [{ name: "enrol a second factor", path: "/login/enrol?redirectTo=%2Fme", into: async () => {} }],
            supportState,
          ],
          [anonymousStates, undefined],
          [customerStates, customerState],
        ] as const) {
          const context = await languageContext(e2e.browser, language, storageState);
          await scanAll(context, language, [...states]);
          await context.close();
        }
      }

      expect(violations, `axe-core found ${violations.length} violations:\n${violations.join("\n")}`).toEqual([]);
      expect(errors).toEqual([]);
    },
    1_200_000,
  ); // about 40 screens and states, each loaded once and scanned 4 times: minutes under load

  it("takes the keyboard past the header and navigation to the screen, and into a wide table", async () => {
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/payments");
    await settled(page);
    // The URL changes before a client-side navigation has rendered: wait for the screen itself.
    await page.getByRole("heading", { level: 1, name: "Payments" }).waitFor();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    expect(await skip.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // The next stops are inside the screen, never the header or the navigation again.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
    // A table that scrolls inside its box can be reached and named.
    const table = page.getByRole("region", { name: "Payments" });
    expect(await table.getAttribute("tabindex")).toBe("0");
    // A screen reached by a client-side navigation starts at the top too, as a loaded page does.
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Credits" }).click();
    await page.waitForURL(/\/credits$/);
    await page.getByRole("heading", { level: 1, name: "Credits" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await skip.evaluate((element) => element === document.activeElement)).toBe(true);
    await context.close();
  });

  it("keeps a staff user's colour scheme on their account and a visitor's in a cookie", async () => {
    const { page, context } = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/me");
    await settled(page);
    await page.locator('label[for$="-dark"]').click();
    await expect.poll(() => page.locator("html").getAttribute("data-mantine-color-scheme")).toBe("dark");
    await page.waitForLoadState("networkidle");
    // The server renders it from the first byte (no flash): in a new browser with a light system.
    const other = await e2e.browser.newContext({ colorScheme: "light", storageState: await context.storageState() });
    const response = await (await other.newPage()).request.get(`${e2e.server.url}/payments`);
    expect(await response.text()).toMatch(/<html[^>]*data-mantine-color-scheme="dark"/);
    await other.close();
    // Back to the system's, for the other tests.
    await page.locator('label[for$="-auto"]').click();
    await page.waitForLoadState("networkidle");
    await context.close();

    const visitor = await e2e.browser.newContext({ colorScheme: "dark" });
    const login = await visitor.newPage();
    await login.goto(`${e2e.server.url}/login`);
    expect(await login.locator("html").getAttribute("data-mantine-color-scheme")).toBe("dark");
    await visitor.close();
  });
});
