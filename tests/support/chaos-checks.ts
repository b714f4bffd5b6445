// What the chaos test (tests/integration/chaos.test.ts) holds Paydesk to once the dust settles,
// as a list of problems (empty: all is well), so that one failing run reports everything it found:
//   - nothing in flight: no provider operation PENDING;
//   - no effect twice, none unknown: every operation the sandbox PSP remembers is one of Paydesk's
//     provider operations with the same outcome, and every settled one of Paydesk's is at the PSP;
//   - the PSP's own ledger per transaction equals what Paydesk's operation log says to the øre
//     (authorized, captured, cancelled, refunded);
//   - DESIGN.md's invariants: credited + reserved ≤ captured ≤ authorized, reservations are the
//     unexecuted credit lines, non-cancelled transactions within the payment's total;
//   - nothing lost: every 2xx answer the clients got is reflected in the final state.
import { inArray } from "drizzle-orm";
import type { DatabaseHandle } from "../../db/client";
import {
  creditTransactions,
  credits,
  operationLog,
  paymentTransactions,
  payments,
  providerOperations,
} from "../../db/schema";
import { add, formatAmount, money, sum, ZERO, type Money } from "../../app/domain/money";
import type { LedgerLine } from "../../app/providers/psp-protocol";
import { lostAnswer, type RecordedStep } from "./chaos-load";
import type { PspOperationRecord } from "./psp";

export type PaydeskState = Awaited<ReturnType<typeof readPaydesk>>;

/** Everything Paydesk holds about the payments the test made. */
export async function readPaydesk(handle: DatabaseHandle, paymentIds: number[]) {
  const { db } = handle;
  const [paymentRows, transactionRows, logRows, operationRows, lineRows] = await Promise.all([
    db.select().from(payments).where(inArray(payments.paymentId, paymentIds)),
    db.select().from(paymentTransactions).where(inArray(paymentTransactions.paymentId, paymentIds)),
    db.select().from(operationLog).where(inArray(operationLog.paymentId, paymentIds)).orderBy(operationLog.id),
    db.select().from(providerOperations),
    db.select().from(creditTransactions).where(inArray(creditTransactions.paymentId, paymentIds)),
  ]);
  const creditIds = [...new Set(lineRows.map((l) => l.creditId))];
  const creditRows = creditIds.length
    ? await db.select().from(credits).where(inArray(credits.creditId, creditIds))
    : [];
  return {
    payments: paymentRows,
    transactions: transactionRows,
    log: logRows,
    operations: operationRows,
    lines: lineRows,
    credits: creditRows,
  };
}

export type PspState = { records: PspOperationRecord[]; ledger: Record<string, LedgerLine> };

const amountOf = (value: string | null) => money(value ?? "0");
const show = (value: Money) => formatAmount(value);

/** Provider operations: none pending, and the PSP's memory and Paydesk's agree reference by reference. */
export function checkOperations(state: PaydeskState, psp: PspState): string[] {
  const problems: string[] = [];
  const ours = new Map(state.operations.map((op) => [op.reference, op]));
  for (const op of state.operations) {
    if (op.status === "PENDING") problems.push(`operation ${op.id} (${op.kind} ${op.reference}) is still PENDING`);
  }
  const theirs = new Map(psp.records.map((r) => [r.reference, r]));
  for (const record of psp.records) {
    const op = ours.get(record.reference);
    const outcome = record.answer.ok ? "approved" : "declined";
    if (!op) {
      problems.push(`the PSP ${outcome} ${record.operation} ${record.reference}, which Paydesk has no operation for`);
      continue;
    }
    if (op.status === "SUCCEEDED" && !record.answer.ok)
      problems.push(`operation ${op.id} (${op.reference}) SUCCEEDED, but the PSP declined it`);
    if (op.status === "FAILED" && record.answer.ok)
      problems.push(`operation ${op.id} (${op.reference}) FAILED, but the PSP approved it: an effect Paydesk lost`);
  }
  for (const op of state.operations) {
    if (op.status === "PENDING") continue;
    const record = theirs.get(op.reference);
    const unreached = (op.answer as { unreached?: boolean } | null)?.unreached === true;
    if (!record && !unreached)
      problems.push(`operation ${op.id} (${op.kind} ${op.reference}) is ${op.status}, but the PSP never had it`);
    if (unreached)
      problems.push(`operation ${op.id} (${op.kind}) was settled as never received, but ${op.kind} can be re-sent`);
  }
  // Effects that may happen once per transaction, whatever their references.
  const once = new Map<string, number>();
  for (const record of psp.records) {
    if (!record.answer.ok || !record.transactionReference) continue;
    if (!["capture", "cancel", "vipps-charge", "card-charge"].includes(record.operation)) continue;
    const key = `${record.transactionReference} ${record.operation}`;
    once.set(key, (once.get(key) ?? 0) + 1);
  }
  for (const [key, count] of once) if (count > 1) problems.push(`the PSP did ${key} ${count} times`);
  return problems;
}

