// One database handle per process: postgres.js when DATABASE_URL is set, otherwise embedded
// PGlite persisted in PAYDESK_DATA_DIR (or in memory for tests). The handle lives on globalThis
// so that the server entry (run by tsx) and the Remix server bundle, which each load their own
// copy of this module, share one connection pool and, for PGlite, one database instance.
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The `tx` that `db.transaction(async (tx) => …)` hands to its callback. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DatabaseHandle = {
  db: Db;
  kind: "postgres" | "pglite";
  /** Where the data lives, for log lines: the URL without password, or the directory. */
  location: string;
  /** The raw postgres.js client, when on a server (for session-level advisory locks). */
  pg?: postgres.Sql;
  /**
   * A read replica of the same database (DATABASE_READ_URL), for staff screens and exports:
   * `readDb()` answers it where the request allows (docs/decisions/045). Never written to.
   */
  replica?: { db: Db; pg: postgres.Sql; location: string };
  /**
   * PGlite: the same database for staff page reads, refusing a statement whose planned cost is
   * above a budget before it runs (docs/decisions/046). PGlite runs a query to its end on the
   * server's only thread, so one very broad search would stop every other request meanwhile.
   */
  boundedReads?: Db;
  /** The raw PGlite instance, when embedded (COPY … TO '/dev/blob': db/transfer.ts, CSV exports). */
  pglite?: PGlite;
  /**
   * LISTEN on a channel: `onNotify` for each NOTIFY, `onListen` each time the listening starts
   * (again, after a reconnect: what was notified meanwhile is lost). Answers how to stop.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

/** PGlite's LISTEN: one in-process database, so the listening never drops. */
async function listenPglite(
  client: PGlite,
  channel: string,
  onNotify: (payload: string) => void,
  onListen: () => void,
): Promise<() => Promise<void>> {
  const stop = await client.listen(channel, onNotify);
  onListen();
  return stop;
}

export type OpenOptions = {
  /** postgres:// URL; wins over everything else. */
  url?: string;
  /** postgres:// URL of a streaming replica of `url`'s database, for staff reads (with `url` only). */
  readUrl?: string;
  /** PGlite data directory root (the database goes in `<dir>/pglite`). */
  dataDir?: string;
  /** PGlite in memory: nothing persisted (tests). */
  inMemory?: boolean;
  /**
   * PGlite: start from this dump of a data directory (`PGlite.dumpDataDir()`) instead of an empty
   * database; the tests' template, migrated once per run. A `dataDir` must not hold a database yet.
   */
  loadDataDir?: Blob;
  /**
   * PGlite: the planned cost above which a staff page's read is refused (PAYDESK_PGLITE_MAX_COST;
   * 0: no limit). PostgreSQL has statement_timeout instead, which PGlite cannot enforce.
   */
  maxReadCost?: number;
  /** Connection pool size for postgres.js. */
  maxConnections?: number;
  /**
   * postgres.js: bounds on every wait, so a sick server answers with an error in seconds instead
   * of holding a request (and a pooled connection) for as long as TCP lets it. The server sets
   * them (serverTimeouts()); bulk jobs such as the seed and migrations run without.
   */
  timeouts?: DatabaseTimeouts;
};

export type DatabaseTimeouts = {
  /** Opening a connection. */
  connectMs: number;
  /** One statement on the server (PostgreSQL `statement_timeout`). */
  statementMs: number;
  /** Waiting for a row or table lock (`lock_timeout`). */
  lockMs: number;
  /** A transaction left open with nothing running (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number;
};

/** The bounds the server runs with; each can be set with PAYDESK_DB_<NAME>_TIMEOUT_MS. */
export function serverTimeouts(env: NodeJS.ProcessEnv = process.env): DatabaseTimeouts {
  const ms = (name: string, fallback: number) => {
    const value = Number.parseInt(env[`PAYDESK_DB_${name}_TIMEOUT_MS`] ?? "", 10);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    connectMs: ms("CONNECT", 3_000),
    statementMs: ms("STATEMENT", 5_000),
    lockMs: ms("LOCK", 3_000),
    idleInTransactionMs: ms("IDLE_IN_TRANSACTION", 15_000),
  };
}

/**
 * The extensions the migrations create (PGlite ships them, but loads only what it is given):
 * pg_trgm for the search's partial, case-insensitive matches (docs/decisions/030).
 */
const PGLITE_OPTIONS: PGliteOptions = { extensions: { pg_trgm } };

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Paydesk process (pid ${pid}). ` +
        `Stop the server (or that process) first, or set DATABASE_URL to use a PostgreSQL server, ` +
        `which any number of processes can share.`,
    );
    this.name = "DatabaseLockedError";
  }
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions {
  if (env.DATABASE_URL) {
    // Each request holds a connection only for its own statements (never across a provider call),
    // so the pool bounds how many requests reach the database at once, not how many are in flight.
    const pool = Number.parseInt(env.PAYDESK_DB_POOL_SIZE ?? "", 10);
    return {
      url: env.DATABASE_URL,
      ...(env.DATABASE_READ_URL && { readUrl: env.DATABASE_READ_URL }),
      ...(Number.isInteger(pool) && pool > 0 && { maxConnections: pool }),
    };
  }
  const maxCost = Number(env.PAYDESK_PGLITE_MAX_COST);
  return {
    dataDir: env.PAYDESK_DATA_DIR || "./data",
    ...(env.PAYDESK_PGLITE_MAX_COST && Number.isFinite(maxCost) && maxCost >= 0 && { maxReadCost: maxCost }),
  };
}

/** The default PAYDESK_PGLITE_MAX_COST: see README, "When to move off PGlite". */
export const DEFAULT_PGLITE_MAX_COST = 50_000;

/**
 * A staff page's read refused on PGlite for its planned cost. (Drizzle wraps what the client
 * throws, so the server learns of it through the request's store: `withReplicaReads`.)
 */
export class SearchTooBroadError extends Error {
  constructor(cost: number, limit: number) {
    super(
      "This search is too broad for the embedded database: it would read most of the data at once " +
        `(planned cost ${Math.round(cost).toLocaleString("en")}, limit ${limit.toLocaleString("en")}) and hold up ` +
        "everyone else meanwhile. Narrow it: add a filter, a shorter date range or more of the text you look for.",
    );
    this.name = "SearchTooBroadError";
  }
}

/**
 * A PGlite client whose SELECTs are first EXPLAINed: above `maxCost` planned cost, the statement
 * is refused before it runs. Planning takes a millisecond; a refused scan would take seconds.
 */
function costBounded(client: PGlite, maxCost: number): PGlite {
  const query: PGlite["query"] = async (text, params, options) => {
    if (/^\s*(select|with)\b/i.test(text)) {
      const plan = await client.query<{ "QUERY PLAN": [{ Plan: { "Total Cost": number } }] }>(
        `explain (format json) ${text}`,
        params,
      );
      const cost = plan.rows[0]?.["QUERY PLAN"][0]?.Plan["Total Cost"] ?? 0;
      if (cost > maxCost) {
        const refused = new SearchTooBroadError(cost, maxCost);
        const store = reads.getStore();
        if (store) store.refused = refused.message;
        throw refused;
      }
    }
    return client.query(text, params, options);
  };
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === "query" ? query : (Reflect.get(target, property, receiver) as unknown),
  });
}

function pgliteHandle(
  client: PGlite,
  options: OpenOptions,
  location: string,
  close: () => Promise<void>,
): DatabaseHandle {
  const maxCost = options.maxReadCost ?? DEFAULT_PGLITE_MAX_COST;
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: "pglite",
    location,
    pglite: client,
    ...(maxCost > 0 && { boundedReads: drizzlePglite(costBounded(client, maxCost), { schema }) as unknown as Db }),
    listen: (channel, onNotify, onListen) => listenPglite(client, channel, onNotify, onListen),
    close,
  };
}

export async function openDatabase(options: OpenOptions = optionsFromEnv()): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgresClient(options.url, options, "paydesk");
    const replica = options.readUrl ? postgresClient(options.readUrl, options, "paydesk-read") : undefined;
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      kind: "postgres",
      location: redactUrl(options.url),
      pg: client,
      ...(replica &&
        options.readUrl && {
          replica: {
            db: drizzlePostgres(replica, { schema }) as unknown as Db,
            pg: replica,
            location: redactUrl(options.readUrl),
          },
        }),
      listen: async (channel, onNotify, onListen) => {
        const { unlisten } = await client.listen(channel, onNotify, onListen);
        return unlisten;
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), replica?.end({ timeout: 5 })]);
      },
    };
  }
  if (options.inMemory) {
    const client = new PGlite({ ...PGLITE_OPTIONS, loadDataDir: options.loadDataDir });
    await client.waitReady;
    return pgliteHandle(client, options, "memory", () => client.close());
  }
  const dataDir = path.resolve(options.dataDir ?? "./data");
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireLock(dataDir);
  try {
    const client = new PGlite(path.join(dataDir, "pglite"), { ...PGLITE_OPTIONS, loadDataDir: options.loadDataDir });
    await client.waitReady;
    return pgliteHandle(client, options, dataDir, async () => {
      await client.close();
      releaseLock();
    });
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite is a single-process database: two processes writing one directory would corrupt it.
 * A pid file beside it turns that into a clear error; a stale file (dead pid) is taken over.
 */
function acquireLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "paydesk.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(fs.readFileSync(lockFile, "utf8"), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(dataDir, pid);
      fs.unlinkSync(lockFile); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * What a random page read costs the planner, against 1 for a sequential one. PostgreSQL's default
 * of 4 prices a spinning disk; Paydesk's tables are read from SSD or memory, where 1.1 is the
 * usual setting. With 4 the planner hashed whole tables where an index walk answers first: at a
 * million payments the header search by payment id took 174 ms instead of 2, and a count of VISA
 * captures in a week 121 ms instead of 43 (docs/decisions/061-planner-costs-for-ssd.md). Set on
 * the app's connections, so a DBA's psql session still sees the server's value.
 */
const PLANNER_COSTS = { random_page_cost: 1.1 };

/** A postgres.js pool; `applicationName` tells the primary's connections from the replica's. */
function postgresClient(url: string, options: OpenOptions, applicationName: string): postgres.Sql {
  const timeouts = options.timeouts;
  return postgres(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    ...(timeouts && { connect_timeout: Math.max(1, Math.ceil(timeouts.connectMs / 1000)) }),
    // Startup parameters: every pooled connection has them from its first statement on.
    connection: {
      ...PLANNER_COSTS,
      ...(timeouts && {
        application_name: applicationName,
        statement_timeout: timeouts.statementMs,
        lock_timeout: timeouts.lockMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      }),
    },
    // A numeric must never become a JS number; postgres.js already returns it as a string.
  });
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres";
  }
}

// ---------------------------------------------------------------- the process-wide handle

const GLOBAL_KEY = Symbol.for("paydesk.database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: DatabaseHandle };

export function setDatabase(handle: DatabaseHandle | undefined): void {
  (globalThis as GlobalWithDb)[GLOBAL_KEY] = handle;
}

export function getDatabase(): DatabaseHandle {
  const handle = (globalThis as GlobalWithDb)[GLOBAL_KEY];
  if (!handle) throw new Error("The database is not open: the server opens it at start-up (db/client.ts).");
  return handle;
}

/** The Drizzle database of this process. */
export function db(): Db {
  return getDatabase().db;
}

// ---------------------------------------------------------------- reads that may go to a replica

const READS_KEY = Symbol.for("paydesk.reads");
/** What a staff page's request may read from, and why a read was refused (PGlite's budget). */
export type ReadsStore = { replica: boolean; refused?: string };
type GlobalWithReads = typeof globalThis & { [READS_KEY]?: AsyncLocalStorage<ReadsStore> };
/** On globalThis for the same reason as the handle: the server and the Remix bundle share it. */
const reads = ((globalThis as GlobalWithReads)[READS_KEY] ??= new AsyncLocalStorage());

/**
 * Runs `work` (and everything it starts) with reads that `readDb()` may send to the replica, or
 * not. The server decides per request (app/platform/read-replica.server.ts).
 */
export function withReplicaReads<T>(replica: boolean, work: (store: ReadsStore) => T): T {
  const store: ReadsStore = { replica };
  return reads.run(store, () => work(store));
}

/**
 * The database for a staff screen's read, which may be a moment stale: inside `withReplicaReads`
 * (a staff page's request), the replica when allowed and there is one, else on PGlite the
 * cost-bounded handle; everywhere else (writes, the API, jobs, scripts) the database itself.
 */
export function readDb(): Db {
  const handle = getDatabase();
  const store = reads.getStore();
  if (!store) return handle.db;
  if (store.replica && handle.replica) return handle.replica.db;
  return handle.boundedReads ?? handle.db;
}
