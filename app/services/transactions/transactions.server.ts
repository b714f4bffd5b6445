// Payment transaction use-cases: add, cancel, capture, pre-authorize, import.
// Each locks the payment and its transactions first (locks.server.ts), decides with the domain
// rules, writes the new state, the operation-log entry and, for money that moved, the daily volume
// rollup. Where the PSP must act (capture, cancel of an authorization, pre-authorization and its
// adjustments) that is claim → ask → settle (platform/provider-operations.server.ts): the
// decision and the claim in one DB transaction, the PSP asked outside it, the new state written in
// a second one by this module's OperationHandlers. CASH, imports and gift cards stay internal.
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { operationLog, paymentTransactions, payments, providerOperations } from "../../../db/schema";
import {
  PAYMENT_TYPE_GROUP_OF,
  PAYMENT_TYPES,
  type PaymentType,
  type PaymentTypeGroup,
  type ScaExemption,
} from "../../domain/enums";
import { conflict, DomainError, forbidden, invalid, ruleBroken, type Say } from "../../domain/errors";
import type { TransactionStatus } from "../../domain/enums";
import { formatAmount, money, toDbAmount, type Money } from "../../domain/money";
import { requireActive } from "../../domain/payment";
import {
  amountOfNewTransaction,
  amountsOf,
  asksProvider,
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
import type { Caller, ClientCaller, SystemCaller } from "../../domain/caller";
import { countOutcome, outcomeKeyOf } from "../../platform/outcomes.server";
import { addToVolume, appendOperation } from "../../platform/operation-log.server";
import { lockPayment, lockTransaction, type LockedPayment } from "../../platform/locks.server";
import { logger } from "../../platform/logger.server";
import { enqueueCallback, transactionCallbackPayload } from "../../platform/outbox.server";
import {
  busy,
  newReference,
  pendingOnPayment,
  requireNoOperationInFlight,
  requireSucceeded,
  runProviderOperation,
  transactionOf,
  type OperationHandler,
  type OperationRow as ProviderOperationRow,
  type SettleContext,
  onTransaction,
} from "../../platform/provider-operations.server";
import { paymentProvider } from "../../providers/index.server";
import { transactionReference, type TransactionAtProvider } from "../../providers/provider";
import { findUsableMethod, type PaymentMethodRow } from "../admin/payment-methods.server";
import {
  getPayment,
  getTransaction,
  toTransactionView,
  type PaymentRow,
  type PaymentView,
  type OperationRow,
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
    // The answer is what was written: a new transaction's log is its CREATE entry.
    const { row, created } = await addTransactionLocked(tx, caller, locked, input.transaction);
    return toTransactionView(row, [created]);
  });
}

/**
 * Shared by "add a transaction" and "create a payment with an initial transaction". `created`:
 * the payment was inserted by this DB transaction at that time, so no authorization of it can be
 * in flight and its updatedAt is that time already.
 */
export async function addTransactionLocked(
  tx: Tx,
  caller: ClientCaller,
  { payment, transactions }: LockedPayment,
  input: NewTransaction,
  created?: { at: Date; method?: MethodLookup },
): Promise<WrittenTransaction> {
  requireActive(payment);
  requireOnePaymentSource(input);
  if (!created) await requireNoAuthorizationInFlight(tx, payment.paymentId);
  if (input.isImport && !caller.privileged) throw forbidden("Only privileged clients may create import transactions");
  if (input.with3DSecure !== undefined && !caller.privileged) {
    throw forbidden("Only privileged clients may choose with3DSecure");
  }

  const currency = input.currency ?? payment.currency;
  requirePaymentCurrency(currency, payment.currency);

  const method = await resolveMethod(tx, caller, payment, input, created?.method);

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

  return insertTransactionLocked(
    tx,
    caller,
    {
      paymentId: payment.paymentId,
      organisationId: payment.organisationId,
      amount: toDbAmount(amount),
      currency,
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
    },
    created?.at ?? new Date(),
    created?.at,
  );
}

/** A transaction just written, with its CREATE entry in the operation log. */
export type WrittenTransaction = { row: TransactionRow; created: OperationRow };

