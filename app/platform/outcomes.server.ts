// How each authorization attempt ended, counted per UTC day, organisation, currency and payment
// type group in the daily_outcomes rollup (the dashboard's declined/failed share reads only that):
//
//   approved  the transaction became AUTHORIZED (counted with its first AUTHORIZE entry, in the
//             same DB transaction; increments and reductions of a pre-authorization are not new
//             attempts);
//   declined  the provider said no (REFUSED_BY_ISSUER, SOFT_DECLINE…);
//   failed    the provider could not be asked, or the call to it threw.
//
// A decline or failure leaves no operation-log entry. Where the use-case answers one
// by throwing, its DB transaction rolls back, yet the attempt really happened at the provider:
// the thrown error carries the outcome (declinedError, askProvider) and inAuthorizingTransaction
// counts it after the rollback in a short transaction of its own. Where the use-case commits the
// decline (a hosted page that stays open or ends with result=failed), it counts it in that same
// transaction (countOutcome). Credits and card registrations are not payment authorizations and
// are not counted (docs/decisions/015-authorization-outcomes.md).
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { dailyOutcomes } from "../../db/schema";
import type { ErrorReason } from "../domain/enums";
import { DomainError } from "../domain/errors";
import { logger } from "./logger.server";
import { outsideIdempotencyKey } from "./idempotency.server";
import { inTransaction } from "./transaction.server";

export type AuthorizationOutcome = "approved" | "declined" | "failed";

/** Whose attempt it was: the payment's organisation and the transaction's currency and group. */
export type OutcomeKey = { organisationId: number; currency: string; paymentTypeGroup: string };

export function outcomeKeyOf(
  payment: { organisationId: number },
  transaction: { currency: string; paymentTypeGroup: string },
): OutcomeKey {
  return {
    organisationId: payment.organisationId,
    currency: transaction.currency,
    paymentTypeGroup: transaction.paymentTypeGroup,
  };
}

const FIELD = { approved: "approvedCount", declined: "declinedCount", failed: "failedCount" } as const;

/** Adds one attempt with this outcome to the UTC day of `at`, in the caller's DB transaction. */
export async function countOutcome(tx: Tx, key: OutcomeKey, outcome: AuthorizationOutcome, at: Date): Promise<void> {
  const field = FIELD[outcome];
  await tx
    .insert(dailyOutcomes)
    .values({
      day: at.toISOString().slice(0, 10),
      organisationId: key.organisationId,
      currency: key.currency,
      paymentTypeGroup: key.paymentTypeGroup,
      approvedCount: outcome === "approved" ? 1 : 0,
      declinedCount: outcome === "declined" ? 1 : 0,
      failedCount: outcome === "failed" ? 1 : 0,
    })
    .onConflictDoUpdate({
      target: [dailyOutcomes.day, dailyOutcomes.organisationId, dailyOutcomes.currency, dailyOutcomes.paymentTypeGroup],
      set: { [field]: sql`${dailyOutcomes[field]} + 1` },
    });
}

type Pending = { key: OutcomeKey; outcome: Exclude<AuthorizationOutcome, "approved">; at: Date };

/** Errors that end a use-case after the provider was asked, with the outcome still to count. */
const pending = new WeakMap<object, Pending>();

/** The provider's no as the use-case's 422, carrying the decline to count after the rollback. */
export function declinedError(key: OutcomeKey, decline: { reason: string; errorReason: ErrorReason }): DomainError {
  const error = new DomainError("declined", decline.reason, { errorReason: decline.errorReason });
  pending.set(error, { key, outcome: "declined", at: new Date() });
  return error;
}

/**
 * Asks the provider to authorize. When the call itself throws (provider unreachable, an error on
 * our side talking to it), the error goes on as before and carries a failed attempt to count.
 */
export async function askProvider<T>(key: OutcomeKey, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error !== null && typeof error === "object" && !pending.has(error))
      pending.set(error, { key, outcome: "failed", at: new Date() });
    throw error;
  }
}

/**
 * inTransaction for use-cases that ask a provider to authorize: when the work throws an error
 * carrying an outcome (declinedError, askProvider), the rolled-back transaction is followed by a
 * short one that counts it. Counting never replaces the use-case's own error.
 */
export async function inAuthorizingTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(work);
  } catch (error) {
    const outcome = error !== null && typeof error === "object" ? pending.get(error) : undefined;
    if (outcome) {
      pending.delete(error as object);
      try {
        // Not the request's effect: it must not mark an Idempotency-Key (decision 016).
        await outsideIdempotencyKey(() =>
          inTransaction((tx) => countOutcome(tx, outcome.key, outcome.outcome, outcome.at)),
        );
      } catch (counting) {
        logger.error("could not count an authorization outcome", {
          outcome: outcome.outcome,
          ...outcome.key,
          error: String(counting),
        });
      }
    }
    throw error;
  }
}
