// Bulk credits in-process: the preview writes nothing and says what the run will do; the run
// creates one credit per payment (executed, or waiting for a second person above the four-eyes
// threshold, or for finance when the caller may not execute), records each, and a repeated or
// concurrent confirm of the same run creates nothing twice; a plan that moved is refused whole.
import { eq, sql } from "drizzle-orm";
import { auditLog, bulkCreditRuns, credits } from "../../../db/schema";
import { parsePercentage, type BulkAmountRule } from "../../domain/bulk-credit";
import { money } from "../../domain/money";
import { capturedCardPayment } from "../../../tests/support/money-path";
import { refused, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { staffCaller } from "../../../tests/support/use-case";
import { getBulkCreditRun, previewBulkCredit, runBulkCredit } from "./bulk-credits.server";
import { createCredit } from "./credits.server";

const { database, shop, otherShop } = useTwoShops();
const finance = staffCaller({ userId: "00000000-0000-0000-0000-0000000000f1", reason: "Cancelled departures" });
const support = staffCaller({ userId: "00000000-0000-0000-0000-0000000000f2", reason: "Cancelled departures" });
const half = (parsePercentage("50") as { ok: true; rule: BulkAmountRule }).rule;

const creditCount = async () =>
  (
    await database()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(credits)
  )[0].n;

describe("previewBulkCredit", () => {
  it("plans a credit per payment with totals and skips, and writes nothing", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const b = await capturedCardPayment(shop, "30000.00");
    const other = await capturedCardPayment(otherShop, "10.00");
    const before = await creditCount();
    const preview = await previewBulkCredit(finance, {
      paymentIds: [a.paymentId, b.paymentId, other.paymentId, 987654],
      rule: half,
      execute: true,
    });
    expect(preview.plan.totals).toEqual([{ currency: "NOK", count: 2, total: money("15050.00") }]);
    expect(preview.plan.items.filter((i) => i.kind === "skip").map((i) => i.paymentId)).toEqual([
      other.paymentId,
      987654,
    ]);
    expect(preview.awaitingSecondPerson).toEqual([b.paymentId]);
    expect(preview.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await creditCount()).toBe(before);
  });

  it("refuses an empty or too large selection", async () => {
    await expect(previewBulkCredit(finance, { paymentIds: [], rule: half, execute: true })).rejects.toThrow(
      refused({ kind: "invalid", errors: [expect.objectContaining({ field: "paymentIds" })] }),
    );
    const many = Array.from({ length: 201 }, (_, i) => i + 1);
    await expect(previewBulkCredit(finance, { paymentIds: many, rule: half, execute: true })).rejects.toThrow(
      refused({ kind: "invalid", message: expect.stringContaining("at most 200") }),
    );
  });
});

describe("runBulkCredit", () => {
  it("creates and executes each credit, keeps one above the threshold for a second person, and reports it", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const b = await capturedCardPayment(shop, "40.00");
    const big = await capturedCardPayment(shop, "30000.00");
    const input = { paymentIds: [a.paymentId, b.paymentId, big.paymentId], rule: half, execute: true };
    const preview = await previewBulkCredit(finance, input);
    await runBulkCredit(finance, { ...input, runId: preview.runId, fingerprint: preview.fingerprint });

    const report = await getBulkCreditRun(finance, { runId: preview.runId });
    expect(report).toMatchObject({ reason: "Cancelled departures", amountRule: "50", finishedAt: expect.any(Date) });
    expect(report.items).toEqual([
      expect.objectContaining({ paymentId: a.paymentId, outcome: "executed", amount: money("50.00") }),
      expect.objectContaining({ paymentId: b.paymentId, outcome: "executed", amount: money("20.00") }),
      expect.objectContaining({
        paymentId: big.paymentId,
        outcome: "awaiting_second_person",
        amount: money("15000.00"),
        message: expect.stringContaining("four-eyes"),
        say: { key: "errors.fourEyes" },
      }),
    ]);
    const creditIds = report.items.map((i) => i.creditId!);
    const rows = await database()
      .db.select()
      .from(credits)
      .where(sql`${credits.creditId} in ${creditIds}`);
    expect(rows.map((r) => [r.status, r.reason])).toEqual(
      expect.arrayContaining([
        ["CREDITED", "Cancelled departures"],
        ["CREATED", "Cancelled departures"],
      ]),
    );
    // The run and every credit are in the audit log.
    const audit = await database()
      .db.select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.correlationId, finance.correlationId));
    expect(audit.filter((e) => e.action === "credit.bulk")).toHaveLength(1);
    expect(audit.filter((e) => e.action === "credit.create").length).toBeGreaterThanOrEqual(3);
  });

  it("a repeated or concurrent confirm of the same run creates nothing twice", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const b = await capturedCardPayment(shop, "60.00");
    const input = { paymentIds: [a.paymentId, b.paymentId], rule: { kind: "full" } as const, execute: false };
    const preview = await previewBulkCredit(support, input);
    const confirm = { ...input, runId: preview.runId, fingerprint: preview.fingerprint };
    const before = await creditCount();
    await Promise.all([runBulkCredit(support, confirm), runBulkCredit(support, confirm)]);
    await runBulkCredit(support, confirm);
    expect(await creditCount()).toBe(before + 2);
    const report = await getBulkCreditRun(support, { runId: preview.runId });
    // Support may not execute: the credits reserve their amounts and wait for finance.
    expect(report.items.map((i) => i.outcome)).toEqual(["created", "created"]);
  });

  it("refuses the whole run when a payment changed since the preview, and writes nothing", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const b = await capturedCardPayment(shop, "100.00");
    const input = { paymentIds: [a.paymentId, b.paymentId], rule: half, execute: true };
    const preview = await previewBulkCredit(finance, input);
    await createCredit(shop, { totalCreditAmount: money("10"), creditTransactions: [{ ...b, amount: money("10") }] });
    const before = await creditCount();
    await expect(
      runBulkCredit(finance, { ...input, runId: preview.runId, fingerprint: preview.fingerprint }),
    ).rejects.toThrow(refused({ kind: "conflict", message: expect.stringContaining("changed since the preview") }));
    expect(await creditCount()).toBe(before);
    expect(await database().db.select().from(bulkCreditRuns).where(eq(bulkCreditRuns.runId, preview.runId))).toEqual(
      [],
    );
  });

  it("a run id is its starter's", async () => {
    const a = await capturedCardPayment(shop, "10.00");
    const input = { paymentIds: [a.paymentId], rule: half, execute: false };
    const preview = await previewBulkCredit(support, input);
    const confirm = { ...input, runId: preview.runId, fingerprint: preview.fingerprint };
    await runBulkCredit(support, confirm);
    await expect(runBulkCredit(finance, confirm)).rejects.toThrow(refused({ kind: "conflict" }));
  });
});
