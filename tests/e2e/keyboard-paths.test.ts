// Every daily task by keyboard only (WCAG 2.2 AA 2.1.1, 2.1.2, 2.4.3, 2.4.7): after the first
// screen, the tests press keys and nothing else (no clicks, no page.goto). Each step is reached
// by Tab or Shift+Tab, and the element that has the focus must show it (the app's focus ring, or
// a field's focus border). The support agent logs in, finds a payment with `/` and Ctrl+K and
// credits it in the dialog (Escape closes it, and the focus comes back to its button), then
// filters the payment list, moves to page 2 and opens a row; finance opens the work queue from
// the navigation and executes a credit another staff user created (four-eyes), then saves the
// payment filters as a view, makes it the default and exports CSV; an admin switches a payment
// method off and on again; and anyone switches language and scheme on their account page and logs out.
import { eq } from "drizzle-orm";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENTS, DEMO_USERS } from "../../db/demo";
import { credits, creditTransactions, paymentMethods, savedViews, staffUsers } from "../../db/schema";
import { money } from "../../app/domain/money";
import { withDatabase } from "../../app/platform/db.server";
import { createCredit } from "../../app/services/credits/credits.server";
import { capturedCardPayment, createClient, type TestClient } from "../support/api";
import { chromiumAvailable, type BrowserStaff } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { settled } from "../support/staff-screens";
import { createStaff } from "../support/staff";
import { freshTotpCode } from "../support/totp";
import { staffCaller } from "../support/use-case";

const demo = (role: string) => DEMO_USERS.find((user) => user.role === role)!;
const NORDBUSS = DEMO_CLIENTS.find((client) => client.clientId === "nordbuss-web")!;

/** How long a screen may take to show what a key did, on a busy machine. */
const POLL = { timeout: 30_000 };

/** More Tab presses than any path here needs: a stop that takes longer is not reachable in practice. */
const MAX_PRESSES = 80;

/** Whether the element has the focus, or holds the element that has it. */
const holdsFocus = (target: Locator) =>
  target.evaluate((element) => element === document.activeElement || element.contains(document.activeElement));

/**
 * What is wrong with the focus indicator of the focused element, or null when it shows: the
 * app's ring (an outline) on it, or, for a control that hides its own input (a radio of a
 * segmented control), on the label that stands for it; a text field may show its focus by its
 * border (Mantine's), which then differs from a field's resting border.
 */
function focusProblem(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return "nothing has the focus";
    // A field's border eases into its focus colour: judge it once the transition is over.
    await Promise.all(active.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    const describe = (element: Element) => element.outerHTML.slice(0, 160);
    if (!active.matches(":focus-visible")) return `no :focus-visible on ${describe(active)}`;
    const ringed = (element: Element) => {
      const style = getComputedStyle(element);
      return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    };
    const box = active.getBoundingClientRect();
    const shown = box.width > 1 && box.height > 1 ? active : (active as HTMLInputElement).labels?.[0];
    if (!shown) return `the focused element is not on screen: ${describe(active)}`;
    if (ringed(shown) || ringed(active)) return null;
    const textField = active.matches("textarea, input:not([type=checkbox]):not([type=radio])");
    if (textField) {
      const resting = document.createElement(active.tagName);
      resting.className = active.className;
      active.parentElement!.append(resting);
      const differs = getComputedStyle(resting).borderColor !== getComputedStyle(active).borderColor;
      resting.remove();
      if (differs) return null;
    }
    return `no visible focus on ${describe(shown)}`;
  });
}

/** Presses Tab (or Shift+Tab) until `target` has the focus, and checks that the focus shows. */
async function tabTo(page: Page, target: Locator, direction: "forward" | "back" = "forward") {
  const key = direction === "forward" ? "Tab" : "Shift+Tab";
  await target.waitFor({ state: "attached" });
  for (let presses = 0; presses < MAX_PRESSES; presses++) {
    await page.keyboard.press(key);
    if (await holdsFocus(target)) {
      expect(await focusProblem(page)).toBeNull();
      return;
    }
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`${MAX_PRESSES} × ${key} never reached ${target}; the focus is on ${focused}`);
}

