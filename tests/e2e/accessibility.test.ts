// WCAG 2.2 AA in Chromium (decision 043): axe-core checks every staff screen of app/routes (the
// list is checked against the route files, so a new screen cannot be left out), the login's
// pages, the password reset link, the customer pages, and the states a person meets on them (a
// modal open, a form's errors shown, an empty list, the search dialog and its answers, the phone's
// navigation), at 1440 and 390 px, in the light and the dark scheme, in every language. Any
// violation fails the test, listed by screen with its rule, the element and axe's summary. A
// second test walks the keyboard path into a screen: the skip link first, then the main content.
import fs from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_CUSTOMERS, DEMO_USERS } from "../../db/demo";
import { staffPasswordResets } from "../../db/schema";
import { LANGUAGES } from "../../app/i18n/language";
import { chromiumAvailable, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { firstSettlementHref, screenData, settled, staffRoutePatterns, staffScreens } from "../support/staff-screens";
import { createStaff } from "../support/staff";

const WIDTHS = [1440, 390] as const;
type Scheme = "light" | "dark";

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (one h1, landmarks, heading order). */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

/**
 * The rules whose outcome the colour scheme can change. A scheme is only CSS variables (the page's
 * elements, names and layout are the same in both), so the dark scheme is checked for these, the
 * light scheme for every rule; each at both widths, where the elements on screen differ.
 */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

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

type RemixWindow = {
  __remixRouter: {
    navigate: (to: string) => Promise<void>;
    state: {
      navigation: { state: string };
      revalidation: string;
      fetchers: Map<string, { state: string }>;
    };
  };
};

/**
 * Waits until Remix loads nothing (no navigation, revalidation or fetcher under way), the network
 * is quiet, and the screen shows it: React renders a navigation's end in a transition, so on a
 * busy machine the router is idle a while before the dimmed screen (PendingContent's
 * `navigation-pending`) gives way to the new one, and a scan then judged the old screen, faded.
 */
async function quiet(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => {
    const { state } = (window as unknown as RemixWindow).__remixRouter;
    return (
      state.navigation.state === "idle" &&
      state.revalidation === "idle" &&
      [...state.fetchers.values()].every((fetcher) => fetcher.state === "idle") &&
      document.querySelector(".navigation-pending") === null
    );
  });
}

/**
 * axe's violations on the page as it is now (every rule, or only the colour rules), one readable
 * line per element. A transition still under way (a scheme just switched, a drawer sliding in)
 * would be judged in a colour between two, so the page's finite animations end first.
 */
