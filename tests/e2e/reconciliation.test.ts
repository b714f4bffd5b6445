// Reconciliation in Chromium, as finance uses it: upload the sample settlement report, read the
// settlement's categories (matched, each kind of difference with its amount, fees), resolve the
// amount difference with a reason, and reach the result from the settlement's own screen. A file
// with a wrong line is refused next to the file field, naming line and column. PAYDESK_SCREENSHOTS=<dir>
// also saves the screens at 1440 and 390 px there.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { auditLog } from "../../db/schema";
import { chromiumAvailable, shootAtWidths } from "../support/browser";
import { useBrowserTest, useSignedInPage } from "../support/browser-test";
import {
  SAMPLE_EXPECTED,
  SAMPLE_REPORT_PATH,
  SAMPLE_SETTLEMENT,
  insertSampleSettlement,
} from "../support/settlement-report-fixtures";

const FINANCE = DEMO_USERS.find((user) => user.role === "finance")!;
const SCREENSHOTS = process.env.PAYDESK_SCREENSHOTS;

describe.skipIf(!chromiumAvailable)("reconciliation in Chromium", () => {
  const test = useBrowserTest({ demoPayments: 0 });
  const badFile = path.join(os.tmpdir(), `paydesk-bad-report-${process.pid}.csv`);

  beforeAll(async () => {
    await insertSampleSettlement(test.server.database);
    const lines = fs.readFileSync(SAMPLE_REPORT_PATH, "utf8").trimEnd().split("\n");
    lines[2] = lines[2].replace("149.00,1.49,147.51", "149.00,1.49,147.50"); // line 3 of the file
    fs.writeFileSync(badFile, `${lines.join("\n").replaceAll(SAMPLE_SETTLEMENT, "BAD-1")}\n`);
  });
  const signedIn = useSignedInPage(test, FINANCE, "/reconciliation");

  afterAll(() => {
    fs.rmSync(badFile, { force: true });
  });

  const shoot = (name: string) => shootAtWidths(signedIn.page, SCREENSHOTS, name);

  it("refuses a file with a wrong line next to the file field, naming line and column", async () => {
    const { page } = signedIn;
    await page.locator('input[type="file"]').setInputFiles(badFile);
    await page.getByTestId("upload-report").click();
    await expect
      .poll(() => page.getByText("line 3, column 7 (net_amount): must be gross_amount minus fee").count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await shoot("reconciliation-refused");
    expect(await page.getByTestId("report-imports").count()).toBe(0);
  });

  it("imports the sample and shows each category with its difference, then resolves one", async () => {
    const { page, errors } = signedIn;
    await page.locator('input[type="file"]').setInputFiles(SAMPLE_REPORT_PATH);
    await page.getByTestId("upload-report").click();
    await page.getByTestId("upload-result").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("upload-result").textContent()).toContain("8 lines, 1 settlement");
    await page.getByTestId("report-imports").waitFor();
    await shoot("reconciliation-list");

    await page.getByTestId("upload-result").getByRole("link", { name: SAMPLE_SETTLEMENT }).click();
    await page.waitForURL(`**/reconciliation/${SAMPLE_SETTLEMENT}`);
    const totals = page.getByTestId("reconciliation-totals");
    expect(await totals.getByTestId("matched").textContent()).toBe(String(SAMPLE_EXPECTED.matched));
    for (const kind of ["AMOUNT_DIFFERS", "MISSING_IN_PAYDESK", "MISSING_AT_PROVIDER"] as const) {
      expect(await totals.getByTestId(kind).textContent()).toMatch(/^1/);
      const row = page.locator(`[data-testid="difference"][data-kind="${kind}"]`);
      expect(await row.getAttribute("data-reference")).toBe(SAMPLE_EXPECTED[kind].reference);
    }
    expect(await totals.getByTestId("fees").textContent()).toMatch(/88\.47/);
    const differs = page.locator('[data-testid="difference"][data-kind="AMOUNT_DIFFERS"]');
    expect(await differs.getByTestId("difference-amount").textContent()).toMatch(/−?-?90\.00/);
    await shoot("reconciliation-settlement");

    await differs.getByTestId("resolve").click();
    await page.getByLabel("Reason").fill("Nets confirmed 560,00 was captured; Paydesk's 650,00 is corrected by credit");
    await page.getByRole("dialog").getByRole("button", { name: "Resolve" }).click();
    // Open differences only by default: the resolved one leaves the list.
    await expect.poll(() => differs.count(), { timeout: 20_000 }).toBe(0);
    const [audit] = await test.server.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "reconciliation.resolve"));
    expect(audit).toMatchObject({ actorEmail: FINANCE.email, reason: expect.stringContaining("Nets confirmed") });
    await page.getByRole("link", { name: "Show resolved too" }).click();
    await expect.poll(() => differs.textContent(), { timeout: 20_000 }).toContain("Nets confirmed");

    await page.getByRole("link", { name: "The settlement in Paydesk" }).click();
    await page.waitForURL(`**/settlements/${SAMPLE_SETTLEMENT}`);
    await page.getByTestId("settlement-reconciliation").click();
    await page.waitForURL(`**/reconciliation/${SAMPLE_SETTLEMENT}`);
    expect(errors).toEqual([]);
  });
});