/**
 * Writes a new CREATED transaction of a locked payment: its row, its CREATE entry in the
 * operation log, and the payment's updatedAt, sent together (one round trip: the entry takes the
 * transaction's id from the sequence the row's insert just drew from, in this session).
 * `paymentUpdatedAt`: the payment's updatedAt as this DB transaction wrote it already; when it is
 * `at` (a payment created in the same DB transaction) it is not written again.
 */
export async function insertTransactionLocked(
  tx: Tx,
  caller: Caller,
  values: Omit<typeof paymentTransactions.$inferInsert, "status" | "createdAt" | "updatedAt">,
  at: Date,
  paymentUpdatedAt?: Date,
): Promise<WrittenTransaction> {
  const touched = paymentUpdatedAt?.getTime() === at.getTime();
  // The row's insert is started first, explicitly (a builder handed to Promise.all would start a
  // tick after the calls below), so it reaches the connection before the entry that reads currval.
  const inserting = tx
    .insert(paymentTransactions)
    .values({ ...values, status: "CREATED", createdAt: at, updatedAt: at })
    .returning()
    .execute();
  const [[row], created] = await Promise.all([
    inserting,
    appendOperation(
      tx,
      {
        transactionId: "just inserted",
        paymentId: values.paymentId,
        operation: "CREATE",
        amount: money(values.amount),
        at,
      },
      caller,
    ),
    touched ? undefined : touchPayment(tx, values.paymentId, at),
  ]);
  // Were the statements ever reordered on the way, currval would name another transaction: fail
  // (the DB transaction rolls back) rather than log this one's CREATE under it.
  if (created.transactionId !== row.transactionId) {
    throw new Error(`CREATE entry of transaction ${row.transactionId} got ${created.transactionId}`);
  }
  return { row, created };
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

/**
 * The payment method a transaction names by paymentType or paymentTypeGroup alone (no stored card,
 * no agreement): what resolveMethod looks up for it. null when the input names something else.
 */
function plainMethodOf(input: NewTransaction): NamedMethod | null {
  if (input.recurringPaymentId !== undefined || input.paymentAgreementId !== undefined || input.createAgreement)
    return null;
  if (!input.paymentType && !input.paymentTypeGroup) return null;
  const named = methodNamedBy(input);
  return named.paymentTypeGroup ? named : null;
}

type NamedMethod = { paymentType: string | null; paymentTypeGroup: PaymentTypeGroup };

/** The type and group a paymentType or paymentTypeGroup names (a group of one type names that type). */
function methodNamedBy(input: NewTransaction): NamedMethod {
  const group = input.paymentType ? PAYMENT_TYPE_GROUP_OF[input.paymentType] : input.paymentTypeGroup!;
  const types = TYPES_OF_GROUP.get(group) ?? [];
  return { paymentType: input.paymentType ?? (types.length === 1 ? types[0] : null), paymentTypeGroup: group };
}

/** A payment method looked up ahead (startMethodLookup), for the method it was looked up for. */
export type MethodLookup = { wanted: NamedMethod; row: Promise<PaymentMethodRow | null> };

/**
 * Starts looking up the payment method of a transaction about to be added, when that needs
 * nothing of the payment: a payment created with its first transaction sends the lookup beside
 * its own insert instead of after it (one round trip fewer). Nothing is refused here; the
 * transaction's checks run in their usual order and use the row when they come to it.
 */
export function startMethodLookup(tx: Tx, caller: ClientCaller, input: NewTransaction): MethodLookup | undefined {
  const wanted = plainMethodOf(input);
  if (!wanted || input.isImport) return undefined;
  const row = findUsableMethod(tx, caller, wanted);
  row.catch(() => undefined); // awaited where it is used; a failure then fails the DB transaction
  return { wanted, row };
}

async function resolveMethod(
  tx: Tx,
  caller: ClientCaller,
  payment: PaymentRow,
  input: NewTransaction,
  lookedUp?: MethodLookup,
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
  const { paymentType: type, paymentTypeGroup: group } = methodNamedBy(input);
  const row =
    lookedUp && lookedUp.wanted.paymentType === type && lookedUp.wanted.paymentTypeGroup === group
      ? lookedUp.row
      : undefined;
  return enabledMethod(tx, caller, type, group, input, row);
}

async function enabledMethod(
  tx: Tx,
  caller: ClientCaller,
  paymentType: string | null,
  group: PaymentTypeGroup,
  input: NewTransaction,
  lookedUp?: Promise<PaymentMethodRow | null>,
): Promise<ResolvedMethod> {
  if (input.isImport) return { paymentType, paymentTypeGroup: group, reimbursementTypeGroup: null, fee: null };
  const method = await (lookedUp ?? findUsableMethod(tx, caller, { paymentType, paymentTypeGroup: group }));
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
 * An authorization the PSP holds is released there first (claim → ask → settle).
 * @throws not_found    the payment or transaction is unknown or another organisation's
 * @throws conflict     the payment is deactivated; the transaction is captured, credited or cancelled;
 *                      another operation on it is in progress (RESOURCE_BUSY)
 * @throws declined     the provider refused to release the authorization (nothing changed)
 * @throws unavailable  the provider did not answer: the cancel is in progress and settles later
 */
export async function cancelTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number },
): Promise<TransactionView> {
  const { paymentId, transactionId } = input;
  const outcome = await runProviderOperation(caller, cancelOperation, {
    kind: "CANCEL",
    ...onTransaction(caller, paymentId, transactionId),
    plan: async (tx, { payment, transaction }, ofThisRequest) => {
      if (ofThisRequest) return { resume: ofThisRequest };
      requireActive(payment);
      const check = checkCancel(transaction.status);
      if (!check.ok) throw conflict(check.reason, undefined, stateRefusal("cancel", transaction.status));
      if (asksProvider("CANCEL", transaction)) {
        return {
          claim: {
            reference: newReference("CANCEL", transactionId),
            request: { ...atProvider(transaction, money(transaction.amount)), audit: true },
          },
        };
      }
      await requireNoOperationInFlight(tx, transactionId);
      const row = await cancelLocked(tx, caller, transaction, new Date());
      await auditTransactionChange(tx, caller, "transaction.cancel", transaction, row);
      return { done: true };
    },
  });
  if (outcome.kind === "settled") requireSucceeded(outcome.op);
  return getTransaction(caller, { paymentId, transactionId });
}

