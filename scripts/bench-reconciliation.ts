// The reconciliation matcher on a generated settlement report (default 100 000 lines) with seeded
// differences: Paydesk's import (stream, check, store, match; app/services/reconciliation) must
// find exactly the seeded differences, no more, no fewer; its time and peak memory are printed
// beside raw PostgreSQL doing comparable work (COPY of the same file into a temp table and a
// hand-written matching join). PostgreSQL only (DATABASE_URL, default the local server): it makes
// a database of its own and drops it.
//
// --import-lines N measures the real upload instead: the built app (`npx remix build` first) runs
// as a server process of its own, finance logs in and posts the N-line file as the Reconciliation
// page does (a streamed multipart body, its upload token first) while the progress route is asked
// every second, as the page asks; the server process's time, resident memory (sampled, and the
// kernel's high-water mark) and the progress seen are printed beside a raw COPY of the same file.
//
//   npx tsx scripts/bench-reconciliation.ts [--lines 100000]
//   npx tsx scripts/bench-reconciliation.ts --import-lines 1000000
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, setDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { REPORT_COLUMNS } from "../app/domain/settlement-report";
import { importSettlementReport } from "../app/services/reconciliation/settlement-reports.server";
import { totpCode } from "../app/auth/totp.server";
import { createStaffUser } from "../app/services/admin/staff-users.server";
import { BENCH_STAFF, loadAverage, startAppProcess } from "./bench-support";
import { openReportUpload } from "../tests/support/report-upload";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
/** Lines of the file posted to the app server over HTTP; 0: the use-case is called in this process. */
const IMPORT_LINES = arg("import-lines", 0);
const LINES = IMPORT_LINES || arg("lines", 100_000);
const SETTLEMENTS = 10;
// The seeded differences (prime counts, so a category off by a multiple shows).
const SEEDED = { AMOUNT_DIFFERS: 37, MISSING_IN_PAYDESK: 23 + 11, MISSING_AT_PROVIDER: 19 + 7 };
const REFUNDS = Math.floor(LINES / 50);
const CAPTURES = LINES - SETTLEMENTS - REFUNDS - 11; // every other line: fees and unknown refunds
/** Capture lines Paydesk has a transaction for (the last 23 it has not). */
const REPORTED = CAPTURES - 23;
const DIFFERING = Array.from({ length: SEEDED.AMOUNT_DIFFERS }, (_, k) => 1000 + k * 997);

