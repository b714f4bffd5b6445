// Credits: money going back to the customer, one credit transaction per payment
// transaction credited. A credit reserves its amounts when it is created, so that no two credits
// can together take more than was captured; executing it turns the reservation into a credit.
//
// Execution is sequential over the credit transactions. Each one is a REFUND provider operation
// (claim → ask → settle, platform/provider-operations.server.ts): CLAIMED in its own DB transaction
// (row locks, the four-eyes rule, a provider reference written), the provider asked with that
// reference, the outcome SETTLED under the payment's locks. A concurrent or retried execute, or
// the recovery job, finds the claim and asks the provider by the same reference, which answers
// with the first outcome: no credit transaction is ever refunded twice, even across a crash.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../../../db/client";
import {
  creditTransactions,
  credits,
  paymentMethods,
  paymentTransactions,
  providerOperations,
} from "../../../db/schema";
import type { CreditStatus, CreditTransactionStatus, PaymentTypeGroup } from "../../domain/enums";
import { DomainError, notFound, ruleBroken } from "../../domain/errors";
import {
  directCreditAmount,
  isFullyCredited,
  reimbursementChoice,
  requireCreditChangeable,
  requireCreditCurrency,
  requireCreditLines,
  requireExecutable,
  requireOneOrganisation,
  requireTotalIsSumOfLines,
  requireWithinCreditable,
} from "../../domain/credit";
import { fourEyesExecutor, fourEyesRefusal, fourEyesRequired, type FourEyesThresholds } from "../../domain/four-eyes";
import { add, formatAmount, money, subtract, toDbAmount, type Money } from "../../domain/money";
import { amountsOf, creditableAmount, statusAfterCredit } from "../../domain/transaction";
import { db } from "../../platform/db.server";
import { paymentProvider } from "../../providers/index.server";
import { auditStaffAction } from "../../platform/audit.server";
import { tenantOf, type Caller } from "../../domain/caller";
import { readFourEyesThresholds } from "./four-eyes-thresholds.server";
import { addToVolume, volumeKeyOf, appendOperation } from "../../platform/operation-log.server";
import { lockPayment, type LockedPayment } from "../../platform/locks.server";
import { getPayment, type PaymentRow, type PaymentView, type TransactionRow } from "../queries/payment-view.server";
import { auditedTransaction, touchPayment } from "../transactions/transactions.server";
import { inTransaction } from "../../platform/transaction.server";
import { currentIdempotencyKey } from "../../platform/idempotency.server";
import {
  insertClaim,
  runProviderOperation,
  type ClaimPlan,
  type Decline,
  type OperationAnswer,
  type OperationHandler,
  type OperationRow,
  type SettleContext,
  moneyAskOf,
} from "../../platform/provider-operations.server";

export type NewCreditLine = {
  paymentId: number;
  transactionId: number;
  amount: Money;
  reimbursementTypeGroup?: PaymentTypeGroup;
};

export type NewCredit = {
  orderId?: string | null;
  orderVersion?: number | null;
  totalCreditAmount: Money;
  currency?: string;
  settlementId?: string | null;
  customerNumber?: string | null;
  creditTransactions: NewCreditLine[];
  reason?: string | null;
};

export type CreditTransactionView = {
  creditTransactionId: number;
  paymentId: number;
  transactionId: number;
  amount: Money;
  status: CreditTransactionStatus;
  reimbursementMethod: string;
  reimbursementTypeGroup: string;
  rrn: string | null;
  creditedAt: Date | null;
  failureReason: string | null;
  /** When an execution claimed it; CREATED with a claim means "in progress" (or interrupted). */
  claimedAt: Date | null;
};

export type CreditView = {
  creditId: number;
  orderId: string | null;
  orderVersion: number | null;
  totalCreditAmount: Money;
  currency: string;
  active: boolean;
  status: CreditStatus;
  settlementId: string | null;
  customerNumber: string | null;
  organisationId: number;
  createdByStaffUserId: string | null;
  createdByClientId: string | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
  creditTransactions: CreditTransactionView[];
};

type CreditRow = typeof credits.$inferSelect;
type CreditTransactionRow = typeof creditTransactions.$inferSelect;

// ---------------------------------------------------------------- create

/**
 * Creates a credit of captured transactions and reserves its lines' amounts on them: the total
 * is the lines' sum, one organisation and currency, per transaction at most what is creditable.
 * @throws not_found  a payment or transaction is unknown or another organisation's
 * @throws invalid    no lines
 * @throws rule       the total is not the lines' sum; several organisations or currencies; more than creditable; a reimbursement the method does not allow
 */
