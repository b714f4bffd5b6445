// Payment use-cases: create (optionally with its first transaction), update (total amount,
// reactivation, settlement id), reactivate, deactivate.
import { asc, eq, sql } from "drizzle-orm";
import { payments, providerOperations } from "../../../db/schema";
import { DomainError } from "../../domain/errors";
import { formatAmount, money, sum, toDbAmount, type Money } from "../../domain/money";
import { decidePaymentChange, planDeactivation, requireFirstTransactionPaysTotal } from "../../domain/payment";
import { amountsOf, asksProvider, claimedTotal, creditableAmount } from "../../domain/transaction";
import { db } from "../../platform/db.server";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller, ClientCaller } from "../../domain/caller";
import {
  createCreditLocked,
  DEACTIVATION_REASON,
  executeCreditUnlessFourEyes,
  pendingDeactivationCredits,
} from "../credits/credits.server";
import { moveVolumeToSettlement } from "../../platform/operation-log.server";
import { lockPayment } from "../../platform/locks.server";
import {
  getPayment,
  getPaymentLocked,
  toPaymentView,
  toTransactionView,
  type PaymentRow,
  type PaymentView,
} from "../queries/payment-view.server";
import {
  addTransactionLocked,
  atProvider,
  cancelLocked,
  cancelOperation,
  requireNoAuthorizationInFlight,
  startMethodLookup,
  type NewTransaction,
} from "../transactions/transactions.server";
import {
  continueOperation,
  insertClaim,
  newReference,
  pendingOnPayment,
  requireNoOperationInFlight,
  requireSucceeded,
  type OperationRow,
} from "../../platform/provider-operations.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";
import { preparedStatement } from "../../platform/prepared.server";

export type NewPayment = {
  orderId?: string;
  orderVersion?: number;
  totalAmount: Money;
  currency?: string;
  settlementId?: string;
  customerNumber?: string;
  transaction?: NewTransaction;
};

/** The columns a new payment is written with, all of them given (a prepared statement's are fixed). */
type NewPaymentRow = Required<
  Pick<
    typeof payments.$inferInsert,
    | "organisationId"
    | "orderId"
    | "orderVersion"
    | "totalAmount"
    | "currency"
    | "settlementId"
    | "customerNumber"
    | "createdByClientId"
    | "createdAt"
    | "updatedAt"
  >
>;

/** INSERT … RETURNING of a new payment, built once (app/platform/prepared.server.ts). */
const insertPayment = preparedStatement<PaymentRow[], NewPaymentRow>("insert_payment", (on) =>
  on
    .insert(payments)
    .values({
      organisationId: sql.placeholder("organisationId"),
      orderId: sql.placeholder("orderId"),
      orderVersion: sql.placeholder("orderVersion"),
      totalAmount: sql.placeholder("totalAmount"),
      currency: sql.placeholder("currency"),
      settlementId: sql.placeholder("settlementId"),
      customerNumber: sql.placeholder("customerNumber"),
      createdByClientId: sql.placeholder("createdByClientId"),
      createdAt: sql.placeholder("createdAt"),
      updatedAt: sql.placeholder("updatedAt"),
    })
    .returning(),
);

/**
 * Creates a payment for the client's organisation, with its first transaction when one is given
 * (that transaction then pays the whole totalAmount). An order's first version is 1 unless told.
 * @throws invalid    the transaction's input is incomplete or contradictory (fields under transaction.)
 * @throws forbidden  the transaction asks for what only privileged clients may
 * @throws conflict   a payment for this orderId and orderVersion exists already
 * @throws rule       transaction.amount differs from totalAmount; the transaction's method or currency is not usable
 */
