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
//
// A key seen for the first time is not claimed ahead of the request (decision 060): the request
// only looks it up, and the first database transaction it runs inserts the record, already marked,
// as its last statement. A keyed request that asks no provider then commits once, like one without
// a key, plus the stored answer, which is written without waiting for the disk flush (a crash of
// the database server loses at most the answer, never the mark: the retry gets the "took effect,
// look it up" 409 that every crash in that window gave before). Two requests with the same new key
// at once: the second one's insert waits for the first's transaction, finds the record and rolls
// its own transaction back (ClaimedMeanwhile); the route then answers it as a later request is
// answered (replay, or 409 while the first runs).
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

/**
 * A request's key as its transactions see it. `claimed`: the record exists and is this request's
 * (claimed ahead, or inserted by one of its transactions that committed); until then the first
 * transaction inserts it.
 */
export type RequestKey = KeyScope & { fingerprint: string; claimed: boolean };

/**
 * Another request with the same key inserted its record first (or holds one not seen when this
 * request looked): this request's transaction is rolled back and it is answered from that record.
 */
export class ClaimedMeanwhile extends Error {
  constructor() {
    super("Another request with this Idempotency-Key took it first");
  }
}

/** The Idempotency-Key of the API request running in this async context, if it has one. */
const requestKey = new AsyncLocalStorage<RequestKey>();

/** The Idempotency-Key of the request running in this async context (provider operations keep it). */
export function currentIdempotencyKey(): KeyScope | undefined {
  return requestKey.getStore();
}

/**
 * Runs a request's handler so that the transactions it starts mark its key (see markEffect). A
 * bare scope (tests, scripts) is one claimed ahead.
 */
export function withIdempotencyKey<T>(scope: KeyScope | RequestKey, run: () => Promise<T>): Promise<T> {
  return requestKey.run("claimed" in scope ? scope : { ...scope, fingerprint: "", claimed: true }, run);
}

/**
 * Called last inside every use-case transaction (transaction.server.ts): when the request carries a
 * key, marks it in that same transaction, so the mark exists if and only if the effect was
 * committed. A key not yet claimed is inserted here, marked; the function returned is called
 * once the transaction has committed (the record is then this request's).
 */
export async function markEffect(tx: Tx): Promise<(() => void) | undefined> {
  const scope = requestKey.getStore();
  if (!scope) return undefined;
  if (!scope.claimed) {
    const now = new Date();
    const inserted = await insertRecord(tx, scope, { state: "IN_PROGRESS", effectCommittedAt: now }, now);
    if (!inserted) throw new ClaimedMeanwhile();
    return () => {
      scope.claimed = true;
    };
  }
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
  return undefined;
}

/** Inserts the key's record unless the client has one (then false): the first writer has it. */
async function insertRecord(
  tx: Tx,
  scope: RequestKey,
  fields: Pick<
    typeof idempotencyKeys.$inferInsert,
    "state" | "effectCommittedAt" | "responseStatus" | "responseHeaders" | "responseBody"
  >,
  now: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({
      clientId: scope.clientId,
      key: scope.key,
      requestHash: scope.fingerprint,
      createdAt: now,
      expiresAt: new Date(now.getTime() + TTL_MS),
      ...fields,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return inserted.length > 0;
}

/** Whether the client has a record of this key (any state): then the request is claimed ahead. */
export async function idempotencyKeyKnown(clientId: string, key: string): Promise<boolean> {
  const [row] = await db()
    .select({ key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
  return Boolean(row);
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

/**
 * A transaction whose commit does not wait for the WAL flush: for a stored answer, which a crash
 * of the database server may lose without harm (see the two callers).
 */
function withoutFlushWait<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    return work(tx);
  });
}

/** A record's fields once its request is answered: DONE, with the answer its replays give. */
const answeredWith = (response: StoredResponse) =>
  ({
    state: "DONE",
    responseStatus: response.status,
    responseHeaders: response.headers,
    responseBody: response.body,
  }) as const;

/**
 * Stores the answer of a request that holds its key. Committed without waiting for the flush: the
 * mark that guards against a second effect committed with the effect; losing this answer in a
 * crash of the database server leaves the key "took effect, answer lost" (409), as a crash of the
 * app between the two always did.
 */
export async function completeIdempotencyKey(clientId: string, key: string, response: StoredResponse): Promise<void> {
  await withoutFlushWait(async (tx) => {
    await tx
      .update(idempotencyKeys)
      .set(answeredWith(response))
      .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
  });
}

/**
 * Stores the answer of a request that never claimed its key (none of its transactions committed:
 * it changed nothing), unless another request with the key got there first: false then, and the
 * request is answered from that one's record instead. Not flushed either (an answer lost in a
 * crash is a key that is free again).
 */
export async function storeFirstAnswer(scope: RequestKey, response: StoredResponse): Promise<boolean> {
  return withoutFlushWait((tx) => insertRecord(tx, scope, answeredWith(response), new Date()));
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
