// Credits: money going back to the customer, one credit line (credit transaction) per payment
// transaction credited. A credit reserves its lines' amounts when it is created, so no two credits
// can together take more than was captured; executing it turns each reservation into a credit.
//
//   CREATED (active) ──execute, line by line──▶ CREDITED once every line is
//      └── deactivate (while no execution touched it) ──▶ inactive: its reservations are freed
import type { TransactionStatus } from "./enums";
import { conflict, DomainError, ruleBroken, type Say } from "./errors";
import { formatAmount, sum, type Money } from "./money";

/** @throws invalid  a credit without lines */
export function requireCreditLines(count: number): void {
  if (count === 0) {
    throw new DomainError("invalid", "A credit needs at least one credit transaction", {
      errors: [{ field: "creditTransactions", message: "must contain at least one credit transaction" }],
      say: { key: "errors.credit.atLeastOneLine" },
    });
  }
}

/**
 * A credit's totalCreditAmount is exactly the sum of its lines.
 * @throws rule  the total differs from the sum
 */
export function requireTotalIsSumOfLines(totalCreditAmount: Money, lineAmounts: readonly Money[], hint = ""): void {
  const total = sum(lineAmounts);
  if (total !== totalCreditAmount) {
    throw ruleBroken(
      `totalCreditAmount ${formatAmount(totalCreditAmount)} must equal the sum of the credit transactions (${formatAmount(total)})${hint}`,
      "totalCreditAmount",
    );
  }
}

/** One credit pays back one organisation's money. @throws rule  lines of several organisations */
export function requireOneOrganisation(organisationIds: readonly number[]): void {
  if (new Set(organisationIds).size > 1)
    throw ruleBroken("All credited transactions must belong to one organisation", "creditTransactions", {
      key: "errors.credit.oneOrganisation",
    });
}

/** A credit is in one currency, its payments'. @throws rule  a line's payment has another currency */
export function requireCreditCurrency(field: string, paymentCurrency: string, creditCurrency: string): void {
  if (paymentCurrency !== creditCurrency) {
    throw ruleBroken(
      `${field}: the payment's currency ${paymentCurrency} differs from the credit's ${creditCurrency}`,
      "currency",
      { key: "errors.credit.currencyDiffers", values: { paymentCurrency, creditCurrency } },
    );
  }
}

/**
 * A credit never takes more of a transaction than is creditable: `taken` is what this credit's
 * lines so far (this one included) take of the transaction.
 * @throws rule  more than the creditable amount
 */
export function requireWithinCreditable(input: {
  field: string;
  amount: Money;
  taken: Money;
  creditable: Money;
  transactionId: number;
}): void {
  if (input.taken > input.creditable) {
    throw ruleBroken(
      `${input.field}.amount ${formatAmount(input.amount)} exceeds the creditable amount ${formatAmount(input.creditable)} of transaction ${input.transactionId}`,
      `${input.field}.amount`,
      exceedsCreditable(input.amount, input.creditable, input.transactionId),
    );
  }
}

/**
 * How a line is reimbursed: the transaction's own way by default (or the payment type group it
 * was paid with), CASH always, another group only where the payment method allows overriding
 * the reimbursement (`needsOverride`: the service asks the method).
 */
export function reimbursementChoice(input: { own: string; paymentTypeGroup: string; requested: string | undefined }): {
  group: string;
  needsOverride: boolean;
} {
  const { own, paymentTypeGroup, requested } = input;
  if (!requested || requested === own || requested === paymentTypeGroup)
    return { group: requested ?? own, needsOverride: false };
  return { group: requested, needsOverride: requested !== "CASH" };
}

export type CreditState = { creditId: number; status: string; active: boolean };

/**
 * A credit changes (new lines, total, settlement id, deactivation) only while it is active,
 * CREATED and untouched by an execution.
 * @throws conflict  inactive or not CREATED; an execution claimed a line
 */
export function requireCreditChangeable(
  credit: CreditState,
  lines: readonly { status: string; providerReference: string | null }[],
): void {
  if (credit.status !== "CREATED" || !credit.active) {
    throw conflict(
      `Credit ${credit.creditId} is ${credit.active ? credit.status : "inactive"}; only an active CREATED credit can change`,
      undefined,
      credit.active
        ? { key: "errors.credit.cannotChange", values: { creditId: credit.creditId, status: credit.status } }
        : { key: "errors.credit.cannotChangeInactive", values: { creditId: credit.creditId } },
    );
  }
  if (lines.some((l) => l.status !== "CREATED" || l.providerReference)) {
    throw conflict(`Credit ${credit.creditId} is being executed and can no longer change`, undefined, {
      key: "errors.credit.beingExecuted",
      values: { creditId: credit.creditId },
    });
  }
}

/** @throws conflict  an inactive credit cannot be executed */
export function requireExecutable(credit: CreditState): void {
  if (!credit.active)
    throw conflict(`Credit ${credit.creditId} is inactive and cannot be executed`, undefined, {
      key: "errors.credit.inactive",
      values: { creditId: credit.creditId },
    });
}

/** A credit is CREDITED once every one of its lines is. */
export function isFullyCredited(lines: readonly { status: string }[]): boolean {
  return lines.every((l) => l.status === "CREDITED");
}

/**
 * The amount of a direct credit of one transaction: the one asked for, by default everything
 * creditable. Only a CAPTURED transaction can be credited, for at most its creditable amount.
 * @throws conflict  not CAPTURED; nothing left to credit
 * @throws rule      the amount exceeds the creditable amount
 */
export function directCreditAmount(input: {
  transactionId: number;
  status: TransactionStatus;
  creditable: Money;
  requested: Money | undefined;
}): Money {
  if (input.status !== "CAPTURED") {
    throw input.status === "CREDITED"
      ? conflict("The transaction is already fully credited", undefined, { key: "errors.credit.fullyCredited" })
      : conflict(`Only a CAPTURED transaction can be credited; this one is ${input.status}`, undefined, {
          key: "errors.credit.notCaptured",
          values: { status: input.status },
        });
  }
  const value = input.requested ?? input.creditable;
  if (value <= 0n)
    throw conflict("Nothing is left to credit on this transaction (other credits reserve the rest)", undefined, {
      key: "errors.credit.nothingLeft",
    });
  if (value > input.creditable) {
    throw ruleBroken(
      `amount ${formatAmount(value)} exceeds the creditable amount ${formatAmount(input.creditable)} of transaction ${input.transactionId}`,
      "amount",
      exceedsCreditable(value, input.creditable, input.transactionId),
    );
  }
  return value;
}

/** The words of an amount over what is creditable, for the staff screens (errors.credit in the locales). */
const exceedsCreditable = (amount: Money, creditable: Money, transactionId: number): Say => ({
  key: "errors.credit.exceedsCreditable",
  values: { amount: formatAmount(amount), creditable: formatAmount(creditable), transactionId },
});
