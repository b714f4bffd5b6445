// Settlements for finance: captured, credited, charged back (lost chargebacks, decision 040) and
// net per settlement id, UTC day and currency,
// read from the daily_volume rollup, with the volume of payments without a settlement id (kept
// there under '') as rows of their own, so that the list's totals are the dashboard's
// (volume-rollup.server.ts); and the operations behind one settlement: the CAPTURE, IMPORT
// and CREDIT entries of the operation log of the payments carrying that settlement id, on the
// UTC day the rollup counted them. Read-only: no locks, no log entries.
//
// Captured volume is what CAPTURE and IMPORT moved (an import arrives captured), credited what
// CREDIT moved: the same rule ledger.server.ts and the seed's rollup follow, so a day's
// operations add up to the day's row.
import { and, asc, between, count, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import type { StaffCaller } from "../../domain/caller";
import { readDb } from "../../platform/db.server";
import { rowsOf } from "../../platform/sql-rows.server";
import { dailyVolume, operationLog, payments, paymentTransactions } from "../../../db/schema";
import { addDays } from "../../domain/day-range";
import { keysetBatches } from "../../platform/keyset.server";
import {
  parseVolume,
  splitBySettlement,
  volumeSums,
  volumeSumsFromSql,
  type CurrencyVolume,
  type SettlementSideVolume,
  type SplitVolume,
  type VolumeSumsSqlRow,
} from "./volume-rollup.server";

export const SETTLEMENT_OPERATIONS = ["CAPTURE", "IMPORT", "CREDIT"] as const;

export const MAX_PER_PAGE = 100;

export type SettlementFilter = {
  /** First and last UTC day, both included, "YYYY-MM-DD". */
  from: string;
  to: string;
  /** Exact settlement id, or null for all (and the volume without one). */
  settlementId: string | null;
  currency: string | null;
};

export type Page = { page: number; perPage: number };

/** Amounts are decimal strings as the database sums them. */
export type SettlementDay = CurrencyVolume & {
  /** '' for the day's volume of payments without a settlement id. */
  settlementId: string;
  day: string;
};

export type CurrencyTotals = CurrencyVolume;

export type SettlementDayList = {
  items: SettlementDay[];
  /** Settlement days (and days without one) matching the filter, over all pages. */
  total: number;
  /**
   * The whole filtered set per currency (never added across currencies), with the parts under a
   * settlement id and without one: the dashboard's totals for the same range.
   */
  totals: SplitVolume[];
  page: number;
  perPage: number;
  pageCount: number;
};

const sums = {
  ...volumeSums,
  net: sql<string>`(sum(${dailyVolume.capturedAmount}) - sum(${dailyVolume.creditedAmount}) - sum(${dailyVolume.chargedBackAmount}))::text`,
};

const dayColumns = {
  settlementId: dailyVolume.settlementId,
  day: dailyVolume.day,
  currency: dailyVolume.currency,
  ...sums,
};

function whereFor(filter: SettlementFilter): SQL | undefined {
  return and(
    between(dailyVolume.day, filter.from, filter.to),
    filter.settlementId === null ? undefined : eq(dailyVolume.settlementId, filter.settlementId),
    filter.currency === null ? undefined : eq(dailyVolume.currency, filter.currency),
  );
}

function pageOf(options: Page): Page {
  return {
    page: Math.max(1, Math.trunc(options.page)),
    perPage: Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(options.perPage))),
  };
}

/** A row of listSettlementDays' statement: a settlement day of the page, or (days set) a currency's side. */
type AnswerRow = {
  settlement_id: string | null;
  day: string | null;
  currency: string;
  without_settlement: boolean | null;
  days: string | number | null;
  net: string | null;
} & VolumeSumsSqlRow;

/**
 * One page of settlement days, newest day first, then by settlement id and currency, with the
 * count and per-currency totals of the whole filtered set. A page past the end is empty.
 */
