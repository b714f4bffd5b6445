import { chromium, type Page } from "playwright-core";
import { DEMO_USERS } from "./db/demo";
import { logInThroughForm } from "./tests/support/browser";

const URL_ = "http://127.0.0.1:4121";
const demo = (role: string) => DEMO_USERS.find((u) => u.role === role)!;

async function main() {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  for (const width of [1440, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(60000);
    await page.goto(`${URL_}/payment-methods`);
    await logInThroughForm(page, demo("admin"));
    await page.goto(`${URL_}/payment-methods`);
    await page.screenshot({ path: `/tmp/bulk-shots/methods-${width}.png` });
    await page.getByTestId("bulk-methods").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Payment type" }).fill("VIPPS");
    await page.getByRole("option", { name: "VIPPS", exact: true }).click();
    await dialog.getByLabel("All clients").uncheck();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `/tmp/bulk-shots/methods-form-${width}.png` });
    await dialog.getByLabel("All clients").check();
    await dialog.getByLabel("Reason").fill("Vipps outage INC-1");
    await dialog.getByTestId("bulk-methods-preview-button").click();
    await dialog.getByTestId("bulk-methods-preview").waitFor();
    await page.screenshot({ path: `/tmp/bulk-shots/methods-preview-${width}.png` });
    await context.close();

    const c2 = await browser.newContext({ viewport: { width, height: 900 } });
    const p2 = await c2.newPage();
    p2.setDefaultTimeout(60000);
    await p2.goto(`${URL_}/payments`);
    await logInThroughForm(p2, demo("finance"));
    await p2.goto(`${URL_}/payments?status=CAPTURED`);
    const boxes = p2.locator('[data-testid^="select-payment-"]');
    await boxes.first().waitFor();
    for (let i = 0; i < 4; i++) await boxes.nth(i).check();
    await p2.screenshot({ path: `/tmp/bulk-shots/payments-selected-${width}.png` });
    await p2.getByTestId("bulk-credit-open").click();
    const d2 = p2.getByRole("dialog");
    await d2.getByLabel("A percentage of what is creditable").check();
    await d2.getByRole("textbox", { name: "Percentage" }).fill("50");
    await d2.getByLabel("Reason").fill("Cancelled departure");
    await d2.getByTestId("bulk-credit-preview-button").click();
    await d2.getByTestId("bulk-credit-preview").waitFor();
    await p2.screenshot({ path: `/tmp/bulk-shots/credit-preview-${width}.png` });
    await d2.getByTestId("bulk-credit-confirm").click();
    await p2.waitForURL(/credits\/bulk\//);
    await p2.getByRole("heading", { name: "Bulk credit" }).waitFor();
    await p2.screenshot({ path: `/tmp/bulk-shots/report-${width}.png`, fullPage: true });
    await c2.close();
  }
  await browser.close();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
