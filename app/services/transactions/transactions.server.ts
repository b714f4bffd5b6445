// Payment transaction use-cases: add, cancel, capture, pre-authorize, import.
// Each is one DB transaction that locks the payment and its transactions first (locks.server.ts),
// decides with the domain rules, writes the new state, the operation-log entry and, for money
// that moved, the daily volume rollup.
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { operationLog, paymentTransactions, payments } from "../../../db/schema";
import {
  PAYMENT_TYPE_GROUP_OF,
  PAYMENT_TYPES,
  type PaymentType,
  type PaymentTypeGroup,
  type ScaExemption,
} from "../../domain/enums";
import { conflict, DomainError, forbidden, invalid, ruleBroken } from "../../domain/errors";
import { formatAmount, money, toDbAmount, type Money } from "../../domain/money";
import { requireActive } from "../../domain/payment";
import {
  amountOfNewTransaction,
  amountsOf,
  capturedAmountOf,
  checkCancel,
  checkCapture,
  claimedTotal,
  decideAuthorization,
  importedPaymentType,
  requireAuthorizationWithinTotal,
  requireImportable,
  requireImportFields,
  requireOnePaymentSource,
  requirePaymentCurrency,
  summaryOf,
  type AuthorizationKind,
} from "../../domain/transaction";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller, ClientCaller } from "../../domain/caller";
import { countOutcome, outcomeKeyOf } from "../../platform/outcomes.server";
import { addToVolume, appendOperation } from "../../platform/operation-log.server";
import { lockPayment, lockTransaction, type LockedPayment } from "../../platform/locks.server";
import { findUsableMethod } from "../admin/payment-methods.server";
import {
  getPaymentLocked,
  toTransactionView,
  type PaymentRow,
  type PaymentView,
  type TransactionRow,
  type TransactionView,
} from "../queries/payment-view.server";
import {
  draftAgreementLocked,
  requireWithinPrice,
  usableAgreementLocked,
  type AgreementRow,
} from "../agreements/agreements.server";
import { usableCardLocked } from "../recurring/recurring-payments.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

export type NewTransaction = {
  amount?: Money;
  currency?: string;
  paymentType?: PaymentType;
  paymentTypeGroup?: PaymentTypeGroup;
  isImport?: boolean;
  scaExemption?: ScaExemption;
  with3DSecure?: boolean;
  createAgreement?: boolean;
  paymentAgreementId?: string;
  recurringPaymentId?: number;
};

// ---------------------------------------------------------------- add a transaction

/**
 * Adds a transaction to an active payment: by default for everything its other transactions
 * leave of totalAmount, never for more (domain/transaction.ts amountOfNewTransaction). The
 * payment method is the client's usable one, a stored card, or a (new) agreement.
 * @throws not_found  the payment, stored card or agreement is unknown or another organisation's
 * @throws invalid    no payment method; several payment sources; createAgreement without VIPPS
 * @throws forbidden  isImport or with3DSecure from a client that is not privileged
 * @throws conflict   the payment is deactivated
 * @throws rule       another currency; nothing left to pay or more than is left; the method, card or agreement is not usable
 */
export async function addTransaction(
  caller: ClientCaller,
  input: { paymentId: number; transaction: NewTransaction },
): Promise<TransactionView> {
  return inTransaction(async (tx) => {
    const locked = await lockPayment(tx, caller, input.paymentId);
    const row = await addTransactionLocked(tx, caller, locked, input.transaction);
    return toTransactionView(row, await operationsOf(tx, row.transactionId));
  });
}

