// Callbacks to clients (`callbackUrl`): written to a durable outbox in the same DB transaction
// as the state change they announce, then delivered by a background worker with exponential
// backoff until the receiver answers 202. Survives restarts: the outbox is a table.
// Several instances can run the worker: a delivery is claimed by pushing its next attempt into
// the future under FOR UPDATE SKIP LOCKED, so one row is sent by one instance at a time.
// Delivery is at least once: an instance that dies after the receiver answered but before it
// recorded the answer leaves the claim to expire, and the callback is sent again.
// Each attempt is recorded (callback_attempts: time, status, latency, error) in the same DB
// transaction as the row's new state, and a client's target that an admin paused is skipped
// until the pause is lifted (docs/decisions/034-callback-deliveries.md).
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { db, type Db, type Tx } from "../../db/client";
import { callbackAttempts, callbackOutbox, callbackPauses } from "../../db/schema";
import { attemptError, callbackTarget, isAccepted, retryDelaySeconds } from "../domain/callback";
import { logger } from "./logger.server";
import { repeatEvery } from "./repeating-job.server";

export { retryDelaySeconds };

/** How long a claimed delivery may take before another worker may try it again. */
const CLAIM_SECONDS = 30;
/** How long a receiver may take to answer (PAYDESK_CALLBACK_TIMEOUT_MS; default 10 s). */
const requestTimeoutMs = () => Number(process.env.PAYDESK_CALLBACK_TIMEOUT_MS) || 10_000;
/** How much of a refusing receiver's answer an attempt keeps (then masked and cut to 500 characters). */
const BODY_BYTES = 2_000;

/** A callback to queue: where it goes, what it says, and whose it is. */
export type NewCallback = {
  url: string;
  payload: Record<string, unknown>;
  /** The API client whose callbackUrl it is (null when none is known: the client never sees it). */
  clientId: string | null;
  organisationId: number | null;
  paymentId?: number | null;
  transactionId?: number | null;
  /** Of the request whose change it announces. */
  correlationId?: string | null;
};

export async function enqueueCallback(tx: Db | Tx, callback: NewCallback): Promise<void> {
  await tx.insert(callbackOutbox).values({
    url: callback.url,
    target: callbackTarget(callback.url),
    payload: callback.payload,
    clientId: callback.clientId,
    organisationId: callback.organisationId,
    paymentId: callback.paymentId ?? null,
    transactionId: callback.transactionId ?? null,
    correlationId: callback.correlationId ?? null,
  });
}

type Claimed = { id: number; url: string; payload: Record<string, unknown>; attempts: number };

/** Held back: an admin paused its client's target (docs/decisions/034). */
export const isPausedSql = () =>
  sql<boolean>`exists (select 1 from ${callbackPauses} where ${callbackPauses.clientId} = ${callbackOutbox.clientId} and ${callbackPauses.target} = ${callbackOutbox.target})`;

async function claimDue(limit: number): Promise<Claimed[]> {
  return db().transaction(async (tx) => {
    const due = await tx
      .select()
      .from(callbackOutbox)
      .where(
        and(
          isNull(callbackOutbox.deliveredAt),
          lte(callbackOutbox.nextAttemptAt, new Date()),
          sql`not ${isPausedSql()}`,
        ),
      )
      .orderBy(asc(callbackOutbox.nextAttemptAt), asc(callbackOutbox.id))
      .limit(limit)
      .for("update", { of: callbackOutbox, skipLocked: true });
    for (const row of due) {
      await tx
        .update(callbackOutbox)
        .set({ nextAttemptAt: new Date(Date.now() + CLAIM_SECONDS * 1000) })
        .where(eq(callbackOutbox.id, row.id));
    }
    return due.map((row) => ({ id: row.id, url: row.url, payload: row.payload, attempts: row.attempts }));
  });
}

/** The start of a body, at most `BODY_BYTES`, without reading the rest. */
async function bodyStart(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, BODY_BYTES));
}

/** Why a request got no answer, in words a support agent can act on. */
function failureText(failure: unknown, timeoutMs: number): string {
  if (failure instanceof Error && (failure.name === "TimeoutError" || failure.name === "AbortError"))
    return `no answer within ${timeoutMs} ms`;
  const cause =
    failure instanceof Error ? (failure.cause as { code?: string; message?: string } | undefined) : undefined;
  const message = failure instanceof Error ? failure.message : String(failure);
  return cause?.code ? `${message} (${cause.code})` : cause?.message ? `${message}: ${cause.message}` : message;
}

async function deliver(item: Claimed): Promise<void> {
  const timeoutMs = requestTimeoutMs();
  const attemptedAt = new Date();
  const started = performance.now();
  let status: number | null = null;
  let body = "";
  let failure: string | undefined;
  try {
    const response = await fetch(item.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Paydesk-Callback/1" },
      body: JSON.stringify(item.payload),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    if (isAccepted(status)) await response.body?.cancel();
    else body = await bodyStart(response).catch(() => "");
  } catch (error) {
    failure = failureText(error, timeoutMs);
  }
  const latencyMs = Math.round(performance.now() - started);
  const attempts = item.attempts + 1;
  const delivered = isAccepted(status);
  const error = attemptError({ status, body, failure });
  const delay = retryDelaySeconds(attempts);
  await db().transaction(async (tx) => {
    await tx
      .insert(callbackAttempts)
      .values({ callbackId: item.id, attemptedAt, statusCode: status, latencyMs, error, delivered });
    await tx
      .update(callbackOutbox)
      .set(
        delivered
          ? { attempts, lastStatus: status, lastError: null, deliveredAt: new Date() }
          : { attempts, lastStatus: status, lastError: error, nextAttemptAt: new Date(Date.now() + delay * 1000) },
      )
      .where(eq(callbackOutbox.id, item.id));
  });
  if (!delivered)
    logger.warn("callback not accepted; will retry", {
      url: item.url,
      attempts,
      status,
      error,
      retryInSeconds: delay,
    });
}

/** One pass: delivers what is due now. Returns how many deliveries were attempted. */
export async function deliverDueCallbacks(limit = 20): Promise<number> {
  const due = await claimDue(limit);
  await Promise.all(due.map(deliver));
  return due.length;
}

/** Runs the worker every `intervalMs` until stopped. */
export function startCallbackWorker(intervalMs = 1000): () => void {
  return repeatEvery(intervalMs, "callback worker failed", async () => {
    while ((await deliverDueCallbacks()) > 0) {
      // keep going while there is a backlog
    }
  });
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
