// The operation log across every payment, for staff: what happened, when, through which client,
// POS and channel, under which correlation id. Read-only.
//
// The table grows by several rows per payment (4 million at a million payments), so a page is a
// keyset page in (createdAt, id) order, newest first, and the number of matches is counted only
// up to a bound: both cost the same on page 1 and page 10,000 and never walk the whole table
// for a common filter. scripts/bench-lists.ts measures it; decision 011 says why.
import { count, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { db, readDb } from "../../platform/db.server";
import { operationLog, paymentTransactions } from "../../../db/schema";
import { OPERATIONS } from "../../domain/enums";
import type { FieldFilter, FieldSpec } from "../../domain/search-filter";
import type { InstantBounds } from "../../domain/zoned-day-range";
import type { StaffCaller } from "../../domain/caller";
import { allOf, conditionsFor } from "../../platform/search-sql.server";
import { searchColumns } from "./search-columns.server";
import { sqlAmount, sqlCsvText, sqlInstant } from "../../platform/csv-copy.server";
import { countUpToCap } from "../../platform/bounded-count.server";
import { keysetPageOf, keysetRead, type KeysetCursor, type KeysetDirection } from "./keyset-page.server";

export const OPERATION_LOG_FIELDS: Record<string, FieldSpec> = {
  operation: { type: "enum", values: OPERATIONS },
  createdAt: { type: "timestamp" },
  clientName: { type: "string" },
  pos: { type: "string" },
  distributionChannel: { type: "string" },
  correlationId: { type: "string" },
  paymentId: { type: "integer" },
  transactionId: { type: "integer" },
  actor: { type: "string" },
};

const COLUMNS = searchColumns(operationLog, OPERATION_LOG_FIELDS);
const KEYSET_COLUMNS = { createdAt: operationLog.createdAt, id: operationLog.id };

/** Counting stops here: "more than 10,000" is all a person needs to narrow the filter. */
export const COUNT_LIMIT = 10_000;
export const MAX_PER_PAGE = 200;

/** A row's place in the newest-first order. */
export type OperationLogCursor = KeysetCursor;

export type OperationLogQuery = {
  /** Parsed with OPERATION_LOG_FIELDS (the /v1 grammar). */
  filters?: Record<string, FieldFilter>;
  /** createdAt >= gte and < lt. */
  created?: InstantBounds;
  /** The page of rows older or newer than a row; none: the newest rows. */
  cursor?: KeysetDirection;
  perPage: number;
};

/** An operation-log row with its transaction's currency (for the amount) and payment type. */
export type OperationLogEntry = typeof operationLog.$inferSelect & {
  currency: string | null;
  paymentType: string | null;
  paymentTypeGroup: string | null;
};

export type OperationLogPage = {
  items: OperationLogEntry[];
  /** Where the page of newer rows starts (this page's first row), or null on the newest page. */
  newer: OperationLogCursor | null;
  /** Where the page of older rows starts (this page's last row), or null on the oldest page. */
  older: OperationLogCursor | null;
  /** Rows matching the filters (not the cursor), counted up to COUNT_LIMIT. */
  matching: { count: number; moreThan: boolean };
  perPage: number;
};

function filterCondition(query: Pick<OperationLogQuery, "filters" | "created">): SQL | undefined {
  return allOf([
    ...conditionsFor(query.filters ?? {}, COLUMNS),
    query.created?.gte ? gte(operationLog.createdAt, query.created.gte) : undefined,
    query.created?.lt ? lt(operationLog.createdAt, query.created.lt) : undefined,
  ]);
}

async function countUpTo(database: Db, where: SQL | undefined): Promise<OperationLogPage["matching"]> {
  const bounded = database
    .select({ one: sql`1` })
    .from(operationLog)
    .where(where)
    .limit(COUNT_LIMIT + 1)
    .as("bounded");
  const [{ n }] = await database.select({ n: count() }).from(bounded);
  return n > COUNT_LIMIT ? { count: COUNT_LIMIT, moreThan: true } : { count: n, moreThan: false };
}

/**
 * One page of the operation log, newest first, and the bounded count of what matches. Reading
 * one row more than the page tells whether another page follows in that direction.
 */
export async function searchOperationLog(_caller: StaffCaller, query: OperationLogQuery): Promise<OperationLogPage> {
  const database = readDb();
  const where = filterCondition(query);
  const read = keysetRead(KEYSET_COLUMNS, where, query, MAX_PER_PAGE);
  const [fetched, matching] = await Promise.all([
    database
      .select()
      .from(operationLog)
      .where(read.where)
      .orderBy(...read.orderBy)
      .limit(read.limit),
    countUpTo(database, where),
  ]);
  const { perPage } = read;
  const { items: rows, newer, older } = keysetPageOf(fetched, perPage, read.cursor);

  const transactions = await transactionsOf(database, [...new Set(rows.map((row) => row.transactionId))]);
  const items = rows.map((row): OperationLogEntry => {
    const transaction = transactions.get(row.transactionId);
    return {
      ...row,
      currency: transaction?.currency ?? null,
      paymentType: transaction?.paymentType ?? null,
      paymentTypeGroup: transaction?.paymentTypeGroup ?? null,
    };
  });
  return { items, newer, older, matching, perPage };
}

async function transactionsOf(database: Db, transactionIds: number[]) {
  if (transactionIds.length === 0)
    return new Map<number, { currency: string; paymentType: string | null; paymentTypeGroup: string }>();
  const rows = await database
    .select({
      transactionId: paymentTransactions.transactionId,
      currency: paymentTransactions.currency,
      paymentType: paymentTransactions.paymentType,
      paymentTypeGroup: paymentTransactions.paymentTypeGroup,
    })
    .from(paymentTransactions)
    .where(inArray(paymentTransactions.transactionId, transactionIds));
  return new Map(rows.map(({ transactionId, ...rest }) => [transactionId, rest]));
}

/**
 * The operation log export's select (decision 044): every row the log shows for the filters,
 * newest first like the screen, with its transaction's currency and payment type.
 */
export function operationLogExportSelect(query: Pick<OperationLogQuery, "filters" | "created">): SQL {
  const o = operationLog;
  const t = paymentTransactions;
  return sql`select ${o.id} as "id",
      ${sqlInstant(sql`${o.createdAt}`)} as "createdAt",
      ${o.operation} as "operation",
      ${o.paymentId} as "paymentId",
      ${o.transactionId} as "transactionId",
      ${t.currency} as "currency",
      ${sqlAmount(sql`${o.amount}`)} as "amount",
      ${sqlCsvText(sql`coalesce(${t.paymentType}, ${t.paymentTypeGroup})`)} as "paymentType",
      ${sqlCsvText(sql`${o.clientName}`)} as "clientName",
      ${sqlCsvText(sql`${o.pos}`)} as "pos",
      ${sqlCsvText(sql`${o.distributionChannel}`)} as "distributionChannel",
      ${sqlCsvText(sql`${o.correlationId}`)} as "correlationId",
      ${o.actorType} as "actorType",
      ${sqlCsvText(sql`${o.actor}`)} as "actor"
    from ${o}
    left join ${t} on ${t.transactionId} = ${o.transactionId}
    where ${filterCondition(query) ?? sql`true`}
    order by ${o.createdAt} desc, ${o.id} desc`;
}

/** Counts what the export of `query` will write (exact up to a cap, else estimated). */
export function operationLogExportCount(query: Pick<OperationLogQuery, "filters" | "created">) {
  const database = db();
  return countUpToCap(database, () =>
    database
      .select({ one: sql`1` })
      .from(operationLog)
      .where(filterCondition(query))
      .$dynamic(),
  );
}

export { cursorFromParam, cursorToParam } from "./keyset-page.server";
