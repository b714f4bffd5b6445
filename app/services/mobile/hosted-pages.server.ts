// What the hosted pages of the app, wallet and invoice flows share (the Vipps page, the wallet's
// 3-D Secure page, the Collector invoice page, and the self-service checkout page): their
// sessions (provider_sessions rows reached by an unguessable token, alive 15 minutes, see
// app/domain/terminal.ts), the authorization a page's approval writes, and one way to let a
// customer decide on a page (approve, reject) inside one DB transaction.
//
// Lock order everywhere: payment, its transactions (locks.server.ts), then an agreement or an
// invoice, then provider sessions.
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { organisations, paymentTransactions, payments, providerSessions } from "../../../db/schema";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import { money, toDbAmount } from "../../domain/money";
import { requireAllowedUrl } from "../../domain/redirects";
import { awaitsTerminal, pageResultUrl, terminalState, type PageResult } from "../../domain/terminal";
import { lockTransaction } from "../../platform/locks.server";
import { appendOperation } from "../../platform/operation-log.server";
import { enqueueCallback, transactionCallbackPayload } from "../../platform/outbox.server";
import { countOutcome, inAuthorizingTransaction, outcomeKeyOf } from "../../platform/outcomes.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import { touchPayment } from "../transactions/transactions.server";

export type SessionRow = typeof providerSessions.$inferSelect;
export type SessionKind = "vipps" | "wallet" | "invoice";

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** No open redirects: see app/domain/redirects.ts. */
export function requireAllowedRedirect(caller: ClientCaller, url: string, field = "redirectUrl"): void {
  requireAllowedUrl(caller.allowedRedirectPrefixes, url, field);
}

/** Ends the open pages of a transaction (a new claim, terminal or invoice replaces them). */
export async function supersedeSessionsLocked(
  tx: Tx,
  transactionId: number,
  at: Date,
  outcome = "superseded",
): Promise<void> {
  await tx
    .update(providerSessions)
    .set({ completedAt: at, outcome })
    .where(and(eq(providerSessions.transactionId, transactionId), isNull(providerSessions.completedAt)));
}

export async function insertSessionLocked(
  tx: Tx,
  values: {
    token?: string;
    kind: SessionKind;
    paymentId: number;
    transactionId: number;
    redirectUrl: string | null;
    callbackUrl?: string | null;
    options: Record<string, unknown>;
    expiresAt: Date;
  },
): Promise<SessionRow> {
  const [row] = await tx
    .insert(providerSessions)
    .values({ ...values, token: values.token ?? newToken(), callbackUrl: values.callbackUrl ?? null })
    .returning();
  return row;
}

/** A page's session by its token (no lock: for rendering). */
export async function findSession(token: string, kind: SessionKind): Promise<SessionRow | null> {
  if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return null;
  const [row] = await db()
    .select()
    .from(providerSessions)
    .where(and(eq(providerSessions.token, token), eq(providerSessions.kind, kind)));
  return row ?? null;
}

/** The organisation the customer pays, as the page names it. */
export async function merchantName(paymentId: number | null): Promise<string> {
  if (paymentId === null) return "Paydesk";
  const [row] = await db()
    .select({ name: organisations.name })
    .from(payments)
    .innerJoin(organisations, eq(organisations.id, payments.organisationId))
    .where(eq(payments.paymentId, paymentId));
  return row?.name ?? "Paydesk";
}

/**
 * Marks a transaction authorized for its whole amount, logs AUTHORIZE, counts the approved
 * attempt and announces it.
 */
