// Callbacks to clients (`callbackUrl`): written to a durable outbox in the same DB transaction
// as the state change they announce, then delivered by a background worker with exponential
// backoff until the receiver answers 202. Survives restarts: the outbox is a table.
// Several instances can run the worker: a delivery is claimed by pushing its next attempt into
// the future under FOR UPDATE SKIP LOCKED, so one row is sent by one instance at a time.
// Delivery is at least once: an instance that dies after the receiver answered but before it
// recorded the answer leaves the claim to expire, and the callback is sent again.
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { db, type Db, type Tx } from "../../db/client";
import { callbackOutbox } from "../../db/schema";
import { logger } from "./logger.server";

const FIRST_RETRY_SECONDS = 1;
const MAX_RETRY_SECONDS = 10 * 60;
/** How long a claimed delivery may take before another worker may try it again. */
const CLAIM_SECONDS = 30;
const REQUEST_TIMEOUT_MS = 10_000;

export async function enqueueCallback(tx: Db | Tx, url: string, payload: Record<string, unknown>): Promise<void> {
  await tx.insert(callbackOutbox).values({ url, payload });
}

export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

type Claimed = { id: number; url: string; payload: Record<string, unknown>; attempts: number };

async function claimDue(limit: number): Promise<Claimed[]> {
  return db().transaction(async (tx) => {
    const due = await tx
      .select()
      .from(callbackOutbox)
      .where(and(isNull(callbackOutbox.deliveredAt), lte(callbackOutbox.nextAttemptAt, new Date())))
      .orderBy(asc(callbackOutbox.nextAttemptAt), asc(callbackOutbox.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    for (const row of due) {
      await tx
        .update(callbackOutbox)
        .set({ nextAttemptAt: new Date(Date.now() + CLAIM_SECONDS * 1000) })
        .where(eq(callbackOutbox.id, row.id));
    }
    return due.map((row) => ({ id: row.id, url: row.url, payload: row.payload, attempts: row.attempts }));
  });
}

async function deliver(item: Claimed): Promise<void> {
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(item.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Paydesk-Callback/1" },
      body: JSON.stringify(item.payload),
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const attempts = item.attempts + 1;
  if (status === 202) {
    await db()
      .update(callbackOutbox)
      .set({ attempts, lastStatus: status, lastError: null, deliveredAt: new Date() })
      .where(eq(callbackOutbox.id, item.id));
    return;
  }
  const delay = retryDelaySeconds(attempts);
  await db()
    .update(callbackOutbox)
    .set({
      attempts,
      lastStatus: status,
      lastError: error ?? `receiver answered ${status}, not 202`,
      nextAttemptAt: new Date(Date.now() + delay * 1000),
    })
    .where(eq(callbackOutbox.id, item.id));
  logger.warn("callback not accepted; will retry", { url: item.url, attempts, status, error, retryInSeconds: delay });
}

/** One pass: delivers what is due now. Returns how many deliveries were attempted. */
export async function deliverDueCallbacks(limit = 20): Promise<number> {
  const due = await claimDue(limit);
  await Promise.all(due.map(deliver));
  return due.length;
}

/** Runs the worker every `intervalMs` until stopped. */
export function startCallbackWorker(intervalMs = 1000): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      while ((await deliverDueCallbacks()) > 0) {
        // keep going while there is a backlog
      }
    } catch (error) {
      logger.error("callback worker failed", { error: String(error) });
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function pendingCallbackCount(): Promise<number> {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(callbackOutbox)
    .where(isNull(callbackOutbox.deliveredAt));
  return row.n;
}

/** What a client's callbackUrl receives when a transaction changes state through a provider flow. */
export function transactionCallbackPayload(transaction: {
  paymentId: number;
  transactionId: number;
  status: string;
  paymentType: string | null;
  paymentTypeGroup: string;
}): Record<string, unknown> {
  return {
    paymentId: transaction.paymentId,
    transactionId: transaction.transactionId,
    status: transaction.status,
    paymentType: transaction.paymentType,
    paymentTypeGroup: transaction.paymentTypeGroup,
    occurredAt: new Date().toISOString(),
  };
}
