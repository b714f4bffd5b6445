// The dashboard and the settlements screens in Chromium, checked against the database itself:
// the totals a finance user reads must equal what the operation log says was captured and
// credited (computed here with SQL over operation_log and payment_transactions, never from the
// daily_volume rollup the screens read), ranges live in the URL, and a CSV export holds exactly
// as many rows as the table says it has.
import fs from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import { and, between, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { dailyOutcomes, operationLog, payments, paymentTransactions } from "../../db/schema";
import { presetRange, utcDay, type RangePreset } from "../../app/domain/day-range";
import { toDbAmount, ZERO } from "../../app/domain/money";
import { formatMoney } from "../../app/components/format";
import { formatCount } from "../../app/components/format";
import { capturedCardPayment, createClient, paymentWithTransaction } from "../support/api";
import { chromiumAvailable, signedInPage } from "../support/browser";
import { outcomeTotals } from "../support/outcomes";
import { useBrowserTest } from "../support/browser-test";
import { onUtcDays, volumeFromLog } from "../support/volume";

/** Navigations wait for the server's loader; on a machine busy with other work that takes seconds. */
const POLL = { timeout: 20_000, interval: 200 };

const finance = DEMO_USERS.find((user) => user.role === "finance")!;

/** Digits, sign and decimal comma of a formatted amount: spaces and currency signs differ between ICU builds. */
const digits = (text: string | null) => (text ?? "").replace(/[^0-9,.\-−]/g, "").replace("−", "-");

describe.skipIf(!chromiumAvailable)("dashboard and settlements in Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  /** A card payment captured today (in NOK, PAYMENTCARD). */
  let capturedToday: number;

  const e2e = useBrowserTest({ demoPayments: 400 });

  beforeAll(async () => {
    // Captured today for certain, whatever hour the demo data's clock stopped at.
    ({ paymentId: capturedToday } = await capturedCardPayment(await createClient(e2e.server), "123.45"));
    ({ context, page } = await signedInPage(e2e.browser, e2e.server.url, finance, "/", {
      acceptDownloads: true,
      errors,
    }));
  });

  afterAll(async () => {
    await context?.close();
  });

  /** NOK captured from the operation log over a range of UTC days, formatted like the screen. */
  async function capturedNok(from: string, to: string) {
    const rows = await volumeFromLog(e2e.server.database.db, onUtcDays(from, to));
    const nok = rows.find((row) => row.currency === "NOK");
    return { amount: formatMoney(toDbAmount(nok?.captured ?? ZERO), "NOK", "en"), count: nok?.capturedCount ?? 0 };
  }

  async function expectDashboardTotal(from: string, to: string) {
    const expected = await capturedNok(from, to);
    expect(expected.count, `captures from ${from} to ${to}`).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId("total-captured-amount").textContent(), POLL)
      .toSatisfy((text: string) => digits(text) === digits(expected.amount));
    expect(await page.getByTestId("total-captured").textContent()).toContain(`${expected.count} capture`);
  }

  it("shows for each preset the captured total the database holds for that range, and reopens its URL to the same view", async () => {
    const today = utcDay(new Date());
    for (const [preset, label] of [
      ["7d", "7 days"],
      ["today", "Today"],
      ["90d", "90 days"],
      ["30d", "30 days"],
    ] as Array<[RangePreset, string]>) {
      await page.getByRole("link", { name: label, exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get("range") === preset);
      const { from, to } = presetRange(preset, today);
      await expect
        .poll(() => page.getByTestId("range-summary").textContent(), POLL)
        .toContain(from === to ? to : `${from} to ${to}`);
      await expectDashboardTotal(from, to);
      expect(await page.getByRole("link", { name: label, exact: true }).getAttribute("aria-current")).toBe("true");

      // The URL is the whole state: a fresh tab on it shows the same range and total.
      const again = await context.newPage();
      await again.goto(page.url());
      expect(await again.getByTestId("range-summary").textContent()).toBe(
        await page.getByTestId("range-summary").textContent(),
      );
      expect(await again.getByTestId("total-captured-amount").textContent()).toBe(
        await page.getByTestId("total-captured-amount").textContent(),
      );
      expect(await again.getByRole("link", { name: label, exact: true }).getAttribute("aria-current")).toBe("true");
      await again.close();
    }
    expect(errors).toEqual([]);
  });

  it("takes a custom range from the calendar into the URL and totals it", async () => {
    await page.goto(`${e2e.server.url}/?range=today`);
    await page.waitForLoadState("networkidle");
    const today = utcDay(new Date());
    const first = `${today.slice(0, 8)}01`;
    const dayLabel = (day: string) =>
      new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", {
        day: "numeric",
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      });
    await page.getByRole("button", { name: "Custom range of UTC days" }).click();
    await page.getByRole("button", { name: dayLabel(first), exact: true }).click();
    await page.getByRole("button", { name: dayLabel(today), exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("from") === first && url.searchParams.get("to") === today);
    expect(new URL(page.url()).searchParams.has("range")).toBe(false);
    await expectDashboardTotal(first, today);

    // The chart's measure is URL state too, and choosing it keeps the range.
    await page.locator("label", { hasText: /^Credited$/ }).click();
    await page.waitForURL((url) => url.searchParams.get("show") === "credited");
    expect(new URL(page.url()).searchParams.get("from")).toBe(first);
    expect(errors).toEqual([]);
  });

  /** NOK authorization attempts in the daily_outcomes rollup over a range of UTC days. */
  function attemptsNok(from: string, to: string, paymentTypeGroup?: string) {
    return outcomeTotals(
      e2e.server.database.db,
      and(
        eq(dailyOutcomes.currency, "NOK"),
        between(dailyOutcomes.day, from, to),
        paymentTypeGroup ? eq(dailyOutcomes.paymentTypeGroup, paymentTypeGroup) : undefined,
      ),
    );
  }

  /** "3.4" for 12 of 350: one decimal, rounded half up, computed here in integers on its own. */
  const share = (part: number, whole: number) => {
    const tenths = Math.floor((part * 2000 + whole) / (2 * whole));
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  };

  it("shows the declined or failed share of authorization attempts the rollup holds, one more after a card is refused", async () => {
    const today = utcDay(new Date());
    const { from } = presetRange("30d", today);
    await page.goto(`${e2e.server.url}/?range=30d&currency=NOK`);
    const before = await attemptsNok(from, today);
    expect(before.declined, "the demo data has declines").toBeGreaterThan(0);
    const shareText = () => page.getByTestId("authorization-share").textContent();
    const expectShown = async (counts: typeof before) => {
      const attempts = counts.approved + counts.declined + counts.failed;
      await expect
        .poll(shareText, POLL)
        .toContain(`Declined or failed: ${share(counts.declined + counts.failed, attempts)} %`);
      expect(await shareText()).toContain(
        `${formatCount(counts.declined)} declined, ${formatCount(counts.failed)} failed of ${formatCount(attempts)} attempts`,
      );
    };
    await expectShown(before);

    // A customer types the refusing test card on the card page: one more declined attempt.
    const client = await createClient(e2e.server, { allowedRedirectPrefixes: ["https://shop.example/"] });
    const { paymentId, transactionId } = await paymentWithTransaction(client, "75.00", "VISA");
    const opened = await client.post(`/v1/payments/${paymentId}/transactions/${transactionId}/terminal`, {
      redirectUrl: "https://shop.example/return",
      terminalLanguage: "en_GB",
    });
    const shop = await context.newPage();
    await shop.goto(opened.body.terminalUri);
    await shop.getByLabel("Card number").fill("4000 0000 0000 0002");
    await shop.getByLabel("Expiry date").fill("12/30");
    await shop.getByLabel("Security code").fill("123");
    await shop.getByLabel("Name on card").fill("Kari Nordmann");
    await shop.getByRole("button", { name: "Pay" }).click();
    await expect.poll(() => shop.getByRole("alert").textContent(), POLL).toContain("refused");
    await shop.close();

    const after = await attemptsNok(from, today);
    expect(after).toEqual({ ...before, declined: before.declined + 1 });
    await page.reload();
    await expectShown(after);

    // Per payment type group: the table's PAYMENTCARD row is the rollup's.
    const cards = await attemptsNok(from, today, "PAYMENTCARD");
    const cells = await page
      .getByTestId("authorization-groups")
      .locator('tr[data-group="PAYMENTCARD"] td')
      .allTextContents();
    const attempts = cards.approved + cards.declined + cards.failed;
    expect(cells.map(digits)).toEqual(
      [
        "",
        share(cards.declined + cards.failed, attempts),
        formatCount(attempts),
        formatCount(cards.approved),
        formatCount(cards.declined),
        formatCount(cards.failed),
      ].map(digits),
    );
    expect(errors).toEqual([]);
  });

  it("opens the payments behind a bar: a click on today's card volume lists the payments captured by card today", async () => {
    await page.goto(`${e2e.server.url}/?range=7d&currency=NOK`);
    const today = utcDay(new Date());
    // The last day's bar of the PAYMENTCARD series (recharts draws one rectangle per day).
    const bar = page.locator(".volume-bar-PAYMENTCARD .recharts-bar-rectangle").last();
    await bar.click();
    await page.waitForURL((url) => url.pathname === "/payments", POLL);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      volume: "captured",
      volumeDay: today,
      volumeGroup: "PAYMENTCARD",
      volumeCurrency: "NOK",
    });
    await expect
      .poll(() => page.getByTestId("volume-filter").textContent(), POLL)
      .toContain(`Captured on ${today} (UTC) · PAYMENTCARD · NOK`);
    await expect
      .poll(() => page.getByRole("link", { name: String(capturedToday), exact: true }).isVisible(), POLL)
      .toBe(true);
    // Every payment listed had a card capture today: the database says which ones those are.
    const listed = (await page.locator('tbody tr td a[href^="/payments/"]').allTextContents()).map(Number);
    const behind = await e2e.server.database.db
      .selectDistinct({ paymentId: operationLog.paymentId })
      .from(operationLog)
      .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, operationLog.transactionId))
      .where(
        and(
          onUtcDays(today, today),
          inArray(operationLog.operation, ["CAPTURE", "IMPORT"]),
          eq(paymentTransactions.paymentTypeGroup, "PAYMENTCARD"),
          eq(paymentTransactions.currency, "NOK"),
        ),
      );
    expect(listed.length).toBe(Math.min(behind.length, 25));
    expect(behind.map((row) => row.paymentId)).toEqual(expect.arrayContaining(listed));

    // "Show every payment" drops the bar's filter and keeps nothing else.
    await page.getByRole("link", { name: "Show every payment" }).click();
    await page.waitForURL((next) => next.pathname === "/payments" && !next.searchParams.has("volume"), POLL);
    expect(errors).toEqual([]);
  });

  it("says so when the chosen range had nothing", async () => {
    await page.goto(`${e2e.server.url}/?from=2001-01-01&to=2001-01-31`);
    expect(await page.getByTestId("dashboard-empty").textContent()).toContain(
      "Nothing was captured, credited or authorized in this range.",
    );
  });

  it("shows settlement totals equal to the captures and credits of that settlement's payments, and drills down to them", async () => {
    await page.goto(`${e2e.server.url}/settlements?range=90d`);
    // The first row under a settlement id (rows of payments without one come first on their day).
    const firstRow = page
      .getByTestId("settlements-table")
      .locator("tbody tr")
      .filter({ hasNot: page.getByTestId("no-settlement-row") })
      .first();
    const cells = await firstRow.locator("td").allTextContents();
    const [day, settlementId, currency, captured, capturedCount, credited, creditedCount, _chargedBack, net] = cells;

    const [onDay] = await volumeFromLog(
      e2e.server.database.db,
      and(eq(payments.settlementId, settlementId), eq(paymentTransactions.currency, currency), onUtcDays(day, day)),
    );
    expect(digits(captured)).toBe(digits(formatMoney(toDbAmount(onDay.captured), currency, "en")));
    expect(digits(credited)).toBe(digits(formatMoney(toDbAmount(onDay.credited), currency, "en")));
    expect(digits(net)).toBe(
      digits(formatMoney(toDbAmount((onDay.captured - onDay.credited) as typeof ZERO), currency, "en")),
    );
    expect([Number(capturedCount), Number(creditedCount)]).toEqual([onDay.capturedCount, onDay.creditedCount]);

    // Filter by the settlement id in the form: the URL keeps it, the totals cover all its days.
    await page.getByLabel("Settlement id").fill(settlementId);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(
      (url) => url.searchParams.get("settlementId") === settlementId && url.searchParams.get("range") === "90d",
    );
    const today = utcDay(new Date());
    const { from } = presetRange("90d", today);
    const [all] = await volumeFromLog(
      e2e.server.database.db,
      and(eq(payments.settlementId, settlementId), eq(paymentTransactions.currency, currency), onUtcDays(from, today)),
    );
    const totals = page
      .getByTestId("settlements-totals")
      .locator(`tr[data-currency="${currency}"][data-part="total"] td`);
    await expect
      .poll(() => totals.nth(1).textContent(), POLL)
      .toSatisfy((text: string) => digits(text) === digits(formatMoney(toDbAmount(all.captured), currency, "en")));
    expect(digits(await totals.nth(3).textContent())).toBe(
      digits(formatMoney(toDbAmount(all.credited), currency, "en")),
    );

    // Drill down: the operations behind that settlement day.
    await page.getByTestId("settlements-table").getByRole("link", { name: settlementId }).first().click();
    await page.waitForURL((url) => url.pathname === `/settlements/${encodeURIComponent(settlementId)}`);
    const drillDay = new URL(page.url()).searchParams.get("day")!;
    // Every currency's: a settlement id may carry payments in several (the list shows a row per
    // currency, the drill-down all of the day's operations).
    const behind = await volumeFromLog(
      e2e.server.database.db,
      and(eq(payments.settlementId, settlementId), onUtcDays(drillDay, drillDay)),
    );
    const operations = behind.reduce((sum, row) => sum + row.capturedCount + row.creditedCount, 0);
    expect(await page.getByTestId("operations-count").textContent()).toContain(`of ${operations} operation`);
    expect(await page.getByTestId("operations-table").locator("tbody tr").count()).toBe(Math.min(operations, 50));

    const download = await downloadFrom(page.getByRole("link", { name: /Export CSV/ }));
    expect(download.rows).toBe(operations);
    expect(download.header).toContain("operation");
    expect(errors).toEqual([]);
  });

  it("exports as many CSV rows as the settlements table says it has", async () => {
    await page.goto(`${e2e.server.url}/settlements?range=90d&perPage=25`);
    const count = await page.getByTestId("settlements-count").textContent();
    const total = Number(/of ([0-9\s\u00a0]+) rows/.exec(count ?? "")![1].replace(/\D/g, ""));
    expect(total).toBeGreaterThan(25);
    const download = await downloadFrom(page.getByRole("link", { name: /Export CSV/ }));
    expect(download.rows).toBe(total);
    expect(download.header).toBe(
      "settlementId,day,currency,capturedAmount,capturedCount,creditedAmount,creditedCount,chargedBackAmount,chargedBackCount,netAmount",
    );

    const empty = await context.newPage();
    await empty.goto(`${e2e.server.url}/settlements?from=2001-01-01&to=2001-01-07`);
    expect(await empty.getByTestId("settlements-empty").textContent()).toContain("No settlements match.");
    expect(await empty.getByRole("link", { name: /Export CSV/ }).count()).toBe(0);
    await empty.close();
    expect(errors).toEqual([]);
  });

  async function downloadFrom(link: ReturnType<Page["getByRole"]>) {
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const text = (await fs.readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
    const lines = text.split("\r\n").filter((line) => line !== "");
    return { header: lines[0], rows: lines.length - 1 };
  }
});
