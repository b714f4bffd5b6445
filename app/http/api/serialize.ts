// The JSON shapes of the /v1 contract. Amounts leave as decimal strings with at least 2 decimals,
// timestamps as ISO 8601 UTC with milliseconds, ids as numbers (agreement and invoice ids as
// strings).
import { formatAmount, type Money } from "../../domain/money";
import type { CreditView } from "../../services/credits/credits.server";
import type { PaymentMethodRow } from "../../services/admin/payment-methods.server";
import type { Page } from "../../services/queries/payment-search.server";
import type { OperationView, PaymentView, TransactionView } from "../../services/queries/payment-view.server";
import { money } from "../../domain/money";

const amount = (value: Money | null) => (value === null ? null : formatAmount(value));
const time = (value: Date | null) => (value === null ? null : value.toISOString());

export function operationJson(entry: OperationView) {
  return {
    operation: entry.operation,
    amount: amount(entry.amount),
    createdAt: time(entry.createdAt),
    correlationId: entry.correlationId,
    clientName: entry.clientName,
    pos: entry.pos,
    distributionChannel: entry.distributionChannel,
    actor: entry.actor,
  };
}

export function transactionJson(t: TransactionView) {
  return {
    transactionId: t.transactionId,
    paymentId: t.paymentId,
    amount: amount(t.amount),
    currency: t.currency,
    status: t.status,
    paymentType: t.paymentType,
    paymentTypeGroup: t.paymentTypeGroup,
    rrn: t.rrn,
    cardNumber: t.cardNumber,
    externalTransactionId: t.externalTransactionId,
    recurringPaymentId: t.recurringPaymentId,
    paymentAgreementId: t.paymentAgreementId,
    isImport: t.isImport,
    scaExemption: t.scaExemption,
    createdAt: time(t.createdAt),
    updatedAt: time(t.updatedAt),
    summary: {
      authorizedAmount: amount(t.summary.authorizedAmount),
      capturedAmount: amount(t.summary.capturedAmount),
      creditedAmount: amount(t.summary.creditedAmount),
      cancelledAmount: amount(t.summary.cancelledAmount),
      creditableAmount: amount(t.summary.creditableAmount),
    },
    operationLog: t.operationLog.map(operationJson),
    importData: t.importData,
    fee: amount(t.fee),
  };
}

export function paymentJson(p: PaymentView) {
  return {
    paymentId: p.paymentId,
    orderId: p.orderId,
    orderVersion: p.orderVersion,
    totalAmount: amount(p.totalAmount),
    currency: p.currency,
    active: p.active,
    settlementId: p.settlementId,
    customerNumber: p.customerNumber,
    organisationId: p.organisationId,
    createdAt: time(p.createdAt),
    updatedAt: time(p.updatedAt),
    transactions: p.transactions.map(transactionJson),
  };
}

export function creditJson(c: CreditView) {
  return {
    creditId: c.creditId,
    orderId: c.orderId,
    orderVersion: c.orderVersion,
    totalCreditAmount: amount(c.totalCreditAmount),
    currency: c.currency,
    active: c.active,
    status: c.status,
    settlementId: c.settlementId,
    customerNumber: c.customerNumber,
    organisationId: c.organisationId,
    createdAt: time(c.createdAt),
    updatedAt: time(c.updatedAt),
    creditTransactions: c.creditTransactions.map((l) => ({
      creditTransactionId: l.creditTransactionId,
      paymentId: l.paymentId,
      transactionId: l.transactionId,
      amount: amount(l.amount),
      status: l.status,
      reimbursementMethod: l.reimbursementMethod,
      reimbursementTypeGroup: l.reimbursementTypeGroup,
      rrn: l.rrn,
      creditedAt: time(l.creditedAt),
      failureReason: l.failureReason,
    })),
  };
}

export function paymentMethodJson(m: PaymentMethodRow) {
  return {
    id: m.id,
    paymentType: m.paymentType,
    paymentTypeGroup: m.paymentTypeGroup,
    distributionChannelId: m.distributionChannelId,
    clientId: m.clientId,
    paymentConfiguration: m.paymentConfiguration ?? {},
    fee: m.fee === null ? null : formatAmount(money(m.fee)),
  };
}

export function pageJson<T, J>(page: Page<T>, render: (item: T) => J) {
  return {
    items: page.items.map(render),
    totalItems: page.totalItems,
    // Only searches that cap their count say whether it is exact (GET /v1/payments).
    ...(page.totalItemsEstimated === undefined ? {} : { totalItemsEstimated: page.totalItemsEstimated }),
    totalPages: page.totalPages,
    page: page.page,
    perPage: page.perPage,
    // Only searches that page by keyset too (GET /v1/payments, decision 058).
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}
