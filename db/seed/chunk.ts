// A chunk of generated payments and how it is written: one COPY per table, then the daily_volume
// and daily_outcomes increments computed by SQL from the operation-log ids it wrote (addPayments
// runs all of it in one DB transaction).
import type { CopyWriter, SqlRunner } from "./copy";
import type { Ids } from "./ids";

export type Out = Record<"payments" | "transactions" | "operations" | "credits" | "creditTransactions", CopyWriter>;

/** Declined and failed authorization attempts of a chunk, per daily_outcomes key. */
export type Unapproved = {
  day: string;
  organisation_id: number;
  currency: string;
  payment_type_group: string;
  declined: number;
  failed: number;
};

export type Chunk = {
  out: Out;
  unapproved: Unapproved[];
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  /** The ids the chunk's rows start from (its rows' ids run from these to nextIds, exclusive). */
  firstIds: Ids;
  firstOperationId: number;
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
 * The rollup increment for a range of operation-log ids: captured volume is what CAPTURE and
 * IMPORT (an import ends CAPTURED) moved, credited volume what CREDIT moved, per UTC day of the
 * operation. Rows are upserted in key order so concurrent writers cannot deadlock.
 *
 * $1–$2 are the chunk's operation ids, $3–$4 its transaction ids and $5–$6 its payment ids: a
 * chunk's operations are all on its own transactions, and without those ranges the planner, its
 * statistics stale during a load, hash-joined every chunk's few thousand entries against a
 * sequential scan of all the transactions written so far (quadratic in the run's size).
 */
export const ROLLUP_SQL = `
insert into daily_volume as v (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
                               captured_amount, captured_count, credited_amount, credited_count)
select (o.created_at at time zone 'UTC')::date, p.organisation_id, p.currency, t.payment_type_group, t.payment_type,
       coalesce(p.settlement_id, ''), (t.transaction_id % 16)::smallint,
       coalesce(sum(o.amount) filter (where o.operation in ('CAPTURE', 'IMPORT')), 0),
       count(*) filter (where o.operation in ('CAPTURE', 'IMPORT')),
       coalesce(sum(o.amount) filter (where o.operation = 'CREDIT'), 0),
       count(*) filter (where o.operation = 'CREDIT')
  from operation_log o
  join payment_transactions t on t.transaction_id = o.transaction_id
  join payments p on p.payment_id = t.payment_id
 where o.id between $1 and $2 and o.operation in ('CAPTURE', 'IMPORT', 'CREDIT')
   and t.transaction_id between $3 and $4 and p.payment_id between $5 and $6
 group by 1, 2, 3, 4, 5, 6, 7
 order by 1, 2, 3, 4, 5, 6, 7
on conflict (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard) do update set
  captured_amount = v.captured_amount + excluded.captured_amount,
  captured_count = v.captured_count + excluded.captured_count,
  credited_amount = v.credited_amount + excluded.credited_amount,
  credited_count = v.credited_count + excluded.credited_count`;

/**
 * The authorization outcome increment for the same range: approvals are the AUTHORIZE entries
 * (the generator writes at most one per transaction, its first), declines and failures the
 * generator's own counts ($3, JSON). Upserted in key order, like the volume. $4–$7: the transaction
 * and payment id ranges, as in ROLLUP_SQL.
 */
export const OUTCOMES_SQL = `
insert into daily_outcomes as d (day, organisation_id, currency, payment_type_group, approved_count, declined_count, failed_count)
select day, organisation_id, currency, payment_type_group, sum(approved)::int, sum(declined)::int, sum(failed)::int
  from (select (o.created_at at time zone 'UTC')::date as day, p.organisation_id, p.currency, t.payment_type_group,
               1 as approved, 0 as declined, 0 as failed
          from operation_log o
          join payment_transactions t on t.transaction_id = o.transaction_id
          join payments p on p.payment_id = t.payment_id
         where o.id between $1 and $2 and o.operation = 'AUTHORIZE'
           and t.transaction_id between $4 and $5 and p.payment_id between $6 and $7
        union all
        select day, organisation_id, currency, payment_type_group, 0, declined, failed
          from json_to_recordset($3::json)
            as x(day date, organisation_id int, currency text, payment_type_group text, declined int, failed int)) attempts
 group by 1, 2, 3, 4
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
