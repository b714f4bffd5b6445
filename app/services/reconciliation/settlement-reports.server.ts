// Importing a provider's settlement report and reconciling it with Paydesk
// (docs/decisions/039-settlement-reconciliation.md). The file streams through the report reader
// line by line into settlement_report_lines in batches, each committed with the import's
// progress; the import stays RUNNING, which every reader ignores. After the last line one
// transaction checks the whole file (the same file again, a reference twice, a settlement
// already reconciled), matches it against captures and credits in SQL and marks it DONE. A
// refused or failed upload deletes its row and lines: nothing of it is ever read.
import { createHash } from "node:crypto";
import { and, eq, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { reconciliationDifferences, settlementReportImports } from "../../../db/schema";
import type { StaffCaller } from "../../domain/caller";
import { conflict, invalid, notFound } from "../../domain/errors";
import { money, toDbAmount, type Money } from "../../domain/money";
import {
  CsvRecordReader,
  ReportRefused,
  reportSays,
  checkHeader,
  parseReportLine,
  type CsvRecord,
  type ReportLine,
} from "../../domain/settlement-report";
import { openChargebackLocked } from "../chargebacks/chargebacks.server";
import { auditStaffAction } from "../../platform/audit.server";
import { db } from "../../platform/db.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

/** Lines per committed batch: the memory an import holds, and how often its progress moves. */
const BATCH_LINES = 5_000;
/** A RUNNING import untouched this long was abandoned (its server stopped); the next import clears it. */
const ABANDONED_AFTER_MS = 15 * 60_000;
/**
 * How long the one statement that matches a whole report may run. The server bounds every
 * statement at a few seconds (serverTimeouts, db/client.ts) so a sick database answers quickly;
 * matching a million lines is one statement of a minute or more on purpose, so its transaction
 * gets a bound of its own (still a bound: a stuck publication ends, and its import is deleted).
 */
const PUBLISH_STATEMENT_TIMEOUT = "10min";

export type ImportOutcome =
  | { kind: "imported"; importId: number; lines: number; settlementIds: string[] }
  /** The same file was imported before: nothing changed. */
  | { kind: "duplicate"; importId: number };

/**
 * Imports a settlement report streamed from `content` and reconciles it.
 * @throws invalid  field `file`: the report is refused, naming the line and column; nothing is kept.
 *                  field `uploadToken`: the token is taken by another upload.
 */
export async function importSettlementReport(
  caller: StaffCaller,
  input: { fileName: string; uploadToken: string; content: AsyncIterable<Uint8Array> },
): Promise<ImportOutcome> {
  await db()
    .delete(settlementReportImports)
    .where(
      and(
        eq(settlementReportImports.status, "RUNNING"),
        lt(settlementReportImports.updatedAt, new Date(Date.now() - ABANDONED_AFTER_MS)),
      ),
    );
  let importId: number;
  try {
    [{ id: importId }] = await db()
      .insert(settlementReportImports)
      .values({
        fileName: input.fileName,
        uploadToken: input.uploadToken,
        importedByUserId: caller.userId,
        importedByEmail: caller.email,
      })
      .returning({ id: settlementReportImports.id });
  } catch (error) {
    if (violatedConstraint(error) === "settlement_report_imports_token_uq") {
      throw invalid("uploadToken", "is taken by another upload: reload the page", {
        key: "errors.report.uploadTokenTaken",
      });
    }
    throw error;
  }
  let done = false;
  try {
    const { sha256, lines } = await streamLines(importId, input.content);
    const outcome = await inTransaction((tx) => publishLocked(tx, caller, { importId, sha256, lines, ...input }));
    done = outcome.kind === "imported";
    return outcome;
  } catch (error) {
    if (error instanceof ReportRefused) throw invalid("file", error.message, error.say);
    throw error;
  } finally {
    if (!done) await db().delete(settlementReportImports).where(eq(settlementReportImports.id, importId));
  }
}

/** Reads, checks and stores every line of the file; answers its hash and how many lines it has. */
async function streamLines(importId: number, content: AsyncIterable<Uint8Array>) {
  const hash = createHash("sha256");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = new CsvRecordReader();
  let headerRead = false;
  let lines = 0;
  let bytes = 0;
  let batch: ReportLine[] = [];
  let lastLine = 1;
  const take = async (records: CsvRecord[]) => {
    for (const record of records) {
      lastLine = record.line;
      if (!headerRead) {
        checkHeader(record);
        headerRead = true;
        continue;
      }
      batch.push(parseReportLine(record));
      lines += 1;
      if (batch.length >= BATCH_LINES) {
        await storeBatch(importId, batch, lines, bytes);
        batch = [];
      }
    }
  };
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new ReportRefused({
        line: lastLine,
        column: null,
        message: "is not UTF-8 text",
        say: reportSays("notUtf8"),
      });
    }
  };
  for await (const chunk of content) {
    hash.update(chunk);
    bytes += chunk.byteLength;
    await take(reader.push(decode(chunk)));
  }
  await take([...reader.push(decode()), ...reader.end()]);
  if (!headerRead)
    throw new ReportRefused({ line: 1, column: null, message: "the file is empty", say: reportSays("emptyFile") });
  if (lines === 0)
    throw new ReportRefused({ line: 2, column: null, message: "the report has no lines", say: reportSays("noLines") });
  await storeBatch(importId, batch, lines, bytes);
  return { sha256: hash.digest("hex"), lines };
}

