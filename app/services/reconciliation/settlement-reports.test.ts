// Settlement reports in-process, on the real database: a report is matched against captures and
// credits into exactly the categories finance reads (matched, missing on either side, amount
// differs, fees); the same file twice changes nothing; a bad file is refused by line and column
// with nothing kept; an upload's lines are invisible until the whole file is in; a difference is
// resolved once, with the reason, audited; lines missing in Paydesk are matched again once their
// payment arrives, once.
import { and, eq, sql } from "drizzle-orm";
import {
  auditLog,
  chargebacks,
  reconciliationDifferences,
  reconciliationTotals,
  settlementReportImports,
  settlementReportLines,
} from "../../../db/schema";
import { refused } from "../../../tests/support/fixtures-use-case";
import { insertCaptured, insertCredited } from "../../../tests/support/settlement-report-fixtures";
import { newOrganisation, staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import { importProgress, listReportImports, settlementReconciliation } from "../queries/reconciliation.server";
import { importSettlementReport, matchAgain, resolveDifference } from "./settlement-reports.server";

/** The refusal of the file in the service's English words (its locale key is the screens' business). */
const fileError = (message: unknown) => expect.objectContaining({ field: "file", message });

const database = useTestDatabase();
const HEADER = "settlement_id,booking_date,type,reference,gross_amount,fee,net_amount,currency";

let organisationId = 0;
beforeAll(async () => {
  organisationId = await newOrganisation(database());
});

/** The text as a byte stream in pieces of `size` bytes (a line may be cut anywhere). */
async function* streamOf(text: string, size = 7): AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

let uploads = 0;
const importText = (text: string, fileName = "report.csv") => {
  uploads += 1;
  return importSettlementReport(staffCaller(), {
    fileName,
    uploadToken: `test-upload-token-${uploads}-${Date.now()}`,
    content: streamOf(text),
  });
};

/** A captured transaction of a payment under `settlementId` (a card one by rrn, a Vipps one by external reference). */
const captured = (settlementId: string, amount: string, refs: { rrn?: string; external?: string }) =>
  insertCaptured(database().db, { organisationId, settlementId }, amount, refs);

/** An executed credit of `amount` on a captured transaction, under `settlementId`. */
const credited = (
  settlementId: string,
  on: { paymentId: number; transactionId: number },
  amount: string,
  providerReference: string,
) => insertCredited(database().db, { organisationId, settlementId }, on, amount, providerReference);

async function counts() {
  const db = database().db;
  const n = async (table: typeof settlementReportImports | typeof settlementReportLines | typeof auditLog) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;
  return {
    imports: await n(settlementReportImports),
    lines: await n(settlementReportLines),
    audit: await n(auditLog),
    differences: (await db.select({ n: sql<number>`count(*)::int` }).from(reconciliationDifferences))[0].n,
    totals: (await db.select({ n: sql<number>`count(*)::int` }).from(reconciliationTotals))[0].n,
  };
}

describe("a settlement report", () => {
  const S = "S-CATEGORIES";
  const report = [
    HEADER,
    `${S},2026-12-01,CAPTURE,600000000001,199.00,1.99,197.01,NOK`, // 2: matched by RRN
    `${S},2026-12-01,CAPTURE,VIPPS-abc-1,50.00,0.50,49.50,NOK`, // 3: matched by provider transaction id
    `${S},2026-12-01,CAPTURE,600000000003,120.00,1.20,118.80,NOK`, // 4: Paydesk captured 100.00
    `${S},2026-12-01,CAPTURE,600000000404,75.00,0.75,74.25,NOK`, // 5: unknown to Paydesk
    `${S},2026-12-01,REFUND,credit-ref-1,-20.00,0.00,-20.00,NOK`, // 6: matched credit
    `${S},2026-12-01,REFUND,credit-ref-404,-5.00,0.00,-5.00,NOK`, // 7: unknown credit
    `${S},2026-12-02,CHARGEBACK,600000000001,-199.00,15.00,-214.00,NOK`, // 8: chargeback of line 2's capture
    `${S},2026-12-02,FEE,,0.00,99.00,-99.00,NOK`, // 9: monthly fee
  ].join("\n");
  const ids: Record<string, { paymentId: number; transactionId: number }> = {};

  beforeAll(async () => {
    ids.byRrn = await captured(S, "199.00", { rrn: "600000000001" });
    ids.byExternal = await captured(S, "50.00", { external: "VIPPS-abc-1" });
    ids.differs = await captured(S, "100.00", { rrn: "600000000003" });
    ids.notReported = await captured(S, "30.00", { rrn: "600000000005" });
    await credited(S, ids.byExternal, "20.00", "credit-ref-1");
    await credited(S, ids.differs, "10.00", "credit-ref-not-reported");
  });

  it("is matched into every category, with the difference and the fees", async () => {
    const before = await counts();
    const outcome = await importText(report);
    expect(outcome).toEqual({ kind: "imported", importId: expect.any(Number), lines: 8, settlementIds: [S] });

    const result = await settlementReconciliation(S, { kind: null, openOnly: true });
    expect(result?.totals).toEqual([
      expect.objectContaining({
        currency: "NOK",
        lineCount: 8,
        // lines 2, 3, 6, 8 (the fee line is neither matched nor a difference)
        matchedCount: 4,
        fees: "118.44000",
        grossAmount: "220.00000",
        netAmount: "101.56000",
        differences: {
          AMOUNT_DIFFERS: { count: 1, open: 1, amount: "20.00000" },
          MISSING_IN_PAYDESK: { count: 2, open: 2, amount: "80.00000" },
          MISSING_AT_PROVIDER: { count: 2, open: 2, amount: "-40.00000" },
        },
      }),
    ]);
    const differences = result!.differences.map((d) => ({
      kind: d.kind,
      line: d.lineNo,
      type: d.type,
      reference: d.reference,
      provider: d.providerAmount,
      paydesk: d.paydeskAmount,
      difference: d.difference,
      transactionId: d.transactionId,
    }));
    expect(differences).toEqual([
      {
        kind: "AMOUNT_DIFFERS",
        line: 4,
        type: "CAPTURE",
        reference: "600000000003",
        provider: "120.00000",
        paydesk: "100.00000",
        difference: "20.00000",
        transactionId: ids.differs.transactionId,
      },
      {
        kind: "MISSING_IN_PAYDESK",
        line: 5,
        type: "CAPTURE",
        reference: "600000000404",
        provider: "75.00000",
        paydesk: null,
        difference: "75.00000",
        transactionId: null,
      },
      {
        kind: "MISSING_IN_PAYDESK",
        line: 7,
        type: "REFUND",
        reference: "credit-ref-404",
        provider: "5.00000",
        paydesk: null,
        difference: "5.00000",
        transactionId: null,
      },
      {
        kind: "MISSING_AT_PROVIDER",
        line: null,
        type: "CAPTURE",
        reference: "600000000005",
        provider: null,
        paydesk: "30.00000",
        difference: "-30.00000",
        transactionId: ids.notReported.transactionId,
      },
      {
        kind: "MISSING_AT_PROVIDER",
        line: null,
        type: "REFUND",
        reference: "credit-ref-not-reported",
        provider: null,
        paydesk: "10.00000",
        difference: "-10.00000",
        transactionId: ids.differs.transactionId,
      },
    ]);
    const [audit] = await database().db.select().from(auditLog).where(eq(auditLog.action, "reconciliation.import"));
    expect(audit).toMatchObject({
      entityType: "settlement_report",
      entityId: String(outcome.importId),
      actorEmail: "finance@paydesk.test",
      after: expect.objectContaining({ lines: 8, settlementIds: [S] }),
    });
    // The chargeback of line 8 is opened on the captured transaction, once, naming its line.
    const opened = await database()
      .db.select({
        transactionId: chargebacks.transactionId,
        amount: chargebacks.amount,
        source: chargebacks.source,
        status: chargebacks.status,
        lineNo: settlementReportLines.lineNo,
      })
      .from(chargebacks)
      .innerJoin(settlementReportLines, eq(settlementReportLines.id, chargebacks.reportLineId));
    expect(opened).toEqual([
      { transactionId: ids.byRrn.transactionId, amount: "199.00000", source: "REPORT", status: "OPEN", lineNo: 8 },
    ]);
    const after = await counts();
    // the import's entry and the chargeback's
    expect(after.audit - before.audit).toBe(2);
  });

  it("imported again (the same file) changes nothing and says which import it was", async () => {
    const before = await counts();
    const [first] = await listReportImports();
    expect(await importText(report, "renamed.csv")).toEqual({ kind: "duplicate", importId: first.id });
    expect(await counts()).toEqual(before);
  });

  it("of a settlement reconciled from another file is refused at its first line of it", async () => {
    const before = await counts();
    const other = `${HEADER}\nS-OTHER,2026-12-01,FEE,,0.00,1.00,-1.00,NOK\n${S},2026-12-01,FEE,,0.00,2.00,-2.00,NOK\n`;
    await expect(importText(other)).rejects.toEqual(
      refused({
        kind: "invalid",
        errors: [
          fileError(
            expect.stringMatching(
              /^line 3, column 1 \(settlement_id\): settlement S-CATEGORIES is reconciled from report #\d+ already$/,
            ),
          ),
        ],
      }),
    );
    expect(await counts()).toEqual(before);
  });

  it("has each difference resolved once, with the reason, audited", async () => {
    const result = await settlementReconciliation(S, { kind: "AMOUNT_DIFFERS", openOnly: true });
    const [difference] = result!.differences;
    const caller = staffCaller({ reason: "Provider corrected the amount in the next report" });
    await resolveDifference(caller, { differenceId: difference.id });
    const after = await settlementReconciliation(S, { kind: "AMOUNT_DIFFERS", openOnly: false });
    expect(after!.differences[0]).toMatchObject({
      resolvedByEmail: "finance@paydesk.test",
      resolution: "Provider corrected the amount in the next report",
    });
    expect(after!.totals[0].differences.AMOUNT_DIFFERS).toEqual({ count: 1, open: 0, amount: "20.00000" });
    expect((await settlementReconciliation(S, { kind: "AMOUNT_DIFFERS", openOnly: true }))!.differences).toEqual([]);
    const [audit] = await database()
      .db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "reconciliation.resolve"), eq(auditLog.entityId, String(difference.id))));
    expect(audit).toMatchObject({ reason: "Provider corrected the amount in the next report" });
    await expect(resolveDifference(caller, { differenceId: difference.id })).rejects.toEqual(
      refused({ kind: "conflict" }),
    );
    await expect(resolveDifference(caller, { differenceId: 999_999 })).rejects.toEqual(refused({ kind: "not_found" }));
  });
});

