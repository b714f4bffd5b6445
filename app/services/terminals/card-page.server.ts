// The hosted card page, /sandbox/card/{token}: what it shows and what the customer does there
// (pay with a typed card, confirm the charge of a stored card, register a card to store, cancel).
//
// The page's approval is one DB transaction: lock the payment and its transactions
// (locks.server.ts order), then the session, re-check that both are still payable, ask the card
// provider, and write AUTHORIZED (and, with autoSale, CAPTURED through captureLocked), the card's
// last 4, the rrn, the stored card, the callback, and the session's completion. A decline changes
// nothing but the session's attempt count: no transaction state, no operation-log entry.
//
// The sandbox card provider does no I/O, so it is called inside that DB transaction. A real
// PSP adapter would claim first and call outside the locks, as credit execution does.
//
// Card data never reaches this module's storage: the page hands the typed card to the provider
// and gets back only last 4, masked PAN, scheme, expiry month and a panHash.
import { eq } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { organisations, paymentTransactions, payments, providerSessions, recurringPayments } from "../../../db/schema";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import type { ErrorReason } from "../../domain/enums";
import { DomainError } from "../../domain/errors";
import { ZERO } from "../../domain/money";
import {
  attemptsExhausted,
  attemptsLeft,
  awaitsTerminal,
  cardResponseCode,
  cardResultUrl,
  terminalState,
  type CardPageState,
} from "../../domain/terminal";
import { lockTransaction } from "../../platform/locks.server";
import { logger } from "../../platform/logger.server";
import { enqueueCallback } from "../../platform/outbox.server";
import { countOutcome, outcomeKeyOf } from "../../platform/outcomes.server";
import {
  newReference,
  pendingOperationOf,
  pendingOperationOfSession,
  runProviderOperation,
  transactionOf,
  type ClaimPlan,
  type Decline,
  type OperationAnswer,
  type OperationHandler,
  type OperationRow,
  type SettleContext,
  moneyAskOf,
} from "../../platform/provider-operations.server";
import { inTransaction } from "../../platform/transaction.server";
import {
  checkCardInput,
  endOfExpiryMonth,
  maskPan,
  schemeOf,
  type CardFieldErrors,
  type CardInput,
} from "../../providers/cards";
import { cardProvider } from "../../providers/index.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import { appendInitiate } from "../transactions/transactions.server";
import {
  activateStoredCardLocked,
  CARD_REGISTRATION,
  type RegistrationOptions,
  type VerifiedCard,
} from "../recurring/recurring-payments.server";
import {
  authorizeCardLocked,
  closeOpenSessionsLocked,
  findSession,
  usableStoredCardLocked,
  type RecurringRow,
  type SessionOptions,
  type SessionRow,
  type TerminalKind,
} from "./terminal-sessions.server";

export type TerminalPageState = CardPageState;

export type TerminalPageView = {
  state: TerminalPageState;
  kind: TerminalKind;
  merchant: string;
  /** Decimal string as stored ("199.00000"); the page formats it. Null when nothing is paid (card registration). */
  amount: string | null;
  currency: string;
  language: string;
  /** The stored card a recurring terminal charges (masked). */
  storedCard: { maskedPan: string | null; paymentType: string | null } | null;
  /** For pages that are over: back to the shop with the result. */
  returnUrl: string | null;
  /** Outcome of a completed terminal (OK, CANCELLED, REPLACED, a decline reason). */
  outcome: string | null;
  expiresAt: string;
};

