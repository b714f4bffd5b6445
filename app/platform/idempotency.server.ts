// Idempotency-Key (the /v1 contract): the same key with the same request within 24 hours replays the
// stored response with no second effect; with another request it is 422; while the first is
// still running it is 409. Keys are scoped to the client.
//
// The record is claimed (IN_PROGRESS) before the use-case runs and completed after it. Every
// database transaction the request runs marks the record inside itself (effect_committed_at),
// so the mark commits exactly when the effect does. A claim whose process died (older than any
// request may run, staleAfterMs) is taken over only if it has no mark (nothing happened: run it);
// a marked one is never run again, so a crash between the effect and the stored answer cannot act
// twice (decision 016), unless its effect was claiming provider operations (decision 019): then
// running it again resumes those operations (by this key) instead of acting twice, and answers
// their outcome.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { idempotencyKeys, providerOperations } from "../../db/schema";
import { requestDeadlineMs } from "./request-deadline";

const TTL_MS = 24 * 60 * 60 * 1000;
/**
 * When an IN_PROGRESS claim surely belongs to a request that no longer runs: no /v1 request
 * outlives its deadline (it answers 503 and releases its key then), so a claim older than that,
 * plus a margin for the clocks of several instances, was left by a process that died. Waiting a
 * fixed minute instead kept every retry after a crash at 409 for that long.
 */
const staleAfterMs = () => requestDeadlineMs() + 2_000;
/** How long after its last provider operation settled a request still running would have answered. */
const SETTLED_QUIET_MS = 5 * 1000;

export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

export type IdempotencyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" }
  /** The first request changed something, but its answer was lost (crash or server error). */
  | { kind: "unanswered" };

type KeyScope = { clientId: string; key: string };

/** The Idempotency-Key of the API request running in this async context, if it has one. */
const requestKey = new AsyncLocalStorage<KeyScope>();

/** The Idempotency-Key of the request running in this async context (provider operations keep it). */
export function currentIdempotencyKey(): KeyScope | undefined {
  return requestKey.getStore();
}

/** Runs a request's handler so that the transactions it starts mark its key (see markEffect). */
export function withIdempotencyKey<T>(scope: KeyScope, run: () => Promise<T>): Promise<T> {
  return requestKey.run(scope, run);
}

/**
 * Called inside every use-case transaction (tx.server.ts): when the request carries a key, marks
 * it in that same transaction, so the mark exists if and only if the effect was committed.
 */
export async function markEffect(tx: Tx): Promise<void> {
  const scope = requestKey.getStore();
  if (!scope) return;
  await tx
    .update(idempotencyKeys)
    .set({ effectCommittedAt: new Date() })
    .where(
      and(
        eq(idempotencyKeys.clientId, scope.clientId),
        eq(idempotencyKeys.key, scope.key),
        isNull(idempotencyKeys.effectCommittedAt),
      ),
    );
}

/**
 * What makes two requests "the same" for a key: method, path with query, body, and whom the
 * request acts for. The same body for another organisation (Entur-On-Behalf-Of) or another
 * logged-in customer (Entur-Customer-Token) is another request (422), not a replay of the first.
 */
export function requestFingerprint(
  method: string,
  path: string,
  body: string,
  actingFor: { organisationId: number; customerToken?: string | null },
): string {
  const who = `${actingFor.organisationId}\n${actingFor.customerToken?.trim() ?? ""}`;
  return createHash("sha256").update(`${method}\n${path}\n${who}\n${body}`).digest("hex");
}

/**
 * Claims the key for a request, or says why not. `rerunnable`: running the request again never
 * acts twice (its use-case says so), so a key that took effect without a stored answer is run again.
 */