/** A staff cancel or capture of a transaction goes to the audit log with the transaction before and after. */
async function auditTransactionChange(
  tx: Tx,
  caller: Caller,
  action: "transaction.cancel" | "transaction.capture",
  before: TransactionRow,
  after: TransactionRow,
) {
  await auditStaffAction(tx, caller, {
    action,
    entityType: "transaction",
    entityId: before.transactionId,
    before: auditedTransaction(before),
    after: auditedTransaction(after),
  });
}

/** What the PSP needs to act on a transaction's authorization, as an operation's request keeps it. */
export function atProvider(transaction: TransactionRow, amount: Money) {
  return {
    transactionReference: transactionReference(transaction.transactionId),
    amount: toDbAmount(amount),
    currency: transaction.currency,
    paymentTypeGroup: transaction.paymentTypeGroup,
  };
}

function sentAtProvider(op: ProviderOperationRow): TransactionAtProvider {
  const request = op.request as ReturnType<typeof atProvider>;
  return {
    reference: op.reference,
    transactionReference: request.transactionReference,
    amount: money(request.amount),
    currency: request.currency,
    paymentTypeGroup: request.paymentTypeGroup,
  };
}

/**
 * CANCEL settles by cancelling the transaction, when the PSP released the authorization and the
 * transaction is still cancellable (a deactivation claims these too; its own audit entry records them).
 */
export const cancelOperation: OperationHandler = {
  send: (op) => paymentProvider().cancel(sentAtProvider(op)),
  async settle(context, answer) {
    if (!answer.ok) return;
    const { tx, caller, at } = context;
    const transaction = transactionOf(context);
    if (!checkCancel(transaction.status).ok) return misfit(context, transaction);
    const row = await cancelLocked(tx, caller, transaction, at);
    if (context.op.request.audit) await auditTransactionChange(tx, caller, "transaction.cancel", transaction, row);
  },
};

