// The staff CSV exports: payments, credits, the operation log and the audit log, each the whole
// filtered set its screen shows, written by the database (COPY, formatting in SQL; decision 044)
// and streamed to the download. Taking data out of the system is audited: one entry per export,
// written when it starts (so an export cut off halfway is on record too), with the filters as
// the user sent them and how many rows they match.
import type { SQL } from "drizzle-orm";
import type { StaffCaller } from "../../domain/caller";
import { maskCardNumbers } from "../../domain/card-number";
import type { SearchQuery } from "../../domain/search-filter";
import { auditStaffAction } from "../../platform/audit.server";
import type { MatchCount } from "../../platform/bounded-count.server";
import { copyCsv } from "../../platform/csv-copy.server";
import { db } from "../../platform/db.server";
import { auditExportCount, auditExportSelect } from "../queries/audit-log.server";
import { creditExportCount, creditExportSelect } from "../queries/credit-search.server";
import {
  operationLogExportCount,
  operationLogExportSelect,
  type OperationLogQuery,
} from "../queries/operation-log.server";
import {
  paymentExportSelect,
  paymentTotals,
  resolvePaymentQuery,
  type PaymentQuery,
} from "../queries/payment-list.server";

export type CsvExport = {
  /** Rows the filters matched when the export started: exact, or above a cap the planner's estimate. */
  expected: MatchCount;
  /** The file: a header line, then one line per row. */
  body: AsyncIterable<Uint8Array>;
};

async function startExport(
  caller: StaffCaller,
  input: { action: string; entityType: string; filters: string; select: SQL; expected: MatchCount },
): Promise<CsvExport> {
  await auditStaffAction(db(), caller, {
    action: input.action,
    entityType: input.entityType,
    entityId: null,
    // The query as typed, except a card number someone searched for (a quick search takes anything).
    after: { query: maskCardNumbers(input.filters), rows: input.expected.count, estimated: input.expected.estimated },
  });
  return { expected: input.expected, body: await copyCsv(input.select) };
}

/** Every payment the payments list shows for `query`, in its order. `filters`: the list's query string. */
export async function exportPayments(
  caller: StaffCaller,
  input: { query: PaymentQuery; filters: string },
): Promise<CsvExport> {
  const resolved = await resolvePaymentQuery(caller, { query: input.query });
  const totals = await paymentTotals(caller, { resolved });
  return startExport(caller, {
    action: "payment.export_csv",
    entityType: "payment",
    filters: input.filters,
    select: paymentExportSelect(resolved),
    expected: { count: totals.total, estimated: totals.estimated },
  });
}

/** Every credit the credits list shows for `query`, newest first. */
export async function exportCredits(
  caller: StaffCaller,
  input: { query: Pick<SearchQuery, "filters">; filters: string },
): Promise<CsvExport> {
  return startExport(caller, {
    action: "credit.export_csv",
    entityType: "credit",
    filters: input.filters,
    select: creditExportSelect(caller, input.query),
    expected: await creditExportCount(caller, input.query),
  });
}

/** Every operation-log row the log shows for `query`, newest first. */
export async function exportOperationLog(
  caller: StaffCaller,
  input: { query: Pick<OperationLogQuery, "filters" | "created">; filters: string },
): Promise<CsvExport> {
  return startExport(caller, {
    action: "operation_log.export_csv",
    entityType: "operation_log",
    filters: input.filters,
    select: operationLogExportSelect(input.query),
    expected: await operationLogExportCount(input.query),
  });
}

/** Every audit entry the audit log shows for `query`, newest first (the export is itself audited). */
export async function exportAuditLog(
  caller: StaffCaller,
  input: { query: Pick<SearchQuery, "filters">; filters: string },
): Promise<CsvExport> {
  return startExport(caller, {
    action: "audit_log.export_csv",
    entityType: "audit_log",
    filters: input.filters,
    select: auditExportSelect(input.query),
    expected: await auditExportCount(input.query),
  });
}
