// Applies the drizzle-kit migrations in migrations/ at start-up, on either driver.
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { DatabaseHandle } from "./client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

/** Arbitrary constant: serialises migrations when several instances start at once. */
const MIGRATION_LOCK_ID = 726_337_501;

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, config);
    return;
  }
  // A session-level advisory lock on one reserved connection makes a second instance that
  // starts at the same moment wait, then find nothing left to apply.
  const connection = await handle.pg!.reserve();
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, config);
  } finally {
    await connection`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    connection.release();
  }
}
