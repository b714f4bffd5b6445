// The Reconciliation screens' read models (docs/decisions/039): imported settlement reports, an
// upload's progress, and one settlement's result. Only DONE imports are read; a RUNNING one is
// visible only as its own progress.
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { reconciliationDifferences, reconciliationTotals, settlementReportImports } from "../../../db/schema";
import { db } from "../../platform/db.server";
import {
  DIFFERENCE_KINDS,
  DIFFERENCE_LIST_LIMIT,
  IMPORT_LIST_LIMIT,
  type DifferenceKind,
} from "../../domain/settlement-report";

export type ReportImportRow = {
  id: number;
  fileName: string;
  importedByEmail: string;
  finishedAt: Date | null;
  lines: number;
  settlementIds: string[];
  unresolved: number;
};

/** The newest DONE imports with their settlements and how many differences are still open. */
export async function listReportImports(): Promise<ReportImportRow[]> {
  const rows = await db()
    .select({
      id: settlementReportImports.id,
      fileName: settlementReportImports.fileName,
      importedByEmail: settlementReportImports.importedByEmail,
      finishedAt: settlementReportImports.finishedAt,
      lines: settlementReportImports.linesRead,
      settlementIds: sql<string[]>`coalesce((
        select array_agg(distinct t.settlement_id order by t.settlement_id) from ${reconciliationTotals} t
        where t.import_id = ${settlementReportImports.id}), '{}')`,
      unresolved: sql<number>`(
        select count(*)::int from ${reconciliationDifferences} d
        where d.import_id = ${settlementReportImports.id} and d.resolved_at is null)`,
    })
    .from(settlementReportImports)
    .where(eq(settlementReportImports.status, "DONE"))
    .orderBy(desc(settlementReportImports.createdAt), desc(settlementReportImports.id))
    .limit(IMPORT_LIST_LIMIT);
  return rows;
}

export type ImportProgress = { status: "RUNNING" | "DONE"; linesRead: number; bytesRead: number; importId: number };

/** An upload's progress by the token its page sent with it; null before its first batch or after a refusal. */
export async function importProgress(uploadToken: string): Promise<ImportProgress | null> {
  const [row] = await db()
    .select({
      importId: settlementReportImports.id,
      status: settlementReportImports.status,
      linesRead: settlementReportImports.linesRead,
      bytesRead: settlementReportImports.bytesRead,
    })
    .from(settlementReportImports)
    .where(eq(settlementReportImports.uploadToken, uploadToken));
  return row ?? null;
}

export type SettlementTotals = {
  currency: string;
  importId: number;
  lineCount: number;
  matchedCount: number;
  grossAmount: string;
  fees: string;
  netAmount: string;
  /** Per kind: how many differences, how many still open, and the sum of their differences. */
  differences: Record<DifferenceKind, { count: number; open: number; amount: string }>;
};

export type DifferenceRow = typeof reconciliationDifferences.$inferSelect;

export type SettlementReconciliation = {
  settlementId: string;
  importId: number;
  fileName: string;
  importedByEmail: string;
  finishedAt: Date | null;
  totals: SettlementTotals[];
  differences: DifferenceRow[];
  /** Whether there are more differences of the kind shown than listed. */
  more: boolean;
};

/**
 * One settlement's reconciliation: per currency the lines, matches, fees and each kind of
 * difference; and the differences of `kind` (every kind when null), open ones only when asked.
 * Null when no report of this settlement has been imported.
 */
export async function settlementReconciliation(
  settlementId: string,
  list: { kind: DifferenceKind | null; openOnly: boolean },
): Promise<SettlementReconciliation | null> {
  const totals = await db()
    .select({
      currency: reconciliationTotals.currency,
      importId: reconciliationTotals.importId,
      lineCount: reconciliationTotals.lineCount,
      matchedCount: reconciliationTotals.matchedCount,
      grossAmount: reconciliationTotals.grossAmount,
      fees: reconciliationTotals.fees,
      netAmount: reconciliationTotals.netAmount,
      fileName: settlementReportImports.fileName,
      importedByEmail: settlementReportImports.importedByEmail,
      finishedAt: settlementReportImports.finishedAt,
    })
    .from(reconciliationTotals)
    .innerJoin(settlementReportImports, eq(settlementReportImports.id, reconciliationTotals.importId))
    .where(eq(reconciliationTotals.settlementId, settlementId))
    .orderBy(asc(reconciliationTotals.currency));
  if (totals.length === 0) return null;
  const sums = await db()
    .select({
      currency: reconciliationDifferences.currency,
      kind: reconciliationDifferences.kind,
      count: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${reconciliationDifferences.resolvedAt} is null))::int`,
      amount: sql<string>`sum(${reconciliationDifferences.difference})::text`,
    })
    .from(reconciliationDifferences)
    .where(eq(reconciliationDifferences.settlementId, settlementId))
    .groupBy(reconciliationDifferences.currency, reconciliationDifferences.kind);
  const differences = await db()
    .select()
    .from(reconciliationDifferences)
    .where(
      and(
        eq(reconciliationDifferences.settlementId, settlementId),
        list.kind ? eq(reconciliationDifferences.kind, list.kind) : undefined,
        list.openOnly ? isNull(reconciliationDifferences.resolvedAt) : undefined,
      ),
    )
    .orderBy(
      sql`array_position(array['AMOUNT_DIFFERS','MISSING_IN_PAYDESK','MISSING_AT_PROVIDER'], ${reconciliationDifferences.kind})`,
      asc(reconciliationDifferences.id),
    )
    .limit(DIFFERENCE_LIST_LIMIT + 1);
  const [first] = totals;
  return {
    settlementId,
    importId: first.importId,
    fileName: first.fileName,
    importedByEmail: first.importedByEmail,
    finishedAt: first.finishedAt,
    totals: totals.map((row) => ({
      currency: row.currency,
      importId: row.importId,
      lineCount: row.lineCount,
      matchedCount: row.matchedCount,
      grossAmount: row.grossAmount,
      fees: row.fees,
      netAmount: row.netAmount,
      differences: Object.fromEntries(
        DIFFERENCE_KINDS.map((kind) => {
          const sum = sums.find((s) => s.currency === row.currency && s.kind === kind);
          return [kind, { count: sum?.count ?? 0, open: sum?.open ?? 0, amount: sum?.amount ?? "0" }];
        }),
      ) as SettlementTotals["differences"],
    })),
    differences: differences.slice(0, DIFFERENCE_LIST_LIMIT),
    more: differences.length > DIFFERENCE_LIST_LIMIT,
  };
}

/** Whether a report of this settlement has been reconciled (the settlement screen links to it). */
export async function isReconciled(settlementId: string): Promise<boolean> {
  const [row] = await db()
    .select({ one: sql<number>`1` })
    .from(reconciliationTotals)
    .where(eq(reconciliationTotals.settlementId, settlementId))
    .limit(1);
  return !!row;
}
