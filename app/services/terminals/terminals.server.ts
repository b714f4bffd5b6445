// Card terminals (seed 000): the hosted card page a customer pays on, the recurring terminal
// (the customer confirms a charge of a stored card), the internal terminal (customer-service
// staff type the card), and merchant-initiated charges of a stored card (MIT_UCOF) that need
// no page at all.
//
// A terminal is a provider_sessions row reached by its unguessable token (32 random bytes),
// alive for 15 minutes. Opening one sets the transaction INITIATED with an INITIATE entry; a new
// terminal for an INITIATED transaction replaces the open one. The page's approval is one DB
// transaction: lock the payment and its transactions (locks.server.ts order), then the session,
// re-check that both are still payable, ask the card provider, and write AUTHORIZED (and, with
// autoSale, CAPTURED through captureLocked), the card's last 4, the rrn, the stored card, the
// callback, and the session's completion. A decline changes nothing but the session's attempt
// count: no transaction state, no operation-log entry.
//
// The sandbox card provider does no I/O, so it is called inside that DB transaction. A real
// PSP adapter would claim first and call outside the locks, as credit execution does.
//
// Card data never reaches this module's storage: the page hands the typed card to the provider
// and gets back only last 4, masked PAN, scheme, expiry month and a panHash. Session options
// hold who opened the terminal and its settings, never card data.
import { requireAllowedUrl } from "../../domain/redirects";
import { randomBytes } from "node:crypto";
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { organisations, paymentTransactions, payments, providerSessions, recurringPayments } from "../../../db/schema";
import type { ErrorReason } from "../../domain/enums";
import { conflict, DomainError, invalid, ruleBroken } from "../../domain/errors";
import { money, toDbAmount, ZERO } from "../../domain/money";
import { checkCardInput, type CardFieldErrors, type CardInput } from "../../providers/cards";
import { cardProvider } from "../../providers/index.server";
import { logger } from "../../platform/logger.server";
import { db } from "../../../db/client";
import type { RecurringTerminalInput, InternalTerminalInput, TerminalInput } from "../../http/api/schemas-terminals";
import { enqueueCallback, transactionCallbackPayload } from "../../platform/outbox.server";
import {
  askProvider,
  countOutcome,
  declinedError,
  inAuthorizingTransaction,
  outcomeKeyOf,
  type OutcomeKey,
} from "../../platform/outcomes.server";
import type { ClientCaller } from "../../domain/caller";
import { appendOperation } from "../../platform/operation-log.server";
import { lockTransaction, requireActive, type LockedPayment } from "../../platform/locks.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import {
  activateStoredCard,
  CARD_REGISTRATION,
  inCustomerTransaction,
  insertRecurringPaymentLocked,
  type RegistrationOptions,
  type VerifiedCard,
} from "../recurring/recurring-payments.server";
import { captureLocked, initiateLocked, touchPayment } from "../transactions/transactions.server";
import { inTransaction } from "../../platform/transaction.server";

export const TERMINAL_TTL_MS = 15 * 60 * 1000;
/** Declined cards one terminal accepts before it closes (card-testing brake). */
export const MAX_CARD_ATTEMPTS = 10;

/**
 * CARD_REGISTRATION is the terminal of a recurring payment (seed 001, POST
 * /v1/recurring-payments/{id}/terminal): no payment, the card is only verified and kept for the
 * authorize call (recurring-payments.server.ts).
 */
export const TERMINAL_KINDS = ["CARD_TERMINAL", "RECURRING_TERMINAL", "INTERNAL_TERMINAL", CARD_REGISTRATION] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

/** What a terminal session remembers besides its columns. Never card data. */
type SessionOptions = {
  /** Who opened it: the operation-log entries the page writes are theirs. */
  organisationId: number;
  clientId: string;
  clientName: string;
  pos: string | null;
  distributionChannel: string | null;
  autoSale: boolean;
  singlePage: boolean;
  countryCode: string;
  terminalLanguage: string;
  /** storePayment: the CREATED recurring payment that the approved card becomes; recurring terminal: the card to charge. */
  recurringPaymentId: number | null;
  recurringType: "R" | "S" | null;
  attempts: number;
};

type SessionRow = typeof providerSessions.$inferSelect;
type RecurringRow = typeof recurringPayments.$inferSelect;

// ---------------------------------------------------------------- redirect URLs

function requireAllowedRedirect(caller: ClientCaller, url: string, field = "redirectUrl"): void {
  requireAllowedUrl(caller.allowedRedirectPrefixes, url, field);
}