export async function createCredit(caller: Caller, input: NewCredit): Promise<CreditView> {
  return inTransaction((tx) => createCreditIn(tx, caller, input));
}

/**
 * createCredit inside the caller's DB transaction, for a use-case that writes something of its
 * own in the same transaction (a bulk run's record of the credit). Same rules, same errors.
 */
export async function createCreditIn(tx: Tx, caller: Caller, input: NewCredit): Promise<CreditView> {
  const creditId = await createCreditLocked(
    tx,
    caller,
    input,
    await lockPaymentsOf(tx, caller, input.creditTransactions),
  );
  const credit = await readCredit(tx, caller, creditId);
  await auditStaffAction(tx, caller, {
    action: "credit.create",
    entityType: "credit",
    entityId: creditId,
    after: auditedCredit(credit),
  });
  return credit;
}

/** What the audit log keeps of a credit before and after a staff action. */
function auditedCredit(credit: CreditView) {
  return {
    status: credit.status,
    active: credit.active,
    totalCreditAmount: formatAmount(credit.totalCreditAmount),
    currency: credit.currency,
    settlementId: credit.settlementId,
    creditTransactions: credit.creditTransactions.map((l) => ({
      creditTransactionId: l.creditTransactionId,
      paymentId: l.paymentId,
      transactionId: l.transactionId,
      amount: formatAmount(l.amount),
      status: l.status,
    })),
  };
}

/** Locks every payment the lines touch, in ascending paymentId order (the fixed lock order). */
async function lockPaymentsOf(tx: Tx, caller: Caller, lines: NewCreditLine[]): Promise<Map<number, LockedPayment>> {
  const locked = new Map<number, LockedPayment>();
  for (const paymentId of [...new Set(lines.map((l) => l.paymentId))].sort((a, b) => a - b)) {
    locked.set(paymentId, await lockPayment(tx, caller, paymentId));
  }
  return locked;
}

/** Creates a credit inside the caller's DB transaction, on payments it has locked. */
export async function createCreditLocked(
  tx: Tx,
  caller: Caller,
  input: NewCredit,
  locked: Map<number, LockedPayment>,
): Promise<number> {
  const lines = input.creditTransactions;
  const first = locked.get(lines[0]?.paymentId)?.payment;
  const currency = input.currency ?? first?.currency ?? "NOK";
  const resolved = await resolveLines(tx, locked, lines, currency, input.totalCreditAmount);
  const at = new Date();
  const [credit] = await tx
    .insert(credits)
    .values({
      organisationId: first!.organisationId,
      orderId: input.orderId ?? first!.orderId,
      orderVersion: input.orderVersion ?? first!.orderVersion,
      totalCreditAmount: toDbAmount(input.totalCreditAmount),
      currency,
      settlementId: input.settlementId ?? null,
      customerNumber: input.customerNumber ?? first!.customerNumber,
      createdByClientId: caller.kind === "client" ? caller.clientId : null,
      createdByStaffUserId: caller.kind === "staff" ? caller.userId : null,
      reason: input.reason ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await insertLines(tx, credit.creditId, resolved, at);
  return credit.creditId;
}

type ResolvedLine = { line: NewCreditLine; transaction: TransactionRow; group: string };

/**
 * Checks credit lines against their (locked) transactions: the sum equals the total, the
 * currency matches, and per transaction the lines take at most its creditable amount.
 */
async function resolveLines(
  tx: Tx,
  locked: Map<number, LockedPayment>,
  lines: NewCreditLine[],
  currency: string,
  totalCreditAmount: Money,
): Promise<ResolvedLine[]> {
  requireCreditLines(lines.length);
  requireTotalIsSumOfLines(
    totalCreditAmount,
    lines.map((l) => l.amount),
  );
  requireOneOrganisation(lines.map((l) => locked.get(l.paymentId)!.payment.organisationId));

  const taken = new Map<number, Money>();
  const resolved: ResolvedLine[] = [];
  for (const [index, line] of lines.entries()) {
    const field = `creditTransactions[${index}]`;
    const { payment, transactions } = locked.get(line.paymentId)!;
    const transaction = transactions.find((t) => t.transactionId === line.transactionId);
    if (!transaction) throw notFound("Transaction", line.transactionId);
    requireCreditCurrency(field, payment.currency, currency);
    const soFar = add(taken.get(transaction.transactionId) ?? (0n as Money), line.amount);
    taken.set(transaction.transactionId, soFar);
    requireWithinCreditable({
      field,
      amount: line.amount,
      taken: soFar,
      creditable: creditableAmount(amountsOf(transaction)),
      transactionId: transaction.transactionId,
    });
    const group = await reimbursementGroup(
      tx,
      payment,
      transaction,
      line.reimbursementTypeGroup,
      `${field}.reimbursementTypeGroup`,
    );
    resolved.push({ line, transaction, group });
  }
  return resolved;
}

/** Writes the lines and reserves their amounts on their transactions. */
async function insertLines(tx: Tx, creditId: number, resolved: ResolvedLine[], at: Date): Promise<void> {
  for (const { line, transaction, group } of resolved) {
    await tx.insert(creditTransactions).values({
      creditId,
      paymentId: line.paymentId,
      transactionId: line.transactionId,
      amount: toDbAmount(line.amount),
      reimbursementMethod: transaction.paymentType ?? transaction.paymentTypeGroup,
      reimbursementTypeGroup: group,
      createdAt: at,
      updatedAt: at,
    });
  }
  await adjustReserved(
    tx,
    resolved.map(({ line }) => ({ transactionId: line.transactionId, amount: line.amount })),
    at,
  );
}

/** Adds (or, with negative amounts, releases) reservations, reading the current row each time. */
async function adjustReserved(tx: Tx, changes: { transactionId: number; amount: Money }[], at: Date): Promise<void> {
  const byTransaction = new Map<number, Money>();
  for (const change of changes)
    byTransaction.set(
      change.transactionId,
      add(byTransaction.get(change.transactionId) ?? (0n as Money), change.amount),
    );
  for (const [transactionId, amount] of [...byTransaction].sort(([a], [b]) => a - b)) {
    const [row] = await tx
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, transactionId));
    await tx
      .update(paymentTransactions)
      .set({ reservedAmount: toDbAmount(add(money(row.reservedAmount), amount)), updatedAt: at })
      .where(eq(paymentTransactions.transactionId, transactionId));
  }
}

