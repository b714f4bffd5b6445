// The payment detail screen in Chromium, clicked through as support and finance would: read a
// transaction's operation log, cancel one transaction, capture another, credit part of a third
// (an over-credit is refused next to the field first), deactivate the payment and reactivate it
// with its total, and adjust a COLLECTOR_B2B invoice before the customer confirmed it. After
// each action the screen shows the new state and audit_log holds the entry with actor, reason,
// before and after.
import { and, asc, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/roles";
import { formatDateTime } from "../../app/components/format";
import { auditLog, operationLog } from "../../db/schema";
import { createClient, paymentWithTransaction, type TestClient } from "../support/api";
import { chromiumAvailable, signedInPage } from "../support/browser";
import { createStaff } from "../support/staff";
import { useBrowserTest } from "../support/browser-test";

const SUPPORT_ZONE = "America/New_York";

describe.skipIf(!chromiumAvailable)("payment detail in Chromium", () => {
  let client: TestClient;
  const staff = {} as Record<Role, { id: string; email: string; password: string; totpSecret?: string }>;

  const e2e = useBrowserTest();

  beforeAll(async () => {
    client = await createClient(e2e.server, { organisationId: 871 });
    for (const [role, timeZone] of [
      ["support", SUPPORT_ZONE],
      ["finance", "Europe/Oslo"],
    ] as const)
      staff[role] = await createStaff(e2e.server, role, { name: `Detail ${role}`, timeZone });
  });

  const base = (paymentId: number, transactionId: number) => `/v1/payments/${paymentId}/transactions/${transactionId}`;
  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).textContent()) ?? "").replace(/\s+/g, " ");

  /** Runs `steps` on `path` as the staff user of `role`, checks they met no page error, and closes the page. */
  async function asStaff(role: Role, path: string, steps: (page: Page) => Promise<void>) {
    const { context, page, errors } = await signedInPage(e2e.browser, e2e.server.url, staff[role], path);
    try {
      await steps(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }

  /** Opens an action's modal, fills its fields and reason, confirms, and waits for the modal to close. */
  async function perform(
    page: Page,
    buttonTestId: string,
    confirm: string,
    reason: string,
    fill: Record<string, string> = {},
  ) {
    await page.getByTestId(buttonTestId).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    for (const [testId, value] of Object.entries(fill)) await dialog.getByTestId(testId).fill(value);
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: confirm, exact: true }).click();
    await dialog.waitFor({ state: "detached" });
  }

  async function auditOf(action: string, entityId: number | string) {
    const rows = await e2e.server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))));
    expect(rows, `${action} ${entityId}`).toHaveLength(1);
    return rows[0];
  }

  async function statusOf(page: Page, transactionId: number) {
    return (await page.getByTestId(`transaction-${transactionId}`).textContent()) ?? "";
  }

  it("support reads the log, cancels, captures and credits; finance deactivates; the total brings it back", async () => {
    // One payment with a transaction for each action: an authorized card to capture, another to
    // cancel, a captured cash sale to credit in part.
    const created = await client.post("/v1/payments", { totalAmount: "300.00", orderId: "E2E-DETAIL-1" });
    const paymentId: number = created.body.paymentId;
    const add = async (paymentType: string) =>
      (await client.post(`/v1/payments/${paymentId}/transactions`, { paymentType, amount: "100.00" })).body
        .transactionId as number;
    const toCapture = await add("VISA");
    const toCancel = await add("VISA");
    const toCredit = await add("CASH");
    for (const id of [toCapture, toCancel])
      expect((await client.post(`${base(paymentId, id)}/authorize`, { totalAmount: "100.00" })).status).toBe(200);
    expect((await client.put(`${base(paymentId, toCredit)}/capture`)).status).toBe(200);

    await asStaff("support", `/payments/${paymentId}`, async (page) => {
      // The operation log of the transaction to capture: who, when (support's zone, UTC on hover), client, correlation id.
      const log = page.getByTestId(`log-${toCapture}`);
      await expect.poll(() => log.textContent()).toContain("AUTHORIZE");
      const entries = await e2e.server.database.db
        .select()
        .from(operationLog)
        .where(eq(operationLog.transactionId, toCapture))
        .orderBy(asc(operationLog.id));
      expect(entries.map((e) => e.operation)).toEqual(["CREATE", "AUTHORIZE"]);
      const logText = (await log.textContent()) ?? "";
      expect(logText).toContain(client.clientId);
      expect(logText).toContain("paydesk-tests");
      const authorize = entries[1];
      const when = log.locator(`time[datetime="${authorize.createdAt.toISOString()}"]`);
      expect(await when.textContent()).toBe(formatDateTime(authorize.createdAt, SUPPORT_ZONE));
      await when.hover();
      await expect
        .poll(() => page.getByRole("tooltip").textContent())
        .toContain(`${authorize.createdAt.toISOString()} (UTC)`);
      const link = log.getByRole("link", { name: authorize.correlationId });
      expect(await link.getAttribute("href")).toBe(`/operation-log?correlationId=${authorize.correlationId}`);
      // Support may not deactivate: no button.
      expect(await page.getByTestId("deactivate").count()).toBe(0);

      // Cancel.
      await perform(page, `cancel-${toCancel}`, "Cancel transaction", "Customer chose another card");
      await expect.poll(() => statusOf(page, toCancel)).toContain("CANCELLED");
      await expect
        .poll(() => page.getByText(`Transaction ${toCancel} cancelled (NOK\u00a0100.00 released).`).count())
        .toBeGreaterThan(0);
      const cancelled = await auditOf("transaction.cancel", toCancel);
      expect(cancelled).toMatchObject({
        actorUserId: staff.support.id,
        actorEmail: staff.support.email,
        reason: "Customer chose another card",
      });
      expect(cancelled.before).toMatchObject({ status: "AUTHORIZED" });
      expect(cancelled.after).toMatchObject({ status: "CANCELLED", cancelledAmount: "100.00" });

      // Capture.
      await perform(page, `capture-${toCapture}`, "Capture", "Stuck after the terminal");
      await expect.poll(() => statusOf(page, toCapture)).toContain("CAPTURED");
      await expect.poll(() => log.textContent()).toContain("CAPTURE");
      expect(await log.textContent()).toContain(staff.support.email);
      const captured = await auditOf("transaction.capture", toCapture);
      expect(captured).toMatchObject({ actorUserId: staff.support.id, reason: "Stuck after the terminal" });
      expect(captured.before).toMatchObject({ status: "AUTHORIZED", capturedAmount: "0.00" });
      expect(captured.after).toMatchObject({ status: "CAPTURED", capturedAmount: "100.00" });
      // The timeline says why, and tells its operations apart by icon (CAPTURE and CANCEL once shared "CA").
      await expect.poll(() => log.getByTestId("staff-reason").textContent()).toBe("Reason: Stuck after the terminal");
      expect(await log.locator('svg[data-operation="CAPTURE"]').count()).toBe(1);
      expect(await page.getByTestId(`log-${toCancel}`).locator('svg[data-operation="CANCEL"]').count()).toBe(1);

      // Credit: more than is creditable is refused next to the field and never sent.
      await page.getByTestId(`credit-${toCredit}`).click();
      const dialog = page.getByRole("dialog");
      const amount = dialog.getByTestId("credit-amount");
      expect(await amount.inputValue()).toBe("100.00");
      await amount.fill("500.00");
      await dialog.getByLabel("Reason").fill("Half the trip was cancelled");
      await expect.poll(() => dialog.textContent()).toMatch(/is more than the creditable amount/);
      expect(await amount.getAttribute("aria-invalid")).toBe("true");
      await dialog.getByRole("button", { name: "Credit", exact: true }).click();
      await page.waitForTimeout(300);
      expect(await dialog.isVisible()).toBe(true);
      expect(
        await e2e.server.database.db.select().from(auditLog).where(eq(auditLog.action, "transaction.credit")),
      ).toHaveLength(0);
      await amount.fill("40.00");
      await expect.poll(() => dialog.textContent()).not.toMatch(/is more than/);
      await dialog.getByRole("button", { name: "Credit", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      await expect.poll(() => text(page, `transaction-${toCredit}`)).toMatch(/NOK\s40\.00/);
      await expect.poll(() => text(page, "summary-creditedAmount")).toMatch(/NOK\s40\.00/);
      expect(await text(page, "summary-creditableAmount")).toMatch(/NOK\s160\.00/);
      const credited = await auditOf("transaction.credit", toCredit);
      expect(credited).toMatchObject({ actorUserId: staff.support.id, reason: "Half the trip was cancelled" });
      expect(credited.before).toMatchObject({ creditableAmount: "100.00" });
      expect(credited.after).toMatchObject({ creditAmount: "40.00", creditableAmount: "60.00" });
    });

    await asStaff("finance", `/payments/${paymentId}`, async (page) => {
      // Deactivate: the captured remainder is credited, the payment says so.
      await perform(page, "deactivate", "Deactivate payment", "Order was reset by the sales system");
      await expect.poll(() => page.getByText("This payment is deactivated").count()).toBe(1);
      // The toast says what it did, not what deactivation may do.
      await expect
        .poll(() =>
          page
            .getByText(
              `Payment ${paymentId} deactivated: credited NOK\u00a0160.00 on transactions ${toCapture}, ${toCredit}.`,
            )
            .count(),
        )
        .toBe(1);
      await expect.poll(() => statusOf(page, toCapture)).toContain("CREDITED");
      expect(await statusOf(page, toCredit)).toContain("CREDITED");
      const deactivated = await auditOf("payment.deactivate", paymentId);
      expect(deactivated).toMatchObject({
        actorUserId: staff.finance.id,
        reason: "Order was reset by the sales system",
      });
      expect(deactivated.before).toMatchObject({ active: true });
      expect(deactivated.after).toMatchObject({
        active: false,
        credited: [
          { transactionId: toCapture, amount: "100.00" },
          { transactionId: toCredit, amount: "60.00" },
        ],
      });
      expect(await page.getByTestId(`capture-${toCapture}`).count()).toBe(0);

      // Reactivate with the total: a malformed one is refused next to the field first.
      await page.getByTestId("reactivate").click();
      const dialog = page.getByRole("dialog");
      const total = dialog.getByTestId("reactivate-total");
      expect(await total.inputValue()).toBe("300.00");
      await total.fill("three hundred");
      await expect.poll(() => dialog.textContent()).toMatch(/Enter an amount like 2 596,50/);
      // Typed the way the screens print it (a decimal comma): taken as 280.00.
      await total.fill("280,00");
      await dialog.getByLabel("Reason").fill("New order version");
      await dialog.getByRole("button", { name: "Reactivate payment" }).click();
      await dialog.waitFor({ state: "detached" });
      await expect.poll(() => page.getByText("This payment is deactivated").count()).toBe(0);
      await expect.poll(() => text(page, "summary-totalAmount")).toMatch(/NOK\s280\.00/);
      const reactivated = await auditOf("payment.reactivate", paymentId);
      expect(reactivated).toMatchObject({ actorUserId: staff.finance.id, reason: "New order version" });
      expect(reactivated.before).toMatchObject({ active: false, totalAmount: "300.00" });
      expect(reactivated.after).toMatchObject({ active: true, totalAmount: "280.00" });
      expect((await client.get(`/v1/payments/${paymentId}`)).body).toMatchObject({
        active: true,
        totalAmount: "280.00",
      });
    });
  });

  it("a credit above the four-eyes threshold made by support waits on the payment page, saying who must act", async () => {
    // A privileged client may name the customer.
    const shop = await createClient(e2e.server, { organisationId: 871, privileged: true });
    const created = await shop.post("/v1/payments", {
      totalAmount: "12490.00",
      orderId: "E2E-FOUR-EYES",
      customerNumber: "200001",
      settlementId: "E2E-SETTLEMENT-1",
      transaction: { paymentType: "CASH" },
    });
    expect(created.status).toBe(201);
    const paymentId: number = created.body.paymentId;
    const transactionId: number = created.body.transactions[0].transactionId;
    expect((await client.put(`${base(paymentId, transactionId)}/capture`)).status).toBe(200);

    let creditId = 0;
    await asStaff("support", `/payments/${paymentId}`, async (page) => {
      await expect.poll(() => page.getByText("No credits for this payment.").count()).toBe(1);
      expect(await page.getByTestId("payment-credits").count()).toBe(0);
      // Customer links to its screen; support may not read settlements, so that stays text.
      expect(await page.getByRole("link", { name: "200001" }).getAttribute("href")).toBe("/customers/200001");
      expect(await page.getByRole("link", { name: "E2E-SETTLEMENT-1" }).count()).toBe(0);

      await perform(page, `credit-${transactionId}`, "Credit", "Trip cancelled by the operator");
      const row = page.locator('[data-testid^="payment-credit-"]');
      await expect.poll(() => row.count()).toBe(1);
      creditId = Number((await row.getAttribute("data-testid"))!.replace("payment-credit-", ""));
      const rowText = ((await row.textContent()) ?? "").replace(/\s+/g, " ");
      expect(rowText).toContain("CREATED");
      expect(rowText).toMatch(/NOK\s12,490\.00/);
      expect(rowText).toContain(
        `Waits for a second staff user with the right to execute credits (not ${staff.support.email})`,
      );
      await expect.poll(() => page.getByRole("status").filter({ hasText: "A credit is waiting" }).count()).toBe(1);
      expect(await row.getByRole("link", { name: String(creditId) }).getAttribute("href")).toBe(`/credits/${creditId}`);
      // The toast says what happened, in the screen's money format and where to look.
      await expect
        .poll(() => page.getByText(`Credit ${creditId} is created and reserves the amount`).count())
        .toBeGreaterThan(0);
      expect(await text(page, "summary-creditableAmount")).toMatch(/NOK\s0\.00/);
    });

    await asStaff("finance", `/payments/${paymentId}`, async (page) => {
      const row = page.getByTestId(`payment-credit-${creditId}`);
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).toContain(
        `Waits for a second staff user (created by ${staff.support.email}): you may execute it.`,
      );
      expect(await page.getByRole("link", { name: "E2E-SETTLEMENT-1" }).getAttribute("href")).toBe(
        "/settlements/E2E-SETTLEMENT-1",
      );
    });
  });

  it("finance adjusts a COLLECTOR_B2B invoice before the customer confirmed it", async () => {
    const p = await paymentWithTransaction(client, "500.00", "COLLECTOR_B2B");
    const invoice = await client.post(`${base(p.paymentId, p.transactionId)}/invoice`, {
      externalInvoiceNumber: "F-100",
      languageCode: "nob",
    });
    expect(invoice.status).toBe(201);
    await asStaff("finance", `/payments/${p.paymentId}`, async (page) => {
      const log = page.getByTestId(`log-${p.transactionId}`);
      expect(await log.textContent()).toContain("not confirmed yet");
      await page.getByTestId(`invoice-${p.transactionId}`).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByTestId("invoice-amount").fill("450.00");
      await dialog.getByLabel("External invoice number").fill("F-101");
      await dialog.getByLabel("Reason").fill("Customer returned one seat");
      await dialog.getByRole("button", { name: "Save invoice" }).click();
      await dialog.waitFor({ state: "detached" });
      await expect.poll(() => log.textContent()).toContain("F-101");
      await expect.poll(() => text(page, `transaction-${p.transactionId}`)).toMatch(/NOK\s450\.00/);
      expect(await log.textContent()).toContain("UPDATE");
      const adjusted = await auditOf("invoice.adjust", invoice.body.invoiceId);
      expect(adjusted).toMatchObject({ actorUserId: staff.finance.id, reason: "Customer returned one seat" });
      expect(adjusted.before).toMatchObject({ amount: "500.00", externalInvoiceNumber: "F-100" });
      expect(adjusted.after).toMatchObject({ amount: "450.00", externalInvoiceNumber: "F-101" });
    });
  });
});