/** The redirectUrl with the terminal's result in its query. */
export function resultUrl(redirectUrl: string, paymentId: number, transactionId: number, responseCode: string): string {
  const url = new URL(redirectUrl);
  url.searchParams.set("paymentId", String(paymentId));
  url.searchParams.set("transactionId", String(transactionId));
  url.searchParams.set("responseCode", responseCode);
  return url.toString();
}

// ---------------------------------------------------------------- opening terminals (API)

export type TerminalCreated = {
  terminalUri?: string;
  paymentId: number;
  transactionId: number;
  recurringPaymentId?: number;
};

/** POST …/terminal: a card terminal, or with MIT_UCOF an immediate charge of the stored card. */
export async function createTerminal(
  caller: ClientCaller,
  paymentId: number,
  transactionId: number,
  input: TerminalInput,
  origin: string,
): Promise<TerminalCreated> {
  requireAllowedRedirect(caller, input.redirectUrl);
  if (input.callbackUrl) requireAllowedRedirect(caller, input.callbackUrl, "callbackUrl");
  if (input.transactionType === "MIT_UCOF") return chargeStoredCardNow(caller, paymentId, transactionId, input);
  return inCustomerTransaction(async (tx) => {
    const locked = await lockPayable(tx, caller, paymentId, transactionId);
    const { payment } = locked;
    const at = new Date();

    // storePayment needs a customer; without one (not logged in) it is disregarded (seed 000).
    let recurringPaymentId: number | null = null;
    const customer = (caller.privileged ? input.customerNumber : undefined) ?? payment.customerNumber;
    if (input.storePayment && customer) {
      const stored = await insertRecurringPaymentLocked(
        tx,
        { organisationId: payment.organisationId, clientId: caller.clientId, customerNumber: customer },
        at,
      );
      recurringPaymentId = stored.recurringPaymentId;
    }

    const token = await openSession(tx, caller, locked, at, {
      kind: "CARD_TERMINAL",
      redirectUrl: input.redirectUrl,
      callbackUrl: input.callbackUrl ?? null,
      options: {
        autoSale: input.autoSale ?? false,
        singlePage: input.singlePage ?? false,
        countryCode: input.countryCode ?? "NO",
        terminalLanguage: input.terminalLanguage ?? "no_NO",
        recurringPaymentId,
        recurringType: null,
      },
    });
    return {
      terminalUri: terminalUrl(origin, token),
      paymentId,
      transactionId,
      ...(recurringPaymentId !== null ? { recurringPaymentId } : {}),
    };
  });
}

/** POST …/recurring-terminal: the customer confirms a charge of a stored card on the page. */
export async function createRecurringTerminal(
  caller: ClientCaller,
  paymentId: number,
  transactionId: number,
  input: RecurringTerminalInput,
  origin: string,
): Promise<{ terminalUri: string; paymentId: number; transactionId: number }> {
  requireAllowedRedirect(caller, input.redirectUrl);
  return inTransaction(async (tx) => {
    const locked = await lockPayable(tx, caller, paymentId, transactionId);
    const { payment, transaction } = locked;
    if (input.panHash === undefined && transaction.recurringPaymentId === null) {
      throw invalid("panHash", "is required unless the transaction was created with a recurringPaymentId");
    }
    const stored = await usableStoredCard(tx, payment, {
      panHash: input.panHash,
      recurringPaymentId: input.panHash === undefined ? transaction.recurringPaymentId! : undefined,
    });
    const token = await openSession(tx, caller, locked, new Date(), {
      kind: "RECURRING_TERMINAL",
      redirectUrl: input.redirectUrl,
      callbackUrl: null,
      options: {
        autoSale: false,
        singlePage: true,
        countryCode: "NO",
        terminalLanguage: "no_NO",
        recurringPaymentId: stored.recurringPaymentId,
        recurringType: input.recurringType,
      },
    });
    return { terminalUri: terminalUrl(origin, token), paymentId, transactionId };
  });
}

/** POST …/internal-terminal: the same card page, for customer-service staff. */
export async function createInternalTerminal(
  caller: ClientCaller,
  paymentId: number,
  transactionId: number,
  input: InternalTerminalInput,
  origin: string,
): Promise<{ terminalUrl: string; paymentId: number; transactionId: number }> {
  requireAllowedRedirect(caller, input.redirectUrl);
  return inTransaction(async (tx) => {
    const locked = await lockPayable(tx, caller, paymentId, transactionId);
    const token = await openSession(tx, caller, locked, new Date(), {
      kind: "INTERNAL_TERMINAL",
      redirectUrl: input.redirectUrl,
      callbackUrl: null,
      options: {
        autoSale: false,
        singlePage: true,
        countryCode: "NO",
        terminalLanguage: "no_NO",
        recurringPaymentId: null,
        recurringType: null,
      },
    });
    return { terminalUrl: terminalUrl(origin, token), paymentId, transactionId };
  });
}