/** Shared by "add a transaction" and "create a payment with an initial transaction". */
export async function addTransactionLocked(
  tx: Tx,
  caller: ClientCaller,
  { payment, transactions }: LockedPayment,
  input: NewTransaction,
): Promise<TransactionRow> {
  requireActive(payment);
  requireOnePaymentSource(input);
  if (input.isImport && !caller.privileged) throw forbidden("Only privileged clients may create import transactions");
  if (input.with3DSecure !== undefined && !caller.privileged) {
    throw forbidden("Only privileged clients may choose with3DSecure");
  }

  const currency = input.currency ?? payment.currency;
  requirePaymentCurrency(currency, payment.currency);

  const method = await resolveMethod(tx, caller, payment, input);

  const claimed = claimedTotal(transactions.map((t) => ({ status: t.status, amount: money(t.amount) })));
  const amount = amountOfNewTransaction({
    paymentId: payment.paymentId,
    totalAmount: money(payment.totalAmount),
    claimed,
    requested: input.amount,
  });

  if (method.agreement) requireWithinPrice(method.agreement, amount, currency);
  let paymentAgreementId = input.paymentAgreementId ?? null;
  if (input.createAgreement) {
    paymentAgreementId = await draftAgreementLocked(tx, {
      organisationId: payment.organisationId,
      clientId: caller.clientId,
      customerNumber: payment.customerNumber!,
      productName: payment.orderId ? `Order ${payment.orderId}` : `Payment ${payment.paymentId}`,
      amount,
      currency,
    });
  }

  const now = new Date();
  const [row] = await tx
    .insert(paymentTransactions)
    .values({
      paymentId: payment.paymentId,
      amount: toDbAmount(amount),
      currency,
      status: "CREATED",
      paymentType: method.paymentType,
      paymentTypeGroup: method.paymentTypeGroup,
      reimbursementTypeGroup: method.reimbursementTypeGroup,
      distributionChannelId: caller.distributionChannel,
      recurringPaymentId: input.recurringPaymentId ?? null,
      paymentAgreementId,
      isImport: input.isImport ?? false,
      scaExemption: input.scaExemption ?? "NO_EXEMPTION",
      with3DSecure: input.with3DSecure ?? null,
      fee: method.fee,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await appendOperation(
    tx,
    { transactionId: row.transactionId, paymentId: payment.paymentId, operation: "CREATE", amount, at: now },
    caller,
  );
  await touchPayment(tx, payment.paymentId, now);
  return row;
}

type ResolvedMethod = {
  paymentType: string | null;
  paymentTypeGroup: PaymentTypeGroup;
  reimbursementTypeGroup: string | null;
  fee: string | null;
  /** The ACTIVE agreement the transaction charges (paymentAgreementId), locked FOR SHARE. */
  agreement?: AgreementRow;
};

const TYPES_OF_GROUP = new Map<PaymentTypeGroup, PaymentType[]>();
for (const type of PAYMENT_TYPES) {
  const group = PAYMENT_TYPE_GROUP_OF[type];
  TYPES_OF_GROUP.set(group, [...(TYPES_OF_GROUP.get(group) ?? []), type]);
}

async function resolveMethod(
  tx: Tx,
  caller: ClientCaller,
  payment: PaymentRow,
  input: NewTransaction,
): Promise<ResolvedMethod> {
  if (input.recurringPaymentId !== undefined) {
    const stored = await usableCardLocked(tx, payment, input.recurringPaymentId);
    return {
      paymentType: stored.paymentType,
      paymentTypeGroup: "PAYMENTCARD",
      reimbursementTypeGroup: null,
      fee: null,
    };
  }
  if (input.paymentAgreementId !== undefined) {
    const agreement = await usableAgreementLocked(tx, payment, input.paymentAgreementId);
    return { ...(await enabledMethod(tx, caller, "VIPPS", "MOBILE", input)), agreement };
  }
  if (input.createAgreement) {
    if (
      (input.paymentType && input.paymentType !== "VIPPS") ||
      (!input.paymentType && input.paymentTypeGroup && input.paymentTypeGroup !== "MOBILE")
    ) {
      throw invalid("createAgreement", "is only for paymentType VIPPS (paymentTypeGroup MOBILE)");
    }
    if (!payment.customerNumber) {
      throw ruleBroken("createAgreement needs a payment that has a customerNumber", "createAgreement");
    }
    return await enabledMethod(tx, caller, "VIPPS", "MOBILE", input);
  }
  if (!input.paymentType && !input.paymentTypeGroup) {
    throw new DomainError(
      "invalid",
      "Give a payment method (paymentType or paymentTypeGroup) or a recurringPaymentId",
      {
        errors: [
          {
            field: "paymentType",
            message: "is required unless recurringPaymentId, paymentAgreementId or createAgreement is given",
          },
        ],
      },
    );
  }
  const group = input.paymentType ? PAYMENT_TYPE_GROUP_OF[input.paymentType] : input.paymentTypeGroup!;
  const types = TYPES_OF_GROUP.get(group) ?? [];
  const type = input.paymentType ?? (types.length === 1 ? types[0] : null);
  return enabledMethod(tx, caller, type, group, input);
}

async function enabledMethod(
  tx: Tx,
  caller: ClientCaller,
  paymentType: string | null,
  group: PaymentTypeGroup,
  input: NewTransaction,
): Promise<ResolvedMethod> {
  if (input.isImport) return { paymentType, paymentTypeGroup: group, reimbursementTypeGroup: null, fee: null };
  const method = await findUsableMethod(tx, caller, { paymentType, paymentTypeGroup: group });
  if (!method) {
    const channel = caller.distributionChannel ? ` on channel ${caller.distributionChannel}` : "";
    throw ruleBroken(
      `Payment method ${paymentType ?? group} is not available for this client${channel}; see GET /v1/payment-methods`,
      paymentType ? "paymentType" : "paymentTypeGroup",
    );
  }
  // A group given beside a type overrides how credits are reimbursed, where the method allows it.
  const override =
    input.paymentType &&
    input.paymentTypeGroup &&
    input.paymentTypeGroup !== group &&
    method.allowsReimbursementOverride
      ? input.paymentTypeGroup
      : null;
  return { paymentType, paymentTypeGroup: group, reimbursementTypeGroup: override, fee: method.fee };
}

// ---------------------------------------------------------------- cancel

/**
 * Cancels a CREATED, INITIATED or AUTHORIZED transaction: its amount is released from the payment.
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is captured, credited or cancelled
 */
export async function cancelTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number },
): Promise<TransactionView> {
  const { paymentId, transactionId } = input;
  return inTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    const check = checkCancel(transaction.status);
    if (!check.ok) throw conflict(check.reason);
    const row = await cancelLocked(tx, caller, transaction, new Date());
    await auditStaffAction(tx, caller, {
      action: "transaction.cancel",
      entityType: "transaction",
      entityId: transactionId,
      before: auditedTransaction(transaction),
      after: auditedTransaction(row),
    });
    return toTransactionView(row, await operationsOf(tx, transactionId));
  });
}

