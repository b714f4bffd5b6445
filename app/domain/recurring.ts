// Rules of recurring payments (stored cards, seed 001) that need no I/O.
//
// A stored card is usable for a charge while it is ACTIVE and before its expiresAt. Once
// expiresAt has passed it is EXPIRED whether or not a row was ever rewritten: the status is
// derived at read time, so no job has to sweep expired cards and no reader can see a stale one.
//
// expiresAt is never after cardExpiresAt (seed 001: the card's expiry "may be longer than the
// recurring payment's expiration date, but never shorter") and never more than
// RECURRING_MAX_YEARS after the card was authorized.
import type { RecurringStatus } from "./enums";

export const RECURRING_MAX_YEARS = 3;

type Card = { recurringStatus: RecurringStatus; expiresAt: Date | null };

/** The status a reader sees: ACTIVE past its expiresAt reads as EXPIRED. */
export function effectiveRecurringStatus(card: Card, now = new Date()): RecurringStatus {
  if (card.recurringStatus === "ACTIVE" && card.expiresAt && card.expiresAt.getTime() <= now.getTime())
    return "EXPIRED";
  return card.recurringStatus;
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