const settlement = (i: number) => `BENCH-S-${String(i % SETTLEMENTS).padStart(2, "0")}`;
const rrn = (i: number) => `9${String(i).padStart(11, "0")}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** The references each kind of difference must name, exactly. */
const EXPECTED: Record<keyof typeof SEEDED, Set<string>> = {
  AMOUNT_DIFFERS: new Set(DIFFERING.map(rrn)),
  MISSING_IN_PAYDESK: new Set([
    ...range(REPORTED + 1, CAPTURES).map((i) => `SEEDED-${i}`),
    ...range(1, 11).map((i) => `SEEDED-R-${i}`),
  ]),
  MISSING_AT_PROVIDER: new Set([
    ...range(REPORTED + 1, REPORTED + 19).map((i) => `8${String(i).padStart(11, "0")}`),
    ...range(REFUNDS + 1, REFUNDS + 7).map((i) => `8R-${i}`),
  ]),
};

async function main() {
  const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  console.log(`load average at start: ${loadAverage()} (${os.cpus().length} cores)`);
  const name = `paydesk_bench_recon_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  const handle = await openDatabase({ url, maxConnections: 4 });
  const file = path.join(os.tmpdir(), `paydesk-bench-report-${process.pid}.csv`);
  try {
    await migrateDatabase(handle);
    setDatabase(handle);
    const seededAt = performance.now();
    await seedPaydesk(handle.db);
    await writeReport(file);
    const size = fs.statSync(file).size;
    console.log(
      `${LINES} lines (${(size / 1e6).toFixed(1)} MB), ${REPORTED + 19} captures and ${REFUNDS + 7} credits in Paydesk; set up in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`,
    );

    // Paydesk: the use-case as the upload calls it on a file stream, or the upload itself over HTTP.
    let paydeskMs: number;
    let memory: string;
    if (IMPORT_LINES) {
      const upload = await uploadOverHttp(url, file, size);
      paydeskMs = upload.ms;
      memory = upload.memory;
    } else {
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const t0 = performance.now();
      const outcome = await importSettlementReport(BENCH_STAFF, {
        fileName: path.basename(file),
        uploadToken: `bench-${process.pid}-${Date.now()}`,
        content: fs.createReadStream(file, { highWaterMark: 64 * 1024 }),
      });
      paydeskMs = performance.now() - t0;
      clearInterval(sampler);
      if (outcome.kind !== "imported") throw new Error("the bench file was imported before");
      memory = `rss ${mb(peak)} (+${mb(peak - before)} over the ${mb(before)} before; maxRSS ${mb(process.resourceUsage().maxRSS * 1024)})`;
    }
    const found = await handle.db.execute(sql`select kind, reference from reconciliation_differences`);
    const rows = (Array.isArray(found) ? found : (found as { rows: unknown[] }).rows) as {
      kind: keyof typeof SEEDED;
      reference: string;
    }[];

    // Raw PostgreSQL: COPY the same file into a temp table, then one hand-written matching join.
    const raw = postgres(url, { max: 1, onnotice: () => {} });
    const r0 = performance.now();
    await raw`create temp table raw_lines (settlement_id text, booking_date date, type text, reference text,
      gross_amount numeric, fee numeric, net_amount numeric, currency text)`;
    await pipeline(
      fs.createReadStream(file),
      await raw`copy raw_lines from stdin with (format csv, header true)`.writable(),
    );
    const copyMs = performance.now() - r0;
    const rawCounts = await raw`
      select
        count(*) filter (where l.type <> 'FEE' and t.transaction_id is null and ct.credit_transaction_id is null)::int as missing_in_paydesk,
        count(*) filter (where l.type = 'CAPTURE' and t.captured_amount <> l.gross_amount)::int as amount_differs
      from raw_lines l
      left join payment_transactions t on l.type = 'CAPTURE' and t.rrn = l.reference and t.captured_amount > 0
      left join credit_transactions ct on l.type = 'REFUND' and ct.provider_reference = l.reference and ct.status = 'CREDITED'`;
    const rawMissingAtProvider = await raw`
      select count(*)::int as n from payments p join payment_transactions t on t.payment_id = p.payment_id
      where p.settlement_id like 'BENCH-S-%' and t.captured_amount > 0
        and not exists (select 1 from raw_lines l where l.type = 'CAPTURE' and l.reference = t.rrn)`;
    const rawMs = performance.now() - r0;
    await raw.end();

    const result = (Object.keys(SEEDED) as (keyof typeof SEEDED)[]).map((kind) => {
      const references = rows.filter((row) => row.kind === kind).map((row) => row.reference);
      return {
        kind,
        seeded: EXPECTED[kind].size,
        found: references.length,
        foundSeeded: references.filter((reference) => EXPECTED[kind].has(reference)).length,
      };
    });
    console.log("\ndifferences          seeded  found  of them seeded");
    for (const r of result) {
      console.log(
        `${r.kind.padEnd(20)} ${String(r.seeded).padStart(6)} ${String(r.found).padStart(6)} ${String(r.foundSeeded).padStart(6)}`,
      );
    }
    console.log(`\n                     time      peak memory`);
    console.log(
      `${IMPORT_LINES ? "Paydesk upload " : "Paydesk import "}   ${(paydeskMs / 1000).toFixed(2).padStart(7)} s   ${memory}`,
    );
    console.log(`raw COPY          ${(copyMs / 1000).toFixed(2).padStart(7)} s   (the same file into a scratch table)`);
    console.log(
      `raw PostgreSQL    ${(rawMs / 1000).toFixed(2).padStart(7)} s   (COPY + join; found ${rawCounts[0].amount_differs} amount differs, ${rawCounts[0].missing_in_paydesk} missing in Paydesk, ${rawMissingAtProvider[0].n} missing at provider)`,
    );
    console.log(`load average at end: ${loadAverage()}`);
    const exact = result.every((r) => r.found === r.seeded && r.foundSeeded === r.seeded);
    console.log(exact ? "\nOK: exactly the seeded differences" : "\nFAILED: not exactly the seeded differences");
    if (!exact) process.exitCode = 1;
  } finally {
    setDatabase(undefined);
    fs.rmSync(file, { force: true });
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/**
 * Paydesk's side, in SQL: one captured transaction per capture line (rrn 9…), those the report
 * lacks (rrn 8…, missing at the provider), and an executed credit per refund line (and 7 the
 * report lacks). The report's amounts differ from Paydesk's on the seeded lines only.
 */
async function seedPaydesk(db: import("../db/client").Db) {
  const total = REPORTED + 19;
  await db.execute(sql`insert into organisations (id, name) values (7001, 'Bench AS')`);
  await db.execute(sql`
    insert into payments (payment_id, organisation_id, total_amount, settlement_id)
    select i, 7001, 100 + (i % 900), 'BENCH-S-' || lpad((i % ${SETTLEMENTS})::text, 2, '0')
    from generate_series(1, ${total}) i`);
  // Transactions 1..REPORTED are reported (rrn 9…); the last 19 are not (rrn 8…).
  await db.execute(sql`
    insert into payment_transactions (transaction_id, payment_id, organisation_id, amount, currency, status,
      payment_type_group, payment_type, rrn, authorized_amount, captured_amount)
    select i, i, 7001, 100 + (i % 900), 'NOK', 'CAPTURED', 'PAYMENTCARD', 'VISA',
      case when i <= ${REPORTED} then '9' else '8' end || lpad(i::text, 11, '0'), 100 + (i % 900), 100 + (i % 900)
    from generate_series(1, ${total}) i`);
  await db.execute(sql`
    insert into credits (credit_id, organisation_id, total_credit_amount, settlement_id, status)
    select i, 7001, 10, 'BENCH-S-' || lpad((i % ${SETTLEMENTS})::text, 2, '0'), 'CREDITED'
    from generate_series(1, ${REFUNDS + 7}) i`);
  await db.execute(sql`
    insert into credit_transactions (credit_id, payment_id, transaction_id, amount, status, reimbursement_method,
      reimbursement_type_group, provider_reference)
    select i, i, i, 10, 'CREDITED', 'PAYMENTCARD', 'PAYMENTCARD',
      case when i <= ${REFUNDS} then 'BR-' else '8R-' end || i
    from generate_series(1, ${REFUNDS + 7}) i`);
  await db.execute(sql`update payment_transactions set credited_amount = 10 where transaction_id <= ${REFUNDS + 7}`);
  await db.execute(sql`select setval('payments_payment_id_seq', ${total + 1})`);
  await db.execute(sql`analyze`);
}

/** The report: a capture line per reported transaction (37 with another amount, 23 unknown), refunds, fees. */
async function writeReport(file: string) {
  const out = fs.createWriteStream(file);
  const write = (line: string) =>
    out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  await write(`${REPORT_COLUMNS.join(",")}\n`);
  const line = (s: string, type: string, reference: string, gross: bigint) => {
    const fee = gross > 0n ? gross / 100n : 0n;
    const cents = (v: bigint) =>
      `${v < 0n ? "-" : ""}${(v < 0n ? -v : v) / 100n}.${String((v < 0n ? -v : v) % 100n).padStart(2, "0")}`;
    return `${s},2026-12-01,${type},${reference},${cents(gross)},${cents(fee)},${cents(gross - fee)},NOK\n`;
  };
  const differing = new Set(DIFFERING);
  for (let i = 1; i <= CAPTURES; i++) {
    const unknown = i > REPORTED;
    const amount = BigInt(100 + (i % 900)) * 100n + (differing.has(i) ? 100n : 0n);
    await write(line(settlement(i), "CAPTURE", unknown ? `SEEDED-${i}` : rrn(i), amount));
  }
  for (let i = 1; i <= REFUNDS; i++) await write(line(settlement(i), "REFUND", `BR-${i}`, -1000n));
  for (let i = 1; i <= 11; i++) await write(line(settlement(i), "REFUND", `SEEDED-R-${i}`, -1000n));
  for (let s = 0; s < SETTLEMENTS; s++) await write(`${settlement(s)},2026-12-01,FEE,,0.00,10.00,-10.00,NOK\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A process's resident memory now and its high-water mark, from /proc (Linux), in bytes. */
function residentMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return null;
  }
}

const BENCH_FINANCE = {
  email: "bench-finance@paydesk.test",
  password: "bench finance password 2026",
  totpSecret: "YJD2S4VS6WDBOWHYVQMCEXJ2LHUOGHUZ",
};

/** Logs finance in through the forms (password, then the second factor); answers the session cookie. */
async function logIn(base: string): Promise<string> {
  const post = async (pathname: string, fields: Record<string, string>, cookie?: string) => {
    const response = await fetch(`${base}${pathname}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: base,
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: new URLSearchParams(fields),
    });
    const cookieSet = response.headers.get("set-cookie")?.split(";")[0];
    if (response.status !== 302 || !cookieSet) throw new Error(`${pathname}: ${response.status}`);
    return cookieSet;
  };
  const pending = await post("/login", { email: BENCH_FINANCE.email, password: BENCH_FINANCE.password });
  return post("/login/code", { code: totpCode(BENCH_FINANCE.totpSecret, Date.now()) }, pending);
}