function terminalUrl(origin: string, token: string): string {
  return `${origin}/sandbox/card/${token}`;
}

/** Locks the payment and its transactions; the transaction must be a card one, CREATED or INITIATED. */
async function lockPayable(tx: Tx, caller: ClientCaller, paymentId: number, transactionId: number) {
  const locked = await lockTransaction(tx, caller, paymentId, transactionId);
  requireActive(locked.payment);
  requireCardTransaction(locked.transaction);
  if (locked.transaction.status !== "CREATED" && locked.transaction.status !== "INITIATED") {
    throw conflict(`A terminal needs a CREATED or INITIATED transaction; this one is ${locked.transaction.status}`);
  }
  return locked;
}

function requireCardTransaction(transaction: TransactionRow): void {
  if (transaction.paymentTypeGroup !== "PAYMENTCARD") {
    throw ruleBroken(
      `A card terminal is only for PAYMENTCARD transactions; this one is ${transaction.paymentTypeGroup}`,
    );
  }
  if (transaction.isImport) throw conflict("An import transaction is imported (POST …/import), not paid at a terminal");
}

/** Closes the transaction's open terminals, opens a new one, and marks the transaction INITIATED. */
async function openSession(
  tx: Tx,
  caller: ClientCaller,
  { payment, transaction }: LockedPayment & { transaction: TransactionRow },
  at: Date,
  session: {
    kind: TerminalKind;
    redirectUrl: string;
    callbackUrl: string | null;
    options: Omit<
      SessionOptions,
      "organisationId" | "clientId" | "clientName" | "pos" | "distributionChannel" | "attempts"
    >;
  },
): Promise<string> {
  await closeOpenSessions(tx, transaction.transactionId, at);
  const token = randomBytes(32).toString("base64url");
  const options: SessionOptions = {
    organisationId: payment.organisationId,
    clientId: caller.clientId,
    clientName: caller.clientName,
    pos: caller.pos,
    distributionChannel: caller.distributionChannel,
    attempts: 0,
    ...session.options,
  };
  await tx.insert(providerSessions).values({
    token,
    kind: session.kind,
    transactionId: transaction.transactionId,
    paymentId: payment.paymentId,
    redirectUrl: session.redirectUrl,
    callbackUrl: session.callbackUrl,
    options,
    expiresAt: new Date(at.getTime() + TERMINAL_TTL_MS),
    createdAt: at,
  });
  await initiateLocked(tx, caller, transaction, at);
  return token;
}

async function closeOpenSessions(tx: Tx, transactionId: number, at: Date): Promise<void> {
  await tx
    .update(providerSessions)
    .set({ completedAt: at, outcome: "REPLACED" })
    .where(
      and(
        eq(providerSessions.transactionId, transactionId),
        isNull(providerSessions.completedAt),
        sql`${providerSessions.kind} in ('CARD_TERMINAL', 'RECURRING_TERMINAL', 'INTERNAL_TERMINAL')`,
      ),
    );
}

/** An ACTIVE, unexpired stored card of the payment's customer, by panHash or by id; else 422. */
async function usableStoredCard(
  tx: Tx,
  payment: PaymentRow,
  by: { panHash?: string; recurringPaymentId?: number },
): Promise<RecurringRow> {
  const field = by.panHash !== undefined ? "panHash" : "recurringPaymentId";
  if (!payment.customerNumber) throw ruleBroken("A stored card needs a payment that has a customerNumber", field);
  const [stored] = await tx
    .select()
    .from(recurringPayments)
    .where(
      and(
        by.panHash !== undefined
          ? eq(recurringPayments.panHash, by.panHash)
          : eq(recurringPayments.recurringPaymentId, by.recurringPaymentId!),
        eq(recurringPayments.organisationId, payment.organisationId),
        eq(recurringPayments.customerNumber, payment.customerNumber),
        eq(recurringPayments.recurringStatus, "ACTIVE"),
        or(isNull(recurringPayments.expiresAt), gt(recurringPayments.expiresAt, new Date())),
      ),
    );
  if (!stored || !stored.panHash) {
    throw ruleBroken(
      by.panHash !== undefined
        ? "panHash matches no ACTIVE, unexpired stored card of the payment's customer"
        : `recurring payment ${by.recurringPaymentId} is not an ACTIVE, unexpired stored card of the payment's customer`,
      field,
    );
  }
  return stored;
}

