// Benchmark of the bulk demo-data generator against a real PostgreSQL server:
//
//   npx tsx scripts/bench-seed.ts [--payments 1000000] [--mode bulk|incremental] [--writers 2] [--keep]
//
// Creates a fresh database paydesk_bench_<timestamp> on the server of BENCH_DATABASE_URL,
// DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres, migrates it, seeds the demo base
// (clients, staff, customers) and then adds the payments, printing throughput and row counts.
// The database is dropped at the end unless --keep is given.
import os from "node:os";
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { ensureDemoData } from "../db/demo";
import { addPayments } from "../db/seed";
import { BENCH_SERVER_URL, benchDatabaseUrl } from "./bench-support";

const args = process.argv.slice(2);
const paymentsFlag = args.indexOf("--payments");
const payments = paymentsFlag >= 0 ? Number.parseInt(args[paymentsFlag + 1] ?? "", 10) : 1_000_000;
if (!Number.isSafeInteger(payments) || payments <= 0) {
  console.error("--payments must be a whole number > 0");
  process.exit(2);
}
const keep = args.includes("--keep");
const writersFlag = args.indexOf("--writers");
const writers = writersFlag >= 0 ? Number.parseInt(args[writersFlag + 1] ?? "", 10) : undefined;
const modeFlag = args.indexOf("--mode");
const mode = modeFlag >= 0 ? (args[modeFlag + 1] as "bulk" | "incremental") : undefined;
if (mode !== undefined && mode !== "bulk" && mode !== "incremental") {
  console.error("--mode must be bulk or incremental");
  process.exit(2);
}

const name = `paydesk_bench_${new Date()
  .toISOString()
  .replace(/[-:TZ.]/g, "")
  .slice(0, 14)}`;
const admin = postgres(BENCH_SERVER_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = benchDatabaseUrl(name);
console.log(`database ${name} on ${url.host}`);

const handle = await openDatabase({ url: url.toString(), maxConnections: 4 });
try {
  await migrateDatabase(handle);
  const baseStarted = performance.now();
  await ensureDemoData(handle, { payments: 0 });
  console.log(`demo base (staff, clients, customers): ${((performance.now() - baseStarted) / 1000).toFixed(1)} s`);

  const loadAtStart = os.loadavg();
  const started = performance.now();
  let lastPhase = "";
  let nextReport = 100_000;
  const summary = await addPayments(handle, {
    payments,
    mode,
    writers,
    onProgress: ({ phase, done, total, elapsedMs }) => {
      const at = `${(elapsedMs / 1000).toFixed(1)} s`;
      if (phase !== "writing" && phase !== lastPhase) console.log(`  ${phase}… (${at})`);
      else if (phase === "writing" && (done >= nextReport || done === total)) {
        console.log(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")} payments written, ${at}`);
        while (nextReport <= done) nextReport += 100_000;
      }
      lastPhase = phase;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const counts = await handle.pg!.unsafe(`
    select 'payments' as t, count(*)::bigint as n from payments
    union all select 'payment_transactions', count(*) from payment_transactions
    union all select 'operation_log', count(*) from operation_log
    union all select 'credits', count(*) from credits
    union all select 'credit_transactions', count(*) from credit_transactions
    union all select 'daily_volume', count(*) from daily_volume`);
  const rows = counts.reduce((total, row) => total + Number(row.n), 0);
  const [size] = await handle.pg!.unsafe(`select pg_size_pretty(pg_database_size(current_database())) as size`);
  console.log(
    `payments added: ${summary.payments.toLocaleString("en")} in ${seconds.toFixed(1)} s (${summary.mode} mode)`,
  );
  console.log(
    `throughput: ${Math.round(summary.payments / seconds).toLocaleString("en")} payments/s, ${Math.round(rows / seconds).toLocaleString("en")} rows/s`,
  );
  for (const row of counts)
    console.log(`  ${String(row.t).padEnd(22)} ${Number(row.n).toLocaleString("en").padStart(12)}`);
  console.log(`  ${"total rows".padEnd(22)} ${rows.toLocaleString("en").padStart(12)}`);
  console.log(`database size: ${size.size}`);
  // The goal (1M payments in 60 s) is for a quiet machine: the load says how quiet this one was.
  const loadAtEnd = os.loadavg();
  console.log(
    `load average (1 min) ${loadAtStart[0].toFixed(2)} at start, ${loadAtEnd[0].toFixed(2)} at the end; ${os.cpus().length} cores`,
  );
} finally {
  await handle.close();
  if (keep) console.log(`kept ${name} (--keep)`);
  else await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
