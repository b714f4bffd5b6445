// Demo data generator: a living system over the last 90 days (payments, transactions, operation
// log, credits, daily volume and authorization outcome rollups) plus the customer side (customers, recurring payments,
// agreements, gift cards, products, invoices). See docs/decisions/002-demo-data-generator.md.
//
// - Deterministic: one seeded PRNG (mulberry32) drives every choice. A run is seeded from
//   `seed` and the first payment id it will write, so two runs on one database differ while a
//   fresh database always receives the same shape.
// - Consistent by construction: every transaction is produced by walking its state machine, so
//   its operation log, status and summary sums agree, credits reserve or consume what they
//   should, and the daily_volume rollup is computed by SQL from the operation log written. The
//   daily_outcomes rollup counts approvals the same way (AUTHORIZE entries); declined and failed
//   attempts leave no operation (as in the app), so the generator counts those it invents.
// - Fast: rows are encoded as COPY text straight into byte buffers and streamed in chunks (COPY
//   FROM STDIN on a server, COPY FROM '/dev/blob' on PGlite), one DB transaction per chunk, three
//   chunks at once on a server (three); ids are reserved from the sequences per chunk, so the app can
//   keep running meanwhile. Big runs drop and rebuild the non-unique indexes (bulk mode).
// - Money is bigint (app/domain/money.ts) end to end; the database receives toDbAmount text.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type postgres from "postgres";
import type { DatabaseHandle } from "./client";
import {
  PAYMENT_TYPE_GROUP_OF,
  PRODUCT_PAYMENT_METHODS,
  type Operation,
  type PaymentType,
  type PaymentTypeGroup,
  type TransactionStatus,
} from "../app/domain/enums";
import { money, toDbAmount, ZERO, type Money } from "../app/domain/money";

export type SeedSummary = {
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  customers: number;
  recurringPayments: number;
  paymentAgreements: number;
  giftCards: number;
  products: number;
  customerInvoices: number;
  disabledPaymentMethods: number;
};

export type AddPaymentsOptions = {
  payments: number;
  seed?: number;
  /** Payments per chunk (one DB transaction each). */
  chunkSize?: number;
  /** How to write; default chosen by size (see addPayments). */
  mode?: "incremental" | "bulk";
  /** On a server: chunks written at once over separate connections (default 3). */
  writers?: number;
  /** Called after each chunk is written and when a phase starts. */
  onProgress?: (progress: { phase: SeedPhase; done: number; total: number; elapsedMs: number }) => void;
  /** "Now" for the 90-day window (tests may pin it). */
  now?: Date;
};

export type AddPaymentsSummary = {
  mode: "incremental" | "bulk";
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  firstPaymentId: number | null;
  lastPaymentId: number | null;
  seconds: number;
  /** True when indexes dropped by an interrupted bulk run were rebuilt first. */
  repairedIndexes?: boolean;
};

export type SeedPhase = "writing" | "indexing" | "analyzing" | "done";

export const DEFAULT_SEED = 20261121;
const DAYS = 90;

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ================================================================ entry points

/**
 * Fills a database that holds only the demo base (organisations, API clients with their payment
 * methods, staff users: see db/demo.ts) with the customer side and `payments` payments.
 */
export async function seedDemoData(
  handle: DatabaseHandle,
  options: { payments: number; seed?: number; now?: Date; onProgress?: AddPaymentsOptions["onProgress"] },
): Promise<SeedSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? new Date();
  const base = await seedCustomerSide(handle, new Rng(mixSeed(seed, 0)), now.getTime());
  const added = await addPayments(handle, { payments: options.payments, seed, now, onProgress: options.onProgress });
  return {
    payments: added.payments,
    transactions: added.transactions,
    operations: added.operations,
    credits: added.credits,
    creditTransactions: added.creditTransactions,
    ...base,
  };
}

/**
 * Adds `payments` more payments (with transactions, operation log, credits and the matching
 * daily_volume increments) to any migrated database that has at least one API client.
 *
 * Every chunk (10,000 payments on a server) is one DB transaction with its rollup increment,
 * so whatever is committed is consistent; up to `writers` connections write chunks at once
 * while the next chunk is generated. Two modes (docs/decisions/002-demo-data-generator.md):
 * - "incremental": indexes are maintained as rows arrive.
 * - "bulk" (PostgreSQL only): the non-unique secondary indexes and the foreign keys of the
 *   tables written are dropped first and rebuilt at the end (primary keys and unique indexes
 *   stay, so their rules hold throughout). Much faster for big runs; meanwhile the app keeps
 *   working, only slower. Default: bulk on a server when adding at least 200,000 payments and at
 *   least as many as the database holds already.
 */
export async function addPayments(handle: DatabaseHandle, options: AddPaymentsOptions): Promise<AddPaymentsSummary> {
  const started = performance.now();
  const total = options.payments;
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`payments must be a whole number >= 0, got ${total}`);
  const db = bulkDb(handle);
  const summary: AddPaymentsSummary = {
    mode: "incremental",
    payments: 0,
    transactions: 0,
    operations: 0,
    credits: 0,
    creditTransactions: 0,
    firstPaymentId: null,
    lastPaymentId: null,
    seconds: 0,
  };
  const report = (phase: SeedPhase, done: number) =>
    options.onProgress?.({ phase, done, total, elapsedMs: performance.now() - started });
  // A bulk run that died half-way left its indexes dropped: put them back first (also for 0).
  if (await restoreDroppedIndexes(db, () => report("indexing", 0))) summary.repairedIndexes = true;
  if (total === 0) return summary;

  const context = await loadContext(db);
  const now = options.now?.getTime() ?? Date.now();
  const [{ next, existing }] = await db.query<{ next: string | number; existing: string | number }>(
    "select coalesce(max(payment_id), 0) + 1 as next, (select count(*) from payments) as existing from payments",
  );
  const mode =
    options.mode ??
    (handle.kind === "postgres" && total >= BULK_THRESHOLD && total >= Number(existing) ? "bulk" : "incremental");
  if (mode === "bulk" && handle.kind !== "postgres") throw new Error("bulk mode needs a PostgreSQL server (DATABASE_URL)");
  summary.mode = mode;
  const rng = new Rng(mixSeed(options.seed ?? DEFAULT_SEED, Number(next)));
  // Declines draw from their own stream, so adding them left every other generated value as it was.
  const declineRng = new Rng(mixSeed(options.seed ?? DEFAULT_SEED, Number(next) + DECLINE_SALT));
  const generator = new PaymentGenerator(rng, context, now, new TimeSlots(rng, total, now), declineRng);
  const chunkSize = Math.max(1, options.chunkSize ?? (handle.kind === "postgres" ? 10_000 : 2_000));

  /**
   * Generates chunk after chunk and hands each to `write`, with at most `parallel` writes in
   * flight while the next chunk is generated (postgres.js streams while the generator yields).
   * PGlite runs in this thread, so there each write is awaited.
   */
  const produce = async (write: (chunk: Chunk) => Promise<void>, parallel: number) => {
    const inflight = new Set<Promise<void>>();
    let written = 0;
    try {
      while (summary.payments < total) {
        const size = Math.min(chunkSize, total - summary.payments);
        const reserved = await reserveIds(db, size);
        const chunk = await generator.generate(size, reserved);
        await releaseUnusedIds(db, reserved, chunk.nextIds);
        summary.payments += chunk.payments;
        summary.transactions += chunk.transactions;
        summary.operations += chunk.operations;
        summary.credits += chunk.credits;
        summary.creditTransactions += chunk.creditTransactions;
        summary.firstPaymentId ??= reserved.payment;
        summary.lastPaymentId = chunk.nextIds.payment - 1;
        while (inflight.size >= parallel) await Promise.race(inflight);
        const writing: Promise<void> = write(chunk).then(() => {
          inflight.delete(writing);
          written += chunk.payments;
          report("writing", written);
        });
        writing.catch(() => {}); // awaited below; keeps an early failure from being "unhandled"
        inflight.add(writing);
        if (handle.kind === "pglite") await writing;
      }
      await Promise.all(inflight);
    } finally {
      await Promise.allSettled(inflight);
    }
  };

  const writeChunk = (chunk: Chunk) =>
    db.transaction(async (tx) => {
      await copyChunk(tx, chunk);
      if (chunk.operations > 0) {
        await tx.query(ROLLUP_SQL, [chunk.firstOperationId, chunk.nextIds.operation - 1]);
        await tx.query(OUTCOMES_SQL, [chunk.firstOperationId, chunk.nextIds.operation - 1, JSON.stringify(chunk.unapproved)]);
      }
    });
  const writers = Math.max(1, handle.kind === "postgres" ? (options.writers ?? 3) : 1);
  if (mode === "bulk") {
    await dropSecondaryIndexes(db);
    try {
      await produce(writeChunk, writers);
    } finally {
      report("indexing", summary.payments);
      await restoreDroppedIndexes(db);
    }
  } else {
    await produce(writeChunk, writers);
  }
  await fixSequences(db);
  if (handle.kind === "postgres" && total >= 50_000) {
    report("analyzing", summary.payments);
    await db.query("analyze payments, payment_transactions, operation_log, credits, credit_transactions, daily_volume, daily_outcomes");
  }
  summary.seconds = (performance.now() - started) / 1000;
  report("done", summary.payments);
  return summary;
}

const BULK_THRESHOLD = 200_000;
/** Salt of the declined-attempt stream (see addPayments). */
const DECLINE_SALT = 0xdec1;
const WRITTEN_TABLES = ["payments", "payment_transactions", "operation_log", "credits", "credit_transactions"];

const DROPPED_KEY = "seed:dropped-indexes";
type Dropped = { indexes: { name: string; def: string }[]; foreignKeys: { name: string; tbl: string; def: string }[] };

/**
 * Bulk mode: drops the foreign keys and the non-unique secondary indexes of the tables the
 * generator writes. Primary keys and unique indexes stay, so every rule they back (one CAPTURE
 * per transaction, one payment per order and version, unique imports…) holds throughout. The
 * definitions are first saved in app_settings, in the same transaction, so that a run that
 * dies half-way is repaired by the next one (restoreDroppedIndexes).
 */