/**
 * The reimbursement group of a line (domain/credit.ts reimbursementChoice); an override is
 * allowed only where the method the transaction was paid with (its client's, on its channel)
 * allows overriding the reimbursement.
 */
async function reimbursementGroup(
  tx: Tx,
  payment: PaymentRow,
  transaction: TransactionRow,
  requested: PaymentTypeGroup | undefined,
  field: string,
) {
  const choice = reimbursementChoice({
    own: transaction.reimbursementTypeGroup ?? transaction.paymentTypeGroup,
    paymentTypeGroup: transaction.paymentTypeGroup,
    requested,
  });
  if (!choice.needsOverride) return choice.group;
  const [method] = await tx
    .select({ id: paymentMethods.id })
    .from(paymentMethods)
    .where(
      and(
        eq(paymentMethods.clientId, payment.createdByClientId ?? ""),
        eq(paymentMethods.paymentType, transaction.paymentType ?? ""),
        transaction.distributionChannelId
          ? eq(paymentMethods.distributionChannelId, transaction.distributionChannelId)
          : undefined,
        eq(paymentMethods.allowsReimbursementOverride, true),
      ),
    )
    .limit(1);
  if (!method) {
    throw ruleBroken(
      `${field}: the payment method of transaction ${transaction.transactionId} does not allow reimbursement through ${requested}`,
      field,
    );
  }
  return choice.group;
}

// ---------------------------------------------------------------- update

export type CreditPatch = {
  totalCreditAmount?: Money;
  creditTransactions?: NewCreditLine[];
  settlementId?: string | null;
  /** Only false: an inactive credit can no longer change or be executed. */
  active?: false;
};

/**
 * Changes a credit while it is CREATED, active and untouched by an execution: new lines replace
 * the old ones (their reservations are released first), and the total must still equal the
 * lines' sum. Deactivating releases every reservation.
 * @throws not_found  the credit, or a new line's payment or transaction, is unknown or another organisation's
 * @throws invalid    new lines that are empty
 * @throws conflict   the credit is inactive, not CREATED, or being executed
 * @throws rule       the total is not the lines' sum; a new line breaks a rule of createCredit
 */