describe("matching again", () => {
  const S = "S-MATCH-AGAIN";
  const report = [
    HEADER,
    `${S},2026-12-01,CAPTURE,610000000001,80.00,0.80,79.20,NOK`, // 2: matched at import
    `${S},2026-12-01,CAPTURE,610000000002,45.00,0.45,44.55,NOK`, // 3: arrives later, same amount
    `${S},2026-12-01,CAPTURE,610000000003,60.00,0.60,59.40,NOK`, // 4: arrives later as 55.00
    `${S},2026-12-02,CHARGEBACK,610000000002,-45.00,15.00,-60.00,NOK`, // 5: of line 3's capture
    `${S},2026-12-01,CAPTURE,610000000004,10.00,0.10,9.90,NOK`, // 6: never arrives
    `${S},2026-12-01,CAPTURE,610000000005,12.00,0.12,11.88,NOK`, // 7: resolved by a person first
  ].join("\n");
  const finance = staffCaller({ reason: "The late payments are in" });

  const differenceOf = async (reference: string, type: "CAPTURE" | "CHARGEBACK" = "CAPTURE") =>
    (
      await database()
        .db.select()
        .from(reconciliationDifferences)
        .where(and(eq(reconciliationDifferences.reference, reference), eq(reconciliationDifferences.type, type)))
    )[0];
  const matchedCount = async () =>
    (await database().db.select().from(reconciliationTotals).where(eq(reconciliationTotals.settlementId, S)))[0]
      .matchedCount;
  const matchAgainAudits = () =>
    database().db.select().from(auditLog).where(eq(auditLog.action, "reconciliation.match-again"));

  beforeAll(async () => {
    await captured(S, "80.00", { rrn: "610000000001" });
    expect((await importText(report, "late.csv")).kind).toBe("imported");
  });

  it("changes nothing while Paydesk still has nothing for the missing lines", async () => {
    expect(await matchAgain(finance, { settlementId: S })).toEqual({
      matched: 0,
      amountDiffers: 0,
      chargebacksOpened: 0,
    });
    expect(await matchedCount()).toBe(1);
    expect(await matchAgainAudits()).toEqual([]);
  });

  it("matches a line whose payment arrived, names it, opens its chargeback; an amount found different stays open", async () => {
    const same = await captured(S, "45.00", { rrn: "610000000002" });
    const other = await captured(S, "55.00", { rrn: "610000000003" });
    await captured(S, "12.00", { rrn: "610000000005" });
    const byPerson = await differenceOf("610000000005");
    await resolveDifference(staffCaller({ reason: "Booked by hand" }), { differenceId: byPerson.id });

    expect(await matchAgain(finance, { settlementId: S })).toEqual({
      matched: 2,
      amountDiffers: 1,
      chargebacksOpened: 1,
    });
    expect(await differenceOf("610000000002")).toMatchObject({
      kind: "MISSING_IN_PAYDESK",
      paymentId: same.paymentId,
      transactionId: same.transactionId,
      paydeskAmount: "45.00000",
      resolvedByEmail: finance.email,
      resolution: expect.stringContaining(`payment ${same.paymentId}`),
    });
    expect(await differenceOf("610000000003")).toMatchObject({
      kind: "AMOUNT_DIFFERS",
      paymentId: other.paymentId,
      providerAmount: "60.00000",
      paydeskAmount: "55.00000",
      difference: "5.00000",
      resolvedAt: null,
    });
    const chargeback = await differenceOf("610000000002", "CHARGEBACK");
    expect(chargeback.resolvedAt).not.toBeNull();
    const [opened] = await database()
      .db.select()
      .from(chargebacks)
      .where(eq(chargebacks.transactionId, same.transactionId));
    expect(opened).toMatchObject({ status: "OPEN", amount: "45.00000", source: "REPORT" });
    // Still missing, and resolved by a person: as they were.
    expect(await differenceOf("610000000004")).toMatchObject({
      kind: "MISSING_IN_PAYDESK",
      resolvedAt: null,
      paymentId: null,
    });
    expect(await differenceOf("610000000005")).toMatchObject({ resolution: "Booked by hand", paymentId: null });
    expect(await matchedCount()).toBe(3);
    const audits = await matchAgainAudits();
    expect(audits.map((a) => Number(a.entityId)).sort()).toEqual(
      [(await differenceOf("610000000002")).id, (await differenceOf("610000000003")).id, chargeback.id].sort(),
    );
    expect(audits.every((a) => a.actorEmail === finance.email && a.reason === "The late payments are in")).toBe(true);
  });

  it("a second time changes nothing, not even the audit log", async () => {
    const before = { audit: (await counts()).audit, matched: await matchedCount() };
    expect(await matchAgain(finance, { settlementId: S })).toEqual({
      matched: 0,
      amountDiffers: 0,
      chargebacksOpened: 0,
    });
    expect({ audit: (await counts()).audit, matched: await matchedCount() }).toEqual(before);
  });

  it("is refused for a settlement no report reconciled", async () => {
    await expect(matchAgain(finance, { settlementId: "S-NEVER-REPORTED" })).rejects.toMatchObject({
      kind: "not_found",
    });
  });
});

