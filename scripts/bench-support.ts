// Shared by the benchmark scripts: timing, percentiles and EXPLAIN summaries of the slowest calls.
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Db } from "../db/client";
import type { StaffCaller } from "../app/domain/caller";
import * as schema from "../db/schema";

/** The staff user the benchmarks list and search as. */
export const BENCH_STAFF: StaffCaller = {
  kind: "staff",
  userId: "bench",
  email: "bench@paydesk.invalid",
  correlationId: "bench",
  ip: "127.0.0.1",
  userAgent: null,
  reason: null,
};

export function percentile(sorted: number[], p: number): number {
  // Nearest rank: with 20 runs, p95 is the 19th fastest.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The plan's nodes with their actual times and buffers, without the per-node detail lines. */
export function summarise(lines: string[]): string[] {
  const kept = lines.filter(
    (line) =>
      /->|^\S/.test(line) ||
      /^\s*(Buffers|Index Cond|Filter|Rows Removed|Sort Method|Planning Time|Execution Time|Hash Cond|Recheck Cond)/.test(
        line,
      ),
  );
  const short = kept.map((line) => (line.length > 180 ? `${line.slice(0, 180)}…` : line));
  return short.length > 40 ? [...short.slice(0, 38), `… ${short.length - 38} more lines`] : short;
}

/** One warm-up call, then `runs` timed calls one after another: median and p95 in ms, and the last outcome. */
export async function timeRuns<T>(
  run: () => Promise<T>,
  runs: number,
): Promise<{ median: number; p95: number; outcome: T }> {
  let outcome = await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    outcome = await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95), outcome };
}

/**
 * Runs each of the slowest calls once more with its SQL captured, and prints every statement with
 * a summary of its EXPLAIN (ANALYZE, BUFFERS).
 */
export async function explainSlowest(
  pg: postgres.Sql,
  results: readonly { label: string; p95: number; run: (database: Db) => Promise<unknown> }[],
  count: number,
): Promise<void> {
  for (const result of [...results].sort((a, b) => b.p95 - a.p95).slice(0, count)) {
    const captured: { query: string; params: unknown[] }[] = [];
    const logged = drizzle(pg, {
      schema,
      logger: { logQuery: (query, params) => void captured.push({ query, params }) },
    }) as unknown as Db;
    await result.run(logged);
    console.log(`\n=== ${result.label} (p95 ${result.p95.toFixed(1)} ms)`);
    for (const { query, params } of captured) {
      const plan = await pg.unsafe(`explain (analyze, buffers) ${query}`, params as postgres.ParameterOrJSON<never>[]);
      console.log(`--- ${query.length > 240 ? `${query.slice(0, 240)}…` : query}`);
      for (const line of summarise(plan.map((row) => String(row["QUERY PLAN"])))) console.log(`    ${line}`);
    }
  }
}

export type Timing = { median: number; p95: number };

/**
 * Paydesk and the hand-written SQL doing the same work, interleaved (one call of each in turn,
 * after one warm-up of each), so a change in the machine's load hits both alike: median and p95
 * in ms of each, and Paydesk's last outcome. On a shared machine the ratio is the figure to read.
 */
export async function timeBeside<T>(
  paydesk: () => Promise<T>,
  raw: () => Promise<unknown>,
  runs: number,
): Promise<{ paydesk: Timing; raw: Timing; outcome: T }> {
  let outcome = await paydesk();
  await raw();
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    outcome = await paydesk();
    ours.push(performance.now() - t0);
    t0 = performance.now();
    await raw();
    theirs.push(performance.now() - t0);
  }
  const timing = (times: number[]): Timing => {
    times.sort((a, b) => a - b);
    return { median: percentile(times, 0.5), p95: percentile(times, 0.95) };
  };
  return { paydesk: timing(ours), raw: timing(theirs), outcome };
}

/** "1.2×/1.4×": Paydesk's median over the raw SQL's, then the same of the p95s. */
export const ratio = (paydesk: Timing, raw: Timing) =>
  `${(paydesk.median / Math.max(raw.median, 0.001)).toFixed(1)}×/${(paydesk.p95 / Math.max(raw.p95, 0.001)).toFixed(1)}×`;