async function dropSecondaryIndexes(db: BulkDb): Promise<void> {
  const tables = WRITTEN_TABLES.map((t) => `'${t}'::regclass`).join(", ");
  await db.transaction(async (tx) => {
    const foreignKeys = await tx.query<{ name: string; tbl: string; def: string }>(
      `select quote_ident(conname) as name, conrelid::regclass::text as tbl, pg_get_constraintdef(oid) as def
         from pg_constraint where contype = 'f' and conrelid in (${tables}) order by conrelid, conname`,
    );
    const indexes = await tx.query<{ name: string; def: string }>(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
         from pg_index i
        where i.indrelid in (${tables}) and not i.indisprimary and not i.indisunique
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
        order by pg_relation_size(i.indrelid) desc, i.indexrelid`,
    );
    const dropped: Dropped = { indexes, foreignKeys };
    await tx.query(
      `insert into app_settings (key, value, updated_at) values ($1, $2::jsonb, now())
       on conflict (key) do update set value = excluded.value, updated_at = now()`,
      [DROPPED_KEY, JSON.stringify(dropped)],
    );
    for (const fk of foreignKeys) await tx.query(`alter table ${fk.tbl} drop constraint ${fk.name}`);
    for (const index of indexes) await tx.query(`drop index ${index.name}`);
  });
}

/**
 * Recreates what dropSecondaryIndexes saved (index builds two at a time on a server; adding a
 * foreign key re-checks every row), then forgets the record. Idempotent.
 */
async function restoreDroppedIndexes(db: BulkDb, onStart?: () => void): Promise<boolean> {
  const [saved] = await db.query<{ value: Dropped | string }>("select value from app_settings where key = $1", [DROPPED_KEY]);
  if (!saved) return false;
  onStart?.();
  const dropped: Dropped = typeof saved.value === "string" ? JSON.parse(saved.value) : saved.value;
  const queue = dropped.indexes.map((index) => index.def.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "));
  const build = async () => {
    for (let statement = queue.shift(); statement; statement = queue.shift()) await db.query(statement);
  };
  await Promise.all([build(), build()]);
  for (const fk of dropped.foreignKeys) {
    const [exists] = await db.query(
      "select 1 from pg_constraint where conrelid = $1::regclass and quote_ident(conname) = $2",
      [fk.tbl, fk.name],
    );
    if (!exists) await db.query(`alter table ${fk.tbl} add constraint ${fk.name} ${fk.def}`);
  }
  await db.query("delete from app_settings where key = $1", [DROPPED_KEY]);
  return true;
}

// ================================================================ PRNG

/** mulberry32: tiny, fast and good enough for demo data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  digits(length: number): string {
    let out = "";
    while (out.length < length) out += String(this.u32() % 1_000_000_000).padStart(9, "0");
    return out.slice(0, length);
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.u32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }

}

/** The UUIDv7 of CopyWriter.uuid7 as a string, for a correlation id shared by several rows. */
function uuid7String(ms: number, rng: Rng): string {
  scratch.clear();
  scratch.uuid7(ms, rng);
  return scratch.data().toString("latin1", 0, 36);
}

function mixSeed(seed: number, salt: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of [salt % 4294967296, Math.floor(salt / 4294967296)]) {
    h = Math.imul(h ^ part, 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let running = 0;
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      running += weight;
      this.items.push(item);
      this.cumulative.push(running);
    }
    if (!this.items.length) throw new Error("Weighted: no entries");
    this.total = running;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    for (let i = 0; i < this.cumulative.length; i++) if (x < this.cumulative[i]) return this.items[i];
    return this.items[this.items.length - 1];
  }
}

// ================================================================ bulk database access

type SqlRow = Record<string, unknown>;

interface SqlRunner {
  query<T = SqlRow>(text: string, params?: unknown[]): Promise<T[]>;
  /** COPY … FROM in text format; `data` is complete lines. */
  copy(table: string, columns: readonly string[], data: string | Buffer): Promise<void>;
}

interface BulkDb extends SqlRunner {
  transaction(work: (tx: SqlRunner) => Promise<void>): Promise<void>;
}

function bulkDb(handle: DatabaseHandle): BulkDb {
  if (handle.kind === "postgres") {
    const pg = handle.pg;
    if (!pg) throw new Error("postgres handle without its postgres.js client");
    const runner = (s: postgres.Sql | postgres.TransactionSql): SqlRunner => ({
      query: async <T>(text: string, params: unknown[] = []) =>
        (await s.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
      copy: async (table, columns, data) => {
        if (!data.length) return;
        const writable = await s.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
        await pipeline(Readable.from([data]), writable);
      },
    });
    return {
      ...runner(pg),
      transaction: async (work) => {
        await pg.begin(async (tx) => {
          await work(runner(tx));
        });
      },
    };
  }
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  const runner = (c: PGlite | PgliteTransaction): SqlRunner => ({
    query: async <T>(text: string, params: unknown[] = []) => (await c.query<T>(text, params)).rows,
    copy: async (table, columns, data) => {
      if (!data.length) return;
      await c.query(`copy ${table} (${columns.join(", ")}) from '/dev/blob'`, [], { blob: new Blob([data as string | Uint8Array<ArrayBuffer>]) });
    },
  });
  return {
    ...runner(client),
    transaction: async (work) => {
      await client.transaction(async (tx) => {
        await work(runner(tx));
      });
    },
  };
}

// COPY text format encoders. Generated values never contain tabs or newlines, but names and
// JSON could; escape whatever needs it.
const NULL = "\\N";
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
function text(value: string | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}
function amount(value: Money | null): string {
  return value === null ? NULL : toDbAmount(value);
}
function stamp(ms: number | null): string {
  return ms === null ? NULL : new Date(ms).toISOString();
}
function flag(value: boolean | null): string {
  return value === null ? NULL : value ? "t" : "f";
}
function jsonValue(value: unknown): string {
  return value === null || value === undefined ? NULL : text(JSON.stringify(value));
}
function id(value: number | null): string {
  return value === null ? NULL : String(value);
}

const HEX_DIGITS = Array.from({ length: 16 }, (_, i) => "0123456789abcdef".charCodeAt(i));
const TAB = 9;
const NEWLINE = 10;

/**
 * A growing byte buffer of COPY text rows. The bulk path writes bytes directly (no per-field
 * strings to collect), which keeps a million payments from drowning in garbage collection.
 * Every field is followed by a tab; end() turns the row's last tab into a newline.
 */
class CopyWriter {
  private buffer: Buffer;
  private length = 0;
  rows = 0;

  constructor(initialBytes = 256 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  clear(): void {
    this.length = 0;
    this.rows = 0;
  }

  data(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** Text as is when it is plain ASCII without COPY specials, escaped UTF-8 otherwise. */
  str(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.nul();
    const n = value.length;
    this.room(n * 3 + 1);
    const buffer = this.buffer;
    let p = this.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x5c) {
        this.length += buffer.write(text(value), this.length, "utf8");
        buffer[this.length++] = TAB;
        return this;
      }
      buffer[p++] = c;
    }
    buffer[p++] = TAB;
    this.length = p;
    return this;
  }

  int(value: number | null): this {
    return value === null ? this.nul() : this.str(String(value));
  }

  money(value: Money | null): this {
    if (value === null) return this.nul();
    // A run uses a few thousand distinct amounts: format each once.
    let formatted = amountText.get(value);
    if (formatted === undefined) {
      formatted = toDbAmount(value);
      if (amountText.size > 100_000) amountText.clear();
      amountText.set(value, formatted);
    }
    return this.str(formatted);
  }

  bool(value: boolean | null): this {
    return value === null ? this.nul() : this.str(value ? "t" : "f");
  }

  json(value: unknown): this {
    return value === null || value === undefined ? this.nul() : this.str(JSON.stringify(value));
  }

  nul(): this {
    this.room(3);
    this.buffer[this.length++] = 0x5c;
    this.buffer[this.length++] = 0x4e;
    this.buffer[this.length++] = TAB;
    return this;
  }

  /** A timestamp as "YYYY-MM-DD HH:MM:SS.mmm+00", the date part cached per UTC day. */
  time(ms: number | null): this {
    if (ms === null) return this.nul();
    const day = Math.floor(ms / DAY);
    const date = utcDate(ms);
    this.room(27);
    const buffer = this.buffer;
    let p = this.length;
    for (let i = 0; i < 10; i++) buffer[p++] = date.charCodeAt(i);
    let rest = ms - day * DAY;
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    buffer[p++] = 0x20;
    p = two(buffer, p, hours);
    buffer[p++] = 0x3a;
    p = two(buffer, p, minutes);
    buffer[p++] = 0x3a;
    p = two(buffer, p, seconds);
    buffer[p++] = 0x2e;
    buffer[p++] = 48 + Math.floor(millis / 100);
    buffer[p++] = 48 + (Math.floor(millis / 10) % 10);
    buffer[p++] = 48 + (millis % 10);
    buffer[p++] = 0x2b;
    buffer[p++] = 48;
    buffer[p++] = 48;
    buffer[p++] = TAB;
    this.length = p;
    return this;
  }

  /**
   * A version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. Time-ordered,
   * so the correlation-id index grows at its right edge instead of everywhere at random.
   */
  uuid7(ms: number, rng: Rng): this {
    this.room(37);
    const buffer = this.buffer;
    let p = this.length;
    const high = Math.floor(ms / 4294967296);
    const low = ms >>> 0;
    p = hex(buffer, p, high, 4);
    p = hex(buffer, p, low >>> 16, 4);
    buffer[p++] = 0x2d;
    p = hex(buffer, p, low & 0xffff, 4);
    buffer[p++] = 0x2d;
    const a = rng.u32();
    const b = rng.u32();
    const c = rng.u32();
    p = hex(buffer, p, 0x7000 | (a & 0x0fff), 4);
    buffer[p++] = 0x2d;
    p = hex(buffer, p, 0x8000 | ((a >>> 12) & 0x3fff), 4);
    buffer[p++] = 0x2d;
    p = hex(buffer, p, b & 0xffff, 4);
    p = hex(buffer, p, c, 8);
    buffer[p++] = TAB;
    this.length = p;
    return this;
  }

  end(): void {
    this.buffer[this.length - 1] = NEWLINE;
    this.rows++;
  }
}

const scratch = new CopyWriter(64);
const amountText = new Map<bigint, string>();

const dates = new Map<number, string>();
/** "YYYY-MM-DD" of a UTC instant, memoised per day (the generator asks millions of times). */
function utcDate(ms: number): string {
  const day = Math.floor(ms / DAY);
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  return date;
}

function two(buffer: Buffer, p: number, value: number): number {
  buffer[p] = 48 + Math.floor(value / 10);
  buffer[p + 1] = 48 + (value % 10);
  return p + 2;
}

function hex(buffer: Buffer, p: number, value: number, digits: number): number {
  for (let i = digits - 1; i >= 0; i--) {
    buffer[p + i] = HEX_DIGITS[value & 15];
    value >>>= 4;
  }
  return p + digits;
}

// ================================================================ ids

type IdKey = "payment" | "transaction" | "operation" | "credit" | "creditTransaction";
type Ids = Record<IdKey, number>;

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
async function reserveIds(db: SqlRunner, payments: number): Promise<Reservation> {
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
async function releaseUnusedIds(db: SqlRunner, reserved: Reservation, next: Ids): Promise<void> {
  const statements = SEQUENCES.filter((s) => next[s.key] - 1 < reserved.end[s.key]).map((s) => {
    const used = next[s.key] - 1;
    return `select setval(${seqOf(s)}, ${Math.max(used, 1)}, ${used >= 1}) where pg_sequence_last_value(${seqOf(s)}) = ${reserved.end[s.key]}`;
  });
  for (const statement of statements) await db.query(statement);
}

/** Safety net: no sequence may lag behind its table. */
async function fixSequences(db: SqlRunner): Promise<void> {
  for (const s of SEQUENCES) {
    await db.query(
      `select setval(${seqOf(s)}, m) from (select max(${s.column}) as m from ${s.table}) x
        where m is not null and m > coalesce(pg_sequence_last_value(${seqOf(s)}), 0)`,
    );
  }
}

// ================================================================ chunk writing

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
 */
const ROLLUP_SQL = `
insert into daily_volume as v (day, organisation_id, currency, payment_type_group, payment_type, settlement_id,
                               captured_amount, captured_count, credited_amount, credited_count)
select (o.created_at at time zone 'UTC')::date, p.organisation_id, p.currency, t.payment_type_group, t.payment_type,
       coalesce(p.settlement_id, ''),
       coalesce(sum(o.amount) filter (where o.operation in ('CAPTURE', 'IMPORT')), 0),
       count(*) filter (where o.operation in ('CAPTURE', 'IMPORT')),
       coalesce(sum(o.amount) filter (where o.operation = 'CREDIT'), 0),
       count(*) filter (where o.operation = 'CREDIT')
  from operation_log o
  join payment_transactions t on t.transaction_id = o.transaction_id
  join payments p on p.payment_id = t.payment_id
 where o.id between $1 and $2 and o.operation in ('CAPTURE', 'IMPORT', 'CREDIT')
 group by 1, 2, 3, 4, 5, 6
 order by 1, 2, 3, 4, 5, 6
on conflict (day, organisation_id, currency, payment_type_group, payment_type, settlement_id) do update set
  captured_amount = v.captured_amount + excluded.captured_amount,
  captured_count = v.captured_count + excluded.captured_count,
  credited_amount = v.credited_amount + excluded.credited_amount,
  credited_count = v.credited_count + excluded.credited_count`;

/**
 * The authorization outcome increment for the same range: approvals are the AUTHORIZE entries
 * (the generator writes at most one per transaction, its first), declines and failures the
 * generator's own counts ($3, JSON). Upserted in key order, like the volume.
 */
const OUTCOMES_SQL = `
insert into daily_outcomes as d (day, organisation_id, currency, payment_type_group, approved_count, declined_count, failed_count)
select day, organisation_id, currency, payment_type_group, sum(approved)::int, sum(declined)::int, sum(failed)::int
  from (select (o.created_at at time zone 'UTC')::date as day, p.organisation_id, p.currency, t.payment_type_group,
               1 as approved, 0 as declined, 0 as failed
          from operation_log o
          join payment_transactions t on t.transaction_id = o.transaction_id
          join payments p on p.payment_id = t.payment_id
         where o.id between $1 and $2 and o.operation = 'AUTHORIZE'
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

async function copyChunk(tx: SqlRunner, chunk: Chunk): Promise<void> {
  await tx.copy("payments", PAYMENT_COLUMNS, chunk.out.payments.data());
  await tx.copy("payment_transactions", TRANSACTION_COLUMNS, chunk.out.transactions.data());
  await tx.copy("operation_log", OPERATION_COLUMNS, chunk.out.operations.data());
  await tx.copy("credits", CREDIT_COLUMNS, chunk.out.credits.data());
  await tx.copy("credit_transactions", CREDIT_TRANSACTION_COLUMNS, chunk.out.creditTransactions.data());
}

// ================================================================ what the generator knows

type ClientInfo = {
  clientId: string;
  organisationId: number;
  privileged: boolean;
  channels: Weighted<string>;
};

type RecurringInfo = { id: number; organisationId: number; paymentType: PaymentType | null; last4: string | null };

type Context = {
  clients: Weighted<ClientInfo>;
  /** A privileged client selling at machines or desks, where imports come from (or null). */
  importer: { client: ClientInfo; channel: string } | null;
  staff: { support: StaffInfo[]; finance: StaffInfo[] };
  customers: string[];
  recurring: Map<string, RecurringInfo[]>;
  agreements: Map<string, { id: string; organisationId: number }[]>;
};

type StaffInfo = { id: string; email: string };

const CLIENT_WEIGHTS: Record<string, number> = { "entur-sales": 50, "nordbuss-web": 30, "fjordferje-app": 20 };
const CHANNEL_WEIGHTS: Record<string, number> = { web: 50, app: 35, "ticket-machine": 12, "customer-service": 6 };

async function loadContext(db: SqlRunner): Promise<Context> {
  const clients = await db.query<{
    client_id: string;
    organisation_id: number;
    privileged: boolean;
    distribution_channels: string[];
  }>(
    `select client_id, organisation_id, privileged, distribution_channels from api_clients
      where disabled_at is null order by client_id`,
  );
  if (!clients.length) {
    throw new Error(
      "No API clients in this database: start the app once (it seeds the demo base) or create one with `npm run cli -- create-client`.",
    );
  }
  const staff = await db.query<{ id: string; email: string; role: string }>(
    "select id, email, role from staff_users where disabled_at is null order by email",
  );
  const customerRows = await db.query<{ customer_number: string }>(
    "select customer_number from customers order by customer_number limit 5000",
  );
  const recurringRows = await db.query<{
    recurring_payment_id: string | number;
    customer_number: string;
    organisation_id: number;
    payment_type: string | null;
    masked_pan: string | null;
  }>(
    `select recurring_payment_id, customer_number, organisation_id, payment_type, masked_pan
       from recurring_payments where recurring_status = 'ACTIVE' order by recurring_payment_id`,
  );
  const agreementRows = await db.query<{ agreement_id: string; customer_number: string; organisation_id: number }>(
    `select agreement_id, customer_number, organisation_id from payment_agreements
      where status = 'ACTIVE' order by agreement_id`,
  );

  const recurring = new Map<string, RecurringInfo[]>();
  for (const r of recurringRows) {
    const list = recurring.get(r.customer_number) ?? [];
    list.push({
      id: Number(r.recurring_payment_id),
      organisationId: r.organisation_id,
      paymentType: r.payment_type && r.payment_type in PAYMENT_TYPE_GROUP_OF ? (r.payment_type as PaymentType) : null,
      last4: r.masked_pan ? r.masked_pan.slice(-4) : null,
    });
    recurring.set(r.customer_number, list);
  }
  const agreements = new Map<string, { id: string; organisationId: number }[]>();
  for (const a of agreementRows) {
    const list = agreements.get(a.customer_number) ?? [];
    list.push({ id: a.agreement_id, organisationId: a.organisation_id });
    agreements.set(a.customer_number, list);
  }
  const clientInfos = clients.map((c) => {
    const channels = c.distribution_channels?.length ? c.distribution_channels : ["web"];
    const info: ClientInfo = {
      clientId: c.client_id,
      organisationId: c.organisation_id,
      privileged: c.privileged,
      channels: new Weighted(channels.map((ch) => [ch, CHANNEL_WEIGHTS[ch] ?? 10] as const)),
    };
    return { info, channels };
  });
  let importer: Context["importer"] = null;
  for (const { info, channels } of clientInfos) {
    const channel = channels.find((ch) => ch === "ticket-machine" || ch === "customer-service");
    if (info.privileged && channel) {
      importer = { client: info, channel };
      break;
    }
  }
  const bySupport = staff.filter((s) => s.role === "support" || s.role === "admin");
  const byFinance = staff.filter((s) => s.role === "finance" || s.role === "admin");
  return {
    clients: new Weighted(clientInfos.map(({ info }) => [info, CLIENT_WEIGHTS[info.clientId] ?? 10] as const)),
    importer,
    staff: {
      support: bySupport.map(({ id, email }) => ({ id, email })),
      finance: byFinance.map(({ id, email }) => ({ id, email })),
    },
    customers: customerRows.length ? customerRows.map((r) => r.customer_number) : syntheticCustomerPool(),
    recurring,
    agreements,
  };
}

// ================================================================ time

/**
 * Timestamps for `total` payments over the last 90 days, handed out in ascending order (so
 * payment ids grow with time, as in production): each hour gets its share by a weekday and
 * time-of-day profile (Oslo time, taken as UTC+1), exactly `total` in all.
 */
class TimeSlots {
  private readonly counts: Int32Array;
  private bucket = -1;
  private times: Float64Array = new Float64Array(0);
  private index = 0;

  constructor(
    private readonly rng: Rng,
    total: number,
    private readonly now: number,
  ) {
    const start = now - DAYS * DAY;
    const buckets = DAYS * 24;
    const weights = new Float64Array(buckets);
    let sum = 0;
    for (let h = 0; h < buckets; h++) {
      const local = new Date(start + h * HOUR + HOUR / 2 + HOUR);
      const day = local.getUTCDay();
      const dayWeight = day === 0 ? 0.6 : day === 6 ? 0.7 : day === 5 ? 1.1 : 1;
      weights[h] = dayWeight * HOUR_WEIGHTS[local.getUTCHours()];
      sum += weights[h];
    }
    this.counts = new Int32Array(buckets);
    let cumulative = 0;
    let assigned = 0;
    for (let h = 0; h < buckets; h++) {
      cumulative += weights[h];
      const upTo = h === buckets - 1 ? total : Math.round((total * cumulative) / sum);
      this.counts[h] = upTo - assigned;
      assigned = upTo;
    }
  }

  next(): number {
    while (this.index >= this.times.length) {
      this.bucket++;
      if (this.bucket >= this.counts.length) return this.now - 1;
      const from = this.now - DAYS * DAY + this.bucket * HOUR;
      const times = new Float64Array(this.counts[this.bucket]);
      for (let i = 0; i < times.length; i++) times[i] = from + Math.floor(this.rng.next() * HOUR);
      times.sort(); // a typed array sorts numerically
      this.times = times;
      this.index = 0;
    }
    return Math.min(this.times[this.index++], this.now - 1);
  }
}

// Oslo local hour 0..23: quiet nights, commuter peaks.
const HOUR_WEIGHTS = [
  0.15, 0.08, 0.05, 0.04, 0.06, 0.25, 0.7, 1.3, 1.2, 0.9, 0.8, 0.85, 0.9, 0.9, 1.0, 1.3, 1.4, 1.1, 0.9, 0.8, 0.7,
  0.55, 0.4, 0.25,
];

// ================================================================ the payment generator

const m = (value: bigint) => value as Money;
const ONE = money("1.00");
const CENT = money("0.01");
const TEN_CENTS = money("0.10");
const HALF = money("0.50");
const LOW_VALUE_LIMIT = money("300.00");
const MAX_TOTAL = money("4999.00");

const PRICE_POINTS = new Weighted<Money>(
  (
    [
      ["29.00", 4],
      ["39.00", 8],
      ["42.00", 6],
      ["49.00", 6],
      ["64.00", 8],
      ["79.00", 7],
      ["99.00", 7],
      ["129.00", 6],
      ["149.00", 5],
      ["199.00", 6],
      ["249.00", 5],
      ["329.00", 4],
      ["459.00", 3],
      ["649.00", 3],
      ["799.00", 2],
      ["899.00", 2],
      ["1290.00", 1.5],
      ["1890.00", 1],
      ["2490.00", 0.8],
      ["3490.00", 0.5],
      ["4999.00", 0.3],
    ] as const
  ).map(([price, weight]) => [money(price), weight] as const),
);
const QUANTITIES = new Weighted<bigint>([
  [1n, 80],
  [2n, 12],
  [3n, 5],
  [4n, 3],
]);
const CURRENCIES = new Weighted<string>([
  ["NOK", 95],
  ["SEK", 3],
  ["EUR", 2],
]);

const TYPES_BY_CHANNEL: Record<string, Weighted<PaymentType>> = {
  web: new Weighted<PaymentType>([
    ["VISA", 30],
    ["MASTERCARD", 20],
    ["AMEX", 3],
    ["VIPPS", 28],
    ["MOBILEPAY", 2],
    ["COLLECTOR", 5],
    ["COLLECTOR_B2B", 2],
    ["GIFTCARD", 2],
    ["ECARD", 0.5],
    ["AGENT", 1],
  ]),
  app: new Weighted<PaymentType>([
    ["VIPPS", 42],
    ["VISA", 24],
    ["MASTERCARD", 16],
    ["AMEX", 1.5],
    ["MOBILEPAY", 4],
    ["ECARD", 4],
    ["GIFTCARD", 1.5],
    ["COLLECTOR", 1],
  ]),
  "ticket-machine": new Weighted<PaymentType>([
    ["VISA", 40],
    ["MASTERCARD", 28],
    ["AMEX", 2],
    ["CASH", 14],
    ["ECARD", 10],
    ["GIFTCARD", 1],
  ]),
  "customer-service": new Weighted<PaymentType>([
    ["VISA", 22],
    ["MASTERCARD", 14],
    ["CASH", 18],
    ["AGENT", 16],
    ["COLLECTOR_B2B", 12],
    ["GIFTCARD", 6],
    ["ECARD", 4],
    ["VIPPS", 6],
  ]),
};
const RETRY_FIRST_TYPES = new Weighted<PaymentType>([
  ["VISA", 5],
  ["MASTERCARD", 3],
  ["VIPPS", 3],
]);
const SPLIT_CARD_TYPES = new Weighted<PaymentType>([
  ["VISA", 6],
  ["MASTERCARD", 4],
  ["AMEX", 1],
]);

/** What happens to the payment's (last) transaction; credit outcomes start from CAPTURED. */
type Outcome =
  | "CREATED"
  | "INITIATED"
  | "AUTHORIZED"
  | "CAPTURED"
  | "CANCELLED"
  | "CREDITED"
  | "PARTIAL_CREDIT"
  | "TWO_PARTIAL_CREDITS"
  | "OPEN_CREDIT"
  | "FAILED_CREDIT";
const OUTCOMES = new Weighted<Outcome>([
  ["CAPTURED", 72],
  ["CREDITED", 6],
  ["PARTIAL_CREDIT", 3.5],
  ["TWO_PARTIAL_CREDITS", 0.6],
  ["OPEN_CREDIT", 2],
  ["FAILED_CREDIT", 0.4],
  ["AUTHORIZED", 5],
  ["INITIATED", 3],
  ["CREATED", 3],
  ["CANCELLED", 4.5],
]);
const SCENARIOS = new Weighted<"single" | "split" | "retry">([
  ["single", 86],
  ["split", 7],
  ["retry", 7],
]);
/** The first orders of every run cover each payment type and each outcome, so small runs do too. */
const FORCED_TYPES: readonly PaymentType[] = [
  "VISA",
  "MASTERCARD",
  "AMEX",
  "VIPPS",
  "MOBILEPAY",
  "COLLECTOR",
  "COLLECTOR_B2B",
  "GIFTCARD",
  "ECARD",
  "CASH",
  "AGENT",
];
const FORCED_OUTCOMES: readonly Outcome[] = [
  "CREATED",
  "INITIATED",
  "AUTHORIZED",
  "CAPTURED",
  "CREDITED",
  "CANCELLED",
  "PARTIAL_CREDIT",
  "OPEN_CREDIT",
  "FAILED_CREDIT",
  "TWO_PARTIAL_CREDITS",
];

/** How a transaction of each type moves: hosted page/app flow, authorize-then-capture, or paid on the spot. */
const FLOW: Record<PaymentType, "terminal" | "authorize" | "direct"> = {
  VISA: "terminal",
  MASTERCARD: "terminal",
  AMEX: "terminal",
  VIPPS: "terminal",
  MOBILEPAY: "terminal",
  COLLECTOR: "terminal",
  COLLECTOR_B2B: "terminal",
  GIFTCARD: "direct",
  CASH: "direct",
  ECARD: "authorize",
  AGENT: "authorize",
};

const CLIENT_NAMES: Record<string, Record<string, string>> = {
  "entur-sales": {
    web: "entur-web",
    app: "entur-app",
    "ticket-machine": "entur-tvm",
    "customer-service": "entur-kundesenter",
  },
  "nordbuss-web": { web: "nordbuss-webshop", app: "nordbuss-app" },
  "fjordferje-app": { app: "fjordferje-app" },
};
const SERVICE_DESKS = ["KS-Oslo S", "KS-Bergen", "KS-Trondheim S", "KS-Stavanger", "KS-Bodø"];
const STAFF_CLIENT_NAME = "paydesk-backoffice";
const CREDIT_REASONS = [
  "Cancelled departure",
  "Customer charged twice",
  "Goodwill: delayed train",
  "Wrong ticket type sold",
  "Refund on request (terms 4.2)",
];
const FAILURE_REASONS = [
  "REFUSED_BY_ISSUER: card account closed",
  "SOFT_DECLINE: issuer unavailable, try again later",
  "Provider rejected the refund: original transaction too old",
];
const ACQUIRER_PREFIX: Record<PaymentType, string> = {
  VISA: "nets",
  MASTERCARD: "nets",
  AMEX: "amex",
  VIPPS: "vipps",
  MOBILEPAY: "mp",
  COLLECTOR: "col",
  COLLECTOR_B2B: "colb2b",
  GIFTCARD: "gc",
  ECARD: "ecard",
  CASH: "cash",
  AGENT: "agent",
};

type Actor = {
  type: "CLIENT" | "STAFF";
  actor: string;
  clientName: string | null;
  pos: string | null;
  channel: string | null;
  staffUserId?: string;
};

type Tx = {
  id: number;
  paymentId: number;
  amount: Money;
  currency: string;
  status: TransactionStatus;
  type: PaymentType;
  group: PaymentTypeGroup;
  channel: string;
  rrn: string | null;
  last4: string | null;
  externalId: string | null;
  recurringId: number | null;
  agreementId: string | null;
  isImport: boolean;
  sca: "NO_EXEMPTION" | "LOW_VALUE";
  with3ds: boolean | null;
  terminalId: string | null;
  importData: Record<string, string> | null;
  authorized: Money;
  captured: Money;
  credited: Money;
  cancelled: Money;
  reserved: Money;
  capturedAt: number | null;
  createdAt: number;
  updatedAt: number;
};

type Order = {
  paymentId: number;
  organisationId: number;
  orderId: string;
  version: number;
  currency: string;
  settlementId: string | null;
  customerNumber: string | null;
  client: ClientInfo;
  actor: Actor;
};

type Out = Record<"payments" | "transactions" | "operations" | "credits" | "creditTransactions", CopyWriter>;

/** Declined and failed authorization attempts of a chunk, per daily_outcomes key. */
type Unapproved = { day: string; organisation_id: number; currency: string; payment_type_group: string; declined: number; failed: number };

type Chunk = {
  out: Out;
  unapproved: Unapproved[];
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  firstOperationId: number;
  nextIds: Ids;
};

class PaymentGenerator {
  private orders = 0;
  private ids!: Ids;
  private out!: Out;
  private counts = { transactions: 0, operations: 0, credits: 0, creditTransactions: 0 };
  private unapproved = new Map<string, Unapproved>();

  constructor(
    private readonly rng: Rng,
    private readonly context: Context,
    private readonly now: number,
    private readonly slots: TimeSlots,
    private readonly declineRng: Rng,
  ) {}

  async generate(payments: number, ids: Ids): Promise<Chunk> {
    this.ids = { payment: ids.payment, transaction: ids.transaction, operation: ids.operation, credit: ids.credit, creditTransaction: ids.creditTransaction };
    this.out = {
      payments: new CopyWriter(),
      transactions: new CopyWriter(),
      operations: new CopyWriter(),
      credits: new CopyWriter(),
      creditTransactions: new CopyWriter(),
    };
    this.counts = { transactions: 0, operations: 0, credits: 0, creditTransactions: 0 };
    this.unapproved = new Map();
    const firstOperationId = ids.operation;
    let made = 0;
    let sinceYield = 0;
    while (made < payments) {
      const used = this.order(payments - made);
      made += used;
      sinceYield += used;
      if (sinceYield >= 100) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve)); // let the previous chunk's COPY flow
      }
    }
    return { out: this.out, unapproved: [...this.unapproved.values()], payments: made, ...this.counts, firstOperationId, nextIds: { ...this.ids } };
  }

  /** One order: one payment, or a deactivated version 1 and its version 2. Returns payments made. */
  private order(room: number): number {
    const rng = this.rng;
    const index = this.orders++;
    const at = this.slots.next();
    // The order right after the forced types is an import, when some client may import.
    const forceImport = index === FORCED_TYPES.length && this.context.importer !== null;
    const client = forceImport ? this.context.importer!.client : this.context.clients.pick(rng);
    const channel = forceImport ? this.context.importer!.channel : client.channels.pick(rng);
    const currency = CURRENCIES.pick(rng);
    const customers = this.context.customers;
    const customerNumber = rng.chance(0.6) ? customers[Math.floor(customers.length * rng.next() ** 2)] : null;
    const settled = rng.chance(0.88);
    const paymentId = this.ids.payment;
    const orderId = `ORD-${utcDate(at).slice(0, 4)}-${String(paymentId).padStart(6, "0")}`;
    const actor = this.clientActor(client, channel);
    const organisationId = client.organisationId;
    const forcedType = index < FORCED_TYPES.length ? FORCED_TYPES[index] : undefined;
    const forcedOutcome = index < FORCED_OUTCOMES.length ? FORCED_OUTCOMES[index] : undefined;

    if (room >= 2 && forcedType === undefined && !forceImport && rng.chance(0.03)) {
      // The order changed: version 1 deactivated (captured money credited back, the rest
      // cancelled), then version 2 created a little later for the new total.
      this.ids.payment++;
      this.slots.next(); // version 2 takes the next slot's place, so the run still ends at "now"
      const v1: Order = {
        paymentId,
        organisationId,
        orderId,
        version: 1,
        currency,
        settlementId: settled ? settlementId(organisationId, at, channel) : null,
        customerNumber,
        client,
        actor,
      };
      const deactivatedAt = this.payment(v1, channel, at, { deactivate: true });
      const v2At = Math.min(deactivatedAt + this.rng.int(5, 900) * SEC, this.now);
      const v2Id = this.ids.payment++;
      const v2: Order = { ...v1, paymentId: v2Id, version: 2, settlementId: settled ? settlementId(organisationId, v2At, channel) : null };
      this.payment(v2, channel, v2At, {});
      return 2;
    }
    this.ids.payment++;
    const order: Order = {
      paymentId,
      organisationId,
      orderId,
      version: 1,
      currency,
      settlementId: settled ? settlementId(organisationId, at, channel) : null,
      customerNumber,
      client,
      actor,
    };
    this.payment(order, channel, at, {
      forcedType: forceImport ? "VISA" : forcedType,
      forcedOutcome: forceImport ? "CAPTURED" : forcedOutcome,
      forceImport,
    });
    return 1;
  }

  /** Writes one payment with its transactions and credits; returns the time of its last change. */
  private payment(
    order: Order,
    channel: string,
    at: number,
    options: { deactivate?: boolean; forcedType?: PaymentType; forcedOutcome?: Outcome; forceImport?: boolean },
  ): number {
    const rng = this.rng;
    const total = this.totalAmount(order.currency);
    const typeTable = TYPES_BY_CHANNEL[channel] ?? TYPES_BY_CHANNEL.web;
    const mainType = options.forcedType ?? typeTable.pick(rng);
    let outcome: Outcome = options.forcedOutcome ?? OUTCOMES.pick(rng);
    if (options.deactivate) outcome = rng.chance(0.7) ? "CAPTURED" : rng.pick(["CREATED", "INITIATED", "AUTHORIZED"] as const);
    const scenario = options.forcedType || options.deactivate || total < 2n * ONE ? "single" : SCENARIOS.pick(rng);
    const target = targetOf(outcome);

    const txs: Tx[] = [];
    let last = at;
    if (scenario === "split") {
      // A gift card (or cash at a machine/desk) pays part, a card the rest: their amounts sum
      // to exactly the total.
      const directType: PaymentType =
        channel === "ticket-machine" || (channel === "customer-service" && rng.chance(0.5)) ? "CASH" : "GIFTCARD";
      let part = portion(total, rng.int(10, 60));
      part = m(part - (part % ONE));
      if (part <= 0n) part = ONE;
      const first = this.newTx(order, channel, directType, part, at, false);
      const directTarget = target === "CANCELLED" ? "CANCELLED" : target === "CREATED" ? "CREATED" : "CAPTURED";
      last = Math.max(last, this.runTx(first, order, directTarget));
      const secondAt = Math.min(at + rng.int(5, 40) * SEC, this.now);
      const second = this.newTx(order, channel, SPLIT_CARD_TYPES.pick(rng), m(total - part), secondAt, false);
      last = Math.max(last, this.runTx(second, order, target));
      txs.push(first, second);
    } else {
      let start = at;
      if (scenario === "retry") {
        // The first attempt was declined or abandoned and cancelled; the second one counts.
        const first = this.newTx(order, channel, RETRY_FIRST_TYPES.pick(rng), total, at, false);
        const end = this.runTx(first, order, "CANCELLED", { quickCancel: true });
        txs.push(first);
        start = Math.min(end + rng.int(10, 300) * SEC, this.now);
      }
      const importable =
        order.client.privileged &&
        (channel === "ticket-machine" || channel === "customer-service") &&
        (PAYMENT_TYPE_GROUP_OF[mainType] === "PAYMENTCARD" || mainType === "ECARD") &&
        target === "CAPTURED" &&
        (options.forceImport || (!options.forcedType && rng.chance(0.3)));
      const tx = this.newTx(order, channel, mainType, total, start, importable);
      last = Math.max(last, this.runTx(tx, order, target, { forceUpdate: options.forcedType === "COLLECTOR_B2B" }));
      txs.push(tx);
    }

    let deactivatedAt: number | null = null;
    if (options.deactivate) {
      deactivatedAt = Math.min(last + rng.int(5, 180) * MIN, this.now);
      this.deactivate(order, txs, deactivatedAt);
      last = deactivatedAt;
    } else {
      last = Math.max(last, this.credits(order, txs, outcome));
    }

    let updatedAt = deactivatedAt ?? at;
    for (const tx of txs) {
      updatedAt = Math.max(updatedAt, tx.updatedAt);
      this.emitTx(tx);
    }
    this.out.payments
      .int(order.paymentId)
      .int(order.organisationId)
      .str(order.orderId)
      .int(order.version)
      .money(total)
      .str(order.currency)
      .bool(!options.deactivate)
      .str(order.settlementId)
      .str(order.customerNumber)
      .str(order.client.clientId)
      .time(at)
      .time(updatedAt)
      .end();
    return Math.max(last, updatedAt);
  }

  private newTx(order: Order, channel: string, type: PaymentType, value: Money, at: number, isImport: boolean): Tx {
    const rng = this.rng;
    const group = PAYMENT_TYPE_GROUP_OF[type];
    const tx: Tx = {
      id: this.ids.transaction++,
      paymentId: order.paymentId,
      amount: value,
      currency: order.currency,
      status: "CREATED",
      type,
      group,
      channel,
      rrn: null,
      last4: null,
      externalId: null,
      recurringId: null,
      agreementId: null,
      isImport,
      sca: group === "PAYMENTCARD" && value < LOW_VALUE_LIMIT && rng.chance(0.5) ? "LOW_VALUE" : "NO_EXEMPTION",
      with3ds: null,
      terminalId: null,
      importData: null,
      authorized: ZERO,
      captured: ZERO,
      credited: ZERO,
      cancelled: ZERO,
      reserved: ZERO,
      capturedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    if (group === "PAYMENTCARD" && !isImport) tx.with3ds = (channel === "web" || channel === "app") && tx.sca === "NO_EXEMPTION";
    if (order.customerNumber && !isImport) {
      if (group === "PAYMENTCARD" && rng.chance(0.3)) {
        const stored = sameOrganisation(this.context.recurring.get(order.customerNumber), order.organisationId);
        if (stored) {
          tx.recurringId = stored.id;
          if (stored.paymentType && PAYMENT_TYPE_GROUP_OF[stored.paymentType] === "PAYMENTCARD") tx.type = stored.paymentType;
          tx.last4 = stored.last4;
        }
      } else if (type === "VIPPS" && rng.chance(0.4)) {
        const agreement = sameOrganisation(this.context.agreements.get(order.customerNumber), order.organisationId);
        if (agreement) tx.agreementId = agreement.id;
      }
    }
    return tx;
  }

  /**
   * Attempts the provider declined or that failed on a hosted page or app opened at `initiated`,
   * before the approval at `approved` (a customer who tries again), or before the customer gave
   * up (`approved` null). No operation is logged for them; only daily_outcomes counts them.
   * About 3.5 % of approvals follow a decline and 0.4 % a failure; a quarter of abandoned pages
   * saw a decline first.
   */
  private unapprovedAttempts(tx: Tx, order: Order, initiated: number, approved: number | null): void {
    const rng = this.declineRng;
    const before = approved ?? initiated + rng.int(20, 300) * SEC;
    if (before > this.now) return;
    const declined = approved === null ? rng.chance(0.25) : rng.chance(0.035);
    const failed = approved !== null && rng.chance(0.004);
    if (!declined && !failed) return;
    // Somewhere between the page opening and the approval (or giving up), never after it.
    const at = initiated + Math.floor((before - initiated) * rng.next());
    const day = utcDate(at);
    const key = `${day}|${order.organisationId}|${tx.currency}|${tx.group}`;
    let row = this.unapproved.get(key);
    if (!row) {
      row = { day, organisation_id: order.organisationId, currency: tx.currency, payment_type_group: tx.group, declined: 0, failed: 0 };
      this.unapproved.set(key, row);
    }
    if (declined) row.declined++;
    if (failed) row.failed++;
  }

  /** `delay` after `at`, or null when that lies in the future (the step has not happened yet). */
  private later(at: number, delay: number): number | null {
    const next = at + delay;
    return next <= this.now ? next : null;
  }

  /** What the provider hands back once the money is authorized: card digits, RRN, references. */
  private reveal(tx: Tx): void {
    const rng = this.rng;
    tx.externalId ??= externalId(tx.type, tx.createdAt, rng);
    if (tx.group === "PAYMENTCARD") {
      tx.last4 ??= rng.digits(4);
      tx.rrn = rrnFor(tx.id, tx.createdAt);
    }
  }

  /**
   * Walks the transaction's state machine up to `target`, appending the operation log; a step
   * that would lie in the future does not happen (the transaction stays where it got to).
   */
  private runTx(tx: Tx, order: Order, target: "CREATED" | "INITIATED" | "AUTHORIZED" | "CAPTURED" | "CANCELLED", options: { quickCancel?: boolean; forceUpdate?: boolean } = {}): number {
    const rng = this.rng;
    const actor = order.actor;
    let at = tx.createdAt;
    this.op(tx, "CREATE", tx.amount, at, actor);

    if (tx.isImport) {
      // Sold offline at a machine or desk, imported in the nightly batch.
      const importedAt = this.later(at, rng.int(1, 8) * HOUR + rng.int(0, 3599) * SEC);
      if (importedAt === null) return at;
      at = importedAt;
      this.reveal(tx);
      const confirmedAt = new Date(tx.createdAt + rng.int(5, 90) * SEC).toISOString();
      const envNetworkId = String(100000 + (order.organisationId % 900) * 1000 + rng.int(0, 999));
      if (tx.group === "PAYMENTCARD") {
        tx.terminalId = `${tx.channel === "ticket-machine" ? "TVM" : "KS"}${String(rng.int(1, 400)).padStart(5, "0")}`;
        tx.importData = { terminalId: tx.terminalId, paymentType: issuerName(tx.type), envNetworkId, transactionConfirmedAt: confirmedAt };
      } else {
        tx.rrn = null;
        tx.importData = { companyId: String(rng.int(1, 9999)), mediaSerialNumberId: rng.digits(10), envNetworkId, transactionConfirmedAt: confirmedAt };
      }
      tx.authorized = tx.amount;
      tx.captured = tx.amount;
      tx.capturedAt = at;
      tx.status = "CAPTURED";
      this.op(tx, "IMPORT", tx.amount, at, actor);
      return at;
    }

    const flow = FLOW[tx.type];
    let reach: "CREATED" | "INITIATED" | "AUTHORIZED" | "CAPTURED" = target === "CANCELLED" ? "CREATED" : target;
    if (target === "CANCELLED") {
      const r = rng.next();
      if (flow === "terminal") reach = options.quickCancel || r < 0.6 ? "INITIATED" : r < 0.7 ? "CREATED" : "AUTHORIZED";
      else if (flow === "authorize") reach = r < 0.4 ? "CREATED" : "AUTHORIZED";
    }
    if (flow === "direct" && (reach === "INITIATED" || reach === "AUTHORIZED")) reach = "CREATED";
    if (flow === "authorize" && reach === "INITIATED") reach = "AUTHORIZED";
    const rank = { CREATED: 0, INITIATED: 1, AUTHORIZED: 2, CAPTURED: 3 } as const;

    if (flow === "terminal" && rank[reach] >= 1) {
      const t = this.later(at, rng.int(2, 20) * SEC);
      if (t === null) return at;
      at = t;
      tx.externalId = externalId(tx.type, at, rng);
      tx.status = "INITIATED";
      this.op(tx, "INITIATE", tx.amount, at, actor);
      if (tx.type === "COLLECTOR_B2B" && (options.forceUpdate || rng.chance(0.4))) {
        const u = this.later(at, rng.int(1, 30) * MIN);
        if (u !== null) {
          at = u;
          this.op(tx, "UPDATE", tx.amount, at, actor);
        }
      }
    }
    if (flow !== "direct" && rank[reach] >= 2) {
      const invoice = tx.group === "INVOICE";
      const t = this.later(at, invoice ? rng.int(1, 48 * 60) * MIN : rng.int(15, 240) * SEC);
      if (flow === "terminal" && t !== null) this.unapprovedAttempts(tx, order, at, t);
      if (t !== null) {
        at = t;
        this.reveal(tx);
        tx.authorized = tx.amount;
        tx.status = "AUTHORIZED";
        this.op(tx, "AUTHORIZE", tx.amount, at, actor);
      } else reach = tx.status === "INITIATED" ? "INITIATED" : "CREATED";
    } else if (flow === "terminal" && tx.status === "INITIATED") {
      this.unapprovedAttempts(tx, order, at, null);
    }
    if (rank[reach] >= 3 && (flow === "direct" || tx.status === "AUTHORIZED")) {
      let delay: number;
      if (flow === "direct") delay = rng.int(1, 30) * SEC;
      else if (tx.group === "INVOICE") delay = rng.int(1, 5) * DAY + rng.int(0, 86399) * SEC;
      else if (tx.type === "AGENT") delay = rng.int(1, 3) * DAY;
      else delay = rng.chance(0.8) ? rng.int(1, 10) * SEC : rng.int(1, 48) * HOUR;
      const t = this.later(at, delay);
      if (t !== null) {
        at = t;
        if (flow === "direct") {
          tx.externalId = tx.type === "CASH" ? null : externalId(tx.type, at, rng);
          tx.authorized = tx.amount;
        }
        tx.captured = tx.amount;
        tx.capturedAt = at;
        tx.status = "CAPTURED";
        this.op(tx, "CAPTURE", tx.amount, at, actor);
      }
    }
    if (target === "CANCELLED") {
      const staff = this.context.staff.support;
      const byStaff = !options.quickCancel && staff.length > 0 && rng.chance(0.2);
      const t = this.later(at, byStaff ? rng.int(1, 3) * DAY : options.quickCancel ? rng.int(20, 600) * SEC : rng.int(15, 90) * MIN);
      if (t !== null) {
        at = t;
        tx.cancelled = tx.amount;
        tx.status = "CANCELLED";
        this.op(tx, "CANCEL", tx.amount, at, byStaff ? staffActor(rng.pick(staff)) : actor);
      }
    }
    return at;
  }

  /** Credits for captured payments, by outcome. Returns the time of the last change. */
  private credits(order: Order, txs: Tx[], outcome: Outcome): number {
    const rng = this.rng;
    if (!CREDIT_OUTCOMES.has(outcome)) return 0;
    const captured: Tx[] = [];
    let lastCapture = 0;
    for (const tx of txs) {
      if (tx.status !== "CAPTURED") continue;
      captured.push(tx);
      lastCapture = Math.max(lastCapture, tx.capturedAt ?? tx.updatedAt);
    }
    if (!captured.length) return 0;
    let createdAt = lastCapture + rng.int(1, 20 * 24) * HOUR + rng.int(0, 3599) * SEC;
    if (createdAt > this.now) {
      // Captured too recently for a credit to have happened yet, except an open one right now.
      if (outcome !== "OPEN_CREDIT") return 0;
      createdAt = Math.max(lastCapture, this.now - rng.int(0, 600) * SEC);
    }
    const staff = this.context.staff;
    const byStaff = staff.support.length > 0 && staff.finance.length > 0 && rng.chance(0.25);
    const creator = byStaff ? rng.pick(staff.support) : null;
    const executor = byStaff ? staffActor(rng.pick(staff.finance)) : order.actor;
    const reason = byStaff ? rng.pick(CREDIT_REASONS) : null;
    const target = captured[captured.length - 1];

    switch (outcome) {
      case "CREDITED": {
        const at = this.executedAt(createdAt);
        this.credit(order, fullCredits(captured), "CREDITED", createdAt, at, creator, executor, reason);
        return at;
      }
      case "PARTIAL_CREDIT": {
        const at = this.executedAt(createdAt);
        this.credit(order, [{ tx: target, value: portion(target.amount, rng.int(10, 70)), status: "CREDITED" }], "CREDITED", createdAt, at, creator, executor, reason);
        return at;
      }
      case "TWO_PARTIAL_CREDITS": {
        const first = this.executedAt(createdAt);
        this.credit(order, [{ tx: target, value: portion(target.amount, rng.int(10, 40)), status: "CREDITED" }], "CREDITED", createdAt, first, creator, executor, reason);
        const secondCreated = first + rng.int(1, 5) * DAY;
        if (secondCreated > this.now) return first;
        const second = this.executedAt(secondCreated);
        this.credit(order, [{ tx: target, value: portion(target.amount, rng.int(10, 40)), status: "CREDITED" }], "CREDITED", secondCreated, second, creator, executor, reason);
        return second;
      }
      case "OPEN_CREDIT": {
        const value = rng.chance(0.5) ? target.amount : portion(target.amount, rng.int(10, 90));
        this.credit(order, [{ tx: target, value, status: "CREATED" }], "CREATED", createdAt, createdAt, creator, executor, reason);
        return createdAt;
      }
      case "FAILED_CREDIT": {
        const at = this.executedAt(createdAt);
        this.credit(order, [{ tx: target, value: target.amount, status: "FAILED" }], "CREATED", createdAt, at, creator, executor, reason);
        return at;
      }
      default:
        return 0;
    }
  }

  /** A credit is executed 1 to 60 minutes after it was created (not after now). */
  private executedAt(createdAt: number): number {
    return Math.min(createdAt + this.rng.int(1, 60) * MIN, this.now);
  }

  /** PUT …/deactivate: captured transactions credited in full, unfinished ones cancelled. */
  private deactivate(order: Order, txs: Tx[], at: number): void {
    const correlationId = uuid7String(at, this.rng);
    const captured: Tx[] = [];
    for (const tx of txs) {
      if (tx.status === "CAPTURED") captured.push(tx);
      if (tx.status === "CREATED" || tx.status === "INITIATED" || tx.status === "AUTHORIZED") {
        tx.cancelled = tx.amount;
        tx.status = "CANCELLED";
        this.op(tx, "CANCEL", tx.amount, at, order.actor, correlationId);
      }
    }
    if (captured.length) {
      this.credit(
        order,
        fullCredits(captured),
        "CREDITED",
        at,
        at,
        null,
        order.actor,
        "Payment deactivated",
        correlationId,
      );
    }
  }

  private credit(
    order: Order,
    items: CreditItem[],
    status: "CREATED" | "CREDITED",
    createdAt: number,
    executedAt: number,
    creator: StaffInfo | null,
    executor: Actor,
    reason: string | null,
    correlationId = uuid7String(executedAt, this.rng),
  ): void {
    const creditId = this.ids.credit++;
    let totalCredit = ZERO;
    let anyFailed = false;
    for (const { tx, value, status: itemStatus } of items) {
      if (itemStatus === "FAILED") anyFailed = true;
      totalCredit = m(totalCredit + value);
      const creditTransactionId = this.ids.creditTransaction++;
      const executed = itemStatus !== "CREATED";
      if (itemStatus === "CREDITED") {
        tx.credited = m(tx.credited + value);
        if (tx.credited === tx.captured) tx.status = "CREDITED";
        this.op(tx, "CREDIT", value, executedAt, executor, correlationId);
      } else if (itemStatus === "CREATED") {
        tx.reserved = m(tx.reserved + value);
        tx.updatedAt = Math.max(tx.updatedAt, createdAt);
      }
      this.counts.creditTransactions++;
      this.out.creditTransactions
        .int(creditTransactionId)
        .int(creditId)
        .int(tx.paymentId)
        .int(tx.id)
        .money(value)
        .str(itemStatus)
        .str(tx.type)
        .str(tx.group)
        .str(tx.rrn)
        .time(executed ? executedAt : null)
        .str(executed ? `sbx-cr-${creditTransactionId}` : null)
        .time(itemStatus === "CREDITED" ? executedAt : null)
        .str(itemStatus === "FAILED" ? this.rng.pick(FAILURE_REASONS) : null)
        .time(createdAt)
        .time(executed ? executedAt : createdAt)
        .end();
    }
    this.counts.credits++;
    this.out.credits
      .int(creditId)
      .int(order.organisationId)
      .str(order.orderId)
      .int(order.version)
      .money(totalCredit)
      .str(order.currency)
      .bool(true)
      .str(status)
      .str(order.settlementId)
      .str(order.customerNumber)
      .str(creator ? null : order.client.clientId)
      .str(creator ? creator.id : null)
      .str(reason)
      .time(createdAt)
      .time(status === "CREDITED" || anyFailed ? executedAt : createdAt)
      .end();
  }

  /** One operation-log row; `correlationId` when it shares one with others, else a fresh UUIDv7. */
  private op(tx: Tx, operation: Operation, value: Money, at: number, actor: Actor, correlationId?: string): void {
    this.counts.operations++;
    tx.updatedAt = Math.max(tx.updatedAt, at);
    const out = this.out.operations.int(this.ids.operation++).int(tx.id).int(tx.paymentId).str(operation).money(value);
    if (correlationId) out.str(correlationId);
    else out.uuid7(at, this.rng);
    out.str(actor.clientName).str(actor.pos).str(actor.channel).str(actor.type).str(actor.actor).time(at).end();
  }

  private emitTx(tx: Tx): void {
    this.counts.transactions++;
    this.out.transactions
      .int(tx.id)
      .int(tx.paymentId)
      .money(tx.amount)
      .str(tx.currency)
      .str(tx.status)
      .str(tx.type)
      .str(tx.group)
      .str(tx.channel)
      .str(tx.rrn)
      .str(tx.last4)
      .str(tx.externalId)
      .int(tx.recurringId)
      .str(tx.agreementId)
      .bool(tx.isImport)
      .str(tx.sca)
      .bool(tx.with3ds)
      .str(tx.terminalId)
      .json(tx.importData)
      .money(tx.authorized)
      .money(tx.captured)
      .money(tx.credited)
      .money(tx.cancelled)
      .money(tx.reserved)
      .time(tx.createdAt)
      .time(tx.updatedAt)
      .end();
  }

  private clientActor(client: ClientInfo, channel: string): Actor {
    const rng = this.rng;
    const pos =
      channel === "web"
        ? "web"
        : channel === "app"
          ? rng.chance(0.55)
            ? "ios"
            : "android"
          : channel === "ticket-machine"
            ? `TVM-${String(rng.int(1, 400)).padStart(4, "0")}`
            : channel === "customer-service"
              ? rng.pick(SERVICE_DESKS)
              : channel;
    return {
      type: "CLIENT",
      actor: client.clientId,
      clientName: CLIENT_NAMES[client.clientId]?.[channel] ?? client.clientId,
      pos,
      channel,
    };
  }

  private totalAmount(currency: string): Money {
    const rng = this.rng;
    const price = PRICE_POINTS.pick(this.rng);
    let total = m(price * QUANTITIES.pick(rng));
    if (total > MAX_TOTAL) total = price;
    const r = rng.next();
    if (r < 0.08) total = m(total + HALF);
    else if (r < 0.12) total = m(total - TEN_CENTS);
    if (currency === "EUR") {
      total = m(total / 10n);
      total = m(total - (total % TEN_CENTS));
    }
    return total;
  }
}

function settlementId(organisationId: number, at: number, channel: string): string {
  return `EJ-${organisationId}-${utcDate(at)}-${channel}`;
}

const CREDIT_OUTCOMES = new Set<Outcome>(["CREDITED", "PARTIAL_CREDIT", "TWO_PARTIAL_CREDITS", "OPEN_CREDIT", "FAILED_CREDIT"]);

type CreditItem = { tx: Tx; value: Money; status: "CREATED" | "CREDITED" | "FAILED" };

function sameOrganisation<T extends { organisationId: number }>(items: T[] | undefined, organisationId: number): T | undefined {
  if (items) for (const item of items) if (item.organisationId === organisationId) return item;
  return undefined;
}

function fullCredits(txs: Tx[]): CreditItem[] {
  const items: CreditItem[] = [];
  for (const tx of txs) items.push({ tx, value: tx.amount, status: "CREDITED" });
  return items;
}

function targetOf(outcome: Outcome): "CREATED" | "INITIATED" | "AUTHORIZED" | "CAPTURED" | "CANCELLED" {
  switch (outcome) {
    case "CREATED":
    case "INITIATED":
    case "AUTHORIZED":
    case "CANCELLED":
      return outcome;
    default:
      return "CAPTURED";
  }
}

/** `percent` % of `value`, rounded down to whole cents, at least one cent and below `value`. */
function portion(value: Money, percent: number): Money {
  let part = (value * BigInt(percent)) / 100n;
  part -= part % CENT;
  if (part < CENT) part = CENT;
  if (part >= value) part = value - CENT;
  return m(part);
}

/**
 * A 12-digit retrieval reference number as acquirers build them, YDDD + sequence: last digit of
 * the year, day of the year, then the transaction id modulo 10^8. Unique (two transactions of
 * one day would need ids 10^8 apart), so imports never collide on rrn + terminalId, and
 * time-ordered, so the rrn index grows at a few edges instead of everywhere.
 */
function rrnFor(transactionId: number, at: number): string {
  const date = new Date(at);
  const dayOfYear = Math.floor((at - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY) + 1;
  return `${date.getUTCFullYear() % 10}${String(dayOfYear).padStart(3, "0")}${String(transactionId % 100_000_000).padStart(8, "0")}`;
}

/** Provider reference: its prefix, the time in base 36 and a random tail (time-ordered too). */
function externalId(type: PaymentType, at: number, rng: Rng): string {
  return `${ACQUIRER_PREFIX[type]}-${at.toString(36)}${rng.hex(6)}`;
}

function issuerName(type: PaymentType): string {
  return type === "MASTERCARD" ? "MasterCard" : type === "AMEX" ? "American Express" : "Visa";
}

function staffActor(user: StaffInfo): Actor {
  return { type: "STAFF", actor: user.email, clientName: STAFF_CLIENT_NAME, pos: null, channel: null, staffUserId: user.id };
}

// ================================================================ the customer side

const CUSTOMER_POOL = 400;

function customerNumberOf(k: number): string {
  return String(100000 + k * 17 + (k % 7));
}

function syntheticCustomerPool(): string[] {
  return Array.from({ length: CUSTOMER_POOL }, (_, k) => customerNumberOf(k));
}

const FIRST_NAMES = [
  "Ola", "Kari", "Nora", "Emil", "Ingrid", "Jakob", "Sofie", "Lukas", "Emma", "Filip", "Maja", "Henrik", "Sara",
  "Aksel", "Ida", "Mathias", "Thea", "Sander", "Julie", "Jonas", "Astrid", "Magnus", "Frida", "Tobias", "Hedda",
];
const LAST_NAMES = [
  "Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
  "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Dahl", "Jørgensen", "Halvorsen",
  "Henriksen", "Lund", "Sørensen", "Strand", "Solberg", "Bakken", "Moen", "Aasen", "Bråten", "Lie",
];
const PRODUCT_NAMES = [
  "Månedskort Oslo sone 1",
  "Periodebillett 30 dager",
  "Pendlerkort Bergen–Voss",
  "Årskort ferje Bastø",
  "Ungdomskort 30 dager",
  "Honnørkort 7 dager",
];
const AGREEMENT_PRODUCTS = ["Periodebillett 30 dager", "Månedskort Nordbuss", "Ferjeabonnement Fjordferje", "Studentkort"];
const COMPANY_CODES: Record<number, string> = { 1: "ENTUR", 20: "NORDBUSS", 30: "FJORDFERJE" };
const CLIENT_OF_ORGANISATION: Record<number, string> = { 1: "entur-sales", 20: "nordbuss-web", 30: "fjordferje-app" };
const BINS: Record<"VISA" | "MASTERCARD", string[]> = {
  VISA: ["411111", "457123", "492181"],
  MASTERCARD: ["545454", "522233", "510510"],
};
const DISABLED_METHODS = [
  { clientId: "nordbuss-web", channel: "web", paymentType: "AMEX", reason: "Amex agreement terminated by Nordbuss (ticket PAY-482)" },
  { clientId: "fjordferje-app", channel: "app", paymentType: "MOBILEPAY", reason: "MobilePay not offered on Norwegian routes" },
];

type CustomerSide = Omit<SeedSummary, "payments" | "transactions" | "operations" | "credits" | "creditTransactions">;

/** Small tables, inserted with plain multi-row INSERTs (well under the bind-parameter limit). */
async function seedCustomerSide(handle: DatabaseHandle, rng: Rng, now: number): Promise<CustomerSide> {
  const db = bulkDb(handle);
  const organisations = new Set(
    (await db.query<{ id: number }>("select id from organisations")).map((r) => Number(r.id)),
  );
  const orgs = [1, 20, 30].filter((o) => organisations.has(o));
  const orgFor = (k: number) => (orgs.length ? orgs[k % 10 < 6 ? 0 : k % 10 < 8 ? 1 % orgs.length : 2 % orgs.length] : null);
  const day = (offset: number) => now + offset * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();

  let disabled = 0;
  for (const method of DISABLED_METHODS) {
    const rows = await db.query(
      `update payment_methods set enabled = false, disabled_reason = $1, updated_at = $2
        where client_id = $3 and distribution_channel_id = $4 and payment_type = $5 returning id`,
      [method.reason, iso(now - 12 * DAY), method.clientId, method.channel, method.paymentType],
    );
    disabled += rows.length;
  }

  const customerLines: string[] = [];
  const recurringLines: string[] = [];
  const agreementLines: string[] = [];
  const productLines: string[] = [];
  const invoiceLines: string[] = [];
  let invoiceNumber = 1_000_001;
  for (let k = 0; k < CUSTOMER_POOL; k++) {
    const customerNumber = customerNumberOf(k);
    const first = FIRST_NAMES[k % FIRST_NAMES.length];
    const last = LAST_NAMES[(k * 7 + Math.floor(k / FIRST_NAMES.length)) % LAST_NAMES.length];
    const organisationId = orgFor(k);
    const clientId = organisationId === null ? null : CLIENT_OF_ORGANISATION[organisationId] ?? null;
    const since = day(-rng.int(30, 900));
    customerLines.push(
      `${customerNumber}\t${text(`${first} ${last}`)}\t${ascii(`${first}.${last}.${k}`)}@example.no\t${NULL}\t${id(organisationId)}\t${stamp(since)}\n`,
    );

    if (organisationId !== null && rng.chance(0.35)) {
      const cards = rng.int(1, 3);
      let primaryGiven = false;
      const planned = Array.from({ length: cards }, () =>
        new Weighted<"ACTIVE" | "EXPIRED" | "CANCELLED" | "CREATED">([
          ["ACTIVE", 70],
          ["EXPIRED", 12],
          ["CANCELLED", 10],
          ["CREATED", 8],
        ]).pick(rng),
      );
      // Exactly one primary among the non-cancelled: an ACTIVE one if there is one.
      const primaryIndex = planned.indexOf("ACTIVE") >= 0 ? planned.indexOf("ACTIVE") : planned.findIndex((s) => s !== "CANCELLED");
      planned.forEach((status, index) => {
        const type = rng.chance(0.6) ? "VISA" : "MASTERCARD";
        const registered = since + rng.int(1, 25) * DAY;
        let cardExpiresAt: number | null = null;
        let expiresAt: number | null = null;
        let maskedPan: string | null = null;
        if (status !== "CREATED") {
          maskedPan = `${rng.pick(BINS[type])}******${rng.digits(4)}`;
          cardExpiresAt = status === "EXPIRED" ? endOfMonth(now, -rng.int(1, 10)) : endOfMonth(now, rng.int(6, 48));
          expiresAt = status !== "EXPIRED" && rng.chance(0.5) ? Math.min(cardExpiresAt, endOfMonth(now, rng.int(3, 24))) : cardExpiresAt;
        }
        const isPrimary = index === primaryIndex && !primaryGiven;
        if (isPrimary) primaryGiven = true;
        recurringLines.push(
          [
            organisationId,
            text(clientId),
            customerNumber,
            text(rng.pick(["Privat", "Jobb", "Reisekort", null])),
            flag(isPrimary),
            status,
            status === "CREATED" ? NULL : type,
            text(maskedPan),
            status === "CREATED" ? NULL : `ph_${token(rng, 24)}`,
            stamp(cardExpiresAt),
            stamp(expiresAt),
            stamp(Math.min(registered, now)),
            stamp(Math.min(registered + rng.int(0, 60) * DAY, now)),
          ].join("\t") + "\n",
        );
      });
    }

    if (organisationId !== null && rng.chance(0.2)) {
      for (let a = rng.int(1, 2); a > 0; a--) {
        const status = new Weighted<"ACTIVE" | "STOPPED" | "EXPIRED" | "PENDING" | "CREATED">([
          ["ACTIVE", 55],
          ["STOPPED", 15],
          ["EXPIRED", 10],
          ["PENDING", 10],
          ["CREATED", 10],
        ]).pick(rng);
        const created = Math.min(since + rng.int(1, 200) * DAY, now - HOUR);
        const pricing = rng.chance(0.75)
          ? { type: "LEGACY", amount: rng.pick(["99.00", "149.00", "299.00", "799.00"]), currency: "NOK" }
          : { type: "VARIABLE", suggestedMaxAmount: "2000.00", currency: "NOK" };
        const stoppedAt = status === "STOPPED" ? Math.min(created + rng.int(10, 300) * DAY, now) : null;
        agreementLines.push(
          [
            `agr_${rng.hex(20)}`,
            organisationId,
            text(clientId),
            customerNumber,
            text(rng.pick(AGREEMENT_PRODUCTS)),
            jsonValue(pricing),
            jsonValue({ type: "VIPPS" }),
            status,
            status === "CREATED" || status === "PENDING" ? rng.hex(32) : NULL,
            stamp(stoppedAt),
            stamp(created),
            stamp(stoppedAt ?? created),
          ].join("\t") + "\n",
        );
      }
    }

    if (organisationId !== null && rng.chance(0.4)) {
      for (let j = 1, n = rng.int(1, 2); j <= n; j++) {
        const productCode = `P${customerNumber}${j}`;
        const companyCode = COMPANY_CODES[organisationId] ?? `ORG${organisationId}`.slice(0, 12);
        const price = money(rng.pick(["390.00", "595.00", "790.00", "1290.00", "2450.00"]));
        productLines.push(
          [
            productCode,
            customerNumber,
            organisationId,
            companyCode,
            text(rng.pick(PRODUCT_NAMES)),
            rng.pick(PRODUCT_PAYMENT_METHODS),
            stamp(since),
            stamp(since),
          ].join("\t") + "\n",
        );
        for (let i = 0, count = rng.int(1, 4); i < count; i++) {
          const due = dueDate(now, -i);
          const paid = i > 0 || rng.chance(0.3);
          const paidAt = paid ? Math.min(Date.parse(`${due}T12:00:00Z`) - rng.int(0, 10) * DAY, now) : null;
          invoiceLines.push(
            [
              `F${invoiceNumber++}`,
              productCode,
              companyCode,
              customerNumber,
              amount(price),
              "NOK",
              due,
              paid ? "PAID" : "OPEN",
              NULL,
              stamp(paidAt),
              stamp(Date.parse(`${due}T06:00:00Z`) - 20 * DAY),
              stamp(paidAt ?? Date.parse(`${due}T06:00:00Z`) - 20 * DAY),
            ].join("\t") + "\n",
          );
        }
      }
    }
  }

  const giftCardLines: string[] = [];
  for (let g = 0; g < 60; g++) {
    const expired = rng.chance(0.15);
    giftCardLines.push(
      [
        `GC-${1000 + g}-${rng.digits(4)}`,
        id(orgs.length ? orgs[g % orgs.length] : null),
        amount(money(rng.pick(["0.00", "37.50", "50.00", "100.00", "250.00", "500.00", "1000.00"]))),
        "NOK",
        stamp(expired ? day(-rng.int(1, 120)) : day(rng.int(60, 1000))),
        stamp(day(-rng.int(130, 700))),
        stamp(day(-rng.int(0, 120))),
      ].join("\t") + "\n",
    );
  }

  await db.transaction(async (tx) => {
    await tx.copy("customers", ["customer_number", "name", "email", "password_hash", "organisation_id", "created_at"], customerLines.join(""));
    await tx.copy(
      "recurring_payments",
      [
        "organisation_id",
        "client_id",
        "customer_number",
        "nickname",
        "is_primary",
        "recurring_status",
        "payment_type",
        "masked_pan",
        "pan_hash",
        "card_expires_at",
        "expires_at",
        "created_at",
        "updated_at",
      ],
      recurringLines.join(""),
    );
    await tx.copy(
      "payment_agreements",
      [
        "agreement_id",
        "organisation_id",
        "client_id",
        "customer_number",
        "product_name",
        "pricing",
        "provider",
        "status",
        "confirmation_token",
        "stopped_at",
        "created_at",
        "updated_at",
      ],
      agreementLines.join(""),
    );
    await tx.copy(
      "gift_cards",
      ["gift_card_code", "organisation_id", "balance", "currency", "expires_at", "created_at", "updated_at"],
      giftCardLines.join(""),
    );
    await tx.copy(
      "products",
      ["product_code", "customer_number", "organisation_id", "company_code", "name", "current_payment_method", "created_at", "updated_at"],
      productLines.join(""),
    );
    await tx.copy(
      "customer_invoices",
      [
        "invoice_number",
        "product_code",
        "company_code",
        "customer_number",
        "amount",
        "currency",
        "due_date",
        "status",
        "paid_transaction_id",
        "paid_at",
        "created_at",
        "updated_at",
      ],
      invoiceLines.join(""),
    );
  });
  return {
    customers: customerLines.length,
    recurringPayments: recurringLines.length,
    paymentAgreements: agreementLines.length,
    giftCards: giftCardLines.length,
    products: productLines.length,
    customerInvoices: invoiceLines.length,
    disabledPaymentMethods: disabled,
  };
}

/** Letters and digits (no long digit runs that a PAN scanner would flag). */
function token(rng: Rng, length: number): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[rng.u32() % alphabet.length];
  return out;
}

function ascii(value: string): string {
  return value
    .toLowerCase()
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/å/g, "a")
    .replace(/[^a-z0-9.]/g, "");
}

/** The last millisecond of the month `months` from `now`'s month (UTC). */
function endOfMonth(now: number, months: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 1) - 1;
}

/** The 20th of the month `months` from now, as a date string. */
function dueDate(now: number, months: number): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 20)).toISOString().slice(0, 10);
}