/** GET /sandbox/card/{token}: what the page shows; null for an unknown token. */
export async function terminalPage(token: string): Promise<TerminalPageView | null> {
  const session = await findSession(token);
  if (!session) return null;
  if (session.kind === CARD_REGISTRATION) return registrationPage(session);
  const [row] = await db()
    .select({ transaction: paymentTransactions, payment: payments, merchant: organisations.name })
    .from(paymentTransactions)
    .innerJoin(payments, eq(payments.paymentId, paymentTransactions.paymentId))
    .innerJoin(organisations, eq(organisations.id, payments.organisationId))
    .where(eq(paymentTransactions.transactionId, session.transactionId!));
  if (!row) return null;
  const options = session.options as SessionOptions;
  let storedCard: TerminalPageView["storedCard"] = null;
  if (session.kind === "RECURRING_TERMINAL" && options.recurringPaymentId) {
    const [stored] = await db()
      .select()
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, options.recurringPaymentId));
    if (stored) storedCard = { maskedPan: stored.maskedPan, paymentType: stored.paymentType };
  }
  const state = sessionState(session, row.payment, row.transaction);
  return {
    state,
    kind: session.kind as TerminalKind,
    merchant: row.merchant,
    amount: row.transaction.amount,
    currency: row.transaction.currency,
    language: options.terminalLanguage ?? "no_NO",
    storedCard,
    returnUrl: state === "open" ? null : returnUrlOf(session, state),
    outcome: session.outcome,
    expiresAt: session.expiresAt.toISOString(),
  };
}

function sessionState(session: SessionRow, payment: PaymentRow, transaction: TransactionRow): TerminalPageState {
  const state = terminalState(session);
  if (state === "open" && !awaitsTerminal(payment, transaction)) return "unavailable";
  return state;
}

function returnUrlOf(session: SessionRow, state: TerminalPageState): string | null {
  if (!session.redirectUrl) return null;
  const code = cardResponseCode(state, session.outcome);
  const ids =
    session.kind === CARD_REGISTRATION
      ? { recurringPaymentId: (session.options as RegistrationOptions).recurringPaymentId }
      : { paymentId: session.paymentId!, transactionId: session.transactionId! };
  return cardResultUrl(session.redirectUrl, ids, code);
}

export type PageOutcome =
  | { kind: "redirect"; url: string }
  | { kind: "invalid"; errors: CardFieldErrors }
  | { kind: "declined"; errorReason: ErrorReason; message: string; attemptsLeft: number }
  | { kind: "expired"; returnUrl: string | null }
  | { kind: "completed"; returnUrl: string | null }
  | { kind: "unavailable"; message: string; returnUrl: string | null }
  /** The card provider has not answered yet: the payment settles by itself later. */
  | { kind: "in_progress"; returnUrl: null }
  | { kind: "not_found" };

export type CardForm = { cardNumber: string; expiry: string; cvc: string; cardholder: string };

/**
 * POST on the card page: the customer typed a card and pressed Pay. The card goes to the card
 * provider and nowhere else. The operation-log entries are those of the client that opened the
 * terminal; the page's caller lends its correlationId. Nothing is thrown: every outcome is a
 * PageOutcome.
 */
export async function payWithCard(
  caller: SystemCaller,
  input: { token: string; card: CardForm },
): Promise<PageOutcome> {
  const { token, card: form } = input;
  const { correlationId } = caller;
  const session = await findSession(token);
  if (!session) return { kind: "not_found" };
  if (session.kind === "RECURRING_TERMINAL")
    return unavailable(session, "This terminal charges a stored card: confirm the payment instead");
  const early = overOutcome(session);
  if (early) return early;
  const checked = checkCardInput(form);
  if (!checked.ok) return { kind: "invalid", errors: checked.errors };
  const card = checked.card;
  if (session.kind === CARD_REGISTRATION) return registerCard(session, card, correlationId);

  const facts = {
    last4: card.number.slice(-4),
    maskedPan: maskPan(card.number),
    scheme: checked.scheme,
    cardExpiresAt: endOfExpiryMonth(card.expiryMonth, card.expiryYear).toISOString(),
  };
  return settle(session, correlationId, {
    kind: "CARD_AUTHORIZE",
    // What may be kept of the typed card: the request holds only this, so it cannot be sent again.
    prepare: async ({ transaction, options }) => ({
      request: { ...facts, amount: transaction.amount, currency: transaction.currency, autoSale: options.autoSale },
    }),
    ask: (op) =>
      cardProvider().authorizeCard({
        ...moneyAskOf(op),
        card,
        storeCard: (session.options as SessionOptions).recurringPaymentId !== null,
        capture: op.request.autoSale === true,
      }),
  });
}

