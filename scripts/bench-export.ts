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
// and `COPY (a hand-written select of the same file) TO STDOUT` read to the end over the same
// connection pool; the two files are compared byte for byte (the export's byte-order mark aside).
// It prints both medians and p95s in seconds, their ratio, the bytes, and the process's peak RSS
// (sampled every 50 ms) to show the memory stays bounded, then a bare `COPY payments TO STDOUT`
// as the floor; the load average comes first, since on a shared machine every figure is read
// beside it. It never creates, seeds or drops the database.
import { migrateDatabase } from "../db/migrate";
import { csvExportResponse } from "../app/http/staff/csv.server";
import { exportPayments } from "../app/services/admin/csv-export.server";
import { createHash } from "node:crypto";
import { resolvePaymentQuery, type PaymentQuery } from "../app/services/queries/payment-list.server";
import { readDayRange } from "../app/domain/zoned-day-range";
import { BENCH_STAFF, benchArgs, loadAverage, openBenchDatabase, ratio, timeBeside } from "./bench-support";

const args = benchArgs();
const runs = args.count("--runs", 3);
const name = args.database("paydesk_bench_lists");
const { only } = args;
const handle = await openBenchDatabase(name);
const pg = handle.pg!;

/** Reads a byte stream to its end; answers how many bytes came and their SHA-256. */
async function drain(stream: AsyncIterable<Uint8Array>, skip = 0): Promise<{ bytes: number; sha: string }> {
  let bytes = 0;
  const hash = createHash("sha256");
  for await (const chunk of stream) {
    hash.update(bytes >= skip ? chunk : chunk.subarray(Math.max(0, skip - bytes)));
    bytes += chunk.byteLength;
  }
  return { bytes, sha: hash.digest("hex") };
}

// The file as a person who knows PostgreSQL would write it by hand, not built by Paydesk's code:
// the same columns, formatting and order, so that the bytes must match.
const text = (c: string) =>
  `(case when ${c} ~ E'^[-=+@\\t\\r]' and ${c} !~ '^-?[0-9]+([.][0-9]+)?$' then '''' || ${c} else ${c} end)`;
const amount = (c: string) =>
  `(case when scale(trim_scale(${c})) < 2 then round(${c}, 2)::text else trim_scale(${c})::text end)`;
const handWritten = (where: string, orderBy: string) => `COPY (
  select p.payment_id as "paymentId",
    to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
    ${text("p.order_id")} as "orderId", p.order_version as "orderVersion", p.organisation_id as "organisationId",
    ${text("o.name")} as "organisationName", ${text("p.customer_number")} as "customerNumber",
    p.currency as "currency", ${amount("p.total_amount")} as "totalAmount",
    (case when p.active then 'true' else 'false' end) as "active", p.settlement_id as "settlementId",
    s.n as "transactionCount", ${text("s.statuses")} as "statuses", ${text("s.types")} as "paymentTypes",
    ${text("s.cards")} as "cardNumbers", ${text("s.rrns")} as "rrns", ${amount("s.authorized")} as "authorizedAmount",
    ${amount("s.captured")} as "capturedAmount", ${amount("s.credited")} as "creditedAmount"
  from payments p join organisations o on o.id = p.organisation_id
  cross join lateral (
    select count(*)::int as n, string_agg(status, ';') as statuses,
      string_agg(coalesce(payment_type, payment_type_group), ';') as types,
      string_agg(card_number, ';') as cards, string_agg(rrn, ';') as rrns,
      coalesce(sum(authorized_amount), 0) as authorized, coalesce(sum(captured_amount), 0) as captured,
      coalesce(sum(credited_amount), 0) as credited
    from (select * from payment_transactions t where t.payment_id = p.payment_id order by t.transaction_id) t
  ) s
  where ${where}
  order by ${orderBy}
) TO STDOUT WITH (FORMAT csv, HEADER)`;
const BYTE_ORDER_MARK = 3;

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
  const { gte, lt } = lastWeek.bounds;
  const cases: [string, PaymentQuery, string][] = [
    ["everything, newest first", { filters: {} }, handWritten("true", "p.created_at desc, p.payment_id desc")],
    [
      "7 days, by amount desc",
      { filters: {}, created: lastWeek.bounds, sort: { key: "totalAmount", direction: "desc" } },
      handWritten(
        `p.created_at >= '${gte?.toISOString()}' and p.created_at < '${lt?.toISOString()}'`,
        "p.total_amount desc, p.payment_id desc",
      ),
    ],
  ];

  console.log(
    `\n${"case".padEnd(28)} ${"paydesk s (median/p95)".padStart(24)} ${"hand COPY s (median/p95)".padStart(26)} ${"ratio".padStart(11)} ${"bytes".padStart(8)} same`,
  );
  for (const [label, query, hand] of cases) {
    if (only && !only.test(label)) continue;
    let ours = { bytes: 0, sha: "" };
    let theirs = { bytes: 0, sha: "" };
    await resolvePaymentQuery(BENCH_STAFF, { query });
    const result = await timeBeside(
      async () => {
        const file = await exportPayments(BENCH_STAFF, { query, filters: "bench" });
        const response = csvExportResponse("payments.csv", file);
        ours = await drain(response.body as unknown as AsyncIterable<Uint8Array>, BYTE_ORDER_MARK);
      },
      async () => (theirs = await drain((await pg.unsafe(hand).readable()) as AsyncIterable<Uint8Array>)),
      runs,
    );
    const bytes = ours.bytes;
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      `${label.padEnd(28)} ${`${s(result.paydesk.median)} / ${s(result.paydesk.p95)}`.padStart(24)} ${`${s(result.raw.median)} / ${s(result.raw.p95)}`.padStart(22)} ${ratio(result.paydesk, result.raw).padStart(26 - 22 + 11)} ${mb(bytes).padStart(8)} ${ours.sha === theirs.sha ? "yes" : "NO"}`,
    );
  }
  const floor = performance.now();
  const bare = await drain(
    (await pg.unsafe("COPY payments TO STDOUT WITH (FORMAT csv, HEADER)").readable()) as AsyncIterable<Uint8Array>,
  );
  console.log(
    `\nfloor: bare COPY payments TO STDOUT ${((performance.now() - floor) / 1000).toFixed(1)} s, ${mb(bare.bytes)}`,
  );
  console.log(`\npeak RSS of this process: ${mb(peakRss)}; load average at the end: ${loadAverage()}`);
} finally {
  clearInterval(sampler);
  await handle.close();
}
