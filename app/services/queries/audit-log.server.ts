// Reading the audit log (the writing side is audit.server.ts). Staff only; nothing here changes
// a row: the log is append-only.
import { count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { StaffCaller } from "../../domain/caller";
import { db, readDb } from "../../platform/db.server";
import { auditLog } from "../../../db/schema";
import type { FieldSpec, SearchQuery } from "../../domain/search-filter";
import { pageOf, rowsBefore, type Page } from "./payment-search.server";
import { allOf, conditionsFor } from "../../platform/search-sql.server";
import { searchColumns } from "./search-columns.server";
import { sqlCsvText, sqlInstant } from "../../platform/csv-copy.server";
import { countUpToCap } from "../../platform/bounded-count.server";

/** The audit screen's filters, in the /v1 search grammar (field=op:value). */
export const AUDIT_FILTERS = {
  actor: { type: "string" },
  action: { type: "string" },
  entityType: { type: "string" },
  entityId: { type: "string" },
  correlationId: { type: "string" },
  ip: { type: "string" },
  createdAt: { type: "timestamp" },
} as const satisfies Record<string, FieldSpec>;

const COLUMNS = searchColumns(auditLog, AUDIT_FILTERS, { actor: auditLog.actorEmail });

export type AuditEntryRow = typeof auditLog.$inferSelect;

/** A page of entries, newest first (matching audit_log_created_at_idx and the filter indexes). */
export async function listAuditEntries(
  _caller: StaffCaller,
  input: { query: SearchQuery },
): Promise<Page<AuditEntryRow>> {
  const { query } = input;
  const database = readDb();
  const where = allOf(conditionsFor(query.filters, COLUMNS));
  const [{ total }] = await database.select({ total: count() }).from(auditLog).where(where);
  const items = await database
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(query.perPage)
    .offset(rowsBefore(query));
  return pageOf(items, total, query);
}

/** One entry, or null when there is no such entry. */
export async function getAuditEntry(_caller: StaffCaller, input: { entryId: number }): Promise<AuditEntryRow | null> {
  const [entry] = await readDb().select().from(auditLog).where(eq(auditLog.id, input.entryId));
  return entry ?? null;
}

/** The audit log export's select (decision 044): every entry the screen shows for the filters, newest first. */
export function auditExportSelect(query: Pick<SearchQuery, "filters">): SQL {
  const a = auditLog;
  const text = (value: SQL) => sqlCsvText(value);
  return sql`select ${a.id} as "id",
      ${sqlInstant(sql`${a.createdAt}`)} as "createdAt",
      ${text(sql`${a.actorEmail}`)} as "actor",
      ${text(sql`${a.action}`)} as "action",
      ${text(sql`${a.entityType}`)} as "entityType",
      ${text(sql`${a.entityId}`)} as "entityId",
      ${text(sql`${a.reason}`)} as "reason",
      ${text(sql`${a.before}::text`)} as "before",
      ${text(sql`${a.after}::text`)} as "after",
      ${text(sql`${a.ip}`)} as "ip",
      ${text(sql`${a.correlationId}`)} as "correlationId"
    from ${a}
    where ${allOf(conditionsFor(query.filters, COLUMNS)) ?? sql`true`}
    order by ${a.createdAt} desc, ${a.id} desc`;
}

/** Counts what the export of `query` will write (exact up to a cap, else estimated). */
export function auditExportCount(query: Pick<SearchQuery, "filters">) {
  const database = db();
  return countUpToCap(database, () =>
    database
      .select({ one: sql`1` })
      .from(auditLog)
      .where(allOf(conditionsFor(query.filters, COLUMNS)))
      .$dynamic(),
  );
}