export async function createPayment(caller: ClientCaller, input: NewPayment): Promise<PaymentView> {
  requireFirstTransactionPaysTotal(input.transaction?.amount, input.totalAmount);
  try {
    return await inTransaction(async (tx) => {
      const now = new Date();
      // The insert is started first; the first transaction's payment method is looked up beside
      // it (it needs nothing of the payment), not after it.
      const inserting = insertPayment(tx, {
        organisationId: caller.organisationId,
        orderId: input.orderId ?? null,
        // An order's first version unless told otherwise, so a repeated order is caught.
        orderVersion: input.orderVersion ?? (input.orderId !== undefined ? 1 : null),
        totalAmount: toDbAmount(input.totalAmount),
        currency: input.currency ?? "NOK",
        settlementId: input.settlementId ?? null,
        // Only privileged clients say who the customer is.
        customerNumber: caller.privileged ? (input.customerNumber ?? null) : null,
        createdByClientId: caller.clientId,
        createdAt: now,
        updatedAt: now,
      });
      const method = input.transaction && startMethodLookup(tx, caller, input.transaction);
      const [row] = await inserting;
      // The answer is built from what was written: the payment, and its first transaction with
      // that transaction's CREATE entry.
      if (!input.transaction) return toPaymentView(row, []);
      const transaction = { ...input.transaction, amount: input.totalAmount };
      const written = await addTransactionLocked(tx, caller, { payment: row, transactions: [] }, transaction, {
        at: now,
        method,
      }).catch((error: unknown) => {
        throw error instanceof DomainError ? error.nestedUnder("transaction") : error;
      });
      return toPaymentView(row, [toTransactionView(written.row, [written.created])]);
    });
  } catch (error) {
    if (violatedConstraint(error) === "payments_org_order_version_uq") {
      throw new DomainError(
        "conflict",
        `A payment for order ${input.orderId} version ${input.orderVersion ?? 1} exists already`,
        {
          errors: [{ field: "orderId", message: "already has a payment for this orderVersion" }],
        },
      );
    }
    throw error;
  }
}

/** A merge patch: a key that is absent stays, null removes (where removable). */
export type PaymentPatch = {
  totalAmount?: Money;
  active?: true;
  settlementId?: string | null;
};

/**
 * Changes a payment by merge patch: its totalAmount (never below what its transactions claim),
 * its settlement id (the daily volume moves with it), or reactivates it (active: true with the
 * correct totalAmount).
 * @throws not_found  the payment is unknown or another organisation's
 * @throws invalid    reactivation without a totalAmount
 * @throws conflict   a total change on a deactivated payment without reactivating it
 * @throws rule       totalAmount is below what the transactions claim
 */
export async function updatePayment(
  caller: Caller,
  input: { paymentId: number; patch: PaymentPatch },
): Promise<PaymentView> {
  return patchPayment(caller, input.paymentId, input.patch, { onlyReactivate: false });
}

/**
 * Reactivates a deactivated payment with its correct total amount: the rule of
 * PATCH {active: true, totalAmount}, except that an already active payment is a conflict
 * instead of a total-amount change (a staff user asked to reactivate, not to edit the total).
 * @throws not_found  the payment is unknown or another organisation's
 * @throws conflict   the payment is already active
 * @throws rule       totalAmount is below what the transactions claim
 */
export async function reactivatePayment(
  caller: Caller,
  input: { paymentId: number; totalAmount: Money },
): Promise<PaymentView> {
  return patchPayment(
    caller,
    input.paymentId,
    { active: true, totalAmount: input.totalAmount },
    { onlyReactivate: true },
  );
}

async function patchPayment(
  caller: Caller,
  paymentId: number,
  patch: PaymentPatch,
  { onlyReactivate }: { onlyReactivate: boolean },
): Promise<PaymentView> {
  return inTransaction(async (tx) => {
    const { payment, transactions } = await lockPayment(tx, caller, paymentId);
    if (patch.totalAmount !== undefined) await requireNoAuthorizationInFlight(tx, paymentId);
    const claimed = claimedTotal(transactions.map((t) => ({ status: t.status, amount: money(t.amount) })));
    const { reactivating } = decidePaymentChange(payment, patch, claimed, { onlyReactivate });
    const [updated] = await tx
      .update(payments)
      .set({
        ...(patch.totalAmount !== undefined ? { totalAmount: toDbAmount(patch.totalAmount) } : {}),
        ...(reactivating ? { active: true } : {}),
        ...(patch.settlementId !== undefined ? { settlementId: patch.settlementId } : {}),
        updatedAt: new Date(),
      })
      .where(eq(payments.paymentId, paymentId))
      .returning();
    await auditStaffAction(tx, caller, {
      action: reactivating ? "payment.reactivate" : "payment.update",
      entityType: "payment",
      entityId: paymentId,
      before: auditedPayment(payment),
      after: auditedPayment(updated),
    });
    if (patch.settlementId !== undefined)
      await moveVolumeToSettlement(tx, payment, payment.settlementId, patch.settlementId);
    return getPaymentLocked(tx, caller, { paymentId });
  });
}

/** What a staff audit entry keeps of a payment before and after a change. */
function auditedPayment(row: PaymentRow) {
  return { active: row.active, totalAmount: formatAmount(money(row.totalAmount)), settlementId: row.settlementId };
}

