// The staff actions of the payment detail screen, one intent each with its permission
// (app/auth/roles.ts) and its form's schema (app/http/staff/forms/payment-detail.ts). Each calls
// the very service its /v1 route calls, with the StaffCaller that staffAction built (which
// carries the reason into the audit entry the service writes in its own DB transaction).
//
//   intent      permission           service                                  /v1 twin
//   capture     payment:capture      captureTransaction                       PUT …/transactions/{id}/capture
//   cancel      payment:cancel       cancelTransaction                        PUT …/transactions/{id}/cancel
//   credit      credit:create        creditTransaction                        POST …/transactions/{id}/credit
//   deactivate  payment:deactivate   deactivatePayment                        PUT /v1/payments/{id}/deactivate
//   reactivate  payment:reactivate   reactivatePayment                        PATCH /v1/payments/{id} {active: true, totalAmount}
//   invoice     invoice:adjust       changeInvoice                            PUT …/transactions/{id}/invoice
//   resolve     payment:resolve      resolveProviderOperation                 (none: the recovery job's work, now)
//   openChargeback chargeback:manage openChargeback                           (none: staff only, decision 040)
import { notFound } from "../../domain/errors";
import { formatAmount, isPositive, subtract, sum, type Money } from "../../domain/money";
import { formatMoney } from "../../components/format";
import { getPayment, type PaymentView } from "../../services/queries/payment-view.server";
import { creditTransaction } from "../../services/credits/credits.server";
import { changeInvoice } from "../../services/mobile/invoices.server";
import { deactivatePayment, reactivatePayment } from "../../services/payments/payments.server";
import { cancelTransaction, captureTransaction } from "../../services/transactions/transactions.server";
import { resolveProviderOperation } from "../../services/operations/recovery.server";
import { openChargeback } from "../../services/chargebacks/chargebacks.server";
import { OpenChargebackForm } from "../../http/staff/forms/chargebacks";
import { intent, type StaffIntent } from "../../http/staff/action.server";
import {
  CancelForm,
  CaptureForm,
  CreditForm,
  DeactivateForm,
  InvoiceForm,
  ReactivateForm,
  ResolveForm,
} from "../../http/staff/forms/payment-detail";

/** A path or form id, or null when it cannot be one (answered like an unknown id). */
export function idOf(raw: string | null | undefined): number | null {
  if (!raw || !/^[1-9][0-9]{0,15}$/.test(raw) || Number(raw) > Number.MAX_SAFE_INTEGER) return null;
  return Number(raw);
}

