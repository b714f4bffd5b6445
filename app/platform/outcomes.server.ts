// How each authorization attempt ended, counted per UTC day, organisation, currency and payment
// type group in the daily_outcomes rollup (the dashboard's declined/failed share reads only that):
//
//   approved  the transaction became AUTHORIZED (counted with its first AUTHORIZE entry, in the
//             same DB transaction; increments and reductions of a pre-authorization are not new
//             attempts);
//   declined  the provider said no (REFUSED_BY_ISSUER, SOFT_DECLINE…);
//   failed    the provider never received the attempt (settled by the recovery job).
//
// A decline or failure leaves no operation-log entry. Every authorization is a provider operation
// (claim → ask → settle, provider-operations.server.ts): its outcome is counted in the DB
// transaction that settles it, whoever settles it (the request, a retry, the recovery job). An
// attempt whose outcome is still unknown is not counted yet. Credits and card registrations are
// not payment authorizations and are not counted (docs/decisions/015-authorization-outcomes.md).
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { dailyOutcomes } from "../../db/schema";

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
