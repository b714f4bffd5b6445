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
import { idOf } from "../../http/staff/path-id.server";
import type { TFunction } from "i18next";
import { operationLabel } from "../../i18n/labels";
import { INTL_LOCALE, type Language } from "../../i18n/language";
import {
  CancelForm,
  CaptureForm,
  CreditForm,
  DeactivateForm,
  InvoiceForm,
  ReactivateForm,
  ResolveForm,
} from "../../http/staff/forms/payment-detail";

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
      run: async ({ input: { transactionId }, caller, t, language }) => {
        const payment = await captureTransaction(caller, { paymentId: paymentId(), transactionId });
        const captured = payment.transactions.find((tr) => tr.transactionId === transactionId)!;
        const amount = money(captured.summary.capturedAmount, captured.currency, language);
        return { message: t("toasts.payment.captured", { transactionId, amount }) };
      },
    }),
    cancel: intent({
      permission: "payment:cancel",
      reason: "required",
      schema: CancelForm,
      run: async ({ input: { transactionId }, caller, t, language }) => {
        const cancelled = await cancelTransaction(caller, { paymentId: paymentId(), transactionId });
        const amount = money(cancelled.amount, cancelled.currency, language);
        return { message: t("toasts.payment.cancelled", { transactionId: cancelled.transactionId, amount }) };
      },
    }),
    credit: intent({
      permission: "credit:create",
      reason: "required",
      schema: CreditForm,
      run: async ({ input: { transactionId, amount }, caller, t, language }) => {
        const result = await creditTransaction(caller, { paymentId: paymentId(), transactionId, amount });
        if (result.kind === "awaitsSecondStaffUser") return waitingForSecondStaffUser(t, result.creditId);
        const tr = result.payment.transactions.find((tr) => tr.transactionId === transactionId)!;
        const total = money(tr.summary.creditedAmount, tr.currency, language);
        return {
          message:
            amount === undefined
              ? t("toasts.payment.creditedInFull", { transactionId, total })
              : t("toasts.payment.credited", { transactionId, amount: money(amount, tr.currency, language), total }),
        };
      },
    }),
    deactivate: intent({
      permission: "payment:deactivate",
      reason: "required",
      schema: DeactivateForm,
      run: async ({ caller, t, language }) => {
        const before = await getPayment(caller, { paymentId: paymentId() });
        const result = await deactivatePayment(caller, { paymentId: paymentId() });
        const waits = result.kind === "awaitsSecondStaffUser";
        const did = whatDeactivationDid(before, result.payment, { t, language, intoCredit: waits });
        const done = t("toasts.payment.deactivated", { paymentId: result.payment.paymentId, did });
        if (result.kind === "awaitsSecondStaffUser") return waitingForSecondStaffUser(t, result.creditId, `${done} `);
        return { message: done };
      },
    }),
    reactivate: intent({
      permission: "payment:reactivate",
      reason: "required",
      schema: ReactivateForm,
      run: async ({ input: { totalAmount }, caller, t, language }) => {
        const payment = await reactivatePayment(caller, { paymentId: paymentId(), totalAmount });
        const total = money(payment.totalAmount, payment.currency, language);
        return { message: t("toasts.payment.reactivated", { paymentId: payment.paymentId, total }) };
      },
    }),
    resolve: intent({
      permission: "payment:resolve",
      reason: "optional",
      schema: ResolveForm,
      run: async ({ input: { operationId }, caller, t }) => {
        const op = await resolveProviderOperation(caller, { paymentId: paymentId(), operationId });
        const what = `${operationLabel(t, op.kind)} ${op.id}`;
        if (op.status === "PENDING") return { message: t("toasts.payment.stillPending", { what }) };
        const answer = op.answer as { ok: boolean; reason?: string };
        return {
          message:
            op.status === "SUCCEEDED"
              ? t("toasts.payment.confirmed", { what })
              : t("toasts.payment.refused", { what, reason: answer.reason ?? t("toasts.payment.noReason") }),
        };
      },
    }),
    openChargeback: intent({
      permission: "chargeback:manage",
      reason: "required",
      schema: OpenChargebackForm,
      run: async ({ input, caller, t, language }) => {
        const { chargebackId } = await openChargeback(caller, { ...input, paymentId: paymentId() });
        const amount = decimal(formatAmount(input.amount), language);
        return {
          message: t("toasts.payment.chargebackOpened", { chargebackId, transactionId: input.transactionId, amount }),
          data: { chargebackId },
        };
      },
    }),
    invoice: intent({
      permission: "invoice:adjust",
      reason: "required",
      schema: InvoiceForm,
      run: async ({ input: { transactionId, ...change }, caller, t }) => {
        const changed = await changeInvoice(caller, { ...change, paymentId: paymentId(), transactionId });
        return { message: t("toasts.payment.invoiceAdjusted", { invoiceId: changed.invoiceId, transactionId }) };
      },
    }),
  };
}

/**
 * The step committed and created a credit, but the four-eyes rule keeps its creator from
 * executing it: that is a result to report, not a failure (the credit waits on the Credits screen).
 */
function waitingForSecondStaffUser(t: TFunction, creditId: number, done = "") {
  return {
    message: done + t("toasts.payment.awaitsSecondStaffUser", { creditId }),
    data: { creditId, awaitsSecondStaffUser: true },
  };
}

/** An amount as the screens show it in the reader's language ("2 490,00 kr", "NOK 2,490.00"). */
const money = (amount: Money, currency: string, language: Language) =>
  formatMoney(formatAmount(amount), currency, INTL_LOCALE[language]);

/** A bare amount ("2 490,00", "2,490.00"), from its decimal string: never a float. */
const decimal = (amount: string, language: Language) =>
  new Intl.NumberFormat(INTL_LOCALE[language], { minimumFractionDigits: 2, maximumFractionDigits: 5 }).format(
    amount as unknown as number,
  );

/**
 * What a deactivation changed, in words: which transactions it cancelled and what it credited
 * (empty when it only marked the payment inactive).
 */
export function whatDeactivationDid(
  before: PaymentView,
  after: PaymentView,
  { t, language, intoCredit }: { t: TFunction; language: Language; intoCredit: boolean },
): string {
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
    const ids = cancelled.map((tr) => tr.transactionId).join(", ");
    parts.push(t("toasts.payment.didCancel", { count: cancelled.length, ids }));
  }
  if (credited.length) {
    const amount = money(sum(credited.map((c) => c.amount)), credited[0].t.currency, language);
    const values = { count: credited.length, ids: credited.map((c) => c.t.transactionId).join(", "), amount };
    parts.push(intoCredit ? t("toasts.payment.didPutIntoCredit", values) : t("toasts.payment.didCredit", values));
  }
  return parts.length ? `: ${parts.join("; ")}` : t("toasts.payment.didNothing");
}
