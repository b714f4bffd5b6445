// The settlement report upload over HTTP with a real finance session (docs/decisions/039): a
// client that goes away mid-file, or a body cut short, leaves nothing imported (not even the
// batches committed while it streamed) and the server goes on serving; the same file sent whole
// afterwards imports. Finance matches a settlement's lines missing in Paydesk again once the
// payment is there (docs/decisions/051): once, audited; support may not.
import { and, count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  auditLog,
  paymentTransactions,
  payments,
  reconciliationDifferences,
  reconciliationTotals,
  settlementReportImports,
  settlementReportLines,
} from "../../db/schema";
import { REPORT_COLUMNS } from "../../app/domain/settlement-report";
import { postStaffAction } from "../support/fixtures-staff";
import { useStaffSession, useTestServer } from "../support/fixtures-http";
import {
  SAMPLE_EXPECTED,
  SAMPLE_SETTLEMENT,
  insertSampleSettlement,
  sampleReport,
} from "../support/settlement-report-fixtures";
import { getPage } from "../support/staff";
import { openReportUpload } from "../support/report-upload";

const server = useTestServer();
const finance = useStaffSession(server, "finance");
const support = useStaffSession(server, "support");

/** A valid report of `lines` capture lines nobody in Paydesk knows (each a difference, none wrong). */
function reportOf(settlementId: string, lines: number): string {
  const rows = Array.from(
    { length: lines },
    (_, i) => `${settlementId},2026-12-01,CAPTURE,CUT-${settlementId}-${i + 1},10.00,0.10,9.90,NOK`,
  );
  return `${REPORT_COLUMNS.join(",")}\n${rows.join("\n")}\n`;
}

/** The upload of `token`, opened as the finance user; the test writes the file. */
const openUpload = (token: string) => openReportUpload(server.url, { cookie: finance.cookie, token });

async function stored() {
  const db = server.database.db;
  const [{ imports }] = await db.select({ imports: count() }).from(settlementReportImports);
  const [{ lines }] = await db.select({ lines: count() }).from(settlementReportLines);
  return { imports, lines };
}

async function progressOf(token: string): Promise<{ status: string; linesRead: number }> {
  const response = await getPage(server, `/reconciliation/progress?token=${token}`, finance.cookie);
  return response.json();
}

/** The whole file as one ordinary multipart post. */
async function uploadWhole(content: string, token: string) {
  const { request, answer, tail } = openUpload(token);
  request.end(`${content}${tail}`);
  return answer;
}