/** Tabs to a link or button and presses Enter. */
async function activate(page: Page, target: Locator, direction: "forward" | "back" = "forward") {
  await tabTo(page, target, direction);
  await page.keyboard.press("Enter");
}

/** Presses an arrow key until the radio (or menu item) has the focus: in a radio group, the focus is the choice. */
async function arrowTo(page: Page, target: Locator, key: "ArrowDown" | "ArrowUp" | "ArrowLeft" | "ArrowRight") {
  for (let presses = 0; presses < 12 && !(await holdsFocus(target)); presses++) await page.keyboard.press(key);
  expect(await holdsFocus(target)).toBe(true);
  expect(await focusProblem(page)).toBeNull();
}

/** Opens a dialog with its button, types the reason it asks for, and confirms with `confirm`. */
async function confirmWithReason(page: Page, opener: Locator, reason: string, confirm: RegExp): Promise<Locator> {
  await activate(page, opener);
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await tabTo(page, dialog.getByLabel("Reason"));
  await page.keyboard.type(reason);
  await activate(page, dialog.getByRole("button", { name: confirm }));
  return dialog;
}

/** Opens a screen by its link in the main navigation, and waits for its heading. */
async function openFromNavigation(page: Page, name: RegExp | string, heading: RegExp | string) {
  const link = page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name });
  // From inside a screen it is behind the focus; from the top of a page just loaded, ahead of it.
  const inScreen = await page.evaluate(() => Boolean(document.activeElement?.closest("main")));
  await activate(page, link, inScreen ? "back" : "forward");
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  await settled(page);
}

