// Claim → ask → settle: how every operation that asks a PSP to change something runs
// (docs/decisions/019-claim-ask-settle.md). No row lock and no DB transaction is held while the
// PSP is asked:
//
//   1. claim   one DB transaction: lock the rows in the fixed order (the payment, then its
//              transactions by id, then what the use-case locks after them), check the domain
//              rule, and record the operation PENDING in provider_operations with its reference
//              (the PSP's idempotency key). Another operation in flight on the same transaction
//              answers 409 RESOURCE_BUSY at once (a partial unique index backs it).
//   2. ask     the PSP, outside any DB transaction; the adapter bounds the wait.
//   3. settle  a second DB transaction: lock in the same order, check the operation is still
//              PENDING, apply the answer (state, operation log, rollups, outbox, audit: the
//              use-case's handler) and mark it SUCCEEDED or FAILED, once.
//
// When the PSP gives no answer we can trust (ProviderUnavailable), the operation stays PENDING and
// the caller gets a 503 (PROVIDER_UNAVAILABLE). The recovery job, a retry with the request's
// Idempotency-Key, or a staff user's "resolve now" asks the PSP by reference (lookup) and settles
// it; what the PSP never received is sent again with the same reference, except a typed card,
// which nobody kept: that one fails once the PSP has surely given up on it.
//
// This module is the mechanism; what each kind of operation sends and how it settles is the
// use-case's OperationHandler (app/services/*), and the recovery job's table of them lives in
// app/services/operations.
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { providerOperations } from "../../db/schema";
import type { Caller } from "../domain/caller";
import { money } from "../domain/money";
import type { ErrorReason, ProviderOperationKind } from "../domain/enums";
import { conflict, DomainError, providerUnavailable } from "../domain/errors";
import { ProviderUnavailable } from "../providers/errors";
import { paymentProvider } from "../providers/index.server";
import { transactionReference } from "../providers/provider";
import { currentIdempotencyKey } from "./idempotency.server";
import { lockPayment, lockTransaction, type LockedPayment } from "./locks.server";
import { logger } from "./logger.server";
import { inTransaction, violatedConstraint } from "./transaction.server";

export type OperationRow = typeof providerOperations.$inferSelect;

/** The PSP's yes, with what it told us (rrn, pspReference, a card's facts). */
export type Approval = { ok: true; rrn?: string; pspReference?: string } & Record<string, unknown>;
/** The PSP's no; `unreached` when it never received the operation (settled by the recovery job). */
export type Decline = { ok: false; reason: string; errorReason?: ErrorReason; unreached?: boolean };
export type OperationAnswer = Approval | Decline;

export type SettleContext = {
  tx: Tx;
  op: OperationRow;
  /** Who claimed the operation; its operation-log and audit entries name them. */
  caller: Caller;
  /** The operation's payment and its transactions, locked; null for an operation on no payment. */
  locked: LockedPayment | null;
  at: Date;
};

/** What one kind of provider operation sends, and what its answer changes. */
export type OperationHandler = {
  /** Sends the operation with its reference (again); null when it cannot be re-sent (a typed card). */
  send: ((op: OperationRow) => Promise<OperationAnswer>) | null;
  /**
   * Locks the settling transaction takes before the payment's, for a use-case whose claim locks
   * something ahead of the payment (a self-service invoice): settling must keep the claim's order,
   * or a settlement and a claim on the same rows deadlock.
   */
  lockBefore?: (tx: Tx, op: OperationRow) => Promise<void>;
  /**
   * Applies the answer in the settling transaction. An approval changes the state; a decline
   * leaves the transaction as it was (DESIGN.md: failed provider operations are not logged) but
   * may record what a decline means elsewhere (a page's attempt, the declined count).
   */
  settle(context: SettleContext, answer: OperationAnswer): Promise<void>;
};

/** What a claim decided under the locks. */
export type ClaimPlan<Done> =
  /**
   * Ask the PSP: record the operation with this request (what re-sending and settling need); a
   * `kind` here names it when the plan decides which it is (a page's decision).
   */
  | { claim: { reference: string; request: Record<string, unknown>; kind?: ProviderOperationKind } }
  /** Resume this operation instead (the same request again, or a concurrent execution of it). */
  | { resume: OperationRow }
  /** Done without the PSP (a CASH capture, nothing left to do): the claim's transaction commits it. */
  | { done: Done };

export type Subject = {
  organisationId: number | null;
  paymentId: number | null;
  transactionId: number | null;
  creditTransactionId?: number | null;
};

