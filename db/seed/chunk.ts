// A chunk of generated payments and how it is written: one COPY per table, then the daily_volume
// and daily_outcomes increments the generator summed while it wrote the rows (addPayments runs
// all of it in one DB transaction).
import type { CopyWriter, SqlRunner } from "./copy";
import type { Ids } from "./ids";

export type Out = Record<"payments" | "transactions" | "operations" | "credits" | "creditTransactions", CopyWriter>;

/**
 * A chunk's captured and credited volume for one daily_volume key: CAPTURE and IMPORT entries
 * (an import ends CAPTURED) and CREDIT entries, per UTC day of the entry. Amounts are decimal
 * strings; the generator sums them exactly (bigint) as it logs the entries.
 */
export type Volume = {
  day: string;
  organisation_id: number;
  currency: string;
  payment_type_group: string;
  payment_type: string;
  /** '' when the payment has no settlement (the rollup's key has no NULLs). */
  settlement_id: string;
  shard: number;
  captured_amount: string;
  captured_count: number;
  credited_amount: string;
  credited_count: number;
};

/** A chunk's authorization outcomes for one daily_outcomes key: approvals (AUTHORIZE entries), declines, failures. */
export type Outcomes = {
  day: string;
  organisation_id: number;
  currency: string;
  payment_type_group: string;
  approved: number;
  declined: number;
  failed: number;
};

export type Chunk = {
  out: Out;
  volume: Volume[];
  outcomes: Outcomes[];
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  /** The ids the chunk's rows start from (its rows' ids run from these to nextIds, exclusive). */
  firstIds: Ids;
  nextIds: Ids;
};

const PAYMENT_COLUMNS = [
  "payment_id",
  "organisation_id",
  "order_id",
  "order_version",
  "total_amount",
  "currency",
  "active",
  "settlement_id",
  "customer_number",
  "created_by_client_id",
  "created_at",
  "updated_at",
] as const;

const TRANSACTION_COLUMNS = [
  "transaction_id",
  "payment_id",
  "organisation_id",
  "amount",
  "currency",
  "status",
  "payment_type",
  "payment_type_group",
  "distribution_channel_id",
  "rrn",
  "card_number",
  "external_transaction_id",
  "recurring_payment_id",
  "payment_agreement_id",
  "is_import",
  "sca_exemption",
  "with_3d_secure",
  "terminal_id",
  "import_data",
  "authorized_amount",
  "captured_amount",
  "credited_amount",
  "cancelled_amount",
  "reserved_amount",
  "created_at",
  "updated_at",
] as const;

const OPERATION_COLUMNS = [
  "id",
  "transaction_id",
  "payment_id",
  "operation",
  "amount",
  "correlation_id",
  "client_name",
  "pos",
  "distribution_channel",
  "actor_type",
  "actor",
  "created_at",
] as const;

const CREDIT_COLUMNS = [
  "credit_id",
  "organisation_id",
  "order_id",
  "order_version",
  "total_credit_amount",
  "currency",
  "active",
  "status",
  "settlement_id",
  "customer_number",
  "created_by_client_id",
  "created_by_staff_user_id",
  "reason",
  "created_at",
  "updated_at",
] as const;

const CREDIT_TRANSACTION_COLUMNS = [
  "credit_transaction_id",
  "credit_id",
  "payment_id",
  "transaction_id",
  "amount",
  "status",
  "reimbursement_method",
  "reimbursement_type_group",
  "rrn",
  "claimed_at",
  "provider_reference",
  "credited_at",
  "failure_reason",
  "created_at",
  "updated_at",
] as const;

/**
 * Adds a chunk's volume (JSON of Volume rows, $1) to daily_volume. Rows are upserted in key order
 * so concurrent writers cannot deadlock.
 *
 * The generator sums the increments as it logs the entries (docs/decisions/057, point 8): joining
 * each chunk's operation log to its transactions and payments in SQL cost a third of the writers'
 * time. tests/integration/seed.test.ts holds the rollup equal to what the operation log says.
 */
export const VOLUME_SQL = `
insert into daily_volume as v (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
                               captured_amount, captured_count, credited_amount, credited_count)
select day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
       captured_amount, captured_count, credited_amount, credited_count
  from json_to_recordset($1::json)
    as x(day date, organisation_id int, currency text, payment_type_group text, payment_type text,
         settlement_id text, shard smallint, captured_amount numeric, captured_count int,
         credited_amount numeric, credited_count int)
 order by 1, 2, 3, 4, 5, 6, 7
on conflict (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard) do update set
  captured_amount = v.captured_amount + excluded.captured_amount,
  captured_count = v.captured_count + excluded.captured_count,
  credited_amount = v.credited_amount + excluded.credited_amount,
  credited_count = v.credited_count + excluded.credited_count`;

/** Adds a chunk's authorization outcomes (JSON of Outcomes rows, $1) to daily_outcomes, in key order like the volume. */
export const OUTCOMES_SQL = `
insert into daily_outcomes as d (day, organisation_id, currency, payment_type_group, approved_count, declined_count, failed_count)
select day, organisation_id, currency, payment_type_group, approved, declined, failed
  from json_to_recordset($1::json)
    as x(day date, organisation_id int, currency text, payment_type_group text, approved int, declined int, failed int)
 order by 1, 2, 3, 4
on conflict (day, organisation_id, currency, payment_type_group) do update set
  approved_count = d.approved_count + excluded.approved_count,
  declined_count = d.declined_count + excluded.declined_count,
  failed_count = d.failed_count + excluded.failed_count`;

export async function copyChunk(tx: SqlRunner, chunk: Chunk): Promise<void> {
  await tx.copy("payments", PAYMENT_COLUMNS, chunk.out.payments.data());
  await tx.copy("payment_transactions", TRANSACTION_COLUMNS, chunk.out.transactions.data());
  await tx.copy("operation_log", OPERATION_COLUMNS, chunk.out.operations.data());
  await tx.copy("credits", CREDIT_COLUMNS, chunk.out.credits.data());
  await tx.copy("credit_transactions", CREDIT_TRANSACTION_COLUMNS, chunk.out.creditTransactions.data());
}
