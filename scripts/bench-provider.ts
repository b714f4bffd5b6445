// Benchmark of the money path against a slow PSP and against raw PostgreSQL (issue 12):
//
//   npm run bench:provider -- [--db paydesk_bench_provider] [--latency 300] [--concurrency 32] [--rounds 3]
//                             [--seconds 8] [--connections 8,32] [--pool N] [--workers N] [--profile DIR]
//                             [--sections provider,database] [--requests create,keyed,capture]
//
// (`npm run bench:provider` builds the app first; `npx tsx scripts/bench-provider.ts` runs the
// build there is.) Recreates database NAME on the server of BENCH_DATABASE_URL, DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres and drops it at the end; starts the sandbox PSP
// (server/psp.ts) and the app server (server/index.ts; its database pool is --pool connections,
// PAYDESK_DB_POOL_SIZE, or by default the app's default of 10) as
// processes of their own and stops them; reaches both over HTTP on 127.0.0.1 as clients do; and
// prints:
//
// 1. Provider-bound: --concurrency captures on as many payments at once, the PSP answering every
//    call after --latency ms (its PUT /admin/faults, as PAYDESK_PSP_LATENCY_MS): captures/s beside
//    the provider-bound limit concurrency / latency (the issue asks ≥ 80% of it). Each round is
//    interleaved with the same number of capture calls straight to the PSP (what the machine
//    allows at that moment) and with the same burst of Paydesk captures against an instant PSP:
//    the difference is what the provider's latency cost. With no lock, transaction or pooled
//    connection held across the call it is about one round trip, not --concurrency of them.
//    Then sustained: --concurrency clients capture one payment after another for --seconds
//    (throughput against the same limit), beside as many clients calling the PSP straight.
// 2. Database-bound (PSP latency 0): create-payment (with its transaction) and capture through
//    /v1 with each of --connections concurrent clients for --seconds, each run interleaved with
//    pgbench running the statements Paydesk runs for the same request, written by hand (the
//    use-case's transactions and the one read of the answer; a capture's claim and settle as two
//    transactions; neither side looks the token up or counts the rate limit per request: Paydesk
//    caches the one and batches the other): req/s beside tps, their ratio,
//    p50 and p99 latency, the app server's CPU time a request, and every answer that was not a
//    success, counted (a run goes on through errors). Then, per request kind, where the machine's
//    CPU went a request (from /proc: the whole machine, the app server, PostgreSQL's postmaster
//    and backends, the benchmark's own HTTP clients, the rest) beside a pgbench transaction's, and
//    the throughput each allows with every core busy: when both are CPU-bound, the ratio of
//    those ceilings is what the throughput ratio can reach on this machine.
//
// The timed requests carry no Idempotency-Key, except "keyed": creates as "create", each with a
// key of its own, printed beside the same pgbench create run (what the key costs, decision 058;
// not asked by default: --requests create,keyed,capture). The preparation's requests carry keys, so that it retries a 503 or 409 without doing anything twice.
// --profile DIR has the app server write a CPU profile (node --cpu-prof) there when it stops.
//
// --sweep-workers 1,2,3,4 runs only this instead (issue 15): write throughput by serving processes.
// For each N the app server is started with PAYDESK_WORKERS=N (each process with a pool of --pool,
// default 8), then --rounds runs of create-payment (PSP latency 0) by --concurrency HTTP clients for
// --seconds, each interleaved with pgbench's same statements at the app's total connections
// (N × pool): req/s per N beside tps and their ratio, with the load average of each run.
//
// The machine's load average is printed at the start of each section and at the end: on a shared
// machine the ratios hold better than the absolute figures.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { openDatabase, setDatabase, type DatabaseHandle } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { hashApiToken } from "../app/auth/api-token.server";
import { createApiClient } from "../app/services/admin/api-clients.server";
import { forkPsp, type PspProcess } from "../server/psp-process";
import {
  BENCH_SERVER_URL,
  benchArgs,
  benchDatabaseUrl,
  cpuMs,
  loadAverage,
  machineBusyMs,
  percentile,
  postmasterPid,
  startAppProcess,
  type AppProcess,
} from "./bench-support";

const args = benchArgs();
const flag = (name: string, fallback: string) => args.flag(name) ?? fallback;
const whole = args.count;
const name = args.database("paydesk_bench_provider");
const latencyMs = whole("--latency", 300);
const concurrency = whole("--concurrency", 32);
const rounds = whole("--rounds", 3);
const seconds = whole("--seconds", 8);
const connectionCounts = flag("--connections", "8,32")
  .split(",")
  .map((n) => Number.parseInt(n, 10))
  .filter((n) => n > 0);