/**
 * POST on a recurring terminal: the customer confirms the charge of the stored card. Nothing is
 * thrown: every outcome is a PageOutcome.
 */
export async function confirmStoredCard(caller: SystemCaller, input: { token: string }): Promise<PageOutcome> {
  const { token } = input;
  const { correlationId } = caller;
  const session = await findSession(token);
  if (!session) return { kind: "not_found" };
  if (session.kind !== "RECURRING_TERMINAL") return unavailable(session, "Enter a card to pay on this terminal");
  const early = overOutcome(session);
  if (early) return early;
  return settle(session, correlationId, {
    kind: "STORED_CARD_CHARGE",
    prepare: async ({ tx, payment, transaction, options }) => {
      let stored: RecurringRow;
      try {
        stored = await usableStoredCardLocked(tx, payment, { recurringPaymentId: options.recurringPaymentId! });
      } catch (error) {
        if (error instanceof DomainError) return { unavailable: "The stored card can no longer be used" };
        throw error;
      }
      return { request: { ...storedCardRequest(stored, transaction, "CUSTOMER"), autoSale: options.autoSale } };
    },
  });
}

/** POST on the page with Cancel: closes the terminal and sends the customer back. Nothing is thrown. */
export async function cancelTerminal(caller: SystemCaller, input: { token: string }): Promise<PageOutcome> {
  const session = await findSession(input.token);
  if (!session) return { kind: "not_found" };
  return inTransaction(async (tx) => {
    const [locked] = await tx.select().from(providerSessions).where(eq(providerSessions.id, session.id)).for("update");
    if (terminalState(locked) === "open") {
      // The last decline (if any) stays the outcome: it is the most useful answer for the shop.
      const outcome = locked.outcome && locked.outcome !== "OK" ? locked.outcome : "CANCELLED";
      const [closed] = await tx
        .update(providerSessions)
        .set({ completedAt: new Date(), outcome })
        .where(eq(providerSessions.id, session.id))
        .returning();
      logger.info("card terminal cancelled", { correlationId: caller.correlationId, outcome });
      return { kind: "redirect", url: returnUrlOf(closed, "completed") ?? "/" };
    }
    const state = locked.completedAt ? "completed" : "expired";
    const url = returnUrlOf(locked, state);
    return url ? { kind: "redirect", url } : { kind: state, returnUrl: null };
  });
}

/** A terminal that is over authorizes nothing: the customer is only sent back. */
function overOutcome(session: SessionRow): PageOutcome | null {
  const state = terminalState(session);
  return state === "open" ? null : { kind: state, returnUrl: returnUrlOf(session, state) };
}

function unavailable(session: SessionRow, message: string): PageOutcome {
  return { kind: "unavailable", message, returnUrl: returnUrlOf(session, "unavailable") };
}

/**
 * The client that opened the terminal: the page's operation-log entries are theirs. A card
 * registration page has no POS or distribution channel.
 */
function openerOf(
  options: Pick<SessionOptions, "clientId" | "organisationId" | "clientName"> &
    Partial<Pick<SessionOptions, "pos" | "distributionChannel">>,
  correlationId: string,
): ClientCaller {
  return {
    kind: "client",
    clientId: options.clientId,
    organisationId: options.organisationId,
    privileged: false,
    channels: [],
    allowedRedirectPrefixes: [],
    clientName: options.clientName,
    pos: options.pos ?? null,
    distributionChannel: options.distributionChannel ?? null,
    correlationId,
  };
}

type PagePayment = {
  kind: "CARD_AUTHORIZE" | "STORED_CARD_CHARGE";
  /** Under the locks: what the operation asks (kept on it), or why the page cannot pay. */
  prepare: (locked: {
    tx: Tx;
    payment: PaymentRow;
    transaction: TransactionRow;
    options: SessionOptions;
  }) => Promise<{ request: Record<string, unknown> } | { unavailable: string }>;
  /** The first call, with what is not kept (the typed card). */
  ask?: (op: OperationRow) => Promise<OperationAnswer>;
};

