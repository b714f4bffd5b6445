// Ids for the rows the generator writes: blocks reserved from the sequences per chunk (so the app
// can keep running meanwhile), unused ids given back, and sequences never left behind their
// tables.
import type { SqlRunner } from "./copy";

type IdKey = "payment" | "transaction" | "operation" | "credit" | "creditTransaction";
export type Ids = Record<IdKey, number>;

/** Upper bounds per payment (a payment has at most 2 transactions, 2 credits, …). */
const SEQUENCES: ReadonlyArray<{ key: IdKey; table: string; column: string; perPayment: number }> = [
  { key: "payment", table: "payments", column: "payment_id", perPayment: 1 },
  { key: "transaction", table: "payment_transactions", column: "transaction_id", perPayment: 2 },
  { key: "operation", table: "operation_log", column: "id", perPayment: 16 },
  { key: "credit", table: "credits", column: "credit_id", perPayment: 2 },
  { key: "creditTransaction", table: "credit_transactions", column: "credit_transaction_id", perPayment: 4 },
];
const seqOf = (s: (typeof SEQUENCES)[number]) => `pg_get_serial_sequence('${s.table}', '${s.column}')::regclass`;

type Reservation = Ids & { end: Ids };

/**
 * Takes a block of ids from each sequence: nextval, then setval past the block, so the app
 * (nextval) never hands out an id of the block. Unused ids are given back afterwards.
 */
export async function reserveIds(db: SqlRunner, payments: number): Promise<Reservation> {
  const columns = SEQUENCES.map((s) => {
    const n = s.perPayment * payments;
    return `(select setval(${seqOf(s)}, greatest(nextval(${seqOf(s)}), (select coalesce(max(${s.column}), 0) + 1 from ${s.table})) + ${n - 1}) - ${n - 1}) as "${s.key}"`;
  });
  const [row] = await db.query<Record<IdKey, string | number>>(`select ${columns.join(", ")}`);
  const start = {} as Ids;
  const end = {} as Ids;
  for (const s of SEQUENCES) {
    start[s.key] = Number(row[s.key]);
    end[s.key] = start[s.key] + s.perPayment * payments - 1;
  }
  return { ...start, end };
}

/** Moves each sequence back to the last id used, unless someone else took ids meanwhile. */
export async function releaseUnusedIds(db: SqlRunner, reserved: Reservation, next: Ids): Promise<void> {
  const statements = SEQUENCES.filter((s) => next[s.key] - 1 < reserved.end[s.key]).map((s) => {
    const used = next[s.key] - 1;
    return `select setval(${seqOf(s)}, ${Math.max(used, 1)}, ${used >= 1}) where pg_sequence_last_value(${seqOf(s)}) = ${reserved.end[s.key]}`;
  });
  for (const statement of statements) await db.query(statement);
}

/** Safety net: no sequence may lag behind its table. */
export async function fixSequences(db: SqlRunner): Promise<void> {
  for (const s of SEQUENCES) {
    await db.query(
      `select setval(${seqOf(s)}, m) from (select max(${s.column}) as m from ${s.table}) x
        where m is not null and m > coalesce(pg_sequence_last_value(${seqOf(s)}), 0)`,
    );
  }
}
