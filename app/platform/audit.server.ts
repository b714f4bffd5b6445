// The audit log: who did what, when, from where, before and after. Written in the same DB
// transaction as the change it records; the application never updates or deletes a row.
import type { Db, Tx } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { RequestContext } from "./request-context";
import type { Caller } from "../domain/caller";
import { maskCardNumbers } from "../domain/card-number";

export type AuditActor = { userId: string | null; email: string };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
};

export async function recordAudit(
  tx: Db | Tx,
  entry: AuditEntry,
  context: RequestContext,
  userAgent?: string | null,
): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: entry.actor.userId,
    actorEmail: entry.actor.email,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    reason: entry.reason ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: context.clientIp,
    // A header is recorded as sent, but never with a card number in it.
    userAgent: userAgent == null ? null : maskCardNumbers(userAgent),
    correlationId: context.correlationId,
  });
}

/**
 * The audit entry of a staff action, written inside the use-case's own DB transaction so the
 * change and its record commit together. API clients and the system are not audited here: the
 * operation log records them.
 */
export async function auditStaffAction(
  tx: Db | Tx,
  caller: Caller,
  entry: Omit<AuditEntry, "actor" | "reason">,
): Promise<void> {
  if (caller.kind !== "staff") return;
  await recordAudit(
    tx,
    { ...entry, actor: { userId: caller.userId, email: caller.email }, reason: caller.reason },
    { correlationId: caller.correlationId, clientIp: caller.ip },
    caller.userAgent,
  );
}
