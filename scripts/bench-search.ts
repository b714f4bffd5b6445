// Benchmark of the searches support agents run, against a million payments on a real server:
//
//   npx tsx scripts/bench-search.ts [--payments 1000000] [--runs 20] [--explain 6] [--db NAME] [--keep]
//                                   [--only REGEX] [--no-vacuum] [--cold] [--read-only]
//
// Creates the database paydesk_bench_search (or NAME) on the server of BENCH_DATABASE_URL,
// DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres, migrates it, seeds the demo base
// and the payments (db/seed.ts, bulk mode), VACUUM ANALYZEs, then times each search through the
// service functions (searchPayments and searchCredits as staff, who see every organisation, and
// as an API client confined to one organisation; listPayments, the header's search for
// everything, the dashboard and settlements of the staff screens): one call of every selected
// case first (--cold: not), then per case a warm-up and --runs timed calls, printed as median and
// p95 milliseconds with the rows returned and totalItems. The slowest few are run once more with their SQL captured
// and each statement is printed with an EXPLAIN (ANALYZE, BUFFERS) summary.
//
// With --keep or --db an existing database of that name is reused (migrated, so a new index
// migration is applied to it; seeded only if it holds fewer payments than asked), and --keep
// leaves it on the server at the end; otherwise it is dropped.
//
// --read-only (with --db NAME) times an existing database without writing it: no create, drop,
// migration, seeding or ANALYZE (a shared bench database others measure too).
//
// VACUUM: a freshly COPY-loaded table has no visibility map, so every index-only scan visits the
// heap until autovacuum's insert threshold fires (PostgreSQL 13+, within minutes of the load).
// The bench vacuums first so that it measures that steady state; --no-vacuum measures the
// moments after a bulk load instead.
import postgres from "postgres";
import type { Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { seedDemoDatabase } from "../db/demo";
import { addPayments } from "../db/seed";
import { parseSearchQuery, type FieldSpec } from "../app/domain/search-filter";
import type { Caller } from "../app/domain/caller";
import { PAYMENT_SEARCH_FIELDS, searchPayments } from "../app/services/queries/payment-search.server";
import { CREDIT_SEARCH_FIELDS, searchCredits } from "../app/services/queries/credit-search.server";
import { listPayments } from "../app/services/queries/payment-list.server";
import { getDashboard } from "../app/services/queries/dashboard.server";
import {
  getSettlementSummary,
  listSettlementDays,
  listSettlementOperations,
  settlementDayBatches,
  settlementOperationBatches,
} from "../app/services/queries/settlements.server";
import { presetRange, utcDay } from "../app/domain/day-range";
import {
  analyzeDatabase,
  BENCH_SERVER_URL,
  BENCH_STAFF,
  benchArgs,
  benchDatabaseUrl,
  explainSlowest,
  openBenchDatabase,
  reportLoad,
  showTableSizes,
  timeCase,
  TIMING_HEADER,
  timingColumns,
  type Timing,
} from "./bench-support";
import { EXACT_COUNT_CAP } from "../app/domain/search-filter";
import { recogniseStaffSearch, type StaffSearch } from "../app/domain/staff-search";
import { selectiveFragment } from "../app/domain/quick-search";
import { searchEverything } from "../app/services/queries/staff-search.server";
import { toDbAmount } from "../app/domain/money";

// ---------------------------------------------------------------- arguments

const args = benchArgs();
const { flag } = args;
function wholeNumber(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(value) || value < 0 || String(value) !== raw) {
    console.error(`${name} must be a whole number >= 0, not "${raw}"`);
    process.exit(2);
  }
  return value;
}
const paymentCount = wholeNumber("--payments", 1_000_000);
const runs = Math.max(1, wholeNumber("--runs", 20));
const explainCount = wholeNumber("--explain", 6);
const readOnly = args.has("--read-only");
const keep = args.has("--keep") || readOnly;
const vacuum = !args.has("--no-vacuum");
const name = args.database("paydesk_bench_search");
const reuse = keep || flag("--db") !== undefined;
const { only } = args;

const admin = postgres(BENCH_SERVER_URL, { max: 1, onnotice: () => {} });
const url = benchDatabaseUrl(name);