/** The app server's database pool (PAYDESK_DB_POOL_SIZE); unset: the app's default (db/client.ts). */
const pool = args.has("--pool") ? String(whole("--pool", 10)) : (process.env.PAYDESK_DB_POOL_SIZE ?? "");
const poolText = pool ? `pool ${pool}` : "the default pool of 10";
/** Serving processes (PAYDESK_WORKERS); each has its own pool. */
const workers = whole("--workers", Number.parseInt(process.env.PAYDESK_WORKERS ?? "1", 10) || 1);
const workersText = workers > 1 ? `, ${workers} processes` : "";
/** --sweep-workers: the PAYDESK_WORKERS values to measure create-payment throughput at, in turn. */
const sweep = args.has("--sweep-workers")
  ? flag("--sweep-workers", "1,2,3,4")
      .split(",")
      .map((n) => Number.parseInt(n, 10))
      .filter((n) => n > 0)
  : null;
/** --sections provider,database: which of the two sections to run (both by default). */
const sections = flag("--sections", "provider,database").split(",");
/** --requests create,keyed,capture: which requests the database-bound section measures (create and capture by default). */
const requests = flag("--requests", "create,capture").split(",");
/** Where the app server writes a CPU profile when it stops (node --cpu-prof), if anywhere. */
const profileDir = args.has("--profile") ? path.resolve(flag("--profile", ".")) : null;
const benchUrl = benchDatabaseUrl(name);

const ORGANISATION = 4242;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value: number, width = 7) => (Number.isFinite(value) ? value.toFixed(1) : "–").padStart(width);
const spread = (values: number[]) => `${fmt(Math.min(...values), 0)}–${fmt(Math.max(...values), 0)}`;

// ---------------------------------------------------------------- processes and clean-up

let handle: DatabaseHandle | undefined;
let psp: PspProcess | undefined;
let app: AppProcess | undefined;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-bench-"));

async function dropDatabase() {
  const admin = postgres(BENCH_SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  await app?.stop().catch(() => {});
  psp?.stop();
  await handle?.close().catch(() => {});
  await dropDatabase().catch((error) => console.error(`could not drop ${name}: ${error}`));
  fs.rmSync(workDir, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- HTTP

type Answer = { status: number; body: any; ms: number };

async function call(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text for the error count
    }
    return { status: response.status, body: parsed, ms: performance.now() - started };
  } catch (error) {
    // No answer at all (refused, reset, our own 30 s bound): counted as status 0.
    return { status: 0, body: String(error), ms: performance.now() - started };
  }
}

let token = "";
const api = (method: string, route: string, body?: unknown, key?: string) =>
  call(
    `${app!.url}${route}`,
    method,
    {
      Authorization: `Bearer ${token}`,
      "ET-Client-Name": "paydesk-bench",
      ...(key ? { "Idempotency-Key": key } : {}),
    },
    body,
  );

const setPspLatency = async (ms: number) => {
  const answer = await call(`${psp!.url}/admin/faults`, "PUT", {}, { latencyMs: ms });
  if (answer.status !== 200) throw new Error(`PSP faults: ${answer.status} ${JSON.stringify(answer.body)}`);
};

/** The preparation's answers that were retried, by status (printed at the end). */
const retried: Record<string, number> = {};

/**
 * A request of the preparation, with an Idempotency-Key: a 503 (the database or the PSP did not
 * answer in time) or 409 (that key still in progress) is retried after a growing pause.
 */
async function prepared(method: string, route: string, body: unknown, want: number, what: string): Promise<Answer> {
  const key = `bench-${randomUUID()}`;
  let answer: Answer | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    answer = await api(method, route, body, key);
    if (answer.status === want) return answer;
    if (answer.status !== 503 && answer.status !== 409 && answer.status !== 0) break;
    retried[answer.status] = (retried[answer.status] ?? 0) + 1;
    await sleep(Math.min(5_000, 100 * 2 ** attempt) * (0.5 + Math.random()));
  }
  throw new Error(`${what}: ${answer!.status} ${JSON.stringify(answer!.body)}`);
}

/** A payment with one VISA transaction, authorized through the API (so the PSP holds it). */
async function authorizedTransaction(): Promise<string> {
  const created = await prepared(
    "POST",
    "/v1/payments",
    { totalAmount: "100.00", transaction: { paymentType: "VISA" } },
    201,
    "create payment",
  );
  const route = `/v1/payments/${created.body.paymentId}/transactions/${created.body.transactions[0].transactionId}`;
  await prepared("POST", `${route}/authorize`, { totalAmount: "100.00" }, 200, "authorize");
  return route;
}

/** `count` authorized transactions, made by `parallel` workers. */
async function authorizedTransactions(count: number, parallel = 8): Promise<string[]> {
  const routes: string[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (started++ < count) routes.push(await authorizedTransaction());
    }),
  );
  return routes;
}

// ---------------------------------------------------------------- timed runs

type Figures = {
  /** Successful requests (or pgbench transactions) per second. */
  rate: number;
  ok: number;
  p50: number;
  p99: number;
  /** What was not a success, by status (0: no answer); pgbench: failed transactions and aborts. */
  errors: Record<string, number>;
  /** Set when the run ended early (out of prepared work, or pgbench aborted). */
  note?: string;
  /** CPU time per successful request (pgbench: per transaction), ms, by who spent it (`app`: the app server). */
  cpu?: CpuSplit;
};

