// Chargebacks as the staff screens read them: the list (by status and due date, the soonest due
// first among open ones), one chargeback with its transaction's creditable amount and who acted,
// and the chargebacks of a payment, a customer or a settlement (their sections on those screens).
// Read-only: no locks; every action re-checks the state under locks (chargebacks.server.ts).
import { aliasedTable, and, asc, count, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { chargebacks, organisations, payments, paymentTransactions, staffUsers } from "../../../db/schema";
import type { StaffCaller } from "../../domain/caller";
import type { ChargebackStatus } from "../../domain/enums";
import { notFound } from "../../domain/errors";
import { formatAmount, money } from "../../domain/money";
import { amountsOf, creditableAmount } from "../../domain/transaction";
import { db } from "../../platform/db.server";

export const MAX_PER_PAGE = 100;

export type ChargebackFilter = {
  status: ChargebackStatus | null;
  /** Due on or after / on or before these days (YYYY-MM-DD); a chargeback without a due date is left out. */
  dueFrom: string | null;
  dueTo: string | null;
};

const creator = aliasedTable(staffUsers, "chargeback_creator");
const decider = aliasedTable(staffUsers, "chargeback_decider");

const listColumns = {
  chargebackId: chargebacks.chargebackId,
  paymentId: chargebacks.paymentId,
  transactionId: chargebacks.transactionId,
  organisationId: chargebacks.organisationId,
  amount: chargebacks.amount,
  currency: chargebacks.currency,
  status: chargebacks.status,
  reasonCode: chargebacks.reasonCode,
  dueDate: chargebacks.dueDate,
  source: chargebacks.source,
  createdAt: chargebacks.createdAt,
  decidedAt: chargebacks.decidedAt,
  orderId: payments.orderId,
  customerNumber: payments.customerNumber,
  settlementId: payments.settlementId,
  paymentType: paymentTransactions.paymentType,
  paymentTypeGroup: paymentTransactions.paymentTypeGroup,
  cardNumber: paymentTransactions.cardNumber,
};

export type ChargebackListItem = {
  chargebackId: number;
  paymentId: number;
  transactionId: number;
  organisationId: number;
  /** Decimal string as stored. */
  amount: string;
  currency: string;
  status: ChargebackStatus;
  reasonCode: string;
  dueDate: string | null;
  source: string;
  createdAt: Date;
  decidedAt: Date | null;
  orderId: string | null;
  customerNumber: string | null;
  settlementId: string | null;
  paymentType: string | null;
  paymentTypeGroup: string;
  /** Last 4 digits only. */
  cardNumber: string | null;
};

function listQuery(where: SQL | undefined) {
  return db()
    .select(listColumns)
    .from(chargebacks)
    .innerJoin(payments, eq(payments.paymentId, chargebacks.paymentId))
    .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, chargebacks.transactionId))
    .where(where);
}

function filterWhere(filter: ChargebackFilter): SQL | undefined {
  return and(
    filter.status === null ? undefined : eq(chargebacks.status, filter.status),
    filter.dueFrom === null ? undefined : gte(chargebacks.dueDate, filter.dueFrom),
    filter.dueTo === null ? undefined : lte(chargebacks.dueDate, filter.dueTo),
  );
}

/**
 * One page of chargebacks: open ones first, soonest due first (no due date last), then newest.
 * A page past the end is empty.
 */
export async function listChargebacks(
  _caller: StaffCaller,
  input: ChargebackFilter & { page: number; perPage: number },
): Promise<{ items: ChargebackListItem[]; total: number; page: number; perPage: number; pageCount: number }> {
  const page = Math.max(1, Math.trunc(input.page));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(input.perPage)));
  const where = filterWhere(input);
  const [items, [{ total }]] = await Promise.all([
    listQuery(where)
      .orderBy(
        sql`(${chargebacks.status} <> 'OPEN')`,
        sql`${chargebacks.dueDate} asc nulls last`,
        desc(chargebacks.createdAt),
        desc(chargebacks.chargebackId),
      )
      .limit(perPage)
      .offset((page - 1) * perPage),
    db().select({ total: count() }).from(chargebacks).where(where),
  ]);
  return { items, total, page, perPage, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** The chargebacks of a payment, oldest first (its section and its timeline). */
export function chargebacksOfPayment(_caller: StaffCaller, input: { paymentId: number }) {
  return listQuery(eq(chargebacks.paymentId, input.paymentId)).orderBy(asc(chargebacks.chargebackId));
}

/** The chargebacks of a customer's payments, newest first. */
export function chargebacksOfCustomer(_caller: StaffCaller, input: { customerNumber: string }) {
  return listQuery(eq(payments.customerNumber, input.customerNumber)).orderBy(desc(chargebacks.chargebackId));
}

/** The chargebacks of the payments carrying a settlement id, oldest first. */
export function chargebacksOfSettlement(_caller: StaffCaller, input: { settlementId: string }) {
  return listQuery(eq(payments.settlementId, input.settlementId)).orderBy(asc(chargebacks.chargebackId));
}

export type ChargebackDetail = ChargebackListItem & {
  organisationName: string;
  notes: string | null;
  evidence: string | null;
  reportLineId: number | null;
  decisionReason: string | null;
  createdBy: string | null;
  decidedBy: string | null;
  updatedAt: Date;
  /** What the transaction has captured, and what credits and chargebacks still leave of it now. */
  transaction: { status: string; capturedAmount: string; chargedBackAmount: string; creditableAmount: string };
};

/**
 * One chargeback with its payment's facts and the transaction's amounts now.
 * @throws not_found  unknown
 */
export async function chargebackDetail(
  _caller: StaffCaller,
  input: { chargebackId: number },
): Promise<ChargebackDetail> {
  const [row] = await db()
    .select({
      ...listColumns,
      organisationName: organisations.name,
      notes: chargebacks.notes,
      evidence: chargebacks.evidence,
      reportLineId: chargebacks.reportLineId,
      decisionReason: chargebacks.decisionReason,
      createdBy: creator.name,
      decidedBy: decider.name,
      updatedAt: chargebacks.updatedAt,
      transactionRow: paymentTransactions,
    })
    .from(chargebacks)
    .innerJoin(payments, eq(payments.paymentId, chargebacks.paymentId))
    .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, chargebacks.transactionId))
    .innerJoin(organisations, eq(organisations.id, chargebacks.organisationId))
    .leftJoin(creator, eq(creator.id, chargebacks.createdByStaffUserId))
    .leftJoin(decider, eq(decider.id, chargebacks.decidedByStaffUserId))
    .where(eq(chargebacks.chargebackId, input.chargebackId));
  if (!row) throw notFound("Chargeback", input.chargebackId);
  const { transactionRow, ...rest } = row;
  const amounts = amountsOf(transactionRow);
  return {
    ...rest,
    transaction: {
      status: transactionRow.status,
      capturedAmount: formatAmount(amounts.captured),
      chargedBackAmount: formatAmount(money(transactionRow.chargedBackAmount)),
      creditableAmount: formatAmount(creditableAmount(amounts)),
    },
  };
}