export async function updateCredit(
  caller: Caller,
  input: { creditId: number; patch: CreditPatch },
): Promise<CreditView> {
  const { creditId, patch } = input;
  return inTransaction(async (tx) => {
    const existing = await findCredit(tx, caller, creditId);
    const oldLines = await tx.select().from(creditTransactions).where(eq(creditTransactions.creditId, creditId));
    const paymentIds = new Set([
      ...oldLines.map((l) => l.paymentId),
      ...(patch.creditTransactions ?? []).map((l) => l.paymentId),
    ]);
    const locked = new Map<number, LockedPayment>();
    for (const paymentId of [...paymentIds].sort((a, b) => a - b))
      locked.set(paymentId, await lockPayment(tx, caller, paymentId));
    const [credit] = await tx.select().from(credits).where(eq(credits.creditId, existing.creditId)).for("update");
    requireCreditChangeable(credit, oldLines);
    const before = auditedCredit(toCreditView(credit, oldLines));
    const finish = async (action: string) => {
      const after = await readCredit(tx, caller, creditId);
      await auditStaffAction(tx, caller, {
        action,
        entityType: "credit",
        entityId: creditId,
        before,
        after: auditedCredit(after),
      });
      return after;
    };
    const at = new Date();
    const release = oldLines.map((l) => ({ transactionId: l.transactionId, amount: (0n - money(l.amount)) as Money }));

    if (patch.active === false) {
      await adjustReserved(tx, release, at);
      await tx.update(credits).set({ active: false, updatedAt: at }).where(eq(credits.creditId, creditId));
      return finish("credit.deactivate");
    }

    const total = patch.totalCreditAmount ?? money(credit.totalCreditAmount);
    if (patch.creditTransactions) {
      await adjustReserved(tx, release, at);
      await tx.delete(creditTransactions).where(eq(creditTransactions.creditId, creditId));
      // Re-read the transactions: their reservations just changed.
      for (const paymentId of locked.keys()) locked.set(paymentId, await lockPayment(tx, caller, paymentId));
      const resolved = await resolveLines(tx, locked, patch.creditTransactions, credit.currency, total);
      await insertLines(tx, creditId, resolved, at);
    } else {
      requireTotalIsSumOfLines(
        total,
        oldLines.map((l) => money(l.amount)),
        "; send creditTransactions too to change them",
      );
    }
    await tx
      .update(credits)
      .set({
        totalCreditAmount: toDbAmount(total),
        ...(patch.settlementId !== undefined ? { settlementId: patch.settlementId } : {}),
        updatedAt: at,
      })
      .where(eq(credits.creditId, creditId));
    return finish("credit.update");
  });
}

// ---------------------------------------------------------------- read

function toCreditView(row: CreditRow, lines: CreditTransactionRow[]): CreditView {
  return {
    creditId: row.creditId,
    orderId: row.orderId,
    orderVersion: row.orderVersion,
    totalCreditAmount: money(row.totalCreditAmount),
    currency: row.currency,
    active: row.active,
    status: row.status,
    settlementId: row.settlementId,
    customerNumber: row.customerNumber,
    organisationId: row.organisationId,
    createdByStaffUserId: row.createdByStaffUserId,
    createdByClientId: row.createdByClientId,
    reason: row.reason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    creditTransactions: lines.map((l) => ({
      creditTransactionId: l.creditTransactionId,
      paymentId: l.paymentId,
      transactionId: l.transactionId,
      amount: money(l.amount),
      status: l.status,
      reimbursementMethod: l.reimbursementMethod,
      reimbursementTypeGroup: l.reimbursementTypeGroup,
      rrn: l.rrn,
      creditedAt: l.creditedAt,
      failureReason: l.failureReason,
      claimedAt: l.claimedAt,
    })),
  };
}

export async function loadCreditViews(database: Db | Tx, rows: CreditRow[]): Promise<CreditView[]> {
  if (!rows.length) return [];
  const lines = await database
    .select()
    .from(creditTransactions)
    .where(
      inArray(
        creditTransactions.creditId,
        rows.map((r) => r.creditId),
      ),
    )
    .orderBy(asc(creditTransactions.creditTransactionId));
  return rows.map((row) =>
    toCreditView(
      row,
      lines.filter((l) => l.creditId === row.creditId),
    ),
  );
}

async function findCredit(database: Db | Tx, caller: Caller, creditId: number): Promise<CreditRow> {
  const organisationId = tenantOf(caller);
  const [row] = await database
    .select()
    .from(credits)
    .where(
      and(
        eq(credits.creditId, creditId),
        organisationId === null ? undefined : eq(credits.organisationId, organisationId),
      ),
    );
  if (!row) throw notFound("Credit", creditId);
  return row;
}