export async function listSettlementDays(
  _caller: StaffCaller,
  input: SettlementFilter & Page,
): Promise<SettlementDayList> {
  const filter = input;
  const database = readDb();
  const { page, perPage } = pageOf(filter);
  // The filtered settlement days are summed once, and one statement answers both the page of
  // them and, per currency and side (with or without a settlement id), their count and totals.
  // Written as one template rather than with the query builder: building a select with a CTE
  // and a union costs ~1 ms a call, more than the whole statement for one settlement id.
  const rows = await rowsOf<AnswerRow>(
    database,
    sql`
    with settlement_days as (
      select day, settlement_id, currency,
             sum(captured_amount) as captured, sum(captured_count) as captured_count,
             sum(credited_amount) as credited, sum(credited_count) as credited_count,
             sum(charged_back_amount) as charged_back, sum(charged_back_count) as charged_back_count
        from ${dailyVolume} where ${whereFor(filter)}
       group by day, settlement_id, currency)
    select * from (
      -- The page: days is null on its rows, and only on them.
      (select settlement_id, day::text as day, currency, null::boolean as without_settlement, null::bigint as days,
              captured::text as captured, captured_count::bigint as captured_count,
              credited::text as credited, credited_count::bigint as credited_count,
              charged_back::text as charged_back, charged_back_count::bigint as charged_back_count,
              (captured - credited - charged_back)::text as net
         from settlement_days
        order by settlement_days.day desc, settlement_id, currency
        limit ${perPage} offset ${(page - 1) * perPage})
      union all
      -- Per currency and side, the count and totals of all of them.
      (select null, null, currency, settlement_id = '', count(*),
              sum(captured)::text, sum(captured_count)::bigint, sum(credited)::text, sum(credited_count)::bigint,
              sum(charged_back)::text, sum(charged_back_count)::bigint, null
         from settlement_days group by currency, settlement_id = '')
    ) answer
    -- The page in its order (a union keeps none of its own; the day as ISO text sorts as the date).
    order by days nulls first, day desc, settlement_id, currency`,
  );
  const items: SettlementDay[] = [];
  const perCurrency: Array<SettlementSideVolume & { days: number }> = [];
  for (const row of rows) {
    const volume = volumeSumsFromSql(row);
    if (row.days === null)
      items.push({ settlementId: row.settlement_id!, day: row.day!, currency: row.currency, ...volume, net: row.net! });
    else
      perCurrency.push({
        currency: row.currency,
        withoutSettlement: row.without_settlement!,
        days: Number(row.days),
        volume: parseVolume(volume),
      });
  }
  const total = perCurrency.reduce((sum, row) => sum + row.days, 0);
  const totals = splitBySettlement(perCurrency);
  return { items, total, totals, page, perPage, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** The whole filtered set in the list's order, a keyset page at a time (for the CSV export). */
export function settlementDayBatches(_caller: StaffCaller, input: SettlementFilter): AsyncGenerator<SettlementDay[]> {
  const filter = input;
  const database = readDb();
  type Cursor = Pick<SettlementDay, "day" | "settlementId" | "currency">;
  return keysetBatches<SettlementDay, Cursor>(
    (after, size) =>
      database
        .select(dayColumns)
        .from(dailyVolume)
        .where(
          and(
            whereFor(filter),
            // Newest day first, then settlement id and currency ascending: the grouping keys are
            // columns of the rollup, so the cursor condition goes before the GROUP BY. The plain
            // `day <=` lets the index scan start at the cursor instead of at the newest day.
            after === null ? undefined : lte(dailyVolume.day, after.day),
            after === null
              ? undefined
              : or(
                  lt(dailyVolume.day, after.day),
                  sql`(${dailyVolume.settlementId}, ${dailyVolume.currency}) > (${after.settlementId}, ${after.currency})`,
                ),
          ),
        )
        .groupBy(dailyVolume.day, dailyVolume.settlementId, dailyVolume.currency)
        .orderBy(desc(dailyVolume.day), asc(dailyVolume.settlementId), asc(dailyVolume.currency))
        .limit(size),
    ({ day, settlementId, currency }) => ({ day, settlementId, currency }),
  );
}

// ---------------------------------------------------------------- one settlement

export type SettlementScope = {
  settlementId: string;
  /** One UTC day, or null for every day of the settlement. */
  day: string | null;
};

/** What the settlement's rollup says, per day and currency (oldest day first). */
export async function getSettlementSummary(
  _caller: StaffCaller,
  input: { settlementId: string },
): Promise<SettlementDay[]> {
  const scope = input;
  // A template, as listSettlementDays: building the select costs about what the read takes.
  const rows = await rowsOf<AnswerRow>(
    readDb(),
    sql`select settlement_id, day::text as day, currency,
               sum(captured_amount)::text as captured, sum(captured_count)::bigint as captured_count,
               sum(credited_amount)::text as credited, sum(credited_count)::bigint as credited_count,
               sum(charged_back_amount)::text as charged_back, sum(charged_back_count)::bigint as charged_back_count,
               (sum(captured_amount) - sum(credited_amount) - sum(charged_back_amount))::text as net
          from ${dailyVolume} where settlement_id = ${scope.settlementId}
         group by day, settlement_id, currency
         order by day, currency`,
  );
  return rows.map((row) => ({
    settlementId: row.settlement_id!,
    day: row.day!,
    currency: row.currency,
    ...volumeSumsFromSql(row),
    net: row.net!,
  }));
}

export type SettlementOperation = {
  operationId: number;
  createdAt: Date;
  operation: string;
  /** Decimal string as stored. */
  amount: string;
  currency: string;
  paymentId: number;
  transactionId: number;
  paymentType: string | null;
  paymentTypeGroup: string;
  /** Last 4 digits of the card, when it was a card. */
  cardNumber: string | null;
  orderId: string | null;
  actor: string;
  clientName: string | null;
};

export type SettlementOperationList = {
  items: SettlementOperation[];
  total: number;
  page: number;
  perPage: number;
  pageCount: number;
};

const operationColumns = {
  operationId: operationLog.id,
  createdAt: operationLog.createdAt,
  operation: operationLog.operation,
  amount: sql<string>`${operationLog.amount}::text`,
  currency: paymentTransactions.currency,
  paymentId: operationLog.paymentId,
  transactionId: operationLog.transactionId,
  paymentType: paymentTransactions.paymentType,
  paymentTypeGroup: paymentTransactions.paymentTypeGroup,
  cardNumber: paymentTransactions.cardNumber,
  orderId: payments.orderId,
  actor: operationLog.actor,
  clientName: operationLog.clientName,
};

/**
 * The settlement's payments (payments_settlement_id_idx), their log entries (operation_log_
 * payment_idx), kept when they moved money on the chosen UTC day.
 */
function operationsWhere(scope: SettlementScope): SQL | undefined {
  return and(
    eq(payments.settlementId, scope.settlementId),
    inArray(operationLog.operation, [...SETTLEMENT_OPERATIONS]),
    scope.day === null ? undefined : gte(operationLog.createdAt, new Date(`${scope.day}T00:00:00Z`)),
    scope.day === null ? undefined : lt(operationLog.createdAt, new Date(`${addDays(scope.day, 1)}T00:00:00Z`)),
  );
}

function operationsQuery(database: Db, where: SQL | undefined) {
  return database
    .select(operationColumns)
    .from(operationLog)
    .innerJoin(payments, eq(payments.paymentId, operationLog.paymentId))
    .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, operationLog.transactionId))
    .where(where)
    .orderBy(asc(operationLog.createdAt), asc(operationLog.id));
}