/** Cancels a locked, cancellable transaction (also used by deactivation). */
export async function cancelLocked(
  tx: Tx,
  caller: Caller,
  transaction: TransactionRow,
  at: Date,
): Promise<TransactionRow> {
  const amount = money(transaction.amount);
  const [row] = await tx
    .update(paymentTransactions)
    .set({ status: "CANCELLED", cancelledAmount: toDbAmount(amount), updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId))
    .returning();
  await appendOperation(
    tx,
    { transactionId: transaction.transactionId, paymentId: transaction.paymentId, operation: "CANCEL", amount, at },
    caller,
  );
  await touchPayment(tx, transaction.paymentId, at);
  return row;
}

// ---------------------------------------------------------------- capture

/**
 * Captures an AUTHORIZED transaction (a CASH one also from CREATED) for what is authorized, and
 * answers with the whole payment.
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is not capturable
 */
export async function captureTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number },
): Promise<PaymentView> {
  const { paymentId, transactionId } = input;
  return inTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    const check = checkCapture(transaction.status, transaction.paymentTypeGroup);
    if (!check.ok) throw conflict(check.reason);
    const row = await captureLocked(tx, caller, payment, transaction, new Date(), "CAPTURE");
    await auditStaffAction(tx, caller, {
      action: "transaction.capture",
      entityType: "transaction",
      entityId: transactionId,
      before: auditedTransaction(transaction),
      after: auditedTransaction(row),
    });
    return getPaymentLocked(tx, caller, { paymentId });
  });
}

/**
 * Marks a locked transaction captured for what is authorized (the whole amount when it was
 * never authorized separately), logs it, and adds it to the rollup.
 */
