// Counting a search's matches without reading all of them: exact up to a cap, the planner's
// estimate above it (docs/decisions/029-bounded-counts-and-read-paths.md). An exact count of a
// broad match (hundreds of thousands of payments) reads every matching row; counting only up to
// the cap reads at most cap + 1 of them, and the estimate comes from the statistics ANALYZE keeps.
import { count, sql, type SQL } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client";
import { EXACT_COUNT_CAP } from "../domain/search-filter";

/** How many rows match: exact, or (above the cap) an estimate of at least cap + 1. */
export type MatchCount = { count: number; estimated: boolean };

/**
 * Counts the rows `matching` builds (a `select 1 from … where …` with no limit) up to `cap`;
 * above it asks the planner how many rows it expects (EXPLAIN, which runs nothing) of
 * `estimateFrom` (default: the same query; another where the planner estimates that form
 * better) and answers that, but never less than cap + 1, since that many were seen. Builder
 * functions, because Drizzle's `.limit()` changes the query it is called on.
 */
export async function countUpToCap(
  database: Db,
  matching: () => PgSelect,
  options: { cap?: number; estimateFrom?: () => PgSelect } = {},
): Promise<MatchCount> {
  const cap = options.cap ?? EXACT_COUNT_CAP;
  const bounded = matching()
    .limit(cap + 1)
    .as("bounded");
  const [{ n }] = await database.select({ n: count() }).from(bounded);
  if (n <= cap) return { count: n, estimated: false };
  return estimatedCount(database, (options.estimateFrom ?? matching)(), cap);
}

/** For a match known to exceed `cap`: the planner's estimate, rounded, and at least cap + 1. */
export async function estimatedCount(database: Db, matching: PgSelect, cap = EXACT_COUNT_CAP): Promise<MatchCount> {
  const estimate = await plannedRows(database, matching.getSQL());
  return { count: Math.max(cap + 1, roundEstimate(estimate)), estimated: true };
}

/**
 * The planner's row estimate for a query (EXPLAIN without ANALYZE: nothing is run). A prepared
 * EXPLAIN is planned afresh with its values on every run, never with a cached generic plan, so
 * a week and a year of createdAt get their own estimates.
 */
async function plannedRows(database: Db, query: SQL): Promise<number> {
  const result = await database.execute(sql`explain (format json) ${query}`);
  // postgres.js answers an array of rows, PGlite an object with `rows`.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const raw = rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: { "Plan Rows": number } }];
  return Math.round(plan[0].Plan["Plan Rows"]);
}

/** Three significant digits: an estimate should not look more precise than it is (426 000, not 426 117). */
export function roundEstimate(value: number): number {
  if (value < 1000) return Math.round(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Math.round(value / unit) * unit;
}
