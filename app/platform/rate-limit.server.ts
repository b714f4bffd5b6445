// Rate limits in PostgreSQL (`rate_limits`), so that every app instance shares them. Two kinds:
//
// - Fixed windows for the /v1 rate limit: one counter row per client and minute, one upsert per
//   request. Cheap on the hot path; a client may burst up to twice its limit across a minute's edge,
//   which a per-minute request budget tolerates.
// - A sliding window for failed logins: one row per failure (`window_start` is the failure's time),
//   counted over the last `windowSeconds`. Ten failures lock an account whether or not a
//   wall-clock boundary falls among them; failures are rare, so the rows stay few.
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { rateLimits } from "../../db/schema";

export type Window = { key: string; limit: number; windowSeconds: number };
export type RateState = { allowed: boolean; count: number; retryAfterSeconds: number };

function windowStart(windowSeconds: number, now: number): Date {
  const size = windowSeconds * 1000;
  return new Date(Math.floor(now / size) * size);
}

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));

/** Counts one request in the current fixed window and tells whether it is still within the limit. */
export async function hitRateLimit({ key, limit, windowSeconds }: Window, now = Date.now()): Promise<RateState> {
  const start = windowStart(windowSeconds, now);
  const [row] = await db()
    .insert(rateLimits)
    .values({ key, windowStart: start, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  return {
    allowed: row.count <= limit,
    count: row.count,
    retryAfterSeconds: secondsUntil(start.getTime() + windowSeconds * 1000, now),
  };
}

/** Records one event (a failed login) at `now`, for the sliding window of `key`. */
export async function recordSlidingHit(key: string, now = Date.now()): Promise<void> {
  await db()
    .insert(rateLimits)
    .values({ key, windowStart: new Date(now), count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    });
}

/**
 * The events of `key` in the last `windowSeconds`: allowed while fewer than `limit`; when not,
 * `retryAfterSeconds` is how long until enough of them have aged out of the window.
 */
export async function peekSlidingLimit({ key, limit, windowSeconds }: Window, now = Date.now()): Promise<RateState> {
  const size = windowSeconds * 1000;
  const hits = await db()
    .select({ at: rateLimits.windowStart, count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.windowStart, new Date(now - size))))
    .orderBy(asc(rateLimits.windowStart));
  const count = hits.reduce((sum, hit) => sum + hit.count, 0);
  if (count < limit) return { allowed: true, count, retryAfterSeconds: 0 };
  // Allowed again once the count is below the limit: when the hit that brings it there ages out.
  let left = count;
  let until = now + size;
  for (const hit of hits) {
    left -= hit.count;
    if (left < limit) {
      until = hit.at.getTime() + size;
      break;
    }
  }
  return { allowed: false, count, retryAfterSeconds: secondsUntil(until, now) };
}

/** Drops windows and events older than a day. */
export async function pruneRateLimits(now = Date.now()): Promise<void> {
  await db()
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now - 86_400_000)));
}
