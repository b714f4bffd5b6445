// Which of the migrations in migrations/ the database has not applied yet, read the way
// drizzle's migrator decides it: every journal entry newer than the last one it recorded.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Db } from "./client";

const JOURNAL = fileURLToPath(new URL("../migrations/meta/_journal.json", import.meta.url));

type Journal = { entries: { tag: string; when: number }[] };
let journal: Journal | undefined;

function readJournal(): Journal {
  journal ??= JSON.parse(fs.readFileSync(JOURNAL, "utf8")) as Journal;
  return journal;
}

/** Tags of the migrations this code expects but the database lacks (all of them on a new database). */
export async function pendingMigrations(database: Db): Promise<string[]> {
  const { entries } = readJournal();
  const exists = await database.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!firstRow<{ present: boolean }>(exists)?.present) return entries.map((e) => e.tag);
  const last = await database.execute(sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`);
  const appliedUpTo = Number(firstRow<{ last: string | null }>(last)?.last ?? 0);
  return entries.filter((e) => e.when > appliedUpTo).map((e) => e.tag);
}

/** postgres.js answers an array of rows, PGlite an object with `rows`. */
function firstRow<T>(result: unknown): T | undefined {
  const rows = Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows;
  return rows?.[0] as T | undefined;
}
