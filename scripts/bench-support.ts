// Shared by the benchmark scripts: timing, percentiles, EXPLAIN summaries of the slowest calls,
// the machine's load, and the app server as a child process.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { openDatabase, setDatabase, type Db, type DatabaseHandle } from "../db/client";
import type { StaffCaller } from "../app/domain/caller";
import * as schema from "../db/schema";

/** The PostgreSQL server the benchmarks use: BENCH_DATABASE_URL, DATABASE_URL or the local one. */
export const BENCH_SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A benchmark's command line: `flag("--db")` is the word after --db, if it is there;
 * `count("--runs", 3)` a whole number of at least 1 (the fallback where it is missing or not a
 * number); `only` the --only pattern, case-insensitive; `database(fallback)` the --db name, which
 * must be a plain lower-case identifier (else the script exits 2: it is spliced into SQL).
 */
export function benchArgs(args: readonly string[] = process.argv.slice(2)) {
  const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const pattern = flag("--only");
  return {
    has: (name: string) => args.includes(name),
    flag,
    count: (name: string, fallback: number) =>
      Math.max(1, Number.parseInt(flag(name) ?? String(fallback), 10) || fallback),
    only: pattern ? new RegExp(pattern, "i") : null,
    database(fallback: string): string {
      const name = flag("--db") ?? fallback;
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
        console.error("--db must be a plain lower-case identifier");
        process.exit(2);
      }
      return name;
    },
  };
}

/** The URL of database `name` on the benchmarks' server. */
export function benchDatabaseUrl(name: string): URL {
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name}`;
  return url;
}

/** Opens database `name` on the benchmarks' server as the process database, which the queries read. */
/** `readOnly`: every session refuses writes (default_transaction_read_only), for --read-only. */
export async function openBenchDatabase(name: string, options: { readOnly?: boolean } = {}): Promise<DatabaseHandle> {
  const url = benchDatabaseUrl(name);
  if (options.readOnly) url.searchParams.set("default_transaction_read_only", "on");
  const handle = await openDatabase({ url: url.toString() });
  setDatabase(handle);
  return handle;
}

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

/** The load average over 1, 5 and 15 minutes: on a shared machine, what every figure is read beside. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");

/**
 * CPU time every core of the machine has been busy so far, in ms, from /proc/stat (all but idle
 * and iowait; 10 ms ticks); null where there is no /proc. Per request, it is what the whole
 * machine spent: the app, PostgreSQL, the benchmark's own client and anything else running.
 */
export function machineBusyMs(): number | null {
  try {
    const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy is all but the 4th and 5th.
    const busy = cpu.slice(0, 8).reduce((sum, ticks, i) => (i === 3 || i === 4 ? sum : sum + ticks), 0);
    return (busy * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL server's postmaster, whose children are the backends (so cpuMs of it with
 * `reaped` is the server's CPU), from postmaster.pid in its data directory; null when that cannot
 * be read (not superuser, another machine).
 */
export async function postmasterPid(sql: postgres.Sql): Promise<number | null> {
  try {
    const [{ dir }] = await sql<{ dir: string }[]>`select current_setting('data_directory') as dir`;
    return Number(fs.readFileSync(`${dir}/postmaster.pid`, "utf8").split("\n")[0]) || null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) process `pid` has used so far, in ms, from /proc (Linux; 10 ms ticks);
 * null where there is no /proc or the process is gone.
 */
export function cpuMs(pid: number, options: { reaped?: boolean } = {}): number | null {
  // The process and every live process below it (PAYDESK_WORKERS forks its workers). With
  // `reaped`, also the children it has already waited for (fields 16 and 17 of its own stat):
  // PostgreSQL's backends end with their connections, pgbench's before its run is measured.
  const stats = new Map<number, { parent: number; ms: number; reaped: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields 4, 14 and 15 of /proc/<pid>/stat, counted after the command name in parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), {
        parent: Number(fields[1]),
        ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100,
        reaped: ((Number(fields[13]) + Number(fields[14])) * 1000) / 100,
      });
    } catch {
      // ended meanwhile
    }
  }
  if (!stats.has(pid)) return null;
  let total = options.reaped ? stats.get(pid)!.reaped : 0;
  for (const [candidate, { ms }] of stats) {
    for (let at: number | undefined = candidate; at; at = stats.get(at)?.parent) {
      if (at === pid) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

/** A port nobody listens on right now (the OS's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export type AppProcess = { url: string; pid: number; output(): string; stop(): Promise<void> };

/**
 * `server/index.ts` (what `npm start` runs, without the build) as a child process on a free port,
 * with `env` over this one's (and `nodeArgs` for node, e.g. --cpu-prof); answers once its /readyz
 * does. Its output is kept for a report.
 */
export async function startAppProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  readyWithinMs = 60_000,
): Promise<AppProcess> {
  const port = await freePort();
  const root = fileURLToPath(new URL("..", import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the app server exited:\n${output}`);
    if (Date.now() - started > readyWithinMs) {
      child.kill("SIGKILL");
      throw new Error(`the app server was not ready within ${readyWithinMs / 1000} s:\n${output}`);
    }
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
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

