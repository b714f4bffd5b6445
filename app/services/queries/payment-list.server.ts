// Reading payments for the staff screens: the payments list (the API's filters, a quick search,
// a date range, a sort, totals per currency), its streamed CSV export, and the few counts the
// dashboard shows until it gets its own service. Read-only; no locks, no log entries.
//
// The filters are the /v1 search's own SQL (`paymentSearchCondition`), so a filter means on the
// screen exactly what it means in the API. scripts/bench-lists.ts measures it on a million
// payments (docs/decisions/011-payments-list-and-operation-log.md says why it is built so).
import { asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../../db/client";
import { readDb } from "../../platform/db.server";
import { operationLog, organisations, paymentTransactions, payments } from "../../../db/schema";
import { DEFAULT_PAYMENT_SORT, type PaymentSort, type PaymentSortKey } from "../../domain/payment-sort";
import {
  PARTIAL_ORDER_ID_MIN,
  selectiveFragment,
  type QuickSearch,
  type QuickSearchKind,
  type QuickSearchValues,
} from "../../domain/quick-search";
import { toDbAmount } from "../../domain/money";
import type { FieldFilter } from "../../domain/search-filter";
import type { InstantBounds } from "../../domain/zoned-day-range";
import type { Caller } from "../../domain/caller";
import { DEFERRED_JOIN_FROM, fromRowAt, paymentSearchCondition } from "./payment-search.server";
import { beyondCursor, keysetOrder, type KeysetCursor, type KeysetDirection } from "./keyset-page.server";
import { allOf } from "../../platform/search-sql.server";
import { estimatedCount } from "../../platform/bounded-count.server";
import { EXACT_COUNT_CAP } from "../../domain/search-filter";
import { VOLUME_OPERATIONS, type VolumeFilter } from "../../domain/volume-filter";
import { addDays } from "../../domain/day-range";
import { sqlAmount, sqlBoolean, sqlCsvText, sqlInstant } from "../../platform/csv-copy.server";

export const MAX_PER_PAGE = 100;

/**
 * Which payments, in which order: shared by the list and the export. Staff see every
 * organisation; an API client's caller would confine it to its own.
 */
export type PaymentQuery = {
  /** Parsed with PAYMENT_SEARCH_FIELDS (app/domain/search-filter.ts): the /v1 grammar. */
  filters?: Record<string, FieldFilter>;
  quickSearch?: QuickSearch | null;
  /** createdAt >= gte and < lt (a day range in the staff user's zone, as UTC instants). */
  created?: InstantBounds;
  /** Only the payments behind a volume figure (a dashboard bar, a settlements row). */
  volume?: VolumeFilter | null;
  sort?: PaymentSort;
};

export type PaymentListOptions = PaymentQuery & {
  /** 1-based. */
  page: number;
  perPage: number;
};

/** Which page of a resolved query. */
export type PaymentPaging = { page: number; perPage: number };

export type PaymentListTransaction = {
  transactionId: number;
  status: string;
  /** Null while only the group is known (a card's scheme is learnt at the terminal). */
  paymentType: string | null;
  paymentTypeGroup: string;
  /** Last 4 digits of the card, when it was a card. */
  cardNumber: string | null;
  amount: string;
  currency: string;
};

export type PaymentListItem = {
  paymentId: number;
  /** A payment may come without an order. */
  orderId: string | null;
  orderVersion: number | null;
  organisationId: number;
  organisationName: string;
  customerNumber: string | null;
  /** Decimal string as stored, e.g. "199.00000". */
  totalAmount: string;
  currency: string;
  settlementId: string | null;
  active: boolean;
  createdAt: Date;
  /** In transaction id order. */
  transactions: PaymentListTransaction[];
};

/** The whole filtered set of one currency: how many payments and their summed totalAmount. */
export type CurrencyTotal = { currency: string; count: number; totalAmount: string };

/**
 * How a quick search was read: the kinds it was tried as and how many payments each matched (at
 * most EXACT_COUNT_CAP + 1: above the cap, "more than").
 */
export type QuickSearchOutcome = {
  text: string;
  tried: QuickSearchKind[];
  matched: { kind: QuickSearchKind; count: number }[];
};

export type PaymentList = {
  items: PaymentListItem[];
  /** Payments matching the options, over all pages (the sum of `totals`' counts). */
  total: number;
  /** True when `total` is an estimate (more than EXACT_COUNT_CAP match); `totals` is then empty. */
  estimated: boolean;
  /** Per currency, in currency order; amounts of different currencies are never added. */
  totals: CurrencyTotal[];
  quickSearch: QuickSearchOutcome | null;
  page: number;
  perPage: number;
  pageCount: number;
};

const listColumns = {
  paymentId: payments.paymentId,
  orderId: payments.orderId,
  orderVersion: payments.orderVersion,
  organisationId: payments.organisationId,
  organisationName: organisations.name,
  customerNumber: payments.customerNumber,
  totalAmount: payments.totalAmount,
  currency: payments.currency,
  settlementId: payments.settlementId,
  active: payments.active,
  createdAt: payments.createdAt,
};

/**
 * The payment ids a quick-search kind finds, as a subquery; the header's search for everything
 * reads the same ones (staff-search.server.ts). Every kind is a lookup on its own index (orderId:
 * the pg_trgm index on lower(order_id)); they are combined with UNION ALL inside one
 * `payment_id IN (…)` rather than OR-ed, because an OR over subqueries makes PostgreSQL scan
 * every payment.
 */
export function quickSearchSource(kind: QuickSearchKind, values: QuickSearchValues): SQL {
  switch (kind) {
    case "paymentId":
      return sql`select ${values.paymentId!}::bigint as payment_id`;
    case "orderId":
      return sql`select ${payments.paymentId} from ${payments} where ${orderIdMatches(values.orderId!)}`;
    case "rrn":
      return sql`select ${paymentTransactions.paymentId} from ${paymentTransactions} where ${paymentTransactions.rrn} = ${values.rrn!}`;
    case "cardNumber":
      return sql`select ${paymentTransactions.paymentId} from ${paymentTransactions} where ${paymentTransactions.cardNumber} = ${values.cardNumber!}`;
    case "amount":
      return sql`select ${payments.paymentId} from ${payments} where ${payments.totalAmount} = ${toDbAmount(values.amount!)}`;
  }
}

/**
 * lower(order_id) contains the (lower-case) text; under PARTIAL_ORDER_ID_MIN characters, equals
 * it. The index is asked only for the text's most selective fragment (selectiveFragment); the
 * whole text is then checked with strpos, which no index serves, on the rows it found.
 */
export function orderIdMatches(lowered: string): SQL {
  const column = sql`lower(${payments.orderId})`;
  if (lowered.length < PARTIAL_ORDER_ID_MIN) return sql`${column} = ${lowered}`;
  const fragment = selectiveFragment(lowered);
  if (fragment === null || fragment === lowered) return sql`${column} like ${`%${escapeLike(lowered)}%`}`;
  return sql`${column} like ${`%${escapeLike(fragment)}%`} and strpos(${column}, ${lowered}) > 0`;
}

/** The text as a LIKE pattern's literal part: %, _ and the escape character itself escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function quickSearchCondition(search: QuickSearch, kinds: readonly QuickSearchKind[]): SQL {
  const sources = kinds.map((kind) => quickSearchSource(kind, search.values));
  return sql`${payments.paymentId} in (${sql.join(sources, sql` union all `)})`;
}

/**
 * The payments whose transactions moved money as the daily_volume rollup counts it: operations of
 * the kind on the UTC day (operation_log_created_at_idx), in the transaction's group and
 * currency, under the payment's settlement id now (the rollup moves volume with it).
 */
function volumeCondition(filter: VolumeFilter): SQL {
  const o = operationLog;
  const t = paymentTransactions;
  const moved = allOf([
    inArray(o.operation, [...VOLUME_OPERATIONS[filter.kind]]),
    gte(o.createdAt, new Date(`${filter.day}T00:00:00Z`)),
    lt(o.createdAt, new Date(`${addDays(filter.day, 1)}T00:00:00Z`)),
    filter.paymentTypeGroup === null ? undefined : eq(t.paymentTypeGroup, filter.paymentTypeGroup),
    filter.currency === null ? undefined : eq(t.currency, filter.currency),
  ]);
  const settlement =
    filter.settlement === null
      ? undefined
      : typeof filter.settlement === "string"
        ? eq(payments.settlementId, filter.settlement)
        : sql`coalesce(${payments.settlementId}, '') = ''`;
  return allOf([
    sql`${payments.paymentId} in (select ${o.paymentId} from ${o} inner join ${t} on ${t.transactionId} = ${o.transactionId} where ${moved})`,
    settlement,
  ])!;
}

/** The API's filters, the day range and the tenant: everything but the quick search. */
function filterCondition(caller: Caller, query: PaymentQuery): SQL | undefined {
  return allOf([
    paymentSearchCondition(caller, { filters: query.filters ?? {} }),
    query.created?.gte ? gte(payments.createdAt, query.created.gte) : undefined,
    query.created?.lt ? lt(payments.createdAt, query.created.lt) : undefined,
    query.volume ? volumeCondition(query.volume) : undefined,
  ]);
}

/** A query with its quick search looked up: what `paymentPage`, `paymentTotals` and the export read. */
export type ResolvedPaymentQuery = {
  /** null: the quick search matched nothing, so neither does the query. */
  where: SQL | undefined | null;
  quickSearch: QuickSearchOutcome | null;
  sort: PaymentSort;
};

/**
 * Looks the quick search up. Each kind the text can be is counted within the other filters, so
 * the screen can say "37 by card last 4, 1 by paymentId"; only kinds that matched go into the
 * condition. A count stops at EXACT_COUNT_CAP + 1 (a partial orderId such as "2026" matches
 * most payments; the screen then says "more than 10 000").
 */
export async function resolvePaymentQuery(
  caller: Caller,
  input: { query: PaymentQuery },
): Promise<ResolvedPaymentQuery> {
  const { query } = input;
  const database = readDb();
  const base = filterCondition(caller, query);
  const sort = query.sort ?? DEFAULT_PAYMENT_SORT;
  const search = query.quickSearch;
  if (!search) return { where: base, quickSearch: null, sort };
  const counts = await Promise.all(
    search.kinds.map(async (kind) => {
      const matching = database
        .select({ one: sql`1` })
        .from(payments)
        .where(allOf([base, quickSearchCondition(search, [kind])]))
        .limit(EXACT_COUNT_CAP + 1)
        .as("matching");
      const [{ n }] = await database.select({ n: count() }).from(matching);
      return { kind, count: n };
    }),
  );
  const matched = counts.filter((c) => c.count > 0);
  const quickSearch = { text: search.text, tried: [...search.kinds], matched };
  if (matched.length === 0) return { where: null, quickSearch, sort };
  return {
    where: allOf([
      base,
      quickSearchCondition(
        search,
        matched.map((m) => m.kind),
      ),
    ]),
    quickSearch,
    sort,
  };
}

const SORT_COLUMNS: Record<PaymentSortKey, AnyPgColumn> = {
  createdAt: payments.createdAt,
  totalAmount: payments.totalAmount,
  paymentId: payments.paymentId,
};

/** ORDER BY for a sort: its column, then paymentId in the same direction, so every order is total. */
function orderOf(sort: PaymentSort): SQL[] {
  const direction = sort.direction === "asc" ? asc : desc;
  return sort.key === "paymentId"
    ? [direction(payments.paymentId)]
    : [direction(SORT_COLUMNS[sort.key]), direction(payments.paymentId)];
}

export type PaymentTotals = {
  /** Payments matching, over all pages: exact (the sum of the per-currency counts) or an estimate. */
  total: number;
  /**
   * True when more than EXACT_COUNT_CAP payments match and `total` is the planner's estimate;
   * then `totals` is empty (summing every match is what made broad lists slow), until asked
   * for exactly.
   */
  estimated: boolean;
  /** Per currency, in currency order; amounts of different currencies are never added. */
  totals: CurrencyTotal[];
};

/**
 * Count and summed totalAmount per currency of the matching payments. Exact when at most
 * EXACT_COUNT_CAP match (one aggregate over at most cap + 1 rows) or when `exact` is asked for
 * (an aggregate over every match: seconds on a broad filter over a million payments); otherwise
 * the planner's estimate of the count and no amounts
 * (docs/decisions/029-bounded-counts-and-read-paths.md).
 */
export async function paymentTotals(
  _caller: Caller,
  input: { resolved: ResolvedPaymentQuery; exact?: boolean },
): Promise<PaymentTotals> {
  const { resolved } = input;
  if (resolved.where === null) return { total: 0, estimated: false, totals: [] };
  const database = readDb();
  const limited = input.exact
    ? database
        .select({ currency: payments.currency, totalAmount: payments.totalAmount })
        .from(payments)
        .where(resolved.where)
    : database
        .select({ currency: payments.currency, totalAmount: payments.totalAmount })
        .from(payments)
        .where(resolved.where)
        .limit(EXACT_COUNT_CAP + 1);
  const matching = limited.as("matching");
  const totals = await database
    .select({
      currency: matching.currency,
      count: count(),
      totalAmount: sql<string>`sum(${matching.totalAmount})::text`,
    })
    .from(matching)
    .groupBy(matching.currency)
    .orderBy(matching.currency);
  const total = totals.reduce((sum, row) => sum + row.count, 0);
  if (input.exact || total <= EXACT_COUNT_CAP) return { total, estimated: false, totals };
  const estimate = await estimatedCount(
    database,
    database
      .select({ one: sql`1` })
      .from(payments)
      .where(resolved.where)
      .$dynamic(),
  );
  return { total: estimate.count, estimated: estimate.estimated, totals: [] };
}

export type PaymentPage = {
  items: PaymentListItem[];
  page: number;
  perPage: number;
  /**
   * In the default order (newest first), the places of the page's first and last payment: the
   * previous page's `newer=` and the next page's `older=` (decision 058); null in other orders,
   * which page by OFFSET only.
   */
  places: { newer: KeysetCursor; older: KeysetCursor } | null;
};

const KEYSET_COLUMNS = { createdAt: payments.createdAt, id: payments.paymentId };

const isNewestFirst = (sort: PaymentSort) => sort.key === "createdAt" && sort.direction === "desc";

/**
 * One page in the query's order (newest first by default: createdAt, then paymentId, both
 * descending, the order of payments_created_at_idx) with the page's transactions fetched in one
 * more query. By page number (people jump to page numbers); in the default order a page reached
 * by its neighbour's next/previous link reads from that neighbour's edge by keyset instead
 * (`cursor`, honoured from page 2), and a deep page number first finds its first row's place by
 * an index-only walk (decision 058). A cursor that finds nothing (the list changed under a shared
 * link) falls back to the page number. The export uses keysets throughout.
 */
export async function paymentPage(
  _caller: Caller,
  input: PaymentPaging & { resolved: ResolvedPaymentQuery; cursor?: KeysetDirection },
): Promise<PaymentPage> {
  const { resolved } = input;
  const database = readDb();
  const page = Math.max(1, Math.trunc(input.page));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(input.perPage)));
  if (resolved.where === null) return { items: [], page, perPage, places: null };
  const where = resolved.where;
  const newestFirst = isNewestFirst(resolved.sort);
  const select = (condition: SQL | undefined, order: SQL[], offset = 0) =>
    database
      .select(listColumns)
      .from(payments)
      .innerJoin(organisations, eq(organisations.id, payments.organisationId))
      .where(condition)
      .orderBy(...order)
      .limit(perPage)
      .offset(offset);
  const cursor = newestFirst && page > 1 ? (input.cursor ?? null) : null;
  let rows = cursor
    ? await select(allOf([where, beyondCursor(KEYSET_COLUMNS, cursor)]), keysetOrder(KEYSET_COLUMNS, cursor))
    : [];
  if (cursor?.direction === "newer") rows.reverse();
  // A newer page cut short reached the top of a list that changed: the page number says better.
  if (!cursor || rows.length === 0 || (cursor.direction === "newer" && rows.length < perPage)) {
    const before = (page - 1) * perPage;
    rows =
      newestFirst && before >= DEFERRED_JOIN_FROM
        ? await select(allOf([where, fromRowAt(database, where, before)]), orderOf(resolved.sort))
        : await select(where, orderOf(resolved.sort), before);
  }
  const byPayment = await transactionsOf(
    database,
    rows.map((row) => row.paymentId),
  );
  const first = rows.at(0);
  const last = rows.at(-1);
  const place = (row: { createdAt: Date; paymentId: number }) => ({ createdAt: row.createdAt, id: row.paymentId });
  return {
    items: rows.map((row) => ({ ...row, transactions: byPayment.get(row.paymentId) ?? [] })),
    page,
    perPage,
    places: newestFirst && first && last ? { newer: place(first), older: place(last) } : null,
  };
}