export type DeactivationResult =
  | { kind: "deactivated"; payment: PaymentView }
  /** The deactivation credited more than the four-eyes rule lets its caller execute (docs/decisions/026). */
  | { kind: "awaitsSecondStaffUser"; creditId: number; payment: PaymentView };

/**
 * Deactivates a payment: every CREATED, INITIATED or AUTHORIZED transaction is cancelled and
 * every captured one that was not imported is credited in full (domain/payment.ts
 * planDeactivation); imported ones stay for the client to credit through the transaction's credit
 * route. An authorization the PSP holds is released there (a CANCEL provider operation claimed
 * with the deactivation, asked after it commits). Repeating it finishes cancels and credits that
 * an interrupted earlier call left open. When the four-eyes rule keeps the caller from
 * executing that credit, the payment is deactivated and the credit waits for a second staff user.
 * @throws not_found    the payment is unknown or another organisation's
 * @throws conflict     an operation on one of its transactions is in progress (RESOURCE_BUSY)
 * @throws declined     the provider refused a cancel or a credit (the deactivation and what succeeded stay)
 * @throws unavailable  the provider did not answer: the cancel or credit is in progress and settles later
 */
export async function deactivatePayment(caller: Caller, input: { paymentId: number }): Promise<DeactivationResult> {
  const { paymentId } = input;
  const creditId = await inTransaction(async (tx) => {
    const locked = await lockPayment(tx, caller, paymentId);
    if (!locked.payment.active) return null;
    const at = new Date();
    await tx.update(payments).set({ active: false, updatedAt: at }).where(eq(payments.paymentId, paymentId));
    const plan = planDeactivation(
      locked.transactions.map((t) => ({
        transactionId: t.transactionId,
        status: t.status,
        isImport: t.isImport,
        creditable: creditableAmount(amountsOf(t)),
      })),
    );
    for (const transaction of locked.transactions) {
      if (!plan.cancel.includes(transaction.transactionId)) continue;
      if (asksProvider("CANCEL", transaction)) {
        await insertClaim(tx, caller, {
          kind: "CANCEL",
          subject: {
            organisationId: locked.payment.organisationId,
            paymentId,
            transactionId: transaction.transactionId,
          },
          reference: newReference("CANCEL", transaction.transactionId),
          request: { ...atProvider(transaction, money(transaction.amount)), audit: false },
          asked: false,
        });
      } else {
        await requireNoOperationInFlight(tx, transaction.transactionId);
        await cancelLocked(tx, caller, transaction, at);
      }
    }
    const lines = plan.credit.map((line) => ({ paymentId, ...line }));
    const creditId = lines.length
      ? await createCreditLocked(
          tx,
          caller,
          {
            totalCreditAmount: sum(lines.map((line) => line.amount)),
            creditTransactions: lines,
            reason: DEACTIVATION_REASON,
          },
          new Map([[paymentId, locked]]),
        )
      : null;
    // The cancels and the credit are settled after this transaction commits; the entry records what was decided.
    await auditStaffAction(tx, caller, {
      action: "payment.deactivate",
      entityType: "payment",
      entityId: paymentId,
      before: {
        ...auditedPayment(locked.payment),
        transactions: locked.transactions.map((t) => ({ transactionId: t.transactionId, status: t.status })),
      },
      after: {
        ...auditedPayment({ ...locked.payment, active: false }),
        cancelledTransactionIds: plan.cancel,
        creditId,
        credited: lines.map((line) => ({ transactionId: line.transactionId, amount: formatAmount(line.amount) })),
      },
    });
    return creditId;
  });
  for (const cancel of await pendingCancelsOf(paymentId))
    requireSucceeded(await continueOperation(cancel, cancelOperation));
  const open = creditId ? [creditId] : await pendingDeactivationCredits(paymentId);
  for (const id of open) {
    const execution = await executeCreditUnlessFourEyes(caller, { creditId: id });
    if (execution.kind === "awaitsSecondStaffUser") {
      return { kind: "awaitsSecondStaffUser", creditId: id, payment: await getPayment(caller, { paymentId }) };
    }
  }
  return { kind: "deactivated", payment: await getPayment(caller, { paymentId }) };
}

/** The payment's cancels still in flight at the PSP (a deactivation's, or one interrupted). */
async function pendingCancelsOf(paymentId: number): Promise<OperationRow[]> {
  return db()
    .select()
    .from(providerOperations)
    .where(pendingOnPayment(paymentId, "CANCEL"))
    .orderBy(asc(providerOperations.id));
}
