// The payment transaction's life, as a finance person would read it.
//
//   CREATED ──initiate──▶ INITIATED ──authorize──▶ AUTHORIZED ──capture──▶ CAPTURED ──credit──▶ CREDITED
//      │  (CASH, GIFTCARD: capture straight from CREATED)                      │ (partly: stays CAPTURED)
//      └──────────── cancel (from CREATED, INITIATED, AUTHORIZED) ──▶ CANCELLED
//
// Amounts live beside the status: authorized ≥ captured ≥ credited + reserved + chargedBack, where
// reserved is what unexecuted credits hold back and chargedBack what open and lost chargebacks take.
// The creditable amount is what a new credit (or chargeback) may still take.

import {
  PAYMENT_TYPE_GROUP_OF,
  PAYMENT_TYPES,
  type PaymentType,
  type PaymentTypeGroup,
  type TransactionStatus,
} from "./enums";
import { conflict, DomainError, ruleBroken } from "./errors";
import { add, formatAmount, money, subtract, sum, type Money } from "./money";

export type TransactionAmounts = {
  amount: Money;
  authorized: Money;
  captured: Money;
  credited: Money;
  cancelled: Money;
  reserved: Money;
  /** What open and lost chargebacks take (docs/decisions/040). */
  chargedBack: Money;
};

export type Summary = {
  authorizedAmount: Money;
  capturedAmount: Money;
  creditedAmount: Money;
  cancelledAmount: Money;
  creditableAmount: Money;
};

export const CANCELLABLE: ReadonlySet<TransactionStatus> = new Set(["CREATED", "INITIATED", "AUTHORIZED"]);

/** Groups paid on the spot: nothing to authorize with a provider, so capture comes from CREATED. */
export const CAPTURED_WITHOUT_AUTHORIZATION: ReadonlySet<PaymentTypeGroup> = new Set(["CASH"]);

/** Groups that can be pre-authorized and adjusted before capture. */
export const PRE_AUTHORIZABLE: ReadonlySet<PaymentTypeGroup> = new Set(["PAYMENTCARD"]);

export function summaryOf(amounts: TransactionAmounts): Summary {
  return {
    authorizedAmount: amounts.authorized,
    capturedAmount: amounts.captured,
    creditedAmount: amounts.credited,
    cancelledAmount: amounts.cancelled,
    creditableAmount: creditableAmount(amounts),
  };
}

/** What a new credit or chargeback may still take: neither together ever exceeds what was captured. */
export function creditableAmount(
  amounts: Pick<TransactionAmounts, "captured" | "credited" | "reserved" | "chargedBack">,
): Money {
  return subtract(subtract(subtract(amounts.captured, amounts.credited), amounts.reserved), amounts.chargedBack);
}

/**
 * Whether a transaction still claims part of its payment's total. Cancelled ones never did;
 * fully credited ones gave it back, so a reactivated payment can be paid again.
 */
export function holdsPaymentTotal(status: TransactionStatus): boolean {
  return status !== "CANCELLED" && status !== "CREDITED";
}

/** The part of a payment's total its transactions claim (see holdsPaymentTotal). */
export function claimedTotal(transactions: ReadonlyArray<{ status: TransactionStatus; amount: Money }>): Money {
  return sum(transactions.filter((t) => holdsPaymentTotal(t.status)).map((t) => t.amount));
}

/**
 * The amount of a new transaction on a payment: the one asked for, or by default everything
 * the other transactions leave of the total. Together they never claim more than totalAmount.
 * @throws rule  nothing is left to pay; the amount exceeds what is left
 */
export function amountOfNewTransaction(input: {
  paymentId: number;
  totalAmount: Money;
  claimed: Money;
  requested: Money | undefined;
}): Money {
  const remaining = subtract(input.totalAmount, input.claimed);
  const amount = input.requested ?? remaining;
  if (amount <= 0n) {
    throw ruleBroken(
      `Nothing is left to pay on payment ${input.paymentId}: its transactions already cover totalAmount`,
      "amount",
    );
  }
  if (add(input.claimed, amount) > input.totalAmount) {
    throw ruleBroken(
      `amount ${formatAmount(amount)} exceeds what is left of totalAmount (${formatAmount(remaining)} of ${formatAmount(input.totalAmount)})`,
      "amount",
    );
  }
  return amount;
}