async function readCredit(database: Db | Tx, caller: Caller, creditId: number): Promise<CreditView> {
  const [view] = await loadCreditViews(database, [await findCredit(database, caller, creditId)]);
  return view;
}

/**
 * One credit with its lines, as the caller may see it.
 * @throws not_found  the credit is unknown or another organisation's
 */
export async function getCredit(caller: Caller, input: { creditId: number }): Promise<CreditView> {
  return readCredit(db(), caller, input.creditId);
}

// ---------------------------------------------------------------- execute

/**
 * How an execution ended: done as far as the provider went, or refused by the four-eyes rule
 * before anything moved (the credit waits for a second staff user: another than its staff
 * creator, or any staff user for an API client that may not execute it).
 */
export type CreditExecution =
  { kind: "executed"; credit: CreditView } | { kind: "awaitsSecondStaffUser"; creditId: number; reason: string };

/**
 * Executes every credit transaction still CREATED, in order. Answers the credit as it stands;
 * when one fails, throws that transaction's error after keeping what succeeded before it.
 *
 * The four-eyes rule (app/domain/four-eyes.ts) binds every caller above the threshold: a staff
 * user may not execute a credit they created, no API client a staff user's credit, and only a
 * privileged client an API credit. It is checked first for a clear answer and again under the
 * credit's row lock in every claim, so a PATCH raising the total in between cannot slip through.
 * @throws not_found  the credit is unknown or another organisation's
 * @throws forbidden  the four-eyes rule keeps this caller from executing it (errorReason FOUR_EYES_REQUIRED)
 * @throws conflict   the credit is inactive
 * @throws declined   the provider refused a credit transaction (those before it stay credited)
 */
export async function executeCredit(caller: Caller, input: { creditId: number }): Promise<CreditView> {
  const execution = await executeCreditUnlessFourEyes(caller, input);
  if (execution.kind === "awaitsSecondStaffUser") throw fourEyesRequired(execution.reason);
  return execution.credit;
}

/**
 * executeCredit for a step that has just created the credit (a direct credit, a deactivation):
 * the four-eyes rule refusing its creator is an outcome, the credit waiting for a second staff
 * user, not an error.
 * @throws not_found  the credit is unknown or another organisation's
 * @throws conflict   the credit is inactive
 * @throws declined   the provider refused a credit transaction (those before it stay credited)
 */
export async function executeCreditUnlessFourEyes(
  caller: Caller,
  input: { creditId: number },
): Promise<CreditExecution> {
  const { creditId } = input;
  const database = db();
  const credit = await findCredit(database, caller, creditId);
  requireExecutable(credit);
  const lines = await database
    .select()
    .from(creditTransactions)
    .where(eq(creditTransactions.creditId, creditId))
    .orderBy(asc(creditTransactions.creditTransactionId));
  const fourEyes =
    caller.kind !== "system" && lines.some((l) => l.status === "CREATED")
      ? await readFourEyesThresholds(database)
      : null;
  if (fourEyes) {
    const refusal = fourEyesRefusalOf(caller, credit, fourEyes);
    if (refusal) return { kind: "awaitsSecondStaffUser", creditId, reason: refusal };
  }
  for (const line of lines) {
    if (line.status !== "CREATED") continue;
    const outcome = await executeLine(caller, line, fourEyes && { caller, thresholds: fourEyes });
    if (outcome.kind === "done") {
      if (outcome.value.refused) return { kind: "awaitsSecondStaffUser", creditId, reason: outcome.value.refused };
      continue; // settled by someone else meanwhile
    }
    if (outcome.op.status === "FAILED") {
      const answer = outcome.op.answer as Decline;
      throw new DomainError("declined", `Credit transaction ${line.creditTransactionId} failed: ${answer.reason}`, {
        errorReason: answer.errorReason,
      });
    }
  }
  await markCreditedWhenComplete(creditId);
  return { kind: "executed", credit: await readCredit(database, caller, creditId) };
}

/** Why the four-eyes rule keeps this caller from executing the credit, or null. */
function fourEyesRefusalOf(caller: Caller, credit: CreditRow, thresholds: FourEyesThresholds): string | null {
  return fourEyesRefusal(
    {
      totalCreditAmount: money(credit.totalCreditAmount),
      currency: credit.currency,
      createdByStaffUserId: credit.createdByStaffUserId,
    },
    fourEyesExecutor(caller),
    thresholds,
  );
}

