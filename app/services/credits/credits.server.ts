// Credits (seed 002): money going back to the customer, one credit transaction per payment
// transaction credited. A credit reserves its amounts when it is created, so that no two credits
// can together take more than was captured; executing it turns the reservation into a credit.
//
// Execution is sequential over the credit transactions. Each one is first CLAIMED in its own DB
// transaction (row lock, then a provider reference is written), then the provider is asked with
// that reference, then the outcome is SETTLED under the payment's locks. A concurrent or retried
// execute finds the claim and asks the provider with the same reference, which answers with the
// first outcome: no credit transaction is ever refunded twice, even across a crash.
import { and, asc, eq, inArray } from "drizzle-orm";
import { db as defaultDb, type Db, type Tx } from "../../../db/client";
import { creditTransactions, credits, paymentMethods, paymentTransactions } from "../../../db/schema";
import type { CreditStatus, CreditTransactionStatus, PaymentTypeGroup, TransactionStatus } from "../../domain/enums";
import { conflict, DomainError, notFound, ruleBroken } from "../../domain/errors";
import { FourEyesRequired, fourEyesRefusal, type FourEyesThresholds } from "../../domain/four-eyes";
import { add, formatAmount, money, subtract, sum, toDbAmount, type Money } from "../../domain/money";
import { amountsOf, creditableAmount } from "../../domain/transaction";
import { paymentProvider } from "../../providers/index.server";
import { auditStaffAction } from "../../platform/audit.server";
import { tenantOf, type Caller } from "../../domain/caller";
import { readFourEyesThresholds } from "./four-eyes-thresholds.server";
import { addToVolume, appendOperation } from "../../platform/operation-log.server";
import { lockPayment, type LockedPayment } from "../../platform/locks.server";
import { getPayment, type PaymentRow, type PaymentView, type TransactionRow } from "../queries/payment-view.server";
import { auditedTransaction, touchPayment } from "../transactions/transactions.server";
import { inTransaction } from "../../platform/transaction.server";

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

