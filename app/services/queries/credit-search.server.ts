// Credit search (GET /v1/credits and the staff credits list): the credit filters over
// credits and, for credit-transaction fields, "has a credit transaction matching all of them".
import { and, count, desc, eq, exists, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { db, readDb } from "../../platform/db.server";
import { creditTransactions, credits } from "../../../db/schema";
import { CREDIT_STATUSES, PAYMENT_TYPE_GROUPS, PAYMENT_TYPES } from "../../domain/enums";
import { INT4, type FieldSpec, type SearchQuery } from "../../domain/search-filter";
import { tenantOf, type Caller } from "../../domain/caller";
import { loadCreditViews, type CreditView } from "../credits/credits.server";
import { pageOf, rowsBefore, type Page } from "./payment-search.server";
import { allOf, conditionsFor, type ColumnOf } from "../../platform/search-sql.server";
import { sqlAmount, sqlCsvText, sqlInstant } from "../../platform/csv-copy.server";
import { countUpToCap } from "../../platform/bounded-count.server";

export const CREDIT_SEARCH_FIELDS: Record<string, FieldSpec> = {
  creditId: { type: "integer" },
  createdAt: { type: "timestamp" },
  customerNumber: { type: "string" },
  orderId: { type: "string" },
  orderVersion: { type: "integer", ...INT4 },
  organisationId: { type: "integer", ...INT4 },
  // A payment type, or the group where the type was never known (as credit transactions show it).
  reimbursementMethod: { type: "enum", values: [...PAYMENT_TYPES, ...PAYMENT_TYPE_GROUPS] },
  reimbursementTypeGroup: { type: "enum", values: PAYMENT_TYPE_GROUPS },
  rrn: { type: "string" },
  settlementId: { type: "string" },
  status: { type: "enum", values: CREDIT_STATUSES },
  totalCreditAmount: { type: "amount" },
  transactionId: { type: "integer" },
  updatedAt: { type: "timestamp" },
};

const CREDIT_COLUMNS: Record<string, ColumnOf> = {
  creditId: { column: credits.creditId },
  createdAt: { column: credits.createdAt },
  customerNumber: { column: credits.customerNumber },
  orderId: { column: credits.orderId },
  orderVersion: { column: credits.orderVersion },
  organisationId: { column: credits.organisationId },
  settlementId: { column: credits.settlementId },
  status: { column: credits.status },
  totalCreditAmount: { column: credits.totalCreditAmount, amount: true },
  updatedAt: { column: credits.updatedAt },
};

const LINE_COLUMNS: Record<string, ColumnOf> = {
  reimbursementMethod: { column: creditTransactions.reimbursementMethod },
  reimbursementTypeGroup: { column: creditTransactions.reimbursementTypeGroup },
  rrn: { column: creditTransactions.rrn },
  transactionId: { column: creditTransactions.transactionId },
};

export function creditSearchCondition(caller: Caller, query: Pick<SearchQuery, "filters">) {
  const organisationId = tenantOf(caller);
  const lineConditions = conditionsFor(query.filters, LINE_COLUMNS);
  return allOf([
    organisationId === null ? undefined : eq(credits.organisationId, organisationId),
    ...conditionsFor(query.filters, CREDIT_COLUMNS),
    lineConditions.length
      ? exists(
          sql`(select 1 from ${creditTransactions} where ${creditTransactions.creditId} = ${credits.creditId} and ${and(...lineConditions)})`,
        )
      : undefined,
  ]);
}

/** One page of the credits the caller may see that match the query, newest first, with the count. */
export async function searchCredits(caller: Caller, input: { query: SearchQuery }): Promise<Page<CreditView>> {
  const { query } = input;
  const database = readDb();
  const where = creditSearchCondition(caller, query);
  const [rows, [{ total }]] = await Promise.all([
    database
      .select()
      .from(credits)
      .where(where)
      .orderBy(desc(credits.createdAt), desc(credits.creditId))
      .limit(query.perPage)
      .offset(rowsBefore(query)),
    database.select({ total: count() }).from(credits).where(where),
  ]);
  return pageOf(await loadCreditViews(database, rows), total, query);
}

/**
 * The credits export's select (decision 044): every credit the list shows for the filters, newest
 * first like the list, formatted as the file shows it. Its lines' methods and RRNs are listed in
 * line order, separated by ";".
 */
export function creditExportSelect(caller: Caller, query: Pick<SearchQuery, "filters">): SQL {
  const c = credits;
  const l = creditTransactions;
  const lines = (column: SQL | AnyPgColumn) =>
    sqlCsvText(
      sql`(select string_agg(${column}, ';' order by ${l.creditTransactionId}) from ${l} where ${l.creditId} = ${c.creditId})`,
    );
  return sql`select ${c.creditId} as "creditId",
      ${sqlInstant(sql`${c.createdAt}`)} as "createdAt",
      ${sqlInstant(sql`${c.updatedAt}`)} as "updatedAt",
      ${c.status} as "status",
      ${c.organisationId} as "organisationId",
      ${sqlCsvText(sql`${c.orderId}`)} as "orderId",
      ${c.orderVersion} as "orderVersion",
      ${sqlCsvText(sql`${c.customerNumber}`)} as "customerNumber",
      ${c.currency} as "currency",
      ${sqlAmount(sql`${c.totalCreditAmount}`)} as "totalCreditAmount",
      ${sqlCsvText(sql`${c.settlementId}`)} as "settlementId",
      ${lines(sql`${l.transactionId}::text`)} as "transactionIds",
      ${lines(l.reimbursementMethod)} as "reimbursementMethods",
      ${lines(l.rrn)} as "rrns",
      ${sqlCsvText(sql`${c.createdByClientId}`)} as "createdByClientId",
      ${sqlCsvText(sql`${c.createdByStaffUserId}`)} as "createdByStaffUserId",
      ${sqlCsvText(sql`${c.reason}`)} as "reason"
    from ${c}
    where ${creditSearchCondition(caller, query) ?? sql`true`}
    order by ${c.createdAt} desc, ${c.creditId} desc`;
}

/** Counts what the export of `query` will write (exact up to a cap, else estimated). */
export function creditExportCount(caller: Caller, query: Pick<SearchQuery, "filters">) {
  const database = db();
  return countUpToCap(database, () =>
    database
      .select({ one: sql`1` })
      .from(credits)
      .where(creditSearchCondition(caller, query))
      .$dynamic(),
  );
}