describe("a bad file", () => {
  it.each([
    [
      "a wrong amount",
      `${HEADER}\nB-1,2026-12-01,FEE,,0.00,1.00,-1.00,NOK\nB-1,2026-12-01,CAPTURE,r-1,12.5.0,0,12.50,NOK\n`,
      "line 3, column 5 (gross_amount): must be a decimal amount",
    ],
    ["a wrong header", "settlement,date\n", "line 1, column 1 (settlement_id): the header must be"],
    ["no lines", `${HEADER}\n`, "line 2: the report has no lines"],
    ["nothing", "", "line 1: the file is empty"],
    [
      "a reference twice",
      `${HEADER}\nB-2,2026-12-01,CAPTURE,r-1,1.00,0,1.00,NOK\nB-2,2026-12-01,REFUND,r-1,-1.00,0,-1.00,NOK\nB-2,2026-12-01,CAPTURE,r-1,1.00,0,1.00,NOK\n`,
      "line 4, column 4 (reference): the same type and reference are on line 2 already",
    ],
  ])("with %s is refused by line and column, and nothing is kept", async (_, text, message) => {
    const before = await counts();
    await expect(importText(text)).rejects.toEqual(
      refused({ kind: "invalid", errors: [fileError(expect.stringContaining(message))] }),
    );
    expect(await counts()).toEqual(before);
  });

  it("that goes wrong after thousands of lines keeps none of them", async () => {
    const before = await counts();
    const lines = Array.from({ length: 12_000 }, (_, i) => `B-3,2026-12-01,CAPTURE,ref-${i},1.00,0,1.00,NOK`);
    lines.push("B-3,2026-12-01,CAPTURE,ref-last,1.00,0,1.00,EURO");
    await expect(importText(`${HEADER}\n${lines.join("\n")}\n`)).rejects.toEqual(
      refused({
        errors: [fileError("line 12002, column 8 (currency): must be an ISO 4217 code such as NOK")],
      }),
    );
    expect(await counts()).toEqual(before);
  });
});

