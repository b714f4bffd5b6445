// The four-eyes rule of credits (docs/decisions/013, 026): a credit above the threshold of its
// currency needs a second pair of eyes before money goes back, whatever door it goes through
// (the staff screens, PUT /v1/credits/{id}/execute, a direct transaction credit, a deactivation).
//
//   - Created by a staff user: only a *different staff user* may execute it. No API client may,
//     privileged or not: an API token has no staff identity, so it could be the creator's own
//     second pair of hands (finance creates it on the screen, then executes it with a token).
//   - Created by an API client (or the system): a staff user may execute it, and so may a
//     privileged API client (an internal or partner tenant, trusted already with imports and
//     customer numbers). Any other client's credit above the threshold waits for a staff user.
//   - At or below the threshold everyone with access may execute it.
//
// Thresholds are per currency because amounts in different currencies cannot be compared
// without an exchange rate, which Paydesk does not have. A currency without a threshold of its
// own needs four eyes for every credit, whatever the amount: an unknown currency errs on the side
// of the control, never on the side of skipping it.
import type { Caller } from "./caller";
import { DomainError } from "./errors";
import { formatAmount, type Money } from "./money";

/** Thresholds by currency code; a credit strictly above its currency's threshold needs four eyes. */
export type FourEyesThresholds = ReadonlyMap<string, Money>;

/** The currency of the default threshold (10 000 NOK). */
export const DEFAULT_FOUR_EYES_CURRENCY = "NOK";

export type FourEyesCredit = {
  totalCreditAmount: Money;
  currency: string;
  createdByStaffUserId: string | null;
};

/** Who wants to execute a credit, as far as the rule cares. */
export type FourEyesExecutor =
  | { kind: "staff"; userId: string }
  | { kind: "client"; privileged: boolean }
  /** Paydesk itself (the demo seed; recovery only finishes executions already allowed). */
  | { kind: "system" };

/** The executor a caller is: an end customer never executes credits, and counts as the least trusted client. */
export function fourEyesExecutor(caller: Caller): FourEyesExecutor {
  switch (caller.kind) {
    case "staff":
      return { kind: "staff", userId: caller.userId };
    case "client":
      return { kind: "client", privileged: caller.privileged };
    case "customer":
      return { kind: "client", privileged: false };
    case "system":
      return { kind: "system" };
  }
}

/** The 403 of a refusal: this caller may not, though the request and the credit are fine. */
export const fourEyesRequired = (refusal: string) =>
  new DomainError("forbidden", refusal, { errorReason: "FOUR_EYES_REQUIRED" });

/** The threshold of a currency, or null when the currency has none (every credit needs four eyes). */
export function thresholdFor(thresholds: FourEyesThresholds, currency: string): Money | null {
  return thresholds.get(currency) ?? null;
}

/** Whether executing this credit needs a second pair of eyes: above its currency's threshold. */
export function needsSecondStaffUser(
  credit: Pick<FourEyesCredit, "totalCreditAmount" | "currency">,
  thresholds: FourEyesThresholds,
): boolean {
  const threshold = thresholdFor(thresholds, credit.currency);
  return threshold === null || credit.totalCreditAmount > threshold;
}

/**
 * Why this executor may not execute this credit, or null when they may (given the permission to
 * execute credits at all, which is checked elsewhere).
 */
export function fourEyesRefusal(
  credit: FourEyesCredit,
  executor: FourEyesExecutor,
  thresholds: FourEyesThresholds,
): string | null {
  if (executor.kind === "system" || !needsSecondStaffUser(credit, thresholds)) return null;
  const amount = `${formatAmount(credit.totalCreditAmount)} ${credit.currency}`;
  const threshold = thresholdFor(thresholds, credit.currency);
  const limit =
    threshold === null
      ? `every ${credit.currency} credit needs a second staff user (no four-eyes threshold is set for ${credit.currency})`
      : `it is above the four-eyes threshold of ${formatAmount(threshold)} ${credit.currency}`;
  const above =
    threshold === null
      ? `needs four eyes: no four-eyes threshold is set for ${credit.currency}`
      : `is above the four-eyes threshold of ${formatAmount(threshold)} ${credit.currency}`;
  switch (executor.kind) {
    case "staff":
      if (credit.createdByStaffUserId !== executor.userId) return null;
      return `You created this credit of ${amount} and ${limit}: another staff user must execute it.`;
    case "client":
      if (credit.createdByStaffUserId !== null)
        return `This credit of ${amount} was created by a staff user and ${above}: another staff user must execute it on the Credits screen, never an API client.`;
      if (executor.privileged) return null;
      return `This credit of ${amount} ${above}: a staff user must execute it on the Credits screen (or a privileged API client).`;
  }
}
