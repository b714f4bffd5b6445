// Bulk actions in Chromium (issue 14): an admin disables VIPPS for every client and channel in one
// step, seeing the preview (what changes, what is disabled already) before anything is written;
// finance credits three payments at 50 % from the payments list, sees the totals per currency in
// the preview, and lands on the run's report (one credit above the four-eyes threshold waits for
// a second person). Every change is in the audit log; repeating the confirm creates nothing more.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENTS, DEMO_USERS } from "../../db/demo";
import { apiClients, auditLog, bulkCreditItems, credits, paymentMethods } from "../../db/schema";
import { capturedCardPayment, createClient, type TestClient } from "../support/api";
import { chromiumAvailable, signedInPage, type BrowserStaff } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";

const demo = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const NORDBUSS = DEMO_CLIENTS.find((client) => client.clientId === "nordbuss-web")!;

describe.skipIf(!chromiumAvailable)("bulk actions in Chromium", () => {
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let client: TestClient;

  const e2e = useBrowserTest({ demoPayments: 20 });

  beforeAll(async () => {
    client = await createClient(e2e.server);
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  async function signedIn(user: BrowserStaff, path: string): Promise<Page> {
    const { context, page } = await signedInPage(e2e.browser, e2e.server.url, user, path, { errors: pageErrors });
    contexts.push(context);
    return page;
  }

  /** The VIPPS methods on the channels their clients sell through (what the screen lists). */
  const vippsMethods = () =>
    e2e.server.database.db
      .select({ id: paymentMethods.id, enabled: paymentMethods.enabled, reason: paymentMethods.disabledReason })
      .from(paymentMethods)
      .innerJoin(apiClients, eq(apiClients.clientId, paymentMethods.clientId))
      .where(
        and(
          eq(paymentMethods.paymentType, "VIPPS"),
          sql`${paymentMethods.distributionChannelId} = any(${apiClients.distributionChannels})`,
        ),
      );

  it("disables VIPPS for every client and channel in one step, after a preview of what changes", async () => {
    // One is disabled already: the preview lists it as no change, and the run writes nothing for it.
    const [already] = await vippsMethods();
    await e2e.server.database.db
      .update(paymentMethods)
      .set({ enabled: false, disabledReason: "Earlier" })
      .where(eq(paymentMethods.id, already.id));
    const inScope = await vippsMethods();
    expect(inScope.length).toBeGreaterThan(7);

    const page = await signedIn(demo("admin"), "/payment-methods");
    await page.getByTestId("bulk-methods").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Payment type" }).fill("VIPPS");
    await page.getByRole("option", { name: "VIPPS", exact: true }).click();
    expect(await dialog.getByLabel("All clients").isChecked()).toBe(true);
    expect(await dialog.getByLabel("All channels").isChecked()).toBe(true);
    await dialog.getByLabel("Reason").fill("Vipps outage INC-2026-12");
    await dialog.getByTestId("bulk-methods-preview-button").click();

    const preview = dialog.getByTestId("bulk-methods-preview");
    await preview.waitFor();
    expect(await preview.getByTestId("preview-change").count()).toBe(inScope.length - 1);
    expect(await preview.getByTestId("preview-unchanged").count()).toBe(1);
    // Nothing is written by the preview.
    expect((await vippsMethods()).filter((m) => !m.enabled)).toHaveLength(1);

    await preview.getByRole("button", { name: `Disable VIPPS on ${inScope.length - 1} methods` }).click();
    await expect.poll(() => page.getByText(`VIPPS is disabled on ${inScope.length - 1} methods`).count()).toBe(1);

    const after = await vippsMethods();
    expect(after.every((m) => !m.enabled)).toBe(true);
    expect(after.find((m) => m.id === already.id)!.reason).toBe("Earlier");
    const audit = await e2e.server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "payment_method.disable"), eq(auditLog.reason, "Vipps outage INC-2026-12")));
    expect(audit).toHaveLength(inScope.length - 1);
    const methods = await fetch(`${e2e.server.url}/v1/payment-methods`, {
      headers: { Authorization: `Bearer ${NORDBUSS.token}`, "ET-Client-Name": "e2e" },
    });
    expect(((await methods.json()) as { paymentType: string }[]).map((m) => m.paymentType)).not.toContain("VIPPS");
  });

  it("credits three payments at 50 % with a preview of the totals, and reports what became of each", async () => {
    const small = await capturedCardPayment(client, "100.00");
    const medium = await capturedCardPayment(client, "250.50");
    const large = await capturedCardPayment(client, "30000.00");
    const paymentIds = [small.paymentId, medium.paymentId, large.paymentId];

    const page = await signedIn(demo("finance"), `/payments?organisationId=${client.organisationId}`);
    await page.getByTestId("select-page").check();
    const bar = page.getByTestId("bulk-credit-bar");
    await expect.poll(() => bar.textContent()).toContain("3 payments selected");
    await bar.getByTestId("bulk-credit-open").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("A percentage of what is creditable").check();
    await dialog.getByRole("textbox", { name: "Percentage" }).fill("50");
    await dialog.getByLabel("Reason").fill("Cancelled departure 12:05");
    await dialog.getByTestId("bulk-credit-preview-button").click();

    const preview = dialog.getByTestId("bulk-credit-preview");
    await preview.waitFor();
    // 50 + 125.25 + 15 000 = 15 175.25 NOK, in three credits; the large one waits for four eyes.
    const total = preview.getByTestId("bulk-credit-total");
    expect(await total.count()).toBe(1);
    expect((await total.textContent())?.replace(/\s/g, "")).toMatch(/NOK3.*15,175.25/);
    expect(await preview.getByText("waits for a second person").count()).toBe(1);
    const countCredits = async () =>
      (
        await e2e.server.database.db
          .select({ n: sql<number>`count(distinct ${bulkCreditItems.creditId})::int` })
          .from(bulkCreditItems)
          .where(inArray(bulkCreditItems.paymentId, paymentIds))
      )[0].n;
    expect(await countCredits()).toBe(0);

    // A double click is one run.
    await preview.getByTestId("bulk-credit-confirm").dblclick();
    await page.waitForURL(/\/credits\/bulk\/[0-9a-f-]{36}$/);
    const report = page.url();
    await page.getByRole("heading", { name: "Bulk credit" }).waitFor();
    expect(await page.getByTestId(`report-${small.paymentId}`).getAttribute("data-outcome")).toBe("executed");
    expect(await page.getByTestId(`report-${medium.paymentId}`).getAttribute("data-outcome")).toBe("executed");
    const waiting = page.getByTestId(`report-${large.paymentId}`);
    expect(await waiting.getAttribute("data-outcome")).toBe("awaiting_second_person");
    expect(await waiting.textContent()).toContain("Awaiting a second person");
    expect(await page.getByTestId("outcome-executed").textContent()).toContain("2");

    // Links lead to the credit.
    await waiting.getByRole("link", { name: /Credit \d+/ }).click();
    await page.waitForURL(/\/credits\/\d+$/);
    await page.goto(report);
    expect(await countCredits()).toBe(3);
    const rows = await e2e.server.database.db
      .select({ status: credits.status, total: credits.totalCreditAmount, reason: credits.reason })
      .from(credits)
      .innerJoin(bulkCreditItems, eq(bulkCreditItems.creditId, credits.creditId))
      .where(inArray(bulkCreditItems.paymentId, paymentIds));
    expect(rows.map((r) => [r.status, r.total]).sort()).toEqual([
      ["CREATED", "15000.00000"],
      ["CREDITED", "125.25000"],
      ["CREDITED", "50.00000"],
    ]);
    expect(rows.every((r) => r.reason === "Cancelled departure 12:05")).toBe(true);
    const audit = await e2e.server.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.reason, "Cancelled departure 12:05"));
    expect(audit.filter((a) => a.action === "credit.bulk")).toHaveLength(1);
    expect(audit.filter((a) => a.action === "credit.create")).toHaveLength(3);
  });
});