/** One batch of lines and the import's progress, committed together (one statement each, one round trip). */
async function storeBatch(importId: number, batch: ReportLine[], linesRead: number, bytesRead: number) {
  const rows = batch.map((line) => ({
    n: line.line,
    s: line.settlementId,
    d: line.bookingDate,
    t: line.type,
    r: line.reference,
    g: toDbAmount(line.gross),
    f: toDbAmount(line.fee),
    a: toDbAmount(line.net),
    c: line.currency,
  }));
  await inTransaction(async (tx) => {
    // One parameter whatever the batch's size (a row of parameters each would hit the 65 535 limit).
    await tx.execute(sql`
      insert into settlement_report_lines
        (import_id, line_no, settlement_id, booking_date, type, reference, gross_amount, fee, net_amount, currency)
      select ${importId}::bigint, n, s, d, t, r, g, f, a, c
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(n integer, s text, d date, t text, r text, g numeric, f numeric, a numeric, c text)`);
    await tx
      .update(settlementReportImports)
      .set({ linesRead, bytesRead, updatedAt: new Date() })
      .where(eq(settlementReportImports.id, importId));
  });
}

/** Answers the first line (and why) that makes the whole file unacceptable, if any. */
async function refusalOfWholeFile(tx: Tx, importId: number): Promise<ReportRefused | null> {
  // A provider reports a capture, refund or chargeback once; twice is a broken file, not a difference.
  const [duplicate] = await rowsIn<{ line_no: number; first: number }>(
    tx,
    sql`
    select l.line_no, f.first
    from settlement_report_lines l
    join (select type, reference, min(line_no) as first
          from settlement_report_lines
          where import_id = ${importId}::bigint and type <> 'FEE'
          group by type, reference having count(*) > 1) f
      on f.type = l.type and f.reference = l.reference
    where l.import_id = ${importId}::bigint and l.line_no > f.first
    order by l.line_no limit 1`,
  );
  if (duplicate) {
    return new ReportRefused({
      line: duplicate.line_no,
      column: "reference",
      message: `the same type and reference are on line ${duplicate.first} already`,
      say: reportSays("duplicate", { first: duplicate.first }),
    });
  }
  const [again] = await rowsIn<{ line_no: number; settlement_id: string; import_id: number }>(
    tx,
    sql`
    select l.line_no, l.settlement_id, t.import_id
    from settlement_report_lines l
    join reconciliation_totals t on t.settlement_id = l.settlement_id
    where l.import_id = ${importId}
    order by l.line_no limit 1`,
  );
  if (again) {
    return new ReportRefused({
      line: again.line_no,
      column: "settlement_id",
      message: `settlement ${again.settlement_id} is reconciled from report #${again.import_id} already`,
      say: reportSays("reconciledAlready", { settlementId: again.settlement_id, importId: again.import_id }),
    });
  }
  return null;
}