/** A credit transaction's reference at the PSP: one refund per credit transaction, ever. */
const refundReference = (creditTransactionId: number) => `credit-transaction-${creditTransactionId}`;

/**
 * One line through claim → ask → settle. The claim locks the payment, the credit (shared) and the
 * line, in that order, and checks the four-eyes rule against the credit as it is now, so a PATCH
 * raising the total in between cannot slip through. A line with a refund in flight (a concurrent
 * or interrupted execution) is resumed: asked again by its reference, which never refunds twice.
 */
async function executeLine(
  caller: Caller,
  line: CreditTransactionRow,
  fourEyes: { caller: Caller; thresholds: FourEyesThresholds } | null,
) {
  // The credit was checked against the caller's tenant already; lock its payment as the system.
  const lockAs: Caller = { kind: "system", name: "credit-execution", correlationId: caller.correlationId };
  return runProviderOperation(caller, refundOperation, {
    kind: "REFUND",
    lock: async (tx) => {
      const locked = await lockPayment(tx, lockAs, line.paymentId);
      const [credit] = await tx.select().from(credits).where(eq(credits.creditId, line.creditId)).for("share");
      const [current] = await tx
        .select()
        .from(creditTransactions)
        .where(eq(creditTransactions.creditTransactionId, line.creditTransactionId))
        .for("update");
      return { ...locked, credit, line: current };
    },
    subject: ({ payment }) => lineSubject(payment, line),
    plan: async (tx, locked): Promise<ClaimPlan<{ refused?: string }>> => {
      if (fourEyes) {
        const refusal = fourEyesRefusalOf(fourEyes.caller, locked.credit, fourEyes.thresholds);
        if (refusal) return { done: { refused: refusal } };
      }
      if (locked.line.status !== "CREATED") return { done: {} };
      const inFlight = await refundOf(tx, line.creditTransactionId);
      if (inFlight) return { resume: inFlight };
      const transaction = locked.transactions.find((t) => t.transactionId === line.transactionId)!;
      return { claim: await claimLine(tx, locked.line, transaction, locked.credit.currency) };
    },
  });
}

function lineSubject(payment: PaymentRow, line: CreditTransactionRow) {
  return {
    organisationId: payment.organisationId,
    paymentId: line.paymentId,
    transactionId: line.transactionId,
    creditTransactionId: line.creditTransactionId,
  };
}

/** The line's refund operation still in flight, if any. */
async function refundOf(tx: Tx, creditTransactionId: number): Promise<OperationRow | null> {
  const [op] = await tx
    .select()
    .from(providerOperations)
    .where(
      and(eq(providerOperations.creditTransactionId, creditTransactionId), eq(providerOperations.status, "PENDING")),
    );
  return op ?? null;
}

/** Marks the line claimed (screens show it in progress) and says what the refund asks the PSP. */
async function claimLine(tx: Tx, line: CreditTransactionRow, transaction: TransactionRow, currency: string) {
  const reference = refundReference(line.creditTransactionId);
  const at = new Date();
  await tx
    .update(creditTransactions)
    .set({ claimedAt: at, providerReference: reference, updatedAt: at })
    .where(eq(creditTransactions.creditTransactionId, line.creditTransactionId));
  return {
    reference,
    request: {
      amount: line.amount,
      currency,
      paymentType: transaction.paymentType,
      paymentTypeGroup: transaction.paymentTypeGroup,
      rrn: transaction.rrn,
      cardNumber: transaction.cardNumber,
    },
  };
}

/** REFUND: money back to the customer for one credit transaction. */
export const refundOperation: OperationHandler = {
  send: (op) => {
    const request = op.request as {
      amount: string;
      currency: string;
      paymentType: string | null;
      paymentTypeGroup: string;
      rrn: string | null;
      cardNumber: string | null;
    };
    return paymentProvider().refund({
      ...moneyAskOf(op),
      paymentType: request.paymentType,
      paymentTypeGroup: request.paymentTypeGroup,
      rrn: request.rrn,
      cardNumber: request.cardNumber,
    });
  },
  settle: settleRefund,
};