/** A settled success the transaction no longer fits (it cannot happen while operations exclude each other). */
function misfit(context: SettleContext, transaction: TransactionRow): void {
  logger.error("a provider operation succeeded on a transaction that no longer fits it", {
    operationId: context.op.id,
    kind: context.op.kind,
    transactionId: transaction.transactionId,
    status: transaction.status,
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
 * answers with the whole payment. The PSP captures first (claim → ask → settle), except for CASH.
 * @throws not_found    the payment or transaction is unknown or another organisation's
 * @throws conflict     the payment is deactivated; the transaction is not capturable; another
 *                      operation on it is in progress (RESOURCE_BUSY)
 * @throws declined     the provider refused the capture (nothing changed)
 * @throws unavailable  the provider did not answer: the capture is in progress and settles later
 */
export async function captureTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number },
): Promise<PaymentView> {
  const { paymentId, transactionId } = input;
  const outcome = await runProviderOperation(caller, captureOperation, {
    kind: "CAPTURE",
    ...onTransaction(caller, paymentId, transactionId),
    plan: async (tx, { payment, transaction }, ofThisRequest) => {
      if (ofThisRequest) return { resume: ofThisRequest };
      requireActive(payment);
      const check = checkCapture(transaction.status, transaction.paymentTypeGroup);
      if (!check.ok) throw conflict(check.reason, undefined, stateRefusal("capture", transaction.status));
      if (asksProvider("CAPTURE", transaction)) {
        const amount = capturedAmountOf(amountsOf(transaction));
        return {
          claim: { reference: newReference("CAPTURE", transactionId), request: atProvider(transaction, amount) },
        };
      }
      await requireNoOperationInFlight(tx, transactionId);
      const row = await captureLocked(tx, caller, payment, transaction, new Date(), "CAPTURE");
      await auditTransactionChange(tx, caller, "transaction.capture", transaction, row);
      return { done: true };
    },
  });
  if (outcome.kind === "settled") requireSucceeded(outcome.op);
  return getPayment(caller, { paymentId });
}

/** CAPTURE settles by capturing the transaction once the PSP has captured it. */
export const captureOperation: OperationHandler = {
  send: (op) => paymentProvider().capture(sentAtProvider(op)),
  async settle(context, answer) {
    if (!answer.ok) return;
    const { tx, caller, at } = context;
    const transaction = transactionOf(context);
    if (!checkCapture(transaction.status, transaction.paymentTypeGroup).ok) return misfit(context, transaction);
    const row = await captureLocked(tx, caller, context.locked!.payment, transaction, at, "CAPTURE");
    await auditTransactionChange(tx, caller, "transaction.capture", transaction, row);
  },
};

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
    // Sent together (one round trip; the server runs them in this order). The rollup's row, which
    // every capture of the day shares, is locked last, so it is held only until the commit. The
    // update is started explicitly: a query builder handed to Promise.all starts a tick after the
    // calls beside it, so it would reach the server last.
    [[row]] = await Promise.all([
      tx
        .update(paymentTransactions)
        .set({
          ...extra,
          status: "CAPTURED",
          authorizedAmount: toDbAmount(captured),
          capturedAmount: toDbAmount(captured),
          updatedAt: at,
        })
        .where(eq(paymentTransactions.transactionId, transaction.transactionId))
        .returning()
        .execute(),
      appendOperation(
        tx,
        { transactionId: transaction.transactionId, paymentId: payment.paymentId, operation, amount: captured, at },
        caller,
      ),
      touchPayment(tx, payment.paymentId, at),
      addToVolume(
        tx,
        {
          transactionId: transaction.transactionId,
          at,
          organisationId: payment.organisationId,
          currency: transaction.currency,
          paymentTypeGroup: extra.paymentTypeGroup ?? transaction.paymentTypeGroup,
          paymentType: extra.paymentType !== undefined ? extra.paymentType : transaction.paymentType,
          settlementId: payment.settlementId,
        },
        "captured",
        captured,
      ),
    ]);
  } catch (error) {
    // The unique index on one CAPTURE per transaction is the last line of defence.
    if (violatedConstraint(error) === "operation_log_one_capture_uq")
      throw conflict("The transaction is already captured", undefined, { key: "errors.transaction.alreadyCaptured" });
    if (violatedConstraint(error) === "payment_transactions_import_rrn_terminal_uq") {
      throw new DomainError("conflict", "A transaction with this rrn and terminalId was imported already", {
        errors: [{ field: "rrn", message: "was imported already with this terminalId" }],
      });
    }
    throw error;
  }
  return row;
}

