// Bulk mode (PostgreSQL only): the non-unique secondary indexes and the foreign keys of the
// tables the generator writes are dropped before a big run and rebuilt after it; what was
// dropped is saved first, so a run that died half-way is repaired by the next one.
import type { BulkDb } from "./copy";

const WRITTEN_TABLES = ["payments", "payment_transactions", "operation_log", "credits", "credit_transactions"];
/** The tables above as a SQL list of regclasses, for `… in (…)`. */
const WRITTEN_TABLES_SQL = WRITTEN_TABLES.map((t) => `'${t}'::regclass`).join(", ");

const DROPPED_KEY = "seed:dropped-indexes";
/**
 * Sort memory of one index build; two run at once. Restoring the indexes of a million payments
 * took 29.8–30.3 s with 256 MB and 27.8 s with 512 MB and one process a lane; 1 GB was no faster.
 */
const INDEX_BUILD_MEMORY = "512MB";
type Dropped = { indexes: { name: string; def: string }[]; foreignKeys: { name: string; tbl: string; def: string }[] };

/**
 * Bulk mode: drops the foreign keys and the non-unique secondary indexes of the tables the
 * generator writes. Primary keys and unique indexes stay, so every rule they back (one CAPTURE
 * per transaction, one payment per order and version, unique imports…) holds throughout. The
 * definitions are first saved in app_settings, in the same transaction, so that a run that
 * dies half-way is repaired by the next one (restoreDroppedIndexes).
 */
export async function dropSecondaryIndexes(db: BulkDb): Promise<void> {
  await db.transaction(async (tx) => {
    const foreignKeys = await tx.query<{ name: string; tbl: string; def: string }>(
      `select quote_ident(conname) as name, conrelid::regclass::text as tbl, pg_get_constraintdef(oid) as def
         from pg_constraint where contype = 'f' and conrelid in (${WRITTEN_TABLES_SQL}) order by conrelid, conname`,
    );
    const indexes = await tx.query<{ name: string; def: string }>(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
         from pg_index i
        where i.indrelid in (${WRITTEN_TABLES_SQL}) and not i.indisprimary and not i.indisunique
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
 * Recreates what dropSecondaryIndexes saved, then forgets the record. Idempotent.
 *
 * Two lanes on a server (each build sorts its whole table and keeps a core busy), fed longest
 * first: the indexes of the biggest tables, and GIN before btree, so the last builds are short
 * and the two lanes end together. The foreign keys come back NOT VALID first (instant: no row is
 * read), then each is validated in the lanes after the builds: VALIDATE CONSTRAINT reads its table
 * under a lock that lets other tables' validations and every reader run beside it, where ADD
 * CONSTRAINT would check every row under a lock that queues the next one.
 */
export async function restoreDroppedIndexes(db: BulkDb, onStart?: () => void): Promise<boolean> {
  const [saved] = await db.query<{ value: Dropped | string }>("select value from app_settings where key = $1", [
    DROPPED_KEY,
  ]);
  if (!saved) return false;
  onStart?.();
  const dropped: Dropped = typeof saved.value === "string" ? JSON.parse(saved.value) : saved.value;
  const sizes = new Map(
    (
      await db.query<{ name: string; size: string | number }>(
        `select c.oid::regclass::text as name, pg_table_size(c.oid) as size from pg_class c
          where c.oid in (${WRITTEN_TABLES_SQL})`,
      )
    ).map((row) => [row.name, Number(row.size)]),
  );
  // A GIN build (trigrams) costs about three btree builds of the same table.
  const cost = (def: string) =>
    (sizes.get(/ ON (?:ONLY )?(?:public\.)?(\S+) /.exec(def)?.[1] ?? "") ?? 0) * (/ USING gin /i.test(def) ? 3 : 1);
  const builds = dropped.indexes
    .map((index) => index.def.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "))
    .sort((a, b) => cost(b) - cost(a));

  for (const fk of dropped.foreignKeys) {
    const [exists] = await db.query(
      "select 1 from pg_constraint where conrelid = $1::regclass and quote_ident(conname) = $2",
      [fk.tbl, fk.name],
    );
    if (!exists) await db.query(`alter table ${fk.tbl} add constraint ${fk.name} ${fk.def} not valid`);
  }
  const validations = (
    await db.query<{ tbl: string; name: string }>(
      `select conrelid::regclass::text as tbl, quote_ident(conname) as name from pg_constraint
        where contype = 'f' and not convalidated and conrelid in (${WRITTEN_TABLES_SQL})`,
    )
  ).map((fk) => `alter table ${fk.tbl} validate constraint ${fk.name}`);

  // Each build sorts its whole table: with the server's default maintenance_work_mem (64 MB) the
  // biggest (operation_log at a million payments: four million rows) spill to disk in many runs.
  const queue = [...builds, ...validations];
  const lane = async () => {
    for (let statement = queue.shift(); statement; statement = queue.shift()) {
      const run = statement;
      await db.transaction(async (tx) => {
        await tx.query(`set local maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`);
        // The lanes are the parallelism: PostgreSQL's own parallel build workers (two by default)
        // on top of two lanes only compete for the same cores.
        await tx.query("set local max_parallel_maintenance_workers = 0");
        await tx.query(run);
      });
    }
  };
  await Promise.all([lane(), lane()]);
  await db.query("delete from app_settings where key = $1", [DROPPED_KEY]);
  return true;
}