/** One page of the operations behind a settlement (or one of its days), oldest first. */
export async function listSettlementOperations(
  _caller: StaffCaller,
  input: SettlementScope & Page,
): Promise<SettlementOperationList> {
  const scope = input;
  const database = readDb();
  const { page, perPage } = pageOf(scope);
  const where = operationsWhere(scope);
  const [items, [{ total }]] = await Promise.all([
    operationsQuery(database, where)
      .limit(perPage)
      .offset((page - 1) * perPage),
    database
      .select({ total: count() })
      .from(operationLog)
      .innerJoin(payments, eq(payments.paymentId, operationLog.paymentId))
      .where(where),
  ]);
  return { items, total, page, perPage, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** Every operation behind a settlement (or day) in the list's order, a keyset page at a time. */
export function settlementOperationBatches(
  _caller: StaffCaller,
  input: SettlementScope,
): AsyncGenerator<SettlementOperation[]> {
  const scope = input;
  const database = readDb();
  type Cursor = { createdAt: Date; operationId: number };
  return keysetBatches<SettlementOperation, Cursor>(
    (after, size) =>
      operationsQuery(
        database,
        and(
          operationsWhere(scope),
          after === null
            ? undefined
            : sql`(${operationLog.createdAt}, ${operationLog.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.operationId})`,
        ),
      ).limit(size),
    ({ createdAt, operationId }) => ({ createdAt, operationId }),
  );
}