export async function captureLocked(
  tx: Tx,
  caller: Caller,
  payment: PaymentRow,
  transaction: TransactionRow,
  at: Date,
  operation: "CAPTURE" | "IMPORT",
  extra: Partial<typeof paymentTransactions.$inferInsert> = {},
): Promise<TransactionRow> {
  const captured = capturedAmountOf(amountsOf(transaction));
  let row: TransactionRow;
  try {
    [row] = await tx
      .update(paymentTransactions)
      .set({
        ...extra,
        status: "CAPTURED",
        authorizedAmount: toDbAmount(captured),
        capturedAmount: toDbAmount(captured),
        updatedAt: at,
      })
      .where(eq(paymentTransactions.transactionId, transaction.transactionId))
      .returning();
    await appendOperation(
      tx,
      { transactionId: transaction.transactionId, paymentId: payment.paymentId, operation, amount: captured, at },
      caller,
    );
  } catch (error) {
    // The unique index on one CAPTURE per transaction is the last line of defence.
    if (violatedConstraint(error) === "operation_log_one_capture_uq")
      throw conflict("The transaction is already captured");
    if (violatedConstraint(error) === "payment_transactions_import_rrn_terminal_uq") {
      throw new DomainError("conflict", "A transaction with this rrn and terminalId was imported already", {
        errors: [{ field: "rrn", message: "was imported already with this terminalId" }],
      });
    }
    throw error;
  }
  await addToVolume(
    tx,
    {
      at,
      organisationId: payment.organisationId,
      currency: transaction.currency,
      paymentTypeGroup: row.paymentTypeGroup,
      paymentType: row.paymentType,
      settlementId: payment.settlementId,
    },
    "captured",
    captured,
  );
  await touchPayment(tx, payment.paymentId, at);
  return row;
}

// ---------------------------------------------------------------- pre-authorization

/**
 * Pre-authorizes a payment card transaction for totalAmount, or adjusts its authorization: an
 * increment right after the pre-authorization or another increment, or one reduction that
 * freezes the amount (domain/transaction.ts decideAuthorization). The new amount replaces the
 * transaction's share of the payment's totalAmount and must stay within it.
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction's state allows no (such) authorization
 * @throws rule       not a payment card; nothing to adjust; the transactions would exceed totalAmount
 */
