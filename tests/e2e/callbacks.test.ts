// The Callbacks console in Chromium, as an admin uses it: filter the list to the retrying
// callbacks, open one, read its attempts and payload, and resend it with a reason; the outbox row
// is due again at once and the audit log has the resend. PAYDESK_SCREENSHOTS=<dir> also saves the
// list and the detail at 1440 and 390 px there.
import { and, eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/demo";
import { auditLog, callbackAttempts, callbackOutbox } from "../../db/schema";
import { chromiumAvailable, shootAtWidths, closeBrowser, launchBrowser, signedInPage } from "../support/browser";
import { startTestServer, type TestServer } from "../support/server";

const ADMIN = DEMO_USERS.find((user) => user.role === "admin")!;
const SCREENSHOTS = process.env.PAYDESK_SCREENSHOTS;

describe.skipIf(!chromiumAvailable)("callbacks console in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let retrying: number;

  beforeAll(async () => {
    server = await startTestServer({ demoPayments: 20 });
    const db = server.database.db;
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const insert = (values: Partial<typeof callbackOutbox.$inferInsert>) =>
      db
        .insert(callbackOutbox)
        .values({
          url: "https://example.com/hooks/nordbuss?order=NB-1042",
          target: "https://example.com",
          payload: { paymentId: 1042, transactionId: 2042, status: "CAPTURED", paymentType: "VISA" },
          clientId: "nordbuss-web",
          organisationId: 20,
          paymentId: 1042,
          transactionId: 2042,
          correlationId: "7f3c2a90-5d1e-4b8a-9c11-2f0e6d4b1a77",
          ...values,
        })
        .returning({ id: callbackOutbox.id });
    for (let i = 0; i < 4; i++) {
      const [delivered] = await insert({
        createdAt: minutesAgo(90 - i * 10),
        attempts: 1,
        lastStatus: 202,
        deliveredAt: minutesAgo(90 - i * 10),
        transactionId: 2000 + i,
      });
      await db.insert(callbackAttempts).values({
        callbackId: delivered.id,
        attemptedAt: minutesAgo(90 - i * 10),
        statusCode: 202,
        latencyMs: 40 + i * 7,
        error: null,
        delivered: true,
      });
    }
    const [row] = await insert({
      createdAt: minutesAgo(20),
      attempts: 2,
      lastStatus: 503,
      lastError: "receiver answered 503, not 202: upstream unavailable",
      nextAttemptAt: new Date(Date.now() + 60 * 60_000),
      correlationId: "c0ffee00-1111-4222-8333-444455556666",
    });
    retrying = row.id;
    await db.insert(callbackAttempts).values([
      {
        callbackId: retrying,
        attemptedAt: minutesAgo(20),
        statusCode: null,
        latencyMs: 10_000,
        error: "no answer within 10000 ms",
        delivered: false,
      },
      {
        callbackId: retrying,
        attemptedAt: minutesAgo(19),
        statusCode: 503,
        latencyMs: 182,
        error: "receiver answered 503, not 202: upstream unavailable",
        delivered: false,
      },
    ]);
    browser = await launchBrowser();
    ({ context, page, errors } = await signedInPage(browser, server.url, ADMIN, "/callbacks"));
  });

  afterAll(async () => {
    await context?.close();
    await closeBrowser(browser);
    await server?.close();
  });

  const shoot = (name: string) => shootAtWidths(page, SCREENSHOTS, name);

  it("filters to the retrying callbacks, opens one, reads its attempts and resends it", async () => {
    await expect.poll(() => page.getByTestId("callback-row").count(), { timeout: 20_000 }).toBe(5);
    await page.getByRole("textbox", { name: "API client" }).click();
    await page.getByRole("option", { name: /nordbuss-web/ }).click();
    await page.waitForURL(/clientId=nordbuss-web/);
    await expect.poll(() => page.getByTestId("callback-target").count(), { timeout: 20_000 }).toBe(1);
    await shoot("callbacks-list");

    await page.getByRole("textbox", { name: "State" }).click();
    await page.getByRole("option", { name: "RETRYING" }).click();
    await page.waitForURL(/state=RETRYING/);
    await expect.poll(() => page.getByTestId("callback-row").count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId("callback-count").textContent()).toBe("1 callback matches");

    await page
      .getByTestId("callback-row")
      .getByRole("link", { name: String(retrying) })
      .click();
    await page.waitForURL(new RegExp(`/callbacks/${retrying}$`));
    await expect.poll(() => page.getByTestId("callback-attempt").count(), { timeout: 20_000 }).toBe(2);
    const attempts = await page.getByTestId("callback-attempt").allTextContents();
    expect(attempts[0]).toContain("no answer within 10000 ms");
    expect(attempts[1]).toContain("503");
    expect(attempts[1]).toContain("182 ms");
    expect(await page.getByTestId("callback-state").textContent()).toBe("RETRYING");
    expect(await page.getByTestId("callback-url").textContent()).toBe(
      "https://example.com/hooks/nordbuss?order=NB-1042",
    );
    expect(JSON.parse((await page.getByTestId("callback-payload").textContent())!)).toMatchObject({
      transactionId: 2042,
      status: "CAPTURED",
    });
    expect(await page.getByTestId("next-attempt").count()).toBe(1);
    await shoot("callback-detail");

    await page.getByTestId("resend-callback").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Client asked for it again (INC-5120)");
    const before = Date.now();
    await dialog.getByRole("button", { name: "Resend" }).click();
    await expect.poll(() => page.getByTestId("callback-staff-action").count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId("callback-staff-action").textContent()).toContain(
      "Resent by admin@paydesk.test: Client asked for it again (INC-5120)",
    );

    const [row] = await server.database.db.select().from(callbackOutbox).where(eq(callbackOutbox.id, retrying));
    expect(row.deliveredAt).toBeNull();
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "callback"), eq(auditLog.entityId, String(retrying))));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "callback.resend", actorEmail: ADMIN.email });
    expect(errors).toEqual([]);
  });
});
