// Recurring payments (stored cards): query, create, update nickname and primary, end,
// open a card terminal that registers the card, and authorize (ACTIVE). Used by the /v1 routes,
// the staff customer screen and the card terminal (storePayment).
//
// Exactly one primary per customer among the non-cancelled ones. The unique partial
// index recurring_payments_one_primary_uq forbids two; these use-cases see to it that there is
// never none either: the first card of a customer is primary, making another primary moves it,
// ending the primary hands it on, and a primary can only be given up by making another one
// primary (the rules are app/domain/recurring.ts).
//
// Concurrency: every use-case that may move the primary first locks all of the customer's rows
// (every organisation's: the customer and the index are global) in recurringPaymentId order, so
// two such use-cases for one customer run one after the other and cannot deadlock. A row the
// lock did not see (inserted by a transaction that committed while this one waited, so absent
// from this statement's snapshot) can still make the index refuse a write: that whole
// transaction is then run again with a fresh view (inCustomerTransaction).
//
// Lock order: payment and its transactions (when a card flow is involved), then the customer's
// recurring payments, then provider sessions.
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { providerSessions, recurringPayments } from "../../../db/schema";
import type { RecurringStatus } from "../../domain/enums";
import { conflict, notFound, ruleBroken } from "../../domain/errors";
import {
  effectiveRecurringStatus,
  isPrimaryCard,
  isPrimaryWhenCreated,
  primaryOf,
  recurringChangeProblem,
  recurringExpiry,
  successorPrimary,
  takesOverPrimary,
} from "../../domain/recurring";
import { terminalExpiresAt } from "../../domain/terminal";
import { requireAllowedUrl } from "../../domain/redirects";
import { auditStaffAction } from "../../platform/audit.server";
import { customerNamedBy, tenantOf, type Caller, type ClientCaller } from "../../domain/caller";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

export type RecurringRow = typeof recurringPayments.$inferSelect;

const PRIMARY_INDEX = "recurring_payments_one_primary_uq";
/** The card terminal of a recurring payment (POST …/{id}/terminal), where the customer registers the card. */
export const CARD_REGISTRATION = "CARD_REGISTRATION";

