// Norwegian and English (ADR 042): a staff user switches to Norsk on their account page and sees
// the dashboard, the payments list, a payment and the operation log in Norwegian, with Norwegian
// money and dates; the choice is theirs and survives a reload. An admin's screens (users, audit
// log, payment methods, the header's search) follow the admin's choice too. A customer whose
// browser asks for Norwegian gets the customer pages, their account page with its money, due
// dates and method names included, in Norwegian, and English after choosing it.
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_CUSTOMERS, DEMO_USERS } from "../../db/demo";
import { chromiumAvailable, logInThroughForm } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { and, eq } from "drizzle-orm";
import { payments, paymentTransactions, staffUsers } from "../../db/schema";

const support = DEMO_USERS.find((user) => user.role === "support")!;
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
/** Kari: an open invoice that is overdue, a paid one, and a product paid by AvtaleGiro. */
const kari = DEMO_CUSTOMERS.find((customer) => customer.customerNumber === "200001")!;
/** "1 234,50 kr": Norwegian grouping (a no-break space), a decimal comma, kr after. */
const NORWEGIAN_MONEY = /\d,\d{2}\s?kr/;
/** "07.09.2026 14:58:19". */
const NORWEGIAN_DATE = /\d{2}\.\d{2}\.\d{4},?\s\d{2}[:.]\d{2}/;

