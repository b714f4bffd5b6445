// What an admin does to callback deliveries (docs/decisions/034-callback-deliveries.md): resend
// one callback or a filtered set, pause and resume delivery to a client's target. Each is one DB
// transaction with its audit entries; the delivery job (app/platform/outbox.server.ts) does the
// sending, so a resend is "deliver this again now", never a send from the request.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { apiClients, callbackOutbox, callbackPauses } from "../../../db/schema";
import { callbackState, MAX_BULK_RESEND } from "../../domain/callback";
import type { StaffCaller } from "../../domain/caller";
import { conflict, notFound, ruleBroken } from "../../domain/errors";
import { auditStaffAction } from "../../platform/audit.server";
import { db } from "../../platform/db.server";
import { isPausedSql } from "../../platform/outbox.server";
import { inTransaction } from "../../platform/transaction.server";
import { callbackCondition, matchingCallbackIds, type CallbackFilter } from "../queries/callbacks.server";
import type { Tx } from "../../../db/client";

/** Queues the locked callbacks to be delivered now (again), one audit entry each. */
async function requeueLocked(tx: Tx, caller: StaffCaller, ids: number[], bulk: Record<string, unknown> | null) {
  const rows = await tx
    .select({
      id: callbackOutbox.id,
      deliveredAt: callbackOutbox.deliveredAt,
      attempts: callbackOutbox.attempts,
      paused: isPausedSql(),
    })
    .from(callbackOutbox)
    .where(inArray(callbackOutbox.id, ids))
    .orderBy(asc(callbackOutbox.id))
    .for("update", { of: callbackOutbox });
  const now = new Date();
  await tx
    .update(callbackOutbox)
    .set({ deliveredAt: null, nextAttemptAt: now })
    .where(
      inArray(
        callbackOutbox.id,
        rows.map((row) => row.id),
      ),
    );
  for (const row of rows) {
    await auditStaffAction(tx, caller, {
      action: "callback.resend",
      entityType: "callback",
      entityId: row.id,
      before: { state: callbackState(row), deliveredAt: row.deliveredAt, attempts: row.attempts },
      after: { nextAttemptAt: now, ...(bulk ? { bulk } : {}) },
    });
  }
  return { resent: rows.length, paused: rows.filter((row) => row.paused).length };
}

/**
 * Delivers one callback again now, delivered or not (a paused target keeps it until resumed).
 * @throws not_found  no such callback
 */
export async function resendCallback(
  caller: StaffCaller,
  input: { callbackId: number },
): Promise<{ callbackId: number; paused: boolean }> {
  return inTransaction(async (tx) => {
    const outcome = await requeueLocked(tx, caller, [input.callbackId], null);
    if (outcome.resent === 0) throw notFound("callback", input.callbackId);
    return { callbackId: input.callbackId, paused: outcome.paused > 0 };
  });
}

export type ResendPreview = {
  /** How many callbacks the filter matches, counted up to MAX_BULK_RESEND + 1. */
  matching: number;
  tooMany: boolean;
  /** Of those, how many wait behind a paused target (they go out after the resume). */
  paused: number;
  delivered: number;
};

/** What "resend the filtered set" would queue, before anything is written. */
export async function previewResend(_caller: StaffCaller, filter: CallbackFilter): Promise<ResendPreview> {
  const where = callbackCondition(filter);
  const bounded = db()
    .select({
      delivered: sql<boolean>`${callbackOutbox.deliveredAt} is not null`.as("delivered"),
      paused: isPausedSql().as("paused"),
    })
    .from(callbackOutbox)
    .where(where)
    .limit(MAX_BULK_RESEND + 1)
    .as("bounded");
  const [row] = await db()
    .select({
      matching: sql<number>`count(*)::int`,
      paused: sql<number>`count(*) filter (where ${bounded.paused} and not ${bounded.delivered})::int`,
      delivered: sql<number>`count(*) filter (where ${bounded.delivered})::int`,
    })
    .from(bounded);
  return { ...row, tooMany: row.matching > MAX_BULK_RESEND };
}

/**
 * Delivers every callback the filter matches again now, with one audit entry each (the filter
 * and the count on every entry). At most MAX_BULK_RESEND at once; `expected` is the count the
 * preview showed, so a set that grew or shrank since is refused rather than resent unseen.
 * @throws rule  more than MAX_BULK_RESEND match, none match, or not the count previewed
 */
