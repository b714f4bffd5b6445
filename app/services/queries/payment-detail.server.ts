// The staff payment detail: the payment (its loader renders it as GET /v1/payments/{id} does),
// plus what the screen needs around it: the organisation's name, the payment's summed amounts,
// each INVOICE transaction's current invoice, and which actions the payment's state allows (the
// role is the screen's and the server's other question). Read-only: no locks; every action re-checks its
// state under locks, so a stale screen can only be refused, never do the wrong thing.
import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { readDb } from "../../platform/db.server";
import type { Db } from "../../../db/client";
import { auditLog, invoices, organisations, providerOperations } from "../../../db/schema";
import type { ProviderOperationKind } from "../../domain/enums";
import { DomainError } from "../../domain/errors";
import { formatAmount, money, sum, type Money } from "../../domain/money";
import { checkCancel, checkCapture, claimedTotal } from "../../domain/transaction";
import type { Caller } from "../../domain/caller";
import { getPayment, type OperationView, type PaymentView, type TransactionView } from "./payment-view.server";

export type InvoiceSummary = {
  invoiceId: string;
  amount: string;
  languageCode: string | null;
  externalInvoiceNumber: string | null;
  customerIdentificationNumber: string | null;
  expiryDate: string | null;
  confirmedAt: string | null;
};

/** What the transaction's state allows; the role decides separately. */
export type TransactionActions = {
  capture: boolean;
  cancel: boolean;
  credit: boolean;
  /** Open a chargeback: as for a credit, a CAPTURED transaction with something left (decision 040). */
  chargeback: boolean;
  adjustInvoice: boolean;
};

export type PaymentSummary = {
  totalAmount: string;
  authorizedAmount: string;
  capturedAmount: string;
  creditedAmount: string;
  cancelledAmount: string;
  creditableAmount: string;
  /** What the transactions claim of the total (a reactivation's total must cover it). */
  heldAmount: string;
};

/**
 * A view as GET /v1/payments/{paymentId} renders it (app/http/api/serialize.ts): amounts as
 * decimal strings, times as ISO 8601, each null where the view has none.
 */
type AsJson<T> = T extends Money
  ? string | null
  : T extends Date
    ? string | null
    : T extends (infer Item)[]
      ? AsJson<Item>[]
      : T extends object
        ? { [K in keyof T]: AsJson<T[K]> }
        : T;

/** A transaction as the API renders it, with its operation log (which leaves out actorType). */
type TransactionJson = AsJson<
  Omit<TransactionView, "reimbursementTypeGroup" | "terminalId" | "operationLog"> & {
    operationLog: Omit<OperationView, "actorType">[];
  }
>;

/** A payment as the API renders it, without its transactions. */
type PaymentJson = AsJson<Omit<PaymentView, "transactions">>;

export type PaymentDetailTransaction = TransactionJson & {
  reimbursementTypeGroup: string | null;
  terminalId: string | null;
  invoice: InvoiceSummary | null;
  actions: TransactionActions;
};

/**
 * A provider operation on the payment whose outcome is not known yet (claim → ask → settle): the
 * screen shows it as in progress, with its age, until it settles.
 */
export type OperationInProgress = {
  operationId: number;
  kind: ProviderOperationKind;
  transactionId: number | null;
  creditTransactionId: number | null;
  /** Who asked for it: an API client, a staff user's email, a page. */
  claimedBy: string;
  createdAt: string;
  /** Seconds since it was claimed, when the screen was read. */
  ageSeconds: number;
  /** How many times the provider has been asked so far. */
  attempts: number;
};

/** The payment detail as the screen receives it (the loader renders the payment as the API does). */
export type PaymentDetail = {
  payment: PaymentJson & { organisationName: string | null };
  summary: PaymentSummary;
  transactions: PaymentDetailTransaction[];
  inProgress: OperationInProgress[];
  /** Exactly the body of GET /v1/payments/{paymentId}. */
  rawJson: string;
};

/** What the payment detail reads: the payment, and around it what its screen shows. */
export type PaymentDetailView = {
  payment: PaymentView;
  organisationName: string | null;
  summary: PaymentSummary;
  /** Each of the payment's transactions, in its order, with its invoice and what its state allows. */
  transactions: { transaction: TransactionView; invoice: InvoiceSummary | null; actions: TransactionActions }[];
  /** Provider operations of the payment still in progress, oldest first. */
  inProgress: OperationInProgress[];
};

/** The payment's detail, or null when the caller cannot see such a payment. */
export async function findPaymentDetail(
  caller: Caller,
  input: { paymentId: number },
): Promise<PaymentDetailView | null> {
  let view: PaymentView;
  try {
    view = await getPayment(caller, input);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") return null;
    throw error;
  }
  const database = readDb();
  const [organisation] = await database
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, view.organisationId));
  const invoiceOf = await currentInvoices(database, view.transactions);
  const inProgress = await operationsInProgress(database, view.paymentId);
  const busy = new Set(inProgress.map((op) => op.transactionId));
  return {
    payment: view,
    organisationName: organisation?.name ?? null,
    summary: summaryOfPayment(view),
    transactions: view.transactions.map((t) => {
      const invoice = invoiceOf.get(t.transactionId) ?? null;
      const actions = actionsFor(view, t, invoice);
      // While the provider is asked about it, nothing else may start on the transaction.
      if (busy.has(t.transactionId)) Object.assign(actions, { capture: false, cancel: false, adjustInvoice: false });
      return { transaction: t, invoice, actions };
    }),
    inProgress,
  };
}

