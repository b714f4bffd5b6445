// What every successful operation writes besides its state change, in the same DB transaction:
// the append-only operation-log entry and, for captures and credits, the daily volume rollup.
// A lost chargeback is not an operation of the /v1 contract: it adds to the rollup only
// (charged-back volume, docs/decisions/040).
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { dailyVolume, operationLog } from "../../db/schema";
import type { Operation } from "../domain/enums";
import { toDbAmount, type Money } from "../domain/money";
import { operationActor, type Caller } from "../domain/caller";
import { preparedStatement } from "./prepared.server";

export type OperationLogRow = typeof operationLog.$inferSelect;

/**
 * Appends one entry to the operation log and returns it as written. `transactionId` may be "just
 * inserted": the transaction whose insert this session sent just before (insertTransactionLocked).
 */
export async function appendOperation(
  tx: Tx,
  entry: {
    transactionId: number | "just inserted";
    paymentId: number;
    operation: Operation;
    amount: Money | null;
    at: Date;
  },
  caller: Caller,
): Promise<OperationLogRow> {
  const values = {
    paymentId: entry.paymentId,
    operation: entry.operation,
    amount: entry.amount === null ? null : toDbAmount(entry.amount),
    createdAt: entry.at,
    ...operationActor(caller),
  };
  const [row] =
    typeof entry.transactionId === "number"
      ? await insertEntry(tx, { ...values, transactionId: entry.transactionId })
      : await insertEntryOfJustInserted(tx, values);
  return row;
}

type EntryValues = {
  paymentId: number;
  operation: Operation;
  amount: string | null;
  createdAt: Date;
} & ReturnType<typeof operationActor>;

/** The entry's columns as placeholders (prepared statements, app/platform/prepared.server.ts). */
const ENTRY_PLACEHOLDERS = {
  paymentId: sql.placeholder("paymentId"),
  operation: sql.placeholder("operation"),
  amount: sql.placeholder("amount"),
  createdAt: sql.placeholder("createdAt"),
  actorType: sql.placeholder("actorType"),
  actor: sql.placeholder("actor"),
  clientName: sql.placeholder("clientName"),
  pos: sql.placeholder("pos"),
  distributionChannel: sql.placeholder("distributionChannel"),
  correlationId: sql.placeholder("correlationId"),
};

const insertEntry = preparedStatement<OperationLogRow[], EntryValues & { transactionId: number }>(
  "append_operation",
  (on) =>
    on
      .insert(operationLog)
      .values({ ...ENTRY_PLACEHOLDERS, transactionId: sql.placeholder("transactionId") })
      .returning(),
);

/**
 * The same insert for the transaction whose insert this session sent just before: its id is the
 * one that insert drew from the sequence (insertTransactionLocked sends both in one round trip).
 */
const insertEntryOfJustInserted = preparedStatement<OperationLogRow[], EntryValues>(
  "append_operation_of_just_inserted",
  (on) =>
    on
      .insert(operationLog)
      .values({ ...ENTRY_PLACEHOLDERS, transactionId: sql`currval('payment_transactions_transaction_id_seq')` })
      .returning(),
);

/**
 * Every capture of a day for one organisation, currency and payment type would add to the same
 * rollup row and queue on its row lock until each one's commit is on disk. The key therefore
 * carries a shard, the transaction's id modulo VOLUME_SHARDS: concurrent captures of different
 * transactions mostly touch different rows, and one transaction's volume always lives in one
 * shard (moveVolumeToSettlement relies on that). Readers sum over the shards, as they sum over
 * payment types (docs/decisions/047-sharded-volume-rollup.md).
 */
export const VOLUME_SHARDS = 16;

export type VolumeKey = {
  /** The transaction that moved the money (it picks the rollup shard). */
  transactionId: number;
  at: Date;
  organisationId: number;
  currency: string;
  paymentTypeGroup: string;
  paymentType: string | null;
  settlementId: string | null;
};

/** The rollup key of a money movement on a transaction of a payment, at `at`. */
export function volumeKeyOf(
  payment: { organisationId: number; settlementId: string | null },
  transaction: { transactionId: number; currency: string; paymentTypeGroup: string; paymentType: string | null },
  at: Date,
): VolumeKey {
  return {
    transactionId: transaction.transactionId,
    at,
    organisationId: payment.organisationId,
    currency: transaction.currency,
    paymentTypeGroup: transaction.paymentTypeGroup,
    paymentType: transaction.paymentType,
    settlementId: payment.settlementId,
  };
}

export type VolumeKind = "captured" | "credited" | "chargedBack";

const VOLUME_COLUMNS = {
  captured: { amount: dailyVolume.capturedAmount, count: dailyVolume.capturedCount },
  credited: { amount: dailyVolume.creditedAmount, count: dailyVolume.creditedCount },
  chargedBack: { amount: dailyVolume.chargedBackAmount, count: dailyVolume.chargedBackCount },
} as const;

/**
 * Adds a capture, a credit or a lost chargeback to the day's rollup (the dashboard and
 * settlements read only this).
 */
