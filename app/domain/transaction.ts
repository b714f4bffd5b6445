// The payment transaction's life, as a finance person would read it.
//
//   CREATED ──initiate──▶ INITIATED ──authorize──▶ AUTHORIZED ──capture──▶ CAPTURED ──credit──▶ CREDITED
//      │  (CASH, GIFTCARD: capture straight from CREATED)                      │ (partly: stays CAPTURED)
//      └──────────── cancel (from CREATED, INITIATED, AUTHORIZED) ──▶ CANCELLED
//
// Amounts live beside the status: authorized ≥ captured ≥ credited + reserved, where reserved is
// what unexecuted credits hold back. The creditable amount is what a new credit may still take.

import type { PaymentTypeGroup, TransactionStatus } from "./enums";
import { money, subtract, sum, type Money } from "./money";

export type TransactionAmounts = {
  amount: Money;
  authorized: Money;
  captured: Money;
  credited: Money;
  cancelled: Money;
  reserved: Money;
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

export function creditableAmount(amounts: Pick<TransactionAmounts, "captured" | "credited" | "reserved">): Money {
  return subtract(subtract(amounts.captured, amounts.credited), amounts.reserved);
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

export function checkCancel(status: TransactionStatus): CaptureCheck {
  if (CANCELLABLE.has(status)) return { ok: true };
  if (status === "CAPTURED" || status === "CREDITED") {
    return { ok: false, reason: `A ${status} transaction cannot be cancelled; credit it instead` };
  }
  return { ok: false, reason: "The transaction is already cancelled" };
}

/**
 * Pre-authorization and its adjustments (seed 000): the first authorization reserves a total;
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
}): TransactionAmounts {
  return {
    amount: money(row.amount),
    authorized: money(row.authorizedAmount),
    captured: money(row.capturedAmount),
    credited: money(row.creditedAmount),
    cancelled: money(row.cancelledAmount),
    reserved: money(row.reservedAmount),
  };
}