async function publishLocked(
  tx: Tx,
  caller: StaffCaller,
  input: { importId: number; sha256: string; lines: number; fileName: string },
): Promise<ImportOutcome> {
  await tx.execute(sql.raw(`set local statement_timeout = '${PUBLISH_STATEMENT_TIMEOUT}'`));
  // One publication at a time: two reports of one settlement must not both pass the check below.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('paydesk.settlement-report.publish'))`);
  const [earlier] = await tx
    .select({ id: settlementReportImports.id })
    .from(settlementReportImports)
    .where(eq(settlementReportImports.contentSha256, input.sha256));
  if (earlier) return { kind: "duplicate", importId: earlier.id };
  const refusal = await refusalOfWholeFile(tx, input.importId);
  if (refusal) throw refusal;
  await matchReport(tx, input.importId);
  const chargebacks = await openReportedChargebacks(tx, caller, input.importId);
  await tx
    .update(settlementReportImports)
    .set({ status: "DONE", contentSha256: input.sha256, finishedAt: new Date(), updatedAt: new Date() })
    .where(eq(settlementReportImports.id, input.importId));
  const summary = await rowsIn<{ settlement_id: string; kind: string | null; n: number }>(
    tx,
    sql`
      select t.settlement_id, d.kind, count(d.id)::int as n
      from (select distinct settlement_id from reconciliation_totals where import_id = ${input.importId}::bigint) t
      left join reconciliation_differences d on d.import_id = ${input.importId}::bigint and d.settlement_id = t.settlement_id
      group by t.settlement_id, d.kind order by t.settlement_id, d.kind`,
  );
  const settlementIds = [...new Set(summary.map((row) => row.settlement_id))];
  const differences: Record<string, number> = {};
  for (const row of summary) if (row.kind) differences[row.kind] = (differences[row.kind] ?? 0) + row.n;
  await auditStaffAction(tx, caller, {
    action: "reconciliation.import",
    entityType: "settlement_report",
    entityId: input.importId,
    after: {
      fileName: input.fileName,
      sha256: input.sha256,
      lines: input.lines,
      settlementIds,
      differences,
      chargebacksOpened: chargebacks,
    },
  });
  return { kind: "imported", importId: input.importId, lines: input.lines, settlementIds };
}

/**
 * What Paydesk has for the report line `l` (a lateral subquery): for a CAPTURE line the captured
 * transaction whose RRN or provider transaction id is its reference, with the captured amount; for
 * a CHARGEBACK line the same transaction with what a chargeback may still take of it; for a REFUND
 * line the executed credit line whose RRN or provider reference it is. Same currency always.
 */
function paydeskSideOf(l: SQL) {
  return sql`
        select t.payment_id, t.transaction_id, null::bigint as credit_transaction_id,
          case when ${l}.type = 'CAPTURE' then t.captured_amount
            else t.captured_amount - t.credited_amount - t.reserved_amount - t.charged_back_amount end as paydesk_amount
        from payment_transactions t
        where ${l}.type in ('CAPTURE', 'CHARGEBACK') and t.captured_amount > 0 and t.currency = ${l}.currency
          and (t.rrn = ${l}.reference or t.external_transaction_id = ${l}.reference)
        union all
        select ct.payment_id, ct.transaction_id, ct.credit_transaction_id, ct.amount
        from credit_transactions ct
        join payment_transactions t on t.transaction_id = ct.transaction_id
        where ${l}.type = 'REFUND' and ct.status = 'CREDITED' and t.currency = ${l}.currency
          and (ct.rrn = ${l}.reference or ct.provider_reference = ${l}.reference)
        order by 2, 3 nulls first
        limit 1`;
}

/**
 * Matches the import's lines against Paydesk, set-based: a CAPTURE or CHARGEBACK line with the
 * captured transaction whose RRN or provider transaction id is its reference, a REFUND line with
 * the executed credit line whose RRN or provider reference it is (same currency in both cases).
 * Writes the totals per settlement and currency and one row per difference; then what Paydesk
 * has under the report's settlements that no line names (missing at the provider).
 */
