// What the operation log itself says was captured and credited, per currency: the independent
// answer that the dashboard and settlements (which read the daily_volume rollup) must match.
// Captured is CAPTURE and IMPORT (an import arrives captured), credited is CREDIT.
import { and, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { chargebacks, operationLog, payments, paymentTransactions } from "../../db/schema";
import { addDays } from "../../app/domain/day-range";
import { money, type Money } from "../../app/domain/money";

export type LoggedVolume = {
  currency: string;
  captured: Money;
  capturedCount: number;
  credited: Money;
  creditedCount: number;
};

/** Operations from the start of UTC day `from` to the end of UTC day `to`. */
export function onUtcDays(from: string, to: string): SQL {
  return and(
    gte(operationLog.createdAt, new Date(`${from}T00:00:00Z`)),
    lt(operationLog.createdAt, new Date(`${addDays(to, 1)}T00:00:00Z`)),
  )!;
}

/** Per currency, ordered by currency; `where` may use operation_log, payments and payment_transactions. */
export async function volumeFromLog(db: Db, where: SQL | undefined): Promise<LoggedVolume[]> {
  const rows = await db
    .select({
      currency: paymentTransactions.currency,
      captured: sql<string>`coalesce(sum(${operationLog.amount}) filter (where ${operationLog.operation} in ('CAPTURE', 'IMPORT')), 0)::text`,
      capturedCount: sql<number>`(count(*) filter (where ${operationLog.operation} in ('CAPTURE', 'IMPORT')))::int`,
      credited: sql<string>`coalesce(sum(${operationLog.amount}) filter (where ${operationLog.operation} = 'CREDIT'), 0)::text`,
      creditedCount: sql<number>`(count(*) filter (where ${operationLog.operation} = 'CREDIT'))::int`,
    })
    .from(operationLog)
    .innerJoin(payments, eq(payments.paymentId, operationLog.paymentId))
    .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, operationLog.transactionId))
    .where(and(inArray(operationLog.operation, ["CAPTURE", "IMPORT", "CREDIT"]), where))
    .groupBy(paymentTransactions.currency)
    .orderBy(paymentTransactions.currency);
  return rows.map((row) => ({ ...row, captured: money(row.captured), credited: money(row.credited) }));
}

/**
 * What lost chargebacks took per currency, from the chargebacks themselves (they are no
 * operation-log entries; docs/decisions/040): decided LOST from the start of UTC day `from` to the
 * end of `to`; `where` may use chargebacks and payments.
 */
export async function lostChargebacks(
  db: Db,
  from: string,
  to: string,
  where?: SQL,
): Promise<Map<string, { chargedBack: Money; chargedBackCount: number }>> {
  const rows = await db
    .select({
      currency: chargebacks.currency,
      chargedBack: sql<string>`sum(${chargebacks.amount})::text`,
      chargedBackCount: sql<number>`count(*)::int`,
    })
    .from(chargebacks)
    .innerJoin(payments, eq(payments.paymentId, chargebacks.paymentId))
    .where(
      and(
        eq(chargebacks.status, "LOST"),
        gte(chargebacks.decidedAt, new Date(`${from}T00:00:00Z`)),
        lt(chargebacks.decidedAt, new Date(`${addDays(to, 1)}T00:00:00Z`)),
        where,
      ),
    )
    .groupBy(chargebacks.currency);
  return new Map(
    rows.map((row) => [row.currency, { chargedBack: money(row.chargedBack), chargedBackCount: row.chargedBackCount }]),
  );
}