type Expected = { authorized: Money; captured: Money; cancelled: Money; refunded: Money };

/** The PSP's ledger per transaction, as Paydesk's operation log says it must be. */
function expectedLedger(state: PaydeskState): Map<number, Expected> {
  const expected = new Map<number, Expected>();
  for (const t of state.transactions)
    expected.set(t.transactionId, { authorized: ZERO, captured: ZERO, cancelled: ZERO, refunded: ZERO });
  const authorizedAtPsp = new Set<number>();
  for (const entry of state.log) {
    const line = expected.get(entry.transactionId)!;
    const amount = amountOf(entry.amount);
    if (entry.operation === "AUTHORIZE") {
      line.authorized = amount;
      authorizedAtPsp.add(entry.transactionId);
    }
    if (entry.operation === "CAPTURE") line.captured = add(line.captured, amount);
    // A cancel asks the PSP only to release an authorization it holds.
    if (entry.operation === "CANCEL" && authorizedAtPsp.has(entry.transactionId))
      line.cancelled = add(line.cancelled, amount);
    if (entry.operation === "CREDIT") line.refunded = add(line.refunded, amount);
  }
  return expected;
}

/** The sandbox's ledger agrees with Paydesk's operation log, transaction by transaction, to the øre. */
export function checkLedger(state: PaydeskState, psp: PspState): string[] {
  const problems: string[] = [];
  const expected = expectedLedger(state);
  const zero = { authorized: "0.00", captured: "0.00", cancelled: "0.00", refunded: "0.00" };
  for (const [transactionId, line] of expected) {
    const name = `transaction-${transactionId}`;
    const atPsp = psp.ledger[name] ?? zero;
    for (const field of ["authorized", "captured", "cancelled", "refunded"] as const) {
      if (money(atPsp[field]) !== line[field])
        problems.push(
          `${name}: the PSP's ledger has ${field} ${atPsp[field]}, Paydesk's log says ${show(line[field])}`,
        );
    }
  }
  for (const name of Object.keys(psp.ledger)) {
    const id = Number(name.replace("transaction-", ""));
    if (!expected.has(id)) problems.push(`the PSP booked on ${name}, a transaction Paydesk does not know`);
  }
  return problems;
}

/** DESIGN.md's invariants, and each transaction's amounts against its own operation log. */
export function checkInvariants(state: PaydeskState): string[] {
  const problems: string[] = [];
  const entries = (transactionId: number, operation: string) =>
    state.log.filter((e) => e.transactionId === transactionId && e.operation === operation);
  const activeCredits = new Set(state.credits.filter((c) => c.active).map((c) => c.creditId));
  for (const t of state.transactions) {
    const name = `transaction ${t.transactionId} (${t.status})`;
    const captured = amountOf(t.capturedAmount);
    const credited = amountOf(t.creditedAmount);
    const reserved = amountOf(t.reservedAmount);
    const authorized = amountOf(t.authorizedAmount);
    const captures = entries(t.transactionId, "CAPTURE");
    const cancels = entries(t.transactionId, "CANCEL");
    if (captures.length > 1) problems.push(`${name} has ${captures.length} CAPTURE entries`);
    if (cancels.length > 1) problems.push(`${name} has ${cancels.length} CANCEL entries`);
    if (captures.length && cancels.length) problems.push(`${name} was both captured and cancelled`);
    const logged = (operation: string) => sum(entries(t.transactionId, operation).map((e) => amountOf(e.amount)));
    if (logged("CAPTURE") !== captured)
      problems.push(`${name}: captured ${show(captured)}, its log says ${show(logged("CAPTURE"))}`);
    if (logged("CREDIT") !== credited)
      problems.push(`${name}: credited ${show(credited)}, its log says ${show(logged("CREDIT"))}`);
    if (add(credited, reserved) > captured)
      problems.push(`${name}: credited ${show(credited)} + reserved ${show(reserved)} > captured ${show(captured)}`);
    if (captured > authorized) problems.push(`${name}: captured ${show(captured)} > authorized ${show(authorized)}`);
    if (reserved < ZERO || credited < ZERO) problems.push(`${name}: negative reserved or credited`);
    const open = state.lines.filter(
      (l) => l.transactionId === t.transactionId && l.status === "CREATED" && activeCredits.has(l.creditId),
    );
    const held = sum(open.map((l) => money(l.amount)));
    if (held !== reserved)
      problems.push(`${name}: reserved ${show(reserved)}, its open credit lines hold ${show(held)}`);
    const capturedStates = ["CAPTURED", "CREDITED"];
    if (capturedStates.includes(t.status) !== (captures.length === 1))
      problems.push(`${name} does not match its ${captures.length} CAPTURE entries`);
    if ((t.status === "CANCELLED") !== (cancels.length === 1))
      problems.push(`${name} does not match its ${cancels.length} CANCEL entries`);
    if ((t.status === "CREDITED") !== (captured > ZERO && credited === captured))
      problems.push(`${name}: credited ${show(credited)} of captured ${show(captured)}`);
  }
  for (const p of state.payments) {
    const held = sum(
      state.transactions
        .filter((t) => t.paymentId === p.paymentId && t.status !== "CANCELLED")
        .map((t) => money(t.amount)),
    );
    if (held > money(p.totalAmount))
      problems.push(`payment ${p.paymentId}: its transactions hold ${show(held)} of a total ${p.totalAmount}`);
  }
  for (const credit of state.credits) {
    const lines = state.lines.filter((l) => l.creditId === credit.creditId);
    const all = lines.length > 0 && lines.every((l) => l.status === "CREDITED");
    if ((credit.status === "CREDITED") !== all)
      problems.push(
        `credit ${credit.creditId} is ${credit.status} with lines ${lines.map((l) => l.status).join(", ")}`,
      );
  }
  for (const line of state.lines) {
    const refunds = state.operations.filter(
      (op) => op.creditTransactionId === line.creditTransactionId && op.status === "SUCCEEDED",
    );
    if ((line.status === "CREDITED") !== (refunds.length === 1))
      problems.push(`credit transaction ${line.creditTransactionId} is ${line.status} with ${refunds.length} refunds`);
  }
  return problems;
}