export async function authorizeLocked(
  tx: Tx,
  caller: SystemCaller | ClientCaller,
  payment: { organisationId: number },
  transaction: TransactionRow,
  at: Date,
  extra: Partial<typeof paymentTransactions.$inferInsert> = {},
  callbackUrl: string | null = null,
): Promise<TransactionRow> {
  const amount = money(transaction.amount);
  const [row] = await tx
    .update(paymentTransactions)
    .set({ ...extra, status: "AUTHORIZED", authorizedAmount: toDbAmount(amount), updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId))
    .returning();
  await appendOperation(
    tx,
    { transactionId: row.transactionId, paymentId: row.paymentId, operation: "AUTHORIZE", amount, at },
    caller,
  );
  await countOutcome(tx, outcomeKeyOf(payment, row), "approved", at);
  if (callbackUrl) await enqueueCallback(tx, callbackUrl, transactionCallbackPayload(row));
  await touchPayment(tx, row.paymentId, at);
  return row;
}

// ---------------------------------------------------------------- a customer decides on a page

export type PageDecision = {
  /** approved/rejected/failed: what happened now; expired/completed/unavailable: nothing changed. */
  state: PageResult | "expired" | "completed" | "unavailable";
  message: string;
  /** Where to send the customer (the client's redirectUrl with the result), or null to show the message. */
  redirectTo: string | null;
};

export type DecisionContext = {
  tx: Tx;
  caller: SystemCaller;
  payment: PaymentRow;
  transaction: TransactionRow;
  session: SessionRow;
  at: Date;
};

/**
 * Runs a customer's decision on a hosted page in one DB transaction: locks the payment, its
 * transactions and the session; an expired or finished session changes nothing; otherwise
 * `decide` acts and the session is closed with its result. Null: no such page. A provider call
 * that throws is counted as a failed authorization (askProvider) after the rollback.
 */
export async function decideOnPage(
  caller: SystemCaller,
  token: string,
  kind: SessionKind,
  decide: (context: DecisionContext) => Promise<{ result: PageResult; message: string } | { unavailable: string }>,
): Promise<PageDecision | null> {
  const peek = await findSession(token, kind);
  if (!peek || peek.paymentId === null || peek.transactionId === null) return null;
  const paymentId = peek.paymentId;
  const transactionId = peek.transactionId;
  return inAuthorizingTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    const [session] = await tx.select().from(providerSessions).where(eq(providerSessions.id, peek.id)).for("update");
    const at = new Date();
    const state = terminalState(session, at);
    if (state === "expired") {
      return {
        state,
        message: "This page has expired. Nothing was paid; go back to the shop and start again.",
        redirectTo: null,
      };
    }
    if (state === "completed") return { state, message: completedMessage(session.outcome), redirectTo: null };
    if (!awaitsTerminal(payment, transaction)) {
      return {
        state: "unavailable",
        message: "This payment can no longer be completed here (it was cancelled or changed).",
        redirectTo: null,
      };
    }
    const decision = await decide({ tx, caller, payment, transaction, session, at });
    if ("unavailable" in decision) return { state: "unavailable", message: decision.unavailable, redirectTo: null };
    await tx
      .update(providerSessions)
      .set({ completedAt: at, outcome: decision.result })
      .where(eq(providerSessions.id, session.id));
    return {
      state: decision.result,
      message: decision.message,
      redirectTo: session.redirectUrl
        ? pageResultUrl(session.redirectUrl, paymentId, transactionId, decision.result)
        : null,
    };
  });
}

/** What a page that is over says, by the outcome it ended with. */
export function completedMessage(outcome: string | null): string {
  if (outcome?.startsWith("agreement:")) return agreementClosedMessage(outcome.slice("agreement:".length));
  switch (outcome) {
    case "approved":
      return "This payment has already been approved.";
    case "rejected":
      return "This payment was rejected.";
    case "failed":
      return "This payment was declined.";
    case "replaced":
    case "superseded":
      return "This page has been replaced by a newer one. Nothing was paid here.";
    default:
      return "This page is no longer in use.";
  }
}

/** What the confirmation page of an agreement that no longer awaits the customer says. */
export function agreementClosedMessage(status: string): string {
  switch (status) {
    case "ACTIVE":
      return "This agreement has already been confirmed.";
    case "STOPPED":
      return "This agreement has been stopped or rejected.";
    case "EXPIRED":
      return "This agreement request has expired.";
    default:
      return "This agreement can no longer be confirmed here.";
  }
}
