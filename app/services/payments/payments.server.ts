// Payment use-cases (seed 000): create, update (total amount, reactivation, settlement id),
// deactivate.
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { payments } from "../../../db/schema";
import { conflict, DomainError, ruleBroken } from "../../domain/errors";
import { formatAmount, money, toDbAmount, type Money } from "../../domain/money";
import { amountsOf, CANCELLABLE, claimedTotal, creditableAmount } from "../../domain/transaction";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller, ClientCaller } from "../../domain/caller";
import {
  createCreditLocked,
  DEACTIVATION_REASON,
  executeCredit,
  pendingDeactivationCredits,
} from "../credits/credits.server";
import { moveVolumeToSettlement } from "../../platform/operation-log.server";
import { lockPayment } from "../../platform/locks.server";
import { getPayment, type PaymentRow, type PaymentView } from "../queries/payment-view.server";
import { cancelLocked, insertTransaction, type NewTransaction } from "../transactions/transactions.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

export type NewPayment = {
  orderId?: string;
  orderVersion?: number;
  totalAmount: Money;
  currency?: string;
  settlementId?: string;
  customerNumber?: string;
  transaction?: NewTransaction;
};

export async function createPayment(caller: ClientCaller, input: NewPayment): Promise<PaymentView> {
  if (input.transaction?.amount !== undefined && input.transaction.amount !== input.totalAmount) {
    throw ruleBroken(
      `transaction.amount ${formatAmount(input.transaction.amount)} must equal totalAmount ${formatAmount(input.totalAmount)}`,
      "transaction.amount",
    );
  }
  try {
    return await inTransaction(async (tx) => {
      const now = new Date();
      const [row] = await tx
        .insert(payments)
        .values({
          organisationId: caller.organisationId,
          orderId: input.orderId ?? null,
          // An order's first version unless told otherwise, so a repeated order is caught.
          orderVersion: input.orderVersion ?? (input.orderId !== undefined ? 1 : null),
          totalAmount: toDbAmount(input.totalAmount),
          currency: input.currency ?? "NOK",
          settlementId: input.settlementId ?? null,
          // Only privileged clients say who the customer is (seed 000).
          customerNumber: caller.privileged ? (input.customerNumber ?? null) : null,
          createdByClientId: caller.clientId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (input.transaction) {
        const transaction = { ...input.transaction, amount: input.totalAmount };
        await insertTransaction(tx, caller, { payment: row, transactions: [] }, transaction).catch((error: unknown) => {
          throw error instanceof DomainError ? error.nestedUnder("transaction") : error;
        });
      }
      return getPayment(tx, caller, row.paymentId);
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

export async function updatePayment(caller: Caller, paymentId: number, patch: PaymentPatch): Promise<PaymentView> {
  return patchPayment(caller, paymentId, patch, { onlyInactive: false });
}

/**
 * Reactivates a deactivated payment with its correct total amount: the rule of
 * PATCH {active: true, totalAmount}, except that an already active payment is a conflict
 * instead of a total-amount change (a staff user asked to reactivate, not to edit the total).
 */
export async function reactivatePayment(caller: Caller, paymentId: number, totalAmount: Money): Promise<PaymentView> {
  return patchPayment(caller, paymentId, { active: true, totalAmount }, { onlyInactive: true });
}

async function patchPayment(
  caller: Caller,
  paymentId: number,
  patch: PaymentPatch,
  { onlyInactive }: { onlyInactive: boolean },
): Promise<PaymentView> {
  return inTransaction(async (tx) => {
    const { payment, transactions } = await lockPayment(tx, caller, paymentId);
    if (onlyInactive && payment.active) throw conflict(`Payment ${paymentId} is already active`);
    const reactivating = patch.active === true && !payment.active;
    if (reactivating && patch.totalAmount === undefined) {
      throw new DomainError("invalid", "Reactivating a payment needs its correct totalAmount in the same patch", {
        errors: [{ field: "totalAmount", message: "is required when reactivating (active: true)" }],
      });
    }
    if (!payment.active && !reactivating && patch.totalAmount !== undefined) {
      throw conflict(`Payment ${paymentId} is deactivated; send active: true with the totalAmount to reactivate it`);
    }
    if (patch.totalAmount !== undefined) {
      const claimed = claimedTotal(transactions.map((t) => ({ status: t.status, amount: money(t.amount) })));
      if (patch.totalAmount < claimed) {
        throw ruleBroken(
          `totalAmount ${formatAmount(patch.totalAmount)} is less than its transactions already hold (${formatAmount(claimed)})`,
          "totalAmount",
        );
      }
    }
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
    return getPayment(tx, caller, paymentId);
  });
}

/** What a staff audit entry keeps of a payment before and after a change. */
function auditedPayment(row: PaymentRow) {
  return { active: row.active, totalAmount: formatAmount(money(row.totalAmount)), settlementId: row.settlementId };
}

/**
 * Deactivates a payment (seed 000): every CREATED, INITIATED or AUTHORIZED transaction is
 * cancelled and every captured one that was not imported is credited in full; imported ones
 * stay for the client to credit through the transaction's credit route. Repeating it finishes
 * credits that an interrupted earlier call left open.
 */
export async function deactivatePayment(caller: Caller, database: Db, paymentId: number): Promise<PaymentView> {
  const creditId = await inTransaction(async (tx) => {
    const locked = await lockPayment(tx, caller, paymentId);
    if (!locked.payment.active) return null;
    const at = new Date();
    await tx.update(payments).set({ active: false, updatedAt: at }).where(eq(payments.paymentId, paymentId));
    const lines = [];
    const cancelled: number[] = [];
    for (const transaction of locked.transactions) {
      const status = transaction.status;
      if (CANCELLABLE.has(status)) {
        await cancelLocked(tx, caller, transaction, at);
        cancelled.push(transaction.transactionId);
      } else if (status === "CAPTURED" && !transaction.isImport) {
        const creditable = creditableAmount(amountsOf(transaction));
        if (creditable > 0n) lines.push({ paymentId, transactionId: transaction.transactionId, amount: creditable });
      }
    }
    const creditId = lines.length
      ? await createCreditLocked(
          tx,
          caller,
          {
            totalCreditAmount: lines.reduce((total, line) => (total + line.amount) as Money, 0n as Money),
            creditTransactions: lines,
            reason: DEACTIVATION_REASON,
          },
          new Map([[paymentId, locked]]),
        )
      : null;
    // The credit is executed after this transaction commits; the entry records what was decided.
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
        cancelledTransactionIds: cancelled,
        creditId,
        credited: lines.map((line) => ({ transactionId: line.transactionId, amount: formatAmount(line.amount) })),
      },
    });
    return creditId;
  });
  const open = creditId ? [creditId] : await pendingDeactivationCredits(database, paymentId);
  for (const id of open) await executeCredit(caller, id, database);
  return getPayment(database, caller, paymentId);
}
