// Debian's Chromium driven by playwright-core (never a downloaded browser). Where Chromium is
// missing, browser tests are skipped with a notice on a developer's machine and fail on CI.
import fs from "node:fs";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumAvailable = fs.existsSync(CHROMIUM_PATH);

if (!chromiumAvailable) {
  const message = `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) to run the browser tests.`;
  if (process.env.CI) throw new Error(message);
  console.warn(`${message} Skipping them.`);
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
      return browser;
    });
  return shared;
}

/** A file is done with the browser: its contexts close (the browser stays for the next file). */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  await Promise.all(browser.contexts().map((context) => context.close()));
}

/**
 * A new browser context signed in as a staff user through the login form, on `path` (which the
 * login sends back to). `errors` collects uncaught page errors, which a test expects to stay empty
 * (pass a test's own array to collect them across several sign-ins).
 */
export async function signedInPage(
  browser: Browser,
  serverUrl: string,
  staff: { email: string; password: string },
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
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${serverUrl}${path}`);
  return { context, page, errors };
}

/** The error Mantine shows under a field (linked to it by aria-describedby), or null. */
export async function errorNextTo(page: Page, field: Locator): Promise<string | null> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter((id) => id.endsWith("-error"));
  return ids.length ? page.locator(`[id="${ids[0]}"]`).textContent() : null;
}