/**
 * The page's payment, claim → ask → settle: the claim locks the payment, its transactions and the
 * session, re-checks that both are still payable and counts the attempt against the limit; the
 * card provider is asked outside the locks; cardPagePayment settles the approval (AUTHORIZED, and
 * with autoSale CAPTURED, the card's last 4, the rrn, the stored card, the callback, the session
 * completed) or the decline (the session's attempt count; the page stays open for another card).
 */
async function settle(session: SessionRow, correlationId: string, payment: PagePayment): Promise<PageOutcome> {
  const caller = openerOf(session.options as SessionOptions, correlationId);
  let outcome;
  try {
    outcome = await runProviderOperation(
      caller,
      payment.kind === "CARD_AUTHORIZE" ? typedCardAuthorization : storedCardCharge,
      {
        kind: payment.kind,
        lock: (tx) => lockTransaction(tx, caller, session.paymentId!, session.transactionId!),
        subject: ({ payment, transaction }) => ({
          organisationId: payment.organisationId,
          paymentId: payment.paymentId,
          transactionId: transaction.transactionId,
        }),
        plan: async (tx, locked): Promise<ClaimPlan<PageOutcome>> => {
          const [current] = await tx
            .select()
            .from(providerSessions)
            .where(eq(providerSessions.id, session.id))
            .for("update");
          const over = overOutcome(current);
          if (over) return { done: over };
          if (!awaitsTerminal(locked.payment, locked.transaction)) {
            return {
              done: unavailable(
                current,
                "This payment can no longer be completed here: it was changed or cancelled by the shop",
              ),
            };
          }
          if (await pendingOperationOf(tx, locked.transaction.transactionId))
            return { done: { kind: "in_progress", returnUrl: null } };
          const options = current.options as SessionOptions;
          if (attemptsExhausted(options.attempts)) {
            await tx
              .update(providerSessions)
              .set({ completedAt: new Date() })
              .where(eq(providerSessions.id, current.id));
            return { done: unavailable(current, "Too many attempts: this terminal is closed") };
          }
          const prepared = await payment.prepare({ tx, ...locked, options });
          if ("unavailable" in prepared) return { done: unavailable(current, prepared.unavailable) };
          return {
            claim: {
              reference: newReference(payment.kind, locked.transaction.transactionId),
              request: { ...prepared.request, sessionId: current.id },
            },
          };
        },
        ask: payment.ask,
      },
    );
  } catch (error) {
    if (error instanceof DomainError && error.kind === "unavailable") return { kind: "in_progress", returnUrl: null };
    throw error;
  }
  if (outcome.kind === "done") return outcome.value;
  const [current] = await db().select().from(providerSessions).where(eq(providerSessions.id, session.id));
  if (outcome.op.status === "SUCCEEDED") return { kind: "redirect", url: returnUrlOf(current, "completed")! };
  const answer = outcome.op.answer as Decline;
  return {
    kind: "declined",
    errorReason: answer.errorReason ?? "REFUSED_BY_ISSUER",
    message: answer.reason,
    attemptsLeft: attemptsLeft((current.options as SessionOptions).attempts),
  };
}

/** What a stored-card charge asks, as its operation keeps it (the panHash refers to the card; no card data). */
export function storedCardRequest(
  stored: RecurringRow,
  transaction: TransactionRow,
  initiator: "MERCHANT" | "CUSTOMER",
): Record<string, unknown> {
  return {
    panHash: stored.panHash,
    maskedPan: stored.maskedPan,
    paymentType: stored.paymentType,
    recurringPaymentId: stored.recurringPaymentId,
    amount: transaction.amount,
    currency: transaction.currency,
    initiator,
  };
}

