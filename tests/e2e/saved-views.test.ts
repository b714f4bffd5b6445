// Saved views and CSV exports in Chromium: finance saves the credits list's filters as a view,
// makes it the default and finds it applied on a bare /credits (with the chip and the way back to
// everything); the view's link opens the same filters for support, who may not change or delete
// it; and the credits CSV downloads with the list's rows, its progress shown, and one audit entry.
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { auditLog, credits, savedViews } from "../../db/schema";
import { chromiumAvailable, signedInPage, type BrowserStaff } from "../support/browser";
import { useBrowserTest } from "../support/browser-test";
import { csvRecords } from "../support/csv";

const demo = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
// PAYDESK_SCREENSHOTS=dir: the screens at 1440 and 390 px, to look at.
const SHOTS = process.env.PAYDESK_SCREENSHOTS;

describe.skipIf(!chromiumAvailable)("saved views and exports in Chromium", () => {
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const e2e = useBrowserTest({ demoPayments: 40 });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  async function signedIn(user: BrowserStaff, path = "/credits"): Promise<Page> {
    const { context, page } = await signedInPage(e2e.browser, e2e.server.url, user, path, {
      errors: pageErrors,
      acceptDownloads: true,
    });
    contexts.push(context);
    return page;
  }

  async function shoot(page: Page, name: string) {
    if (!SHOTS) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  let viewId = 0;

  it("saves the filters as a view, makes it the default, and opens it on a bare /credits", async () => {
    const page = await signedIn(demo("finance"), "/credits?status=CREATED");
    await page.getByTestId("save-view").click();
    await page.getByLabel("Name").fill("Waiting to execute");
    await page.getByRole("button", { name: "Save view", exact: true }).click();
    await page.waitForURL(/view=\d+/);
    viewId = Number(new URL(page.url()).searchParams.get("view"));
    await expect.poll(() => page.getByTestId("view-chip").textContent()).toContain("View: Waiting to execute");
    expect(new URL(page.url()).searchParams.get("status")).toBe("CREATED");

    await page.getByTestId("views-menu").click();
    await page.getByRole("menuitem", { name: "Open it by default" }).click();
    await expect
      .poll(async () => {
        const [row] = await e2e.server.database.db.select().from(savedViews).where(eq(savedViews.id, viewId));
        return row?.isDefault;
      })
      .toBe(true);
    await page.getByTestId("views-menu").click();
    await shoot(page, "credits-views-menu");
    await page.keyboard.press("Escape");

    await page.goto(`${e2e.server.url}/credits`);
    await page.waitForURL(/status=CREATED/);
    expect(new URL(page.url()).searchParams.get("view")).toBe(String(viewId));
    await expect.poll(() => page.getByTestId("view-chip").textContent()).toContain("Waiting to execute");

    // The way back to everything, which skips the default too.
    await page.getByRole("link", { name: "Show everything, without the view" }).click();
    await page.waitForURL(/\/credits\?view=all$/);
    await expect.poll(() => page.getByTestId("view-chip").count()).toBe(0);
  });

  it("opens a view from its link for another role, who cannot change it", async () => {
    const page = await signedIn(demo("support"), "/credits?view=all");
    await page.goto(`${e2e.server.url}/credits?view=${viewId}`);
    await page.waitForURL(/status=CREATED/);
    await expect.poll(() => page.getByTestId("view-chip").textContent()).toContain("Waiting to execute");
    await page.getByTestId("views-menu").click();
    await expect.poll(() => page.getByRole("menuitem", { name: "Copy share link" }).count()).toBe(1);
    expect(await page.getByRole("menuitem", { name: "Delete this view" }).count()).toBe(0);
    await page.keyboard.press("Escape");
    // Support's own bare /credits has no default: finance's default is finance's.
    await page.goto(`${e2e.server.url}/credits`);
    expect(new URL(page.url()).search).toBe("");
    // Support may not export (the button says so).
    expect(await page.getByRole("link", { name: "Export CSV" }).count()).toBe(0);
  });

  it("downloads the credits CSV the list shows, with progress, audited once", async () => {
    const page = await signedIn(demo("finance"), "/credits?view=all");
    await shoot(page, "credits-list");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toBe("credits.csv");
    const text = fs.readFileSync((await download.path())!, "utf8");
    const rows = csvRecords(text);
    const all = await e2e.server.database.db.select({ creditId: credits.creditId }).from(credits);
    expect(rows.map((row) => Number(row.creditId)).sort((a, b) => a - b)).toEqual(
      all.map((c) => c.creditId).sort((a, b) => a - b),
    );
    const entries = await e2e.server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "credit.export_csv"), eq(auditLog.actorEmail, demo("finance").email)));
    expect(entries).toHaveLength(1);
    expect(entries[0].after).toMatchObject({ rows: all.length, estimated: false });

    await page.goto(`${e2e.server.url}/operation-log`);
    await shoot(page, "operation-log");
    await page.goto(`${e2e.server.url}/payments`);
    await shoot(page, "payments");
  });

  it("shows how far a long export has come while it streams in", async () => {
    const page = await signedIn(demo("finance"), "/operation-log?view=all");
    // A long export, made long on purpose: the page's fetch of the CSV gets the server's real
    // answer (its headers, its rows), but the second half of the rows only once the test says so.
    // So the progress is on screen for as long as the test looks, with no clock involved.
    await page.addInitScript(() => {
      const realFetch = window.fetch.bind(window);
      const held = window as unknown as { releaseExport?: () => void };
      window.fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        const response = await realFetch(input, init);
        if (!url.includes("/export.csv")) return response;
        const text = await response.text();
        const lines = text.split("\n");
        const half = Math.ceil(lines.length / 2);
        const encoder = new TextEncoder();
        const rest = new Promise<void>((resolve) => (held.releaseExport = resolve));
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode(lines.slice(0, half).join("\n") + "\n"));
            await rest;
            controller.enqueue(encoder.encode(lines.slice(half).join("\n")));
            controller.close();
          },
        });
        return new Response(body, { status: response.status, headers: response.headers });
      };
    });
    await page.reload();
    await page.getByTestId("export-csv").click();

    const progress = page.getByTestId("export-progress");
    await progress.waitFor();
    expect(await progress.getAttribute("role")).toBe("status");
    const shown = /^(\d+) of (\d+) rows$/.exec((await progress.textContent()) ?? "");
    expect(shown).not.toBeNull();
    const [rowsSoFar, expected] = [Number(shown![1]), Number(shown![2])];
    expect(rowsSoFar).toBeGreaterThan(0);
    expect(rowsSoFar).toBeLessThan(expected);
    const bar = Number(await page.getByRole("progressbar", { name: "Export progress" }).getAttribute("aria-valuenow"));
    expect(bar).toBeGreaterThan(0);
    expect(bar).toBeLessThan(100);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.evaluate(() => (window as unknown as { releaseExport: () => void }).releaseExport()),
    ]);
    const rows = csvRecords(fs.readFileSync((await download.path())!, "utf8"));
    // The server's expectation was the export's true length, and the progress is gone after it.
    expect(rows).toHaveLength(expected);
    await progress.waitFor({ state: "detached" });
  });
});
