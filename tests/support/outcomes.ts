// What the daily_outcomes rollup holds: authorization attempts summed over the rows `where`
// selects (zeros when none), for tests that count what they did or what a screen shows.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { dailyOutcomes } from "../../db/schema";

export type OutcomeTotals = { approved: number; declined: number; failed: number };

export async function outcomeTotals(db: Db, where: SQL | undefined): Promise<OutcomeTotals> {
  const [row] = await db
    .select({
      approved: sql<number>`coalesce(sum(${dailyOutcomes.approvedCount}), 0)::int`,
      declined: sql<number>`coalesce(sum(${dailyOutcomes.declinedCount}), 0)::int`,
      failed: sql<number>`coalesce(sum(${dailyOutcomes.failedCount}), 0)::int`,
    })
    .from(dailyOutcomes)
    .where(where);
  return row;
}
