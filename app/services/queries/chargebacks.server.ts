// Chargebacks as the staff screens read them: the list (by status and due date, the soonest due
// first among open ones, paged by keyset like the other growing lists), one chargeback with its transaction's creditable amount and who acted,
// and the chargebacks of a payment, a customer or a settlement (their sections on those screens).
// Read-only: no locks; every action re-checks the state under locks (chargebacks.server.ts).
import { aliasedTable, and, asc, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { chargebacks, organisations, payments, paymentTransactions, staffUsers } from "../../../db/schema";
import type { StaffCaller } from "../../domain/caller";
import type { ChargebackStatus } from "../../domain/enums";
import { notFound } from "../../domain/errors";
import { formatAmount, money } from "../../domain/money";
import { amountsOf, creditableAmount } from "../../domain/transaction";
import { countUpToCap, type MatchCount } from "../../platform/bounded-count.server";
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
 * A row's place in the list's order: open ones first, then by due date (none last), then newest
 * first. The URL carries it as `older=` / `newer=` (placeToParam), so a page starts where the
 * previous one ended however deep the list is, and a row that changes meanwhile moves no other.
 */
export type ChargebackPlace = { open: boolean; dueDate: string | null; createdAt: Date; id: number };

/** The page after or before a place; null: the first page. */
export type ChargebackCursor = { direction: "older" | "newer"; from: ChargebackPlace } | null;

/** A due date no chargeback has: "no due date" sorts after every real one. */
const NO_DUE_DATE = "9999-12-31";
const closedKey = sql`(${chargebacks.status} <> 'OPEN')`;
const dueKey = sql`coalesce(${chargebacks.dueDate}, ${NO_DUE_DATE}::date)`;

/** "o_2027-01-15_2026-12-06T10:15:30.123Z_42": a place as the URL carries it ("-": no due date). */
export function placeToParam(place: ChargebackPlace): string {
  return `${place.open ? "o" : "c"}_${place.dueDate ?? "-"}_${place.createdAt.toISOString()}_${place.id}`;
}

export function placeFromParam(value: string): ChargebackPlace | null {
  const match = /^([oc])_(\d{4}-\d{2}-\d{2}|-)_(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([1-9][0-9]{0,15})$/.exec(
    value,
  );
  if (!match) return null;
  const createdAt = new Date(match[3]);
  const id = Number(match[4]);
  const dueDate = match[2] === "-" ? null : match[2];
  if (Number.isNaN(createdAt.getTime()) || !Number.isSafeInteger(id)) return null;
  if (dueDate !== null && Number.isNaN(new Date(`${dueDate}T00:00:00Z`).getTime())) return null;
  return { open: match[1] === "o", dueDate, createdAt, id };
}

/** The cursor of a list URL's `older=` or `newer=` (one not of ours shows the first page). */
export function chargebackCursorOf(params: URLSearchParams): ChargebackCursor {
  const older = placeFromParam(params.get("older") ?? "");
  const newer = placeFromParam(params.get("newer") ?? "");
  return older ? { direction: "older", from: older } : newer ? { direction: "newer", from: newer } : null;
}

/**
 * Rows strictly beyond the cursor in the list's order. The order mixes directions (status and due
 * date ascending, creation descending), so it is two row comparisons rather than one.
 */
function beyond(cursor: NonNullable<ChargebackCursor>): SQL {
  const { from } = cursor;
  const [ahead, back] = cursor.direction === "older" ? [sql.raw(">"), sql.raw("<")] : [sql.raw("<"), sql.raw(">")];
  const head = sql`(${closedKey}, ${dueKey})`;
  const headAt = sql`(${!from.open}::boolean, ${from.dueDate ?? NO_DUE_DATE}::date)`;
  return sql`(${head} ${ahead} ${headAt} or (${head} = ${headAt} and (${chargebacks.createdAt}, ${
    chargebacks.chargebackId
  }) ${back} (${from.createdAt.toISOString()}::timestamptz, ${from.id}::bigint)))`;
}

function orderFor(cursor: ChargebackCursor): SQL[] {
  return cursor?.direction === "newer"
    ? [sql`${closedKey} desc`, sql`${dueKey} desc`, asc(chargebacks.createdAt), asc(chargebacks.chargebackId)]
    : [closedKey, dueKey, desc(chargebacks.createdAt), desc(chargebacks.chargebackId)];
}

const placeOf = (item: ChargebackListItem): ChargebackPlace => ({
  open: item.status === "OPEN",
  dueDate: item.dueDate,
  createdAt: item.createdAt,
  id: item.chargebackId,
});

export type ChargebackPage = {
  items: ChargebackListItem[];
  /** Where the pages before and after this one start; null where there is none. */
  newer: ChargebackPlace | null;
  older: ChargebackPlace | null;
  /** Chargebacks matching the filter (not the cursor): exact up to 10 000, estimated above. */
  matching: MatchCount;
  perPage: number;
};

/**
 * One keyset page of chargebacks: open ones first, soonest due first (no due date last), then
 * newest; reads one row more than it shows to know whether another page follows.
 */
export async function listChargebacks(
  _caller: StaffCaller,
  input: ChargebackFilter & { cursor: ChargebackCursor; perPage: number },
): Promise<ChargebackPage> {
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(input.perPage)));
  const cursor = input.cursor;
  const where = filterWhere(input);
  const [fetched, matching] = await Promise.all([
    listQuery(and(where, cursor ? beyond(cursor) : undefined))
      .orderBy(...orderFor(cursor))
      .limit(perPage + 1),
    countUpToCap(db(), () =>
      db()
        .select({ one: sql`1` })
        .from(chargebacks)
        .where(where)
        .$dynamic(),
    ),
  ]);
  const backwards = cursor?.direction === "newer";
  const more = fetched.length > perPage;
  const items = fetched.slice(0, perPage);
  if (backwards) items.reverse();
  // Coming from a cursor, the cursor's row lies on the other side: a page exists there.
  const hasNewer = backwards ? more : cursor !== null;
  const hasOlder = backwards ? true : more;
  const first = items[0];
  const last = items.at(-1);
  return {
    items,
    newer: hasNewer ? (first ? placeOf(first) : cursor!.from) : null,
    older: hasOlder ? (last ? placeOf(last) : cursor!.from) : null,
    matching,
    perPage,
  };
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