export function paymentDetailIntents(rawPaymentId: string | undefined): Record<string, StaffIntent> {
  // Read inside each intent's run, after its permission check, so a forged post learns nothing.
  const paymentId = () => {
    const id = idOf(rawPaymentId);
    if (id === null) throw notFound("Payment", rawPaymentId ?? "");
    return id;
  };
  return {
    capture: intent({
      permission: "payment:capture",
      reason: "required",
      schema: CaptureForm,
      run: async ({ input: { transactionId }, caller }) => {
        const payment = await captureTransaction(caller, { paymentId: paymentId(), transactionId });
        const captured = payment.transactions.find((t) => t.transactionId === transactionId)!;
        return {
          message: `Transaction ${transactionId} captured: ${money(captured.summary.capturedAmount, captured.currency)}.`,
        };
      },
    }),
    cancel: intent({
      permission: "payment:cancel",
      reason: "required",
      schema: CancelForm,
      run: async ({ input: { transactionId }, caller }) => {
        const cancelled = await cancelTransaction(caller, { paymentId: paymentId(), transactionId });
        return {
          message: `Transaction ${cancelled.transactionId} cancelled (${money(cancelled.amount, cancelled.currency)} released).`,
        };
      },
    }),
    credit: intent({
      permission: "credit:create",
      reason: "required",
      schema: CreditForm,
      run: async ({ input: { transactionId, amount }, caller }) => {
        const result = await creditTransaction(caller, { paymentId: paymentId(), transactionId, amount });
        if (result.kind === "awaitsSecondStaffUser") return waitingForSecondStaffUser(result.creditId);
        const t = result.payment.transactions.find((t) => t.transactionId === transactionId)!;
        const what = amount === undefined ? "in full" : money(amount, t.currency);
        return {
          message: `Transaction ${transactionId} credited ${what}; ${money(t.summary.creditedAmount, t.currency)} credited in all.`,
        };
      },
    }),
    deactivate: intent({
      permission: "payment:deactivate",
      reason: "required",
      schema: DeactivateForm,
      run: async ({ caller }) => {
        const before = await getPayment(caller, { paymentId: paymentId() });
        const result = await deactivatePayment(caller, { paymentId: paymentId() });
        const waits = result.kind === "awaitsSecondStaffUser";
        const did = whatDeactivationDid(before, result.payment, waits ? "put into a credit" : "credited");
        const done = `Payment ${result.payment.paymentId} deactivated${did}.`;
        if (result.kind === "awaitsSecondStaffUser") return waitingForSecondStaffUser(result.creditId, `${done} `);
        return { message: done };
      },
    }),
    reactivate: intent({
      permission: "payment:reactivate",
      reason: "required",
      schema: ReactivateForm,
      run: async ({ input: { totalAmount }, caller }) => {
        const payment = await reactivatePayment(caller, { paymentId: paymentId(), totalAmount });
        return {
          message: `Payment ${payment.paymentId} reactivated with total ${money(payment.totalAmount, payment.currency)}.`,
        };
      },
    }),
    resolve: intent({
      permission: "payment:resolve",
      reason: "optional",
      schema: ResolveForm,
      run: async ({ input: { operationId }, caller }) => {
        const op = await resolveProviderOperation(caller, { paymentId: paymentId(), operationId });
        const what = `${op.kind.toLowerCase().replaceAll("_", " ")} ${op.id}`;
        if (op.status === "PENDING") {
          return {
            message: `The provider still did not answer: ${what} stays in progress and is asked again shortly.`,
          };
        }
        const answer = op.answer as { ok: boolean; reason?: string };
        return {
          message:
            op.status === "SUCCEEDED"
              ? `The provider confirmed ${what}; it is settled.`
              : `The provider refused ${what} (${answer.reason ?? "no reason given"}); nothing changed.`,
        };
      },
    }),
    openChargeback: intent({
      permission: "chargeback:manage",
      reason: "required",
      schema: OpenChargebackForm,
      run: async ({ input, caller }) => {
        const { chargebackId } = await openChargeback(caller, { ...input, paymentId: paymentId() });
        return {
          message: `Chargeback ${chargebackId} is open on transaction ${input.transactionId}; ${formatAmount(input.amount)} is held until it is decided.`,
          data: { chargebackId },
        };
      },
    }),
    invoice: intent({
      permission: "invoice:adjust",
      reason: "required",
      schema: InvoiceForm,
      run: async ({ input: { transactionId, ...change }, caller }) => {
        const changed = await changeInvoice(caller, { ...change, paymentId: paymentId(), transactionId });
        return { message: `Invoice ${changed.invoiceId} of transaction ${transactionId} adjusted.` };
      },
    }),
  };
}

/**
 * The step committed and created a credit, but the four-eyes rule keeps its creator from
 * executing it: that is a result to report, not a failure (the credit waits on the Credits screen).
 */
function waitingForSecondStaffUser(creditId: number, done = "") {
  return {
    message: `${done}Credit ${creditId} is created and reserves the amount. The four-eyes rule applies to it: another staff user must execute it (it is listed under Credits on this page).`,
    data: { creditId, awaitsSecondStaffUser: true },
  };
}

/** An amount as the screens show it ("kr 2 490,00"), not as the API writes it. */
// The messages are English (server-made), so their amounts are written the English way.
const money = (amount: Money, currency: string) => formatMoney(formatAmount(amount), currency, "en-GB");

/**
 * What a deactivation changed, in words: which transactions it cancelled and what it credited
 * (empty when it only marked the payment inactive).
 */
export function whatDeactivationDid(before: PaymentView, after: PaymentView, creditVerb = "credited"): string {
  const cancelled = after.transactions.filter(
    (t) =>
      t.status === "CANCELLED" &&
      before.transactions.find((b) => b.transactionId === t.transactionId)?.status !== "CANCELLED",
  );
  // What left the creditable amount: credited now, or held by a credit that waits for a second person.
  const credited = after.transactions.flatMap((t) => {
    const was = before.transactions.find((b) => b.transactionId === t.transactionId);
    if (!was) return [];
    const amount = subtract(was.summary.creditableAmount, t.summary.creditableAmount);
    return isPositive(amount) ? [{ t, amount }] : [];
  });
  const parts: string[] = [];
  if (cancelled.length) {
    parts.push(
      `cancelled transaction${cancelled.length === 1 ? "" : "s"} ${cancelled.map((t) => t.transactionId).join(", ")}`,
    );
  }
  if (credited.length) {
    const currency = credited[0].t.currency;
    parts.push(
      `${creditVerb} ${money(sum(credited.map((c) => c.amount)), currency)} on transaction${credited.length === 1 ? "" : "s"} ${credited.map((c) => c.t.transactionId).join(", ")}`,
    );
  }
  return parts.length ? `: ${parts.join("; ")}` : "; nothing was open to cancel or credit";
}