/**
 * An (adjusted) authorization replaces its transaction's share of the payment total, so the
 * other transactions' claims plus the new amount stay within totalAmount.
 * @throws rule  the transactions would exceed totalAmount
 */
export function requireAuthorizationWithinTotal(input: { others: Money; requested: Money; totalAmount: Money }): void {
  if (add(input.others, input.requested) > input.totalAmount) {
    throw ruleBroken(
      `totalAmount ${formatAmount(input.requested)} would make the transactions exceed the payment's totalAmount ${formatAmount(input.totalAmount)}`,
      "totalAmount",
    );
  }
}

/** A transaction's currency is its payment's. @throws rule  another currency */
export function requirePaymentCurrency(currency: string, paymentCurrency: string): void {
  if (currency !== paymentCurrency) {
    throw ruleBroken(`currency must be the payment's currency (${paymentCurrency})`, "currency");
  }
}

/**
 * A transaction is paid from one source at most: a stored card (recurringPaymentId), an
 * agreement (paymentAgreementId), or a new agreement (createAgreement).
 * @throws invalid  more than one source
 */
export function requireOnePaymentSource(input: {
  recurringPaymentId?: unknown;
  paymentAgreementId?: unknown;
  createAgreement?: boolean;
}): void {
  const sources = [
    input.recurringPaymentId !== undefined,
    input.paymentAgreementId !== undefined,
    input.createAgreement === true,
  ];
  if (sources.filter(Boolean).length > 1) {
    throw new DomainError(
      "invalid",
      "recurringPaymentId, paymentAgreementId and createAgreement are mutually exclusive",
      {
        errors: (["recurringPaymentId", "paymentAgreementId", "createAgreement"] as const)
          .filter((_, i) => sources[i])
          .map((field) => ({ field, message: "cannot be combined with the other payment sources" })),
      },
    );
  }
}

/** What a capture takes: what is authorized, or the whole amount when it was never authorized separately. */
export function capturedAmountOf(amounts: Pick<TransactionAmounts, "amount" | "authorized">): Money {
  return amounts.authorized > 0n ? amounts.authorized : amounts.amount;
}

/** A credit that brings the credited amount up to the captured one makes the transaction CREDITED. */
export function statusAfterCredit(
  status: TransactionStatus,
  amounts: Pick<TransactionAmounts, "captured" | "credited">,
  amount: Money,
): TransactionStatus {
  return add(amounts.credited, amount) === amounts.captured ? "CREDITED" : status;
}

export type CaptureCheck = { ok: true } | { ok: false; reason: string };

export function checkCapture(status: TransactionStatus, group: PaymentTypeGroup): CaptureCheck {
  if (status === "AUTHORIZED") return { ok: true };
  if (status === "CREATED" && CAPTURED_WITHOUT_AUTHORIZATION.has(group)) return { ok: true };
  if (status === "CAPTURED" || status === "CREDITED")
    return { ok: false, reason: "The transaction is already captured" };
  if (status === "CANCELLED") return { ok: false, reason: "The transaction is cancelled" };
  return {
    ok: false,
    reason: `Only an AUTHORIZED transaction can be captured${CAPTURED_WITHOUT_AUTHORIZATION.has(group) ? " (or a CREATED cash one)" : ""}; this one is ${status}`,
  };
}

/**
 * Whether capturing or cancelling a transaction asks the PSP: never for CASH (paid at the till), an
 * import (it happened elsewhere) or a gift card (our own balance); a cancel only while the PSP holds
 * an authorization (AUTHORIZED): before that there is nothing at the PSP to release.
 */
export function asksProvider(
  operation: "CAPTURE" | "CANCEL",
  transaction: { status: TransactionStatus; paymentTypeGroup: PaymentTypeGroup; isImport: boolean },
): boolean {
  if (transaction.isImport || transaction.paymentTypeGroup === "CASH" || transaction.paymentTypeGroup === "GIFTCARD")
    return false;
  return operation === "CAPTURE" || transaction.status === "AUTHORIZED";
}

export function checkCancel(status: TransactionStatus): CaptureCheck {
  if (CANCELLABLE.has(status)) return { ok: true };
  if (status === "CAPTURED" || status === "CREDITED") {
    return { ok: false, reason: `A ${status} transaction cannot be cancelled; credit it instead` };
  }
  return { ok: false, reason: "The transaction is already cancelled" };
}

/**
 * Pre-authorization and its adjustments: the first authorization reserves a total;
 * an increment must directly follow the pre-authorization or another increment; a reduction
 * may happen once, after which the amount is frozen.
 */