export async function addToVolume(tx: Tx, key: VolumeKey, kind: VolumeKind, amount: Money): Promise<void> {
  const value = toDbAmount(amount);
  const column = VOLUME_COLUMNS[kind];
  const row = {
    day: key.at.toISOString().slice(0, 10),
    organisationId: key.organisationId,
    currency: key.currency,
    paymentTypeGroup: key.paymentTypeGroup,
    paymentType: key.paymentType ?? key.paymentTypeGroup,
    settlementId: key.settlementId ?? "",
    shard: key.transactionId % VOLUME_SHARDS,
    capturedAmount: kind === "captured" ? value : "0",
    capturedCount: kind === "captured" ? 1 : 0,
    creditedAmount: kind === "credited" ? value : "0",
    creditedCount: kind === "credited" ? 1 : 0,
    chargedBackAmount: kind === "chargedBack" ? value : "0",
    chargedBackCount: kind === "chargedBack" ? 1 : 0,
  };
  await tx
    .insert(dailyVolume)
    .values(row)
    .onConflictDoUpdate({
      target: [
        dailyVolume.day,
        dailyVolume.organisationId,
        dailyVolume.currency,
        dailyVolume.paymentTypeGroup,
        dailyVolume.paymentType,
        dailyVolume.settlementId,
        dailyVolume.shard,
      ],
      set: {
        [`${kind}Amount`]: sql`${column.amount} + ${value}::numeric`,
        [`${kind}Count`]: sql`${column.count} + 1`,
      },
    });
}

/**
 * Moves a payment's captured and credited volume in the rollup from its old settlement id to
 * its new one (same days, currencies and payment types), in the transaction that changes the
 * payment's settlementId, so that a settlement's rollup keeps equalling the operations of the
 * payments that carry its id. The volume is recomputed from the payment's operation log with
 * the rollup's own rule (CAPTURE and IMPORT are captured, CREDIT credited, per UTC day), and
 * from its lost chargebacks (charged back on the day they were lost); rows left empty under the
 * old id are removed. The caller holds the payment's row lock.
 */
export async function moveVolumeToSettlement(
  tx: Tx,
  payment: { paymentId: number; organisationId: number },
  from: string | null,
  to: string | null,
): Promise<void> {
  const oldId = from ?? "";
  const newId = to ?? "";
  if (oldId === newId) return;
  // Each money movement of the payment as (day, transaction, kind, amount): its operations and
  // its lost chargebacks.
  const movements = sql`
    select o.created_at as at, o.transaction_id,
           case when o.operation = 'CREDIT' then 'credited' else 'captured' end as kind, o.amount
      from operation_log o
     where o.payment_id = ${payment.paymentId} and o.operation in ('CAPTURE', 'IMPORT', 'CREDIT')
    union all
    select c.decided_at, c.transaction_id, 'chargedBack', c.amount
      from chargebacks c
     where c.payment_id = ${payment.paymentId} and c.status = 'LOST'`;
  const moved = sql`
    select (o.at at time zone 'UTC')::date as day, t.currency, t.payment_type_group,
           coalesce(t.payment_type, t.payment_type_group) as payment_type,
           (t.transaction_id % ${VOLUME_SHARDS})::smallint as shard,
           coalesce(sum(o.amount) filter (where o.kind = 'captured'), 0) as captured_amount,
           count(*) filter (where o.kind = 'captured')::int as captured_count,
           coalesce(sum(o.amount) filter (where o.kind = 'credited'), 0) as credited_amount,
           count(*) filter (where o.kind = 'credited')::int as credited_count,
           coalesce(sum(o.amount) filter (where o.kind = 'chargedBack'), 0) as charged_back_amount,
           count(*) filter (where o.kind = 'chargedBack')::int as charged_back_count
      from (${movements}) o
      join payment_transactions t on t.transaction_id = o.transaction_id
     group by 1, 2, 3, 4, 5`;
  await tx.execute(sql`
    with moved as (${moved})
    update daily_volume v
       set captured_amount = v.captured_amount - m.captured_amount,
           captured_count = v.captured_count - m.captured_count,
           credited_amount = v.credited_amount - m.credited_amount,
           credited_count = v.credited_count - m.credited_count,
           charged_back_amount = v.charged_back_amount - m.charged_back_amount,
           charged_back_count = v.charged_back_count - m.charged_back_count
      from moved m
     where v.day = m.day and v.organisation_id = ${payment.organisationId} and v.currency = m.currency
       and v.payment_type_group = m.payment_type_group and v.payment_type = m.payment_type and v.settlement_id = ${oldId}
       and v.shard = m.shard`);
  await tx.execute(sql`
    delete from daily_volume
     where settlement_id = ${oldId} and organisation_id = ${payment.organisationId}
       and captured_count = 0 and credited_count = 0 and charged_back_count = 0`);
  await tx.execute(sql`
    insert into daily_volume as v (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
                                   captured_amount, captured_count, credited_amount, credited_count,
                                   charged_back_amount, charged_back_count)
    select m.day, ${payment.organisationId}, m.currency, m.payment_type_group, m.payment_type, ${newId}, m.shard,
           m.captured_amount, m.captured_count, m.credited_amount, m.credited_count,
           m.charged_back_amount, m.charged_back_count
      from (${moved}) m
     order by 1, 3, 4, 5, 7
    on conflict (day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard) do update set
      captured_amount = v.captured_amount + excluded.captured_amount,
      captured_count = v.captured_count + excluded.captured_count,
      credited_amount = v.credited_amount + excluded.credited_amount,
      credited_count = v.credited_count + excluded.credited_count,
      charged_back_amount = v.charged_back_amount + excluded.charged_back_amount,
      charged_back_count = v.charged_back_count + excluded.charged_back_count`);
}