async function operationsInProgress(database: Db, paymentId: number): Promise<OperationInProgress[]> {
  const rows = await database
    .select()
    .from(providerOperations)
    .where(and(eq(providerOperations.paymentId, paymentId), eq(providerOperations.status, "PENDING")))
    .orderBy(asc(providerOperations.id));
  const now = Date.now();
  return rows.map((op) => ({
    operationId: op.id,
    kind: op.kind,
    transactionId: op.transactionId,
    creditTransactionId: op.creditTransactionId,
    claimedBy: op.claimedBy,
    createdAt: op.createdAt.toISOString(),
    ageSeconds: Math.max(0, Math.floor((now - op.createdAt.getTime()) / 1000)),
    attempts: op.attempts,
  }));
}

/** The payment's amounts: its total and the sums of its transactions' summaries. */
function summaryOfPayment(view: PaymentView): PaymentSummary {
  const total = (pick: (t: TransactionView) => Money) => formatAmount(sum(view.transactions.map(pick)));
  return {
    totalAmount: formatAmount(view.totalAmount),
    authorizedAmount: total((t) => t.summary.authorizedAmount),
    capturedAmount: total((t) => t.summary.capturedAmount),
    creditedAmount: total((t) => t.summary.creditedAmount),
    cancelledAmount: total((t) => t.summary.cancelledAmount),
    creditableAmount: total((t) => t.summary.creditableAmount),
    heldAmount: formatAmount(claimedTotal(view.transactions)),
  };
}

/**
 * The same rules the services apply: a deactivated payment refuses every transaction operation
 * except a credit (docs/decisions/004); a COLLECTOR_B2B invoice changes only while INITIATED
 * and not yet confirmed by the customer.
 */
function actionsFor(view: PaymentView, t: TransactionView, invoice: InvoiceSummary | null): TransactionActions {
  const status = t.status;
  return {
    capture: view.active && checkCapture(status, t.paymentTypeGroup).ok,
    cancel: view.active && checkCancel(status).ok,
    credit: status === "CAPTURED" && t.summary.creditableAmount > 0n,
    chargeback: status === "CAPTURED" && t.summary.creditableAmount > 0n,
    adjustInvoice:
      view.active &&
      t.paymentType === "COLLECTOR_B2B" &&
      status === "INITIATED" &&
      invoice !== null &&
      invoice.confirmedAt === null,
  };
}

async function currentInvoices(database: Db, transactions: TransactionView[]): Promise<Map<number, InvoiceSummary>> {
  const ids = transactions.filter((t) => t.paymentTypeGroup === "INVOICE").map((t) => t.transactionId);
  const found = new Map<number, InvoiceSummary>();
  if (!ids.length) return found;
  const rows = await database
    .select()
    .from(invoices)
    .where(and(inArray(invoices.transactionId, ids), isNull(invoices.replacedAt)));
  for (const row of rows) {
    found.set(row.transactionId, {
      invoiceId: row.invoiceId,
      amount: formatAmount(money(row.amount)),
      languageCode: row.languageCode,
      externalInvoiceNumber: row.externalInvoiceNumber,
      customerIdentificationNumber: row.customerIdentificationNumber,
      expiryDate: row.expiryDate,
      confirmedAt: row.confirmedAt?.toISOString() ?? null,
    });
  }
  return found;
}

/** Why a staff user did what an operation-log entry records, as they wrote it in the action's dialog. */
export type StaffReason = { correlationId: string; actorEmail: string; reason: string };

/**
 * The reasons staff gave for the payment's logged operations, by the correlation id the operation
 * log and the audit log share (an API client's operations have none). The caller decides who may
 * read them.
 */
export async function staffReasonsOf(view: PaymentDetailView): Promise<StaffReason[]> {
  const ids = [
    ...new Set(view.payment.transactions.flatMap((t) => t.operationLog.map((entry) => entry.correlationId))),
  ];
  if (!ids.length) return [];
  const rows = await readDb()
    .select({ correlationId: auditLog.correlationId, actorEmail: auditLog.actorEmail, reason: auditLog.reason })
    .from(auditLog)
    .where(and(inArray(auditLog.correlationId, ids), isNotNull(auditLog.reason)))
    .orderBy(asc(auditLog.id));
  return rows.flatMap((row) =>
    row.correlationId && row.reason
      ? [{ correlationId: row.correlationId, actorEmail: row.actorEmail, reason: row.reason }]
      : [],
  );
}