/**
 * CPU time a request, ms: the whole machine's, and of it the app server's, PostgreSQL's (the
 * postmaster and its backends) and this process's (the benchmark's HTTP clients). The machine's
 * minus those three is everything else running (for a pgbench run: pgbench itself and the rest).
 * NaN where /proc could not tell.
 */
type CpuSplit = { machine: number; app: number; postgres: number; bench: number };

/** The server's postmaster, for PostgreSQL's share of the CPU (null: not known, not shown). */
let postgresPid: number | null = null;

function cpuNow(): CpuSplit {
  const usage = process.cpuUsage();
  return {
    machine: machineBusyMs() ?? Number.NaN,
    app: (app && cpuMs(app.pid)) ?? Number.NaN,
    postgres: (postgresPid !== null && cpuMs(postgresPid, { reaped: true })) || Number.NaN,
    bench: (usage.user + usage.system) / 1000,
  };
}

function cpuPer(before: CpuSplit, after: CpuSplit, requests: number): CpuSplit {
  const per = (key: keyof CpuSplit) => (after[key] - before[key]) / Math.max(1, requests);
  return { machine: per("machine"), app: per("app"), postgres: per("postgres"), bench: per("bench") };
}

/**
 * `clients` concurrent loops of `step` for `seconds` (or until `step` has no work: null). Counts
 * every answer that is not `want` instead of stopping at it.
 */