const [existing] = await admin`select 1 as one from pg_database where datname = ${name}`;
if (readOnly && (!existing || flag("--db") === undefined)) {
  console.error(`--read-only needs --db NAME of an existing database (${name}: ${existing ? "no --db" : "none"})`);
  process.exit(2);
}
if (!readOnly && existing && !reuse) await admin.unsafe(`drop database ${name} with (force)`);
if (!readOnly && (!existing || !reuse)) await admin.unsafe(`create database ${name}`);
console.log(`database ${name} on ${url.host} (${existing && reuse ? "reused" : "new"})`);

// Ctrl-C (or a closed pipe) must not leave a 2 GB database behind.
let interrupted = false;
const dropOnSignal = async (signal: string) => {
  if (interrupted) return;
  interrupted = true;
  console.error(`\n${signal}: ${keep ? `keeping ${name}` : `dropping ${name}`}`);
  if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
  process.exit(130);
};
process.on("SIGINT", () => void dropOnSignal("SIGINT"));
process.on("SIGTERM", () => void dropOnSignal("SIGTERM"));
process.stdout.on("error", () => void dropOnSignal("closed output"));

const handle = await openBenchDatabase(name, { readOnly });
const pg = handle.pg!;

try {
  // -------------------------------------------------------------- data
  if (!readOnly) await migrateDatabase(handle);
  const [{ n: present }] = await pg`select count(*)::int as n from payments`;
  const [{ n: staff }] = await pg`select count(*)::int as n from staff_users`;
  if (readOnly) console.log(`read-only: ${present.toLocaleString("en")} payments, not migrated, seeded or analyzed`);
  if (staff === 0 && !readOnly) await seedDemoDatabase(handle, { payments: 0 });
  if (present < paymentCount && !readOnly) {
    const started = performance.now();
    const added = await addPayments(handle, {
      payments: paymentCount - present,
      mode: paymentCount - present >= 200_000 ? "bulk" : undefined,
    });
    console.log(
      `seeded ${added.payments.toLocaleString("en")} payments in ${((performance.now() - started) / 1000).toFixed(1)} s (${added.mode} mode)`,
    );
  }
  if (!readOnly) await analyzeDatabase(pg, vacuum ? "vacuum analyze" : "analyze");
  await showTableSizes(pg, [
    "payments",
    "payment_transactions",
    "operation_log",
    "credits",
    "credit_transactions",
    "daily_volume",
  ]);

  // -------------------------------------------------------------- sample values
  // Taken from the data itself (deterministic for a fresh database of a given seed and day):
  // a payment in the middle of the id range with a card transaction, and what it is known by.
  const [sample] = await pg`
    select p.payment_id, p.order_id, p.organisation_id, p.total_amount::text as total_amount, p.created_at,
           t.card_number, t.rrn, t.transaction_id
      from payments p join payment_transactions t on t.payment_id = p.payment_id
     where p.payment_id >= (select (min(payment_id) + max(payment_id)) / 2 from payments)
       and t.card_number is not null and t.rrn is not null
     order by p.payment_id limit 1`;
  const [withCustomer] = await pg`
    select customer_number from payments
     where payment_id >= ${sample.payment_id} and customer_number is not null order by payment_id limit 1`;
  const [withSettlement] = await pg`
    select settlement_id from payments
     where payment_id >= ${sample.payment_id} and settlement_id is not null order by payment_id limit 1`;
  // A settlement of the first day: the worst case for a plan that walks newest-first and filters.
  const [oldSettlement] = await pg`
    select settlement_id from payments where settlement_id is not null and organisation_id = ${sample.organisation_id}
     order by created_at, payment_id limit 1`;
  const [creditSettlement] = await pg`
    select settlement_id from credits
     where credit_id >= (select (min(credit_id) + max(credit_id)) / 2 from credits) and settlement_id is not null
     order by credit_id limit 1`;
  const [withExternal] = await pg`
    select external_transaction_id from payment_transactions
     where payment_id >= ${sample.payment_id} and external_transaction_id is not null order by payment_id limit 1`;
  const [credited] = await pg`
    select c.credit_id, c.organisation_id, ct.transaction_id, ct.rrn
      from credits c join credit_transactions ct on ct.credit_id = c.credit_id
     where c.credit_id >= (select (min(credit_id) + max(credit_id)) / 2 from credits) and ct.rrn is not null
     order by c.credit_id limit 1`;
  const organisationId: number = sample.organisation_id;
  const clientRow =
    await pg`select client_id, name from api_clients where organisation_id = ${organisationId} order by client_id limit 1`;
  const creditOrganisationId: number = credited.organisation_id;
  console.log(
    `samples: payment ${sample.payment_id} (org ${organisationId}, order ${sample.order_id}, amount ${sample.total_amount}, ` +
      `card ${sample.card_number}, rrn ${sample.rrn}), customer ${withCustomer?.customer_number}, settlement ${withSettlement?.settlement_id}, ` +
      `external ${withExternal?.external_transaction_id}, credit ${credited.credit_id} (org ${creditOrganisationId}, transaction ${credited.transaction_id}, rrn ${credited.rrn})`,
  );

  const clientCaller = (org: number): Caller => ({
    kind: "client",
    clientId: clientRow[0]?.client_id ?? "bench",
    organisationId: org,
    privileged: false,
    channels: [],
    allowedRedirectPrefixes: [],
    clientName: clientRow[0]?.name ?? "bench",
    pos: null,
    distributionChannel: null,
    correlationId: "bench",
  });

  const day = 24 * 3600_000;
  const today = new Date(Math.floor(Date.now() / day) * day);
  const iso = (d: Date) => d.toISOString();
  const yesterday = `createdAt=gte:${iso(new Date(today.getTime() - day))}&createdAt=lt:${iso(today)}`;
  const lastWeek = `createdAt=gte:${iso(new Date(today.getTime() - 7 * day))}`;
  const last90 = `createdAt=gte:${iso(new Date(today.getTime() - 90 * day))}`;

  // -------------------------------------------------------------- cases
  type Outcome = { rows: number; total: number | null; estimated?: boolean };
  /** `raw`: hand-written SQL returning the same document, timed interleaved with Paydesk's call. */
  type Case = { label: string; run: (database: Db) => Promise<Outcome>; raw?: () => Promise<unknown> };
  const cases: Case[] = [];

  const parsed = (query: string, spec: Record<string, FieldSpec>) => {
    const outcome = parseSearchQuery(new URLSearchParams(query), spec, { exactTotal: true, after: true });
    if (!outcome.ok) throw new Error(`bench query ${query}: ${JSON.stringify(outcome.errors)}`);
    return outcome.query;
  };
  /**
   * The hand-written equivalent of a payments search page: the page of payments with each one's
   * transactions and their operation log as JSON, and the count up to the cap (what GET
   * /v1/payments answers without exactTotal), in one statement; above the cap, an EXPLAIN.
   */
  /**
   * With `after` (a keyset page, decision 058) the page is the rows after that place, one more
   * than perPage to tell whether another follows (as Paydesk reads it), and no OFFSET.
   */
  const rawPaymentPage =
    (
      where: string,
      params: unknown[],
      search: { page: number; perPage: number; after?: { createdAt: Date; id: number } },
    ) =>
    async () => {
      const after = search.after;
      const pageWhere = after
        ? `(${where}) and (p.created_at, p.payment_id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::bigint)`
        : where;
      const pageParams = after ? [...params, after.createdAt.toISOString(), after.id] : params;
      const [page] = await pg.unsafe(
        `with page as (
         select p.* from payments p where ${pageWhere}
          order by p.created_at desc, p.payment_id desc
          ${after ? `limit ${search.perPage + 1}` : `limit ${search.perPage} offset ${(search.page - 1) * search.perPage}`})
       select (select count(*) from (select 1 from payments p where ${where} limit ${EXACT_COUNT_CAP + 1}) c) as total,
              (select json_agg(json_build_object('payment', to_jsonb(page), 'transactions',
                        (select json_agg(json_build_object('transaction', to_jsonb(t), 'log',
                                  (select json_agg(o order by o.id) from operation_log o where o.transaction_id = t.transaction_id))
                                  order by t.transaction_id)
                           from payment_transactions t where t.payment_id = page.payment_id))
                      order by page.created_at desc, page.payment_id desc)
                 from page) as items`,
        pageParams as postgres.ParameterOrJSON<never>[],
      );
      // Above the cap, the planner's estimate, as Paydesk asks for it.
      if (Number(page.total) > EXACT_COUNT_CAP)
        await pg.unsafe(`explain (format json) select 1 from payments p where ${where}`, params as never[]);
    };
  const paymentCase = (
    label: string,
    query: string,
    who: "staff" | "client" | "both" = "both",
    raw?: { where: string; params?: unknown[] },
  ) => {
    const search = parsed(query, PAYMENT_SEARCH_FIELDS);
    for (const [tag, caller] of [
      ["staff", BENCH_STAFF],
      ["client", clientCaller(organisationId)],
    ] as const) {
      if (who !== "both" && who !== tag) continue;
      const where = raw && (tag === "client" ? `p.organisation_id = ${organisationId} and (${raw.where})` : raw.where);
      cases.push({
        label: `payments ${tag.padEnd(6)} ${label}`,
        run: async () => {
          const page = await searchPayments(caller, { query: search });
          return { rows: page.items.length, total: page.totalItems, estimated: page.totalItemsEstimated };
        },
        raw:
          where === undefined
            ? undefined
            : rawPaymentPage(where, raw?.params ?? [], {
                ...search,
                after: search.after && { createdAt: search.after.createdAt, id: search.after.id },
              }),
      });
    }
  };
  const hasTransaction = (condition: string) =>
    `exists (select 1 from payment_transactions t where t.payment_id = p.payment_id and ${condition})`;
  const creditCase = (label: string, query: string) => {
    const search = parsed(query, CREDIT_SEARCH_FIELDS);
    for (const [tag, caller] of [
      ["staff", BENCH_STAFF],
      ["client", clientCaller(creditOrganisationId)],
    ] as const) {
      cases.push({
        label: `credits  ${tag.padEnd(6)} ${label}`,
        run: async () => {
          const page = await searchCredits(caller, { query: search });
          return { rows: page.items.length, total: page.totalItems };
        },
      });
    }
  };

  // Point lookups, each beside the hand-written page of the same one payment.
  paymentCase("paymentId", `paymentId=${sample.payment_id}`, "both", {
    where: "p.payment_id = $1",
    params: [sample.payment_id],
  });
  paymentCase("orderId", `orderId=${sample.order_id}`, "both", { where: "p.order_id = $1", params: [sample.order_id] });
  paymentCase("customerNumber", `customerNumber=${withCustomer.customer_number}`);
  paymentCase("cardNumber (last 4)", `cardNumber=${sample.card_number}`);
  const usedAt = new Date(sample.created_at).getTime();
  paymentCase(
    "cardNumber + the week it was used",
    `cardNumber=${sample.card_number}&createdAt=gte:${iso(new Date(usedAt - 6 * day))}&createdAt=lte:${iso(new Date(usedAt + day))}`,
  );
  paymentCase("rrn", `rrn=${sample.rrn}`, "both", { where: hasTransaction("t.rrn = $1"), params: [sample.rrn] });
  paymentCase(
    "externalTransactionId",
    `externalTransactionId=${encodeURIComponent(withExternal.external_transaction_id)}`,
  );
  paymentCase("paymentTransactionId", `paymentTransactionId=${sample.transaction_id}`);
  paymentCase("settlementId", `settlementId=${encodeURIComponent(withSettlement.settlement_id)}`);
  paymentCase("settlementId of the first day", `settlementId=${encodeURIComponent(oldSettlement.settlement_id)}`);
  paymentCase("totalAmount exact", `totalAmount=${sample.total_amount}`);
  paymentCase("totalAmount 1000–1300", "totalAmount=gte:1000&totalAmount=lte:1300");
  paymentCase("totalAmount >= 4000", "totalAmount=gte:4000", "both", { where: "p.total_amount >= 4000" });
  paymentCase("createdAt one day", yesterday);
  paymentCase("createdAt a week", lastWeek);
  const since90 = new Date(today.getTime() - 90 * day);
  paymentCase("createdAt 90 days", last90, "both", { where: "p.created_at >= $1", params: [since90.toISOString()] });
  paymentCase("status AUTHORIZED", "status=AUTHORIZED", "both", { where: hasTransaction("t.status = 'AUTHORIZED'") });
  paymentCase("status CAPTURED", "status=CAPTURED", "both", { where: hasTransaction("t.status = 'CAPTURED'") });
  // What every search counted before the cap (docs/decisions/029-bounded-counts-and-read-paths.md).
  paymentCase("status CAPTURED exactTotal", "status=CAPTURED&exactTotal=true", "both", {
    where: hasTransaction("t.status = 'CAPTURED'"),
  });
  paymentCase("paymentType VIPPS", "paymentType=VIPPS", "both", { where: hasTransaction("t.payment_type = 'VIPPS'") });
  paymentCase("paymentType VISA", "paymentType=VISA", "both", { where: hasTransaction("t.payment_type = 'VISA'") });
  paymentCase("paymentType VISA exactTotal", "paymentType=VISA&exactTotal=true", "both", {
    where: hasTransaction("t.payment_type = 'VISA'"),
  });
  paymentCase("paymentTypeGroup INVOICE", "paymentTypeGroup=INVOICE");
  paymentCase("status CAPTURED + one day", `status=CAPTURED&${yesterday}`);
  paymentCase("type VISA + CAPTURED + week", `paymentType=VISA&status=CAPTURED&${lastWeek}`);
  paymentCase("group MOBILE + 90 days", `paymentTypeGroup=MOBILE&${last90}`, "both", {
    where: `p.created_at >= $1 and ${hasTransaction("t.payment_type_group = 'MOBILE'")}`,
    params: [since90.toISOString()],
  });
  paymentCase("no filter page 1", "", "both", { where: "true" });
  paymentCase("no filter page 200", "page=200", "both", { where: "true" });
  paymentCase("no filter perPage 500", "perPage=500");
  paymentCase("no filter page 200 perPage 500", "page=200&perPage=500", "staff");
  // Keyset pages (decision 058): the same deep pages by `after=` the previous page's last row.
  const placeAt = async (rowsBefore: number, where: string) => {
    const [row] = await pg.unsafe(
      `select created_at, payment_id from payments p where ${where}
        order by created_at desc, payment_id desc offset ${rowsBefore - 1} limit 1`,
    );
    return { createdAt: new Date(row.created_at), id: Number(row.payment_id) };
  };
  const keysetCase = async (
    label: string,
    filter: string,
    rawWhere: string,
    page: number,
    perPage: number,
    who: "staff" | "client" | "both",
  ) => {
    for (const tag of ["staff", "client"] as const) {
      if (who !== "both" && who !== tag) continue;
      const where = tag === "client" ? `p.organisation_id = ${organisationId} and (${rawWhere})` : rawWhere;
      const after = await placeAt((page - 1) * perPage, where);
      const query = `${filter ? `${filter}&` : ""}page=${page}&perPage=${perPage}&after=${after.createdAt.toISOString()}_${after.id}`;
      paymentCase(label, query, tag, { where: rawWhere });
    }
  };
  await keysetCase("no filter keyset page 200", "", "true", 200, 20, "both");
  await keysetCase("no filter keyset page 200 perPage 500", "", "true", 200, 500, "staff");
  paymentCase("status CAPTURED page 500", "status=CAPTURED&page=500", "staff", {
    where: hasTransaction("t.status = 'CAPTURED'"),
  });
  await keysetCase(
    "status CAPTURED keyset page 500",
    "status=CAPTURED",
    hasTransaction("t.status = 'CAPTURED'"),
    500,
    20,
    "staff",
  );
  creditCase("no filter page 1", "");
  creditCase("status CREATED", "status=CREATED");
  creditCase("status CREDITED", "status=CREDITED");
  creditCase("transactionId", `transactionId=${credited.transaction_id}`);
  creditCase("rrn", `rrn=${credited.rrn}`);
  creditCase("settlementId", `settlementId=${encodeURIComponent(creditSettlement.settlement_id)}`);
  creditCase("no filter page 200", "page=200");
  for (const [label, page, perPage] of [
    ["page 1, 20", 1, 20],
    ["page 200, 20", 200, 20],
    ["page 1, 100", 1, 100],
  ] as const) {
    cases.push({
      label: `list     staff  listPayments ${label}`,
      run: async () => {
        const list = await listPayments(BENCH_STAFF, { page, perPage });
        return { rows: list.items.length, total: list.total };
      },
    });
  }

  // The header's search for everything (docs/decisions/030-search-for-everything.md): every
  // group at once, five answers each, as staff. The raw SQL beside it is the same work written by
  // hand: each kind's newest matches through its index, the best rank per payment, the details;
  // the credit by id; the customers by number, email or name.
  const [someCustomer] = await pg`
    select customer_number, name, email from customers order by customer_number
     offset (select count(*) / 2 from customers) limit 1`;
  const typedAmount = (amount: string) => {
    // "2596.50000" as a person types it: "2 596,50" (a no-break space, as the screens print).
    const [whole, fraction = ""] = amount.split(".");
    return `${whole.replace(/\B(?=([0-9]{3})+$)/g, "\u00a0")},${fraction.slice(0, 2).padEnd(2, "0")}`;
  };
  const orderTail = String(sample.order_id).slice(-6);
  const searchCase = (label: string, text: string) => {
    const recognised = recogniseStaffSearch(text);
    if (!recognised.ok || !recognised.search) throw new Error(`bench search ${text}: not a search`);
    const search = recognised.search;
    cases.push({
      label: `search   staff  ${label}`,
      run: async () => {
        const result = await searchEverything(BENCH_STAFF, { search, groups: ["payments", "credits", "customers"] });
        const rows = result.payments!.items.length + result.credits!.items.length + result.customers!.items.length;
        return { rows, total: null };
      },
      raw: () => rawSearch(search),
    });
  };
  /** The hand-written equivalent of searchEverything for one recognised text. */
  const rawSearch = async (search: StaffSearch) => {
    const v = search.payments.values;
    const kinds: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const ranked = (rank: number, kind: string, from: string) =>
      `(select s.payment_id, ${rank} as rank, '${kind}' as kind from (${from}) s order by s.payment_id desc limit 6)`;
    const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (v.cardNumber)
      kinds.push(
        ranked(
          2,
          "cardNumber",
          `select payment_id from payment_transactions where card_number = ${param(v.cardNumber)}`,
        ),
      );
    if (v.paymentId)
      kinds.push(ranked(0, "paymentId", `select payment_id from payments where payment_id = ${param(v.paymentId)}`));
    const fragment = v.orderId ? selectiveFragment(v.orderId) : null;
    if (v.orderId) {
      kinds.push(
        ranked(
          3,
          "orderId",
          v.orderId.length < 3
            ? `select payment_id from payments where lower(order_id) = ${param(v.orderId)}`
            : fragment && fragment !== v.orderId
              ? `select payment_id from payments where lower(order_id) like ${param(like(fragment))} and strpos(lower(order_id), ${param(v.orderId)}) > 0`
              : `select payment_id from payments where lower(order_id) like ${param(like(v.orderId))}`,
        ),
      );
      kinds.push(
        ranked(1, "orderIdExact", `select payment_id from payments where lower(order_id) = ${param(v.orderId)}`),
      );
    }
    if (v.rrn) kinds.push(ranked(1, "rrn", `select payment_id from payment_transactions where rrn = ${param(v.rrn)}`));
    if (v.amount !== undefined)
      kinds.push(
        ranked(4, "amount", `select payment_id from payments where total_amount = ${param(toDbAmount(v.amount))}`),
      );
    const paymentsSql = `
      select p.payment_id, p.order_id, o.name, p.customer_number, p.total_amount::text, p.currency, p.created_at, m.rank, m.kind
        from (select payment_id, min(rank) as rank, (array_agg(kind order by rank))[1] as kind
                from (${kinds.join(" union all ")}) u group by payment_id order by min(rank), payment_id desc limit 6) m
        join payments p on p.payment_id = m.payment_id join organisations o on o.id = p.organisation_id
       order by m.rank, p.payment_id desc`;
    const c = search.customers;
    const cParams: unknown[] = [c.customerNumber ?? "", c.lowered];
    const emailMatch =
      c.lowered.length < 3 ? "lower(email) = $2" : `lower(email) like $${cParams.push(like(c.lowered))}`;
    const long = c.words.some((w) => w.length >= 3);
    const nameMatch = long
      ? c.words.map((w) => `lower(name) like $${cParams.push(like(w))}`).join(" and ")
      : "lower(name) = $2";
    const customersSql = `
      select customer_number, name, email,
             case when customer_number = $1 then 0 when lower(email) = $2 then 1 when ${nameMatch} then 2 else 3 end as rank
        from customers where (${c.customerNumber === null ? "false" : "customer_number = $1"} or ${emailMatch} or (${nameMatch}))
       order by rank, name, customer_number desc limit 6`;
    await Promise.all([
      pg.unsafe(paymentsSql, params as postgres.ParameterOrJSON<never>[]),
      search.creditId === null
        ? Promise.resolve()
        : pg.unsafe(
            "select credit_id, order_id, total_credit_amount::text, currency, status, created_at from credits where credit_id = $1 limit 6",
            [search.creditId],
          ),
      pg.unsafe(customersSql, cParams as postgres.ParameterOrJSON<never>[]),
    ]);
  };
  searchCase("paymentId", String(sample.payment_id));
  searchCase("orderId whole", String(sample.order_id));
  searchCase("orderId lower case", String(sample.order_id).toLowerCase());
  searchCase(`orderId part (${orderTail})`, orderTail);
  searchCase("orderId part common (2026)", "ord-2026");
  searchCase("rrn", String(sample.rrn));
  searchCase("card last 4", String(sample.card_number));
  searchCase("amount typed (2 596,50 form)", typedAmount(sample.total_amount));
  searchCase("customer number", String(someCustomer.customer_number));
  searchCase("customer email part", String(someCustomer.email).split("@")[0]);
  searchCase("customer name", String(someCustomer.name));
  searchCase("nothing matches", "no-such-thing-qqq");

  // The dashboard and the settlements screen read the daily_volume rollup; the drill-down and
  // its CSV read the operation log of one settlement's payments.
  const todayUtc = utcDay(new Date());
  for (const preset of ["today", "7d", "30d", "90d"] as const) {
    const { from, to } = presetRange(preset, todayUtc);
    cases.push({
      label: `dashboard      getDashboard ${preset}`,
      run: async () => {
        const dashboard = await getDashboard(BENCH_STAFF, { from, to, currency: null });
        return { rows: dashboard.days.length, total: dashboard.totals.capturedCount };
      },
      // The rollup read alone: its two aggregates, without folding them into the chart.
      raw: async () => {
        await pg.unsafe(
          `select day, currency, payment_type_group, payment_type, sum(captured_amount)::text, sum(credited_amount)::text,
                  sum(captured_count)::bigint, sum(credited_count)::bigint
             from daily_volume where day between $1 and $2
            group by day, currency, payment_type_group, payment_type`,
          [from, to],
        );
        await pg.unsafe(
          `select currency, payment_type_group, sum(approved_count)::bigint, sum(declined_count)::bigint, sum(failed_count)::bigint
             from daily_outcomes where day between $1 and $2 group by currency, payment_type_group`,
          [from, to],
        );
      },
    });
  }
  const days30 = presetRange("30d", todayUtc);
  const days90 = presetRange("90d", todayUtc);
  const [settled] = await pg`
    select settlement_id, day::text as day from daily_volume
     where settlement_id = ${withSettlement.settlement_id} order by captured_count desc limit 1`;
  const settlementCase = (
    label: string,
    run: (database: Db) => Promise<{ items: unknown[]; total: number | null }>,
    raw?: () => Promise<unknown>,
  ) =>
    cases.push({
      label: `settlements    ${label}`,
      run: async (database) => {
        const result = await run(database);
        return { rows: result.items.length, total: result.total };
      },
      raw,
    });
  const all = { settlementId: null, currency: null };
  const one = { settlementId: settled.settlement_id as string };
  /** The figures of a settlement day (or of a sum of them) as the list answers them. */
  const settlementSums = (of: (column: string) => string) =>
    `${of("captured_amount")}::text, ${of("captured_count")}::bigint, ${of("credited_amount")}::text,
     ${of("credited_count")}::bigint, ${of("charged_back_amount")}::text, ${of("charged_back_count")}::bigint`;
  /**
   * The hand-written settlement list: the range's settlement days aggregated once, then in one
   * statement the page of them and the count and per-currency totals (with and without a
   * settlement id) of all of them.
   */
  const rawSettlementList =
    (range: { from: string; to: string }, page: number, filter: { currency?: string; settlementId?: string } = {}) =>
    () => {
      const params: unknown[] = [range.from, range.to];
      const where = [
        "day between $1 and $2",
        ...(filter.currency === undefined ? [] : [`currency = $${params.push(filter.currency)}`]),
        ...(filter.settlementId === undefined ? [] : [`settlement_id = $${params.push(filter.settlementId)}`]),
      ].join(" and ");
      return pg.unsafe(
        `with days as (
           select day, settlement_id, currency,
                  sum(captured_amount) as captured_amount, sum(captured_count) as captured_count,
                  sum(credited_amount) as credited_amount, sum(credited_count) as credited_count,
                  sum(charged_back_amount) as charged_back_amount, sum(charged_back_count) as charged_back_count
             from daily_volume where ${where} group by day, settlement_id, currency)
         (select day::text, settlement_id, currency, null::boolean as without_settlement, null::bigint as days,
                 ${settlementSums((column) => column)}, (captured_amount - credited_amount - charged_back_amount)::text
            from days order by day desc, settlement_id, currency limit 50 offset ${(page - 1) * 50})
         union all
         (select null, null, currency, settlement_id = '', count(*), ${settlementSums((column) => `sum(${column})`)}, null
            from days group by currency, settlement_id = '')`,
        params as postgres.ParameterOrJSON<never>[],
      );
    };
  settlementCase(
    "list 30 days page 1",
    () => listSettlementDays(BENCH_STAFF, { ...days30, ...all, page: 1, perPage: 50 }),
    rawSettlementList(days30, 1),
  );
  settlementCase(
    "list 90 days page 1",
    () => listSettlementDays(BENCH_STAFF, { ...days90, ...all, page: 1, perPage: 50 }),
    rawSettlementList(days90, 1),
  );
  settlementCase(
    "list 90 days page 300",
    () => listSettlementDays(BENCH_STAFF, { ...days90, ...all, page: 300, perPage: 50 }),
    rawSettlementList(days90, 300),
  );
  settlementCase(
    "list 90 days SEK",
    () => listSettlementDays(BENCH_STAFF, { ...days90, ...all, currency: "SEK", page: 1, perPage: 50 }),
    rawSettlementList(days90, 1, { currency: "SEK" }),
  );
  settlementCase(
    "list 90 days one settlementId",
    () => listSettlementDays(BENCH_STAFF, { ...days90, ...all, ...one, page: 1, perPage: 50 }),
    rawSettlementList(days90, 1, one),
  );
  settlementCase(
    "summary of one settlement",
    async () => ({ items: await getSettlementSummary(BENCH_STAFF, one), total: null }),
    () =>
      pg.unsafe(
        `select day::text, settlement_id, currency, ${settlementSums((column) => `sum(${column})`)},
                (sum(captured_amount) - sum(credited_amount) - sum(charged_back_amount))::text
           from daily_volume where settlement_id = $1
          group by day, settlement_id, currency order by day, currency`,
        [one.settlementId],
      ),
  );
  settlementCase("operations of its busiest day", () =>
    listSettlementOperations(BENCH_STAFF, { ...one, day: settled.day, page: 1, perPage: 50 }),
  );
  settlementCase("operations of all its days", () =>
    listSettlementOperations(BENCH_STAFF, { ...one, day: null, page: 1, perPage: 50 }),
  );
  settlementCase("CSV of 90 days of settlement days", () =>
    drain(settlementDayBatches(BENCH_STAFF, { ...days90, ...all })),
  );
  settlementCase("CSV of all its operations", () =>
    drain(settlementOperationBatches(BENCH_STAFF, { ...one, day: null })),
  );

  // -------------------------------------------------------------- timing
  type Result = {
    label: string;
    median: number;
    p95: number;
    raw: Timing | null;
    rows: number;
    total: number | null;
    run: Case["run"];
  };
  const results: Result[] = [];
  const selected = cases.filter((c) => !only || only.test(c.label));
  // One call of every selected case (and its raw SQL) before any is timed: otherwise the first
  // cases also time the process's first runs of the code they share (JIT, the pool's
  // connections), which a running server has long behind it. --cold leaves it out.
  if (!args.has("--cold")) {
    for (const c of selected) {
      await c.run(handle.db);
      await c.raw?.();
    }
  }
  const loadAfter = reportLoad();
  console.log(
    `${selected.length} searches, 1 warm-up + ${runs} timed runs each, one at a time; where hand-written SQL returns ` +
      "the same document, it runs interleaved with Paydesk's call (raw median and p95, and the ratios)\n",
  );
  const header = `${"query".padEnd(52)} ${TIMING_HEADER} ${"rows".padStart(6)} ${"totalItems".padStart(12)}`;
  console.log(header);
  console.log("-".repeat(header.length));
  for (const c of selected) {
    const { paydesk, raw, outcome } = await timeCase(() => c.run(handle.db), c.raw, runs);
    results.push({ label: c.label, ...paydesk, raw, rows: outcome.rows, total: outcome.total, run: c.run });
    const total = outcome.total === null ? "" : `${outcome.estimated ? "~" : ""}${outcome.total.toLocaleString("en")}`;
    console.log(
      `${c.label.padEnd(52)} ${timingColumns(paydesk, raw)} ${String(outcome.rows).padStart(6)} ${total.padStart(12)}`,
    );
  }
  loadAfter("; ~ marks an estimated totalItems");

  // -------------------------------------------------------------- explain the slowest
  await explainSlowest(pg, results, explainCount);
} finally {
  await handle.close();
  if (keep) console.log(`\nkept ${name} (--keep)`);
  else await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/** Reads a CSV export's batches to the end, as the response stream would. */
async function drain(batches: AsyncIterable<unknown[]>): Promise<{ items: unknown[]; total: number }> {
  let total = 0;
  for await (const batch of batches) total += batch.length;
  return { items: [], total };
}