// ---------------------------------------------------------------- MIT_UCOF: charge at once

async function chargeStoredCardNow(
  caller: ClientCaller,
  paymentId: number,
  transactionId: number,
  input: TerminalInput,
): Promise<TerminalCreated> {
  return inAuthorizingTransaction(async (tx) => {
    const locked = await lockPayable(tx, caller, paymentId, transactionId);
    const { payment, transaction } = locked;
    if (transaction.recurringPaymentId === null) {
      throw ruleBroken(
        "transactionType MIT_UCOF charges the transaction's stored card: create the transaction with a recurringPaymentId",
        "transactionType",
      );
    }
    const stored = await usableStoredCard(tx, payment, { recurringPaymentId: transaction.recurringPaymentId });
    const key = outcomeKeyOf(payment, transaction);
    const outcome = await askProvider(key, () =>
      cardProvider().chargeStoredCard({
        reference: `mit:${transactionId}:${randomBytes(6).toString("base64url")}`,
        panHash: stored.panHash!,
        maskedPan: stored.maskedPan,
        amount: money(transaction.amount),
        currency: transaction.currency,
        initiator: "MERCHANT",
      }),
    );
    if (!outcome.ok) {
      logger.info("stored card charge declined", {
        correlationId: caller.correlationId,
        transactionId,
        errorReason: outcome.errorReason,
      });
      throw declinedError(key, outcome);
    }
    const at = new Date();
    await closeOpenSessions(tx, transactionId, at);
    await appendOperation(
      tx,
      { transactionId, paymentId, operation: "INITIATE", amount: money(transaction.amount), at },
      caller,
    );
    await authorizeLocked(tx, caller, payment, transaction, at, {
      rrn: outcome.rrn,
      last4: stored.maskedPan?.slice(-4) ?? null,
      paymentType: stored.paymentType,
      recurringPaymentId: stored.recurringPaymentId,
      autoSale: input.autoSale ?? false,
      callbackUrl: input.callbackUrl ?? null,
    });
    return { paymentId, transactionId, recurringPaymentId: stored.recurringPaymentId };
  });
}

/**
 * AUTHORIZED for the whole amount with its AUTHORIZE entry and the approved attempt counted, then
 * with autoSale CAPTURED through captureLocked (entry and rollup), then the callback when one was
 * asked for.
 */
async function authorizeLocked(
  tx: Tx,
  caller: ClientCaller,
  payment: PaymentRow,
  transaction: TransactionRow,
  at: Date,
  facts: {
    rrn: string;
    last4: string | null;
    paymentType: string | null;
    recurringPaymentId: number | null;
    autoSale: boolean;
    callbackUrl: string | null;
  },
): Promise<TransactionRow> {
  const amount = money(transaction.amount);
  let [row] = await tx
    .update(paymentTransactions)
    .set({
      status: "AUTHORIZED",
      authorizedAmount: toDbAmount(amount),
      // A terminal authorization is the pre-authorization: increments may follow it.
      lastAuthorization: "PRE_AUTHORIZATION",
      rrn: facts.rrn,
      cardNumber: facts.last4,
      paymentType: facts.paymentType ?? transaction.paymentType,
      recurringPaymentId: facts.recurringPaymentId ?? transaction.recurringPaymentId,
      updatedAt: at,
    })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId))
    .returning();
  await appendOperation(
    tx,
    { transactionId: row.transactionId, paymentId: payment.paymentId, operation: "AUTHORIZE", amount, at },
    caller,
  );
  await countOutcome(tx, outcomeKeyOf(payment, row), "approved", at);
  await touchPayment(tx, payment.paymentId, at);
  if (facts.autoSale) row = await captureLocked(tx, caller, payment, row, at, "CAPTURE");
  if (facts.callbackUrl) await enqueueCallback(tx, facts.callbackUrl, transactionCallbackPayload(row));
  return row;
}

// ---------------------------------------------------------------- the hosted page

export type TerminalPageState = "open" | "expired" | "completed" | "unavailable";

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
  if (session.completedAt) return "completed";
  if (session.expiresAt.getTime() <= Date.now()) return "expired";
  if (!payment.active || transaction.status !== "INITIATED") return "unavailable";
  return "open";
}

function returnUrlOf(session: SessionRow, state: TerminalPageState): string | null {
  if (!session.redirectUrl) return null;
  let code = "CANCELLED";
  if (state === "expired") code = "EXPIRED";
  else if (state === "completed" && session.outcome && session.outcome !== "REPLACED") code = session.outcome;
  if (session.kind === CARD_REGISTRATION) {
    const url = new URL(session.redirectUrl);
    url.searchParams.set("recurringPaymentId", String((session.options as RegistrationOptions).recurringPaymentId));
    url.searchParams.set("responseCode", code);
    return url.toString();
  }
  return resultUrl(session.redirectUrl, session.paymentId!, session.transactionId!, code);
}

