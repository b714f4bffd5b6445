// The /v1 rate limit: fixed windows per client and minute, one budget shared by every app
// instance (the `rate_limits` row of the window), counted in memory on the request's path.
//
// Each process counts its own requests in memory and, every FLUSH_MS while a client's window
// runs, adds them to the shared row in one statement for all its clients, reading back the total
// of every instance. A request is allowed while that total, as last read, plus this process's
// requests not yet added is within the limit: exact with one process; with several, a client may
// pass its limit by what the other processes let through in two FLUSH_MS (theirs to add it, this
// one's to read it back). Before, every request upserted the same hot row (a
// statement and a commit each, and all of a client's writers queued on one row lock); see
// docs/decisions/038. A client may still burst up to twice its limit across a minute's edge,
// which a per-minute budget tolerates. (Failed logins have throttling of their own:
// app/auth/login-throttle.server.ts.)
import { lt, sql } from "drizzle-orm";
import { getDatabase, type DatabaseHandle } from "../../db/client";
import { rateLimits } from "../../db/schema";
import { logger } from "./logger.server";

export type Window = { key: string; limit: number; windowSeconds: number };
export type RateState = { allowed: boolean; count: number; retryAfterSeconds: number };

const FLUSH_MS = 200;

type Counter = {
  windowStart: number;
  windowMs: number;
  /** The shared total as last read (every instance's, this one's added requests included). */
  shared: number;
  /** This process's requests being added right now. */
  adding: number;
  /** This process's requests not yet added. */
  pending: number;
};

type Counters = { byKey: Map<string, Counter>; timer: NodeJS.Timeout | null; failing: boolean };

/** One set of counters per open database (the tests open several in one process). */
const countersOf = new WeakMap<DatabaseHandle, Counters>();

function windowStart(windowSeconds: number, now: number): number {
  const size = windowSeconds * 1000;
  return Math.floor(now / size) * size;
}

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));

/** Counts one request in the current fixed window and tells whether it is still within the limit. */
export async function hitRateLimit({ key, limit, windowSeconds }: Window, now = Date.now()): Promise<RateState> {
  const handle = getDatabase();
  let counters = countersOf.get(handle);
  if (!counters) countersOf.set(handle, (counters = { byKey: new Map(), timer: null, failing: false }));
  const start = windowStart(windowSeconds, now);
  let counter = counters.byKey.get(key);
  if (!counter || counter.windowStart !== start) {
    // The client's first request of the window in this process is counted in the shared row at
    // once: what the other processes let through already is not known here yet (one statement a
    // client, process and window).
    counter = { windowStart: start, windowMs: windowSeconds * 1000, shared: 0, adding: 1, pending: 0 };
    counters.byKey.set(key, counter);
    try {
      const [total] = await addToShared(handle, [[key, counter]]);
      counter.shared = Math.max(counter.shared, total?.count ?? 0);
    } catch {
      counter.pending += 1; // counted at the next flush
    }
    counter.adding -= 1;
  } else counter.pending += 1;
  const count = counter.shared + counter.adding + counter.pending;
  counters.timer ??= setTimeout(() => void flush(handle, counters), FLUSH_MS).unref();
  return {
    allowed: count <= limit,
    count,
    retryAfterSeconds: secondsUntil(start + windowSeconds * 1000, now),
  };
}

/** Adds each counter's `adding` to its shared row, in one statement; answers the totals. */
function addToShared(handle: DatabaseHandle, entries: [string, Counter][]) {
  return handle.db
    .insert(rateLimits)
    .values(entries.map(([key, c]) => ({ key, windowStart: new Date(c.windowStart), count: c.adding })))
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + excluded.count` },
    })
    .returning({ key: rateLimits.key, windowStart: rateLimits.windowStart, count: rateLimits.count });
}

/** Adds every counter's new requests to the shared rows in one statement and reads the totals back. */
async function flush(handle: DatabaseHandle, counters: Counters): Promise<void> {
  counters.timer = null;
  // Every counter of a window still running, also one with nothing new: its +0 reads back what
  // the other processes let through meanwhile.
  const now = Date.now();
  const adding = [...counters.byKey].filter(([, c]) => c.pending > 0 || c.windowStart + c.windowMs > now);
  if (!adding.length) return;
  for (const [, c] of adding) {
    c.adding = c.pending;
    c.pending = 0;
  }
  try {
    const totals = await addToShared(handle, adding);
    for (const [key, c] of adding) {
      const total = totals.find((t) => t.key === key && t.windowStart.getTime() === c.windowStart);
      if (total) c.shared = total.count;
      c.adding = 0;
    }
    counters.failing = false;
  } catch (error) {
    // Counted again at the next flush; meanwhile this process still counts them. No flush is
    // planned from here: the next request plans one (a closed database is not asked forever).
    for (const [, c] of adding) {
      c.pending += c.adding;
      c.adding = 0;
    }
    if (!counters.failing)
      logger.warn("rate-limit counts not shared", { error: String((error as { cause?: unknown }).cause ?? error) });
    counters.failing = true;
    return;
  }
  // Windows that are over and fully added are dropped; a new request starts the next one.
  const current = Date.now();
  for (const [key, c] of counters.byKey) {
    if (c.pending === 0 && c.adding === 0 && c.windowStart + c.windowMs <= current) counters.byKey.delete(key);
  }
  if (counters.byKey.size) counters.timer ??= setTimeout(() => void flush(handle, counters), FLUSH_MS).unref();
}

/** Drops windows older than a day. */
export async function pruneRateLimits(now = Date.now()): Promise<void> {
  await getDatabase()
    .db.delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now - 86_400_000)));
}
