// Writing rows fast: bulk database access (plain queries, COPY … FROM, transactions) over
// postgres.js or PGlite, the COPY text encoders, and the CopyWriter that encodes rows straight
// into byte buffers.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type postgres from "postgres";
import type { DatabaseHandle } from "../client";
import { toDbAmount, type Money } from "../../app/domain/money";
import type { Rng } from "./prng";
import { DAY, utcDate } from "./time";

type SqlRow = Record<string, unknown>;

export interface SqlRunner {
  query<T = SqlRow>(text: string, params?: unknown[]): Promise<T[]>;
  /** COPY … FROM in text format; `data` is complete lines. */
  copy(table: string, columns: readonly string[], data: string | Buffer): Promise<void>;
}

export interface BulkDb extends SqlRunner {
  transaction(work: (tx: SqlRunner) => Promise<void>): Promise<void>;
}

export function bulkDb(handle: DatabaseHandle): BulkDb {
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
      await c.query(`copy ${table} (${columns.join(", ")}) from '/dev/blob'`, [], {
        blob: new Blob([data as string | Uint8Array<ArrayBuffer>]),
      });
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
export const NULL = "\\N";
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
export function text(value: string | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}
export function amount(value: Money | null): string {
  return value === null ? NULL : toDbAmount(value);
}
export function stamp(ms: number | null): string {
  return ms === null ? NULL : new Date(ms).toISOString();
}
export function flag(value: boolean | null): string {
  return value === null ? NULL : value ? "t" : "f";
}
export function jsonValue(value: unknown): string {
  return value === null || value === undefined ? NULL : text(JSON.stringify(value));
}
export function id(value: number | null): string {
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
export class CopyWriter {
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

/** The UUIDv7 of CopyWriter.uuid7 as a string, for a correlation id shared by several rows. */
export function uuid7String(ms: number, rng: Rng): string {
  scratch.clear();
  scratch.uuid7(ms, rng);
  return scratch.data().toString("latin1", 0, 36);
}