async function findSession(token: string): Promise<SessionRow | null> {
  // Tokens are 43 base64url characters; anything else cannot be one (and is not worth a query).
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [session] = await db()
    .select()
    .from(providerSessions)
    .where(and(eq(providerSessions.token, token), inArray(providerSessions.kind, [...TERMINAL_KINDS])));
  return session ?? null;
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

/** POST on the card page: the customer typed a card and pressed Pay. */
export async function payWithCard(token: string, form: CardForm, correlationId: string): Promise<PageOutcome> {
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

/** POST on a recurring terminal: the customer confirms the charge of the stored card. */
export async function confirmStoredCard(token: string, correlationId: string): Promise<PageOutcome> {
  const session = await findSession(token);
  if (!session) return { kind: "not_found" };
  if (session.kind !== "RECURRING_TERMINAL") return unavailable(session, "Enter a card to pay on this terminal");
  const early = overOutcome(session);
  if (early) return early;
  return settle(session, correlationId, async (key, options, { tx, payment, transaction }) => {
    let stored: RecurringRow;
    try {
      stored = await usableStoredCard(tx, payment, { recurringPaymentId: options.recurringPaymentId! });
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

/** POST on the page with Cancel: closes the terminal and sends the customer back. */
export async function cancelTerminal(token: string): Promise<PageOutcome> {
  const session = await findSession(token);
  if (!session) return { kind: "not_found" };
  return inTransaction(async (tx) => {
    const [locked] = await tx.select().from(providerSessions).where(eq(providerSessions.id, session.id)).for("update");
    if (!locked.completedAt && locked.expiresAt.getTime() > Date.now()) {
      // The last decline (if any) stays the outcome: it is the most useful answer for the shop.
      const outcome = locked.outcome && locked.outcome !== "OK" ? locked.outcome : "CANCELLED";
      const [closed] = await tx
        .update(providerSessions)
        .set({ completedAt: new Date(), outcome })
        .where(eq(providerSessions.id, session.id))
        .returning();
      return { kind: "redirect", url: returnUrlOf(closed, "completed") ?? "/" };
    }
    const state = locked.completedAt ? "completed" : "expired";
    const url = returnUrlOf(locked, state);
    return url ? { kind: "redirect", url } : { kind: state, returnUrl: null };
  });
}

function overOutcome(session: SessionRow): PageOutcome | null {
  if (session.completedAt) return { kind: "completed", returnUrl: returnUrlOf(session, "completed") };
  if (session.expiresAt.getTime() <= Date.now()) return { kind: "expired", returnUrl: returnUrlOf(session, "expired") };
  return null;
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
    if (!payment.active || transaction.status !== "INITIATED") {
      return unavailable(
        current,
        "This payment can no longer be completed here: it was changed or cancelled by the shop",
      );
    }
    const currentOptions = current.options as SessionOptions;
    if (currentOptions.attempts >= MAX_CARD_ATTEMPTS) {
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
        attemptsLeft: MAX_CARD_ATTEMPTS - attempts,
      };
    }

    const at = new Date();
    let recurringPaymentId = decision.recurringPaymentId ?? null;
    if (decision.storeCard) {
      const { recurringPaymentId: stored, ...card } = decision.storeCard;
      await activateStoredCard(tx, stored, card, at);
      recurringPaymentId = stored;
    }
    await authorizeLocked(tx, caller, payment, transaction, at, {
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

// ---------------------------------------------------------------- card registration (seed 001)

async function registrationPage(session: SessionRow): Promise<TerminalPageView | null> {
  const options = session.options as RegistrationOptions;
  const [row] = await db()
    .select({ status: recurringPayments.recurringStatus, merchant: organisations.name })
    .from(recurringPayments)
    .innerJoin(organisations, eq(organisations.id, recurringPayments.organisationId))
    .where(eq(recurringPayments.recurringPaymentId, options.recurringPaymentId));
  if (!row) return null;
  let state: TerminalPageState = "open";
  if (session.completedAt) state = "completed";
  else if (session.expiresAt.getTime() <= Date.now()) state = "expired";
  else if (row.status !== "CREATED") state = "unavailable";
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
    if (options.attempts >= MAX_CARD_ATTEMPTS) {
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
        attemptsLeft: MAX_CARD_ATTEMPTS - attempts,
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