async function matchReport(tx: Tx, importId: number): Promise<void> {
  // The lines just arrived: without fresh statistics the planner takes the import for a few rows
  // and anti-joins with a nested loop (minutes for 100 000 lines instead of a hash join).
  await tx.execute(sql`analyze settlement_report_lines`);
  await tx.execute(sql`
    with classified as (
      select l.*, m.payment_id, m.transaction_id, m.credit_transaction_id, m.paydesk_amount,
        case when l.type = 'CAPTURE' then l.gross_amount else -l.gross_amount end as provider_amount,
        case
          when l.type = 'FEE' then 'FEE'
          when m.paydesk_amount is null then 'MISSING_IN_PAYDESK'
          -- A chargeback takes at most what is left of the capture (not credited, reserved or
          -- charged back already); less is a partial one.
          when l.type = 'CHARGEBACK' and -l.gross_amount <= m.paydesk_amount then 'MATCHED'
          when l.type <> 'CHARGEBACK' and (case when l.type = 'CAPTURE' then l.gross_amount else -l.gross_amount end) = m.paydesk_amount then 'MATCHED'
          else 'AMOUNT_DIFFERS'
        end as outcome
      from settlement_report_lines l
      left join lateral (${paydeskSideOf(sql`l`)}) m on true
      where l.import_id = ${importId}
    ),
    differences as (
      insert into reconciliation_differences
        (import_id, settlement_id, kind, line_no, type, reference, currency, provider_amount, paydesk_amount,
         difference, payment_id, transaction_id, credit_transaction_id)
      select ${importId}::bigint, settlement_id, outcome, line_no, type, reference, currency, provider_amount, paydesk_amount,
        provider_amount - coalesce(paydesk_amount, 0), payment_id, transaction_id, credit_transaction_id
      from classified
      where outcome in ('MISSING_IN_PAYDESK', 'AMOUNT_DIFFERS')
    )
    insert into reconciliation_totals
      (settlement_id, currency, import_id, line_count, matched_count, gross_amount, fees, net_amount)
    select settlement_id, currency, ${importId}::bigint, count(*), count(*) filter (where outcome = 'MATCHED'),
      sum(gross_amount), sum(fee), sum(net_amount)
    from classified
    group by settlement_id, currency`);
  await tx.execute(sql`
    with settlements as (select distinct settlement_id from reconciliation_totals where import_id = ${importId}::bigint)
    insert into reconciliation_differences
      (import_id, settlement_id, kind, type, reference, currency, paydesk_amount, difference, payment_id, transaction_id,
       credit_transaction_id)
    select ${importId}::bigint, p.settlement_id, 'MISSING_AT_PROVIDER', 'CAPTURE', coalesce(t.rrn, t.external_transaction_id),
      t.currency, t.captured_amount, -t.captured_amount, t.payment_id, t.transaction_id, null
    from payments p
    join payment_transactions t on t.payment_id = p.payment_id
    where p.settlement_id in (select settlement_id from settlements) and t.captured_amount > 0
      and ${unreported(importId, "CAPTURE", "t.rrn")}
      and ${unreported(importId, "CAPTURE", "t.external_transaction_id")}
    union all
    select ${importId}::bigint, c.settlement_id, 'MISSING_AT_PROVIDER', 'REFUND', coalesce(ct.rrn, ct.provider_reference),
      t.currency, ct.amount, -ct.amount, ct.payment_id, ct.transaction_id, ct.credit_transaction_id
    from credits c
    join credit_transactions ct on ct.credit_id = c.credit_id
    join payment_transactions t on t.transaction_id = ct.transaction_id
    where c.settlement_id in (select settlement_id from settlements) and ct.status = 'CREDITED'
      and ${unreported(importId, "REFUND", "ct.rrn")}
      and ${unreported(importId, "REFUND", "ct.provider_reference")}`);
}

/**
 * No line of the import of `type`, in the transaction's currency (`t`), names `reference` (a
 * column of the query): one hash anti-join each (two of them, not one with OR, which is a nested loop).
 */
function unreported(importId: number, type: "CAPTURE" | "REFUND", reference: string) {
  return sql`not exists (
        select 1 from settlement_report_lines l
        where l.import_id = ${importId}::bigint and l.type = ${sql.raw(`'${type}'`)} and l.currency = t.currency
          and l.reference = ${sql.raw(reference)})`;
}

const negate = (value: Money) => -value as Money;

/** The reason code of a chargeback opened from a report line: the report carries none. */
export const REPORTED_CHARGEBACK_REASON = "SETTLEMENT-REPORT";

