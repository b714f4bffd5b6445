// The chargeback use-cases in-process: opening one holds its amount (creditable drops), WON gives
// it back, LOST keeps it and lowers net volume in the rollup; credits and chargebacks together
// never exceed what was captured, also when they race (real concurrency on PostgreSQL).
import { and, eq, sql } from "drizzle-orm";
import { auditLog, chargebacks, dailyVolume } from "../../../db/schema";
import { money, type Money } from "../../domain/money";
import { capturedCardPayment } from "../../../tests/support/money-path";
import { refused, transactionRowIn, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { staffCaller, systemCaller } from "../../../tests/support/use-case";
import { usingServer } from "../../../tests/support/database";
import { inTransaction } from "../../platform/transaction.server";
import { getPayment } from "../queries/payment-view.server";
import { createCredit } from "../credits/credits.server";
import { decideChargeback, openChargeback, openChargebackLocked, updateChargebackEvidence } from "./chargebacks.server";

const { database, shop, otherShop } = useTwoShops();
const finance = staffCaller({ reason: "Scheme notice 4711" });

type Ids = { paymentId: number; transactionId: number };

const creditableOf = async (ids: Ids) =>
  (await getPayment(shop, { paymentId: ids.paymentId })).transactions.find(
    (t) => t.transactionId === ids.transactionId,
  )!.summary.creditableAmount;

const open = (ids: Ids, amount: string, caller = finance) =>
  openChargeback(caller, { ...ids, amount: money(amount), reasonCode: "10.4", dueDate: "2027-01-15" });

const rowOf = async (chargebackId: number) =>
  (await database().db.select().from(chargebacks).where(eq(chargebacks.chargebackId, chargebackId)))[0];

const auditsOf = (chargebackId: number) =>
  database()
    .db.select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "chargeback"), eq(auditLog.entityId, String(chargebackId))));

describe("openChargeback", () => {
  it("holds its amount on a captured transaction: creditable drops, the audit log has it", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const { chargebackId } = await open(a, "40");
    expect(await rowOf(chargebackId)).toMatchObject({
      status: "OPEN",
      amount: "40.00000",
      currency: "NOK",
      source: "MANUAL",
      reasonCode: "10.4",
      dueDate: "2027-01-15",
      reportLineId: null,
      createdByStaffUserId: finance.userId,
    });
    expect(await creditableOf(a)).toBe(money("60"));
    expect((await transactionRowIn(database(), a.transactionId)).chargedBackAmount).toBe("40.00000");
    expect(await auditsOf(chargebackId)).toEqual([
      expect.objectContaining({ action: "chargeback.open", reason: "Scheme notice 4711" }),
    ]);
  });

  it("refuses more than credits and chargebacks leave, another currency, a bad due date; nothing changes", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    await createCredit(shop, { totalCreditAmount: money("30"), creditTransactions: [{ ...a, amount: money("30") }] });
    await open(a, "50");
    await expect(open(a, "20.01")).rejects.toThrow(
      refused({ kind: "rule", errors: [expect.objectContaining({ field: "amount" })] }),
    );
    await expect(
      openChargeback(finance, { ...a, amount: money("1"), currency: "SEK", reasonCode: "10.4" }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "currency" })] }));
    await expect(
      openChargeback(finance, { ...a, amount: money("1"), reasonCode: "10.4", dueDate: "2027-02-30" }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "dueDate" })] }));
    expect(await creditableOf(a)).toBe(money("20"));
    // A credit may not take what the chargeback holds either.
    await expect(
      createCredit(shop, { totalCreditAmount: money("20.01"), creditTransactions: [{ ...a, amount: money("20.01") }] }),
    ).rejects.toThrow(refused({ kind: "rule" }));
  });

  it("needs a captured transaction the caller may see", async () => {
    const a = await capturedCardPayment(shop, "10.00");
    await expect(open({ ...a, transactionId: a.transactionId + 100000 }, "1")).rejects.toThrow(
      refused({ kind: "not_found" }),
    );
    await expect(openChargeback(otherShop, { ...a, amount: money("1"), reasonCode: "x" })).rejects.toThrow(
      refused({ kind: "not_found" }),
    );
  });

  it("opens inside a caller's transaction for a report line, finding the payment itself", async () => {
    const a = await capturedCardPayment(shop, "80.00");
    const id = await inTransaction((tx) =>
      openChargebackLocked(tx, systemCaller("settlement-report"), {
        transactionId: a.transactionId,
        amount: money("80"),
        reasonCode: "4837",
        source: "REPORT",
        reportLineId: 991,
      }),
    );
    expect(await rowOf(id)).toMatchObject({ paymentId: a.paymentId, source: "REPORT", reportLineId: 991 });
    expect(await creditableOf(a)).toBe(money("0"));
  });
});

