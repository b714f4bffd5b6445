import fs from "node:fs";
import { chromium, type Page } from "playwright-core";
import { totpCode, totpStep } from "../app/auth/totp.server";
const BASE = "http://127.0.0.1:4141";
const axe = fs.readFileSync("node_modules/axe-core/axe.min.js", "utf8");
const only = process.argv[2];
const schemes = (process.env.SCHEMES ?? "light").split(",");
const widths = (process.env.WIDTHS ?? "1440").split(",").map(Number);
async function scan(page: Page, label: string) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(axe);
  const r: any = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa","best-practice"] } }));
  for (const v of r.violations) {
    console.log(`${label}: ${v.id} (${v.nodes.length})`);
    for (const n of v.nodes.slice(0, 4)) console.log(`    ${n.target.join(" ")} :: ${n.failureSummary.split("\n").slice(1,2).join(" ").slice(0,160)}\n      ${n.html.slice(0,300)}`);
  }
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
for (const scheme of schemes) for (const width of widths) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme as any });
  const page = await ctx.newPage();
  await page.goto(BASE + "/login");
  await scan(page, `${scheme}/${width} /login`);
  await page.getByLabel("Email").fill("admin@paydesk.test");
  await page.getByLabel("Password").fill("admin-demo-2026");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => u.pathname === "/login/code");
  await scan(page, `${scheme}/${width} /login/code`);
  await page.getByLabel("Code").fill(totpCode("NQFAAEY2BQCM33ZQX5SWPYYHR2TNTKLI", totpStep(Date.now()) * 30000));
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  const paths = (only ? only.split(",") : ["/", "/payments", "/payments/1", "/credits", "/credits/new", "/customers", "/customers/200001", "/operation-log", "/settlements", "/payment-methods", "/audit-log", "/users", "/api-clients", "/me", "/work", "/search?q=1", "/callbacks"]);
  for (const p of paths) { await page.goto(BASE + p); await scan(page, `${scheme}/${width} ${p}`); }
  await ctx.close();
}
await browser.close();
