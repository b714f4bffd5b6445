// Debian's Chromium driven by playwright-core (never a downloaded browser). Where Chromium is
// missing, browser tests are skipped with a notice on a developer's machine and fail on CI.
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { freshTotpCode } from "./totp";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumAvailable = fs.existsSync(CHROMIUM_PATH);

if (!chromiumAvailable) {
  const message = `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) to run the browser tests.`;
  if (process.env.CI) throw new Error(message);
  console.warn(`${message} Skipping them.`);
}

/**
 * Content-Security-Policy violations the pages of a test file reported (the console message
 * Chromium prints, or the securitypolicyviolation event). Every context of launchBrowser's
 * browser watches its pages, and closeBrowser fails the file when there was one: so every screen
 * the browser tests visit is also a test that the policy (server/http-guards.ts) breaks nothing.
 */
export const cspViolations: string[] = [];

async function watchForCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  context.on("console", (message) => {
    if (/Content Security Policy|CSP violation/i.test(message.text()))
      cspViolations.push(`${message.location().url}: ${message.text()}`);
  });
}

// One Chromium per test worker: a worker runs file after file (vitest's isolate: false), and
// starting Chromium costs more than most of the tests a file runs in it. Each file gets fresh
// contexts (cookies, storage) and closes them in its afterAll with closeBrowser. Playwright
// kills the browser when the worker process exits.
let shared: Promise<Browser> | null = null;

export function launchBrowser(): Promise<Browser> {
  shared ??= chromium
    .launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    })
    .then((browser) => {
      // A crashed browser is not handed to the next file.
      browser.on("disconnected", () => (shared = null));
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const context = await newContext(options);
        await watchForCspViolations(context);
        return context;
      };
      return browser;
    });
  return shared;
}

/**
 * A file is done with the browser: its contexts close (the browser stays for the next file), and
 * the file fails if any of its pages reported a CSP violation.
 */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  await Promise.all(browser.contexts().map((context) => context.close()));
  const violations = cspViolations.splice(0);
  if (violations.length) throw new Error(`Content-Security-Policy violations:\n${violations.join("\n")}`);
}

/** Who logs in through the form: with `totpSecret` when they have a second factor. */
export type BrowserStaff = { email: string; password: string; totpSecret?: string };

/**
 * Logs in on an open login page (the form at /login, or where a screen sent the browser): the
 * password, then the code of the second factor when the login asks for one. Waits until the
 * browser has left the login pages.
 */
export async function logInThroughForm(page: Page, staff: BrowserStaff): Promise<void> {
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  if (new URL(page.url()).pathname === "/login/code") {
    if (!staff.totpSecret) throw new Error(`${staff.email} has a second factor the test does not know`);
    await page.getByLabel("Code").fill(await freshTotpCode(staff.totpSecret));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((url) => url.pathname !== "/login/code");
  }
}

/**
 * A new browser context signed in as a staff user through the login form, on `path` (which the
 * login sends back to). `errors` collects uncaught page errors, which a test expects to stay empty
 * (pass a test's own array to collect them across several sign-ins).
 */
export async function signedInPage(
  browser: Browser,
  serverUrl: string,
  staff: BrowserStaff,
  path: string,
  options: { acceptDownloads?: boolean; errors?: string[] } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    acceptDownloads: options.acceptDownloads,
  });
  const page = await context.newPage();
  const errors = options.errors ?? [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${serverUrl}${path}`);
  await logInThroughForm(page, staff);
  await page.waitForURL(`${serverUrl}${path}`);
  return { context, page, errors };
}

/**
 * Runs `use` on a page signed in as a staff user on `path` (as signedInPage), expects it raised no
 * uncaught page error, and closes its context whether `use` passed or not.
 */
export async function withSignedInPage(
  browser: Browser,
  serverUrl: string,
  staff: BrowserStaff,
  path: string,
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const { context, page, errors } = await signedInPage(browser, serverUrl, staff, path);
  try {
    await use(page);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** The error Mantine shows under a field (linked to it by aria-describedby), or null. */
export async function errorNextTo(page: Page, field: Locator): Promise<string | null> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter((id) => id.endsWith("-error"));
  return ids.length ? page.locator(`[id="${ids[0]}"]`).textContent() : null;
}

/**
 * Saves the page at 1440 and 390 px wide as `<dir>/<name>-<width>.png` (a test's
 * PAYDESK_SCREENSHOTS), then goes back to 1440 px; nothing without a directory.
 */
export async function shootAtWidths(page: Page, dir: string | undefined, name: string): Promise<void> {
  if (!dir) return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // The navigation slides away below the desktop width: let it finish.
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}