/**
 * Opens a chargeback (docs/decisions/040) for each CHARGEBACK line that matched (a captured
 * transaction with enough left to take), in ascending payment order: the fixed lock order. Once:
 * a file is imported once and a settlement from one file, and report_line_id is unique. Answers
 * how many were opened.
 */
async function openReportedChargebacks(tx: Tx, caller: StaffCaller, importId: number): Promise<number> {
  const matched = await rowsIn<{
    id: number;
    gross_amount: string;
    currency: string;
    payment_id: number;
    transaction_id: number;
  }>(
    tx,
    sql`
      select l.id, l.gross_amount, l.currency, m.payment_id, m.transaction_id
      from settlement_report_lines l
      join lateral (${paydeskSideOf(sql`l`)}) m on true
      where l.import_id = ${importId}::bigint and l.type = 'CHARGEBACK'
        and not exists (select 1 from reconciliation_differences d
                        where d.import_id = ${importId}::bigint and d.line_no = l.line_no)
      order by m.payment_id, m.transaction_id, l.line_no`,
  );
  for (const line of matched) {
    await openChargebackLocked(tx, caller, {
      paymentId: Number(line.payment_id),
      transactionId: Number(line.transaction_id),
      amount: negate(money(line.gross_amount)),
      currency: line.currency,
      reasonCode: REPORTED_CHARGEBACK_REASON,
      source: "REPORT",
      reportLineId: Number(line.id),
    });
  }
  return matched.length;
}

/** The rows of a raw statement: postgres.js answers an array, PGlite an object holding them. */
async function rowsIn<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result: unknown = await tx.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Marks a difference resolved with the caller's reason (audited). Once: a resolved difference
 * stays as it was resolved.
 * @throws not_found  no such difference
 * @throws conflict   it is resolved already
 */
export async function resolveDifference(
  caller: StaffCaller,
  input: { differenceId: number },
): Promise<{ differenceId: number; settlementId: string }> {
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(reconciliationDifferences)
      .where(eq(reconciliationDifferences.id, input.differenceId))
      .for("update");
    if (!row) throw notFound("Difference", input.differenceId);
    if (row.resolvedAt) {
      throw conflict(`This difference was resolved by ${row.resolvedByEmail} already: ${row.resolution}`, undefined, {
        key: "errors.report.resolvedAlready",
        values: { email: row.resolvedByEmail ?? "", resolution: row.resolution ?? "" },
      });
    }
    const resolvedAt = new Date();
    const resolution = caller.reason ?? "";
    await tx
      .update(reconciliationDifferences)
      .set({ resolvedAt, resolvedByEmail: caller.email, resolution })
      .where(eq(reconciliationDifferences.id, row.id));
    await auditStaffAction(tx, caller, {
      action: "reconciliation.resolve",
      entityType: "reconciliation_difference",
      entityId: row.id,
      before: {
        settlementId: row.settlementId,
        kind: row.kind,
        reference: row.reference,
        difference: row.difference,
        resolvedAt: null,
      },
      after: { resolvedAt, resolvedBy: caller.email, resolution },
    });
    return { differenceId: row.id, settlementId: row.settlementId };
  });
}

export type MatchAgainOutcome = {
  /** Lines now matched: their "missing in Paydesk" difference is closed, the settlement's matched count grows. */
  matched: number;
  /** Lines Paydesk now has with another amount: their difference is an amount difference, still open. */
  amountDiffers: number;
  /** Chargebacks opened for CHARGEBACK lines now matched. */
  chargebacksOpened: number;
};

/**
 * Looks again for what Paydesk has for a settlement's open "missing in Paydesk" lines
 * (docs/decisions/051): a payment that reached Paydesk after the report did. Each line found is
 * matched as the import would have matched it: the same amount closes its difference (resolved
 * by the caller, naming the payment; a CHARGEBACK line opens its chargeback), another amount turns
 * it into an open amount difference. One audit entry per difference changed. Idempotent: a line
 * is looked for again only while it is open and missing, so a second run changes nothing.
 * @throws not_found  no report of this settlement was imported
 */
