// A big settlement report in Chromium: while it streams in, the Reconciliation page shows how far
// the server has read it (lines read and checked, the share of the file), then the import's
// result. The upload is throttled through the DevTools protocol, so the file is still arriving
// while the page asks for its progress, whatever the machine's speed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { REPORT_COLUMNS } from "../../app/domain/settlement-report";
import { chromiumAvailable } from "../support/browser";
import { useBrowserTest, useSignedInPage } from "../support/browser-test";

const FINANCE = DEMO_USERS.find((user) => user.role === "finance")!;
const LINES = 40_000;

describe.skipIf(!chromiumAvailable)("a big settlement report in Chromium", () => {
  const test = useBrowserTest({ demoPayments: 0 });
  const file = path.join(os.tmpdir(), `paydesk-big-report-${process.pid}.csv`);

  beforeAll(async () => {
    const rows = Array.from(
      { length: LINES },
      (_, i) => `BIG-1,2026-12-01,CAPTURE,BIG-${String(i + 1).padStart(8, "0")},10.00,0.10,9.90,NOK`,
    );
    fs.writeFileSync(file, `${REPORT_COLUMNS.join(",")}\n${rows.join("\n")}\n`);
  });
  const signedIn = useSignedInPage(test, FINANCE, "/reconciliation");

  afterAll(() => {
    fs.rmSync(file, { force: true });
  });

  it("shows the lines read and the share of the file while it imports, then the result", async () => {
    const { context, page, errors } = signedIn;
    const size = fs.statSync(file).size; // some 2.7 MB
    // About 300 KB a second: the file takes several seconds to arrive, many progress polls.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: Math.round(size / 9),
    });
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByTestId("upload-report").click();

    const progress = page.getByTestId("upload-progress");
    await expect
      .poll(async () => ((await progress.count()) ? await progress.textContent() : ""), { timeout: 30_000 })
      .toMatch(/[1-9][\d,.\s]* lines read and checked \(\d+ % of the file\)/);
    const seen = (await progress.textContent())!;
    const read = Number(/([\d,.\s]+) lines read/.exec(seen)![1].replace(/\D/g, ""));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(LINES);
    expect(await progress.getByRole("progressbar").getAttribute("aria-valuenow")).toMatch(/^[1-9]\d*(\.\d+)?$/);

    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.getByTestId("upload-result").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("upload-result").textContent()).toContain(`${LINES} lines, 1 settlement`);
    expect(await progress.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