export type RecurringPaymentView = {
  recurringPaymentId: number;
  organisationId: number;
  customerNumber: string;
  nickname: string | null;
  primary: boolean;
  recurringStatus: RecurringStatus;
  paymentType: string | null;
  maskedPan: string | null;
  cardExpiresAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

function toRecurringPaymentView(row: RecurringRow, now = new Date()): RecurringPaymentView {
  return {
    recurringPaymentId: row.recurringPaymentId,
    organisationId: row.organisationId,
    customerNumber: row.customerNumber,
    nickname: row.nickname,
    primary: isPrimaryCard(row),
    recurringStatus: effectiveRecurringStatus(row, now),
    paymentType: row.paymentType,
    maskedPan: row.maskedPan,
    cardExpiresAt: row.cardExpiresAt,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Staff (tenant null) see every organisation's cards; a client only its own organisation's. */
function tenantCondition(caller: Caller): SQL | undefined {
  const organisationId = tenantOf(caller);
  return organisationId === null ? undefined : eq(recurringPayments.organisationId, organisationId);
}

// ---------------------------------------------------------------- reading

export type RecurringQuery = {
  customerNumber: string;
  includeExpired?: boolean;
  /** Staff only: ended cards too, for the customer's history. The API never shows them. */
  includeCancelled?: boolean;
};

/** GET /v1/recurring-payments: never CANCELLED; EXPIRED only with includeExpired. Newest first. */
export async function listRecurringPayments(caller: Caller, query: RecurringQuery): Promise<RecurringPaymentView[]> {
  const now = new Date();
  const rows = await db()
    .select()
    .from(recurringPayments)
    .where(
      and(
        eq(recurringPayments.customerNumber, query.customerNumber),
        tenantCondition(caller),
        query.includeCancelled ? undefined : ne(recurringPayments.recurringStatus, "CANCELLED"),
        query.includeExpired
          ? undefined
          : and(
              ne(recurringPayments.recurringStatus, "EXPIRED"),
              or(isNull(recurringPayments.expiresAt), gt(recurringPayments.expiresAt, now)),
            ),
      ),
    )
    .orderBy(desc(recurringPayments.createdAt), desc(recurringPayments.recurringPaymentId));
  return rows.map((row) => toRecurringPaymentView(row, now));
}

/** A recurring payment the caller may see, unlocked; 404 for unknown and other tenants' ids. */
async function findVisible(
  database: Tx | ReturnType<typeof db>,
  caller: Caller,
  recurringPaymentId: number,
): Promise<RecurringRow> {
  const [row] = await database
    .select()
    .from(recurringPayments)
    .where(and(eq(recurringPayments.recurringPaymentId, recurringPaymentId), tenantCondition(caller)));
  if (!row) throw notFound("Recurring payment", recurringPaymentId);
  return row;
}

/**
 * GET /v1/recurring-payments/{id}.
 * @throws not_found  the recurring payment is unknown or another organisation's
 */
export async function getRecurringPayment(
  caller: Caller,
  input: { recurringPaymentId: number },
): Promise<RecurringPaymentView> {
  return toRecurringPaymentView(await findVisible(db(), caller, input.recurringPaymentId));
}

// ---------------------------------------------------------------- locking and the primary

/** Every recurring payment of the customer (all organisations), locked in id order. */
async function lockCustomerCards(tx: Tx, customerNumber: string): Promise<RecurringRow[]> {
  return tx
    .select()
    .from(recurringPayments)
    .where(eq(recurringPayments.customerNumber, customerNumber))
    .orderBy(asc(recurringPayments.recurringPaymentId))
    .for("update");
}

/** Locks the customer's cards and picks out the one asked for (404 when the caller may not see it). */
async function lockCard(
  tx: Tx,
  caller: Caller,
  recurringPaymentId: number,
): Promise<{ card: RecurringRow; cards: RecurringRow[] }> {
  const visible = await findVisible(tx, caller, recurringPaymentId);
  // customerNumber never changes and rows are never deleted, so the card is among them.
  const cards = await lockCustomerCards(tx, visible.customerNumber);
  const card = cards.find((c) => c.recurringPaymentId === recurringPaymentId)!;
  return { card, cards };
}

/**
 * Makes one card the customer's primary. The old primary is cleared by one statement over the
 * customer's rows rather than by the locked list, so a primary committed after that list was
 * read is cleared too.
 */
async function setPrimaryLocked(tx: Tx, customerNumber: string, recurringPaymentId: number, at: Date): Promise<void> {
  await tx
    .update(recurringPayments)
    .set({ isPrimary: false, updatedAt: at })
    .where(
      and(
        eq(recurringPayments.customerNumber, customerNumber),
        eq(recurringPayments.isPrimary, true),
        ne(recurringPayments.recurringPaymentId, recurringPaymentId),
      ),
    );
  await tx
    .update(recurringPayments)
    .set({ isPrimary: true, updatedAt: at })
    .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
}

/**
 * Runs a use-case that may move a customer's primary; when the unique index says another
 * transaction got there first (see the top of this file), runs it again on a fresh view.
 */
export async function inCustomerTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(work);
    } catch (error) {
      if (violatedConstraint(error) !== PRIMARY_INDEX) throw error;
      if (attempt >= attempts)
        throw conflict("The customer's recurring payments changed concurrently; try again", "RESOURCE_BUSY");
    }
  }
}

// ---------------------------------------------------------------- creating

export type NewRecurringPayment = {
  organisationId: number;
  clientId: string | null;
  customerNumber: string;
  nickname?: string | null;
  isPrimary?: boolean;
};

/**
 * Inserts a CREATED recurring payment. The customer's first (non-cancelled) one is primary
 * whatever was asked; a later one only with isPrimary, which moves the primary to it.
 */
