// Carrying a database's data from embedded PGlite to a PostgreSQL server (README: "When to move
// off PGlite"; docs/decisions/046). The export is a directory: one CSV file per table (COPY's own
// format, so every value comes back exactly as it was, numerics included) and manifest.json with
// the table order, the row counts, the sequences' positions and which migrations made the schema.
// The import checks that the server's database is migrated to the same point and holds no data
// of its own, then loads every table and the sequences in one transaction: all or nothing.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { DatabaseHandle } from "./client";

export type Manifest = {
  format: "paydesk-export/1";
  exportedAt: string;
  /** How many migrations made the schema, and the last one's hash: the import needs the same. */
  migrations: { count: number; last: string | null };
  /** Parents before children (foreign keys), so the import loads them in this order. */
  tables: { name: string; rows: number }[];
  sequences: { name: string; lastValue: string | null }[];
};

/** Tables whose rows mean "this database is in use": the import refuses to overwrite them. */
const IN_USE_TABLES = ["payments", "staff_users", "api_clients"];

type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>;

function queryOf(handle: DatabaseHandle): Query {
  if (handle.pglite) {
    const client = handle.pglite;
    return async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows;
  }
  const pg = handle.pg!;
  return async <T>(text: string, params?: unknown[]) => (await pg.unsafe(text, params as never[])) as unknown as T[];
}

/** The public tables, each after every table its foreign keys point to. */
async function tablesInOrder(query: Query): Promise<string[]> {
  const tables = (
    await query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`)
  ).map((row) => row.name);
  const edges = await query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid`,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const edge of edges) if (edge.child === table) visit(edge.parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

async function migrationLevel(query: Query): Promise<Manifest["migrations"]> {
  const [row] = await query<{ count: number | string; last: string | null }>(
    `select count(*) as count, (select hash from drizzle.__drizzle_migrations order by created_at desc, id desc limit 1) as last
       from drizzle.__drizzle_migrations`,
  );
  return { count: Number(row.count), last: row.last };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Writes every table of an embedded (PGlite) database to `dir` as CSV, with manifest.json. */
export async function exportDatabase(handle: DatabaseHandle, dir: string): Promise<Manifest> {
  if (!handle.pglite) throw new Error("db:export reads the embedded PGlite database; for a server use pg_dump.");
  const client = handle.pglite;
  const query = queryOf(handle);
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(path.join(dir, "manifest.json")))
    throw new Error(`${dir} already holds an export; choose another directory.`);
  const tables: Manifest["tables"] = [];
  const order = await tablesInOrder(query);
  // One snapshot for every table: rows that point at each other come out consistent. (Inside,
  // only `tx`: PGlite's one connection is the transaction's until it ends.)
  await client.transaction(async (tx) => {
    await tx.exec("set transaction isolation level repeatable read");
    for (const name of order) {
      const result = await tx.query(`copy ${quote(name)} to '/dev/blob' with (format csv, header true)`);
      const bytes = Buffer.from(await result.blob!.arrayBuffer());
      fs.writeFileSync(path.join(dir, `${name}.csv`), bytes);
      const [count] = (await tx.query<{ n: number | string }>(`select count(*) as n from ${quote(name)}`)).rows;
      tables.push({ name, rows: Number(count.n) });
    }
  });
  const sequences = (
    await query<{ name: string; last: string | number | null }>(
      `select sequencename as name, last_value as last from pg_sequences where schemaname = 'public' order by 1`,
    )
  ).map((row) => ({ name: row.name, lastValue: row.last === null ? null : String(row.last) }));
  const manifest: Manifest = {
    format: "paydesk-export/1",
    exportedAt: new Date().toISOString(),
    migrations: await migrationLevel(query),
    tables,
    sequences,
  };
  fs.writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Loads an export into a migrated PostgreSQL database that holds no data of its own (what the
 * migrations put in is replaced). One transaction: a failure leaves the database as it was.
 */
export async function importDatabase(handle: DatabaseHandle, dir: string): Promise<Manifest> {
  if (!handle.pg) throw new Error("db:import loads into a PostgreSQL server: set DATABASE_URL.");
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${dir} holds no export (no manifest.json).`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
  if (manifest.format !== "paydesk-export/1") throw new Error(`${manifestFile} is not a Paydesk export.`);
  const query = queryOf(handle);
  const level = await migrationLevel(query);
  if (level.count !== manifest.migrations.count || level.last !== manifest.migrations.last)
    throw new Error(
      `The export was made at migration ${manifest.migrations.count} and this database is at ${level.count}: ` +
        "run the same Paydesk version on both sides.",
    );
  for (const table of IN_USE_TABLES) {
    const [row] = await query<{ used: boolean }>(`select exists (select 1 from ${quote(table)}) as used`);
    if (row.used)
      throw new Error(`The database already has data (${table} is not empty): import into a new, empty database.`);
  }
  await handle.pg.begin(async (tx) => {
    const names = manifest.tables.map((table) => quote(table.name)).join(", ");
    await tx.unsafe(`truncate ${names} restart identity cascade`);
    for (const table of manifest.tables) {
      const copy = await tx.unsafe(`copy ${quote(table.name)} from stdin with (format csv, header true)`).writable();
      await pipeline(fs.createReadStream(path.join(dir, `${table.name}.csv`)), copy);
      const [count] = await tx.unsafe(`select count(*)::bigint as n from ${quote(table.name)}`);
      if (Number(count.n) !== table.rows)
        throw new Error(`${table.name}: ${count.n} rows loaded, the export has ${table.rows}.`);
    }
    for (const sequence of manifest.sequences)
      await tx.unsafe(
        sequence.lastValue === null ? `select setval($1, 1, false)` : `select setval($1, $2::bigint, true)`,
        sequence.lastValue === null ? [quote(sequence.name)] : [quote(sequence.name), sequence.lastValue],
      );
  });
  return manifest;
}