async function axeViolations(page: Page, where: string, rules: "all" | "colour"): Promise<string[]> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays as it is.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const runOnly = rules === "all" ? { type: "tag", values: AXE_TAGS } : { type: "rule", values: COLOUR_RULES };
  const result = (await page.evaluate(
    (only) =>
      (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }).axe.run(
        document,
        { runOnly: only, resultTypes: ["violations"] },
      ),
    runOnly,
  )) as AxeResult;
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${violation.help}. ${node.failureSummary.replace(/\s+/g, " ")}`,
    ),
  );
}

/** Waits for a form's error: an alert, or a field marked invalid. */
async function shownError(page: Page) {
  await page.locator('[role="alert"], [aria-invalid="true"]').first().waitFor();
}

/** Fills a login form (staff or customer) and sends it; by field names, the same in every language. */
async function submitLogin(page: Page, email: string, password: string) {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form:has(input[name="password"]) button[type="submit"]').click();
}

/** A state of a screen, reached from the one before it on the same page (the first: as loaded). */
type State = {
  name: string;
  into?: (page: Page) => Promise<void>;
  /** Only at these widths (the phone's navigation button is not there on a wide screen). */
  widths?: readonly number[];
};

/** A page to load and the states to scan on it, in order. */
type Visit = { path: string; states: State[] };

const asLoaded = (name: string): State[] => [{ name }];

/**
 * A login form (staff or customer) after someone unknown tried it: a wrong password for a real
 * account would count towards its lock-out.
 */
const refusedLogin = (name: string, email: string): State => ({
  name,
  into: async (page) => {
    await submitLogin(page, email, "not the password");
    await shownError(page);
  },
});

describe.skipIf(!chromiumAvailable)("WCAG 2.2 AA in Chromium (axe-core)", () => {
  const e2e = useBrowserTest({ demoPayments: 40 });

  it("lists every staff screen of app/routes", () => {
    const listed = Object.keys(staffScreens({ paymentId: 1, creditId: 1, settlementHref: "", callbackId: 1 })).sort();
    expect(listed).toEqual(staffRoutePatterns().sort());
  });

  it("finds no violation on any screen or state, at either width, in either scheme, in any language", async () => {
    const errors: string[] = [];
    const violations: string[] = [];
    const { shop, captured, creditId, callbackId, chargebackId } = await screenData(e2e.server);

    // Signed in once per role; each language's context starts from the saved cookies.
    const admin = await signedInPage(e2e.browser, e2e.server.url, ADMIN, "/", { errors });
    const settlementHref = await firstSettlementHref(admin.page, e2e.server.url);
    const adminState = await admin.context.storageState();
    await admin.context.close();
    const support = await createStaff(e2e.server, "support");
    const enrolling = await signedInPage(e2e.browser, e2e.server.url, support, "/me", { errors });
    const supportState = await enrolling.context.storageState();
    await enrolling.context.close();
    const customerContext = await e2e.browser.newContext();
    const customerPage = await customerContext.newPage();
    await customerPage.goto(`${e2e.server.url}/account/login`);
    await submitLogin(customerPage, KARI.email, KARI.password);
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

    const screens = staffScreens({ paymentId: captured.paymentId, creditId, settlementHref, callbackId, chargebackId });
    /** The states that go on from a screen as loaded, on the same page. */
    const followOns: Record<string, State[]> = {
      "/": [
        {
          name: "navigation open",
          widths: [390],
          into: async (page) => {
            await page.locator(".mantine-Burger-root").click();
            await page.getByRole("navigation").getByRole("link").first().waitFor({ state: "visible" });
          },
        },
      ],
      "/payments": [
        {
          name: "search dialog open",
          into: async (page) => {
            await page.keyboard.press("Control+K");
            await page.getByRole("dialog").waitFor();
          },
        },
        {
          name: "search dialog with its answers",
          into: async (page) => {
            await page.getByRole("dialog").getByRole("combobox").fill(String(captured.paymentId));
            await page.getByTestId("global-search-option").first().waitFor();
          },
        },
      ],
      "/payments/$paymentId": [
        {
          name: "credit dialog open",
          into: async (page) => {
            await page.getByTestId(`credit-${captured.transactionId}`).click();
            await page.getByRole("dialog").waitFor();
          },
        },
        {
          name: "credit dialog with its errors",
          into: async (page) => {
            const dialog = page.getByRole("dialog");
            await dialog.getByTestId("credit-amount").fill("5000.00");
            await dialog.locator('button[type="submit"]').click();
            await expect.poll(() => dialog.getByTestId("credit-amount").getAttribute("aria-invalid")).toBe("true");
          },
        },
      ],
    };
    const staffVisits: Visit[] = [
      ...Object.entries(screens).map(([pattern, path]) => ({
        path,
        states: [{ name: pattern }, ...(followOns[pattern] ?? [])],
      })),
      { path: "/payments?q=no-such-order-anywhere", states: asLoaded("empty payments list") },
      { path: "/credits?q=no-such-credit-anywhere", states: asLoaded("empty credits list") },
      { path: "/search?q=no-such-thing-anywhere", states: asLoaded("empty search") },
    ];
    const anonymousVisits: Visit[] = [
      {
        path: "/login",
        states: [
          { name: "login" },
          refusedLogin("login with its error", "nobody@paydesk.test"),
          {
            name: "second step",
            into: async (page) => {
              await submitLogin(page, ADMIN.email, ADMIN.password);
              await page.waitForURL((url) => url.pathname === "/login/code");
              await quiet(page);
            },
          },
          {
            name: "second step with its error",
            into: async (page) => {
              await page.locator('input[name="code"]').fill("000000");
              await page.locator('form:has(input[name="code"]) button[type="submit"]').click();
              await shownError(page);
            },
          },
        ],
      },
      { path: `/reset-password/${resetToken}`, states: asLoaded("password reset link") },
      {
        path: "/account/login",
        states: [{ name: "customer login" }, refusedLogin("customer login with its error", "nobody@example.no")],
      },
    ];
    const consent = new URLSearchParams({
      clientId: shop.clientId,
      redirectUri: "https://shop.example/in",
      state: "a11y",
    });
    const customerVisits: Visit[] = [
      { path: "/account", states: asLoaded("customer overview") },
      { path: `/account/authorize?${consent}`, states: asLoaded("customer consent") },
    ];
    const supportVisits: Visit[] = [
      { path: "/login/enrol?redirectTo=%2Fme", states: asLoaded("enrol a second factor") },
    ];

    /**
     * Scans the visits on one page. Each is loaded once (a staff screen after one left as loaded by
     * a client-side navigation, as the navigation does) and each of its states is scanned in every
     * scheme and width: the scheme follows the system's (emulated), the layout the window's width.
     * The order snakes (light 1440, light 390, dark 390, dark 1440, then back), so each state costs
     * one switch of the scheme.
     */
    async function scanVisits(context: BrowserContext, language: string, visits: Visit[], inPage: boolean) {
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(error.message));
      let scheme: Scheme = "light";
      let width: number = WIDTHS[0];
      const show = async (next: { scheme?: Scheme; width?: number }) => {
        if (next.width !== undefined && next.width !== width) {
          width = next.width;
          await page.setViewportSize({ width, height: 900 });
        }
        if (next.scheme !== undefined && next.scheme !== scheme) {
          scheme = next.scheme;
          await page.emulateMedia({ colorScheme: scheme });
          await page.waitForFunction(
            (expected) => document.documentElement.getAttribute("data-mantine-color-scheme") === expected,
            scheme,
          );
        }
      };
      await page.emulateMedia({ colorScheme: scheme });
      let asLoadedNow = false;
      for (const visit of visits) {
        if (inPage && asLoadedNow) {
          await page.evaluate((path) => (window as unknown as RemixWindow).__remixRouter.navigate(path), visit.path);
        } else {
          await page.goto(`${e2e.server.url}${visit.path}`);
          await settled(page);
        }
        await quiet(page);
        for (const state of visit.states) {
          const widths = state.widths ?? WIDTHS;
          if (!widths.includes(width)) await show({ width: widths[0] });
          await state.into?.(page);
          const where = (s: Scheme, w: number) => `[${language} ${s} ${w}px] ${state.name} (${visit.path})`;
          const schemes: Scheme[] = scheme === "light" ? ["light", "dark"] : ["dark", "light"];
          for (const next of schemes) {
            await show({ scheme: next });
            for (const w of width === widths[0] ? widths : [...widths].reverse()) {
              await show({ width: w });
              // A scan judges the page at rest: no navigation under way (the page dims while one loads).
              await quiet(page);
              violations.push(...(await axeViolations(page, where(next, w), next === "light" ? "all" : "colour")));
            }
          }
        }
        asLoadedNow = visit.states.every((state) => !state.into);
      }
      await page.close();
    }

    /** Every page in one language: a context per role, from its saved cookies, with that Accept-Language. */
    async function scanLanguage(language: string) {
      const plan: Array<[Visit[], Awaited<ReturnType<BrowserContext["storageState"]>> | undefined, boolean]> = [
        [staffVisits, adminState, true],
        [supportVisits, supportState, false],
        [anonymousVisits, undefined, false],
        [customerVisits, customerState, false],
      ];
      for (const [visits, storageState, inPage] of plan) {
        const context = await languageContext(e2e.browser, language, storageState);
        await scanVisits(context, language, visits, inPage);
        await context.close();
      }
    }

    // The languages side by side: most of a scan's time is waiting (for the server, for the
    // network to settle), which two pages overlap.
    await Promise.all(LANGUAGES.map(scanLanguage));

    violations.sort();
    expect(violations, `axe-core found ${violations.length} violations:\n${violations.join("\n")}`).toEqual([]);
    expect(errors).toEqual([]);
  }, 900_000); // some 45 screens and states × 2 languages, each loaded once and scanned 4 times

  /** A context in one language, signed in with `storageState` when given. */
  function languageContext(
    browser: Browser,
    language: string,
    storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>,
  ) {
    return browser.newContext({ viewport: { width: WIDTHS[0], height: 900 }, locale: language, storageState });
  }

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