export async function createCredit(caller: Caller, input: NewCredit): Promise<CreditView> {
  return inTransaction(async (tx) => {
    const creditId = await createCreditLocked(
      tx,
      caller,
      input,
      await lockPaymentsOf(tx, caller, input.creditTransactions),
    );
    const credit = await getCredit(tx, caller, creditId);
    await auditStaffAction(tx, caller, {
      action: "credit.create",
      entityType: "credit",
      entityId: creditId,
      after: auditedCredit(credit),
    });
    return credit;
  });
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

async function createCreditLocked(
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
  if (!lines.length) {
    throw new DomainError("invalid", "A credit needs at least one credit transaction", {
      errors: [{ field: "creditTransactions", message: "must contain at least one credit transaction" }],
    });
  }
  const total = sum(lines.map((l) => l.amount));
  if (total !== totalCreditAmount) {
    throw ruleBroken(
      `totalCreditAmount ${formatAmount(totalCreditAmount)} must equal the sum of the credit transactions (${formatAmount(total)})`,
      "totalCreditAmount",
    );
  }
  const organisations = new Set(lines.map((l) => locked.get(l.paymentId)!.payment.organisationId));
  if (organisations.size > 1)
    throw ruleBroken("All credited transactions must belong to one organisation", "creditTransactions");

  const taken = new Map<number, Money>();
  const resolved: ResolvedLine[] = [];
  for (const [index, line] of lines.entries()) {
    const field = `creditTransactions[${index}]`;
    const { payment, transactions } = locked.get(line.paymentId)!;
    const transaction = transactions.find((t) => t.transactionId === line.transactionId);
    if (!transaction) throw notFound("Transaction", line.transactionId);
    if (payment.currency !== currency) {
      throw ruleBroken(
        `${field}: the payment's currency ${payment.currency} differs from the credit's ${currency}`,
        "currency",
      );
    }
    const soFar = add(taken.get(transaction.transactionId) ?? (0n as Money), line.amount);
    taken.set(transaction.transactionId, soFar);
    const creditable = creditableAmount(amountsOf(transaction));
    if (soFar > creditable) {
      throw ruleBroken(
        `${field}.amount ${formatAmount(line.amount)} exceeds the creditable amount ${formatAmount(creditable)} of transaction ${transaction.transactionId}`,
        `${field}.amount`,
      );
    }
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
 * CASH can always be chosen; another group only where the method the transaction was paid
 * with (its client's, on its channel) allows overriding the reimbursement.
 */
async function reimbursementGroup(
  tx: Tx,
  payment: PaymentRow,
  transaction: TransactionRow,
  requested: PaymentTypeGroup | undefined,
  field: string,
) {
  const own = transaction.reimbursementTypeGroup ?? transaction.paymentTypeGroup;
  if (!requested || requested === own || requested === transaction.paymentTypeGroup) return requested ?? own;
  if (requested === "CASH") return requested;
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
  return requested;
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
 * PATCH a credit (seed 002) while it is CREATED, active and untouched by an execution: new
 * lines replace the old ones (their reservations are released first), and the total must
 * still equal the lines' sum. Deactivating releases every reservation.
 */
export async function updateCredit(caller: Caller, creditId: number, patch: CreditPatch): Promise<CreditView> {
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
    if (credit.status !== "CREATED" || !credit.active) {
      throw conflict(
        `Credit ${creditId} is ${credit.active ? credit.status : "inactive"}; only an active CREATED credit can change`,
      );
    }
    if (oldLines.some((l) => l.status !== "CREATED" || l.providerReference)) {
      throw conflict(`Credit ${creditId} is being executed and can no longer change`);
    }
    const before = auditedCredit(toCreditView(credit, oldLines));
    const finish = async (action: string) => {
      const after = await getCredit(tx, caller, creditId);
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
    } else if (total !== sum(oldLines.map((l) => money(l.amount)))) {
      throw ruleBroken(
        `totalCreditAmount ${formatAmount(total)} must equal the sum of the credit transactions (${formatAmount(sum(oldLines.map((l) => money(l.amount))))}); send creditTransactions too to change them`,
        "totalCreditAmount",
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

export async function getCredit(database: Db | Tx, caller: Caller, creditId: number): Promise<CreditView> {
  const [view] = await loadCreditViews(database, [await findCredit(database, caller, creditId)]);
  return view;
}

// ---------------------------------------------------------------- execute

/**
 * Executes every credit transaction still CREATED, in order. Answers the credit as it stands;
 * when one fails, throws that transaction's error after keeping what succeeded before it.
 *
 * A staff user may not execute a credit they created above the four-eyes threshold (403,
 * app/domain/four-eyes.ts); the rule is checked first for a clear answer and again under the
 * credit's row lock in every claim, so a PATCH raising the total in between cannot slip through.
 */
export async function executeCredit(caller: Caller, creditId: number, database: Db = defaultDb()): Promise<CreditView> {
  const credit = await findCredit(database, caller, creditId);
  if (!credit.active) throw conflict(`Credit ${creditId} is inactive and cannot be executed`);
  const lines = await database
    .select()
    .from(creditTransactions)
    .where(eq(creditTransactions.creditId, creditId))
    .orderBy(asc(creditTransactions.creditTransactionId));
  const fourEyes =
    caller.kind === "staff" && lines.some((l) => l.status === "CREATED")
      ? await readFourEyesThresholds(database)
      : null;
  if (fourEyes) assertFourEyes(caller, credit, fourEyes);
  for (const line of lines) {
    if (line.status !== "CREATED") continue;
    const reference = await claim(line.creditTransactionId, fourEyes && { caller, thresholds: fourEyes });
    if (!reference) continue; // settled by someone else meanwhile
    const [transaction] = await database
      .select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.transactionId, line.transactionId));
    const outcome = await paymentProvider().refund({
      reference,
      amount: money(line.amount),
      currency: credit.currency,
      paymentType: transaction.paymentType,
      paymentTypeGroup: transaction.paymentTypeGroup,
      rrn: transaction.rrn,
      cardNumber: transaction.cardNumber,
    });
    await settle(caller, line.creditTransactionId, outcome);
    if (!outcome.ok) {
      throw new DomainError("declined", `Credit transaction ${line.creditTransactionId} failed: ${outcome.reason}`, {
        errorReason: outcome.errorReason,
      });
    }
  }
  await markCreditedWhenComplete(creditId);
  return getCredit(database, caller, creditId);
}

function assertFourEyes(caller: Caller, credit: CreditRow, thresholds: FourEyesThresholds): void {
  if (caller.kind !== "staff") return;
  const refusal = fourEyesRefusal(
    {
      totalCreditAmount: money(credit.totalCreditAmount),
      currency: credit.currency,
      createdByStaffUserId: credit.createdByStaffUserId,
    },
    caller.userId,
    thresholds,
  );
  if (refusal) throw new FourEyesRequired(refusal, credit.creditId);
}

/**
 * Step 1: claim the line (or find the claim of an earlier attempt) and return its reference.
 * For a staff execution the credit row is share-locked first (lock order: payment, credit, line)
 * and the four-eyes rule checked against it as it is now.
 */
async function claim(
  creditTransactionId: number,
  fourEyes: { caller: Caller; thresholds: FourEyesThresholds } | null,
): Promise<string | null> {
  return inTransaction(async (tx) => {
    if (fourEyes) {
      const [{ creditId }] = await tx
        .select({ creditId: creditTransactions.creditId })
        .from(creditTransactions)
        .where(eq(creditTransactions.creditTransactionId, creditTransactionId));
      const [credit] = await tx.select().from(credits).where(eq(credits.creditId, creditId)).for("share");
      assertFourEyes(fourEyes.caller, credit, fourEyes.thresholds);
    }
    const [line] = await tx
      .select()
      .from(creditTransactions)
      .where(eq(creditTransactions.creditTransactionId, creditTransactionId))
      .for("update");
    if (line.status !== "CREATED") return null;
    if (line.providerReference) return line.providerReference;
    const reference = `credit-transaction-${creditTransactionId}`;
    await tx
      .update(creditTransactions)
      .set({ claimedAt: new Date(), providerReference: reference, updatedAt: new Date() })
      .where(eq(creditTransactions.creditTransactionId, creditTransactionId));
    return reference;
  });
}

/** Step 3: record the provider's answer under the payment's locks, once. */
async function settle(
  caller: Caller,
  creditTransactionId: number,
  outcome: { ok: true; rrn: string } | { ok: false; reason: string },
): Promise<void> {
  await inTransaction(async (tx) => {
    const [peek] = await tx
      .select()
      .from(creditTransactions)
      .where(eq(creditTransactions.creditTransactionId, creditTransactionId));
    // The credit was checked against the caller's tenant already; lock its payment as the system.
    const lockAs: Caller = { kind: "system", name: "credit-settlement", correlationId: caller.correlationId };
    const { payment, transactions } = await lockPayment(tx, lockAs, peek.paymentId);
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
    const at = new Date();
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
    const credited = add(amounts.credited, amount);
    const status: TransactionStatus = credited === amounts.captured ? "CREDITED" : transaction.status;
    await tx
      .update(creditTransactions)
      .set({ status: "CREDITED", rrn: outcome.rrn, creditedAt: at, updatedAt: at })
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
      "credited",
      amount,
    );
    await touchPayment(tx, payment.paymentId, at);
    await audit({ status: "CREDITED", rrn: outcome.rrn });
  });
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
  if (!lines.every((l) => l.status === "CREDITED")) return credit.status;
  await tx.update(credits).set({ status: "CREDITED", updatedAt: at }).where(eq(credits.creditId, credit.creditId));
  return "CREDITED";
}

async function markCreditedWhenComplete(creditId: number): Promise<void> {
  await inTransaction(async (tx) => {
    const [credit] = await tx.select().from(credits).where(eq(credits.creditId, creditId)).for("update");
    if (credit.status === "CREDITED") return;
    const lines = await tx.select().from(creditTransactions).where(eq(creditTransactions.creditId, creditId));
    if (lines.every((l) => l.status === "CREDITED")) {
      await tx.update(credits).set({ status: "CREDITED", updatedAt: new Date() }).where(eq(credits.creditId, creditId));
    }
  });
}

// ---------------------------------------------------------------- direct and deactivation credits

/**
 * Credits one transaction at once (the transaction's credit route, also for imported ones):
 * `amount` defaults to everything creditable. Allowed on a deactivated payment, because that is
 * how clients return imported money after a deactivation (seed 000).
 */
export async function creditTransactionNow(
  caller: Caller,
  database: Db,
  paymentId: number,
  transactionId: number,
  amount: Money | undefined,
): Promise<PaymentView> {
  const creditId = await inTransaction(async (tx) => {
    const locked = await lockPayment(tx, caller, paymentId);
    const transaction = locked.transactions.find((t) => t.transactionId === transactionId);
    if (!transaction) throw notFound("Transaction", transactionId);
    const status = transaction.status;
    if (status !== "CAPTURED") {
      throw conflict(
        status === "CREDITED"
          ? "The transaction is already fully credited"
          : `Only a CAPTURED transaction can be credited; this one is ${status}`,
      );
    }
    const creditable = creditableAmount(amountsOf(transaction));
    const value = amount ?? creditable;
    if (value <= 0n) throw conflict("Nothing is left to credit on this transaction (other credits reserve the rest)");
    // Checked here as well as in createCreditLocked so that the problem names this route's own
    // body field (`amount`), not the credit line the route builds from it.
    if (value > creditable) {
      throw ruleBroken(
        `amount ${formatAmount(value)} exceeds the creditable amount ${formatAmount(creditable)} of transaction ${transactionId}`,
        "amount",
      );
    }
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
    return creditId;
  });
  await executeCredit(caller, creditId, database);
  return getPayment(database, caller, paymentId);
}

export const DEACTIVATION_REASON = "Payment deactivated";

/** The open credits a deactivation created for a payment (executed again when it is retried). */
export async function pendingDeactivationCredits(database: Db | Tx, paymentId: number): Promise<number[]> {
  const rows = await database
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

export { createCreditLocked };
