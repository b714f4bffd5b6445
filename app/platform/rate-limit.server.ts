// The /v1 rate limit in PostgreSQL (`rate_limits`), so that every app instance shares it: fixed
// windows, one counter row per client and minute, one upsert per request. Cheap on the hot path; a
// client may burst up to twice its limit across a minute's edge, which a per-minute request budget
// tolerates. (Failed logins have throttling of their own: app/auth/login-throttle.server.ts.)
import { lt, sql } from "drizzle-orm";
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

/** Drops windows older than a day. */
export async function pruneRateLimits(now = Date.now()): Promise<void> {
  await db()
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now - 86_400_000)));
}