export async function matchAgain(caller: StaffCaller, input: { settlementId: string }): Promise<MatchAgainOutcome> {
  return inTransaction(async (tx) => {
    // One run per settlement at a time: a second click waits, then finds nothing left to match.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('paydesk.reconciliation.match-again'), hashtext(${input.settlementId}))`,
    );
    const [reconciled] = await rowsIn<{ import_id: number }>(
      tx,
      sql`select import_id from reconciliation_totals where settlement_id = ${input.settlementId} limit 1`,
    );
    if (!reconciled) throw notFound("Reconciled settlement", input.settlementId);
    const found = await rowsIn<{
      id: number;
      type: string;
      reference: string | null;
      currency: string;
      provider_amount: string;
      line_id: number;
      gross_amount: string;
      payment_id: number;
      transaction_id: number;
      credit_transaction_id: number | null;
      paydesk_amount: string;
    }>(
      tx,
      sql`
        select d.id, d.type, d.reference, d.currency, d.provider_amount::text, l.id as line_id, l.gross_amount::text,
          m.payment_id, m.transaction_id, m.credit_transaction_id, m.paydesk_amount::text
        from reconciliation_differences d
        join settlement_report_lines l on l.import_id = d.import_id and l.line_no = d.line_no
        join lateral (${paydeskSideOf(sql`l`)}) m on true
        where d.settlement_id = ${input.settlementId} and d.kind = 'MISSING_IN_PAYDESK' and d.resolved_at is null
        order by m.payment_id, m.transaction_id, d.id`,
    );
    const outcome: MatchAgainOutcome = { matched: 0, amountDiffers: 0, chargebacksOpened: 0 };
    const at = new Date();
    // In payment order: the fixed lock order, for the chargebacks opened on the way.
    for (const line of found) {
      const provider = money(line.provider_amount);
      const paydesk = money(line.paydesk_amount);
      // The import's rule: a chargeback takes at most what is left of the capture, the others match exactly.
      const matches = line.type === "CHARGEBACK" ? negate(money(line.gross_amount)) <= paydesk : provider === paydesk;
      const paydeskSide = {
        paymentId: Number(line.payment_id),
        transactionId: Number(line.transaction_id),
        creditTransactionId: line.credit_transaction_id === null ? null : Number(line.credit_transaction_id),
        paydeskAmount: toDbAmount(paydesk),
      };
      const resolution = matches
        ? `Matched again: payment ${paydeskSide.paymentId} is in Paydesk now${caller.reason ? ` (${caller.reason})` : ""}`
        : null;
      const [changed] = await tx
        .update(reconciliationDifferences)
        .set({
          ...paydeskSide,
          ...(matches
            ? { resolvedAt: at, resolvedByEmail: caller.email, resolution }
            : { kind: "AMOUNT_DIFFERS" as const, difference: toDbAmount((provider - paydesk) as Money) }),
        })
        .where(
          and(
            eq(reconciliationDifferences.id, line.id),
            eq(reconciliationDifferences.kind, "MISSING_IN_PAYDESK"),
            isNull(reconciliationDifferences.resolvedAt),
          ),
        )
        .returning({ id: reconciliationDifferences.id });
      if (!changed) continue; // resolved by a person meanwhile
      if (matches) {
        outcome.matched += 1;
        await tx.execute(sql`
          update reconciliation_totals set matched_count = matched_count + 1
          where settlement_id = ${input.settlementId} and currency = ${line.currency}`);
        if (line.type === "CHARGEBACK") {
          await openChargebackLocked(tx, caller, {
            paymentId: paydeskSide.paymentId,
            transactionId: paydeskSide.transactionId,
            amount: negate(money(line.gross_amount)),
            currency: line.currency,
            reasonCode: REPORTED_CHARGEBACK_REASON,
            source: "REPORT",
            reportLineId: Number(line.line_id),
          });
          outcome.chargebacksOpened += 1;
        }
      } else {
        outcome.amountDiffers += 1;
      }
      await auditStaffAction(tx, caller, {
        action: "reconciliation.match-again",
        entityType: "reconciliation_difference",
        entityId: line.id,
        before: {
          settlementId: input.settlementId,
          kind: "MISSING_IN_PAYDESK",
          reference: line.reference,
          paymentId: null,
        },
        after: matches
          ? { kind: "MISSING_IN_PAYDESK", ...paydeskSide, resolvedAt: at, resolution }
          : { kind: "AMOUNT_DIFFERS", ...paydeskSide, difference: toDbAmount((provider - paydesk) as Money) },
      });
    }
    return outcome;
  });
}
