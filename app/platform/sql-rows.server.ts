// The rows of a hand-written statement (database.execute), whichever driver answers it.
import type { SQL } from "drizzle-orm";
import type { Db } from "../../db/client";

/**
 * Runs `query` and answers its rows as the database named its columns, unconverted: postgres.js
 * answers an array of rows, PGlite an object with `rows`; bigint columns come as strings from the
 * one and as numbers from the other (Number() them). For statements whose query-builder form
 * costs more to build than they take to run (docs/decisions/054).
 */
export async function rowsOf<Row>(database: Db, query: SQL): Promise<Row[]> {
  const result = await database.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[];
}