async function drive(clients: number, want: number, step: () => Promise<Answer> | null): Promise<Figures> {
  const times: number[] = [];
  const errors: Record<string, number> = {};
  let ranOut = false;
  const cpuBefore = cpuNow();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const pending = step();
        if (!pending) {
          ranOut = true;
          return;
        }
        const answer = await pending;
        if (answer.status === want) times.push(answer.ms);
        else errors[answer.status] = (errors[answer.status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuPer(cpuBefore, cpuNow(), times.length);
  times.sort((a, b) => a - b);
  return {
    rate: times.length / elapsed,
    ok: times.length,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    errors,
    note: ranOut ? `ran out of prepared work after ${elapsed.toFixed(1)} s` : undefined,
    cpu,
  };
}

const execFileAsync = promisify(execFile);

/** pgbench running `sql` with `clients` connections for --seconds; latencies from its per-transaction log. */
async function pgbench(script: string, sql: string, clients: number): Promise<Figures> {
  const file = path.join(workDir, `${script}.sql`);
  const logPrefix = path.join(workDir, `${script}-log`);
  fs.writeFileSync(file, sql);
  for (const old of fs.readdirSync(workDir).filter((f) => f.startsWith(`${script}-log`)))
    fs.rmSync(path.join(workDir, old));
  // prettier-ignore
  const argv = [
    "-n", "-M", "prepared", "-h", benchUrl.hostname, "-p", benchUrl.port || "5432",
    "-U", decodeURIComponent(benchUrl.username || "postgres"), "-c", String(clients), "-j", "2",
    "-T", String(seconds), "-l", "--log-prefix", logPrefix, "-f", file, name,
  ];
  let output: string;
  let aborted = false;
  const splitBefore = cpuNow();
  try {
    const { stdout, stderr } = await execFileAsync("pgbench", argv, { encoding: "utf8", maxBuffer: 1 << 26 });
    output = `${stdout}\n${stderr}`;
  } catch (error) {
    // pgbench exits 2 when a client aborted (an error it does not retry): its figures still count.
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ""}\n${failed.stderr ?? ""}`;
    aborted = true;
  }
  const splitAfter = cpuNow();
  const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(output);
  const failedCount = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  const times: number[] = [];
  for (const log of fs.readdirSync(workDir).filter((f) => f.startsWith(`${script}-log`))) {
    for (const line of fs.readFileSync(path.join(workDir, log), "utf8").split("\n")) {
      // client_id transaction_no time(µs) script_no time_epoch time_us
      const elapsed = Number(line.split(" ")[2]);
      if (Number.isFinite(elapsed) && line) times.push(elapsed / 1000);
    }
  }
  times.sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  if (failedCount) errors.failed = failedCount;
  const abortLines = output.split("\n").filter((line) => /error|abort/i.test(line));
  if (aborted) errors.aborted = Math.max(1, abortLines.length);
  return {
    rate: tps ? Number(tps[1]) : Number.NaN,
    ok: times.length,
    p50: times.length ? percentile(times, 0.5) : Number.NaN,
    p99: times.length ? percentile(times, 0.99) : Number.NaN,
    errors,
    note: aborted ? `pgbench: ${abortLines[0] ?? "aborted"}` : undefined,
    // Its connection setup is in the CPU too, as Paydesk's pool warm-up is not: a few ms a run.
    cpu: cpuPer(splitBefore, splitAfter, times.length),
  };
}

/**
 * Where the machine's CPU went a request (medians), and what that allows: with every core busy,
 * cores × 1000 / (machine ms a request) requests a second. When both sides are CPU-bound, the
 * ratio of those ceilings is the ratio the throughput table can reach on this machine.
 */
function cpuRow(clients: number, what: string, ours: Figures, raw: Figures) {
  const cores = os.cpus().length;
  const o = ours.cpu;
  const r = raw.cpu;
  if (!o || !r || !Number.isFinite(o.machine) || !Number.isFinite(r.machine)) return;
  const ceiling = (ms: number) => `${((cores * 1000) / ms).toFixed(0)}/s`;
  const other = o.machine - o.app - (Number.isFinite(o.postgres) ? o.postgres : 0) - o.bench;
  console.log(
    `   ${String(clients).padStart(4)}  CPU a request, ${what}: Paydesk ${o.machine.toFixed(2)} ms = app ${o.app.toFixed(2)} + ` +
      `PostgreSQL ${o.postgres.toFixed(2)} + bench clients ${o.bench.toFixed(2)} + other ${other.toFixed(2)} | ` +
      `pgbench ${r.machine.toFixed(2)} ms = PostgreSQL ${r.postgres.toFixed(2)} + pgbench and other ` +
      `${(r.machine - r.postgres).toFixed(2)} | all ${cores} cores busy: at most ${ceiling(o.machine)} vs ` +
      `${ceiling(r.machine)} (${((r.machine / o.machine) * 100).toFixed(0)}%)`,
  );
}

const errorText = (errors: Record<string, number>) =>
  Object.keys(errors).length
    ? Object.entries(errors)
        .map(([status, count]) => `${count}×${status}`)
        .join(" ")
    : "0";

// ---------------------------------------------------------------- the SQL pgbench runs

// pgbench takes `:word` for a variable even inside a string literal, so a colon in a literal is
// spelt chr(58). The statements are those db/schema.ts's columns and the use-cases' Drizzle
// queries send (their select lists shortened to *).

/**
 * What POST /v1/payments runs for a payment with one transaction: the payment, the client's
 * method, then the transaction and its CREATE entry sent together (the entry takes the id from
 * the sequence, as Paydesk's does); the answer is built from what the inserts returned.
 */
function createSql(client: { clientId: string; tokenHash: string }): string {
  return `
begin;
insert into payments (organisation_id, total_amount, currency, created_by_client_id, created_at, updated_at)
  values (${ORGANISATION}, 100, 'NOK', '${client.clientId}', now(), now()) returning *;
select * from payment_methods where client_id = '${client.clientId}' and enabled and distribution_channel_id in ('web')
  and payment_type = 'VISA';
\\startpipeline
insert into payment_transactions (payment_id, organisation_id, amount, currency, payment_type, payment_type_group, distribution_channel_id)
  values (currval('payments_payment_id_seq'), ${ORGANISATION}, 100, 'NOK', 'VISA', 'PAYMENTCARD', 'web') returning *;
insert into operation_log (transaction_id, payment_id, operation, amount, correlation_id, client_name, actor_type, actor, created_at)
  values (currval('payment_transactions_transaction_id_seq'), currval('payments_payment_id_seq'), 'CREATE', 100, 'pgbench', 'paydesk-bench', 'client', '${client.clientId}', now())
  returning *;
\\endpipeline
commit;
`;
}

/**
 * What PUT …/capture runs: the claim (lock the payment, then its transactions; no operation in
 * flight; record the pending provider operation), then, after the PSP's answer, the settlement
 * (lock again; the transaction, its CAPTURE entry, the day's rollup, the operation's outcome;
 * its commit not waiting for the WAL flush, as Paydesk's does: docs/decisions/053),
 * then the reads of the answer. The authorized transactions come from bench_capture_queue, one
 * each, in the order of a sequence.
 */
function captureSql(client: { clientId: string; tokenHash: string }): string {
  return `
select payment_id, transaction_id from bench_capture_queue where n = (select nextval('bench_capture_seq')) \\gset
begin;
select * from payments where payment_id = :payment_id and organisation_id = ${ORGANISATION} for update;
select * from payment_transactions where payment_id = :payment_id order by transaction_id for update;
insert into provider_operations (organisation_id, payment_id, transaction_id, kind, reference, request, attempts, next_check_at, claimed_by)
  values (${ORGANISATION}, :payment_id, :transaction_id, 'CAPTURE', concat_ws(chr(58), 'capture', cast(:transaction_id as text), gen_random_uuid()),
          jsonb_build_object('amount', '100.00000', 'currency', 'NOK', 'paymentTypeGroup', 'PAYMENTCARD'), 1, now() + interval '7 seconds', '${client.clientId}')
  returning id as operation_id \\gset
commit;
begin;
set local synchronous_commit to off;
select * from payments where payment_id = :payment_id for update;
select * from payment_transactions where payment_id = :payment_id order by transaction_id for update;
update provider_operations set status = 'SUCCEEDED', answer = jsonb_build_object('ok', true), settled_at = now()
  where id = :operation_id and status = 'PENDING' returning *;
update payment_transactions set status = 'CAPTURED', authorized_amount = 100, captured_amount = 100, updated_at = now()
  where transaction_id = :transaction_id returning *;
insert into operation_log (transaction_id, payment_id, operation, amount, correlation_id, client_name, actor_type, actor, created_at)
  values (:transaction_id, :payment_id, 'CAPTURE', 100, 'pgbench', 'paydesk-bench', 'client', '${client.clientId}', now());
update payments set updated_at = now() where payment_id = :payment_id;
insert into daily_volume (day, organisation_id, currency, payment_type_group, payment_type, shard, captured_amount, captured_count)
  values (current_date, ${ORGANISATION}, 'NOK', 'PAYMENTCARD', 'VISA', :transaction_id % 16, 100, 1)
  on conflict (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard)
  do update set captured_amount = daily_volume.captured_amount + 100, captured_count = daily_volume.captured_count + 1;
commit;
select p.*, (select json_agg(x order by x.transaction_id) from (
    select t.*, (select json_agg(o order by o.created_at, o.id) from operation_log o where o.transaction_id = t.transaction_id) as operations
      from payment_transactions t where t.payment_id = p.payment_id) x) as transactions
  from payments p where p.payment_id = :payment_id and p.organisation_id = ${ORGANISATION};
`;
}

/** `count` AUTHORIZED transactions made by SQL for pgbench's captures, taken in order by a sequence. */
async function prepareRawCaptures(pg: postgres.Sql, count: number): Promise<void> {
  await pg.unsafe(`drop table if exists bench_capture_queue; drop sequence if exists bench_capture_seq`);
  await pg.unsafe(`create sequence bench_capture_seq`);
  await pg.unsafe(`
    create table bench_capture_queue as
    with p as (
      insert into payments (organisation_id, total_amount, currency)
      select ${ORGANISATION}, 100, 'NOK' from generate_series(1, ${count})
      returning payment_id
    ), t as (
      insert into payment_transactions (payment_id, organisation_id, amount, currency, status, payment_type, payment_type_group,
                                        distribution_channel_id, authorized_amount, last_authorization)
      select payment_id, ${ORGANISATION}, 100, 'NOK', 'AUTHORIZED', 'VISA', 'PAYMENTCARD', 'web', 100, 'PRE_AUTHORIZATION' from p
      returning payment_id, transaction_id
    )
    select row_number() over (order by transaction_id) as n, payment_id, transaction_id from t`);
  await pg.unsafe(`create unique index on bench_capture_queue (n)`);
  await pg.unsafe(`analyze bench_capture_queue`);
}

// ---------------------------------------------------------------- section 1's bursts

/** Captures every route at once: the wall time until the last answer, the app's CPU time, what failed. */
async function burstOfCaptures(routes: string[]) {
  const cpuBefore = cpuMs(app!.pid);
  const started = performance.now();
  const answers = await Promise.all(routes.map((route) => api("PUT", `${route}/capture`)));
  const wall = performance.now() - started;
  const cpu = (cpuMs(app!.pid) ?? Number.NaN) - (cpuBefore ?? Number.NaN);
  const errors: Record<string, number> = {};
  for (const answer of answers.filter((a) => a.status !== 200))
    errors[answer.status] = (errors[answer.status] ?? 0) + 1;
  return { wall, cpu, errors, captured: answers.filter((a) => a.status === 200).length };
}

/** --concurrency capture calls straight to the PSP at once (a merchant of their own): the wall time. */
async function burstAtPsp(round: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, (_, i) =>
      call(
        `${psp!.url}/v1/capture`,
        "POST",
        { "Psp-Merchant": "bench-direct" },
        {
          reference: `direct-${randomUUID()}`,
          transactionReference: `transaction-direct-${round}-${i}`,
          amount: "100.00",
          currency: "NOK",
          paymentTypeGroup: "PAYMENTCARD",
        },
      ),
    ),
  );
  return performance.now() - started;
}

// ---------------------------------------------------------------- the run

async function main() {
  console.log(`Paydesk money-path benchmark on ${benchUrl.host}/${name}`);
  console.log(`load average at start: ${loadAverage()} (${os.cpus().length} cores)`);

  await dropDatabase();
  const admin = postgres(BENCH_SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  handle = await openDatabase({ url: benchUrl.toString(), maxConnections: 4 });
  await migrateDatabase(handle);
  setDatabase(handle);
  const pg = handle.pg!;
  postgresPid = await postmasterPid(pg);
  const client = await createApiClient(
    { kind: "system", name: "bench", correlationId: "bench" },
    { name: "Bench client", organisationId: ORGANISATION, organisationName: "Bench", rateLimitPerMinute: 100_000_000 },
  );
  token = client.token;
  const sqlClient = { clientId: client.clientId, tokenHash: hashApiToken(client.token) };

  psp = await forkPsp(
    { ...process.env, PAYDESK_PSP_PORT: "0", PAYDESK_PSP_LATENCY_MS: String(latencyMs) },
    { quiet: true },
  );
  if (sweep) return sweepWorkers(sweep, sqlClient);
  app = await startApp(workers, pool);
  console.log(`app server pid ${app.pid} (${poolText}${workersText}), PSP pid ${psp.pid}`);

  const medians: (() => void)[] = [];
  if (sections.includes("provider")) {
    // ------------------------------------------------------------ 1. provider-bound captures

    const limit = concurrency / (latencyMs / 1000);
    const percent = (value: number) => `${((value / limit) * 100).toFixed(0)}%`.padStart(5);
    console.log(
      `\n1. ${concurrency} concurrent captures on ${concurrency} payments, PSP latency ${latencyMs} ms; provider-bound limit ` +
        `${concurrency} / ${latencyMs / 1000} s = ${limit.toFixed(1)}/s. Load ${loadAverage()}.\n` +
        `   Each round: Paydesk with the slow PSP | ${concurrency} calls straight to the PSP (same latency) | Paydesk with ` +
        `the PSP answering at once; the first round warms up.\n` +
        `   round    | wall ms  captures/s  of limit  app CPU ms/capture  errors | wall ms  of limit | wall ms  errors | latency cost ms`,
    );
    const figures = { rate: [] as number[], direct: [] as number[], instant: [] as number[], paid: [] as number[] };
    const cpuPerCapture: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      await setPspLatency(latencyMs);
      const slow = await burstOfCaptures(await authorizedTransactions(concurrency));
      const directWall = await burstAtPsp(round);
      await setPspLatency(0);
      const instant = await burstOfCaptures(await authorizedTransactions(concurrency));
      const rate = slow.captured / (slow.wall / 1000);
      const directRate = concurrency / (directWall / 1000);
      console.log(
        `   ${(round === 0 ? "warm-up" : String(round)).padEnd(8)} | ${fmt(slow.wall)}  ${fmt(rate, 10)}  ${percent(rate).padStart(8)}  ` +
          `${fmt(slow.cpu / concurrency, 18)}  ${errorText(slow.errors).padStart(6)} | ${fmt(directWall)}  ${percent(directRate).padStart(8)} | ` +
          `${fmt(instant.wall)}  ${errorText(instant.errors).padStart(6)} | ${fmt(slow.wall - instant.wall, 15)}`,
      );
      if (round === 0) continue;
      figures.rate.push(rate);
      figures.direct.push(directRate);
      figures.instant.push(instant.wall);
      figures.paid.push(slow.wall - instant.wall);
      cpuPerCapture.push(slow.cpu / concurrency);
    }
    const rate = median(figures.rate);
    console.log(
      `   median: Paydesk ${rate.toFixed(1)} captures/s (spread ${spread(figures.rate)}) = ${percent(rate).trim()} of the ` +
        `provider-bound limit (the issue asks ≥ 80%); PSP alone ${median(figures.direct).toFixed(1)}/s = ` +
        `${percent(median(figures.direct)).trim()}; app CPU ${median(cpuPerCapture).toFixed(1)} ms a capture.`,
    );
    const poolSize = Number(pool || 10);
    console.log(
      `   The ${latencyMs} ms PSP made the ${concurrency} captures ${median(figures.paid).toFixed(0)} ms slower than an ` +
        `instant one (spread ${spread(figures.paid)}): its latency is paid about once. Were a pooled connection held across ` +
        `the call, ${poolSize} at a time would be asked: ≥ ${Math.ceil(concurrency / poolSize) * latencyMs} ms. ` +
        `The rest, ${median(figures.instant).toFixed(0)} ms, is Paydesk's own work for ${concurrency} captures on this machine now.`,
    );

    // Sustained: --concurrency clients each capture one payment after another for --seconds, the
    // PSP answering every call after --latency ms, interleaved with as many clients calling the PSP
    // straight. Paydesk's own work for one capture overlaps the others' waits on the provider.
    console.log(
      `   sustained, ${seconds} s a run: ${concurrency} clients each capturing one payment after another | the same ` +
        `clients calling the PSP straight. Load ${loadAverage()}.\n` +
        `   round    | captures/s  of limit    p50 ms    p99 ms  app CPU ms/capture  errors | calls/s  of limit`,
    );
    const sustained = { rate: [] as number[], direct: [] as number[] };
    for (let round = 1; round <= rounds; round++) {
      await setPspLatency(0);
      const ready = await authorizedTransactions(Math.ceil(limit * seconds * 1.3), 16);
      await setPspLatency(latencyMs);
      const ours = await drive(concurrency, 200, () => {
        const route = ready.pop();
        return route ? api("PUT", `${route}/capture`) : null;
      });
      let directCalls = 0;
      const direct = await drive(concurrency, 200, () =>
        call(
          `${psp!.url}/v1/capture`,
          "POST",
          { "Psp-Merchant": "bench-direct" },
          {
            reference: `direct-${randomUUID()}`,
            transactionReference: `transaction-sustained-${round}-${directCalls++}`,
            amount: "100.00",
            currency: "NOK",
            paymentTypeGroup: "PAYMENTCARD",
          },
        ),
      );
      sustained.rate.push(ours.rate);
      sustained.direct.push(direct.rate);
      console.log(
        `   ${String(round).padEnd(8)} | ${fmt(ours.rate, 10)}  ${percent(ours.rate).padStart(8)}  ${fmt(ours.p50, 8)}  ` +
          `${fmt(ours.p99, 8)}  ${fmt(ours.cpu?.app ?? Number.NaN, 18)}  ${errorText(ours.errors).padStart(6)} | ` +
          `${fmt(direct.rate, 7)}  ${percent(direct.rate).padStart(8)}${ours.note ? `  (${ours.note})` : ""}`,
      );
    }
    console.log(
      `   median sustained: Paydesk ${median(sustained.rate).toFixed(1)} captures/s (spread ${spread(sustained.rate)}) = ` +
        `${percent(median(sustained.rate)).trim()} of the provider-bound limit; the PSP alone ` +
        `${median(sustained.direct).toFixed(1)}/s = ${percent(median(sustained.direct)).trim()}.`,
    );
  }

  if (sections.includes("database")) {
    // ------------------------------------------------------------ 2. database-bound, beside pgbench

    await setPspLatency(0);
    console.log(
      `\n2. Throughput with the PSP answering at once, ${seconds} s a run, ${rounds} rounds; Paydesk (HTTP clients, ` +
        `the app server with ${poolText}) and pgbench (-c, the same statements) interleaved. Load ${loadAverage()}.\n` +
        `   conn  round   request | Paydesk req/s    p50 ms    p99 ms  app CPU ms/req  errors | pgbench tps    p50 ms    p99 ms  errors | Paydesk/pgbench`,
    );
    const CREATE = createSql(sqlClient);
    const CAPTURE = captureSql(sqlClient);
    const row = (clients: number, round: string, what: string, ours: Figures, raw: Figures) =>
      console.log(
        `   ${String(clients).padStart(4)}  ${round.padStart(6)}  ${what.padStart(8)} | ${fmt(ours.rate, 13)}  ${fmt(ours.p50, 8)}  ` +
          `${fmt(ours.p99, 8)}  ${fmt(ours.cpu?.app ?? Number.NaN, 14)}  ${errorText(ours.errors).padStart(6)} | ` +
          `${fmt(raw.rate, 11)}  ${fmt(raw.p50, 8)}  ${fmt(raw.p99, 8)}  ${errorText(raw.errors).padStart(6)} | ` +
          `${`${((ours.rate / raw.rate) * 100).toFixed(0)}%`.padStart(15)}`,
      );
    for (const clients of connectionCounts) {
      const runs = {
        create: [] as Figures[],
        createRaw: [] as Figures[],
        keyed: [] as Figures[],
        capture: [] as Figures[],
        captureRaw: [] as Figures[],
      };
      for (let round = 1; round <= rounds; round++) {
        runs.create.push(
          await drive(clients, 201, () =>
            api("POST", "/v1/payments", { totalAmount: "100.00", transaction: { paymentType: "VISA" } }),
          ),
        );
        runs.createRaw.push(await pgbench("create", CREATE, clients));
        if (requests.includes("keyed")) {
          runs.keyed.push(
            await drive(clients, 201, () =>
              api(
                "POST",
                "/v1/payments",
                { totalAmount: "100.00", transaction: { paymentType: "VISA" } },
                `bench-${randomUUID()}`,
              ),
            ),
          );
        }

        if (requests.includes("capture")) {
          // Authorized transactions for the capture run, made through the API before its clock starts:
          // as many as the last capture run did in its time and a half, or as creates did.
          const lastCapture = runs.capture.at(-1)?.rate ?? runs.create.at(-1)!.rate;
          const ready = await authorizedTransactions(Math.ceil(Math.max(100, lastCapture) * seconds * 1.5), 16);
          runs.capture.push(
            await drive(clients, 200, () => {
              const route = ready.pop();
              return route ? api("PUT", `${route}/capture`) : null;
            }),
          );
          const lastRaw = runs.captureRaw.at(-1)?.rate;
          await prepareRawCaptures(
            pg,
            Math.ceil(Math.max(2000, Number.isFinite(lastRaw) ? lastRaw! : 1000) * seconds * 1.5),
          );
          runs.captureRaw.push(await pgbench("capture", CAPTURE, clients));
        }

        row(clients, String(round), "create", runs.create.at(-1)!, runs.createRaw.at(-1)!);
        if (runs.keyed.length) row(clients, String(round), "keyed", runs.keyed.at(-1)!, runs.createRaw.at(-1)!);
        if (runs.capture.length) row(clients, String(round), "capture", runs.capture.at(-1)!, runs.captureRaw.at(-1)!);
        for (const [what, list] of Object.entries(runs)) {
          const note = list.at(-1)?.note;
          if (note) console.log(`         ${what}: ${note}`);
        }
      }
      medians.push(() => {
        row(clients, "median", "create", medianFigures(runs.create), medianFigures(runs.createRaw));
        if (runs.keyed.length)
          row(clients, "median", "keyed", medianFigures(runs.keyed), medianFigures(runs.createRaw));
        if (runs.capture.length)
          row(clients, "median", "capture", medianFigures(runs.capture), medianFigures(runs.captureRaw));
        cpuRow(clients, "create", medianFigures(runs.create), medianFigures(runs.createRaw));
        if (runs.keyed.length) cpuRow(clients, "keyed", medianFigures(runs.keyed), medianFigures(runs.createRaw));
        if (runs.capture.length)
          cpuRow(clients, "capture", medianFigures(runs.capture), medianFigures(runs.captureRaw));
      });
    }
  }
  for (const print of medians) print();
  console.log(`\nthe preparation's requests retried: ${errorText(retried)}`);
  console.log(`load average at end: ${loadAverage()}`);
}

