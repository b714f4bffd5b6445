// Chargebacks in Chromium, as finance handles one (docs/decisions/040): open it on a captured
// transaction from the payment screen (the transaction's creditable amount drops at once and the
// timeline shows it), find it on the Chargebacks list by status, record evidence and a due date,
// decide it LOST; the creditable amount stays lowered and every step is in the audit log.
// PAYDESK_SCREENSHOTS=<dir> also saves the list, the detail and the payment at 1440 and 390 px.
import { and, eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { auditLog, chargebacks, paymentTransactions } from "../../db/schema";
import { capturedCardPayment, createClient } from "../support/api";
import { chromiumAvailable, shootAtWidths, signedInPage } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";

const FINANCE = DEMO_USERS.find((user) => user.role === "finance")!;
const SCREENSHOTS = process.env.PAYDESK_SCREENSHOTS;
const POLL = { timeout: 20_000 };

describe.skipIf(!chromiumAvailable)("chargebacks in Chromium", () => {
  const e2e = useBrowserTest({ demoPayments: 10 });
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let ids: { paymentId: number; transactionId: number };

  beforeAll(async () => {
    const client = await createClient(e2e.server);
    ids = await capturedCardPayment(client, "120.00");
    ({ context, page, errors } = await signedInPage(
      e2e.browser,
      e2e.server.url,
      FINANCE,
      `/payments/${ids.paymentId}`,
    ));
  });

  afterAll(async () => {
    await context?.close();
  });

  const shoot = (name: string) => shootAtWidths(page, SCREENSHOTS, name);

  const transactionRow = async () =>
    (
      await e2e.server.database.db
        .select()
        .from(paymentTransactions)
        .where(eq(paymentTransactions.transactionId, ids.transactionId))
    )[0];

  it("opens, evidences and loses a chargeback; the creditable amount drops and stays down", async () => {
    // Open it on the payment screen.
    await page.getByTestId(`openChargeback-${ids.transactionId}`).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByLabel("Amount charged back").fill("45,50");
    await dialog.getByLabel("Scheme reason code").fill("10.4");
    await dialog.getByLabel("Due date").fill("2027-01-15");
    await dialog.getByRole("textbox", { name: "Reason", exact: true }).fill("Visa dispute notice 88231");
    await dialog.getByRole("button", { name: "Open chargeback" }).click();
    await expect.poll(() => page.getByTestId("chargeback-row").count(), POLL).toBe(1);
    await expect.poll(() => page.getByTestId("timeline-chargeback").count(), POLL).toBe(1);
    expect(await page.getByTestId("timeline-chargeback").textContent()).toContain("CHARGEBACK OPENED");
    expect((await transactionRow()).chargedBackAmount).toBe("45.50000");
    const transactions = await page.getByRole("table", { name: "Transactions" }).textContent();
    expect(transactions).toMatch(/NOK\s74\.50/);
    await shoot("chargeback-payment");

    // Find it on the list, filtered to open ones.
    await page.goto(`${e2e.server.url}/chargebacks?status=OPEN`);
    await expect.poll(() => page.getByTestId("chargeback-row").count(), POLL).toBe(1);
    const [chargeback] = await e2e.server.database.db
      .select()
      .from(chargebacks)
      .where(eq(chargebacks.paymentId, ids.paymentId));
    await shoot("chargebacks-list");
    await page
      .getByTestId("chargeback-row")
      .getByRole("link", { name: String(chargeback.chargebackId), exact: true })
      .click();
    await page.waitForURL(new RegExp(`/chargebacks/${chargeback.chargebackId}$`));

    // Evidence and a later due date.
    await page.getByTestId("evidence").click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Due date").fill("2027-01-29");
    await dialog.getByLabel("Evidence").fill("Signed delivery receipt DX-4410, 12 Dec");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => page.getByTestId("chargeback-evidence").textContent(), POLL)
      .toContain("Signed delivery receipt DX-4410");
    await shoot("chargeback-detail");

    // Lost: the amount stays taken.
    await page.getByTestId("decide").click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Lost").check();
    await dialog.getByRole("textbox", { name: "Reason", exact: true }).fill("Scheme ruled for the cardholder");
    await dialog.getByRole("button", { name: "Record decision" }).click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).locator("..").textContent(), POLL)
      .toContain("LOST");
    expect(await page.getByTestId("transaction-creditable").textContent()).toMatch(/creditable NOK\s74\.50/);
    expect(await page.getByTestId("decide").isVisible()).toBe(false);

    const row = await transactionRow();
    expect(row).toMatchObject({ chargedBackAmount: "45.50000", capturedAmount: "120.00000" });
    const [after] = await e2e.server.database.db
      .select()
      .from(chargebacks)
      .where(eq(chargebacks.chargebackId, chargeback.chargebackId));
    expect(after).toMatchObject({
      status: "LOST",
      dueDate: "2027-01-29",
      decisionReason: "Scheme ruled for the cardholder",
    });
    const audit = await e2e.server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "chargeback"), eq(auditLog.entityId, String(chargeback.chargebackId))));
    expect(audit.map((a) => a.action).sort()).toEqual(["chargeback.decide", "chargeback.evidence", "chargeback.open"]);
    expect(audit.every((a) => a.actorEmail === FINANCE.email)).toBe(true);

    // The payment's timeline shows the loss.
    await page.goto(`${e2e.server.url}/payments/${ids.paymentId}`);
    await expect.poll(() => page.getByTestId("timeline-chargeback").count(), POLL).toBe(2);
    expect(await page.getByTestId("timeline-chargeback").nth(1).textContent()).toContain("CHARGEBACK LOST");
    expect(errors).toEqual([]);
  });
});
