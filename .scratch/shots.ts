import { chromium } from "playwright-core";
import { totpCode, totpStep } from "../app/auth/totp.server";
const BASE = "http://127.0.0.1:4141";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await ctx.newPage();
for (const s of ["light","dark"]) { await page.emulateMedia({ colorScheme: s as any }); await page.goto(BASE + "/login"); await page.waitForLoadState("networkidle"); await page.screenshot({ path: `/tmp/a11y-login-${s}-1440.png` }); }
await page.getByLabel("Email").fill("admin@paydesk.test");
await page.getByLabel("Password").fill("admin-demo-2026");
await page.getByRole("button", { name: "Log in" }).click();
await page.waitForURL((u) => u.pathname === "/login/code");
await page.getByLabel("Code").fill(totpCode("NQFAAEY2BQCM33ZQX5SWPYYHR2TNTKLI", totpStep(Date.now()) * 30000 + 30000));
await page.getByRole("button", { name: "Continue" }).click();
await page.waitForURL((u) => u.pathname === "/");
for (const s of ["dark","light"]) for (const w of [1440, 390]) {
  await page.emulateMedia({ colorScheme: s as any }); await page.setViewportSize({ width: w, height: 900 });
  await page.goto(BASE + "/"); await page.waitForLoadState("networkidle"); await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/a11y-dash-${s}-${w}.png` });
  await page.goto(BASE + "/payments"); await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `/tmp/a11y-payments-${s}-${w}.png` });
}
await browser.close();
