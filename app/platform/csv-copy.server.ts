// CSV exports straight out of the database (decision 044). The select does all the formatting
// (sqlAmount, sqlInstant, sqlCsvText below) and PostgreSQL writes the CSV with COPY, so no row
// ever becomes a JavaScript object: on a server the bytes stream from `COPY … TO STDOUT` to the
// response as the client takes them (memory bounded by the socket's buffers); on embedded PGlite
// `COPY … TO '/dev/blob'` hands back the file as one Blob, which is streamed out from there.
//
// COPY takes no bind parameters, so the select's parameters are written into its text as
// literals here, each quoted as an escape-string literal; only plain values are accepted.
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Readable } from "node:stream";
import type postgres from "postgres";
import { getDatabase } from "../../db/client";

const dialect = new PgDialect();

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return `${value}`;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("A COPY parameter must be a finite number");
    return `${value}`;
  }
  const text = value instanceof Date ? value.toISOString() : value;
  if (typeof text !== "string") throw new Error(`A COPY parameter cannot be a ${typeof value}`);
  if (text.includes("\0")) throw new Error("A COPY parameter cannot hold a NUL character");
  return `E'${text.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/** The select's text with its parameters written in as literals (COPY has no parameters). */
export function inlinedSql(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // Placeholders are $1…$n in the text drizzle generated; literals in it never hold a `$digit`.
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

/** COPY of `select` as CSV with a header line of its column names. */
export function copyStatement(select: SQL, target: "STDOUT" | "'/dev/blob'"): string {
  return `COPY (${inlinedSql(select)}) TO ${target} WITH (FORMAT csv, HEADER)`;
}

/** The CSV of `select` as a byte stream, pulled from the database as the reader reads. */
export async function copyCsv(select: SQL): Promise<AsyncIterable<Uint8Array>> {
  const handle = getDatabase();
  if (handle.pg) return copyFromServer(handle.pg, copyStatement(select, "STDOUT"));
  if (!handle.pglite) throw new Error("No database client for COPY");
  const result = await handle.pglite.query(copyStatement(select, "'/dev/blob'"));
  const blob = result.blob ?? new Blob([]);
  return blob.stream() as unknown as AsyncIterable<Uint8Array>;
}

/**
 * COPY on a connection of its own, without the pool's statement timeout (a million rows take
 * longer than any one request's statement may), put back when the stream ends or is abandoned.
 */
async function copyFromServer(pool: postgres.Sql, statement: string): Promise<AsyncIterable<Uint8Array>> {
  const connection = await pool.reserve();
  let readable: Readable;
  try {
    await connection.unsafe("set statement_timeout = 0");
    readable = await connection.unsafe(statement).readable();
  } catch (error) {
    connection.release();
    throw error;
  }
  return (async function* () {
    let finished = false;
    try {
      for await (const chunk of readable) yield chunk as Uint8Array;
      finished = true;
    } finally {
      if (finished) await connection.unsafe("reset statement_timeout");
      // Abandoned halfway (the download was cancelled): stop reading the COPY before the
      // connection goes back to the pool.
      else readable.destroy();
      connection.release();
    }
  })();
}

// ---------------------------------------------------------------- formatting in SQL

/** An amount as the screens write it: at least two decimals, no trailing zeros beyond (12.50, 0.125). */
export const sqlAmount = (value: SQL) =>
  sql`(case when scale(trim_scale(${value})) < 2 then round(${value}, 2)::text else trim_scale(${value})::text end)`;

/** An instant as ISO 8601 in UTC with milliseconds, like Date.toISOString(). */
export const sqlInstant = (value: SQL) => sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe; decimal numbers such as -12.50 stay as they are (app/http/staff/csv.server.ts).
 */
export const sqlCsvText = (value: SQL) =>
  sql`(case when ${value} ~ '^[-=+@\t\r]' and ${value} !~ '^-?[0-9]+([.][0-9]+)?$' then '''' || ${value} else ${value} end)`;

/** A boolean as true/false (COPY would write t/f). */
export const sqlBoolean = (value: SQL) => sql`(case when ${value} then 'true' else 'false' end)`;
