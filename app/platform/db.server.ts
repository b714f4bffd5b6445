// The process's database handle. A `.server` module, so the browser bundle never follows the
// import into db/client (postgres.js, PGlite). Use-cases and queries read `db()` and write
// through `inTransaction` (transaction.server.ts); nobody passes a handle around. Staff screens'
// queries read `readDb()`: a read replica when DATABASE_READ_URL names one and the request may
// read from it (read-replica.server.ts), the primary otherwise.
import { getDatabase, setDatabase, type DatabaseHandle } from "../../db/client";

export { db, readDb } from "../../db/client";

/**
 * Runs `work` with `handle` as the process's database and puts the previous one back after it:
 * for entry points that open a database of their own (the demo seed on a fresh database, test
 * set-up on a shared one) and then call use-cases. Not for concurrent work on two databases.
 */
export async function withDatabase<T>(handle: DatabaseHandle, work: () => Promise<T>): Promise<T> {
  let previous: DatabaseHandle | undefined;
  try {
    previous = getDatabase();
  } catch {
    previous = undefined;
  }
  if (previous === handle) return work();
  setDatabase(handle);
  try {
    return await work();
  } finally {
    setDatabase(previous);
  }
}
