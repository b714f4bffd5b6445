// Benchmark of the staff payments list (quick search, filters, date range, sort, totals, CSV
// export: see scripts/bench-export.ts) and the operation log, on a database seeded with a million payments:
//
//   createdb -h 127.0.0.1 -U postgres paydesk_bench_lists
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/paydesk_bench_lists npm run db:seed -- --payments 1000000
//   npx tsx scripts/bench-lists.ts [--db paydesk_bench_lists] [--runs 20] [--explain 6] [--only REGEX]
//                                  [--no-vacuum] [--read-only]
//   dropdb -h 127.0.0.1 -U postgres paydesk_bench_lists
//
// Connects to NAME on the server of BENCH_DATABASE_URL, DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres, applies pending migrations (so a new index
// reaches an existing bench database), VACUUM ANALYZEs (see scripts/bench-search.ts for why),
// then calls the service functions the screens call, as staff, one at a time: a warm-up and
// --runs timed calls each, printed as median and p95 milliseconds of the whole call (every
// query of it over postgres.js to a local server) with the rows and totals returned. A payments
// list is timed twice: its page (with the quick search's lookups) and, apart, its totals, which
// the screen streams in after the page ("totals" include the quick-search lookups again). Then
// it prints EXPLAIN (ANALYZE, BUFFERS) of every
// statement of the slowest calls. It never creates, seeds or drops the database; --read-only also
// leaves out the migration and the VACUUM ANALYZE (a shared bench database others measure too).
import type { Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { recogniseQuickSearch } from "../app/domain/quick-search";
import { parseSearchQuery, type FieldSpec } from "../app/domain/search-filter";
import { readDayRange, type InstantBounds } from "../app/domain/zoned-day-range";
import {
  OPERATION_LOG_FIELDS,
  searchOperationLog,
  type OperationLogCursor,
} from "../app/services/queries/operation-log.server";
import {
  paymentPage,
  paymentTotals,
  resolvePaymentQuery,
  type PaymentListOptions,
} from "../app/services/queries/payment-list.server";
import type { PaymentSort } from "../app/domain/payment-sort";
import { PAYMENT_SEARCH_FIELDS } from "../app/services/queries/payment-search.server";
import {
  analyzeDatabase,
  BENCH_STAFF,
  benchArgs,
  explainSlowest,
  openBenchDatabase,
  reportLoad,
  showTableSizes,
  timeCase,
  TIMING_HEADER,
  timingColumns,
} from "./bench-support";
import { EXACT_COUNT_CAP } from "../app/domain/search-filter";

const args = benchArgs();
const runs = args.count("--runs", 20);
const explainCount = Math.max(0, Number.parseInt(args.flag("--explain") ?? "6", 10) || 0);
const name = args.database("paydesk_bench_lists");
const { only } = args;
const readOnly = args.has("--read-only");
const handle = await openBenchDatabase(name, { readOnly });
const pg = handle.pg!;
const TIME_ZONE = "Europe/Oslo";

try {
  if (!readOnly) await migrateDatabase(handle);
  const [{ n: paymentCount }] = await pg`select count(*)::int as n from payments`;
  if (paymentCount < 100_000)
    console.warn(`only ${paymentCount} payments in ${name}: seed a million first (see the top of this file)`);
  if (!args.has("--no-vacuum") && !readOnly) await analyzeDatabase(pg, "vacuum analyze");
  if (readOnly) console.log("read-only: not migrated, vacuumed or analyzed");
  await showTableSizes(pg, ["payments", "payment_transactions", "operation_log"]);

  // ------------------------------------------------------------ sample values (from the data)
  const [sample] = await pg`
    select p.payment_id, p.order_id, p.created_at, t.card_number, t.rrn
      from payments p join payment_transactions t on t.payment_id = p.payment_id
     where p.payment_id >= (select (min(payment_id) + max(payment_id)) / 2 from payments)
       and t.card_number is not null and t.rrn is not null
     order by p.payment_id limit 1`;
  const [customer] = await pg`
    select customer_number from payments where payment_id >= ${sample.payment_id} and customer_number is not null
     order by payment_id limit 1`;
  const [operation] = await pg`
    select correlation_id, payment_id, transaction_id from operation_log
     where payment_id = ${sample.payment_id} order by id limit 1`;
  const [tvm] =
    await pg`select pos from operation_log where pos like 'TVM-%' and payment_id >= ${sample.payment_id} order by payment_id limit 1`;
  // A row far back in the log: a million rows on the bench database, half the log on a small one.
  const [{ n: logRows }] = await pg`select count(*)::int as n from operation_log`;
  const back = Math.min(1_000_000, Math.floor(logRows / 2));
  const [deep] =
    await pg`select created_at, id from operation_log order by created_at desc, id desc offset ${back} limit 1`;
  const fourDigitId: number = Number(sample.card_number) >= 1000 ? Number(sample.card_number) : 4242;
  console.log(
    `samples: payment ${sample.payment_id} (order ${sample.order_id}, card ${sample.card_number}, rrn ${sample.rrn}), ` +
      `customer ${customer.customer_number}, correlation ${operation.correlation_id}, pos ${tvm.pos}`,
  );

  const today = new Date().toISOString().slice(0, 10);
  const dayBack = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const range = (from: string, to: string): InstantBounds => {
    const outcome = readDayRange(new URLSearchParams({ from, to }), TIME_ZONE);
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.bounds;
  };
  const yesterday = range(dayBack(1), dayBack(1));
  const lastWeek = range(dayBack(6), today);
  const last90 = range(dayBack(89), today);
  const filters = (query: string, spec: Record<string, FieldSpec>) => {
    const outcome = parseSearchQuery(new URLSearchParams(query), spec);
    if (!outcome.ok) throw new Error(`${query}: ${JSON.stringify(outcome.errors)}`);
    return outcome.query.filters;
  };

  // ------------------------------------------------------------ cases
  type Outcome = { rows: number; total: string };
  /** `raw`: hand-written SQL doing the same work, timed interleaved with Paydesk's call. */
  type Case = { label: string; run: (database: Db) => Promise<Outcome>; raw?: () => Promise<unknown> };
  const cases: Case[] = [];

  const listCase = (
    label: string,
    options: {
      query?: string;
      q?: string;
      created?: InstantBounds;
      sort?: PaymentSort;
      page?: number;
      perPage?: number;
      /** Ask for exact totals (what every list counted before the cap). */
      exactTotals?: boolean;
      /** The condition on payments p, for the hand-written totals beside Paydesk's. */
      rawWhere?: string;
      /** A next link's cursor (decision 058): the page after this place, newest first. */
      older?: { createdAt: Date; id: number };
      /** Time the hand-written page beside Paydesk's (newest first, no quick search). */
      rawPage?: boolean;
    },
  ) => {
    const quick = recogniseQuickSearch(options.q ?? null);
    if (!quick.ok) throw new Error(quick.message);
    const list: PaymentListOptions = {
      filters: filters(options.query ?? "", PAYMENT_SEARCH_FIELDS),
      quickSearch: quick.search,
      created: options.created,
      sort: options.sort,
      page: options.page ?? 1,
      perPage: options.perPage ?? 25,
    };
    // The screen shows the page first and streams the totals in after it, so they are timed apart.
    cases.push({
      label: `payments ${label}`,
      run: async () => {
        const { page: pageNumber, perPage, ...query } = list;
        const resolved = await resolvePaymentQuery(BENCH_STAFF, { query });
        const cursor = options.older ? { direction: "older" as const, from: options.older } : undefined;
        const page = await paymentPage(BENCH_STAFF, { resolved, page: pageNumber, perPage, cursor });
        const matched = resolved.quickSearch?.matched.map((m) => `${m.kind}:${m.count}`).join(" ") ?? "";
        return { rows: page.items.length, total: matched };
      },
      raw: options.rawPage
        ? () => rawListPage(options.rawWhere ?? "true", list.page, list.perPage, options.older)
        : undefined,
    });
    // The hand-written totals: the per-currency count and sum, of at most cap + 1 rows unless exact.
    const rawWhere = options.rawWhere;
    const limit = options.exactTotals ? "" : `limit ${EXACT_COUNT_CAP + 1}`;
    cases.push({
      label: `totals   ${label}`,
      run: async () => {
        const { page: _page, perPage: _perPage, ...query } = list;
        const resolved = await resolvePaymentQuery(BENCH_STAFF, { query });
        const { total, estimated, totals } = await paymentTotals(BENCH_STAFF, {
          resolved,
          exact: options.exactTotals,
        });
        return { rows: totals.length, total: `${estimated ? "~" : ""}${total.toLocaleString("en")}` };
      },
      raw:
        rawWhere === undefined
          ? undefined
          : async () => {
              const totals = await pg.unsafe(`select currency, count(*), sum(total_amount)::text
                           from (select currency, total_amount from payments p where ${rawWhere} ${limit}) m
                          group by currency order by currency`);
              // Above the cap, the planner's estimate, as Paydesk asks for it.
              if (!options.exactTotals && totals.reduce((n, row) => n + Number(row.count), 0) > EXACT_COUNT_CAP)
                await pg.unsafe(`explain (format json) select 1 from payments p where ${rawWhere}`);
            },
    });
  };
  const hasTransaction = (condition: string) =>
    `exists (select 1 from payment_transactions t where t.payment_id = p.payment_id and ${condition})`;
  /**
   * The hand-written list page: the page's payments with their organisation's name, newest
   * first, after a place (keyset) or by OFFSET, then the page's transactions in one more query.
   */
  const rawListPage = async (where: string, page: number, perPage: number, older?: { createdAt: Date; id: number }) => {
    const rows = older
      ? await pg.unsafe(
          `select p.payment_id, p.order_id, p.order_version, p.organisation_id, o.name, p.customer_number,
                  p.total_amount, p.currency, p.settlement_id, p.active, p.created_at
             from payments p join organisations o on o.id = p.organisation_id
            where (${where}) and (p.created_at, p.payment_id) < ($1::timestamptz, $2::bigint)
            order by p.created_at desc, p.payment_id desc limit ${perPage}`,
          [older.createdAt.toISOString(), older.id],
        )
      : await pg.unsafe(
          `select p.payment_id, p.order_id, p.order_version, p.organisation_id, o.name, p.customer_number,
                  p.total_amount, p.currency, p.settlement_id, p.active, p.created_at
             from payments p join organisations o on o.id = p.organisation_id
            where ${where} order by p.created_at desc, p.payment_id desc limit ${perPage} offset ${(page - 1) * perPage}`,
        );
    await pg.unsafe(
      `select payment_id, transaction_id, status, payment_type, payment_type_group, card_number, amount, currency
         from payment_transactions where payment_id = any($1::bigint[]) order by payment_id, transaction_id`,
      [rows.map((row) => row.payment_id)],
    );
  };
  /** The place of the last row of page `page - 1` (perPage 25, newest first): the next link's older=. */
  const edgeBefore = async (page: number, perPage = 25) => {
    const [row] = await pg.unsafe(
      `select created_at, payment_id from payments order by created_at desc, payment_id desc
        offset ${(page - 1) * perPage - 1} limit 1`,
    );
    return { createdAt: new Date(row.created_at), id: Number(row.payment_id) };
  };
  const byAmount = (direction: "asc" | "desc"): PaymentSort => ({ key: "totalAmount", direction });

  listCase("quick paymentId", { q: String(sample.payment_id) });
  listCase("quick orderId", { q: sample.order_id });
  listCase("quick rrn", { q: sample.rrn });
  listCase("quick last 4 (card or paymentId)", { q: sample.card_number });
  listCase("quick 4 digits, a paymentId", { q: String(fourDigitId) });
  listCase("quick masked card", { q: `•••• ${sample.card_number}` });
  listCase("quick no match", { q: "NO-SUCH-ORDER" });
  listCase("quick last 4 + a week", { q: sample.card_number, created: lastWeek });
  listCase("no filter", { rawWhere: "true" });
  listCase("no filter, exact totals", { exactTotals: true, rawWhere: "true" });
  listCase("no filter page 200", { page: 200 });
  listCase("no filter page 2000", { page: 2000, rawPage: true });
  listCase("no filter keyset page 200 (next link)", { page: 200, older: await edgeBefore(200), rawPage: true });
  listCase("no filter keyset page 2000 (next link)", { page: 2000, older: await edgeBefore(2000), rawPage: true });
  listCase("no filter perPage 100", { perPage: 100 });
  listCase("customerNumber", { query: `customerNumber=${customer.customer_number}` });
  listCase("day range: yesterday", { created: yesterday });
  listCase("day range: 7 days", { created: lastWeek });
  listCase("day range: 90 days", { created: last90 });
  listCase("status AUTHORIZED", { query: "status=AUTHORIZED", rawWhere: hasTransaction("t.status = 'AUTHORIZED'") });
  listCase("status CAPTURED", { query: "status=CAPTURED", rawWhere: hasTransaction("t.status = 'CAPTURED'") });
  listCase("status CAPTURED, exact totals", {
    query: "status=CAPTURED",
    exactTotals: true,
    rawWhere: hasTransaction("t.status = 'CAPTURED'"),
  });
  listCase("status CAPTURED + yesterday", { query: "status=CAPTURED", created: yesterday });
  listCase("status CAPTURED + totalAmount >= 500", { query: "status=CAPTURED&totalAmount=gte:500" });
  listCase("paymentType VIPPS + 7 days", { query: "paymentType=VIPPS", created: lastWeek });
  listCase("totalAmount 1000–1300", { query: "totalAmount=gte:1000&totalAmount=lte:1300" });
  listCase("sort totalAmount desc", { sort: byAmount("desc") });
  listCase("sort totalAmount asc", { sort: byAmount("asc") });
  listCase("sort totalAmount desc page 200", { sort: byAmount("desc"), page: 200 });
  listCase("sort totalAmount desc + yesterday", { sort: byAmount("desc"), created: yesterday });
  listCase("sort totalAmount desc + status AUTHORIZED", { sort: byAmount("desc"), query: "status=AUTHORIZED" });
  listCase("sort paymentId asc", { sort: { key: "paymentId", direction: "asc" } });
  listCase("sort createdAt asc + 7 days", { sort: { key: "createdAt", direction: "asc" }, created: lastWeek });

  const logCase = (label: string, options: { query?: string; created?: InstantBounds; older?: OperationLogCursor }) => {
    const parsed = filters(options.query ?? "", OPERATION_LOG_FIELDS);
    cases.push({
      label: `log      ${label}`,
      run: async () => {
        const page = await searchOperationLog(BENCH_STAFF, {
          filters: parsed,
          created: options.created,
          cursor: options.older ? { direction: "older", from: options.older } : null,
          perPage: 50,
        });
        return {
          rows: page.items.length,
          total: `${page.matching.moreThan ? ">" : ""}${page.matching.count.toLocaleString("en")}`,
        };
      },
    });
  };
  logCase("no filter", {});
  logCase(`no filter, ${back.toLocaleString("en")} rows back`, {
    older: { createdAt: new Date(deep.created_at), id: Number(deep.id) },
  });
  logCase("correlationId", { query: `correlationId=${operation.correlation_id}` });
  logCase("paymentId", { query: `paymentId=${operation.payment_id}` });
  logCase("transactionId", { query: `transactionId=${operation.transaction_id}` });
  logCase("operation CAPTURE", { query: "operation=CAPTURE" });
  logCase("operation IMPORT", { query: "operation=IMPORT" });
  logCase("operation UPDATE", { query: "operation=UPDATE" });
  logCase("clientName entur-kundesenter", { query: "clientName=entur-kundesenter" });
  logCase("clientName paydesk-backoffice", { query: "clientName=paydesk-backoffice" });
  logCase("clientName unknown", { query: "clientName=no-such-client" });
  logCase("pos one ticket machine", { query: `pos=${tvm.pos}` });
  logCase("distributionChannel web + yesterday", { query: "distributionChannel=web", created: yesterday });
  logCase("distributionChannel customer-service", { query: "distributionChannel=customer-service" });
  logCase("operation CREDIT + 7 days", { query: "operation=CREDIT", created: lastWeek });
  logCase("day range: yesterday", { created: yesterday });

  // ------------------------------------------------------------ timing
  type Result = { label: string; median: number; p95: number; outcome: Outcome; run: Case["run"] };
  const results: Result[] = [];
  const selected = cases.filter((c) => !only || only.test(c.label));
  const loadAfter = reportLoad();
  console.log(
    `${selected.length} calls, 1 warm-up + ${runs} timed runs each, one at a time; where hand-written SQL does ` +
      "the same work, it runs interleaved with Paydesk's call (raw median and p95, and the ratios)\n",
  );
  const header = `${"call".padEnd(52)} ${TIMING_HEADER} ${"rows".padStart(5)}  total`;
  console.log(header);
  console.log("-".repeat(header.length + 10));
  for (const c of selected) {
    const { paydesk, raw, outcome } = await timeCase(() => c.run(handle.db), c.raw, runs);
    results.push({ label: c.label, ...paydesk, outcome, run: c.run });
    console.log(
      `${c.label.padEnd(52)} ${timingColumns(paydesk, raw)} ${String(outcome.rows).padStart(5)}  ${outcome.total}`,
    );
  }
  loadAfter();

  // ------------------------------------------------------------ explain the slowest
  await explainSlowest(pg, results, explainCount);
} finally {
  await handle.close();
}