/** Charges a stored card with what its operation keeps (re-sendable). */
export function sendStoredCardCharge(op: OperationRow): Promise<OperationAnswer> {
  const request = op.request as {
    panHash: string;
    maskedPan: string | null;
    amount: string;
    currency: string;
    initiator: "MERCHANT" | "CUSTOMER";
    autoSale?: boolean;
  };
  return cardProvider().chargeStoredCard({
    ...moneyAskOf(op),
    panHash: request.panHash,
    maskedPan: request.maskedPan,
    initiator: request.initiator,
    // With autoSale the charge settles as captured: the PSP must capture it too (a sale).
    capture: request.autoSale === true,
  });
}

/**
 * CARD_AUTHORIZE of a typed card: on a terminal page, or registering a card to store. It is never
 * sent again: nobody kept the card (the recovery job fails it once the PSP surely gave up on it).
 */
export const typedCardAuthorization: OperationHandler = {
  send: null,
  settle: (context, answer) =>
    context.op.request.registration ? settleRegistration(context, answer) : settleTerminalPayment(context, answer),
};

/**
 * STORED_CARD_CHARGE: a stored card charged on the recurring terminal (the customer confirmed) or
 * merchant-initiated without a page (MIT_UCOF, card-terminal.server.ts).
 */
export const storedCardCharge: OperationHandler = {
  send: sendStoredCardCharge,
  settle: (context, answer) =>
    context.op.request.sessionId ? settleTerminalPayment(context, answer) : settleMerchantCharge(context, answer),
};

/**
 * A payment on a terminal page: the approval authorizes the transaction (and stores the typed
 * card when the terminal was to), a decline counts the page's attempt.
 */
async function settleTerminalPayment(context: SettleContext, answer: OperationAnswer): Promise<void> {
  const { tx, op, at } = context;
  const { payment } = context.locked!;
  const transaction = transactionOf(context);
  const caller = context.caller as ClientCaller;
  const session = await lockSessionOf(tx, op);
  const options = session.options as SessionOptions;
  const attempts = options.attempts + 1;
  const key = outcomeKeyOf(payment, transaction);
  if (!answer.ok) {
    await countOutcome(tx, key, answer.unreached ? "failed" : "declined", at);
    await tx
      .update(providerSessions)
      .set({ options: { ...options, attempts }, outcome: answer.errorReason ?? session.outcome })
      .where(eq(providerSessions.id, session.id));
    logger.info("card terminal declined", {
      correlationId: caller.correlationId,
      paymentId: payment.paymentId,
      transactionId: transaction.transactionId,
      errorReason: answer.errorReason,
      attempts,
    });
    return;
  }
  const request = op.request as {
    last4?: string;
    maskedPan: string | null;
    scheme?: string;
    paymentType?: string | null;
    cardExpiresAt?: string;
    recurringPaymentId?: number;
  };
  const typed = op.kind === "CARD_AUTHORIZE";
  let recurringPaymentId = typed ? null : (request.recurringPaymentId ?? null);
  const panHash = typeof answer.panHash === "string" ? answer.panHash : null;
  if (typed && options.recurringPaymentId !== null && panHash) {
    await activateStoredCardLocked(
      tx,
      options.recurringPaymentId,
      {
        panHash,
        maskedPan: request.maskedPan!,
        paymentType: request.scheme!,
        cardExpiresAt: request.cardExpiresAt!,
      },
      at,
    );
    recurringPaymentId = options.recurringPaymentId;
  }
  await authorizeCardLocked(tx, caller, payment, transaction, at, {
    rrn: answer.rrn ?? "",
    last4: typed ? request.last4! : (request.maskedPan?.slice(-4) ?? null),
    paymentType: typed ? request.scheme! : (request.paymentType ?? null),
    recurringPaymentId,
    autoSale: options.autoSale,
    callbackUrl: session.callbackUrl,
  });
  await tx
    .update(providerSessions)
    .set({ options: { ...options, attempts }, outcome: "OK", completedAt: at })
    .where(eq(providerSessions.id, session.id));
  logger.info("card terminal approved", {
    correlationId: caller.correlationId,
    paymentId: payment.paymentId,
    transactionId: transaction.transactionId,
    autoSale: options.autoSale,
  });
}