describe("a settlement report upload that stops before the end of the file", () => {
  let serverErrors: string[];
  beforeEach(() => {
    // The server runs in this process: what it logs as an error (an unhandled one is a 500) shows here.
    serverErrors = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.includes('"level":"error"')) serverErrors.push(text);
      return write(chunk, ...(rest as []));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("imports nothing when the client goes away mid-file, and the server still serves", async () => {
    // 12 000 lines: two batches of 5 000 are committed (RUNNING) before the cut.
    const content = reportOf("CUT-ABORT", 12_000);
    const token = "abort-mid-file-token-0001";
    const { request, answer } = openUpload(token);
    answer.catch(() => {}); // the socket is destroyed below: there is no answer to read
    request.write(content.slice(0, Math.floor(content.length * 0.9)));
    // Wait until the server has committed lines of it: a half-read file exists, as RUNNING.
    await expect.poll(async () => (await progressOf(token)).linesRead, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await stored()).lines).toBeGreaterThan(0);
    request.destroy();

    // The import and every line it had committed are gone.
    await expect.poll(stored, { timeout: 30_000 }).toEqual({ imports: 0, lines: 0 });
    expect(await progressOf(token)).toMatchObject({ status: "WAITING", linesRead: 0 });
    expect(serverErrors).toEqual([]);

    // The server still serves: the screen, and the same file sent whole.
    const page = await getPage(server, "/reconciliation", finance.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("CUT-ABORT");
    const whole = await uploadWhole(content, "abort-mid-file-token-0002");
    expect(whole.status, whole.body).toBe(200);
    expect(JSON.parse(whole.body)).toMatchObject({ ok: true, message: expect.stringContaining("12000 lines") });
  });

  it("answers a body cut short with a 400 naming the file, not a 500, and imports nothing of it", async () => {
    const before = await stored();
    const content = reportOf("CUT-SHORT", 6_000);
    const { request, answer } = openUpload("cut-short-token-000001");
    // The body ends cleanly, but in the middle of the file: no closing boundary.
    request.end(content.slice(0, Math.floor(content.length / 2)));
    const cut = await answer;
    expect(cut.status, cut.body).toBe(400);
    expect(JSON.parse(cut.body)).toMatchObject({
      ok: false,
      fieldErrors: { file: expect.stringContaining("stopped before the end of the file") },
    });
    expect(await stored()).toEqual(before);
    expect(serverErrors).toEqual([]);
  });
});

describe("matching a settlement's lines missing in Paydesk again", () => {
  const SETTLEMENT_ROUTE = "routes/_staff.reconciliation.$settlementId";
  const missing = SAMPLE_EXPECTED.MISSING_IN_PAYDESK.reference;
  const matchAgain = (cookie: string) =>
    postStaffAction(
      server,
      `/reconciliation/${SAMPLE_SETTLEMENT}`,
      SETTLEMENT_ROUTE,
      { intent: "matchAgain", reason: "Nets line 6: the payment came in late" },
      cookie,
    );
  const state = async () => {
    const db = server.database.db;
    const [difference] = await db
      .select()
      .from(reconciliationDifferences)
      .where(eq(reconciliationDifferences.reference, missing));
    const [totals] = await db
      .select({ matched: reconciliationTotals.matchedCount })
      .from(reconciliationTotals)
      .where(eq(reconciliationTotals.settlementId, SAMPLE_SETTLEMENT));
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "reconciliation.match-again"));
    return { difference, matched: totals.matched, audits };
  };

  it("matches the line once its payment is in Paydesk, once, audited; support may not", async () => {
    await insertSampleSettlement(server.database);
    const imported = await uploadWhole(sampleReport(), "match-again-sample-0001");
    expect(imported.status, imported.body).toBe(200);

    // Nothing new in Paydesk yet: nothing changes.
    const early = await matchAgain(finance.cookie);
    expect(early.status, early.text).toBe(200);
    expect(early.body.message).toContain("nothing changed");
    expect(await state()).toMatchObject({ matched: SAMPLE_EXPECTED.matched, audits: [] });

    // The payment of the line arrives (as an import of the day's captures would bring it).
    const [{ organisationId }] = await server.database.db
      .select({ organisationId: payments.organisationId })
      .from(payments)
      .where(eq(payments.settlementId, SAMPLE_SETTLEMENT))
      .limit(1);
    const [late] = await server.database.db
      .insert(payments)
      .values({ organisationId, totalAmount: "89.00", settlementId: SAMPLE_SETTLEMENT })
      .returning({ id: payments.paymentId });
    await server.database.db.insert(paymentTransactions).values({
      paymentId: late.id,
      organisationId,
      amount: "89.00",
      currency: "NOK",
      status: "CAPTURED",
      paymentTypeGroup: "PAYMENTCARD",
      paymentType: "VISA",
      rrn: missing,
      cardNumber: "4444",
      authorizedAmount: "89.00",
      capturedAmount: "89.00",
    });

    const refused = await matchAgain(support.cookie);
    expect(refused.status).toBe(403);
    expect((await state()).audits).toEqual([]);

    const done = await matchAgain(finance.cookie);
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ ok: true, message: "1 line is matched now", data: { matched: 1 } });
    const after = await state();
    expect(after.difference).toMatchObject({
      paymentId: late.id,
      resolvedByEmail: finance.email,
      resolution: expect.stringContaining(`payment ${late.id}`),
    });
    expect(after.matched).toBe(SAMPLE_EXPECTED.matched + 1);
    expect(after.audits).toEqual([
      expect.objectContaining({
        actorEmail: finance.email,
        entityId: String(after.difference.id),
        reason: "Nets line 6: the payment came in late",
      }),
    ]);
    // The screen shows it matched; the missing one is no longer open.
    const page = await getPage(server, `/reconciliation/${SAMPLE_SETTLEMENT}?kind=MISSING_IN_PAYDESK`, finance.cookie);
    expect(await page.text()).not.toContain(`data-reference="${missing}"`);

    // Again: nothing changes, not even the audit log.
    const again = await matchAgain(finance.cookie);
    expect(again.body.message).toContain("nothing changed");
    const last = await state();
    expect({ matched: last.matched, audits: last.audits.length }).toEqual({ matched: after.matched, audits: 1 });
    expect(
      await server.database.db
        .select({ n: count() })
        .from(reconciliationDifferences)
        .where(
          and(
            eq(reconciliationDifferences.settlementId, SAMPLE_SETTLEMENT),
            eq(reconciliationDifferences.kind, "MISSING_IN_PAYDESK"),
          ),
        ),
    ).toEqual([{ n: 1 }]);
  });
});