/** Types into the field that has the focus, replacing what it holds. */
async function typeOver(page: Page, text: string) {
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

/** Waits until the element has the focus (after a dialog opened or closed). */
async function focusIsOn(target: Locator) {
  await expect.poll(() => holdsFocus(target), POLL).toBe(true);
}

// A task is many key presses, each a round trip to the browser: more than the default minute on a busy machine.
describe.skipIf(!chromiumAvailable)("every daily task by keyboard only", { timeout: 150_000 }, () => {
  const e2e = useBrowserTest({ demoPayments: 60 });
  let shop: TestClient;
  let secondFinance: BrowserStaff & { id: string };
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  const signedIn = new Map<string, Page>();

  beforeAll(async () => {
    shop = await createClient(e2e.server, { organisationId: NORDBUSS.organisationId });
    secondFinance = await createStaff(e2e.server, "finance");
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  /**
   * The user's page, logged in by keyboard on `firstScreen` the first time (the login sends the
   * browser back there); later tests of the same user go on where the last one left the page.
   */
  async function pageOf(user: BrowserStaff, firstScreen: string): Promise<Page> {
    const known = signedIn.get(user.email);
    if (known) return known;
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${e2e.server.url}${firstScreen}`);
    await settled(page);
    await tabTo(page, page.getByLabel("Email"));
    await page.keyboard.type(user.email);
    await tabTo(page, page.getByLabel("Password"));
    await page.keyboard.type(user.password);
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname !== "/login");
    if (new URL(page.url()).pathname === "/login/code") {
      await settled(page);
      await tabTo(page, page.getByLabel("Code"));
      await page.keyboard.type(await freshTotpCode(user.totpSecret!));
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.pathname !== "/login/code");
    }
    await page.waitForURL(`${e2e.server.url}${firstScreen}`);
    // The URL changes before the screen has rendered (the login form is still there): wait for it.
    await page.locator("main#main").waitFor();
    await settled(page);
    signedIn.set(user.email, page);
    return page;
  }

  /** The payment the support agent finds and credits. */
  let found: { paymentId: number; transactionId: number };

  it("support: logs in, and finds a payment with / and Ctrl+K", async () => {
    const orderId = `KEYS-${Date.now().toString(36).toUpperCase()}-ORDER`;
    const payment = await capturedCardPayment(shop, "300.00", { orderId });
    found = payment;
    const page = await pageOf(demo("support"), "/");
    const box = page.getByRole("combobox", { name: "Search" });

    // `/` opens the search; Escape closes it and gives the focus back.
    await page.keyboard.press("/");
    await focusIsOn(box);
    expect(await focusProblem(page)).toBeNull();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });

    // Ctrl+K opens it too; part of the orderId in lower case finds the payment.
    await page.keyboard.press("Control+k");
    await focusIsOn(box);
    await page.keyboard.type(orderId.slice(5, 12).toLowerCase());
    const option = page.getByRole("option", { name: new RegExp(`Payment ${payment.paymentId} `) });
    await option.waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => option.getAttribute("aria-selected"), POLL).toBe("true");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${e2e.server.url}/payments/${payment.paymentId}`);
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByRole("heading", { level: 1, name: new RegExp(`${payment.paymentId}`) }).waitFor();
    await settled(page);
  });

  it("support: credits the payment in the dialog, which Escape closes and which gives the focus back", async () => {
    const payment = found;
    const page = await pageOf(demo("support"), `/payments/${payment.paymentId}`);

    // The credit dialog: Escape closes it and the focus is back on its button.
    const credit = page.getByTestId(`credit-${payment.transactionId}`);
    await activate(page, credit);
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await holdsFocus(dialog)).toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await focusIsOn(credit);
    expect(await focusProblem(page)).toBeNull();

    // Again, with an amount and a reason, sent with Enter on the dialog's button.
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await tabTo(page, dialog.getByTestId("credit-amount"));
    await typeOver(page, "45,50");
    await tabTo(page, dialog.getByLabel("Reason"));
    await page.keyboard.type("Seat not available, refund by keyboard");
    await activate(page, dialog.getByRole("button", { name: "Credit", exact: true }));
    await dialog.waitFor({ state: "detached" });
    // Within the payment's creditable amount a support agent's credit is executed at once: the
    // page shows the credited amount, and the credit among the payment's credits.
    await expect.poll(() => page.getByTestId("summary-creditedAmount").textContent(), POLL).toMatch(/NOK\s45\.50/);
    const lines = await e2e.server.database.db
      .select()
      .from(creditTransactions)
      .where(eq(creditTransactions.paymentId, payment.paymentId));
    expect(lines.map((line) => [line.amount, line.status])).toEqual([[expect.stringMatching(/^45\.50*$/), "CREDITED"]]);
    await page.locator(`a[href="/credits/${lines[0].creditId}"]`).first().waitFor();
    // The focus did not fall back to the top of the page: it is on the button that opened the dialog.
    await focusIsOn(credit);
  });

  it("support: adds a filter with the filter builder, moves to page 2 and opens a row", async () => {
    const page = await pageOf(demo("support"), "/payments");
    await openFromNavigation(page, "Payments", "Payments");

    await activate(page, page.getByRole("button", { name: "Add filter" }));
    const row = page.getByTestId("filter-row").first();
    await row.waitFor();
    // The field: a searchable select, chosen by typing and arrows.
    // The new row's field has the focus.
    await focusIsOn(row.getByLabel("Field"));
    expect(await focusProblem(page)).toBeNull();
    await typeOver(page, "Total amount");
    await page.getByRole("option", { name: "Total amount" }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => row.getByLabel("Field").inputValue(), POLL).toBe("Total amount");
    // The operator: opened with the arrow keys, ≥ chosen with them.
    await tabTo(page, row.getByLabel("Operator"));
    await page.keyboard.press("ArrowDown");
    const gte = page.getByRole("option", { name: /gte/ });
    await gte.waitFor();
    for (let presses = 0; presses < 8 && (await gte.getAttribute("data-combobox-selected")) === null; presses++)
      await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => row.getByLabel("Operator").inputValue(), POLL).toMatch(/gte/);
    await tabTo(page, row.getByLabel("Value"));
    await page.keyboard.type("1");
    // Enter in the field applies the filters, as the Apply button does.
    await page.keyboard.press("Enter");
    await page.waitForURL(/totalAmount=gte%3A1/);
    await settled(page);

    // Page 2 through the pagination's links.
    // The list's links follow the filtered list a moment after the URL does.
    const page2 = page.getByRole("link", { name: "2", exact: true });
    await expect.poll(() => page2.getAttribute("href"), POLL).toMatch(/totalAmount=gte%3A1/);
    await activate(page, page2);
    await page.waitForURL(/[?&]page=2/);
    expect(page.url()).toMatch(/totalAmount=gte%3A1/);
    await settled(page);
    // A row opens by its link: the last row's, the first one met going back from the pages.
    const lastRow = page.getByRole("region", { name: "Payments" }).locator('a[href^="/payments/"]').last();
    await tabTo(page, lastRow, "back");
    const href = await page.evaluate(() => document.activeElement!.getAttribute("href")!);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${e2e.server.url}${href}`);
    await page.getByRole("heading", { level: 1, name: new RegExp(href.split("/").pop()!) }).waitFor();
  });

  it("finance: opens the work queue from the navigation and executes a credit another staff user created", async () => {
    const payment = await capturedCardPayment(shop, "20000.00");
    const created = await withDatabase(e2e.server.database, () =>
      createCredit(staffCaller({ userId: secondFinance.id, email: secondFinance.email }), {
        totalCreditAmount: money("15000"),
        creditTransactions: [{ ...payment, amount: money("15000") }],
        reason: "Charter cancelled",
      }),
    );
    const page = await pageOf(demo("finance"), "/");
    await openFromNavigation(page, /^Work queue/, "Work queue");

    const row = page.getByTestId(`queue-credit-${created.creditId}`);
    await activate(page, row.getByRole("link", { name: String(created.creditId) }));
    await page.waitForURL(`${e2e.server.url}/credits/${created.creditId}`);
    await page.getByTestId("four-eyes-note").waitFor();
    await settled(page);

    await confirmWithReason(
      page,
      page.getByRole("button", { name: "Execute credit" }),
      "Second pair of eyes, by keyboard",
      /^Credit /,
    );
    await expect.poll(() => page.getByText(/is executed/).count(), POLL).toBeGreaterThan(0);
    const [executed] = await e2e.server.database.db
      .select()
      .from(credits)
      .where(eq(credits.creditId, created.creditId));
    expect(executed.status).toBe("CREDITED");
    // The queue no longer lists it.
    await openFromNavigation(page, /^Work queue/, "Work queue");
    expect(await row.count()).toBe(0);
  });

  it("finance: saves the payment filters as a view, makes it the default and exports CSV", async () => {
    const page = await pageOf(demo("finance"), "/payments");
    await openFromNavigation(page, "Payments", "Payments");
    // A filter to save: payment type VISA.
    await activate(page, page.getByRole("button", { name: "Add filter" }));
    const row = page.getByTestId("filter-row").first();
    // The new row's field has the focus.
    await focusIsOn(row.getByLabel("Field"));
    expect(await focusProblem(page)).toBeNull();
    await typeOver(page, "Payment type");
    await page.getByRole("option", { name: "Payment type", exact: true }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await tabTo(page, row.getByLabel("Value"));
    await page.keyboard.type("VISA");
    await page.getByRole("option", { name: "VISA", exact: true }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => row.getByLabel("Value").inputValue(), POLL).toBe("VISA");
    await activate(page, page.getByRole("button", { name: "Apply" }));
    await page.waitForURL(/paymentType=VISA/);
    await settled(page);

    // Save view: the dialog's name field has the focus; Enter saves.
    const save = page.getByTestId("save-view");
    await activate(page, save, "back");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await focusIsOn(dialog.getByLabel("Name"));
    const name = `Visa by keyboard ${Date.now().toString(36)}`;
    await page.keyboard.type(name);
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await page.waitForURL(/view=\d+/);
    const viewId = Number(new URL(page.url()).searchParams.get("view"));
    await page.getByTestId("view-chip").waitFor();
    await settled(page);

    // The Views menu: opened with Enter, items chosen with the arrows.
    const menu = page.getByTestId("views-menu");
    await activate(page, menu, "back");
    const makeDefault = page.getByRole("menuitem", { name: "Open it by default" });
    await makeDefault.waitFor();
    await arrowTo(page, makeDefault, "ArrowDown");
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => {
        const [view] = await e2e.server.database.db.select().from(savedViews).where(eq(savedViews.id, viewId));
        return view.isDefault;
      }, POLL)
      .toBe(true);
    // The menu closed and the focus went back to its button.
    await focusIsOn(menu);

    // Export CSV: Enter on the link starts the download (the page fetches the file, then saves it).
    const download = page.waitForEvent("download");
    await activate(page, page.getByTestId("export-csv"));
    const file = await download;
    expect(file.suggestedFilename()).toBe("payments.csv");
    expect(await file.path()).toBeTruthy();
  });

  it("admin: switches a payment method off and on again, behind its confirmation", async () => {
    const page = await pageOf(demo("admin"), `/payment-methods?clientId=${NORDBUSS.clientId}&channel=web`);
    const row = page.getByTestId(`method-${NORDBUSS.clientId}-web-VISA`);
    const visa = async () =>
      (
        await e2e.server.database.db.select().from(paymentMethods).where(eq(paymentMethods.clientId, NORDBUSS.clientId))
      ).find((method) => method.distributionChannelId === "web" && method.paymentType === "VISA")!;

    const dialog = await confirmWithReason(
      page,
      row.getByTestId("disable-method"),
      "Acquirer outage, by keyboard",
      /^Disable/,
    );
    await dialog.waitFor({ state: "detached" });
    await expect.poll(async () => (await visa()).enabled, POLL).toBe(false);
    const enable = row.getByTestId("enable-method");
    await enable.waitFor();
    // The same button, now Enable, has the focus back.
    await focusIsOn(enable);

    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await activate(page, dialog.getByRole("button", { name: /^Enable/ }));
    await dialog.waitFor({ state: "detached" });
    await expect.poll(async () => (await visa()).enabled, POLL).toBe(true);
    await row.getByTestId("disable-method").waitFor();
    await focusIsOn(row.getByTestId("disable-method"));
  });

  it("anyone: switches language and scheme on their account page, and logs out", async () => {
    const page = await pageOf(demo("admin"), "/me");
    // The account link in the header (the admin's name), reached backwards from the screen.
    await activate(page, page.getByRole("banner").getByRole("link", { name: demo("admin").name }), "back");
    await page.waitForURL(`${e2e.server.url}/me`);
    await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();
    await settled(page);

    // Language: the radio group; an arrow key moves the focus and the choice together, and each
    // choice is saved at once (the checked state follows the server's answer).
    const main = page.getByRole("main");
    const norwegian = main.getByRole("radio", { name: "Norsk", exact: true });
    const languages = main.getByRole("radiogroup", { name: "Language" });
    await tabTo(page, languages);
    await arrowTo(page, norwegian, "ArrowDown");
    await expect.poll(() => page.locator("html").getAttribute("lang"), POLL).toBe("nb");
    await page.getByRole("heading", { level: 1, name: "Kontoen din" }).waitFor();
    const admin = async () =>
      (
        await e2e.server.database.db
          .select()
          .from(staffUsers)
          .where(eq(staffUsers.email, demo("admin").email))
      )[0];
    await expect.poll(async () => (await admin()).language, POLL).toBe("nb");

    // Scheme: the segmented control, the same way; it switches at once.
    const scheme = (value: string) => main.locator(`input[type="radio"][value="${value}"]`);
    // Tab reaches the chosen segment (the system's scheme, the account's first).
    await tabTo(page, scheme("auto"));
    await arrowTo(page, scheme("dark"), "ArrowRight");
    await expect.poll(() => page.locator("html").getAttribute("data-mantine-color-scheme"), POLL).toBe("dark");
    await expect.poll(async () => (await admin()).colorScheme, POLL).toBe("dark");
    // Back to the system's scheme and English, for whoever uses this account next.
    await arrowTo(page, scheme("auto"), "ArrowLeft");
    await expect.poll(async () => (await admin()).colorScheme, POLL).toBe("auto");
    // The page is in Norwegian now: the group is found by what it holds.
    await tabTo(page, main.getByRole("radio", { name: "Norsk", exact: true }), "back");
    await arrowTo(page, main.getByRole("radio", { name: "English", exact: true }), "ArrowUp");
    await expect.poll(() => page.locator("html").getAttribute("lang"), POLL).toBe("en");
    await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();

    // Log out, from the header.
    await activate(page, page.getByRole("banner").getByRole("button", { name: "Log out" }), "back");
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByLabel("Email").waitFor();
  });
});
