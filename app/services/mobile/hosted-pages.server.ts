// What the hosted pages of the app, wallet and invoice flows share (the Vipps page, the wallet's
// 3-D Secure page, the Collector invoice page, and the self-service checkout page): their
// sessions (provider_sessions rows reached by an unguessable token, alive 15 minutes, see
// app/domain/terminal.ts), the authorization a page's approval writes, and one way to let a
// customer decide on a page (approve, reject): one DB transaction, or claim → ask → settle when
// the provider must be asked.
//
// Lock order everywhere: payment, its transactions (locks.server.ts), then an agreement or an
// invoice, then provider sessions.
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { organisations, paymentTransactions, payments, providerSessions } from "../../../db/schema";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import { requireAllowedUrl } from "../../domain/redirects";
import {
  awaitsTerminal,
  pageResultUrl,
  terminalExpiresAt,
  terminalState,
  type PageResult,
} from "../../domain/terminal";
import type { ProviderOperationKind } from "../../domain/enums";
import { DomainError } from "../../domain/errors";
import { countOutcome, outcomeKeyOf } from "../../platform/outcomes.server";
import {
  pendingOperationOf,
  requireNoOperationInFlight,
  runProviderOperation,
  transactionOf,
  type ClaimPlan,
  type OperationAnswer,
  type OperationHandler,
  type OperationOutcome,
  type OperationRow,
  type SettleContext,
  onTransaction,
} from "../../platform/provider-operations.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import { authorizeLocked, initiateLocked } from "../transactions/transactions.server";

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
  // A page whose approval is in flight at the provider is not replaced under it.
  await requireNoOperationInFlight(tx, transactionId);
  await endOpenSessionsLocked(tx, transactionId, at, outcome);
}

