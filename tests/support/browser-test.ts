// The set-up every browser test file shares: its own server (with demo data where it asks for it)
// and the worker's Chromium, both opened before the file's tests and closed after them. A file's
// own beforeAll runs after this one (vitest runs hooks in the order they were registered) and its
// own afterAll before the browser and the server close.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createClient, type TestClient } from "./api";
import { closeBrowser, launchBrowser, signedInPage, type BrowserStaff } from "./browser";
import { startTestServer, type TestServer, type TestServerOptions } from "./server";

/** A browser test file's server and browser: set once its beforeAll hooks begin. */
export type BrowserTest = { server: TestServer; browser: Browser };

/** Opens a server and the browser for the file (call it in the file's describe). */
export function useBrowserTest(options: TestServerOptions = {}): BrowserTest {
  const test = {} as BrowserTest;
  beforeAll(async () => {
    test.server = await startTestServer(options);
    test.browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeBrowser(test.browser);
    await test.server?.close();
  });
  return test;
}

/** A staff user's signed-in page of a browser test file, as signedInPage makes it. */
export type SignedInPage = Awaited<ReturnType<typeof signedInPage>>;

/**
 * A page signed in as `staff` on `path` for the file's tests (call it in the describe after
 * useBrowserTest): set in a beforeAll that runs after the hooks registered before this call, so
 * what they store is there when the page first loads; its context closes after the file's tests.
 */
export function useSignedInPage(test: BrowserTest, staff: BrowserStaff, path: string): SignedInPage {
  const signedIn = {} as SignedInPage;
  beforeAll(async () => {
    Object.assign(signedIn, await signedInPage(test.browser, test.server.url, staff, path));
  });
  afterAll(async () => {
    await signedIn.context?.close();
  });
  return signedIn;
}

/** The shop the hosted pages send a customer back to. It does not exist: shopContext answers for it. */
export const SHOP = "https://shop.example/";

/**
 * As useBrowserTest, with the shop's API client (organisation `organisationId`), which may send
 * customers back to SHOP: the set-up of the files that drive a hosted page as a shop's customer.
 */
export function useShopBrowserTest(organisationId: number): BrowserTest & { shop: TestClient } {
  const test = useBrowserTest() as BrowserTest & { shop: TestClient };
  beforeAll(async () => {
    test.shop = await createClient(test.server, { organisationId, allowedRedirectPrefixes: [SHOP] });
  });
  return test;
}

/** A browser context whose requests to SHOP get a small page back, so a redirect there lands. */
export async function shopContext(browser: Browser, javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 800, height: 900 } });
  await context.route(`${SHOP}**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      body: "<!doctype html><title>Shop</title><h1>Back at the shop</h1>",
    }),
  );
  return context;
}