describe("an upload in progress", () => {
  it("shows how far it is read, and none of its lines before the whole file is in", async () => {
    const token = `test-progress-token-${Date.now()}`;
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
    const encoder = new TextEncoder();
    async function* content() {
      yield encoder.encode(`${HEADER}\n`);
      for (let i = 0; i < 6_000; i++) yield encoder.encode(`P-1,2026-12-01,FEE,,0.00,1.00,-1.00,NOK\n`);
      reachedPause();
      await paused;
      yield encoder.encode(`P-1,2026-12-01,FEE,,0.00,1.00,-1.00,NOK\n`);
    }
    const running = importSettlementReport(staffCaller(), {
      fileName: "slow.csv",
      uploadToken: token,
      content: content(),
    });
    await atPause;
    expect(await importProgress(token)).toMatchObject({ status: "RUNNING", linesRead: 5_000 });
    expect((await listReportImports()).map((row) => row.fileName)).not.toContain("slow.csv");
    expect(await settlementReconciliation("P-1", { kind: null, openOnly: true })).toBeNull();
    release();
    expect(await running).toMatchObject({ kind: "imported", lines: 6_001 });
    expect(await importProgress(token)).toMatchObject({ status: "DONE", linesRead: 6_001 });
    expect((await settlementReconciliation("P-1", { kind: null, openOnly: true }))!.totals[0].fees).toBe("6001.00000");
  });
});