/** supersedeSessionsLocked for the settlement of the transaction's own operation in flight. */
export async function endOpenSessionsLocked(
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

/**
 * Opens a customer page for a transaction: its open pages end (superseded), the new page's session
 * is written, and the transaction is INITIATED with its INITIATE entry.
 */
export async function openPageLocked(
  tx: Tx,
  caller: ClientCaller,
  transaction: TransactionRow,
  at: Date,
  page: Omit<Parameters<typeof insertSessionLocked>[1], "paymentId" | "transactionId" | "expiresAt">,
): Promise<SessionRow> {
  const { paymentId, transactionId } = transaction;
  await supersedeSessionsLocked(tx, transactionId, at);
  const session = await insertSessionLocked(tx, {
    ...page,
    paymentId,
    transactionId,
    expiresAt: terminalExpiresAt(at),
  });
  await initiateLocked(tx, caller, transaction, at);
  return session;
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

// ---------------------------------------------------------------- a customer decides on a page

export type PageDecision = {
  /**
   * approved/rejected/failed: what happened now; expired/completed/unavailable: nothing changed;
   * in_progress: the provider has not answered yet (the page settles by itself later).
   */
  state: PageResult | "expired" | "completed" | "unavailable" | "in_progress";
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

/** What a customer's decision on a page leads to, decided under the locks. */
export type PageStep =
  /** Decided without the provider (a rejection): the session closes with this result at once. */
  | { result: PageResult; message: string }
  | { unavailable: string }
  /**
   * Ask the provider (a provider operation of this kind, settled by its handler, which closes the
   * session with "approved" or "failed"); `message` words the settled outcome for the page.
   */
  | {
      ask: { kind: ProviderOperationKind; reference: string; request: Record<string, unknown> };
      message: (answer: OperationAnswer) => string;
    };

export const IN_PROGRESS_MESSAGE =
  "The provider has not answered yet: your payment is being processed. Reload this page in a moment to see the result.";

/**
 * Runs a customer's decision on a hosted page: locks the payment, its transactions and the
 * session; an expired or finished session changes nothing; otherwise `decide` says what happens.
 * A provider call is claim → ask → settle (platform/provider-operations.server.ts): the session
 * stays open while it is in flight, and the handler of its kind (in `handlers`) closes it with
 * the outcome. Null: no such page.
 */
export async function decideOnPage(
  caller: SystemCaller,
  token: string,
  kind: SessionKind,
  handlers: Partial<Record<ProviderOperationKind, OperationHandler>>,
  decide: (context: DecisionContext) => Promise<PageStep>,
): Promise<PageDecision | null> {
  const peek = await findSession(token, kind);
  if (!peek || peek.paymentId === null || peek.transactionId === null) return null;
  const paymentId = peek.paymentId;
  const transactionId = peek.transactionId;
  let message: ((answer: OperationAnswer) => string) | null = null;
  const inProgress: PageDecision = { state: "in_progress", message: IN_PROGRESS_MESSAGE, redirectTo: null };
  const outcome = await runPageOperation(peek, inProgress, () =>
    runProviderOperation(caller, byKind(handlers), {
      kind: "VIPPS_CLAIM", // named by the plan's claim
      ...onTransaction(caller, paymentId, transactionId),
      plan: async (tx, { payment, transaction }): Promise<ClaimPlan<PageDecision>> => {
        const [session] = await tx
          .select()
          .from(providerSessions)
          .where(eq(providerSessions.id, peek.id))
          .for("update");
        const at = new Date();
        const state = terminalState(session, at);
        if (state === "expired") {
          return {
            done: {
              state,
              message: "This page has expired. Nothing was paid; go back to the shop and start again.",
              redirectTo: null,
            },
          };
        }
        if (state === "completed")
          return { done: { state, message: completedMessage(session.outcome), redirectTo: null } };
        if (!awaitsTerminal(payment, transaction)) {
          return {
            done: {
              state: "unavailable",
              message: "This payment can no longer be completed here (it was cancelled or changed).",
              redirectTo: null,
            },
          };
        }
        if (await pendingOperationOf(tx, transactionId)) return { done: inProgress };
        const step = await decide({ tx, caller, payment, transaction, session, at });
        if ("unavailable" in step)
          return { done: { state: "unavailable", message: step.unavailable, redirectTo: null } };
        if ("ask" in step) {
          message = step.message;
          return { claim: { ...step.ask, request: { ...step.ask.request, sessionId: session.id } } };
        }
        await closeSessionLocked(tx, session.id, step.result, at);
        return { done: { state: step.result, message: step.message, redirectTo: resultUrl(session, step.result) } };
      },
    }),
  );
  if ("done" in outcome) return outcome.done;
  const result = (outcome.op.status === "SUCCEEDED" ? "approved" : "failed") satisfies PageResult;
  return {
    state: result,
    message: message!(outcome.op.answer as OperationAnswer),
    redirectTo: resultUrl(outcome.session, result),
  };
}

/**
 * Runs a page's provider operation (claim → ask → settle) and, once it has settled, reads the
 * page's session again as the handler closed it. A provider that has not answered leaves the
 * page in progress (`inProgress`): it settles later. `done` is a decision made without the provider.
 */
export async function runPageOperation<Decision>(
  peek: SessionRow,
  inProgress: Decision,
  run: () => Promise<OperationOutcome<Decision>>,
): Promise<{ done: Decision } | { op: OperationRow; session: SessionRow }> {
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === "unavailable") return { done: inProgress };
    throw error;
  }
  if (outcome.kind === "done") return { done: outcome.value };
  const [session] = await db().select().from(providerSessions).where(eq(providerSessions.id, peek.id));
  return { op: outcome.op, session };
}

function resultUrl(session: SessionRow, result: PageResult): string | null {
  return session.redirectUrl
    ? pageResultUrl(session.redirectUrl, session.paymentId!, session.transactionId!, result)
    : null;
}

async function closeSessionLocked(tx: Tx, sessionId: number, result: string, at: Date): Promise<void> {
  await tx.update(providerSessions).set({ completedAt: at, outcome: result }).where(eq(providerSessions.id, sessionId));
}

/** One handler for a page whose decision may claim operations of several kinds. */
function byKind(handlers: Partial<Record<ProviderOperationKind, OperationHandler>>): OperationHandler {
  const of = (op: OperationRow) => {
    const handler = handlers[op.kind];
    if (!handler) throw new Error(`This page settles no ${op.kind} operation`);
    return handler;
  };
  return {
    send: (op) => of(op).send!(op),
    settle: (context, answer) => of(context.op).settle(context, answer),
  };
}

/**
 * How a page's provider operation settles: the session (locked after the payment's rows) closes
 * with "approved" after `approve` wrote the authorization, or with "failed" after a decline, which
 * is counted (declined; failed when the provider never received it). An operation claimed
 * without a page (an API call) has no sessionId: then only `approve` runs.
 */
export async function settleOnPage(
  context: SettleContext,
  answer: OperationAnswer,
  approve: (session: SessionRow | null) => Promise<void>,
): Promise<void> {
  const { tx, op, at } = context;
  const sessionId = op.request.sessionId as number | undefined;
  const [session] = sessionId
    ? await tx.select().from(providerSessions).where(eq(providerSessions.id, sessionId)).for("update")
    : [null];
  if (!answer.ok) {
    const transaction = transactionOf(context);
    await countOutcome(
      tx,
      outcomeKeyOf(context.locked!.payment, transaction),
      answer.unreached ? "failed" : "declined",
      at,
    );
    if (session) await closeSessionLocked(tx, session.id, "failed", at);
    return;
  }
  await approve(session ?? null);
  if (session) await closeSessionLocked(tx, session.id, "approved", at);
}

/**
 * The approval of most pages' operations: the operation's transaction AUTHORIZED for its whole
 * amount with `extra` facts of the answer; the page's callback, if it asked for one, announces it.
 */
export async function authorizeFromPage(
  context: SettleContext,
  session: SessionRow | null,
  extra: Partial<typeof paymentTransactions.$inferInsert>,
): Promise<void> {
  await authorizeLocked(
    context.tx,
    context.caller as ClientCaller | SystemCaller,
    context.locked!.payment,
    transactionOf(context),
    context.at,
    extra,
    session?.callbackUrl ?? null,
  );
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