export async function insertRecurringPaymentLocked(
  tx: Tx,
  input: NewRecurringPayment,
  at = new Date(),
): Promise<RecurringRow> {
  const cards = await lockCustomerCards(tx, input.customerNumber);
  const hasPrimary = primaryOf(cards) !== undefined;
  const primary = isPrimaryWhenCreated(cards, input.isPrimary);
  if (primary && hasPrimary) {
    await tx
      .update(recurringPayments)
      .set({ isPrimary: false, updatedAt: at })
      .where(and(eq(recurringPayments.customerNumber, input.customerNumber), eq(recurringPayments.isPrimary, true)));
  }
  const [row] = await tx
    .insert(recurringPayments)
    .values({
      organisationId: input.organisationId,
      clientId: input.clientId,
      customerNumber: input.customerNumber,
      nickname: input.nickname ?? null,
      isPrimary: primary,
      recurringStatus: "CREATED",
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row;
}

export type CreateRecurringInput = { customerNumber?: string; nickname?: string; isPrimary?: boolean };

/**
 * POST /v1/recurring-payments: a CREATED recurring payment for the customer; the customer's first
 * one is primary.
 * @throws invalid    a privileged client named no customer
 * @throws forbidden  a client that is not privileged names another customer than its logged-in one
 * @throws conflict   the customer's cards kept changing concurrently (RESOURCE_BUSY)
 */
export async function createRecurringPayment(
  caller: ClientCaller,
  input: CreateRecurringInput,
): Promise<RecurringPaymentView> {
  const customerNumber = customerNamedBy(caller, input.customerNumber);
  return inCustomerTransaction(async (tx) =>
    toRecurringPaymentView(
      await insertRecurringPaymentLocked(tx, {
        organisationId: caller.organisationId,
        clientId: caller.clientId,
        customerNumber,
        nickname: input.nickname,
        isPrimary: input.isPrimary,
      }),
    ),
  );
}

// ---------------------------------------------------------------- changing

/** The audit entry of a staff change (the reason travels on the StaffCaller); none for API clients. */
async function auditIfStaff(tx: Tx, caller: Caller, action: string, before: RecurringRow, after: RecurringRow) {
  await auditStaffAction(tx, caller, {
    action,
    entityType: "recurring_payment",
    entityId: before.recurringPaymentId,
    before: auditState(before),
    after: auditState(after),
  });
}

function auditState(row: RecurringRow) {
  return {
    customerNumber: row.customerNumber,
    nickname: row.nickname,
    isPrimary: row.isPrimary,
    recurringStatus: row.recurringStatus,
    maskedPan: row.maskedPan,
  };
}

async function reread(tx: Tx, recurringPaymentId: number): Promise<RecurringRow> {
  const [row] = await tx
    .select()
    .from(recurringPayments)
    .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
  return row;
}

export type RecurringPatch = { recurringPaymentId: number; nickname?: string | null; isPrimary?: boolean };

/**
 * PATCH: nickname (null removes it) and isPrimary. Making a card primary takes it from the
 * customer's other primary; giving it up without naming another is refused, because the
 * customer would have none. Staff changes are audited.
 * @throws not_found  the recurring payment is unknown or another organisation's
 * @throws conflict   it has been ended; it is EXPIRED and asked to become primary; concurrent changes (RESOURCE_BUSY)
 * @throws rule       isPrimary false on the primary one
 */
export async function updateRecurringPayment(caller: Caller, patch: RecurringPatch): Promise<RecurringPaymentView> {
  const { recurringPaymentId } = patch;
  return inCustomerTransaction(async (tx) => {
    const { card } = await lockCard(tx, caller, recurringPaymentId);
    const at = new Date();
    const problem = recurringChangeProblem(card, patch, at);
    // The staff screens say it by its key (errors.recurring.*); the API keeps the message.
    const say = problem && { key: `errors.recurring.${problem.code}`, values: { recurringPaymentId } };
    if (problem?.kind === "conflict")
      throw conflict(`Recurring payment ${recurringPaymentId} ${problem.message}`, undefined, say ?? undefined);
    if (problem) throw ruleBroken(problem.message, "isPrimary", say ?? undefined);
    if (patch.isPrimary === true && !card.isPrimary)
      await setPrimaryLocked(tx, card.customerNumber, recurringPaymentId, at);
    if (patch.nickname !== undefined && patch.nickname !== card.nickname) {
      await tx
        .update(recurringPayments)
        .set({ nickname: patch.nickname, updatedAt: at })
        .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
    }
    const after = await reread(tx, recurringPaymentId);
    await auditIfStaff(
      tx,
      caller,
      patch.isPrimary ? "recurring_payment.make_primary" : "recurring_payment.update",
      card,
      after,
    );
    return toRecurringPaymentView(after, at);
  });
}

/**
 * PUT …/end: CANCELLED, no longer usable. Ending an ended one changes nothing (PUT is
 * idempotent). When it was the primary, the customer's best remaining card becomes primary.
 * Staff ends are audited.
 * @throws not_found  the recurring payment is unknown or another organisation's
 * @throws conflict   the customer's cards kept changing concurrently (RESOURCE_BUSY)
 */
export async function endRecurringPayment(
  caller: Caller,
  input: { recurringPaymentId: number },
): Promise<RecurringPaymentView> {
  const { recurringPaymentId } = input;
  return inCustomerTransaction(async (tx) => {
    const { card, cards } = await lockCard(tx, caller, recurringPaymentId);
    if (card.recurringStatus === "CANCELLED") return toRecurringPaymentView(card);
    const at = new Date();
    await tx
      .update(recurringPayments)
      .set({ recurringStatus: "CANCELLED", isPrimary: false, updatedAt: at })
      .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
    if (card.isPrimary) {
      const others = cards.filter(
        (c) => c.recurringPaymentId !== recurringPaymentId && c.recurringStatus !== "CANCELLED",
      );
      const successor = successorPrimary(others, at);
      if (successor !== null) await setPrimaryLocked(tx, card.customerNumber, successor, at);
    }
    const after = await reread(tx, recurringPaymentId);
    await auditIfStaff(tx, caller, "recurring_payment.end", card, after);
    return toRecurringPaymentView(after, at);
  });
}

// ---------------------------------------------------------------- registering the card

/** What the card page learnt when the customer's card was verified; all we may keep of a card. */
export type VerifiedCard = { panHash: string; maskedPan: string; paymentType: string; cardExpiresAt: string };

export type RegistrationTerminalInput = {
  recurringPaymentId: number;
  /** Where the card page is served (the public origin). */
  origin: string;
  redirectUrl: string;
  callbackUrl?: string;
  terminalLanguage?: string;
  countryCode?: string;
  singlePage?: boolean;
};

/** What a CARD_REGISTRATION session remembers (never card data beyond VerifiedCard). */
export type RegistrationOptions = {
  recurringPaymentId: number;
  organisationId: number;
  clientId: string;
  clientName: string;
  terminalLanguage: string;
  countryCode: string;
  attempts: number;
  verifiedCard?: VerifiedCard;
};

/**
 * POST …/{id}/terminal: the hosted card page where the customer enters the card to store, for a
 * CREATED recurring payment; expires after 15 minutes. A new terminal replaces the open one.
 * The page verifies the card (no money moves); authorize then makes the recurring payment ACTIVE.
 * @throws invalid    redirectUrl or callbackUrl is not one of the client's prefixes
 * @throws not_found  the recurring payment is unknown or another organisation's
 * @throws conflict   the recurring payment is not CREATED
 */
export async function createRegistrationTerminal(
  caller: ClientCaller,
  input: RegistrationTerminalInput,
): Promise<{ terminalUri: string; recurringPaymentId: number }> {
  const { recurringPaymentId, origin } = input;
  requireAllowedUrl(caller.allowedRedirectPrefixes, input.redirectUrl, "redirectUrl");
  if (input.callbackUrl) requireAllowedUrl(caller.allowedRedirectPrefixes, input.callbackUrl, "callbackUrl");
  return inTransaction(async (tx) => {
    const { card } = await lockCard(tx, caller, recurringPaymentId);
    if (card.recurringStatus !== "CREATED") {
      throw conflict(
        `A terminal registers the card of a CREATED recurring payment; ${recurringPaymentId} is ${effectiveRecurringStatus(card)}`,
      );
    }
    const at = new Date();
    await tx
      .update(providerSessions)
      .set({ completedAt: at, outcome: "REPLACED" })
      .where(and(registrationSessionOf(recurringPaymentId), isNull(providerSessions.completedAt)));
    const token = randomBytes(32).toString("base64url");
    const options: RegistrationOptions = {
      recurringPaymentId,
      organisationId: card.organisationId,
      clientId: caller.clientId,
      clientName: caller.clientName,
      terminalLanguage: input.terminalLanguage ?? "no_NO",
      countryCode: input.countryCode ?? "NO",
      attempts: 0,
    };
    await tx.insert(providerSessions).values({
      token,
      kind: CARD_REGISTRATION,
      redirectUrl: input.redirectUrl,
      callbackUrl: input.callbackUrl ?? null,
      options,
      expiresAt: terminalExpiresAt(at),
      createdAt: at,
    });
    return { terminalUri: `${origin}/sandbox/card/${token}`, recurringPaymentId };
  });
}

function registrationSessionOf(recurringPaymentId: number): SQL {
  return and(
    eq(providerSessions.kind, CARD_REGISTRATION),
    sql`(${providerSessions.options} ->> 'recurringPaymentId') = ${String(recurringPaymentId)}`,
  )!;
}

/**
 * PUT …/{id}/authorize: the card the customer registered on the terminal is accepted; the
 * recurring payment becomes ACTIVE with its masked PAN, card expiry and panHash. Authorizing an
 * ACTIVE one again answers it unchanged.
 * @throws not_found  the recurring payment is unknown or another organisation's
 * @throws conflict   no card was registered yet; it is ended or expired; concurrent changes (RESOURCE_BUSY)
 */
export async function authorizeRecurringPayment(
  caller: Caller,
  input: { recurringPaymentId: number },
): Promise<RecurringPaymentView> {
  const { recurringPaymentId } = input;
  return inCustomerTransaction(async (tx) => {
    const { card, cards } = await lockCard(tx, caller, recurringPaymentId);
    const at = new Date();
    const status = effectiveRecurringStatus(card, at);
    if (status === "ACTIVE") return toRecurringPaymentView(card, at);
    if (status !== "CREATED")
      throw conflict(`Recurring payment ${recurringPaymentId} is ${status}; only a CREATED one can be authorized`);
    const [session] = await tx
      .select()
      .from(providerSessions)
      .where(and(registrationSessionOf(recurringPaymentId), eq(providerSessions.outcome, "OK")))
      .orderBy(desc(providerSessions.completedAt))
      .limit(1)
      .for("update");
    const verified = (session?.options as RegistrationOptions | undefined)?.verifiedCard;
    if (!verified) {
      throw conflict(
        `No card has been registered for recurring payment ${recurringPaymentId}: open its terminal (POST …/terminal) and let the customer enter the card first`,
      );
    }
    await activateLocked(tx, cards, card, verified, at);
    return toRecurringPaymentView(await reread(tx, recurringPaymentId), at);
  });
}

/**
 * The card terminal with storePayment: the card approved on a payment terminal becomes the
 * CREATED recurring payment's stored card. Nothing happens when that recurring payment was ended
 * meanwhile. Locks the customer's cards (the caller holds the payment's locks, which come first).
 */
export async function activateStoredCardLocked(
  tx: Tx,
  recurringPaymentId: number,
  verified: VerifiedCard,
  at: Date,
): Promise<void> {
  const [peek] = await tx
    .select()
    .from(recurringPayments)
    .where(eq(recurringPayments.recurringPaymentId, recurringPaymentId));
  if (!peek) return;
  const cards = await lockCustomerCards(tx, peek.customerNumber);
  const card = cards.find((c) => c.recurringPaymentId === recurringPaymentId)!;
  if (card.recurringStatus !== "CREATED") return;
  await activateLocked(tx, cards, card, verified, at);
}

/**
 * CREATED → ACTIVE. expiresAt is the card's expiry or the maximum age, whichever is first. If the
 * customer's primary cannot be charged (still CREATED, or expired), the newly usable card takes
 * it over: a primary should be a card that works. That takeover is best effort: a concurrent
 * primary move wins, and this card simply stays non-primary.
 */
async function activateLocked(
  tx: Tx,
  cards: readonly RecurringRow[],
  card: RecurringRow,
  verified: VerifiedCard,
  at: Date,
): Promise<void> {
  const cardExpiresAt = new Date(verified.cardExpiresAt);
  await tx
    .update(recurringPayments)
    .set({
      recurringStatus: "ACTIVE",
      maskedPan: verified.maskedPan,
      paymentType: verified.paymentType,
      panHash: verified.panHash,
      cardExpiresAt,
      expiresAt: recurringExpiry(cardExpiresAt, at),
      updatedAt: at,
    })
    .where(eq(recurringPayments.recurringPaymentId, card.recurringPaymentId));
  if (!takesOverPrimary(primaryOf(cards), card, at)) return;
  try {
    await tx.transaction(async (savepoint) =>
      setPrimaryLocked(savepoint, card.customerNumber, card.recurringPaymentId, at),
    );
  } catch (error) {
    if (violatedConstraint(error) !== PRIMARY_INDEX) throw error;
  }
}

// ---------------------------------------------------------------- charging

/**
 * The card a new transaction is to be charged from: the payment's organisation's, ACTIVE,
 * unexpired and the payment's customer's; else 422 naming recurringPaymentId. Locked FOR SHARE
 * until the transaction commits, so it cannot be ended in between.
 */
export async function usableCardLocked(
  tx: Tx,
  payment: { organisationId: number; customerNumber: string | null },
  recurringPaymentId: number,
): Promise<RecurringRow> {
  const field = "recurringPaymentId";
  const [card] = await tx
    .select()
    .from(recurringPayments)
    .where(
      and(
        eq(recurringPayments.recurringPaymentId, recurringPaymentId),
        eq(recurringPayments.organisationId, payment.organisationId),
      ),
    )
    .for("share");
  if (!card) throw ruleBroken(`recurring payment ${recurringPaymentId} was not found`, field);
  const status = effectiveRecurringStatus(card);
  if (status === "EXPIRED") throw ruleBroken(`recurring payment ${recurringPaymentId} has expired`, field);
  if (status !== "ACTIVE") throw ruleBroken(`recurring payment ${recurringPaymentId} is ${status}, not ACTIVE`, field);
  if (!payment.customerNumber)
    throw ruleBroken("a recurring payment can only be charged on a payment that has a customerNumber", field);
  if (card.customerNumber !== payment.customerNumber)
    throw ruleBroken("the recurring payment belongs to another customer than the payment", field);
  return card;
}