/** Page and totals together (scripts and tests; the screen streams the totals in separately). */
export async function listPayments(
  caller: Caller,
  input: PaymentListOptions & { exactTotals?: boolean },
): Promise<PaymentList> {
  const { page: pageNumber, perPage, exactTotals, ...query } = input;
  const resolved = await resolvePaymentQuery(caller, { query });
  const [page, { total, estimated, totals }] = await Promise.all([
    paymentPage(caller, { resolved, page: pageNumber, perPage }),
    paymentTotals(caller, { resolved, exact: exactTotals }),
  ]);
  return {
    ...page,
    total,
    estimated,
    totals,
    quickSearch: resolved.quickSearch,
    pageCount: Math.max(1, Math.ceil(total / page.perPage)),
  };
}

/** The transactions of the given payments, in one query, grouped by payment in id order. */
async function transactionsOf(database: Db, paymentIds: number[]): Promise<Map<number, PaymentListTransaction[]>> {
  const byPayment = new Map<number, PaymentListTransaction[]>();
  if (paymentIds.length === 0) return byPayment;
  const rows = await database
    .select({
      paymentId: paymentTransactions.paymentId,
      transactionId: paymentTransactions.transactionId,
      status: paymentTransactions.status,
      paymentType: paymentTransactions.paymentType,
      paymentTypeGroup: paymentTransactions.paymentTypeGroup,
      cardNumber: paymentTransactions.cardNumber,
      amount: paymentTransactions.amount,
      currency: paymentTransactions.currency,
    })
    .from(paymentTransactions)
    .where(inArray(paymentTransactions.paymentId, paymentIds))
    .orderBy(paymentTransactions.paymentId, paymentTransactions.transactionId);
  for (const { paymentId, ...transaction } of rows) {
    const list = byPayment.get(paymentId) ?? [];
    list.push(transaction);
    byPayment.set(paymentId, list);
  }
  return byPayment;
}