export type ClaimSpec<Locked, Done> = {
  kind: ProviderOperationKind;
  /** Locks the rows the use-case decides on, in the fixed order; throws not_found etc. */
  lock(tx: Tx): Promise<Locked>;
  /** The payment and transaction the operation acts on. */
  subject(locked: Locked): Subject;
  /**
   * Checks the domain rule under the locks and decides. `ofThisRequest` is the operation this same
   * request (its Idempotency-Key) claimed before, if any: resume it rather than check again.
   */
  plan(tx: Tx, locked: Locked, ofThisRequest: OperationRow | null): Promise<ClaimPlan<Done>>;
  /** The first call, when it needs what is not stored (a typed card); otherwise the handler's send. */
  ask?: (op: OperationRow) => Promise<OperationAnswer>;
};

/**
 * The lock and subject of an operation on one transaction: its payment and the payment's
 * transactions locked in the fixed order (lockTransaction), the operation booked on them.
 */
export function onTransaction(
  caller: Caller,
  paymentId: number,
  transactionId: number,
): Pick<ClaimSpec<Awaited<ReturnType<typeof lockTransaction>>, unknown>, "lock" | "subject"> {
  return {
    lock: (tx: Tx) => lockTransaction(tx, caller, paymentId, transactionId),
    subject: ({ payment }: LockedPayment): Subject => ({
      organisationId: payment.organisationId,
      paymentId,
      transactionId,
    }),
  };
}

/** A new idempotency reference for one operation: `capture:<transactionId>:<random>`. */
export function newReference(kind: ProviderOperationKind, id: number | string): string {
  return `${kind.toLowerCase()}:${id}:${randomUUID()}`;
}

/** The PSP's name of the operation's transaction (its ledger books the effect there); none for an operation on no transaction. */
export function transactionReferenceOf(op: Pick<OperationRow, "transactionId">): string | undefined {
  return op.transactionId === null ? undefined : transactionReference(op.transactionId);
}

/**
 * What every ask about a transaction's money carries: the operation's reference, the transaction's
 * name at the PSP, and the request's amount (kept as a decimal string) as Money, in its currency.
 */
export function moneyAskOf(op: Pick<OperationRow, "reference" | "transactionId" | "request">) {
  const request = op.request as { amount: string; currency: string };
  return {
    reference: op.reference,
    transactionReference: transactionReferenceOf(op),
    amount: money(request.amount),
    currency: request.currency,
  };
}

/** The operation's transaction among the settling transaction's locked ones. */
export function transactionOf(context: SettleContext) {
  const transaction = context.locked?.transactions.find((t) => t.transactionId === context.op.transactionId);
  if (!transaction) throw new Error(`provider operation ${context.op.id} has no transaction of its payment`);
  return transaction;
}

export type OperationOutcome<Done> = { kind: "done"; value: Done } | { kind: "settled"; op: OperationRow };

// ---------------------------------------------------------------- timing

/** How long an adapter waits for the PSP (the contract's PAYDESK_PSP_TIMEOUT_MS). */
export function providerTimeoutMs(): number {
  const configured = Number.parseInt(process.env.PAYDESK_PSP_TIMEOUT_MS ?? "", 10);
  return Number.isFinite(configured) && configured > 0 ? configured : 3000;
}

/** How soon a pending operation whose PSP did not answer is looked at again. */
const RECHECK_MS = 2000;
/** The longest wait between two looks at one pending operation. */
const MAX_RECHECK_MS = 10_000;
/** Someone is asking the PSP: nobody else looks before this has passed (a lease). */
const leaseMs = () => 2 * providerTimeoutMs() + 1000;

const later = (ms: number) => new Date(Date.now() + ms);

// ---------------------------------------------------------------- claim

/**
 * Claims, asks and settles one provider operation (or resumes the one this request claimed before).
 * Answers the settled operation, or what the plan did without the PSP.
 * @throws unavailable  the PSP did not answer: the operation stays PENDING and settles later
 * @throws conflict     RESOURCE_BUSY: another operation is in flight on the transaction
 * @throws              whatever the lock and the plan throw (the domain rule)
 */
