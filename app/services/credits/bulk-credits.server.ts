// Bulk credits from the payments list (docs/decisions/041). A preview plans one credit per
// selected payment (app/domain/bulk-credit.ts) from what the payments are now and gives the run
// an id; the confirm plans again, refuses if the plan moved, then creates each credit with
// createCredit in its own DB transaction (one refusal does not undo the others) together with the
// run's record of it, so a repeated confirm of the same run never credits a payment twice. A
// caller allowed to execute credits executes each one after its transaction, unless the four-eyes
// rule keeps it for a second staff user.
import { createHash, randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { bulkCreditItems, bulkCreditRuns, paymentTransactions, payments, staffUsers } from "../../../db/schema";
import {
  bulkCreditPlanText,
  describeAmountRule,
  MAX_BULK_PAYMENTS,
  planBulkCredit,
  type BulkAmountRule,
  type BulkCreditCandidate,
  type BulkCreditPlan,
  type PlannedCredit,
} from "../../domain/bulk-credit";
import type { StaffCaller } from "../../domain/caller";
import { conflict, DomainError, invalid, notFound, REASON_KEYS, type Say } from "../../domain/errors";
import { fourEyesExecutor, fourEyesRefusal } from "../../domain/four-eyes";
import { money, toDbAmount, type Money } from "../../domain/money";
import { amountsOf, creditableAmount } from "../../domain/transaction";
import { auditStaffAction } from "../../platform/audit.server";
import { db } from "../../platform/db.server";
import { tenantCondition } from "../../platform/tenancy.server";
import { inTransaction } from "../../platform/transaction.server";
import { createCreditIn, executeCreditUnlessFourEyes } from "./credits.server";
import { readFourEyesThresholds } from "./four-eyes-thresholds.server";

export type BulkCreditInput = {
  paymentIds: number[];
  rule: BulkAmountRule;
  /** Whether the caller may execute credits (finance, admin): each is executed unless four eyes hold it. */
  execute: boolean;
};

export type BulkCreditPreview = {
  runId: string;
  fingerprint: string;
  plan: BulkCreditPlan;
  /** Payments whose credit would wait for a second staff user (above the four-eyes threshold). */
  awaitingSecondPerson: number[];
};

/** The payments of the selection the caller can see, with what each transaction can still give back. */
async function candidatesOf(caller: StaffCaller, paymentIds: number[]): Promise<Map<number, BulkCreditCandidate>> {
  const database = db();
  const found = await database
    .select({ paymentId: payments.paymentId, organisationId: payments.organisationId, currency: payments.currency })
    .from(payments)
    .where(and(inArray(payments.paymentId, paymentIds), tenantCondition(caller)));
  const transactions = found.length
    ? await database
        .select()
        .from(paymentTransactions)
        .where(
          inArray(
            paymentTransactions.paymentId,
            found.map((p) => p.paymentId),
          ),
        )
        .orderBy(asc(paymentTransactions.transactionId))
    : [];
  return new Map(
    found.map((payment) => [
      payment.paymentId,
      {
        ...payment,
        transactions: transactions
          .filter((t) => t.paymentId === payment.paymentId)
          .map((t) => ({
            transactionId: t.transactionId,
            status: t.status,
            creditable: creditableAmount(amountsOf(t)),
          })),
      },
    ]),
  );
}

/** @throws invalid  no payment, or more than MAX_BULK_PAYMENTS */
function requireSelection(paymentIds: number[]): void {
  if (!paymentIds.length)
    throw invalid("paymentIds", "choose at least one payment", { key: "errors.form.atLeastOnePayment" });
  if (new Set(paymentIds).size > MAX_BULK_PAYMENTS)
    throw invalid("paymentIds", `at most ${MAX_BULK_PAYMENTS} payments can be credited in one step`, {
      key: "errors.form.tooManyPayments",
      values: { max: MAX_BULK_PAYMENTS },
    });
}

const fingerprintOf = (plan: BulkCreditPlan) =>
  createHash("sha256").update(bulkCreditPlanText(plan)).digest("base64url");

async function planFor(caller: StaffCaller, input: BulkCreditInput) {
  requireSelection(input.paymentIds);
  const plan = planBulkCredit(input.paymentIds, await candidatesOf(caller, input.paymentIds), input.rule);
  return { plan, fingerprint: fingerprintOf(plan) };
}

/**
 * What a bulk credit of the selection would create, what it skips and why, and totals per
 * currency; nothing is written. The run id identifies the confirm of this preview.
 * @throws invalid  no payment, or too many
 */
export async function previewBulkCredit(caller: StaffCaller, input: BulkCreditInput): Promise<BulkCreditPreview> {
  const { plan, fingerprint } = await planFor(caller, input);
  const thresholds = await readFourEyesThresholds(db());
  const awaitingSecondPerson = input.execute
    ? plan.items
        .filter((item): item is PlannedCredit => item.kind === "credit")
        .filter((item) => holdsForSecondPerson(caller, item, thresholds))
        .map((item) => item.paymentId)
    : [];
  return { runId: randomUUID(), fingerprint, plan, awaitingSecondPerson };
}

function holdsForSecondPerson(
  caller: StaffCaller,
  item: PlannedCredit,
  thresholds: Awaited<ReturnType<typeof readFourEyesThresholds>>,
) {
  const credit = { totalCreditAmount: item.total, currency: item.currency, createdByStaffUserId: caller.userId };
  return fourEyesRefusal(credit, fourEyesExecutor(caller), thresholds) !== null;
}

/**
 * Runs a previewed bulk credit: one credit per planned payment, each in its own DB transaction
 * with the run's record of it, then executed if the caller may. Repeating it (same run id) does
 * not create anything again: it answers the run.
 * @throws invalid   no payment, or too many; no reason
 * @throws conflict  the plan changed since the preview; the run id is another user's
 */
export async function runBulkCredit(
  caller: StaffCaller,
  input: BulkCreditInput & { runId: string; fingerprint: string },
): Promise<{ runId: string }> {
  const { runId } = input;
  if (!caller.reason)
    throw invalid("reason", "is required: say why, it goes to the audit log", { key: "errors.form.reasonRequired" });
  const [existing] = await db().select().from(bulkCreditRuns).where(eq(bulkCreditRuns.runId, runId));
  if (existing) {
    if (existing.staffUserId !== caller.userId)
      throw conflict("This bulk credit was started by someone else", undefined, {
        key: "errors.bulk.startedBySomeoneElse",
      });
    // A repeat (double click, reload): finish what a first attempt may have left, create nothing twice.
  }
  const { plan, fingerprint } = await planFor(caller, input);
  if (!existing && fingerprint !== input.fingerprint) {
    throw conflict(
      "The selected payments changed since the preview (a capture, a credit or a reservation in between); nothing was credited. Look at the new preview and confirm again.",
      undefined,
      { key: "errors.bulk.changedSincePreview" },
    );
  }
  if (!existing) await startRun(caller, input, plan);
  for (const item of plan.items) {
    if (item.kind === "skip") {
      await recordOutcome(runId, item.paymentId, { outcome: "skipped", message: item.reason, say: item.say });
      continue;
    }
    await creditOne(caller, runId, item, input.execute);
  }
  await db().update(bulkCreditRuns).set({ finishedAt: new Date() }).where(eq(bulkCreditRuns.runId, runId));
  return { runId };
}

/** The run's row and its audit entry (the credits get theirs from createCredit). */
async function startRun(caller: StaffCaller, input: BulkCreditInput & { runId: string }, plan: BulkCreditPlan) {
  await inTransaction(async (tx) => {
    const inserted = await tx
      .insert(bulkCreditRuns)
      .values({
        runId: input.runId,
        staffUserId: caller.userId,
        reason: caller.reason!,
        amountRule: describeAmountRule(input.rule),
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted.length) return; // a concurrent confirm of the same run started it
    await auditStaffAction(tx, caller, {
      action: "credit.bulk",
      entityType: "bulk_credit_run",
      entityId: input.runId,
      after: {
        amountRule: describeAmountRule(input.rule),
        organisationId: plan.organisationId,
        paymentIds: plan.items.map((i) => i.paymentId),
        credits: plan.items.filter((i) => i.kind === "credit").length,
      },
    });
  });
}

type Outcome = {
  outcome: (typeof bulkCreditItems.$inferInsert)["outcome"];
  message?: string | null;
  /** `message` as a locale key, for the report's reader. */
  say?: Say | null;
  creditId?: number;
  currency?: string;
  amount?: Money;
};

/** Records what became of a payment unless the run has a record of it already. */
async function recordOutcome(runId: string, paymentId: number, outcome: Outcome) {
  await db()
    .insert(bulkCreditItems)
    .values({ runId, paymentId, ...outcomeColumns(outcome) })
    .onConflictDoNothing();
}

const outcomeColumns = (outcome: Outcome) => ({
  outcome: outcome.outcome,
  message: outcome.message ?? null,
  say: outcome.say ?? null,
  creditId: outcome.creditId ?? null,
  currency: outcome.currency ?? null,
  amount: outcome.amount === undefined ? null : toDbAmount(outcome.amount),
});

/**
 * One payment's credit: created in one DB transaction with the run's record of it (the record's
 * key, run and payment, makes a second attempt skip it, also a concurrent one, which waits on the
 * first's insert), executed after that transaction if the caller may.
 */
async function creditOne(caller: StaffCaller, runId: string, item: PlannedCredit, execute: boolean) {
  let creditId: number | null;
  try {
    creditId = await inTransaction(async (tx) => {
      const claimed = await tx
        .insert(bulkCreditItems)
        .values({
          runId,
          paymentId: item.paymentId,
          outcome: "created",
          currency: item.currency,
          amount: toDbAmount(item.total),
        })
        .onConflictDoNothing()
        .returning();
      if (!claimed.length) return null;
      const credit = await createCreditIn(tx, caller, {
        totalCreditAmount: item.total,
        creditTransactions: item.lines,
        reason: caller.reason,
      });
      await tx
        .update(bulkCreditItems)
        .set({ creditId: credit.creditId })
        .where(and(eq(bulkCreditItems.runId, runId), eq(bulkCreditItems.paymentId, item.paymentId)));
      return credit.creditId;
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await recordOutcome(runId, item.paymentId, { outcome: "refused", message: error.message, say: sayOf(error) });
    return;
  }
  if (creditId === null || !execute) return;
  const update = (outcome: Outcome) =>
    db()
      .update(bulkCreditItems)
      .set({
        outcome: outcome.outcome,
        message: outcome.message ?? null,
        say: outcome.say ?? null,
        updatedAt: new Date(),
      })
      .where(and(eq(bulkCreditItems.runId, runId), eq(bulkCreditItems.paymentId, item.paymentId)));
  try {
    const execution = await executeCreditUnlessFourEyes(caller, { creditId });
    await update(
      execution.kind === "executed"
        ? { outcome: "executed" }
        : {
            outcome: "awaiting_second_person",
            message: execution.reason,
            say: { key: REASON_KEYS.FOUR_EYES_REQUIRED! },
          },
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await update({ outcome: "execution_failed", message: error.message, say: sayOf(error) });
  }
}

/** A refusal's locale key: its own, or its kind's for the refusals said alike to everyone. */
function sayOf(error: DomainError): Say | null {
  if (error.say) return error.say;
  const key = error.errorReason ? REASON_KEYS[error.errorReason] : undefined;
  return key ? { key } : null;
}

// ---------------------------------------------------------------- the report

export type BulkCreditReport = {
  runId: string;
  staffUserId: string;
  staffEmail: string | null;
  reason: string;
  amountRule: string;
  createdAt: Date;
  finishedAt: Date | null;
  items: {
    paymentId: number;
    outcome: Outcome["outcome"];
    creditId: number | null;
    currency: string | null;
    amount: Money | null;
    message: string | null;
    say: Say | null;
  }[];
};

/**
 * A bulk credit run and what became of each payment, by payment id.
 * @throws not_found  no such run
 */
export async function getBulkCreditRun(_caller: StaffCaller, input: { runId: string }): Promise<BulkCreditReport> {
  const database = db();
  const [run] = await database
    .select({ run: bulkCreditRuns, staffEmail: staffUsers.email })
    .from(bulkCreditRuns)
    .leftJoin(staffUsers, eq(staffUsers.id, bulkCreditRuns.staffUserId))
    .where(eq(bulkCreditRuns.runId, input.runId));
  if (!run) throw notFound("Bulk credit run", input.runId);
  const items = await database
    .select()
    .from(bulkCreditItems)
    .where(eq(bulkCreditItems.runId, input.runId))
    .orderBy(asc(bulkCreditItems.paymentId));
  return {
    ...run.run,
    staffEmail: run.staffEmail,
    items: items.map((item) => ({
      paymentId: item.paymentId,
      outcome: item.outcome,
      creditId: item.creditId,
      currency: item.currency,
      amount: item.amount === null ? null : money(item.amount),
      message: item.message,
      say: item.say,
    })),
  };
}
