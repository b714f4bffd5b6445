// The frame the command-line tools (db/cli.ts, db/seed-cli.ts) share: the database the
// environment names (DATABASE_URL, or the embedded one in PAYDESK_DATA_DIR), migrated, and one
// way to say that a command could not be done.
import { openDatabase, optionsFromEnv, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";

/** Opens and migrates the database, hands it to `work` and closes it again, whatever happens. */
export async function withMigratedDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(optionsFromEnv());
  try {
    await migrateDatabase(handle);
    return await work(handle);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Prints why a command could not be done (e.g. the embedded database is in use); its exit code. */
export function commandFailed(error: unknown): 1 {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