export async function runProviderOperation<Locked, Done>(
  caller: Caller,
  handler: OperationHandler,
  spec: ClaimSpec<Locked, Done>,
): Promise<OperationOutcome<Done>> {
  const claimed = await inTransaction(async (tx) => {
    const locked = await spec.lock(tx);
    const subject = spec.subject(locked);
    const mine = await operationOfThisRequest(tx, spec.kind, subject);
    const plan = await spec.plan(tx, locked, mine);
    if ("done" in plan) return { kind: "done" as const, value: plan.done };
    if ("resume" in plan) return { kind: "resume" as const, op: plan.resume };
    const { kind = spec.kind, ...claim } = plan.claim;
    const op = await insertClaim(tx, caller, { kind, subject, ...claim, asked: true });
    return { kind: "claimed" as const, op };
  });
  if (claimed.kind === "done") return claimed;
  const op =
    claimed.kind === "claimed"
      ? await askAndSettle(claimed.op, handler, spec.ask ?? handler.send!)
      : await continueOperation(claimed.op, handler);
  return { kind: "settled", op };
}

/** The operation of this kind on this subject that the running request's Idempotency-Key claimed. */
async function operationOfThisRequest(
  tx: Tx,
  kind: ProviderOperationKind,
  subject: Subject,
): Promise<OperationRow | null> {
  const key = currentIdempotencyKey();
  if (!key || subject.transactionId === null) return null;
  const [row] = await tx
    .select()
    .from(providerOperations)
    .where(
      and(
        eq(providerOperations.idempotencyClientId, key.clientId),
        eq(providerOperations.idempotencyKey, key.key),
        eq(providerOperations.kind, kind),
        eq(providerOperations.transactionId, subject.transactionId),
        subject.creditTransactionId != null
          ? eq(providerOperations.creditTransactionId, subject.creditTransactionId)
          : undefined,
      ),
    )
    .orderBy(sql`${providerOperations.id} desc`)
    .limit(1);
  return row ?? null;
}

/** 409 RESOURCE_BUSY: an operation is in flight on the transaction. */
export const busy = () =>
  conflict(
    "Another operation on this transaction is in progress at the payment provider; try again shortly",
    "RESOURCE_BUSY",
  );

/** Where-condition: the payment's operations of `kind` still PENDING at the PSP. */
export const pendingOnPayment = (paymentId: number, kind: ProviderOperationKind) =>
  and(
    eq(providerOperations.paymentId, paymentId),
    eq(providerOperations.kind, kind),
    eq(providerOperations.status, "PENDING"),
  );

/** The transaction's operation in flight, if any (read under the caller's locks). */
export async function pendingOperationOf(tx: Tx, transactionId: number): Promise<OperationRow | null> {
  const [row] = await tx
    .select()
    .from(providerOperations)
    .where(and(eq(providerOperations.transactionId, transactionId), eq(providerOperations.status, "PENDING")));
  return row ?? null;
}

/**
 * The operation in flight for a hosted page's session (kept in its request), if any: for pages
 * whose operation is on no transaction (registering a card or a product's payment method).
 */