function startApp(processes: number, poolSize: string): Promise<AppProcess> {
  return startAppProcess(
    {
      DATABASE_URL: benchUrl.toString(),
      PAYDESK_PSP_URL: psp!.url,
      PAYDESK_SEED: "none",
      PAYDESK_DB_POOL_SIZE: poolSize,
      PAYDESK_WORKERS: String(processes),
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    },
    profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [],
    // N processes each load the app before the first answers: on a busy machine that takes a while.
    60_000 * processes,
  );
}

/**
 * --sweep-workers: create-payment throughput at each number of serving processes, beside pgbench
 * running the same statements with as many connections as the app's processes have in all.
 */
async function sweepWorkers(counts: number[], sqlClient: { clientId: string; tokenHash: string }) {
  const poolSize = pool || "8";
  const clients = args.has("--concurrency") ? concurrency : 32;
  await setPspLatency(0);
  console.log(
    `\nWrite throughput by serving processes: create-payment, PSP latency 0, ${clients} HTTP clients, ${seconds} s a ` +
      `run, ${rounds} rounds; each process has a pool of ${poolSize}; pgbench runs the same statements with ` +
      `N × ${poolSize} connections, interleaved.\n` +
      `   N  round | Paydesk req/s    p50 ms    p99 ms  errors | pgbench -c  tps       errors | Paydesk/pgbench | load (1 min)`,
  );
  const CREATE = createSql(sqlClient);
  const summary: string[] = [];
  for (const processes of counts) {
    await app?.stop();
    app = await startApp(processes, poolSize);
    const connections = processes * Number(poolSize);
    // One short warm-up: every process compiles its hot paths and fills its pool.
    await drive(clients, 201, () =>
      api("POST", "/v1/payments", { totalAmount: "100.00", transaction: { paymentType: "VISA" } }),
    );
    const ours: Figures[] = [];
    const raw: Figures[] = [];
    for (let round = 1; round <= rounds; round++) {
      const load = os.loadavg()[0].toFixed(2);
      ours.push(
        await drive(clients, 201, () =>
          api("POST", "/v1/payments", { totalAmount: "100.00", transaction: { paymentType: "VISA" } }),
        ),
      );
      raw.push(await pgbench("create", CREATE, connections));
      const [a, b] = [ours.at(-1)!, raw.at(-1)!];
      console.log(
        `  ${String(processes).padStart(2)}  ${String(round).padStart(5)} | ${fmt(a.rate, 13)}  ${fmt(a.p50, 8)}  ${fmt(a.p99, 8)}  ` +
          `${errorText(a.errors).padStart(6)} | ${String(connections).padStart(10)}  ${fmt(b.rate, 8)}  ` +
          `${errorText(b.errors).padStart(6)} | ${`${((a.rate / b.rate) * 100).toFixed(0)}%`.padStart(15)} | ${load}`,
      );
    }
    const [a, b] = [medianFigures(ours), medianFigures(raw)];
    summary.push(
      `  ${String(processes).padStart(2)} process${processes === 1 ? " " : "es"}: Paydesk ${fmt(a.rate, 0)} req/s, ` +
        `pgbench ${fmt(b.rate, 0)} tps (-c ${connections}), ratio ${((a.rate / b.rate) * 100).toFixed(0)}%`,
    );
  }
  console.log(`\nmedians:\n${summary.join("\n")}`);
  console.log(`load average at end: ${loadAverage()} (${os.cpus().length} cores)`);
}

/** Each figure's median over the runs; the errors summed. */
function medianFigures(runs: Figures[]): Figures {
  const errors: Record<string, number> = {};
  for (const run of runs)
    for (const [status, n] of Object.entries(run.errors)) errors[status] = (errors[status] ?? 0) + n;
  const of = (pick: (f: Figures) => number | undefined) => median(runs.map((f) => pick(f) ?? Number.NaN));
  return {
    rate: of((f) => f.rate),
    ok: of((f) => f.ok),
    p50: of((f) => f.p50),
    p99: of((f) => f.p99),
    cpu: {
      machine: of((f) => f.cpu?.machine),
      app: of((f) => f.cpu?.app),
      postgres: of((f) => f.cpu?.postgres),
      bench: of((f) => f.cpu?.bench),
    },
    errors,
  };
}

try {
  await main();
} catch (error) {
  console.error(error);
  if (app) console.error(`app server output:\n${app.output().slice(-4000)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(process.exitCode ?? 0);
