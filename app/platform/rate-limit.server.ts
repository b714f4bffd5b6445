// Fixed-window counters in PostgreSQL, so that every app instance shares them.
import { and, eq, lt, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { rateLimits } from "../../db/schema";

export type Window = { key: string; limit: number; windowSeconds: number };
export type RateState = { allowed: boolean; count: number; retryAfterSeconds: number };

function windowStart(windowSeconds: number, now: number): Date {
  const size = windowSeconds * 1000;
  return new Date(Math.floor(now / size) * size);
}

function retryAfter(start: Date, windowSeconds: number, now: number): number {
  return Math.max(1, Math.ceil((start.getTime() + windowSeconds * 1000 - now) / 1000));
}

/** Counts one hit and tells whether it is still within the limit. */
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
  return { allowed: row.count <= limit, count: row.count, retryAfterSeconds: retryAfter(start, windowSeconds, now) };
}

/** Reads a counter without counting. */
export async function peekRateLimit({ key, limit, windowSeconds }: Window, now = Date.now()): Promise<RateState> {
  const start = windowStart(windowSeconds, now);
  const [row] = await db()
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, start)));
  const count = row?.count ?? 0;
  return { allowed: count < limit, count, retryAfterSeconds: retryAfter(start, windowSeconds, now) };
}

/** Drops windows that ended more than a day ago. */
export async function pruneRateLimits(now = Date.now()): Promise<void> {
  await db()
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now - 86_400_000)));
}