export type AuthorizationKind = "PRE_AUTHORIZATION" | "INCREMENTAL" | "REDUCTIONAL";

export type AuthorizationDecision =
  { ok: true; kind: AuthorizationKind } | { ok: false; status: "conflict" | "rule"; reason: string };

export function decideAuthorization(input: {
  status: TransactionStatus;
  group: PaymentTypeGroup;
  lastAuthorization: AuthorizationKind | null;
  amountFrozen: boolean;
  authorized: Money;
  requested: Money;
}): AuthorizationDecision {
  if (!PRE_AUTHORIZABLE.has(input.group)) {
    return { ok: false, status: "rule", reason: "Pre-authorization is only available for payment cards" };
  }
  if (input.status === "CREATED" || input.status === "INITIATED") return { ok: true, kind: "PRE_AUTHORIZATION" };
  if (input.status !== "AUTHORIZED") {
    return { ok: false, status: "conflict", reason: `A ${input.status} transaction cannot be authorized` };
  }
  if (input.amountFrozen) {
    return { ok: false, status: "conflict", reason: "The amount is frozen after a reductional authorization" };
  }
  if (input.requested === input.authorized) {
    return { ok: false, status: "rule", reason: "totalAmount equals the authorized amount; nothing to adjust" };
  }
  if (input.requested > input.authorized) {
    if (input.lastAuthorization !== "PRE_AUTHORIZATION" && input.lastAuthorization !== "INCREMENTAL") {
      return {
        ok: false,
        status: "conflict",
        reason: "An incremental authorization must directly follow a pre-authorization or another increment",
      };
    }
    return { ok: true, kind: "INCREMENTAL" };
  }
  return { ok: true, kind: "REDUCTIONAL" };
}

/** Reads the numeric(18,5) columns of a transaction row into exact amounts. */
export function amountsOf(row: {
  amount: string;
  authorizedAmount: string;
  capturedAmount: string;
  creditedAmount: string;
  cancelledAmount: string;
  reservedAmount: string;
  chargedBackAmount: string;
}): TransactionAmounts {
  return {
    amount: money(row.amount),
    authorized: money(row.authorizedAmount),
    captured: money(row.capturedAmount),
    credited: money(row.creditedAmount),
    cancelled: money(row.cancelledAmount),
    reserved: money(row.reservedAmount),
    chargedBack: money(row.chargedBackAmount),
  };
}

// ---------------------------------------------------------------- imports

/**
 * An import fills a transaction created with isImport, once: it must still be CREATED.
 * @throws conflict  not an import transaction; not CREATED
 */
export function requireImportable(transaction: { isImport: boolean; status: string }): void {
  if (!transaction.isImport) throw conflict("Only a transaction created with isImport can be imported");
  if (transaction.status !== "CREATED")
    throw conflict(`The transaction is ${transaction.status}; only a CREATED one can be imported`);
}

/** What an import must tell about the payment, per group: the card's terminal facts, the e-card's media. */
export const IMPORT_FIELDS: Partial<Record<PaymentTypeGroup, readonly string[]>> = {
  PAYMENTCARD: ["rrn", "terminalId", "paymentType"],
  ECARD: ["companyId", "mediaSerialNumberId"],
};

/** @throws invalid  a field the group's imports need is missing */
export function requireImportFields(group: PaymentTypeGroup, data: Readonly<Record<string, unknown>>): void {
  const missing = (IMPORT_FIELDS[group] ?? []).filter((field) => !data[field]);
  if (missing.length) {
    throw new DomainError("invalid", `A ${group} import needs ${missing.join(", ")}`, {
      errors: missing.map((field) => ({ field, message: `is required for ${group} imports` })),
    });
  }
}

/**
 * For an imported card the issuer name often is the scheme: it becomes the payment type when it
 * is a card scheme Paydesk knows; otherwise the transaction keeps its own.
 */
export function importedPaymentType(
  group: PaymentTypeGroup,
  issuer: string | undefined,
  current: string | null,
): string | null {
  const scheme = issuer?.toUpperCase();
  return group === "PAYMENTCARD" &&
    scheme &&
    (PAYMENT_TYPES as readonly string[]).includes(scheme) &&
    PAYMENT_TYPE_GROUP_OF[scheme as PaymentType] === "PAYMENTCARD"
    ? scheme
    : current;
}
