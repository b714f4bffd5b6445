// Payment search (GET /v1/payments and the staff payments list): the /v1 filters over
// payments and, for transaction-level fields, "has a transaction matching all of them".
import { and, count, desc, exists, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { readDb } from "../../platform/db.server";
import { paymentTransactions, payments } from "../../../db/schema";
import { PAYMENT_TYPE_GROUPS, PAYMENT_TYPES, TRANSACTION_STATUSES } from "../../domain/enums";
import { INT4, type FieldSpec, type SearchQuery } from "../../domain/search-filter";
import type { Caller } from "../../domain/caller";
import { tenantCondition, transactionTenantCondition } from "../../platform/tenancy.server";
import { paymentDocuments, type PaymentView } from "./payment-view.server";
import { allOf, conditionsFor } from "../../platform/search-sql.server";
import { searchColumns } from "./search-columns.server";
import { countUpToCap, type MatchCount } from "../../platform/bounded-count.server";
import { cursorToParam, type KeysetCursor } from "../../domain/keyset-cursor";

/** The filters on the payment itself. */
const PAYMENT_FIELDS: Record<string, FieldSpec> = {
  createdAt: { type: "timestamp" },
  currency: { type: "currency" },
  customerNumber: { type: "string" },
  orderId: { type: "string" },
  orderVersion: { type: "integer", ...INT4 },
  organisationId: { type: "integer", ...INT4 },
  paymentId: { type: "integer" },
  settlementId: { type: "string" },
  totalAmount: { type: "amount" },
  updatedAt: { type: "timestamp" },
};

/** The filters on its transactions: a payment matches when one of its transactions matches them all. */
const TRANSACTION_FIELDS: Record<string, FieldSpec> = {
  cardNumber: {
    type: "string",
    pattern: /^[0-9]{4}$/,
    patternMessage: "must be the last 4 digits of the card",
    patternSay: { key: "errors.filter.cardLast4" },
  },
  externalTransactionId: { type: "string" },
  paymentTransactionId: { type: "integer" },
  paymentType: { type: "enum", values: PAYMENT_TYPES },
  paymentTypeGroup: { type: "enum", values: PAYMENT_TYPE_GROUPS },
  rrn: { type: "string" },
  status: { type: "enum", values: TRANSACTION_STATUSES },
};

/** Every filter of GET /v1/payments, in the order of their names (as the API documents them). */
export const PAYMENT_SEARCH_FIELDS: Record<string, FieldSpec> = Object.fromEntries(
  Object.entries({ ...PAYMENT_FIELDS, ...TRANSACTION_FIELDS }).sort(([a], [b]) => (a < b ? -1 : 1)),
);

const PAYMENT_COLUMNS = searchColumns(payments, PAYMENT_FIELDS);
const TRANSACTION_COLUMNS = searchColumns(paymentTransactions, TRANSACTION_FIELDS, {
  paymentTransactionId: paymentTransactions.transactionId,
});

export type Page<T> = {
  items: T[];
  totalItems: number;
  totalPages: number;
  page: number;
  perPage: number;
  /** Set by searches that cap their count: true when totalItems is the planner's estimate. */
  totalItemsEstimated?: boolean;
  /**
   * Set by searches that also page by keyset (GET /v1/payments): the `after=` of the page after
   * this one, null on the last page (decision 058).
   */
  nextCursor?: string | null;
};

/** The rows before the query's page. */
export const rowsBefore = (query: Pick<SearchQuery, "page" | "perPage">) => (query.page - 1) * query.perPage;

/** The query's page of `items`, of `total` matching rows in all. */
export function pageOf<T>(items: T[], total: number, query: Pick<SearchQuery, "page" | "perPage">): Page<T> {
  return {
    items,
    totalItems: total,
    totalPages: Math.ceil(total / query.perPage),
    page: query.page,
    perPage: query.perPage,
  };
}

function searchParts(caller: Caller, query: Pick<SearchQuery, "filters">) {
  const paymentFilters = conditionsFor(query.filters, PAYMENT_COLUMNS);
  return {
    paymentConditions: [tenantCondition(caller), ...paymentFilters].filter((c): c is SQL => c !== undefined),
    transactionConditions: conditionsFor(query.filters, TRANSACTION_COLUMNS),
    /** Nothing but the tenant asked of the payment itself. */
    noPaymentFilters: paymentFilters.length === 0,
  };
}

/**
 * The transactions matching the transaction filters, of the caller's organisation only when it is
 * confined to one (transactions carry their payment's organisation, a foreign key keeps them
 * equal, docs/decisions/059), or null when a payment filter takes part too. Their distinct payment
 * ids are then the matching payments, read from the filter's (organisation_id, …, payment_id)
 * index for a client, its (…, payment_id) index for staff, without joining a million payments.
 * Only counts use it: in a page's EXISTS the planner would take the two organisation conditions
 * for independent, halve its estimates and change the count it shows and the plans it picks.
 */
function transactionsOnly(caller: Caller, query: Pick<SearchQuery, "filters">): SQL | null {
  const { transactionConditions, noPaymentFilters } = searchParts(caller, query);
  if (!noPaymentFilters || transactionConditions.length === 0) return null;
  return and(transactionTenantCondition(caller), ...transactionConditions)!;
}

export function paymentSearchCondition(caller: Caller, query: Pick<SearchQuery, "filters">) {
  const { paymentConditions, transactionConditions } = searchParts(caller, query);
  return allOf([
    ...paymentConditions,
    transactionConditions.length
      ? exists(
          sql`(select 1 from ${paymentTransactions} where ${paymentTransactions.paymentId} = ${payments.paymentId} and ${and(...transactionConditions)})`,
        )
      : undefined,
  ]);
}

/**
 * The number of payments matching. With only transaction-level filters (status, type…) it counts
 * the distinct payment ids of the matching transactions straight from their (filter, payment_id)
 * index, or (organisation_id, filter, payment_id) for an API client, which is the same number
 * (every transaction has its payment, of the same organisation: foreign key) without joining a
 * million payments: 5x faster for paymentType=VIPPS on 1M payments
 * (docs/decisions/005-search-performance.md, 059-organisation-on-transactions.md).
 */
function countMatching(database: Db, caller: Caller, query: Pick<SearchQuery, "filters">) {
  const transactions = transactionsOnly(caller, query);
  if (transactions) {
    const matching = database
      .selectDistinct({ paymentId: paymentTransactions.paymentId })
      .from(paymentTransactions)
      .where(transactions)
      .as("matching");
    return database.select({ total: count() }).from(matching);
  }
  return database.select({ total: count() }).from(payments).where(paymentSearchCondition(caller, query));
}

/**
 * The number of payments matching: exact up to EXACT_COUNT_CAP, an estimate above it, exact
 * however many with `exactTotal` (docs/decisions/029-bounded-counts-and-read-paths.md).
 */
async function matchCount(database: Db, caller: Caller, query: SearchQuery): Promise<MatchCount> {
  if (query.exactTotal) {
    const [{ total }] = await countMatching(database, caller, query);
    return { count: total, estimated: false };
  }
  const where = paymentSearchCondition(caller, query);
  const ofPayments = () =>
    database
      .select({ one: sql`1` })
      .from(payments)
      .where(where)
      .$dynamic();
  const transactions = transactionsOnly(caller, query);
  if (transactions) {
    // As countMatching: distinct payment ids straight from the filter's (…, payment_id) index,
    // stopping after cap + 1, rather than walking payments and probing each one's transactions
    // (a sparse filter such as status=AUTHORIZED probes ~20 payments per match). The planner
    // estimates the EXISTS form better, so the estimate comes from that.
    const ofTransactions = () =>
      database
        .selectDistinct({ paymentId: paymentTransactions.paymentId })
        .from(paymentTransactions)
        .where(transactions)
        .$dynamic();
    return countUpToCap(database, ofTransactions, { estimateFrom: ofPayments });
  }
  return countUpToCap(database, ofPayments);
}

/**
 * The count a page already tells: a page that is not full and not empty is the last one, so the
 * matches are the rows before it plus its own (a lookup by id, order or rrn needs no count); so
 * is a full page with nothing after it. Not for a page read from a cursor (`after`): its `page`
 * is only the client's own count.
 */
function countShownByPage(rowsOnPage: number, more: boolean, query: SearchQuery): MatchCount | null {
  if (query.after || rowsOnPage === 0 || more) return null;
  return { count: rowsBefore(query) + rowsOnPage, estimated: false };
}

/**
 * From this many rows before a page, a `page=N` page first finds its first row's place with an
 * index-only walk and then reads the page from there by keyset (decision 058): skipping rows
 * in the (createdAt, paymentId) index alone costs less than skipping whole payments.
 */
export const DEFERRED_JOIN_FROM = 1000;

/** (createdAt, paymentId) beyond a place in the newest-first order: the index starts there. */
const beyond = (op: "<" | "<=", place: SQL) =>
  sql`(${payments.createdAt}, ${payments.paymentId}) ${sql.raw(op)} ${place}`;

const placeOf = (cursor: KeysetCursor) => sql`(${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::bigint)`;

/**
 * Which rows the page is: after the cursor (keyset), from the place of the page's first row found
 * by an index-only walk over the rows before it (deep `page=N`), or by OFFSET (shallow pages).
 * Every way gives the same rows for the same page: the order (createdAt, paymentId) is total.
 */
function pageRead(database: Db, where: SQL | undefined, query: SearchQuery) {
  if (query.after) return { where: and(where, beyond("<", placeOf(query.after))), offset: 0 };
  const before = rowsBefore(query);
  if (before < DEFERRED_JOIN_FROM) return { where, offset: before };
  return { where: and(where, fromRowAt(database, where, before)), offset: 0 };
}

/**
 * The rows from the one `before` rows into the newest-first list of `where` on: that row's place
 * found by a walk over the (created_at, payment_id) index alone (index-only where the visibility
 * map allows), as a subquery, no payment read to skip it. Past the end the walk finds no row, the
 * comparison with its null is null: an empty page, as OFFSET gives.
 */
export function fromRowAt(database: Db, where: SQL | undefined, before: number): SQL {
  const place = database
    .select({ createdAt: payments.createdAt, paymentId: payments.paymentId })
    .from(payments)
    .where(where)
    .orderBy(desc(payments.createdAt), desc(payments.paymentId))
    .offset(before)
    .limit(1);
  return beyond("<=", sql`${place}`);
}

/**
 * One page of the payments the caller may see that match the query, newest first, with the
 * count (exact up to a cap, flagged as an estimate above it) and the cursor of the next page.
 */
export async function searchPayments(caller: Caller, input: { query: SearchQuery }): Promise<Page<PaymentView>> {
  const { query } = input;
  const database = readDb();
  // The page's documents in one statement, one row more to tell whether a page follows; the
  // count only where the page does not tell it.
  const read = pageRead(database, paymentSearchCondition(caller, query), query);
  const fetched = await paymentDocuments(database, read.where, { limit: query.perPage + 1, offset: read.offset });
  const more = fetched.length > query.perPage;
  const items = more ? fetched.slice(0, query.perPage) : fetched;
  const last = items.at(-1);
  const matched = countShownByPage(items.length, more, query) ?? (await matchCount(database, caller, query));
  return {
    ...pageOf(items, matched.count, query),
    totalItemsEstimated: matched.estimated,
    nextCursor: more && last ? cursorToParam({ createdAt: last.createdAt, id: last.paymentId }) : null,
  };
}