describe.skipIf(!chromiumAvailable)("Norwegian and English in Chromium", () => {
  const e2e = useBrowserTest({ demoPayments: 30 });

  /** Runs `steps` on the page of a context of its own, checks they met no page error, and closes the context. */
  async function onFreshPage(options: BrowserContextOptions, steps: (page: Page) => Promise<void>) {
    const context = await e2e.browser.newContext(options);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await steps(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }

  it("switches a staff user to Norsk on /me and keeps it", async () => {
    await onFreshPage({ viewport: { width: 1440, height: 900 }, locale: "en-US" }, async (page) => {
      await page.goto(`${e2e.server.url}/me`);
      await logInThroughForm(page, support);
      await page.waitForURL(`${e2e.server.url}/me`);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();

      await page.getByRole("main").getByRole("radio", { name: "Norsk" }).click(); // posted at once; the radio follows the saved choice
      await page.getByRole("heading", { level: 1, name: "Kontoen din" }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe("nb");

      await page.goto(`${e2e.server.url}/`);
      await page.getByRole("heading", { level: 1, name: "Oversikt" }).waitFor();
      expect(await page.getByRole("navigation").getByRole("link", { name: "Betalinger" }).count()).toBe(1);
      await expect.poll(() => page.getByTestId("total-captured-amount").textContent()).toMatch(NORWEGIAN_MONEY);

      await page.goto(`${e2e.server.url}/payments`);
      await page.getByRole("heading", { level: 1, name: "Betalinger" }).waitFor();
      await expect.poll(() => page.getByText(/Viser 1–25 av 30 betalinger/).count()).toBe(1);
      const table = await page.locator("table").first().textContent();
      expect(table).toMatch(NORWEGIAN_MONEY);
      expect(table).toMatch(NORWEGIAN_DATE);

      await page.locator("table tbody tr").first().getByRole("link").first().click();
      await page.getByRole("heading", { level: 1, name: /^Betaling \d+$/ }).waitFor();
      expect(await page.getByTestId("summary-totalAmount").textContent()).toMatch(NORWEGIAN_MONEY);
      expect(await page.getByText("Transaksjoner (", { exact: false }).count()).toBeGreaterThan(0);
      expect(await page.locator("main").textContent()).toMatch(NORWEGIAN_DATE);
      const paymentUrl = page.url();

      // The operation log: its words, its operations' names, counts, money and times in Norwegian.
      await page.goto(`${e2e.server.url}/operation-log`);
      await page.getByRole("heading", { level: 1, name: "Operasjonslogg" }).waitFor();
      expect(await page.getByTestId("operation-count").textContent()).toMatch(/^\d[\d\s]* operasjoner? passer$/);
      const log = page.getByRole("region", { name: "Operasjonslogg", exact: true });
      expect(await log.getByRole("columnheader", { name: "Tid" }).count()).toBe(1);
      expect(await log.getByRole("columnheader", { name: "Utført av" }).count()).toBe(1);
      const logText = await log.textContent();
      expect(logText).toMatch(/OPPRETT|BELAST|RESERVER/);
      expect(logText).toMatch(NORWEGIAN_MONEY);
      expect(logText).toMatch(NORWEGIAN_DATE);
      expect(await page.getByRole("button", { name: "Nyeste" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Visninger" }).count()).toBe(1);
      expect(await page.title()).toBe("Operasjonslogg · Paydesk");
      await page.goto(paymentUrl);

      // The choice is the user's, not the page's: a reload (and the browser's en-US) keeps it.
      await page.reload();
      await page.getByRole("heading", { level: 1, name: /^Betaling \d+$/ }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe("nb");

      // Back to English with the header's switch.
      await page.getByRole("banner").getByText("EN", { exact: true }).click();
      await page.getByRole("heading", { level: 1, name: /^Payment \d+$/ }).waitFor();
      expect(await page.getByTestId("summary-totalAmount").textContent()).toMatch(/NOK\s\d/);
    });
  });

  it("keeps the last of two quick choices even when the server gets the first one last", async () => {
    await onFreshPage({ viewport: { width: 1440, height: 900 }, locale: "en-US" }, async (page) => {
      await page.goto(`${e2e.server.url}/me`);
      await logInThroughForm(page, support);
      await page.waitForURL(`${e2e.server.url}/me`);
      const main = page.getByRole("main");
      const saved = async () =>
        (await e2e.server.database.db.select().from(staffUsers).where(eq(staffUsers.email, support.email)))[0].language;
      await main.getByRole("radio", { name: "English", exact: true }).click();
      await expect.poll(saved).toBe("en");

      // The first post is held on its way for a second and then sent anyway, as a slow network
      // or a busy server would: the browser gave up on it, the server did not. The second post
      // goes straight through.
      let held = 0;
      await page.route("**/me**", async (route) => {
        if (route.request().method() !== "POST" || held++ > 0) return route.continue();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const response = await route.fetch();
        await route.fulfill({ response }).catch(() => undefined);
      });
      await main.getByRole("radio", { name: "Norsk", exact: true }).click();
      await main.getByRole("radio", { name: /^As my browser asks/ }).click();

      // The last choice (the browser's language, none of the account's own) is what the account
      // keeps and what the screen shows, after both posts have been answered.
      await page.waitForTimeout(2_500);
      expect(await saved()).toBeNull();
      expect(await main.getByRole("radio", { name: /^As my browser asks/ }).isChecked()).toBe(true);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
    });
  });

  it("shows an admin's screens in Norwegian once the admin chooses it", async () => {
    await onFreshPage({ viewport: { width: 1440, height: 900 }, locale: "en-US" }, async (page) => {
      await page.goto(`${e2e.server.url}/users`);
      await logInThroughForm(page, admin);
      await page.waitForURL(`${e2e.server.url}/users`);
      await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();

      await page.getByRole("banner").getByText("NO", { exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Brukere" }).waitFor();
      expect(await page.title()).toBe("Brukere · Paydesk");
      expect(await page.getByRole("button", { name: "Ny bruker" }).count()).toBe(1);
      expect(await page.getByRole("columnheader", { name: "Rolle" }).count()).toBe(1);
      expect(await page.getByLabel("Søk", { exact: true }).getAttribute("placeholder")).toBe("E-post, navn eller id");
      // A role is a word of the reader's language: support is "kundestøtte".
      expect(await page.getByTestId(`user-${support.email}`).textContent()).toContain("kundestøtte");
      expect(
        await page
          .getByRole("banner")
          .getByRole("button", { name: "Søk i betalinger, krediteringer og kunder" })
          .count(),
      ).toBeGreaterThan(0);

      // The audit log: its labels in Norwegian, the stored values (the action) as stored.
      await page.goto(`${e2e.server.url}/audit-log`);
      await page.getByRole("heading", { level: 1, name: "Revisjonslogg" }).waitFor();
      expect(await page.getByText(/^Viser 1–\d+ av \d+ oppføringer$/).count()).toBe(1);
      expect(await page.getByRole("columnheader", { name: "Utført av" }).count()).toBe(1);
      expect(
        await page.locator('[data-testid="audit-row"][data-action="staff_user.set_language"]').count(),
      ).toBeGreaterThan(0);
      expect(await page.locator("table").first().textContent()).toMatch(NORWEGIAN_DATE);

      await page.goto(`${e2e.server.url}/payment-methods?clientId=nordbuss-web&channel=web`);
      await page.getByRole("heading", { level: 1, name: "Betalingsmåter" }).waitFor();
      const visa = page.getByTestId("method-nordbuss-web-web-VISA");
      expect(await visa.getByText("På", { exact: true }).count()).toBe(1);
      expect(await visa.getByRole("button", { name: "Slå av" }).count()).toBe(1);
    });
  });

  it("shows a customer page in Norwegian when the browser asks for it", async () => {
    await onFreshPage({ locale: "nb-NO", viewport: { width: 390, height: 844 } }, async (page) => {
      await page.goto(`${e2e.server.url}/account/login`);
      await page.getByRole("heading", { level: 1, name: "Mine abonnementer" }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe("nb");
      expect(await page.getByRole("button", { name: "Logg inn" }).count()).toBe(1);
      expect(await page.getByLabel("E-post").count()).toBe(1);

      // A wrong password answers in Norwegian too (the server's message).
      await page.getByLabel("E-post").fill("nobody@example.no");
      await page.getByLabel("Passord").fill("not-the-password");
      await page.getByRole("button", { name: "Logg inn" }).click();
      await page.getByText("Feil e-post eller passord.").waitFor();

      // The account page: headings, method names, badges, money and due dates the Norwegian way.
      await page.getByLabel("E-post").fill(kari.email);
      await page.getByLabel("Passord").fill(kari.password);
      await page.getByRole("button", { name: "Logg inn" }).click();
      await page.getByRole("heading", { level: 2, name: "Produkter" }).waitFor();
      expect(await page.title()).toBe("Mine abonnementer");
      expect(await page.getByRole("heading", { level: 2, name: "Fakturaer" }).count()).toBe(1);
      expect(await page.getByTestId("product-P2000015").getByTestId("current-method").textContent()).toBe(
        "AvtaleGiro (trekk fra bankkonto)",
      );
      const overdue = page.getByTestId("invoice-F2000004");
      expect(await overdue.getByTestId("overdue").textContent()).toBe("Forfalt");
      expect(await overdue.getByTestId("status").textContent()).toBe("Åpen");
      const overdueText = (await overdue.textContent()) ?? "";
      expect(overdueText).toMatch(NORWEGIAN_MONEY);
      expect(overdueText).toMatch(/Forfaller \d{2}\.\d{2}\.\d{4}/);
      expect(await overdue.getByRole("button", { name: "Betal" }).count()).toBe(1);
      expect(await page.getByTestId("invoice-F2000002").getByTestId("status").textContent()).toBe("Betalt");

      await page.getByText("EN", { exact: true }).click();
      await page.getByRole("heading", { level: 2, name: "Products" }).waitFor();
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "My subscriptions" }).waitFor();
      expect(await page.getByTestId("invoice-F2000004").getByTestId("overdue").textContent()).toBe("Overdue");
      expect(await page.getByTestId("invoice-F2000004").textContent()).toMatch(/NOK\s1,290\.00/);
    });
  });

  // A credit made in Norwegian, from the form's checks to the server's notification.
  it("creates a credit in Norwegian: the screens, the form's check and the server's answer", async () => {
    const [captured] = await e2e.server.database.db
      .select({ paymentId: paymentTransactions.paymentId, transactionId: paymentTransactions.transactionId })
      .from(paymentTransactions)
      .innerJoin(payments, eq(payments.paymentId, paymentTransactions.paymentId))
      .where(and(eq(paymentTransactions.status, "CAPTURED"), eq(payments.active, true)))
      .limit(1);
    await onFreshPage({ viewport: { width: 1440, height: 900 }, locale: "en-US" }, async (page) => {
      await page.goto(`${e2e.server.url}/credits`);
      await logInThroughForm(page, support);
      await page.getByRole("heading", { level: 1, name: "Credits" }).waitFor();
      await page.getByRole("banner").getByText("NO", { exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Krediteringer" }).waitFor();
      expect(await page.getByText("Fire øyne-regelen:").count()).toBe(1);

      await page.getByRole("link", { name: "Ny kreditering" }).click();
      await page.getByRole("heading", { level: 1, name: "Ny kreditering" }).waitFor();
      await page.getByLabel("Betalings-id").fill(String(captured.paymentId));
      await page.getByRole("button", { name: "Finn betalinger" }).click();
      await page.getByLabel(`Krediter transaksjon ${captured.transactionId}`).check();
      const amount = page.getByLabel(`Beløp som skal krediteres fra transaksjon ${captured.transactionId}`);
      // The form's own check, in the reader's words, before anything is sent.
      await amount.fill("1,2,3");
      await page.getByText("Skriv inn et beløp som 2 596,50").waitFor();
      await amount.fill("1,00");
      expect(await page.getByTestId("credit-total").textContent()).toMatch(NORWEGIAN_MONEY);
      await page.getByLabel("Begrunnelse").fill("Kunden klaget, sak 4711");
      await page.getByRole("button", { name: "Opprett kreditering" }).click();

      // The server's notification and the credit's own screen, in Norwegian.
      await page.getByRole("heading", { level: 1, name: /^Kreditering \d+$/ }).waitFor();
      await page
        .getByText(/er opprettet; den holder av beløpene til den er utført/)
        .first()
        .waitFor();
      expect(await page.getByRole("columnheader", { name: "Tilbakebetalt som" }).count()).toBe(1);
      expect(await page.locator("main").textContent()).toMatch(NORWEGIAN_DATE);

      // Back to English for the other tests of this user.
      await page.getByRole("banner").getByText("EN", { exact: true }).click();
      await page.getByRole("heading", { level: 1, name: /^Credit \d+$/ }).waitFor();
    });
  });
});
