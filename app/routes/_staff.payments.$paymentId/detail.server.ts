// The payment detail as the screen receives it: the payment and its transactions rendered as
// GET /v1/payments/{paymentId} renders them, with the screen's extras beside each.
import { paymentJson, transactionJson } from "../../http/api/serialize";
import type { PaymentDetail, PaymentDetailView } from "../../services/queries/payment-detail.server";

export function paymentDetailJson(view: PaymentDetailView): PaymentDetail {
  const { transactions: _transactions, ...payment } = paymentJson(view.payment);
  return {
    payment: { ...payment, organisationName: view.organisationName },
    summary: view.summary,
    transactions: view.transactions.map(({ transaction, invoice, actions }) => ({
      ...transactionJson(transaction),
      reimbursementTypeGroup: transaction.reimbursementTypeGroup,
      terminalId: transaction.terminalId,
      invoice,
      actions,
    })),
    inProgress: view.inProgress,
    rawJson: JSON.stringify(paymentJson(view.payment), null, 2),
  };
}