// ---------------------------------------------------------------- pre-authorization

/**
 * Pre-authorizes a payment card transaction for totalAmount, or adjusts its authorization: an
 * increment right after the pre-authorization or another increment, or one reduction that
 * freezes the amount (domain/transaction.ts decideAuthorization). The new amount replaces the
 * transaction's share of the payment's totalAmount and must stay within it. The PSP authorizes
 * the new total first (claim → ask → settle).
 * @throws not_found    the payment or transaction is unknown or another organisation's
 * @throws conflict     the payment is deactivated; the transaction's state allows no (such)
 *                      authorization; another operation on it is in progress (RESOURCE_BUSY)
 * @throws rule         not a payment card; nothing to adjust; the transactions would exceed totalAmount
 * @throws declined     the provider refused the authorization (nothing changed)
 * @throws unavailable  the provider did not answer: the authorization is in progress and settles later
 */
export async function authorizeTransaction(
  caller: Caller,
  input: { paymentId: number; transactionId: number; totalAmount: Money },
): Promise<TransactionView> {
  const { paymentId, transactionId, totalAmount } = input;
  const outcome = await runProviderOperation(caller, authorizeOperation, {
    kind: "AUTHORIZE",
    ...onTransaction(caller, paymentId, transactionId),
    plan: async (_tx, { payment, transactions, transaction }, ofThisRequest) => {
      if (ofThisRequest) return { resume: ofThisRequest };
      requireActive(payment);
      const kind = authorizationKind(payment, transactions, transaction, totalAmount);
      return {
        claim: {
          reference: newReference("AUTHORIZE", transactionId),
          request: { ...atProvider(transaction, totalAmount), kind },
        },
      };
    },
  });
  if (outcome.kind === "settled") requireSucceeded(outcome.op);
  return getTransaction(caller, { paymentId, transactionId });
}

/**
 * Which authorization a new total is for this transaction, by the domain rules.
 * @throws conflict  the transaction's state allows no (such) authorization
 * @throws rule      not a payment card; nothing to adjust; the transactions would exceed totalAmount
 */
function authorizationKind(
  payment: PaymentRow,
  transactions: TransactionRow[],
  transaction: TransactionRow,
  totalAmount: Money,
): AuthorizationKind {
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
      .filter((t) => t.transactionId !== transaction.transactionId)
      .map((t) => ({ status: t.status, amount: money(t.amount) })),
  );
  requireAuthorizationWithinTotal({ others, requested: totalAmount, totalAmount: money(payment.totalAmount) });
  return decision.kind;
}

/**
 * AUTHORIZE settles by writing the new authorized total, when the PSP authorized it and the rules
 * still allow it (nothing else changes a transaction while its operation is in flight, and
 * adding transactions or changing the total waits for it: requireNoAuthorizationInFlight).
 */
export const authorizeOperation: OperationHandler = {
  send: (op) => paymentProvider().authorize({ ...sentAtProvider(op), kind: op.request.kind as AuthorizationKind }),
  async settle(context, answer) {
    const { tx, caller, at, op } = context;
    const { payment, transactions } = context.locked!;
    const transaction = transactionOf(context);
    const kind = op.request.kind as AuthorizationKind;
    const totalAmount = money(op.request.amount as string);
    if (!answer.ok) {
      // Only the pre-authorization is an authorization attempt (015); adjustments are not counted.
      if (kind === "PRE_AUTHORIZATION")
        await countOutcome(tx, outcomeKeyOf(payment, transaction), answer.unreached ? "failed" : "declined", at);
      return;
    }
    try {
      if (authorizationKind(payment, transactions, transaction, totalAmount) !== kind) throw conflict(kind);
    } catch {
      return misfit(context, transaction);
    }
    const [row] = await tx
      .update(paymentTransactions)
      .set({
        status: "AUTHORIZED",
        amount: toDbAmount(totalAmount),
        authorizedAmount: toDbAmount(totalAmount),
        lastAuthorization: kind,
        amountFrozen: kind === "REDUCTIONAL",
        updatedAt: at,
      })
      .where(eq(paymentTransactions.transactionId, transaction.transactionId))
      .returning();
    await appendOperation(
      tx,
      {
        transactionId: transaction.transactionId,
        paymentId: payment.paymentId,
        operation: "AUTHORIZE",
        amount: totalAmount,
        at,
      },
      caller,
    );
    // The pre-authorization is the transaction's authorization; increments and reductions adjust
    // it and are not new attempts.
    if (kind === "PRE_AUTHORIZATION") await countOutcome(tx, outcomeKeyOf(payment, row), "approved", at);
    await touchPayment(tx, payment.paymentId, at);
  },
};