/** Every 2xx a client was given is in the final state. */
export function checkAnswers(state: PaydeskState, steps: RecordedStep[]): string[] {
  const problems: string[] = [];
  const transaction = (id: number) => state.transactions.find((t) => t.transactionId === id)!;
  const logged = (id: number, operation: string) =>
    state.log.filter((e) => e.transactionId === id && e.operation === operation);
  for (const step of steps) {
    const { status, body } = step.answer;
    // Each of these claims provider operations under its key or may run again: a retry with the
    // key must get the outcome, never "look it up".
    if (step.kind !== "CREATE_CREDIT" && lostAnswer(step.answer))
      problems.push(`${step.kind} ${step.call.path}: its key answered 409 "look the result up"`);
    if (status < 200 || status >= 300) continue;
    const t = transaction(step.transactionId);
    const what = `${step.kind} of transaction ${step.transactionId} answered ${status}`;
    switch (step.kind) {
      case "AUTHORIZE": {
        const amount = money((step.call.body as { totalAmount: string }).totalAmount);
        if (!logged(t.transactionId, "AUTHORIZE").some((e) => amountOf(e.amount) === amount))
          problems.push(`${what}, but no AUTHORIZE of ${show(amount)} is logged`);
        break;
      }
      case "VIPPS_CHARGE":
      case "STORED_CARD_CHARGE":
        if (!logged(t.transactionId, "AUTHORIZE").some((e) => e.amount === t.amount))
          problems.push(`${what}, but no AUTHORIZE of ${t.amount} is logged`);
        break;
      case "CAPTURE":
        if (logged(t.transactionId, "CAPTURE").length !== 1) problems.push(`${what}, but it is ${t.status}`);
        break;
      case "CANCEL":
        if (t.status !== "CANCELLED") problems.push(`${what}, but it is ${t.status}`);
        break;
      case "CREATE_CREDIT":
        if (!state.credits.some((c) => c.creditId === body.creditId))
          problems.push(`${what}, but credit ${body.creditId} is gone`);
        break;
      case "CREDIT_EXECUTE": {
        const lines = state.lines.filter((l) => l.creditId === body.creditId);
        if (!lines.length || lines.some((l) => l.status !== "CREDITED"))
          problems.push(
            `${what} for credit ${body.creditId}, but its lines are ${lines.map((l) => l.status).join(", ")}`,
          );
        break;
      }
      case "DIRECT_CREDIT": {
        const answered = money(
          body.transactions.find((x: { transactionId: number }) => x.transactionId === t.transactionId).summary
            .creditedAmount,
        );
        if (answered > money(t.creditedAmount))
          problems.push(`${what} with ${show(answered)} credited, but only ${t.creditedAmount} is`);
        break;
      }
    }
  }
  // Of a capture and a cancel raced on one transaction, at most one may succeed.
  const won = new Map<number, string[]>();
  for (const step of steps) {
    if ((step.kind === "CAPTURE" || step.kind === "CANCEL") && step.answer.status === 200)
      won.set(step.transactionId, [...(won.get(step.transactionId) ?? []), step.kind]);
  }
  for (const [id, kinds] of won)
    if (kinds.length > 1) problems.push(`transaction ${id}: ${kinds.join(" and ")} both answered 200`);
  return problems;
}
