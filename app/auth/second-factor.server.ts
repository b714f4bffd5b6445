// A staff user's second factor in the database: the TOTP secret on staff_users (with the last
// step accepted, so a code is good once), and the recovery codes (SHA-256, each good once).
import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { staffRecoveryCodes, staffUsers } from "../../db/schema";
import type { Caller } from "../domain/caller";
import { auditStaffAction } from "../platform/audit.server";
import { inTransaction } from "../platform/transaction.server";
import { hashRecoveryCode, looksLikeRecoveryCode, matchTotp, newRecoveryCodes } from "./totp.server";

/**
 * True when `code` is the user's TOTP code of a step no code was accepted for yet; that step is
 * then the last one accepted (one UPDATE decides, so two requests cannot both use one code).
 */
export async function acceptTotpCode(userId: string, code: string, at = Date.now()): Promise<boolean> {
  const [user] = await db().select({ secret: staffUsers.totpSecret }).from(staffUsers).where(eq(staffUsers.id, userId));
  if (!user?.secret) return false;
  const step = matchTotp(user.secret, code, at);
  if (step === null) return false;
  const accepted = await db()
    .update(staffUsers)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(staffUsers.id, userId),
        eq(staffUsers.totpSecret, user.secret),
        or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step)),
      ),
    )
    .returning({ id: staffUsers.id });
  return accepted.length === 1;
}

/** True when `code` is one of the user's unused recovery codes; it is used up by this. */
export async function redeemRecoveryCode(userId: string, code: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const used = await db()
    .update(staffRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(staffRecoveryCodes.userId, userId),
        eq(staffRecoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(staffRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: staffRecoveryCodes.id });
  return used.length === 1;
}

export async function unusedRecoveryCodes(userId: string): Promise<number> {
  const [row] = await db()
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.userId, userId), isNull(staffRecoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

/**
 * Makes `secret` the user's second factor, confirmed by a code from it (the step of that code is
 * the last one accepted), and gives them a fresh set of recovery codes, which are answered once.
 * False when the code is not the secret's. Audited as the caller.
 */
export async function enrolSecondFactor(
  caller: Caller,
  input: { userId: string; email: string; secret: string; code: string },
  at = Date.now(),
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const step = matchTotp(input.secret, input.code, at);
  if (step === null) return { ok: false };
  const recoveryCodes = newRecoveryCodes();
  await inTransaction(async (tx) => {
    const now = new Date(at);
    await tx
      .update(staffUsers)
      .set({ totpSecret: input.secret, totpLastStep: step, totpEnrolledAt: now, updatedAt: now })
      .where(eq(staffUsers.id, input.userId));
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, input.userId));
    await tx
      .insert(staffRecoveryCodes)
      .values(recoveryCodes.map((code) => ({ userId: input.userId, codeHash: hashRecoveryCode(code) })));
    await auditStaffAction(tx, caller, {
      action: "staff_user.enrol_second_factor",
      entityType: "staff_user",
      entityId: input.userId,
      before: null,
      after: { email: input.email, secondFactor: "totp", recoveryCodes: recoveryCodes.length },
    });
  });
  return { ok: true, recoveryCodes };
}

/** A new set of recovery codes in place of the old ones (used or not), answered once. */
export async function replaceRecoveryCodes(caller: Caller, userId: string): Promise<string[]> {
  const recoveryCodes = newRecoveryCodes();
  await inTransaction(async (tx) => {
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, userId));
    await tx
      .insert(staffRecoveryCodes)
      .values(recoveryCodes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
    await auditStaffAction(tx, caller, {
      action: "staff_user.replace_recovery_codes",
      entityType: "staff_user",
      entityId: userId,
      before: null,
      after: { recoveryCodes: recoveryCodes.length },
    });
  });
  return recoveryCodes;
}

/**
 * Removes the user's second factor and recovery codes (an admin's reset for a lost phone, or a
 * support user turning it off). The caller ends their sessions. Audited as the caller.
 */
export async function removeSecondFactor(caller: Caller, input: { userId: string; email: string }): Promise<boolean> {
  return inTransaction(async (tx) => {
    const removed = await tx
      .update(staffUsers)
      .set({ totpSecret: null, totpLastStep: null, totpEnrolledAt: null, updatedAt: sql`now()` })
      .where(and(eq(staffUsers.id, input.userId), sql`${staffUsers.totpSecret} is not null`))
      .returning({ id: staffUsers.id });
    if (removed.length === 0) return false;
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, input.userId));
    await auditStaffAction(tx, caller, {
      action: "staff_user.remove_second_factor",
      entityType: "staff_user",
      entityId: input.userId,
      before: { email: input.email, secondFactor: "totp" },
      after: { email: input.email, secondFactor: null },
    });
    return true;
  });
}