// ---------------------------------------------------------------- CSV export

/**
 * The export's select: one row per payment (not per transaction), so the file has exactly as many
 * rows as the screen's total, in the list's order, every cell formatted as the file shows it
 * (decision 044). The transaction columns list each transaction's value in transaction id order,
 * separated by ";", and sum its amounts.
 */
export function paymentExportSelect(resolved: ResolvedPaymentQuery): SQL {
  const { where, sort } = resolved;
  const t = paymentTransactions;
  // The payment's transactions in id order, from the (payment_id, transaction_id) index: the
  // aggregates below take their rows in that order. Four `string_agg(… order by …)` instead would
  // have PostgreSQL 15 sort each payment's rows four times over, which was most of a million-row
  // export's time (decision 044).
  const inOrder = sql`select * from ${t} where ${t.paymentId} = ${payments.paymentId} order by ${t.transactionId}`;
  const of = (column: AnyPgColumn) => sql.raw(`"t"."${column.name}"`);
  const sums = sql`select count(*)::int as "n",
      string_agg(${of(t.status)}, ';') as "statuses",
      string_agg(coalesce(${of(t.paymentType)}, ${of(t.paymentTypeGroup)}), ';') as "types",
      string_agg(${of(t.cardNumber)}, ';') as "cards",
      string_agg(${of(t.rrn)}, ';') as "rrns",
      coalesce(sum(${of(t.authorizedAmount)}), 0) as "authorized",
      coalesce(sum(${of(t.capturedAmount)}), 0) as "captured",
      coalesce(sum(${of(t.creditedAmount)}), 0) as "credited"
    from (${inOrder}) as "t"`;
  const text = (value: SQL | AnyPgColumn) => sqlCsvText(sql`${value}`);
  const s = (name: string) => sql.raw(`"sums"."${name}"`);
  return sql`select ${payments.paymentId} as "paymentId",
      ${sqlInstant(sql`${payments.createdAt}`)} as "createdAt",
      ${text(payments.orderId)} as "orderId",
      ${payments.orderVersion} as "orderVersion",
      ${payments.organisationId} as "organisationId",
      ${text(organisations.name)} as "organisationName",
      ${text(payments.customerNumber)} as "customerNumber",
      ${payments.currency} as "currency",
      ${sqlAmount(sql`${payments.totalAmount}`)} as "totalAmount",
      ${sqlBoolean(sql`${payments.active}`)} as "active",
      ${payments.settlementId} as "settlementId",
      ${s("n")} as "transactionCount",
      ${text(s("statuses"))} as "statuses",
      ${text(s("types"))} as "paymentTypes",
      ${text(s("cards"))} as "cardNumbers",
      ${text(s("rrns"))} as "rrns",
      ${sqlAmount(s("authorized"))} as "authorizedAmount",
      ${sqlAmount(s("captured"))} as "capturedAmount",
      ${sqlAmount(s("credited"))} as "creditedAmount"
    from ${payments}
    inner join ${organisations} on ${organisations.id} = ${payments.organisationId}
    cross join lateral (${sums}) as "sums"
    where ${where === null ? sql`false` : (where ?? sql`true`)}
    order by ${sql.join(orderOf(sort), sql`, `)}`;
}