/** Records the PSP's answer under the payment's locks (then the credit's and the line's), once. */
async function settleRefund(context: SettleContext, outcome: OperationAnswer): Promise<void> {
  const { tx, caller, at } = context;
  const creditTransactionId = context.op.creditTransactionId!;
  const { payment, transactions } = context.locked!;
  const [peek] = await tx
    .select({ creditId: creditTransactions.creditId })
    .from(creditTransactions)
    .where(eq(creditTransactions.creditTransactionId, creditTransactionId));
  const [credit] = await tx.select().from(credits).where(eq(credits.creditId, peek.creditId)).for("update");
  const [line] = await tx
    .select()
    .from(creditTransactions)
    .where(eq(creditTransactions.creditTransactionId, creditTransactionId))
    .for("update");
  if (line.status !== "CREATED") return;
  const transaction = transactions.find((t) => t.transactionId === line.transactionId)!;
  const amounts = amountsOf(transaction);
  const amount = money(line.amount);
  const reserved = subtract(amounts.reserved, amount);
  const audit = async (after: Record<string, unknown>) => {
    const creditStatus = await markCreditedWhenAllLinesAre(tx, credit, at);
    await auditStaffAction(tx, caller, {
      action: "credit.execute",
      entityType: "credit",
      entityId: credit.creditId,
      before: { status: credit.status, creditTransaction: { ...auditedLine(line), status: line.status } },
      after: { status: creditStatus, creditTransaction: { ...auditedLine(line), ...after } },
    });
  };
  if (!outcome.ok) {
    await tx
      .update(creditTransactions)
      .set({ status: "FAILED", failureReason: outcome.reason, updatedAt: at })
      .where(eq(creditTransactions.creditTransactionId, creditTransactionId));
    await tx
      .update(paymentTransactions)
      .set({ reservedAmount: toDbAmount(reserved), updatedAt: at })
      .where(eq(paymentTransactions.transactionId, transaction.transactionId));
    await audit({ status: "FAILED", failureReason: outcome.reason });
    return;
  }
  const rrn = outcome.rrn ?? null;
  const credited = add(amounts.credited, amount);
  const status = statusAfterCredit(transaction.status, amounts, amount);
  await tx
    .update(creditTransactions)
    .set({ status: "CREDITED", rrn, creditedAt: at, updatedAt: at })
    .where(eq(creditTransactions.creditTransactionId, creditTransactionId));
  await tx
    .update(paymentTransactions)
    .set({ creditedAmount: toDbAmount(credited), reservedAmount: toDbAmount(reserved), status, updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId));
  await appendOperation(
    tx,
    { transactionId: transaction.transactionId, paymentId: payment.paymentId, operation: "CREDIT", amount, at },
    caller,
  );
  await addToVolume(tx, volumeKeyOf(payment, transaction, at), "credited", amount);
  await touchPayment(tx, payment.paymentId, at);
  await audit({ status: "CREDITED", rrn });
}

function auditedLine(line: CreditTransactionRow) {
  return {
    creditTransactionId: line.creditTransactionId,
    paymentId: line.paymentId,
    transactionId: line.transactionId,
    amount: formatAmount(money(line.amount)),
  };
}

/**
 * In the settling transaction, under the credit's row lock: the credit becomes CREDITED with its
 * last line, so the audit entry of that execution can say so. Answers the credit's status.
 */
async function markCreditedWhenAllLinesAre(tx: Tx, credit: CreditRow, at: Date): Promise<CreditStatus> {
  if (credit.status === "CREDITED") return "CREDITED";
  const lines = await tx
    .select({ status: creditTransactions.status })
    .from(creditTransactions)
    .where(eq(creditTransactions.creditId, credit.creditId));
  if (!isFullyCredited(lines)) return credit.status;
  await tx.update(credits).set({ status: "CREDITED", updatedAt: at }).where(eq(credits.creditId, credit.creditId));
  return "CREDITED";
}

async function markCreditedWhenComplete(creditId: number): Promise<void> {
  await inTransaction(async (tx) => {
    const [credit] = await tx.select().from(credits).where(eq(credits.creditId, creditId)).for("update");
    if (credit.status === "CREDITED") return;
    const lines = await tx.select().from(creditTransactions).where(eq(creditTransactions.creditId, creditId));
    if (isFullyCredited(lines)) {
      await tx.update(credits).set({ status: "CREDITED", updatedAt: new Date() }).where(eq(credits.creditId, creditId));
    }
  });
}

// ---------------------------------------------------------------- direct and deactivation credits

export type DirectCreditResult =
  | { kind: "credited"; payment: PaymentView }
  /** The credit is created and reserves the amount; the four-eyes rule keeps its creator from executing it. */
  | { kind: "awaitsSecondStaffUser"; creditId: number; payment: PaymentView };

