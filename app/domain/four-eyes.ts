// The four-eyes rule of credits (docs/decisions/013): a staff user may not execute a credit they created
// themselves when its total is above the threshold of its currency. Another staff user with
// credit:execute must do it. API clients are not bound by it: they have no staff identity, and
// a credit an API client created has no staff creator to compare with.
//
// Thresholds are per currency because amounts in different currencies cannot be compared
// without an exchange rate, which Paydesk does not have. A currency without a threshold of its
// own needs a second staff user for every credit, whatever the amount: an unknown currency errs
// on the side of the control, never on the side of skipping it.
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

/** The threshold of a currency, or null when the currency has none (every credit needs four eyes). */
export function thresholdFor(thresholds: FourEyesThresholds, currency: string): Money | null {
  return thresholds.get(currency) ?? null;
}

/** Whether executing this credit needs someone other than the staff user who created it. */
export function needsSecondStaffUser(
  credit: Pick<FourEyesCredit, "totalCreditAmount" | "currency">,
  thresholds: FourEyesThresholds,
): boolean {
  const threshold = thresholdFor(thresholds, credit.currency);
  return threshold === null || credit.totalCreditAmount > threshold;
}

/**
 * Why this staff user may not execute this credit, or null when they may. Only the creator of a
 * credit above the threshold is refused; everyone else (with the permission) may execute it.
 */
export function fourEyesRefusal(
  credit: FourEyesCredit,
  executorUserId: string,
  thresholds: FourEyesThresholds,
): string | null {
  if (credit.createdByStaffUserId === null || credit.createdByStaffUserId !== executorUserId) return null;
  if (!needsSecondStaffUser(credit, thresholds)) return null;
  const threshold = thresholdFor(thresholds, credit.currency);
  const limit =
    threshold === null
      ? `every ${credit.currency} credit needs a second staff user (no four-eyes threshold is set for ${credit.currency})`
      : `it is above the four-eyes threshold of ${formatAmount(threshold)} ${credit.currency}`;
  return `You created this credit of ${formatAmount(credit.totalCreditAmount)} ${credit.currency} and ${limit}: another staff user must execute it.`;
}
