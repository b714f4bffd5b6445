// Benchmark of the payments CSV export against PostgreSQL's own COPY of the same select, on a
// database seeded with a million payments:
//
//   createdb -h 127.0.0.1 -U postgres paydesk_bench_lists
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/paydesk_bench_lists npm run db:seed -- --payments 1000000
//   npx tsx scripts/bench-export.ts [--db paydesk_bench_lists] [--runs 3] [--only REGEX]
//
// Connects to NAME on the server of BENCH_DATABASE_URL, DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres and applies pending migrations. For each case it
// times, interleaved (one of each in turn, after a warm-up of each; bench-support.ts timeBeside),
// Paydesk's export as the route runs it (exportPayments: the quick search resolved, the count,
// the audit entry, COPY, then the response stream with its byte-order mark, read to the end)
// and `COPY (the same select) TO STDOUT` read to the end over the same connection pool. It prints
// both medians and p95s in seconds, their ratio, the bytes, and the process's peak RSS (sampled
// every 50 ms) to show the memory stays bounded; the load average comes first, since on a
// shared machine every figure is read beside it. It never creates, seeds or drops the database.
import { migrateDatabase } from "../db/migrate";
import { csvExportResponse } from "../app/http/staff/csv.server";
import { exportPayments } from "../app/services/admin/csv-export.server";
import { copyStatement } from "../app/platform/csv-copy.server";
import {
  paymentExportSelect,
  resolvePaymentQuery,
  type PaymentQuery,
} from "../app/services/queries/payment-list.server";
import { readDayRange } from "../app/domain/zoned-day-range";
import { BENCH_STAFF, benchArgs, loadAverage, openBenchDatabase, ratio, timeBeside } from "./bench-support";

const args = benchArgs();
const runs = args.count("--runs", 3);
const name = args.database("paydesk_bench_lists");
const { only } = args;
const handle = await openBenchDatabase(name);
const pg = handle.pg!;

/** Reads a byte stream to its end; answers how many bytes came. */
async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.byteLength;
  return bytes;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

try {
  console.log(`load average at start (1, 5, 15 min): ${loadAverage()}`);
  await migrateDatabase(handle);
  const [{ n: paymentCount }] = await pg`select count(*)::int as n from payments`;
  console.log(`${paymentCount.toLocaleString("en")} payments in ${name}`);
  if (paymentCount < 100_000)
    console.warn(`only ${paymentCount} payments: seed a million first (see the top of this file)`);

  const dayBack = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const lastWeek = readDayRange(new URLSearchParams({ from: dayBack(6), to: dayBack(0) }), "Europe/Oslo");
  if (!lastWeek.ok) throw new Error(lastWeek.message);
  const cases: [string, PaymentQuery][] = [
    ["everything, newest first", { filters: {} }],
    [
      "7 days, by amount desc",
      { filters: {}, created: lastWeek.bounds, sort: { key: "totalAmount", direction: "desc" } },
    ],
  ];

  console.log(
    `\n${"case".padEnd(28)} ${"paydesk s (median/p95)".padStart(24)} ${"COPY s (median/p95)".padStart(22)} ${"ratio".padStart(11)} ${"bytes".padStart(8)}`,
  );
  for (const [label, query] of cases) {
    if (only && !only.test(label)) continue;
    let bytes = 0;
    const select = paymentExportSelect(await resolvePaymentQuery(BENCH_STAFF, { query }));
    const result = await timeBeside(
      async () => {
        const file = await exportPayments(BENCH_STAFF, { query, filters: "bench" });
        const response = csvExportResponse("payments.csv", file);
        bytes = await drain(response.body as unknown as AsyncIterable<Uint8Array>);
        return bytes;
      },
      async () => drain((await pg.unsafe(copyStatement(select, "STDOUT")).readable()) as AsyncIterable<Uint8Array>),
      runs,
    );
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      `${label.padEnd(28)} ${`${s(result.paydesk.median)} / ${s(result.paydesk.p95)}`.padStart(24)} ${`${s(result.raw.median)} / ${s(result.raw.p95)}`.padStart(22)} ${ratio(result.paydesk, result.raw).padStart(11)} ${mb(bytes).padStart(8)}`,
    );
  }
  console.log(`\npeak RSS of this process: ${mb(peakRss)}; load average at the end: ${loadAverage()}`);
} finally {
  clearInterval(sampler);
  await handle.close();
}
