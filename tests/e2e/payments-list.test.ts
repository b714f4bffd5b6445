// Support and finance find payments in Chromium: by the filter builder (status and amount), by
// the search's q (orderId, rrn, last 4, paymentId), reopen the URL to the same view, export
// the filtered set as CSV (as many rows as the screen's total) and read one request's operations
// in the operation log by its correlation id; walk the list's pages by next/previous (keyset
// cursors) and by page number.
import fs from "node:fs/promises";
import { and, desc, eq, gte, isNotNull, sql } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatAmount, money } from "../../app/domain/money";
import { DEMO_USERS } from "../../db/demo";
import { auditLog, paymentTransactions, payments } from "../../db/schema";
import { createClient } from "../support/api";
import { chromiumAvailable, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";

describe.skipIf(!chromiumAvailable)("payments list and operation log in Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  const e2e = useBrowserTest({ demoPayments: 150 });

  async function signIn(role: "support" | "finance") {
    const user = DEMO_USERS.find((u) => u.role === role)!;
    ({ context, page } = await signedInPage(e2e.browser, e2e.server.url, user, "/", { acceptDownloads: true, errors }));
  }

  const rowIds = () => page.locator('table tbody tr td a[href^="/payments/"]').allTextContents();
  const totalText = () => page.getByTestId("payments-total").textContent({ timeout: 15_000 });
  const totalOf = async () =>
    Number((/of ([\d\s\u00a0\u202f]+) payments?/.exec((await totalText()) ?? "")?.[1] ?? "").replace(/\D/g, ""));

  /** Picks an option of one of the filter row's selects (Mantine Select: click, then the option). */
  async function choose(row: number, label: "Field" | "Operator" | "Value", option: string | RegExp) {
    await page.getByTestId("filter-row").nth(row).getByLabel(label, { exact: true }).click();
    await page.getByRole("option", { name: option }).click();
  }

  it("finds payments by filter, reopens the URL to the same view and exports as many rows as the total", async () => {
    await signIn("finance");
    const db = e2e.server.database.db;
    const [sample] = await db
      .select({ totalAmount: payments.totalAmount })
      .from(payments)
      .innerJoin(paymentTransactions, eq(paymentTransactions.paymentId, payments.paymentId))
      .where(eq(paymentTransactions.status, "CAPTURED"))
      .orderBy(payments.totalAmount)
      .offset(20)
      .limit(1);
    const minimum = formatAmount(money(sample.totalAmount));

    await page.getByRole("navigation").getByRole("link", { name: "Payments" }).click();
    await page.waitForURL(`${e2e.server.url}/payments`);
    await page.getByRole("button", { name: "Add filter" }).click();
    await choose(0, "Field", "Transaction status");
    await choose(0, "Value", "CAPTURED");
    await page.getByRole("button", { name: "Add filter" }).click();
    await choose(1, "Field", "Total amount");
    await choose(1, "Operator", /gte/);
    await page.getByTestId("filter-row").nth(1).getByLabel("Value", { exact: true }).fill(minimum);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get("status") === "CAPTURED" && url.searchParams.get("totalAmount") === `gte:${minimum}`,
    );

    const [{ expected }] = await db
      .select({ expected: sql<number>`count(*)::int` })
      .from(payments)
      .where(
        and(
          gte(payments.totalAmount, minimum),
          sql`exists (select 1 from ${paymentTransactions} t where t.payment_id = ${payments.paymentId} and t.status = 'CAPTURED')`,
        ),
      );
    await expect.poll(totalOf, { timeout: 15_000 }).toBe(expected);
    // Sorted by amount, smallest first: two clicks on the Amount header.
    await page.getByRole("link", { name: /Sort by amount, descending/ }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "totalAmount");
    await page.getByRole("link", { name: /Sort by amount, ascending/ }).click();
    await page.waitForURL((url) => url.searchParams.get("dir") === "asc");
    // The URL changes a moment before the table is re-rendered: wait for the header to say so.
    await expect.poll(() => page.locator('th[aria-sort="ascending"]').textContent()).toContain("Amount");
    await expect.poll(totalOf, { timeout: 15_000 }).toBe(expected);
    const shown = await rowIds();
    expect(shown.length).toBe(Math.min(25, expected));
    const amountColumn = (await page.locator("table thead th").allTextContents()).findIndex((text) =>
      text.startsWith("Amount"),
    );
    const firstAmount = await page.locator("table tbody tr").first().locator("td").nth(amountColumn).textContent();
    expect(firstAmount?.replace(/[^0-9.]/g, "")).toContain(minimum);

    // The URL is the view: open it again in a new tab.
    const again = await context.newPage();
    again.on("pageerror", (error) => errors.push(error.message));
    await again.goto(page.url());
    expect(await again.locator('table tbody tr td a[href^="/payments/"]').allTextContents()).toEqual(shown);
    await expect.poll(() => again.getByTestId("payments-total").textContent()).toBe(await totalText());
    expect(await again.getByTestId("filter-row").nth(1).getByLabel("Value", { exact: true }).inputValue()).toBe(
      minimum,
    );
    await again.close();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const csv = await fs.readFile(await download.path(), "utf8");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split(/\r?\n/);
    expect(lines.length - 1).toBe(await totalOf());
    expect(lines.slice(1, 1 + shown.length).map((line) => line.split(",")[0])).toEqual(shown);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "payment.export_csv"))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(audit.actorEmail).toBe("finance@paydesk.test");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("walks next and previous by keyset cursors while page numbers still jump (decision 058)", async () => {
    await signIn("support");
    const db = e2e.server.database.db;
    const pageOf = async (n: number) =>
      (
        await db
          .select({ paymentId: payments.paymentId })
          .from(payments)
          .orderBy(desc(payments.createdAt), desc(payments.paymentId))
          .offset((n - 1) * 25)
          .limit(25)
      ).map((row) => String(row.paymentId));
    const rowsAre = async (n: number) => expect.poll(rowIds).toEqual(await pageOf(n));
    const control = (name: string) => page.getByRole("link", { name, exact: true });

    await page.goto(`${e2e.server.url}/payments`);
    await rowsAre(1);
    await control("Next page").click();
    await page.waitForURL((url) => url.searchParams.get("page") === "2" && url.searchParams.has("older"));
    await rowsAre(2);
    await control("Next page").click();
    await page.waitForURL((url) => url.searchParams.get("page") === "3" && url.searchParams.has("older"));
    await rowsAre(3);
    expect(await totalText()).toMatch(/^Showing 51–75 of/);
    await control("Previous page").click();
    await page.waitForURL((url) => url.searchParams.get("page") === "2" && url.searchParams.has("newer"));
    await rowsAre(2);
    // A page number (the last page's, say) goes by number, without a cursor.
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(payments);
    const last = Math.ceil(n / 25);
    expect(last).toBeGreaterThan(3);
    await control(String(last)).click();
    await page.waitForURL((url) => url.searchParams.get("page") === String(last) && !url.searchParams.has("older"));
    await rowsAre(last);
    await control("Previous page").click();
    await page.waitForURL((url) => url.searchParams.get("page") === String(last - 1) && url.searchParams.has("newer"));
    await rowsAre(last - 1);
    await control("1").click();
    await page.waitForURL((url) => !url.searchParams.has("page") && !url.searchParams.has("newer"));
    await rowsAre(1);
    // A shared link whose cursor is not one of ours, or points past the list, shows its page number.
    await page.goto(`${e2e.server.url}/payments?page=2&older=garbled`);
    await rowsAre(2);
    await page.goto(`${e2e.server.url}/payments?page=3&older=${encodeURIComponent("1970-01-01T00:00:00.000Z_1")}`);
    await rowsAre(3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lists one payment by orderId (any case), rrn, card last 4 and paymentId from the search's q", async () => {
    await signIn("support");
    const [sample] = await e2e.server.database.db
      .select({
        paymentId: payments.paymentId,
        orderId: payments.orderId,
        rrn: paymentTransactions.rrn,
        last4: paymentTransactions.cardNumber,
      })
      .from(payments)
      .innerJoin(paymentTransactions, eq(paymentTransactions.paymentId, payments.paymentId))
      .where(
        and(isNotNull(paymentTransactions.rrn), isNotNull(paymentTransactions.cardNumber), isNotNull(payments.orderId)),
      )
      .limit(1);
    // The header's search opens the list with all its payment matches (`q`); the list says which
    // kinds matched. The orderId is matched in any case and by any part.
    for (const [text, matched] of [
      [sample.orderId!.toLowerCase(), "orderId: 1 payment"],
      [sample.rrn!, "rrn: 1 payment"],
      [sample.last4!, /card last 4: \d+ payments?/],
      [String(sample.paymentId), "paymentId: 1 payment"],
    ] as const) {
      await page.goto(`${e2e.server.url}/payments?q=${encodeURIComponent(text)}`);
      await expect.poll(() => page.getByTestId("quick-search-match").first().textContent()).toMatch(matched);
      expect(await rowIds(), text).toContain(String(sample.paymentId));
    }
    // Reopened, the last search is still there, with the same rows; "Clear the search" drops it.
    const shown = await rowIds();
    await page.reload();
    expect(await rowIds()).toEqual(shown);
    await page.getByRole("link", { name: "Clear the search" }).click();
    await page.waitForURL((url) => !url.searchParams.has("q"));

    // Support may not export: the button is disabled and the server says 403.
    await expect
      .poll(() => page.getByRole("button", { name: "Export CSV" }).getAttribute("data-disabled"))
      .not.toBeNull();
    expect((await page.request.get(`${e2e.server.url}/payments/export.csv`)).status()).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows one request's operations in the operation log, filtered by its correlation id", async () => {
    const client = await createClient(e2e.server, { organisationId: 1901 });
    const correlationId = "e2e-deactivate-2026-0001";
    const created = await client.post("/v1/payments", { totalAmount: "80.00", orderId: "E2E-OPLOG" });
    for (const paymentType of ["VISA", "VIPPS"]) {
      expect(
        (await client.post(`/v1/payments/${created.body.paymentId}/transactions`, { amount: "40.00", paymentType }))
          .status,
      ).toBe(201);
    }
    expect(
      (
        await client.put(`/v1/payments/${created.body.paymentId}/deactivate`, undefined, {
          "X-Correlation-Id": correlationId,
        })
      ).status,
    ).toBe(200);

    await signIn("support");
    await page.getByRole("navigation").getByRole("link", { name: "Operation log" }).click();
    await page.waitForURL(`${e2e.server.url}/operation-log`);
    await page.getByRole("button", { name: "Add filter" }).click();
    await choose(0, "Field", "Correlation id");
    await page.getByTestId("filter-row").nth(0).getByLabel("Value", { exact: true }).fill(correlationId);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("correlationId") === correlationId);

    await expect.poll(() => page.getByTestId("operation-count").textContent()).toBe("2 operations match");
    const rows = page.locator("table tbody tr");
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      expect(await rows.nth(i).textContent()).toContain("CANCEL");
      expect(await rows.nth(i).textContent()).toContain(correlationId);
    }
    await rows
      .first()
      .getByRole("link", { name: String(created.body.paymentId) })
      .click();
    await page.waitForURL(`${e2e.server.url}/payments/${created.body.paymentId}`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