/**
 * One case of a list or search benchmark: interleaved with its hand-written SQL where it has one
 * (timeBeside), else timed alone (timeRuns).
 */
export async function timeCase<T>(
  paydesk: () => Promise<T>,
  raw: (() => Promise<unknown>) | undefined,
  runs: number,
): Promise<{ paydesk: Timing; raw: Timing | null; outcome: T }> {
  if (raw) return timeBeside(paydesk, raw, runs);
  const { median, p95, outcome } = await timeRuns(paydesk, runs);
  return { paydesk: { median, p95 }, raw: null, outcome };
}

/** The column heads that go with timingColumns. */
export const TIMING_HEADER = `${"median ms".padStart(10)} ${"p95 ms".padStart(9)} ${"raw med".padStart(8)} ${"raw p95".padStart(8)} ${"ratio med/p95".padStart(13)}`;

/** Paydesk's median and p95, then the raw SQL's and the ratios (blank where there is no raw SQL). */
export function timingColumns(paydesk: Timing, raw: Timing | null): string {
  const rawFigures = raw
    ? `${raw.median.toFixed(1).padStart(8)} ${raw.p95.toFixed(1).padStart(8)} ${ratio(paydesk, raw).padStart(13)}`
    : `${"".padStart(8)} ${"".padStart(8)} ${"".padStart(13)}`;
  return `${paydesk.median.toFixed(1).padStart(10)} ${paydesk.p95.toFixed(1).padStart(9)} ${rawFigures}`;
}

/**
 * Prints the 1-minute load average and the cores before the timed runs; the function it answers
 * prints the load again beside the first, after them (with `note` at the end of that line).
 */
export function reportLoad(): (note?: string) => void {
  const before = os.loadavg()[0].toFixed(2);
  console.log(`\nload average (1 min) at start ${before}; ${os.cpus().length} cores`);
  return (note = "") =>
    console.log(
      `\nload average (1 min) ${before} at start, ${os.loadavg()[0].toFixed(2)} at the end; ${os.cpus().length} cores${note}`,
    );
}

/** "1.2×/1.4×": Paydesk's median over the raw SQL's, then the same of the p95s. */
export const ratio = (paydesk: Timing, raw: Timing) =>
  `${(paydesk.median / Math.max(raw.median, 0.001)).toFixed(1)}×/${(paydesk.p95 / Math.max(raw.p95, 0.001)).toFixed(1)}×`;

/** Runs a whole-database `vacuum analyze` or `analyze` before timing, saying how long it took. */
export async function analyzeDatabase(pg: postgres.Sql, statement: "vacuum analyze" | "analyze"): Promise<void> {
  const started = performance.now();
  await pg.unsafe(statement);
  console.log(`${statement}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Prints each table's estimated rows and the size of its heap and indexes: what the timings ran over. */
export async function showTableSizes(pg: postgres.Sql, tables: readonly string[]): Promise<void> {
  const sizes = await pg`
    select c.relname as t, c.reltuples::bigint as n, pg_size_pretty(pg_table_size(c.oid)) as heap,
           pg_size_pretty(pg_indexes_size(c.oid)) as indexes
      from pg_class c where c.relname in ${pg(tables)} order by c.relname`;
  for (const row of sizes) {
    console.log(
      `  ${String(row.t).padEnd(22)} ${Number(row.n).toLocaleString("en").padStart(11)} rows, heap ${row.heap}, indexes ${row.indexes}`,
    );
  }
}
