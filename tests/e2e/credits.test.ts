// Credits in Chromium: filter the list (and reopen the URL to the same view), create a credit by
// choosing transactions and amounts (over-credit refused in the form, and by the server for a
// forged POST), execute it behind the confirmation as finance, and the four-eyes rule: finance
// user A cannot execute their own large credit (disabled in the UI, 403 from the server), finance
// user B can. Every change is in the audit log.
import { and, eq, inArray } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { auditLog, credits, creditTransactions, paymentTransactions, staffUsers } from "../../db/schema";
import { capturedCardPayment, createClient, type TestClient } from "../support/api";
import { chromiumAvailable, signedInPage, type BrowserStaff } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { createStaff, type TestStaff } from "../support/staff";

const demo = (role: string) => DEMO_USERS.find((u) => u.role === role)!;

describe.skipIf(!chromiumAvailable)("credits in Chromium", () => {
  let client: TestClient;
  let secondFinance: TestStaff;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const e2e = useBrowserTest({ demoPayments: 40 });

  beforeAll(async () => {
    // privileged, so that its payments carry the customer number we search by
    client = await createClient(e2e.server, { organisationId: 20, privileged: true });
    secondFinance = await createStaff(e2e.server, "finance");
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  /** A signed-in page for a user, failing the test on any page error. */
  async function signedIn(user: BrowserStaff): Promise<Page> {
    const { context, page } = await signedInPage(e2e.browser, e2e.server.url, user, "/credits", {
      errors: pageErrors,
    });
    contexts.push(context);
    return page;
  }

  async function userId(email: string) {
    const [user] = await e2e.server.database.db.select().from(staffUsers).where(eq(staffUsers.email, email));
    return user.id;
  }

  async function creditRow(creditId: number) {
    const [row] = await e2e.server.database.db.select().from(credits).where(eq(credits.creditId, creditId));
    return row;
  }

  const creditIdOf = (page: Page) => Number(new URL(page.url()).pathname.split("/").pop());

  /** Opens the create form on a payment and ticks its transaction (prefilled with all that is creditable). */
  async function startCredit(page: Page, payment: { paymentId: number; transactionId: number }) {
    await page.goto(`${e2e.server.url}/credits`);
    await page.getByRole("link", { name: "New credit" }).click();
    await page.waitForURL(`${e2e.server.url}/credits/new`);
    await page.getByLabel("Payment id").fill(String(payment.paymentId));
    await page.getByRole("button", { name: "Find payments" }).click();
    await page.waitForURL(/paymentId=/);
    await page.getByLabel(`Credit transaction ${payment.transactionId}`).check();
  }

  it("filters credits in the API's grammar, and the URL reopens the same view", async () => {
    const t = await capturedCardPayment(client, "500.00");
    const small = await client.post("/v1/credits", {
      orderId: "E2E-FILTER",
      totalCreditAmount: "12.00",
      creditTransactions: [{ ...t, amount: "12.00" }],
    });
    const large = await client.post("/v1/credits", {
      orderId: "E2E-FILTER",
      totalCreditAmount: "99.00",
      creditTransactions: [{ ...t, amount: "99.00" }],
    });
    const page = await signedIn(demo("support"));

    await page.getByRole("button", { name: "Add filter" }).click();
    const row = page.getByTestId("filter-row").first();
    await row.getByLabel("Field").click();
    await page.getByRole("option", { name: "Order id" }).click();
    await row.getByLabel("Value").fill("E2E-FILTER");
    await page.getByRole("button", { name: "Add filter" }).click();
    const second = page.getByTestId("filter-row").nth(1);
    await second.getByLabel("Field").click();
    await page.getByRole("option", { name: "Total credit amount" }).click();
    await second.getByLabel("Operator").click();
    await page.getByRole("option", { name: /gte/ }).click();
    await second.getByLabel("Value").fill("50");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/totalCreditAmount=gte%3A50/);

    const rows = page.getByTestId("credit-row");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getByRole("link").textContent()).toBe(String(large.body.creditId));
    await page.reload();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getByRole("link").textContent()).toBe(String(large.body.creditId));
    expect(await page.getByRole("link", { name: String(small.body.creditId), exact: true }).count()).toBe(0);

    // a bad value shows its error next to the filter row instead of failing
    await second.getByLabel("Value").fill("fifty");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.getByText(/Enter an amount like 2 596,50/).count()).toBe(1);
  });

  let supportCreditId: number;

  it("creates a credit from chosen transactions and amounts; over-credit is refused in the form and on the server", async () => {
    const a = await capturedCardPayment(client, "300.00", { customerNumber: "4242001" });
    const b = await capturedCardPayment(client, "80.00", { customerNumber: "4242001" });
    const page = await signedIn(demo("support"));
    await page.getByRole("link", { name: "New credit" }).click();
    await page.waitForURL(`${e2e.server.url}/credits/new`);
    await page.getByLabel("Customer number").fill("4242001");
    await page.getByRole("button", { name: "Find payments" }).click();
    await page.waitForURL(/customerNumber=4242001/);
    await expect.poll(() => page.getByTestId("creditable-payment").count()).toBe(2);

    await page.getByLabel(`Credit transaction ${a.transactionId}`).check();
    const amount = page.getByLabel(`Amount to credit from transaction ${a.transactionId}`);
    expect(await amount.inputValue()).toBe("300.00");
    await amount.fill("300.01");
    await expect.poll(() => page.getByText("At most 300.00 can be credited from this transaction").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Create credit" }).isDisabled()).toBe(true);

    await amount.fill("120.50");
    await page.getByLabel(`Credit transaction ${b.transactionId}`).check();
    await page.getByLabel(`Amount to credit from transaction ${b.transactionId}`).fill("30");
    await expect.poll(() => page.getByTestId("credit-total").textContent()).toMatch(/NOK\s150\.50/);
    await page.getByLabel("Reason").fill("Train cancelled, refund half");
    await page.getByRole("button", { name: "Create credit" }).click();
    await page.waitForURL(/\/credits\/\d+$/);
    supportCreditId = creditIdOf(page);
    await expect.poll(() => page.getByText(/is created; it reserves the amounts/).count()).toBe(1);
    await expect.poll(() => page.getByTestId("credit-line").count()).toBe(2);
    // support may not execute: the button is there, disabled
    expect(await page.getByRole("button", { name: "Execute credit" }).isDisabled()).toBe(true);
    expect(await creditRow(supportCreditId)).toMatchObject({
      totalCreditAmount: "150.50000",
      createdByStaffUserId: await userId(demo("support").email),
      reason: "Train cancelled, refund half",
    });

    // A forged POST past the form: more than the 179.50 still creditable.
    const before = await e2e.server.database.db.select({ creditId: credits.creditId }).from(credits);
    const forged = await page.request.post(`${e2e.server.url}/credits/new`, {
      headers: { Origin: e2e.server.url },
      form: {
        intent: "create",
        reason: "forged",
        line: `${a.paymentId}:${a.transactionId}`,
        [`amount-${a.transactionId}`]: "179.51",
      },
    });
    expect(forged.status()).toBe(422);
    expect(await e2e.server.database.db.select({ creditId: credits.creditId }).from(credits)).toHaveLength(
      before.length,
    );
    const [transaction] = await e2e.server.database.db
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, a.transactionId));
    expect(transaction.reservedAmount).toBe("120.50000");
  });

  it("lets finance execute it after the confirmation", async () => {
    const page = await signedIn(demo("finance"));
    await page.goto(`${e2e.server.url}/credits/${supportCreditId}`);
    await page.getByRole("button", { name: "Execute credit" }).click();
    const dialog = page.getByRole("dialog");
    await expect
      .poll(() =>
        dialog.getByText(/This sends NOK\s150\.50 back to the customer through 2 credit transactions/).count(),
      )
      .toBe(1);
    await dialog.getByLabel("Reason").fill("Approved, ticket 881");
    await dialog.getByRole("button", { name: /^Credit NOK\s150\.50/ }).click();
    await expect.poll(() => page.getByText(/is executed: all 2 credit transactions are credited/).count()).toBe(1);
    await expect.poll(() => page.getByTestId("credit-line").getByText("CREDITED").count()).toBe(2);
    expect((await creditRow(supportCreditId)).status).toBe("CREDITED");
  });

  it("four-eyes: finance A cannot execute their own credit above 10 000 NOK (UI and server), finance B can", async () => {
    const big = await capturedCardPayment(client, "20000.00");
    const pageA = await signedIn(demo("finance"));
    await startCredit(pageA, big);
    await pageA.getByLabel(`Amount to credit from transaction ${big.transactionId}`).fill("15000.00");
    await pageA.getByLabel("Reason").fill("Charter cancelled");
    await pageA.getByRole("button", { name: "Create credit" }).click();
    await pageA.waitForURL(/\/credits\/\d+$/);
    const creditId = creditIdOf(pageA);
    await expect.poll(() => pageA.getByTestId("four-eyes-refusal").count()).toBe(1);
    expect(await pageA.getByTestId("four-eyes-refusal").textContent()).toContain("another staff user must execute it");
    expect(await pageA.getByRole("button", { name: "Execute credit" }).isDisabled()).toBe(true);

    const forged = await pageA.request.post(`${e2e.server.url}/credits/${creditId}`, {
      headers: { Origin: e2e.server.url },
      form: { intent: "execute", reason: "just me" },
    });
    expect(forged.status()).toBe(403);
    const lines = await e2e.server.database.db
      .select()
      .from(creditTransactions)
      .where(eq(creditTransactions.creditId, creditId));
    expect(lines.map((l) => [l.status, l.providerReference])).toEqual([["CREATED", null]]);

    const pageB = await signedIn(secondFinance);
    await pageB.goto(`${e2e.server.url}/credits/${creditId}`);
    await expect.poll(() => pageB.getByTestId("four-eyes-note").count()).toBe(1);
    await pageB.getByRole("button", { name: "Execute credit" }).click();
    await pageB.getByRole("dialog").getByLabel("Reason").fill("Second pair of eyes");
    await pageB
      .getByRole("dialog")
      .getByRole("button", { name: /^Credit / })
      .click();
    await expect.poll(() => pageB.getByText(/is executed/).count()).toBe(1);
    expect((await creditRow(creditId)).status).toBe("CREDITED");

    const entries = await e2e.server.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.entityType, "credit"), inArray(auditLog.entityId, [String(creditId), String(supportCreditId)])),
      );
    const summary = entries.map((e) => `${e.entityId} ${e.action} ${e.actorEmail}`).sort();
    expect(summary).toEqual(
      [
        `${creditId} credit.create ${demo("finance").email}`,
        `${creditId} credit.execute ${secondFinance.email}`,
        `${supportCreditId} credit.create ${demo("support").email}`,
        `${supportCreditId} credit.execute ${demo("finance").email}`,
        `${supportCreditId} credit.execute ${demo("finance").email}`,
      ].sort(),
    );
    const execute = entries.find((e) => e.action === "credit.execute" && e.entityId === String(creditId))!;
    expect(execute.reason).toBe("Second pair of eyes");
    expect(execute.before).toMatchObject({ status: "CREATED" });
    expect(execute.after).toMatchObject({ status: "CREDITED", creditTransaction: { status: "CREDITED" } });
  });
});