/**
 * Starts the app server on the bench database, posts the report as the Reconciliation page does
 * and asks for its progress meanwhile; answers the upload's time and the server's memory.
 */
async function uploadOverHttp(databaseUrl: string, file: string, size: number) {
  await createStaffUser(
    { kind: "system", name: "bench", correlationId: "bench" },
    { ...BENCH_FINANCE, role: "finance", name: "Bench finance" },
  );
  const app = await startAppProcess({ DATABASE_URL: databaseUrl, PAYDESK_SEED: "none", LOG_LEVEL: "warn" });
  try {
    const cookie = await logIn(app.url);
    // Warm up the route (the server's first request loads the build) before measuring.
    await (await fetch(`${app.url}/reconciliation`, { headers: { Cookie: cookie } })).text();
    const before = residentMemory(app.pid)!;
    let peak = before.rss;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMemory(app.pid)?.rss ?? 0)), 100);
    const token = `bench${process.pid}${Date.now()}`;
    const progress: string[] = [];
    let lastShown = -1;
    const poller = setInterval(async () => {
      const response = await fetch(`${app.url}/reconciliation/progress?token=${token}`, {
        headers: { Cookie: cookie },
      }).catch(() => null);
      if (!response?.ok) return;
      const read = (await response.json()) as { status: string; linesRead: number; bytesRead: number };
      const percent = Math.floor((read.bytesRead / size) * 10) * 10;
      if (read.status === "RUNNING" && percent > lastShown) {
        lastShown = percent;
        const line = `  progress: ${read.linesRead} lines (${percent} % of the bytes), server rss ${mb(residentMemory(app.pid)?.rss ?? 0)}`;
        progress.push(line);
        console.log(line);
      }
    }, 1_000);
    const t0 = performance.now();
    const { status, body } = await postReport(app.url, cookie, token, file);
    const ms = performance.now() - t0;
    clearInterval(sampler);
    clearInterval(poller);
    const after = residentMemory(app.pid)!;
    if (status !== 200) {
      console.error(
        app
          .output()
          .split("\n")
          .filter((line) => line.includes('"error"'))
          .join("\n"),
      );
      throw new Error(`the upload answered ${status}: ${body.slice(0, 300)}`);
    }
    console.log(`  answer: ${status} ${body.slice(0, 160)}`);
    console.log(`  progress seen ${progress.length} times while the file streamed in`);
    return {
      ms,
      memory: `server rss ${mb(peak)} at the most (+${mb(peak - before.rss)} over the ${mb(before.rss)} before; VmHWM ${mb(after.hwm)})`,
    };
  } finally {
    await app.stop();
  }
}

/** POSTs the file as a streamed multipart body (chunked, the token part first); answers status and body. */
function postReport(origin: string, cookie: string, token: string, file: string) {
  const { request, answer, tail } = openReportUpload(origin, {
    cookie,
    token,
    fileName: path.basename(file),
    headers: { Accept: "application/json" },
  });
  const source = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
  source.on("error", (error) => request.destroy(error));
  source.pipe(request, { end: false });
  source.on("end", () => request.end(tail));
  return answer;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