/** MIT_UCOF: the charge writes the INITIATE and AUTHORIZE entries (and with autoSale the capture); open terminals close. */
async function settleMerchantCharge(context: SettleContext, answer: OperationAnswer): Promise<void> {
  const { tx, op, at } = context;
  const { payment } = context.locked!;
  const transaction = transactionOf(context);
  const caller = context.caller as ClientCaller;
  if (!answer.ok) {
    await countOutcome(tx, outcomeKeyOf(payment, transaction), answer.unreached ? "failed" : "declined", at);
    logger.info("stored card charge declined", {
      correlationId: caller.correlationId,
      transactionId: transaction.transactionId,
      errorReason: answer.errorReason,
    });
    return;
  }
  const request = op.request as {
    maskedPan: string | null;
    paymentType: string | null;
    recurringPaymentId: number;
    autoSale: boolean;
    callbackUrl: string | null;
  };
  await closeOpenSessionsLocked(tx, transaction.transactionId, at);
  await appendInitiate(tx, caller, transaction, at);
  await authorizeCardLocked(tx, caller, payment, transaction, at, {
    rrn: answer.rrn ?? "",
    last4: request.maskedPan?.slice(-4) ?? null,
    paymentType: request.paymentType,
    recurringPaymentId: request.recurringPaymentId,
    autoSale: request.autoSale,
    callbackUrl: request.callbackUrl,
  });
}

// ---------------------------------------------------------------- card registration (recurring payments)