export async function claimIdempotencyKey(
  clientId: string,
  key: string,
  fingerprint: string,
  { rerunnable = false }: { rerunnable?: boolean } = {},
): Promise<IdempotencyClaim> {
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
        .where(
          and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, now)),
        );
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
    const stale =
      now.getTime() - existing.createdAt.getTime() >= staleAfterMs() ||
      (await leftAfterItsOperationsSettled(clientId, key, now));
    if (existing.state === "IN_PROGRESS" && !stale) return { kind: "in_progress" };
    if (existing.state === "UNANSWERED" || existing.effectCommittedAt !== null) {
      // It took effect without a stored answer. Running it again would act twice, unless what it
      // did was claim provider operations (running it again resumes them by this key), or the
      // request is one that never acts twice however often it runs.
      if (!rerunnable && !(await claimedProviderOperations(clientId, key))) return { kind: "unanswered" };
      const resumed = await db()
        .update(idempotencyKeys)
        .set({ state: "IN_PROGRESS", createdAt: now })
        .where(
          and(
            eq(idempotencyKeys.clientId, clientId),
            eq(idempotencyKeys.key, key),
            eq(idempotencyKeys.state, existing.state),
            eq(idempotencyKeys.createdAt, existing.createdAt),
          ),
        )
        .returning({ key: idempotencyKeys.key });
      return resumed.length ? { kind: "claimed" } : { kind: "in_progress" };
    }
    // Nothing happened: take the claim over (only one taker wins the compare-and-set).
    const taken = await db()
      .update(idempotencyKeys)
      .set({ createdAt: now })
      .where(
        and(
          eq(idempotencyKeys.clientId, clientId),
          eq(idempotencyKeys.key, key),
          eq(idempotencyKeys.state, "IN_PROGRESS"),
          eq(idempotencyKeys.createdAt, existing.createdAt),
          isNull(idempotencyKeys.effectCommittedAt),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    return taken.length ? { kind: "claimed" } : { kind: "in_progress" };
  }
  return { kind: "in_progress" };
}

/**
 * Whether the request of this key claimed provider operations that have all settled a while ago:
 * then it is no longer running (it would have answered, or claimed its next one, at once), so a
 * retry need not wait out staleAfterMs to get the outcome after a crash.
 */
async function leftAfterItsOperationsSettled(clientId: string, key: string, now: Date): Promise<boolean> {
  const [row] = await db()
    .select({
      operations: sql<number>`count(*)::int`,
      pending: sql<number>`(count(*) filter (where ${providerOperations.status} = 'PENDING'))::int`,
      last: sql<string | null>`max(coalesce(${providerOperations.settledAt}, ${providerOperations.createdAt}))`,
    })
    .from(providerOperations)
    .where(and(eq(providerOperations.idempotencyClientId, clientId), eq(providerOperations.idempotencyKey, key)));
  if (!row || row.operations === 0 || row.pending > 0 || row.last === null) return false;
  return now.getTime() - new Date(row.last).getTime() >= SETTLED_QUIET_MS;
}

/** Whether the request of this key claimed a provider operation (which a re-run resumes). */
async function claimedProviderOperations(clientId: string, key: string): Promise<boolean> {
  const [row] = await db()
    .select({ id: providerOperations.id })
    .from(providerOperations)
    .where(and(eq(providerOperations.idempotencyClientId, clientId), eq(providerOperations.idempotencyKey, key)))
    .limit(1);
  return Boolean(row);
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

/**
 * A server error is not an answer worth replaying: if the request changed nothing, the key is
 * freed and the client may retry with it; if it did, the key is kept as UNANSWERED, because a
 * retry would act a second time.
 */
export async function releaseIdempotencyKey(clientId: string, key: string): Promise<void> {
  const thisKey = and(
    eq(idempotencyKeys.clientId, clientId),
    eq(idempotencyKeys.key, key),
    eq(idempotencyKeys.state, "IN_PROGRESS"),
  );
  await db()
    .delete(idempotencyKeys)
    .where(and(thisKey, isNull(idempotencyKeys.effectCommittedAt)));
  await db().update(idempotencyKeys).set({ state: "UNANSWERED" }).where(thisKey);
}

export async function pruneIdempotencyKeys(): Promise<void> {
  await db()
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.expiresAt} < now()`);
}
