// Credit search (GET /v1/credits and the staff credits list): the credit filters over
// credits and, for credit-transaction fields, "has a credit transaction matching all of them".
import { and, count, desc, eq, exists, sql } from "drizzle-orm";
import { readDb } from "../../platform/db.server";
import { creditTransactions, credits } from "../../../db/schema";
import { CREDIT_STATUSES, PAYMENT_TYPE_GROUPS, PAYMENT_TYPES } from "../../domain/enums";
import { INT4, type FieldSpec, type SearchQuery } from "../../domain/search-filter";
import { tenantOf, type Caller } from "../../domain/caller";
import { loadCreditViews, type CreditView } from "../credits/credits.server";
import { pageOf, rowsBefore, type Page } from "./payment-search.server";
import { allOf, conditionsFor, type ColumnOf } from "../../platform/search-sql.server";

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