export async function authorizeTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number; totalAmount: Money },
): Promise<TransactionView> {
  const { paymentId, transactionId, totalAmount } = input;
  return inTransaction(async (tx) => {
    const { payment, transactions, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    const amounts = amountsOf(transaction);
    const decision = decideAuthorization({
      status: transaction.status,
      group: transaction.paymentTypeGroup,
      lastAuthorization: transaction.lastAuthorization as AuthorizationKind | null,
      amountFrozen: transaction.amountFrozen,
      authorized: amounts.authorized,
      requested: totalAmount,
    });
    if (!decision.ok) {
      throw decision.status === "conflict" ? conflict(decision.reason) : ruleBroken(decision.reason, "totalAmount");
    }
    // The new amount replaces this transaction's share of the payment total.
    const others = claimedTotal(
      transactions
        .filter((t) => t.transactionId !== transactionId)
        .map((t) => ({ status: t.status, amount: money(t.amount) })),
    );
    requireAuthorizationWithinTotal({ others, requested: totalAmount, totalAmount: money(payment.totalAmount) });
    const at = new Date();
    const [row] = await tx
      .update(paymentTransactions)
      .set({
        status: "AUTHORIZED",
        amount: toDbAmount(totalAmount),
        authorizedAmount: toDbAmount(totalAmount),
        lastAuthorization: decision.kind,
        amountFrozen: decision.kind === "REDUCTIONAL",
        updatedAt: at,
      })
      .where(eq(paymentTransactions.transactionId, transactionId))
      .returning();
    await appendOperation(tx, { transactionId, paymentId, operation: "AUTHORIZE", amount: totalAmount, at }, caller);
    // The pre-authorization is the transaction's authorization; increments and reductions adjust
    // it and are not new attempts.
    if (decision.kind === "PRE_AUTHORIZATION") await countOutcome(tx, outcomeKeyOf(payment, row), "approved", at);
    await touchPayment(tx, paymentId, at);
    return toTransactionView(row, await operationsOf(tx, transactionId));
  });
}

// ---------------------------------------------------------------- import

export type ImportData = {
  transactionConfirmedAt: Date;
  rrn?: string;
  terminalId?: string;
  paymentType?: string;
  companyId?: string;
  mediaSerialNumberId?: string;
  envNetworkId?: string;
  externalTransactionId?: string;
  additionalData?: Record<string, string>;
};

/**
 * Fills a transaction created with isImport with what happened outside Paydesk, and records it
 * captured (operation IMPORT). Privileged clients only.
 * @throws forbidden  the client is not privileged
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws invalid    a field the group's imports need is missing
 * @throws conflict   the payment is deactivated; not an import transaction or not CREATED; rrn and terminalId imported already
 */
export async function importTransaction(
  caller: ClientCaller,
  input: { paymentId: number; transactionId: number; data: ImportData },
): Promise<TransactionView> {
  const { paymentId, transactionId, data } = input;
  if (!caller.privileged) throw forbidden("Only privileged clients may import transactions");
  return inTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    requireImportable(transaction);
    const group = transaction.paymentTypeGroup;
    requireImportFields(group, data);
    const paymentType = importedPaymentType(group, data.paymentType, transaction.paymentType);
    const row = await captureLocked(tx, caller, payment, transaction, new Date(), "IMPORT", {
      rrn: data.rrn ?? null,
      terminalId: data.terminalId ?? null,
      externalTransactionId: data.externalTransactionId ?? transaction.externalTransactionId,
      paymentType,
      importData: {
        transactionConfirmedAt: data.transactionConfirmedAt.toISOString(),
        ...(data.paymentType ? { issuer: data.paymentType } : {}),
        ...(data.companyId ? { companyId: data.companyId } : {}),
        ...(data.mediaSerialNumberId ? { mediaSerialNumberId: data.mediaSerialNumberId } : {}),
        ...(data.envNetworkId ? { envNetworkId: data.envNetworkId } : {}),
        ...(data.additionalData ? { additionalData: data.additionalData } : {}),
      },
    });
    return toTransactionView(row, await operationsOf(tx, transactionId));
  });
}

// ---------------------------------------------------------------- initiate (provider flows)

/** CREATED (or INITIATED again) → INITIATED with its INITIATE entry: a provider page or claim opened. */
export async function initiateLocked(tx: Tx, caller: Caller, transaction: TransactionRow, at: Date): Promise<void> {
  await tx
    .update(paymentTransactions)
    .set({ status: "INITIATED", updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId));
  await appendOperation(
    tx,
    {
      transactionId: transaction.transactionId,
      paymentId: transaction.paymentId,
      operation: "INITIATE",
      amount: money(transaction.amount),
      at,
    },
    caller,
  );
  await touchPayment(tx, transaction.paymentId, at);
}

// ---------------------------------------------------------------- helpers

/**
 * What a staff audit entry keeps of a transaction, before and after the change: its status and
 * amounts as the API renders them (decimal strings), including what credits hold back.
 */
export function auditedTransaction(row: TransactionRow) {
  const amounts = amountsOf(row);
  const { authorizedAmount, capturedAmount, creditedAmount, cancelledAmount, creditableAmount } = summaryOf(amounts);
  return {
    paymentId: row.paymentId,
    status: row.status,
    amount: formatAmount(amounts.amount),
    authorizedAmount: formatAmount(authorizedAmount),
    capturedAmount: formatAmount(capturedAmount),
    creditedAmount: formatAmount(creditedAmount),
    cancelledAmount: formatAmount(cancelledAmount),
    reservedAmount: formatAmount(amounts.reserved),
    creditableAmount: formatAmount(creditableAmount),
  };
}

export async function touchPayment(tx: Tx, paymentId: number, at: Date): Promise<void> {
  await tx.update(payments).set({ updatedAt: at }).where(eq(payments.paymentId, paymentId));
}

export async function operationsOf(tx: Tx, transactionId: number) {
  return tx
    .select()
    .from(operationLog)
    .where(eq(operationLog.transactionId, transactionId))
    .orderBy(sql`${operationLog.createdAt} asc, ${operationLog.id} asc`);
}