export async function resendCallbacks(
  caller: StaffCaller,
  input: CallbackFilter & { expected: number; describedAs: string },
): Promise<{ resent: number; paused: number }> {
  const ids = await matchingCallbackIds(input, MAX_BULK_RESEND + 1);
  if (ids.length > MAX_BULK_RESEND)
    throw ruleBroken(`More than ${MAX_BULK_RESEND} callbacks match: narrow the filter and resend in parts`, undefined, {
      key: "errors.callback.tooMany",
      values: { max: MAX_BULK_RESEND },
    });
  if (ids.length === 0)
    throw ruleBroken("No callback matches the filter", undefined, { key: "errors.callback.noneMatch" });
  if (ids.length !== input.expected)
    throw ruleBroken(
      `${ids.length} callbacks match now, not the ${input.expected} previewed: look at the preview again`,
      "expected",
      { key: "errors.callback.countChanged", values: { count: ids.length, expected: input.expected } },
    );
  return inTransaction((tx) => requeueLocked(tx, caller, ids, { filter: input.describedAs, count: ids.length }));
}

type TargetInput = { clientId: string; target: string };

async function requireKnownTarget(tx: Tx, input: TargetInput): Promise<void> {
  const [client] = await tx
    .select({ clientId: apiClients.clientId })
    .from(apiClients)
    .where(eq(apiClients.clientId, input.clientId));
  if (!client) throw notFound("API client", input.clientId);
  const [callback] = await tx
    .select({ id: callbackOutbox.id })
    .from(callbackOutbox)
    .where(and(eq(callbackOutbox.clientId, input.clientId), eq(callbackOutbox.target, input.target)))
    .limit(1);
  if (!callback)
    throw ruleBroken(`${input.clientId} has no callbacks to ${input.target}`, "target", {
      key: "errors.callback.noCallbacksToTarget",
      values: { clientId: input.clientId, target: input.target },
    });
}

const targetEntity = (input: TargetInput) => `${input.clientId} ${input.target}`;

/**
 * Holds every callback of the client to the target (queued and future ones) until resumed.
 * @throws not_found  no such API client
 * @throws rule       the client has no callbacks to that target
 * @throws conflict   already paused
 */
export async function pauseCallbackTarget(caller: StaffCaller, input: TargetInput): Promise<{ waiting: number }> {
  return inTransaction(async (tx) => {
    await requireKnownTarget(tx, input);
    const [inserted] = await tx
      .insert(callbackPauses)
      .values({ ...input, pausedBy: caller.email, reason: caller.reason ?? "" })
      .onConflictDoNothing()
      .returning();
    if (!inserted)
      throw conflict(`Delivery to ${input.target} for ${input.clientId} is already paused`, undefined, {
        key: "errors.callback.pausedAlready",
        values: { clientId: input.clientId, target: input.target },
      });
    const [{ waiting }] = await tx
      .select({ waiting: sql<number>`count(*)::int` })
      .from(callbackOutbox)
      .where(
        and(
          eq(callbackOutbox.clientId, input.clientId),
          eq(callbackOutbox.target, input.target),
          isNull(callbackOutbox.deliveredAt),
        ),
      );
    await auditStaffAction(tx, caller, {
      action: "callback.pause",
      entityType: "callback-target",
      entityId: targetEntity(input),
      after: { ...input, paused: true, waiting },
    });
    return { waiting };
  });
}

/**
 * Lifts the pause: the target's waiting callbacks are due at once (not after their backoff).
 * @throws conflict  not paused
 */
export async function resumeCallbackTarget(caller: StaffCaller, input: TargetInput): Promise<{ queued: number }> {
  return inTransaction(async (tx) => {
    const [removed] = await tx
      .delete(callbackPauses)
      .where(and(eq(callbackPauses.clientId, input.clientId), eq(callbackPauses.target, input.target)))
      .returning();
    if (!removed)
      throw conflict(`Delivery to ${input.target} for ${input.clientId} is not paused`, undefined, {
        key: "errors.callback.notPaused",
        values: { clientId: input.clientId, target: input.target },
      });
    const queued = await tx
      .update(callbackOutbox)
      .set({ nextAttemptAt: new Date() })
      .where(
        and(
          eq(callbackOutbox.clientId, input.clientId),
          eq(callbackOutbox.target, input.target),
          isNull(callbackOutbox.deliveredAt),
        ),
      )
      .returning({ id: callbackOutbox.id });
    await auditStaffAction(tx, caller, {
      action: "callback.resume",
      entityType: "callback-target",
      entityId: targetEntity(input),
      before: { pausedAt: removed.pausedAt, pausedBy: removed.pausedBy, reason: removed.reason },
      after: { ...input, paused: false, queued: queued.length },
    });
    return { queued: queued.length };
  });
}