export async function pendingOperationOfSession(tx: Tx, sessionId: number): Promise<OperationRow | null> {
  const [row] = await tx
    .select()
    .from(providerOperations)
    .where(
      and(
        eq(providerOperations.status, "PENDING"),
        sql`(${providerOperations.request} ->> 'sessionId') = ${String(sessionId)}`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * For a change to a locked transaction that asks no PSP (a CASH capture, cancelling a page that
 * was never paid): refuses while a provider operation is in flight on it, whose settlement would
 * otherwise meet a transaction it no longer fits.
 * @throws conflict  RESOURCE_BUSY
 */
export async function requireNoOperationInFlight(tx: Tx, transactionId: number): Promise<void> {
  if (await pendingOperationOf(tx, transactionId)) throw busy();
}

/**
 * Records a PENDING operation inside the caller's DB transaction (under its locks), linked to the
 * running request's Idempotency-Key. `asked: false` for a claim the caller does not ask at once
 * (a deactivation's cancels, a direct credit's refund: asked right after the commit).
 * @throws conflict  RESOURCE_BUSY
 */
export async function insertClaim(
  tx: Tx,
  caller: Caller,
  fields: {
    kind: ProviderOperationKind;
    subject: Subject;
    reference: string;
    request: Record<string, unknown>;
    asked: boolean;
  },
): Promise<OperationRow> {
  const { subject } = fields;
  // Another operation in flight on the transaction: the partial unique index refuses this one
  // (caught below), so no statement asks first.
  const key = currentIdempotencyKey();
  try {
    const [op] = await tx
      .insert(providerOperations)
      .values({
        organisationId: subject.organisationId,
        paymentId: subject.paymentId,
        transactionId: subject.transactionId,
        creditTransactionId: subject.creditTransactionId ?? null,
        kind: fields.kind,
        reference: fields.reference,
        request: { ...fields.request, caller },
        idempotencyClientId: key?.clientId ?? null,
        idempotencyKey: key?.key ?? null,
        attempts: fields.asked ? 1 : 0,
        // Asked now: nobody else looks before the call has surely ended.
        nextCheckAt: fields.asked ? later(leaseMs()) : new Date(),
        claimedBy: callerName(caller),
      })
      .returning();
    return op;
  } catch (error) {
    if (violatedConstraint(error) === "provider_operations_one_pending_uq") throw busy();
    throw error;
  }
}

export function callerName(caller: Caller): string {
  switch (caller.kind) {
    case "client":
      return caller.clientId;
    case "staff":
      return caller.email;
    case "system":
      return caller.name;
    case "customer":
      return `customer ${caller.customerNumber}`;
  }
}

/** The caller an operation was claimed by (kept in its request). */
export function claimerOf(op: OperationRow): Caller {
  return op.request.caller as Caller;
}

// ---------------------------------------------------------------- ask and settle

async function askAndSettle(
  op: OperationRow,
  handler: OperationHandler,
  ask: (op: OperationRow) => Promise<OperationAnswer>,
): Promise<OperationRow> {
  let answer: OperationAnswer;
  try {
    answer = await ask(op);
  } catch (error) {
    await unknownOutcome(op, error);
    if (error instanceof ProviderUnavailable) throw providerUnavailable();
    throw error;
  }
  return settleOperation(op, handler, answer);
}

/**
 * Finishes an operation claimed before: settled already → as it is; never asked (a claim made
 * beside other work) → ask now; asked before → ask the PSP by reference, and re-send what it
 * never received. Answers the settled operation.
 * @throws unavailable  the PSP still does not answer (the operation stays PENDING)
 */
export async function continueOperation(op: OperationRow, handler: OperationHandler): Promise<OperationRow> {
  if (op.status !== "PENDING") return op;
  const leased = await lease(op.id);
  if (!leased) return currentOperation(op.id); // settled in between
  if (op.attempts === 0 && handler.send) return askAndSettle(leased, handler, handler.send);
  let answer: OperationAnswer | null;
  try {
    answer = await resolveAtProvider(leased, handler);
  } catch (error) {
    await unknownOutcome(leased, error);
    if (error instanceof ProviderUnavailable) throw providerUnavailable();
    throw error;
  }
  if (answer === null) {
    await unknownOutcome(leased, null);
    throw providerUnavailable();
  }
  return settleOperation(leased, handler, answer);
}

/** Counts an attempt and pushes the next look ahead while this caller asks; null when no longer PENDING. */
async function lease(id: number): Promise<OperationRow | null> {
  const [row] = await db()
    .update(providerOperations)
    .set({ attempts: sql`${providerOperations.attempts} + 1`, nextCheckAt: later(leaseMs()) })
    .where(and(eq(providerOperations.id, id), eq(providerOperations.status, "PENDING")))
    .returning();
  return row ?? null;
}

async function currentOperation(id: number): Promise<OperationRow> {
  const [row] = await db().select().from(providerOperations).where(eq(providerOperations.id, id));
  return row;
}

/**
 * What the PSP says of an operation asked before: its answer by reference; for one it never
 * received, the answer to sending it again with the same reference, or (a typed card, which
 * cannot be sent again) a decline once the PSP has surely given up on the first call; null while
 * that is not yet sure.
 * @throws ProviderUnavailable  the PSP did not answer
 */
async function resolveAtProvider(op: OperationRow, handler: OperationHandler): Promise<OperationAnswer | null> {
  const found = await paymentProvider().lookup(op.reference);
  if (found.found) return found.answer as OperationAnswer;
  if (handler.send) return handler.send(op);
  if (Date.now() - op.createdAt.getTime() < 2 * providerTimeoutMs()) return null;
  return { ok: false, reason: "The payment provider never received the operation", unreached: true };
}

/** The PSP gave no answer we can trust: the operation stays PENDING and is looked at again soon. */
async function unknownOutcome(op: OperationRow, error: unknown): Promise<void> {
  const backoff = Math.min(MAX_RECHECK_MS, RECHECK_MS * 2 ** Math.max(0, Math.min(op.attempts - 1, 4)));
  logger.warn("provider operation outcome unknown; it stays pending", {
    operationId: op.id,
    kind: op.kind,
    reference: op.reference,
    attempts: op.attempts,
    error: error === null ? "not found at the provider yet" : String(error),
  });
  await db()
    .update(providerOperations)
    .set({ nextCheckAt: later(backoff) })
    .where(and(eq(providerOperations.id, op.id), eq(providerOperations.status, "PENDING")));
}

/**
 * Step 3: applies the answer once, under the payment's locks (the fixed order, after what the
 * handler locks before them, then the operation's row). Answers the operation as it ends up (settled by someone else meanwhile: theirs).
 */
export async function settleOperation(
  op: OperationRow,
  handler: OperationHandler,
  answer: OperationAnswer,
): Promise<OperationRow> {
  return inTransaction(async (tx) => {
    const caller = claimerOf(op);
    const lockAs: Caller = { kind: "system", name: "provider-settlement", correlationId: caller.correlationId };
    // The settlement's commit does not wait for its WAL flush (docs/decisions/053): the claim was
    // committed durably before the PSP was asked, so were a server crash to lose this commit, the
    // operation would be PENDING again and the recovery job would settle it from the PSP's answer
    // by reference. Sent with the first lock (one write; the server runs them in order).
    const relaxed = tx.execute(sql`set local synchronous_commit to off`).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    await handler.lockBefore?.(tx, op);
    const locked = op.paymentId !== null ? await lockPayment(tx, lockAs, op.paymentId) : null;
    const refused = await relaxed;
    if (refused) throw refused.error;
    // Marked settled first, under the same locks and in the same transaction as its effect: the
    // update takes the operation's row lock and says whether it was still PENDING, in one statement.
    const at = new Date();
    const [settled] = await tx
      .update(providerOperations)
      .set({ status: answer.ok ? "SUCCEEDED" : "FAILED", answer, settledAt: at })
      .where(and(eq(providerOperations.id, op.id), eq(providerOperations.status, "PENDING")))
      .returning();
    if (!settled) {
      const [current] = await tx.select().from(providerOperations).where(eq(providerOperations.id, op.id));
      return current;
    }
    await handler.settle(
      { tx, op: { ...settled, status: "PENDING", answer: op.answer, settledAt: null }, caller, locked, at },
      answer,
    );
    return settled;
  });
}

/**
 * What a settled operation means to the caller that asked for it: nothing for a success; the PSP's
 * no as a 422 with its errorReason.
 * @throws declined  the operation failed
 */
export function requireSucceeded(op: OperationRow): void {
  if (op.status === "SUCCEEDED") return;
  if (op.status === "PENDING") throw providerUnavailable();
  const answer = op.answer as Decline;
  throw new DomainError("declined", answer.reason, { errorReason: answer.errorReason });
}

// ---------------------------------------------------------------- recovery

export type RecoveryReport = { looked: number; settled: number; stillPending: number };

/**
 * One pass of the recovery job: takes due PENDING operations (SKIP LOCKED, so several instances
 * share the work, and a lease so that nobody else asks at the same time), asks the PSP about each
 * and settles what it can. Safe to run anywhere at any time.
 */
export async function recoverDueOperations(
  handlerOf: (kind: ProviderOperationKind) => OperationHandler,
  options: { limit?: number; operationIds?: number[] } = {},
): Promise<RecoveryReport> {
  const due = await inTransaction(async (tx) => {
    const rows = await tx
      .select({ id: providerOperations.id })
      .from(providerOperations)
      .where(
        and(
          eq(providerOperations.status, "PENDING"),
          options.operationIds
            ? inArray(providerOperations.id, options.operationIds)
            : lte(providerOperations.nextCheckAt, new Date()),
        ),
      )
      .orderBy(asc(providerOperations.nextCheckAt))
      .limit(options.limit ?? 50)
      .for("update", { skipLocked: true });
    if (!rows.length) return [];
    return tx
      .update(providerOperations)
      .set({ attempts: sql`${providerOperations.attempts} + 1`, nextCheckAt: later(leaseMs()) })
      .where(
        inArray(
          providerOperations.id,
          rows.map((r) => r.id),
        ),
      )
      .returning();
  });
  const report: RecoveryReport = { looked: due.length, settled: 0, stillPending: 0 };
  await Promise.all(
    due.map(async (op) => {
      const handler = handlerOf(op.kind);
      try {
        const answer = await resolveAtProvider(op, handler);
        if (answer === null) {
          await unknownOutcome(op, null);
          report.stillPending += 1;
          return;
        }
        const settled = await settleOperation(op, handler, answer);
        if (settled.status !== "PENDING") report.settled += 1;
      } catch (error) {
        await unknownOutcome(op, error).catch(() => {});
        report.stillPending += 1;
        if (!(error instanceof ProviderUnavailable)) {
          logger.error("recovering a provider operation failed", { operationId: op.id, error: String(error) });
        }
      }
    }),
  );
  return report;
}
