// Chargebacks: a card scheme disputes a captured transaction and takes its money back from the
// merchant until the dispute is decided (docs/decisions/040).
//
//   OPEN ──decide──▶ WON   the scheme gives the money back: the hold is released
//     └────decide──▶ LOST  the money stays taken: it is charged-back volume, like a credit
//
// An open or lost chargeback holds its amount on the transaction (`chargedBack`), so creditable =
// captured − credited − reserved − chargedBack: credits and chargebacks together never take more
// than was captured, whichever comes first.
import type { ChargebackOutcome, ChargebackStatus, TransactionStatus } from "./enums";
import { conflict, ruleBroken } from "./errors";
import { formatAmount, subtract, type Money } from "./money";

/** How long a chargeback's free texts may be. */
export const NOTES_MAX_LENGTH = 2000;
export const EVIDENCE_MAX_LENGTH = 4000;

/** Whether a chargeback in this status holds its amount off the transaction's creditable amount. */
export function holdsAmount(status: ChargebackStatus): boolean {
  return status !== "WON";
}

/**
 * The amount a new chargeback takes of a transaction: only a CAPTURED one can be disputed, for
 * at most what credits and other chargebacks leave of its captured amount (its creditable amount).
 * @throws conflict  the transaction is not CAPTURED, or nothing is left
 * @throws rule      the amount exceeds the creditable amount
 */
export function requireChargeable(input: {
  transactionId: number;
  status: TransactionStatus;
  creditable: Money;
  amount: Money;
}): void {
  if (input.status !== "CAPTURED") {
    throw input.status === "CREDITED"
      ? conflict("The transaction is fully credited; nothing is left to charge back", undefined, {
          key: "errors.chargeback.fullyCredited",
        })
      : conflict(`Only a CAPTURED transaction can be charged back; this one is ${input.status}`, undefined, {
          key: "errors.chargeback.notCaptured",
          values: { status: input.status },
        });
  }
  if (input.creditable <= 0n) {
    throw conflict(
      "Nothing is left to charge back on this transaction (credits and chargebacks take it all)",
      undefined,
      {
        key: "errors.chargeback.nothingLeft",
      },
    );
  }
  if (input.amount > input.creditable) {
    throw ruleBroken(
      `amount ${formatAmount(input.amount)} exceeds what credits and chargebacks leave of transaction ${input.transactionId} (${formatAmount(input.creditable)})`,
      "amount",
      {
        key: "errors.chargeback.exceedsLeft",
        values: {
          amount: formatAmount(input.amount),
          transactionId: input.transactionId,
          creditable: formatAmount(input.creditable),
        },
      },
    );
  }
}

/** A chargeback is in its transaction's currency. @throws rule  another currency */
export function requireChargebackCurrency(currency: string, transactionCurrency: string): void {
  if (currency !== transactionCurrency) {
    throw ruleBroken(`currency must be the transaction's currency (${transactionCurrency})`, "currency", {
      key: "errors.chargeback.currency",
      values: { currency: transactionCurrency },
    });
  }
}

/** Only an OPEN chargeback is decided, once. @throws conflict  already WON or LOST */
export function requireOpen(chargeback: { chargebackId: number; status: ChargebackStatus }): void {
  if (chargeback.status !== "OPEN") {
    throw conflict(
      `Chargeback ${chargeback.chargebackId} is already ${chargeback.status}; only an OPEN one changes`,
      undefined,
      {
        key: "errors.chargeback.decidedAlready",
        values: { chargebackId: chargeback.chargebackId, status: chargeback.status },
      },
    );
  }
}

/**
 * What deciding does to the transaction's charged-back amount: WON gives the amount back, LOST
 * keeps it taken (it becomes charged-back volume).
 */
export function chargedBackAfterDecision(outcome: ChargebackOutcome, chargedBack: Money, amount: Money): Money {
  return outcome === "WON" ? subtract(chargedBack, amount) : chargedBack;
}

/** Whether a decision moves money in the volume rollup (net volume goes down). */
export function movesVolume(outcome: ChargebackOutcome): boolean {
  return outcome === "LOST";
}

/**
 * A due date is a calendar day (YYYY-MM-DD) that exists.
 * @throws rule  not a real day
 */
export function requireDueDate(dueDate: string | null | undefined): void {
  if (dueDate == null) return;
  const parsed = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dueDate);
  const day = parsed ? new Date(Date.UTC(+parsed[1], +parsed[2] - 1, +parsed[3])) : null;
  if (!day || day.toISOString().slice(0, 10) !== dueDate) {
    throw ruleBroken("dueDate must be a day as YYYY-MM-DD", "dueDate", { key: "errors.form.day" });
  }
}