describe("decideChargeback", () => {
  const volumeOf = async (paymentId: number) => {
    const payment = await getPayment(shop, { paymentId });
    const [row] = await database()
      .db.select({
        chargedBack: sql<string>`coalesce(sum(${dailyVolume.chargedBackAmount}), 0)::text`,
        count: sql<number>`coalesce(sum(${dailyVolume.chargedBackCount}), 0)::int`,
      })
      .from(dailyVolume)
      .where(eq(dailyVolume.organisationId, payment.organisationId));
    return { chargedBack: money(row.chargedBack), count: row.count };
  };

  it("WON gives the amount back; nothing moves in the rollup", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const before = await volumeOf(a.paymentId);
    const { chargebackId } = await open(a, "25");
    await decideChargeback(finance, { chargebackId, outcome: "WON" });
    expect(await rowOf(chargebackId)).toMatchObject({ status: "WON", decisionReason: "Scheme notice 4711" });
    expect(await creditableOf(a)).toBe(money("100"));
    expect(await volumeOf(a.paymentId)).toEqual(before);
  });

  it("LOST keeps the amount taken and adds it to the day's charged-back volume, once", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const before = await volumeOf(a.paymentId);
    const { chargebackId } = await open(a, "25.50");
    await decideChargeback(finance, { chargebackId, outcome: "LOST" });
    expect(await creditableOf(a)).toBe(money("74.5"));
    expect(await volumeOf(a.paymentId)).toEqual({
      chargedBack: (before.chargedBack + money("25.5")) as Money,
      count: before.count + 1,
    });
    await expect(decideChargeback(finance, { chargebackId, outcome: "WON" })).rejects.toThrow(
      refused({ kind: "conflict" }),
    );
    expect((await auditsOf(chargebackId)).map((a) => a.action).sort()).toEqual([
      "chargeback.decide",
      "chargeback.open",
    ]);
  });
});

describe("updateChargebackEvidence", () => {
  it("changes notes, evidence and due date of an OPEN chargeback only", async () => {
    const a = await capturedCardPayment(shop, "50.00");
    const { chargebackId } = await open(a, "10");
    await updateChargebackEvidence(finance, {
      chargebackId,
      notes: "Customer says never arrived",
      evidence: "Delivery receipt 8812 signed",
      dueDate: "2027-02-01",
    });
    expect(await rowOf(chargebackId)).toMatchObject({
      notes: "Customer says never arrived",
      evidence: "Delivery receipt 8812 signed",
      dueDate: "2027-02-01",
    });
    await updateChargebackEvidence(finance, { chargebackId, dueDate: null });
    expect(await rowOf(chargebackId)).toMatchObject({ dueDate: null, notes: "Customer says never arrived" });
    await decideChargeback(finance, { chargebackId, outcome: "LOST" });
    await expect(updateChargebackEvidence(finance, { chargebackId, notes: "late" })).rejects.toThrow(
      refused({ kind: "conflict" }),
    );
    expect((await auditsOf(chargebackId)).filter((a) => a.action === "chargeback.evidence")).toHaveLength(2);
  });
});

describe(`credits and chargebacks racing on one transaction (${usingServer() ? "PostgreSQL, concurrent" : "PGlite, serialised"})`, () => {
  it("never take together more than was captured", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await capturedCardPayment(shop, "100.00");
      // Each alone fits; any two together do not.
      const outcomes = await Promise.allSettled([
        createCredit(shop, { totalCreditAmount: money("60"), creditTransactions: [{ ...a, amount: money("60") }] }),
        open(a, "60"),
        open(a, "55"),
        createCredit(shop, { totalCreditAmount: money("51"), creditTransactions: [{ ...a, amount: money("51") }] }),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ kind: "rule" });
      const row = await transactionRowIn(database(), a.transactionId);
      const taken = money(row.creditedAmount) + money(row.reservedAmount) + money(row.chargedBackAmount);
      expect(taken).toBeLessThanOrEqual(money(row.capturedAmount));
    }
  });
});
