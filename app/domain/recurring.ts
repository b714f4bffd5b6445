// Rules of recurring payments (stored cards) that need no I/O.
//
// A stored card is usable for a charge while it is ACTIVE and before its expiresAt. Once
// expiresAt has passed it is EXPIRED whether or not a row was ever rewritten: the status is
// derived at read time, so no job has to sweep expired cards and no reader can see a stale one.
//
// expiresAt is never after cardExpiresAt (the card's expiry "may be longer than the
// recurring payment's expiration date, but never shorter") and never more than
// RECURRING_MAX_YEARS after the card was authorized.
import type { RecurringStatus } from "./enums";

export const RECURRING_MAX_YEARS = 3;

type Card = { recurringStatus: string; expiresAt: Date | null };
type PrimaryCard = { recurringStatus: string; isPrimary: boolean };

/** The status a reader sees: ACTIVE past its expiresAt reads as EXPIRED. */
export function effectiveRecurringStatus(card: Card, now = new Date()): RecurringStatus {
  if (card.recurringStatus === "ACTIVE" && card.expiresAt && card.expiresAt.getTime() <= now.getTime())
    return "EXPIRED";
  return card.recurringStatus as RecurringStatus;
}

/** ACTIVE and not expired: the only state in which a transaction may charge the card. */
export function isUsableCard(card: Card, now = new Date()): boolean {
  return effectiveRecurringStatus(card, now) === "ACTIVE";
}

/** When an authorized card stops being usable: its own expiry, or the maximum age, whichever is first. */
export function recurringExpiry(cardExpiresAt: Date, authorizedAt: Date): Date {
  const limit = new Date(authorizedAt);
  limit.setUTCFullYear(limit.getUTCFullYear() + RECURRING_MAX_YEARS);
  return cardExpiresAt.getTime() < limit.getTime() ? cardExpiresAt : limit;
}

type Candidate = Card & { recurringPaymentId: number; createdAt: Date };

/**
 * Which card becomes primary when the primary one is ended: a usable card first, then one the
 * customer is still registering (CREATED), then an expired one, so that exactly one of the
 * customer's non-cancelled cards stays primary. Newest first within each rank. Null when the
 * customer has no other non-cancelled card.
 */
export function successorPrimary(candidates: readonly Candidate[], now = new Date()): number | null {
  const rank = (card: Candidate) => {
    const status = effectiveRecurringStatus(card, now);
    return status === "ACTIVE" ? 0 : status === "CREATED" ? 1 : status === "EXPIRED" ? 2 : null;
  };
  let best: { card: Candidate; rank: number } | null = null;
  for (const card of candidates) {
    const r = rank(card);
    if (r === null) continue;
    if (
      !best ||
      r < best.rank ||
      (r === best.rank &&
        (card.createdAt.getTime() > best.card.createdAt.getTime() ||
          (card.createdAt.getTime() === best.card.createdAt.getTime() &&
            card.recurringPaymentId > best.card.recurringPaymentId)))
    ) {
      best = { card, rank: r };
    }
  }
  return best?.card.recurringPaymentId ?? null;
}

// ---------------------------------------------------------------- the one primary

/**
 * A customer has exactly one primary among their non-cancelled cards: an ended (CANCELLED) card is
 * nobody's primary, whatever its row held before.
 */
export function isPrimaryCard(card: PrimaryCard): boolean {
  return card.isPrimary && card.recurringStatus !== "CANCELLED";
}

/** The customer's primary card among theirs, if any. */
export function primaryOf<C extends PrimaryCard>(cards: readonly C[]): C | undefined {
  return cards.find(isPrimaryCard);
}

/** A new card is primary when the customer has none yet (whatever was asked), or when asked to be. */
export function isPrimaryWhenCreated(cards: readonly PrimaryCard[], asked: boolean | undefined): boolean {
  return primaryOf(cards) === undefined || asked === true;
}

/**
 * Why this change of a card cannot be made, or null: an ended card cannot change; an expired one
 * cannot become primary; a primary cannot be given up without naming another one (the customer
 * would have none).
 */
export function recurringChangeProblem(
  card: Card & PrimaryCard,
  change: { isPrimary?: boolean },
  now = new Date(),
): { kind: "conflict" | "rule"; message: string; code: "ended" | "expired" | "keepPrimary" } | null {
  if (card.recurringStatus === "CANCELLED")
    return { kind: "conflict", message: "has been ended; it cannot be changed", code: "ended" };
  if (change.isPrimary === true && !card.isPrimary && effectiveRecurringStatus(card, now) === "EXPIRED")
    return { kind: "conflict", message: "is EXPIRED; it cannot become primary", code: "expired" };
  if (change.isPrimary === false && card.isPrimary)
    return {
      kind: "rule",
      code: "keepPrimary",
      message:
        "A customer always has one primary recurring payment: make another one primary instead of unsetting this one",
    };
  return null;
}

/**
 * A card that has just become usable takes the primary over when the customer's primary cannot be
 * charged (still CREATED, or expired): a primary should be a card that works.
 */
export function takesOverPrimary(
  primary: (Card & { recurringPaymentId: number }) | undefined,
  card: { recurringPaymentId: number },
  now = new Date(),
): boolean {
  if (!primary) return true;
  return primary.recurringPaymentId !== card.recurringPaymentId && !isUsableCard(primary, now);
}
