// What the card terminals share (the card terminal, the recurring terminal, the internal
// terminal, and the page that registers a card to store): the terminal session, reached by its
// unguessable token (32 random bytes) and alive for 15 minutes (app/domain/terminal.ts), the
// checks before one opens, the stored card a terminal charges, and the authorization its approval
// writes.
//
// Opening a terminal sets the transaction INITIATED with an INITIATE entry; a new terminal for an
// INITIATED transaction replaces the open one. Session options hold who opened the terminal and
// its settings, never card data.
import { randomBytes } from "node:crypto";
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { providerSessions, recurringPayments } from "../../../db/schema";
import type { ClientCaller } from "../../domain/caller";
import { conflict, ruleBroken } from "../../domain/errors";
import { requireAllowedUrl } from "../../domain/redirects";
import { terminalExpiresAt } from "../../domain/terminal";
import { lockTransaction, requireActive, type LockedPayment } from "../../platform/locks.server";
import { inTransaction } from "../../platform/transaction.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import { CARD_REGISTRATION } from "../recurring/recurring-payments.server";
import { announceLocked, authorizeLocked, captureLocked, initiateLocked } from "../transactions/transactions.server";

/**
 * CARD_REGISTRATION is the terminal of a recurring payment (POST /v1/recurring-payments/{id}/terminal):
 * no payment, the card is only verified and kept for the authorize call (recurring-payments.server.ts).
 */
export const TERMINAL_KINDS = ["CARD_TERMINAL", "RECURRING_TERMINAL", "INTERNAL_TERMINAL", CARD_REGISTRATION] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

/** What a terminal session remembers besides its columns. Never card data. */
export type SessionOptions = {
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

export type SessionRow = typeof providerSessions.$inferSelect;
export type RecurringRow = typeof recurringPayments.$inferSelect;

/** The ids a terminal works on: the payment and its transaction, and where the page is served. */
export type TerminalTarget = { paymentId: number; transactionId: number; origin: string };

export function requireAllowedRedirect(caller: ClientCaller, url: string, field = "redirectUrl"): void {
  requireAllowedUrl(caller.allowedRedirectPrefixes, url, field);
}

export function terminalUrl(origin: string, token: string): string {
  return `${origin}/sandbox/card/${token}`;
}

export async function findSession(token: string): Promise<SessionRow | null> {
  // Tokens are 43 base64url characters; anything else cannot be one (and is not worth a query).
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [session] = await db()
    .select()
    .from(providerSessions)
    .where(and(eq(providerSessions.token, token), inArray(providerSessions.kind, [...TERMINAL_KINDS])));
  return session ?? null;
}

/** Locks the payment and its transactions; the transaction must be a card one, CREATED or INITIATED. */
export async function lockPayable(tx: Tx, caller: ClientCaller, paymentId: number, transactionId: number) {
  return requirePayable(await lockTransaction(tx, caller, paymentId, transactionId));
}

/** lockPayable's checks, on rows locked already. */
export function requirePayable<L extends LockedPayment & { transaction: TransactionRow }>(locked: L): L {
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

/**
 * The page of a terminal the shop does not configure (the internal terminal for customer service,
 * the recurring terminal): one page, in Norwegian, never captured on its own.
 */
export const FIXED_PAGE_OPTIONS = {
  autoSale: false,
  singlePage: true,
  countryCode: "NO",
  terminalLanguage: "no_NO",
} as const satisfies Partial<SessionOptions>;

/**
 * Opens a page with FIXED_PAGE_OPTIONS (the internal or the recurring terminal) in one
 * transaction: the redirectUrl must be one of the client's prefixes, the payment and its
 * transactions are locked (lockPayable), and `storedCard` names the stored card the page charges
 * (none for the internal terminal). Answers the page's URL.
 */
export async function openFixedPage(
  caller: ClientCaller,
  input: TerminalTarget & { redirectUrl: string },
  kind: "INTERNAL_TERMINAL" | "RECURRING_TERMINAL",
  storedCard: (
    tx: Tx,
    locked: Awaited<ReturnType<typeof lockPayable>>,
  ) => Promise<Pick<SessionOptions, "recurringPaymentId" | "recurringType">>,
): Promise<string> {
  requireAllowedRedirect(caller, input.redirectUrl);
  return inTransaction(async (tx) => {
    const locked = await lockPayable(tx, caller, input.paymentId, input.transactionId);
    const card = await storedCard(tx, locked);
    const token = await openSessionLocked(tx, caller, locked, new Date(), {
      kind,
      redirectUrl: input.redirectUrl,
      callbackUrl: null,
      options: { ...FIXED_PAGE_OPTIONS, ...card },
    });
    return terminalUrl(input.origin, token);
  });
}

/** Closes the transaction's open terminals, opens a new one, and marks the transaction INITIATED. */
export async function openSessionLocked(
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
  await closeOpenSessionsLocked(tx, transaction.transactionId, at);
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
    expiresAt: terminalExpiresAt(at),
    createdAt: at,
  });
  await initiateLocked(tx, caller, transaction, at);
  return token;
}

export async function closeOpenSessionsLocked(tx: Tx, transactionId: number, at: Date): Promise<void> {
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
export async function usableStoredCardLocked(
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

/**
 * AUTHORIZED for the whole amount with its AUTHORIZE entry and the approved attempt counted, then
 * with autoSale CAPTURED through captureLocked (entry and rollup), then the callback when one was
 * asked for.
 */
export async function authorizeCardLocked(
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
  // A terminal authorization is the pre-authorization: increments may follow it. With autoSale
  // the callback waits for the capture, so that it tells the client the transaction's last state.
  let row = await authorizeLocked(tx, caller, payment, transaction, at, {
    lastAuthorization: "PRE_AUTHORIZATION",
    rrn: facts.rrn,
    cardNumber: facts.last4,
    paymentType: facts.paymentType ?? transaction.paymentType,
    recurringPaymentId: facts.recurringPaymentId ?? transaction.recurringPaymentId,
  });
  if (facts.autoSale) row = await captureLocked(tx, caller, payment, row, at, "CAPTURE");
  if (facts.callbackUrl) await announceLocked(tx, caller, payment, row, facts.callbackUrl);
  return row;
}
