// Idempotency-Key (API.md): the same key with the same request within 24 hours replays the
// stored response with no second effect; with another request it is 422; while the first is
// still running it is 409. Keys are scoped to the client.
//
// The record is claimed (IN_PROGRESS) before the use-case runs and completed after it. A claim
// whose process died is taken over after STALE_AFTER_MS; the use-cases are state-guarded, so a
// re-run after such a crash answers a conflict rather than acting twice (see decision 004).
import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { idempotencyKeys } from "../../db/schema";

const TTL_MS = 24 * 60 * 60 * 1000;
const STALE_AFTER_MS = 60 * 1000;

export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

export type IdempotencyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

export async function claimIdempotencyKey(clientId: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
  const now = new Date();
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await db()
      .insert(idempotencyKeys)
      .values({
        clientId,
        key,
        requestHash: fingerprint,
        state: "IN_PROGRESS",
        createdAt: now,
        expiresAt: new Date(now.getTime() + TTL_MS),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length) return { kind: "claimed" };

    const [existing] = await db()
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
    if (!existing) continue; // removed in between: try to claim again
    if (existing.expiresAt <= now) {
      await db()
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, now)));
      continue;
    }
    if (existing.requestHash !== fingerprint) return { kind: "mismatch" };
    if (existing.state === "DONE") {
      return {
        kind: "replay",
        response: {
          status: existing.responseStatus ?? 200,
          headers: existing.responseHeaders ?? {},
          body: existing.responseBody ?? "",
        },
      };
    }
    if (now.getTime() - existing.createdAt.getTime() < STALE_AFTER_MS) return { kind: "in_progress" };
    // The claimant is gone; take the claim over (only one taker wins the compare-and-set).
    const taken = await db()
      .update(idempotencyKeys)
      .set({ createdAt: now })
      .where(
        and(
          eq(idempotencyKeys.clientId, clientId),
          eq(idempotencyKeys.key, key),
          eq(idempotencyKeys.state, "IN_PROGRESS"),
          eq(idempotencyKeys.createdAt, existing.createdAt),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    return taken.length ? { kind: "claimed" } : { kind: "in_progress" };
  }
  return { kind: "in_progress" };
}

export async function completeIdempotencyKey(clientId: string, key: string, response: StoredResponse): Promise<void> {
  await db()
    .update(idempotencyKeys)
    .set({
      state: "DONE",
      responseStatus: response.status,
      responseHeaders: response.headers,
      responseBody: response.body,
    })
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
}

/** A server error is not an answer worth replaying: the client may retry with the same key. */
export async function releaseIdempotencyKey(clientId: string, key: string): Promise<void> {
  await db()
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, "IN_PROGRESS")));
}

export async function pruneIdempotencyKeys(): Promise<void> {
  await db().delete(idempotencyKeys).where(sql`${idempotencyKeys.expiresAt} < now()`);
}