async function registrationPage(session: SessionRow): Promise<TerminalPageView | null> {
  const options = session.options as RegistrationOptions;
  const [row] = await db()
    .select({ status: recurringPayments.recurringStatus, merchant: organisations.name })
    .from(recurringPayments)
    .innerJoin(organisations, eq(organisations.id, recurringPayments.organisationId))
    .where(eq(recurringPayments.recurringPaymentId, options.recurringPaymentId));
  if (!row) return null;
  let state: TerminalPageState = terminalState(session);
  if (state === "open" && row.status !== "CREATED") state = "unavailable";
  return {
    state,
    kind: CARD_REGISTRATION,
    merchant: row.merchant,
    amount: null,
    currency: "NOK",
    language: options.terminalLanguage,
    storedCard: null,
    returnUrl: state === "open" ? null : returnUrlOf(session, state),
    outcome: session.outcome,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/**
 * The customer entered the card to store: the provider verifies it (nothing is charged) and we
 * keep what the authorize call needs (VerifiedCard: panHash, masked PAN, scheme, expiry month).
 * The recurring payment itself changes only on authorize. Claim → ask → settle (CARD_AUTHORIZE
 * on no payment): the claim locks the session, settleRegistration writes the outcome.
 */
async function registerCard(session: SessionRow, card: CardInput, correlationId: string): Promise<PageOutcome> {
  const options = session.options as RegistrationOptions;
  const caller = openerOf(options, correlationId);
  const facts = {
    last4: card.number.slice(-4),
    maskedPan: maskPan(card.number),
    scheme: schemeOf(card.number),
    cardExpiresAt: endOfExpiryMonth(card.expiryMonth, card.expiryYear).toISOString(),
  };
  let outcome;
  try {
    outcome = await runProviderOperation(caller, typedCardAuthorization, {
      kind: "CARD_AUTHORIZE",
      lock: async (tx) => {
        const [current] = await tx
          .select()
          .from(providerSessions)
          .where(eq(providerSessions.id, session.id))
          .for("update");
        return current;
      },
      subject: () => ({ organisationId: options.organisationId, paymentId: null, transactionId: null }),
      plan: async (tx, current): Promise<ClaimPlan<PageOutcome>> => {
        const over = overOutcome(current);
        if (over) return { done: over };
        const currentOptions = current.options as RegistrationOptions;
        const [stored] = await tx
          .select({ status: recurringPayments.recurringStatus })
          .from(recurringPayments)
          .where(eq(recurringPayments.recurringPaymentId, currentOptions.recurringPaymentId));
        if (stored?.status !== "CREATED")
          return {
            done: unavailable(current, "This card can no longer be registered here: the shop ended or changed it"),
          };
        if (await pendingOperationOfSession(tx, current.id)) return { done: { kind: "in_progress", returnUrl: null } };
        if (attemptsExhausted(currentOptions.attempts)) {
          await tx.update(providerSessions).set({ completedAt: new Date() }).where(eq(providerSessions.id, current.id));
          return { done: unavailable(current, "Too many attempts: this terminal is closed") };
        }
        return {
          claim: {
            reference: newReference("CARD_AUTHORIZE", `registration-${current.id}`),
            request: { ...facts, sessionId: current.id, registration: true },
          },
        };
      },
      ask: (op) =>
        cardProvider().authorizeCard({ reference: op.reference, card, amount: ZERO, currency: "NOK", storeCard: true }),
    });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "unavailable") return { kind: "in_progress", returnUrl: null };
    throw error;
  }
  if (outcome.kind === "done") return outcome.value;
  const [current] = await db().select().from(providerSessions).where(eq(providerSessions.id, session.id));
  if (current.outcome === "OK") return { kind: "redirect", url: returnUrlOf(current, "completed")! };
  const answer = outcome.op.answer as OperationAnswer;
  return {
    kind: "declined",
    errorReason: (!answer.ok && answer.errorReason) || "REFUSED_BY_ISSUER",
    message: answer.ok ? "The card cannot be stored" : answer.reason,
    attemptsLeft: attemptsLeft((current.options as RegistrationOptions).attempts),
  };
}

/** The page session a card operation was asked from (kept in its request), locked FOR UPDATE. */
async function lockSessionOf(tx: Tx, op: OperationRow): Promise<SessionRow> {
  const [session] = await tx
    .select()
    .from(providerSessions)
    .where(eq(providerSessions.id, op.request.sessionId as number))
    .for("update");
  return session;
}

/** A registration's answer: the verified card kept on the session (completed), or the attempt counted. */
async function settleRegistration(context: SettleContext, answer: OperationAnswer): Promise<void> {
  const { tx, op, at } = context;
  const session = await lockSessionOf(tx, op);
  const options = session.options as RegistrationOptions;
  const attempts = options.attempts + 1;
  const panHash = answer.ok && typeof answer.panHash === "string" ? answer.panHash : null;
  const request = op.request as { maskedPan: string; scheme: string; cardExpiresAt: string };
  if (!panHash) {
    const errorReason: ErrorReason = (!answer.ok && answer.errorReason) || "REFUSED_BY_ISSUER";
    await tx
      .update(providerSessions)
      .set({ options: { ...options, attempts }, outcome: errorReason })
      .where(eq(providerSessions.id, session.id));
    logger.info("card registration declined", {
      correlationId: context.caller.correlationId,
      recurringPaymentId: options.recurringPaymentId,
      errorReason,
      attempts,
    });
    return;
  }
  const verifiedCard: VerifiedCard = {
    panHash,
    maskedPan: request.maskedPan,
    paymentType: request.scheme,
    cardExpiresAt: request.cardExpiresAt,
  };
  await tx
    .update(providerSessions)
    .set({ options: { ...options, attempts, verifiedCard }, outcome: "OK", completedAt: at })
    .where(eq(providerSessions.id, session.id));
  if (session.callbackUrl) {
    await enqueueCallback(tx, {
      url: session.callbackUrl,
      payload: { recurringPaymentId: options.recurringPaymentId, responseCode: "OK", occurredAt: at.toISOString() },
      clientId: options.clientId,
      organisationId: options.organisationId,
      correlationId: context.caller.correlationId,
    });
  }
  logger.info("card registered on terminal", {
    correlationId: context.caller.correlationId,
    recurringPaymentId: options.recurringPaymentId,
  });
}
