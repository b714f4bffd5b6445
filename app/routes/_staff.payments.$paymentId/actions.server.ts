// The staff actions of the payment detail screen, one intent each with its permission
// (app/auth/roles.ts). Each parses its form fields, then calls the very service its /v1 route
// calls, with the StaffCaller that staffAction built (which carries the reason into the audit
// entry the service writes in its own DB transaction).
//
//   intent      permission           service                                  /v1 twin
//   capture     payment:capture      captureTransaction                       PUT …/transactions/{id}/capture
//   cancel      payment:cancel       cancelTransaction                        PUT …/transactions/{id}/cancel
//   credit      credit:create        creditTransaction                        POST …/transactions/{id}/credit
//   deactivate  payment:deactivate   deactivatePayment                        PUT /v1/payments/{id}/deactivate
//   reactivate  payment:reactivate   reactivatePayment                        PATCH /v1/payments/{id} {active: true, totalAmount}
//   invoice     invoice:adjust       changeInvoice                            PUT …/transactions/{id}/invoice
import { zodFieldErrors } from "../../http/api/parse.server";
import { InvoiceChangeBody } from "../../http/api/schemas-mobile";
import { invalid, invalidFields, notFound } from "../../domain/errors";
import { formatAmount, parsePositiveAmount, type Money } from "../../domain/money";
import { creditTransaction } from "../../services/credits/credits.server";
import { changeInvoice } from "../../services/mobile/invoices.server";
import { deactivatePayment, reactivatePayment } from "../../services/payments/payments.server";
import { cancelTransaction, captureTransaction } from "../../services/transactions/transactions.server";
import { formText, type StaffIntent } from "../../http/staff/action.server";

/** A path or form id, or null when it cannot be one (answered like an unknown id). */
export function idOf(raw: string | null | undefined): number | null {
  if (!raw || !/^[1-9][0-9]{0,15}$/.test(raw) || Number(raw) > Number.MAX_SAFE_INTEGER) return null;
  return Number(raw);
}

function transactionIdOf(form: FormData): number {
  const id = idOf(formText(form, "transactionId"));
  if (id === null) throw invalid("transactionId", "must be a transaction id");
  return id;
}

/** An amount field of the form: a decimal string with a dot, greater than 0; absent when blank. */
function amountOf(form: FormData, field: string): Money | undefined {
  const text = formText(form, field);
  if (text === null) return undefined;
  const parsed = parsePositiveAmount(text);
  if (!parsed.ok) throw invalid(field, parsed.message);
  return parsed.value;
}

/** The invoice form's fields, validated by the schema of PUT …/invoice; a blank field stays as it is. */
function invoiceChangeOf(form: FormData) {
  const body: Record<string, string> = {};
  for (const field of ["amount", "externalInvoiceNumber", "customerIdentificationNumber", "languageCode"]) {
    const value = formText(form, field);
    if (value !== null) body[field] = value;
  }
  const parsed = InvoiceChangeBody.safeParse(body);
  if (!parsed.success) throw invalidFields(zodFieldErrors(parsed.error));
  return parsed.data;
}

export function paymentDetailIntents(rawPaymentId: string | undefined): Record<string, StaffIntent> {
  // Read inside each intent's run, after its permission check, so a forged post learns nothing.
  const paymentId = () => {
    const id = idOf(rawPaymentId);
    if (id === null) throw notFound("Payment", rawPaymentId ?? "");
    return id;
  };
  return {
    capture: {
      permission: "payment:capture",
      reason: "required",
      run: async ({ form, caller }) => {
        const transactionId = transactionIdOf(form);
        const payment = await captureTransaction(caller, { paymentId: paymentId(), transactionId });
        const captured = payment.transactions.find((t) => t.transactionId === transactionId)!;
        return {
          message: `Transaction ${transactionId} captured: ${formatAmount(captured.summary.capturedAmount)} ${captured.currency}.`,
        };
      },
    },
    cancel: {
      permission: "payment:cancel",
      reason: "required",
      run: async ({ form, caller }) => {
        const cancelled = await cancelTransaction(caller, {
          paymentId: paymentId(),
          transactionId: transactionIdOf(form),
        });
        return {
          message: `Transaction ${cancelled.transactionId} cancelled (${formatAmount(cancelled.amount)} ${cancelled.currency} released).`,
        };
      },
    },
    credit: {
      permission: "credit:create",
      reason: "required",
      run: async ({ form, caller }) => {
        const transactionId = transactionIdOf(form);
        const amount = amountOf(form, "amount");
        const result = await creditTransaction(caller, { paymentId: paymentId(), transactionId, amount });
        if (result.kind === "awaitsSecondStaffUser") return waitingForSecondStaffUser(result.creditId);
        const t = result.payment.transactions.find((t) => t.transactionId === transactionId)!;
        const what = amount === undefined ? "in full" : `${formatAmount(amount)} ${t.currency}`;
        return {
          message: `Transaction ${transactionId} credited ${what}; ${formatAmount(t.summary.creditedAmount)} ${t.currency} credited in all.`,
        };
      },
    },
    deactivate: {
      permission: "payment:deactivate",
      reason: "required",
      run: async ({ caller }) => {
        const result = await deactivatePayment(caller, { paymentId: paymentId() });
        if (result.kind === "awaitsSecondStaffUser") {
          return waitingForSecondStaffUser(result.creditId, "Payment deactivated. ");
        }
        return {
          message: `Payment ${result.payment.paymentId} deactivated: open transactions cancelled, captured ones credited.`,
        };
      },
    },
    reactivate: {
      permission: "payment:reactivate",
      reason: "required",
      run: async ({ form, caller }) => {
        const totalAmount = amountOf(form, "totalAmount");
        if (totalAmount === undefined) throw invalid("totalAmount", "is required: the payment's correct total amount");
        const payment = await reactivatePayment(caller, { paymentId: paymentId(), totalAmount });
        return {
          message: `Payment ${payment.paymentId} reactivated with total ${formatAmount(payment.totalAmount)} ${payment.currency}.`,
        };
      },
    },
    invoice: {
      permission: "invoice:adjust",
      reason: "required",
      run: async ({ form, caller }) => {
        const transactionId = transactionIdOf(form);
        const changed = await changeInvoice(caller, {
          ...invoiceChangeOf(form),
          paymentId: paymentId(),
          transactionId,
        });
        return { message: `Invoice ${changed.invoiceId} of transaction ${transactionId} adjusted.` };
      },
    },
  };
}

/**
 * The step committed and created a credit, but the four-eyes rule keeps its creator from
 * executing it: that is a result to report, not a failure (the credit waits on the Credits screen).
 */
function waitingForSecondStaffUser(creditId: number, done = "") {
  return {
    message: `${done}Credit ${creditId} is created and reserves the amount. The four-eyes rule applies to it, so another staff user must execute it on the Credits screen.`,
    data: { creditId, awaitsSecondStaffUser: true },
  };
}
