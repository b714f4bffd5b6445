// Chargebacks: a card scheme disputes a captured transaction (docs/decisions/040). Opening one
// holds its amount on the transaction (charged_back_amount), so credits and chargebacks together
// never take more than was captured; WON gives the amount back, LOST keeps it and adds it to the
// day's charged-back volume, which lowers net volume on the dashboard and in settlements.
//
// Every change locks in the fixed order: the payment, its transactions (platform/locks), then the
// chargeback row. The hold, the rollup and the audit entry commit with the change.
import { and, eq } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { chargebacks, paymentTransactions } from "../../../db/schema";
import {
  chargedBackAfterDecision,
  movesVolume,
  requireChargeable,
  requireChargebackCurrency,
  requireDueDate,
  requireOpen,
} from "../../domain/chargeback";
import { tenantOf, type Caller } from "../../domain/caller";
import type { ChargebackOutcome, ChargebackSource } from "../../domain/enums";
import { notFound } from "../../domain/errors";
import { add, formatAmount, money, toDbAmount, type Money } from "../../domain/money";
import { amountsOf, creditableAmount } from "../../domain/transaction";
import { auditStaffAction } from "../../platform/audit.server";
import { lockPayment } from "../../platform/locks.server";
import { addToVolume } from "../../platform/operation-log.server";
import { inTransaction } from "../../platform/transaction.server";
import { touchPayment } from "../transactions/transactions.server";

export type NewChargeback = {
  transactionId: number;
  /** The transaction's payment; looked up from the transaction when absent. */
  paymentId?: number;
  amount: Money;
  /** Defaults to the transaction's currency; another one is refused. */
  currency?: string;
  reasonCode: string;
  /** YYYY-MM-DD: when evidence must reach the scheme. */
  dueDate?: string | null;
  notes?: string | null;
  evidence?: string | null;
  source?: ChargebackSource;
  /** The settlement-report line it came from (source REPORT). */
  reportLineId?: number | null;
};

type ChargebackRow = typeof chargebacks.$inferSelect;

/** What the audit log keeps of a chargeback. */
function audited(row: ChargebackRow) {
  return {
    paymentId: row.paymentId,
    transactionId: row.transactionId,
    amount: formatAmount(money(row.amount)),
    currency: row.currency,
    status: row.status,
    reasonCode: row.reasonCode,
    dueDate: row.dueDate,
    notes: row.notes,
    evidence: row.evidence,
    source: row.source,
    reportLineId: row.reportLineId,
  };
}

/**
 * Opens a chargeback inside the caller's DB transaction (a settlement-report import calls this for
 * each CHARGEBACK line; it must take the lines in ascending paymentId order, the fixed lock order).
 * Locks the payment and its transactions, holds the amount on the transaction and writes the
 * audit entry. Answers the chargeback's id.
 * @throws not_found  the payment or transaction is unknown, or another organisation's
 * @throws conflict   the transaction is not CAPTURED, or credits and chargebacks take it all
 * @throws rule       the amount exceeds what is left; another currency; a due date that is no day
 */
