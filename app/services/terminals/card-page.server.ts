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
import { money, ZERO } from "../../domain/money";
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
import {
  askProvider,
  countOutcome,
  inAuthorizingTransaction,
  outcomeKeyOf,
  type OutcomeKey,
} from "../../platform/outcomes.server";
import { inTransaction } from "../../platform/transaction.server";
import { checkCardInput, type CardFieldErrors, type CardInput } from "../../providers/cards";
import { cardProvider } from "../../providers/index.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import {
  activateStoredCardLocked,
  CARD_REGISTRATION,
  type RegistrationOptions,
  type VerifiedCard,
} from "../recurring/recurring-payments.server";
import {
  authorizeCardLocked,
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

  return settle(session, correlationId, async (key, options, { transaction }) => {
    const outcome = await askProvider(key, () =>
      cardProvider().authorizeCard({
        reference: `terminal:${session.id}:${options.attempts + 1}`,
        card,
        amount: money(transaction.amount),
        currency: transaction.currency,
        storeCard: options.recurringPaymentId !== null,
      }),
    );
    if (!outcome.ok) return outcome;
    return {
      ok: true as const,
      rrn: outcome.rrn,
      last4: outcome.last4,
      paymentType: outcome.scheme,
      storeCard:
        options.recurringPaymentId !== null && outcome.panHash
          ? {
              recurringPaymentId: options.recurringPaymentId,
              panHash: outcome.panHash,
              maskedPan: outcome.maskedPan,
              paymentType: outcome.scheme,
              cardExpiresAt: outcome.cardExpiresAt.toISOString(),
            }
          : null,
    };
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
  return settle(session, correlationId, async (key, options, { tx, payment, transaction }) => {
    let stored: RecurringRow;
    try {
      stored = await usableStoredCardLocked(tx, payment, { recurringPaymentId: options.recurringPaymentId! });
    } catch (error) {
      if (error instanceof DomainError)
        return { ok: "unavailable" as const, message: "The stored card can no longer be used" };
      throw error;
    }
    const outcome = await askProvider(key, () =>
      cardProvider().chargeStoredCard({
        reference: `recurring-terminal:${session.id}:${options.attempts + 1}`,
        panHash: stored.panHash!,
        maskedPan: stored.maskedPan,
        amount: money(transaction.amount),
        currency: transaction.currency,
        initiator: "CUSTOMER",
      }),
    );
    if (!outcome.ok) return outcome;
    return {
      ok: true as const,
      rrn: outcome.rrn,
      last4: stored.maskedPan?.slice(-4) ?? null,
      paymentType: stored.paymentType,
      recurringPaymentId: stored.recurringPaymentId,
      storeCard: null,
    };
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

type Approval = {
  ok: true;
  rrn: string;
  last4: string | null;
  paymentType: string | null;
  recurringPaymentId?: number;
  storeCard: ({ recurringPaymentId: number } & VerifiedCard) | null;
};
type Decision =
  Approval | { ok: false; reason: string; errorReason: ErrorReason } | { ok: "unavailable"; message: string };

/**
 * The page's one DB transaction: locks, re-checks, asks the provider (`decide`, with the key its
 * attempt is counted under), and writes either the approval or, for a decline, the session's
 * attempt count and the declined attempt (the page stays open for another card).
 */
async function settle(
  session: SessionRow,
  correlationId: string,
  decide: (
    key: OutcomeKey,
    options: SessionOptions,
    locked: { tx: Tx; payment: PaymentRow; transaction: TransactionRow },
  ) => Promise<Decision>,
): Promise<PageOutcome> {
  const options = session.options as SessionOptions;
  const caller: ClientCaller = {
    kind: "client",
    clientId: options.clientId,
    organisationId: options.organisationId,
    privileged: false,
    channels: [],
    allowedRedirectPrefixes: [],
    clientName: options.clientName,
    pos: options.pos,
    distributionChannel: options.distributionChannel,
    correlationId,
  };
  return inAuthorizingTransaction(async (tx): Promise<PageOutcome> => {
    const { payment, transaction } = await lockTransaction(tx, caller, session.paymentId!, session.transactionId!);
    const [current] = await tx.select().from(providerSessions).where(eq(providerSessions.id, session.id)).for("update");
    const over = overOutcome(current);
    if (over) return over;
    if (!awaitsTerminal(payment, transaction)) {
      return unavailable(
        current,
        "This payment can no longer be completed here: it was changed or cancelled by the shop",
      );
    }
    const currentOptions = current.options as SessionOptions;
    if (attemptsExhausted(currentOptions.attempts)) {
      await tx.update(providerSessions).set({ completedAt: new Date() }).where(eq(providerSessions.id, current.id));
      return unavailable(current, "Too many attempts: this terminal is closed");
    }
    const attempts = currentOptions.attempts + 1;
    const key = outcomeKeyOf(payment, transaction);
    const decision = await decide(key, currentOptions, { tx, payment, transaction });
    if (decision.ok === "unavailable") return unavailable(current, decision.message);
    if (!decision.ok) {
      await countOutcome(tx, key, "declined", new Date());
      await tx
        .update(providerSessions)
        .set({ options: { ...currentOptions, attempts }, outcome: decision.errorReason })
        .where(eq(providerSessions.id, current.id));
      logger.info("card terminal declined", {
        correlationId,
        paymentId: payment.paymentId,
        transactionId: transaction.transactionId,
        errorReason: decision.errorReason,
        attempts,
      });
      return {
        kind: "declined",
        errorReason: decision.errorReason,
        message: decision.reason,
        attemptsLeft: attemptsLeft(attempts),
      };
    }

    const at = new Date();
    let recurringPaymentId = decision.recurringPaymentId ?? null;
    if (decision.storeCard) {
      const { recurringPaymentId: stored, ...card } = decision.storeCard;
      await activateStoredCardLocked(tx, stored, card, at);
      recurringPaymentId = stored;
    }
    await authorizeCardLocked(tx, caller, payment, transaction, at, {
      rrn: decision.rrn,
      last4: decision.last4,
      paymentType: decision.paymentType,
      recurringPaymentId,
      autoSale: currentOptions.autoSale,
      callbackUrl: current.callbackUrl,
    });
    const [completed] = await tx
      .update(providerSessions)
      .set({ options: { ...currentOptions, attempts }, outcome: "OK", completedAt: at })
      .where(eq(providerSessions.id, current.id))
      .returning();
    logger.info("card terminal approved", {
      correlationId,
      paymentId: payment.paymentId,
      transactionId: transaction.transactionId,
      autoSale: currentOptions.autoSale,
    });
    return { kind: "redirect", url: returnUrlOf(completed, "completed")! };
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
 * The recurring payment itself changes only on authorize. One DB transaction, the session locked.
 */
async function registerCard(session: SessionRow, card: CardInput, correlationId: string): Promise<PageOutcome> {
  return inTransaction(async (tx): Promise<PageOutcome> => {
    const [current] = await tx.select().from(providerSessions).where(eq(providerSessions.id, session.id)).for("update");
    const over = overOutcome(current);
    if (over) return over;
    const options = current.options as RegistrationOptions;
    const [stored] = await tx
      .select({ status: recurringPayments.recurringStatus })
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, options.recurringPaymentId));
    if (stored?.status !== "CREATED")
      return unavailable(current, "This card can no longer be registered here: the shop ended or changed it");
    if (attemptsExhausted(options.attempts)) {
      await tx.update(providerSessions).set({ completedAt: new Date() }).where(eq(providerSessions.id, current.id));
      return unavailable(current, "Too many attempts: this terminal is closed");
    }
    const attempts = options.attempts + 1;
    const outcome = await cardProvider().authorizeCard({
      reference: `registration:${current.id}:${attempts}`,
      card,
      amount: ZERO,
      currency: "NOK",
      storeCard: true,
    });
    if (!outcome.ok || !outcome.panHash) {
      const errorReason: ErrorReason = outcome.ok ? "REFUSED_BY_ISSUER" : outcome.errorReason;
      await tx
        .update(providerSessions)
        .set({ options: { ...options, attempts }, outcome: errorReason })
        .where(eq(providerSessions.id, current.id));
      logger.info("card registration declined", {
        correlationId,
        recurringPaymentId: options.recurringPaymentId,
        errorReason,
        attempts,
      });
      return {
        kind: "declined",
        errorReason,
        message: outcome.ok ? "The card cannot be stored" : outcome.reason,
        attemptsLeft: attemptsLeft(attempts),
      };
    }
    const verifiedCard: VerifiedCard = {
      panHash: outcome.panHash,
      maskedPan: outcome.maskedPan,
      paymentType: outcome.scheme,
      cardExpiresAt: outcome.cardExpiresAt.toISOString(),
    };
    const at = new Date();
    const [completed] = await tx
      .update(providerSessions)
      .set({ options: { ...options, attempts, verifiedCard }, outcome: "OK", completedAt: at })
      .where(eq(providerSessions.id, current.id))
      .returning();
    if (current.callbackUrl) {
      await enqueueCallback(tx, current.callbackUrl, {
        recurringPaymentId: options.recurringPaymentId,
        responseCode: "OK",
        occurredAt: at.toISOString(),
      });
    }
    logger.info("card registered on terminal", { correlationId, recurringPaymentId: options.recurringPaymentId });
    return { kind: "redirect", url: returnUrlOf(completed, "completed")! };
  });
}
