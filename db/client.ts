// One database handle per process: postgres.js when DATABASE_URL is set, otherwise embedded
// PGlite persisted in PAYDESK_DATA_DIR (or in memory for tests). The handle lives on globalThis
// so that the server entry (run by tsx) and the Remix server bundle, which each load their own
// copy of this module, share one connection pool and, for PGlite, one database instance.
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
  /** The embedded PGlite client, when embedded (for COPY … TO '/dev/blob'). */
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
  /** PGlite data directory root (the database goes in `<dir>/pglite`). */
  dataDir?: string;
  /** PGlite in memory: nothing persisted (tests). */
  inMemory?: boolean;
  /**
   * PGlite: start from this dump of a data directory (`PGlite.dumpDataDir()`) instead of an empty
   * database; the tests' template, migrated once per run. A `dataDir` must not hold a database yet.
   */
  loadDataDir?: Blob;
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
    return { url: env.DATABASE_URL, ...(Number.isInteger(pool) && pool > 0 && { maxConnections: pool }) };
  }
  return { dataDir: env.PAYDESK_DATA_DIR || "./data" };
}

export async function openDatabase(options: OpenOptions = optionsFromEnv()): Promise<DatabaseHandle> {
  if (options.url) {
    const timeouts = options.timeouts;
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      ...(timeouts && {
        connect_timeout: Math.max(1, Math.ceil(timeouts.connectMs / 1000)),
        // Startup parameters: every pooled connection has them from its first statement on.
        connection: {
          application_name: "paydesk",
          statement_timeout: timeouts.statementMs,
          lock_timeout: timeouts.lockMs,
          idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        },
      }),
      // A numeric must never become a JS number; postgres.js already returns it as a string.
    });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      kind: "postgres",
      location: redactUrl(options.url),
      pg: client,
      listen: async (channel, onNotify, onListen) => {
        const { unlisten } = await client.listen(channel, onNotify, onListen);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.inMemory) {
    const client = new PGlite({ ...PGLITE_OPTIONS, loadDataDir: options.loadDataDir });
    await client.waitReady;
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: "pglite",
      pglite: client,
      location: "memory",
      listen: (channel, onNotify, onListen) => listenPglite(client, channel, onNotify, onListen),
      close: () => client.close(),
    };
  }
  const dataDir = path.resolve(options.dataDir ?? "./data");
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireLock(dataDir);
  try {
    const client = new PGlite(path.join(dataDir, "pglite"), { ...PGLITE_OPTIONS, loadDataDir: options.loadDataDir });
    await client.waitReady;
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: "pglite",
      pglite: client,
      location: dataDir,
      listen: (channel, onNotify, onListen) => listenPglite(client, channel, onNotify, onListen),
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
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