/**
 * For changes that take from what a payment's transactions may claim (a new transaction, a lower
 * total): refuses while an authorization of one of them is in flight, whose new amount would
 * otherwise land on top of the change.
 * @throws conflict  RESOURCE_BUSY
 */
export async function requireNoAuthorizationInFlight(tx: Tx, paymentId: number): Promise<void> {
  const [row] = await tx
    .select({ id: providerOperations.id })
    .from(providerOperations)
    .where(pendingOnPayment(paymentId, "AUTHORIZE"))
    .limit(1);
  if (row) throw busy();
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
  // A new page or claim does not start under an authorization in flight at the provider.
  await requireNoOperationInFlight(tx, transaction.transactionId);
  await tx
    .update(paymentTransactions)
    .set({ status: "INITIATED", updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId));
  await appendInitiate(tx, caller, transaction, at);
  await touchPayment(tx, transaction.paymentId, at);
}

/** The INITIATE entry, for the transaction's whole amount, of a page or claim that opens. */
export async function appendInitiate(
  tx: Tx,
  caller: Caller,
  transaction: Pick<TransactionRow, "transactionId" | "paymentId" | "amount">,
  at: Date,
): Promise<void> {
  const { transactionId, paymentId } = transaction;
  await appendOperation(
    tx,
    { transactionId, paymentId, operation: "INITIATE", amount: money(transaction.amount), at },
    caller,
  );
}

/**
 * Marks a transaction authorized for its whole amount, logs AUTHORIZE, counts the approved
 * attempt and announces it (a provider page, claim or terminal approved it).
 */
export async function authorizeLocked(
  tx: Tx,
  caller: SystemCaller | ClientCaller,
  payment: { organisationId: number },
  transaction: TransactionRow,
  at: Date,
  extra: Partial<typeof paymentTransactions.$inferInsert> = {},
  callbackUrl: string | null = null,
): Promise<TransactionRow> {
  const amount = money(transaction.amount);
  const [row] = await tx
    .update(paymentTransactions)
    .set({ ...extra, status: "AUTHORIZED", authorizedAmount: toDbAmount(amount), updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId))
    .returning();
  await appendOperation(
    tx,
    { transactionId: row.transactionId, paymentId: row.paymentId, operation: "AUTHORIZE", amount, at },
    caller,
  );
  await countOutcome(tx, outcomeKeyOf(payment, row), "approved", at);
  if (callbackUrl) await announceLocked(tx, caller, payment, row, callbackUrl);
  await touchPayment(tx, row.paymentId, at);
  return row;
}

/** Queues the callback that tells the client what became of its transaction. */
export async function announceLocked(
  tx: Tx,
  caller: SystemCaller | ClientCaller,
  payment: { organisationId: number },
  row: TransactionRow,
  callbackUrl: string,
): Promise<void> {
  await enqueueCallback(tx, {
    url: callbackUrl,
    payload: transactionCallbackPayload(row),
    clientId: caller.kind === "client" ? caller.clientId : null,
    organisationId: payment.organisationId,
    paymentId: row.paymentId,
    transactionId: row.transactionId,
    correlationId: caller.correlationId,
  });
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

/** The staff screens' words for a capture or cancel its transaction's status refuses (errors.transaction). */
function stateRefusal(operation: "capture" | "cancel", status: TransactionStatus): Say {
  if (status === "CAPTURED" || status === "CREDITED")
    return operation === "capture"
      ? { key: "errors.transaction.alreadyCaptured" }
      : { key: "errors.transaction.creditInstead", values: { status } };
  if (status === "CANCELLED")
    return { key: operation === "capture" ? "errors.transaction.cancelled" : "errors.transaction.alreadyCancelled" };
  return { key: "errors.transaction.notCapturable", values: { status } };
}