/**
 * Credits one CAPTURED transaction at once (the transaction's credit route, also for imported
 * ones): `amount` defaults to everything creditable. Allowed on a deactivated payment, because
 * that is how clients return imported money after a deactivation.
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the transaction is not CAPTURED, or nothing is left to credit
 * @throws rule       amount exceeds the creditable amount
 * @throws declined   the provider refused the credit (the credit stays, FAILED)
 */
export async function creditTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number; amount?: Money },
): Promise<DirectCreditResult> {
  const { paymentId, transactionId } = input;
  const creditId = await inTransaction(async (tx) => {
    const locked = await lockPayment(tx, caller, paymentId);
    const transaction = locked.transactions.find((t) => t.transactionId === transactionId);
    if (!transaction) throw notFound("Transaction", transactionId);
    // The same request again (its Idempotency-Key, after a 503 or a lost answer): its credit.
    const earlier = await creditOfThisRequest(tx, transactionId);
    if (earlier !== null) return earlier;
    // Checked here as well as in createCreditLocked so that the problem names this route's own
    // body field (`amount`), not the credit line the route builds from it.
    const value = directCreditAmount({
      transactionId,
      status: transaction.status,
      creditable: creditableAmount(amountsOf(transaction)),
      requested: input.amount,
    });
    const creditId = await createCreditLocked(
      tx,
      caller,
      {
        totalCreditAmount: value,
        creditTransactions: [{ paymentId, transactionId, amount: value }],
        reason: "Direct transaction credit",
      },
      new Map([[paymentId, locked]]),
    );
    // A staff credit is recorded as decided here (the amount now reserved); its execution follows.
    const [reserved] = await tx
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, transactionId));
    await auditStaffAction(tx, caller, {
      action: "transaction.credit",
      entityType: "transaction",
      entityId: transactionId,
      before: auditedTransaction(transaction),
      after: { ...auditedTransaction(reserved), creditId, creditAmount: formatAmount(value) },
    });
    // The refund is claimed with the credit, so the request's only effect is a claim its retry
    // (or the recovery job) finishes. Not for staff (executed after the commit, as on the credits
    // screen), nor where the four-eyes rule holds the credit back for a staff user.
    const [credit] = await tx.select().from(credits).where(eq(credits.creditId, creditId));
    if (caller.kind !== "staff" && !fourEyesRefusalOf(caller, credit, await readFourEyesThresholds(tx))) {
      const [line] = await tx.select().from(creditTransactions).where(eq(creditTransactions.creditId, creditId));
      await insertClaim(tx, caller, {
        kind: "REFUND",
        subject: lineSubject(locked.payment, line),
        ...(await claimLine(tx, line, reserved, locked.payment.currency)),
        asked: false,
      });
    }
    return creditId;
  });
  const execution = await executeCreditUnlessFourEyes(caller, { creditId });
  const payment = await getPayment(caller, { paymentId });
  return execution.kind === "executed"
    ? { kind: "credited", payment }
    : { kind: "awaitsSecondStaffUser", creditId, payment };
}

/** The credit a direct credit of this transaction created under the running request's Idempotency-Key. */
async function creditOfThisRequest(tx: Tx, transactionId: number): Promise<number | null> {
  const key = currentIdempotencyKey();
  if (!key) return null;
  const [row] = await tx
    .select({ creditId: creditTransactions.creditId })
    .from(providerOperations)
    .innerJoin(creditTransactions, eq(creditTransactions.creditTransactionId, providerOperations.creditTransactionId))
    .where(
      and(
        eq(providerOperations.idempotencyClientId, key.clientId),
        eq(providerOperations.idempotencyKey, key.key),
        eq(providerOperations.kind, "REFUND"),
        eq(providerOperations.transactionId, transactionId),
      ),
    )
    .limit(1);
  return row?.creditId ?? null;
}

export const DEACTIVATION_REASON = "Payment deactivated";

/** The open credits a deactivation created for a payment (executed again when it is retried). */
export async function pendingDeactivationCredits(paymentId: number): Promise<number[]> {
  const rows = await db()
    .selectDistinct({ creditId: credits.creditId })
    .from(credits)
    .innerJoin(creditTransactions, eq(creditTransactions.creditId, credits.creditId))
    .where(
      and(
        eq(creditTransactions.paymentId, paymentId),
        eq(credits.status, "CREATED"),
        eq(credits.reason, DEACTIVATION_REASON),
      ),
    );
  return rows.map((r) => r.creditId);
}