export async function openChargebackLocked(tx: Tx, caller: Caller, input: NewChargeback): Promise<number> {
  requireDueDate(input.dueDate);
  const paymentId = input.paymentId ?? (await paymentOfTransaction(tx, input.transactionId));
  const { payment, transactions } = await lockPayment(tx, caller, paymentId);
  const transaction = transactions.find((t) => t.transactionId === input.transactionId);
  if (!transaction) throw notFound("Transaction", input.transactionId);
  const currency = input.currency ?? transaction.currency;
  requireChargebackCurrency(currency, transaction.currency);
  const amounts = amountsOf(transaction);
  requireChargeable({
    transactionId: transaction.transactionId,
    status: transaction.status,
    creditable: creditableAmount(amounts),
    amount: input.amount,
  });
  const at = new Date();
  await tx
    .update(paymentTransactions)
    .set({ chargedBackAmount: toDbAmount(add(amounts.chargedBack, input.amount)), updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId));
  const [row] = await tx
    .insert(chargebacks)
    .values({
      organisationId: payment.organisationId,
      paymentId,
      transactionId: transaction.transactionId,
      amount: toDbAmount(input.amount),
      currency,
      reasonCode: input.reasonCode,
      dueDate: input.dueDate ?? null,
      notes: input.notes ?? null,
      evidence: input.evidence ?? null,
      source: input.source ?? "MANUAL",
      reportLineId: input.reportLineId ?? null,
      createdByStaffUserId: caller.kind === "staff" ? caller.userId : null,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await touchPayment(tx, paymentId, at);
  await auditStaffAction(tx, caller, {
    action: "chargeback.open",
    entityType: "chargeback",
    entityId: row.chargebackId,
    after: audited(row),
  });
  return row.chargebackId;
}

/** The payment a transaction belongs to, within what the caller may see. */
async function paymentOfTransaction(tx: Tx, transactionId: number): Promise<number> {
  const [row] = await tx
    .select({ paymentId: paymentTransactions.paymentId })
    .from(paymentTransactions)
    .where(eq(paymentTransactions.transactionId, transactionId));
  if (!row) throw notFound("Transaction", transactionId);
  return row.paymentId;
}

/**
 * Opens a chargeback on a captured transaction (finance enters one the scheme announced).
 * @throws see openChargebackLocked
 */
export async function openChargeback(caller: Caller, input: NewChargeback): Promise<{ chargebackId: number }> {
  return inTransaction(async (tx) => ({ chargebackId: await openChargebackLocked(tx, caller, input) }));
}

/**
 * Locks a chargeback after its payment and transactions (the fixed order).
 * @throws not_found  unknown, or another organisation's
 */
async function lockChargeback(tx: Tx, caller: Caller, chargebackId: number) {
  const organisationId = tenantOf(caller);
  const [peek] = await tx
    .select({ paymentId: chargebacks.paymentId })
    .from(chargebacks)
    .where(
      and(
        eq(chargebacks.chargebackId, chargebackId),
        organisationId === null ? undefined : eq(chargebacks.organisationId, organisationId),
      ),
    );
  if (!peek) throw notFound("Chargeback", chargebackId);
  const locked = await lockPayment(tx, caller, peek.paymentId);
  const [row] = await tx.select().from(chargebacks).where(eq(chargebacks.chargebackId, chargebackId)).for("update");
  return { ...locked, chargeback: row };
}

/**
 * Decides an OPEN chargeback: WON gives its amount back to the transaction; LOST keeps it taken
 * and adds it to the day's charged-back volume (net volume goes down). The reason is the staff
 * action's.
 * @throws not_found  unknown, or another organisation's
 * @throws conflict   already decided
 */
export async function decideChargeback(
  caller: Caller,
  input: { chargebackId: number; outcome: ChargebackOutcome },
): Promise<{ chargebackId: number }> {
  return inTransaction(async (tx) => {
    const { payment, transactions, chargeback } = await lockChargeback(tx, caller, input.chargebackId);
    requireOpen(chargeback);
    const transaction = transactions.find((t) => t.transactionId === chargeback.transactionId)!;
    const amount = money(chargeback.amount);
    const at = new Date();
    const chargedBack = chargedBackAfterDecision(input.outcome, amountsOf(transaction).chargedBack, amount);
    await tx
      .update(paymentTransactions)
      .set({ chargedBackAmount: toDbAmount(chargedBack), updatedAt: at })
      .where(eq(paymentTransactions.transactionId, transaction.transactionId));
    const [after] = await tx
      .update(chargebacks)
      .set({
        status: input.outcome,
        decidedAt: at,
        decidedByStaffUserId: caller.kind === "staff" ? caller.userId : null,
        decisionReason: caller.kind === "staff" ? caller.reason : null,
        updatedAt: at,
      })
      .where(eq(chargebacks.chargebackId, chargeback.chargebackId))
      .returning();
    if (movesVolume(input.outcome)) {
      await addToVolume(
        tx,
        {
          at,
          organisationId: payment.organisationId,
          currency: transaction.currency,
          paymentTypeGroup: transaction.paymentTypeGroup,
          paymentType: transaction.paymentType,
          settlementId: payment.settlementId,
        },
        "chargedBack",
        amount,
      );
    }
    await touchPayment(tx, payment.paymentId, at);
    await auditStaffAction(tx, caller, {
      action: "chargeback.decide",
      entityType: "chargeback",
      entityId: chargeback.chargebackId,
      before: audited(chargeback),
      after: audited(after),
    });
    return { chargebackId: chargeback.chargebackId };
  });
}

/**
 * Changes an OPEN chargeback's notes, evidence text and due date (a field left undefined stays;
 * null clears it). No money moves.
 * @throws not_found  unknown, or another organisation's
 * @throws conflict   already decided
 * @throws rule       a due date that is no day
 */
export async function updateChargebackEvidence(
  caller: Caller,
  input: { chargebackId: number; notes?: string | null; evidence?: string | null; dueDate?: string | null },
): Promise<{ chargebackId: number }> {
  requireDueDate(input.dueDate);
  return inTransaction(async (tx) => {
    const { chargeback } = await lockChargeback(tx, caller, input.chargebackId);
    requireOpen(chargeback);
    const [after] = await tx
      .update(chargebacks)
      .set({
        ...(input.notes !== undefined && { notes: input.notes }),
        ...(input.evidence !== undefined && { evidence: input.evidence }),
        ...(input.dueDate !== undefined && { dueDate: input.dueDate }),
        updatedAt: new Date(),
      })
      .where(eq(chargebacks.chargebackId, chargeback.chargebackId))
      .returning();
    await auditStaffAction(tx, caller, {
      action: "chargeback.evidence",
      entityType: "chargeback",
      entityId: chargeback.chargebackId,
      before: audited(chargeback),
      after: audited(after),
    });
    return { chargebackId: chargeback.chargebackId };
  });
}
