// What a staff user does with their own account: change their password, set a new one with a
// reset link an admin gave them, renew their recovery codes, turn an optional second factor off.
// Passwords follow one rule (app/auth/password-policy.server.ts); every change is audited as the
// user and never records a password.
import { createHash } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { staffPasswordResets, staffUsers } from "../../../db/schema";
import { hashPassword, verifyPassword } from "../../auth/password.server";
import { passwordRefusal } from "../../auth/password-policy.server";
import { secondFactorRequired, isRole } from "../../auth/roles";
import { removeSecondFactor, replaceRecoveryCodes } from "../../auth/second-factor.server";
import { endAllSessions } from "../../auth/session.server";
import type { StaffCaller } from "../../domain/caller";
import { isColorSchemeChoice } from "../../domain/color-scheme";
import { invalid, notFound, ruleBroken } from "../../domain/errors";
import { auditStaffAction } from "../../platform/audit.server";
import { db } from "../../platform/db.server";
import { inTransaction } from "../../platform/transaction.server";
import type { Tx } from "../../../db/client";

export function hashResetToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

async function userRow(userId: string) {
  const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, userId));
  if (!row) throw notFound("Staff user", userId);
  return row;
}

/** The caller's current password, checked (argon2) before anything about their account changes. */
async function confirmPassword(caller: StaffCaller, password: string, field = "currentPassword") {
  const row = await userRow(caller.userId);
  if (!(await verifyPassword(row.passwordHash, password)))
    throw invalid(field, "is not your current password", { key: "errors.staffAccount.wrongPassword" });
  return row;
}

/**
 * A staff user's new password (its hash) in place of the old one, audited as `action` by the
 * caller with `after` (never the password).
 */
async function storePassword(
  tx: Tx,
  caller: StaffCaller,
  change: { userId: string; passwordHash: string; at: Date; action: string; after: Record<string, unknown> },
) {
  await tx
    .update(staffUsers)
    .set({ passwordHash: change.passwordHash, passwordChangedAt: change.at, updatedAt: change.at })
    .where(eq(staffUsers.id, change.userId));
  await auditStaffAction(tx, caller, {
    action: change.action,
    entityType: "staff_user",
    entityId: change.userId,
    before: null,
    after: change.after,
  });
}

function newPasswordProblem(password: string, field: string) {
  const problem = passwordRefusal(password);
  return problem ? invalid(field, problem.message, problem.say) : null;
}

/**
 * The caller's new password in place of the old one. The caller (the route) then ends their
 * other sessions: whoever knew the old password is out.
 * @throws invalid  the current password is wrong; the new one breaks the password rule or is the current one
 */
export async function changeOwnPassword(
  caller: StaffCaller,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const problem = newPasswordProblem(input.newPassword, "newPassword");
  if (problem) throw problem;
  const row = await confirmPassword(caller, input.currentPassword);
  if (input.newPassword === input.currentPassword)
    throw invalid("newPassword", "is your current password", { key: "errors.staffAccount.samePassword" });
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction((tx) =>
    storePassword(tx, caller, {
      userId: row.id,
      passwordHash,
      at: new Date(),
      action: "staff_user.change_password",
      after: { email: row.email },
    }),
  );
}

/**
 * New recovery codes for the caller, answered once (the old ones stop working).
 * @throws invalid  the password is wrong
 * @throws rule     the caller has no second factor
 */
export async function renewRecoveryCodes(caller: StaffCaller, input: { currentPassword: string }): Promise<string[]> {
  const row = await confirmPassword(caller, input.currentPassword);
  if (!row.totpSecret)
    throw ruleBroken("You have no second factor to make recovery codes for", undefined, {
      key: "errors.staffAccount.noSecondFactorForCodes",
    });
  return replaceRecoveryCodes(caller, row.id);
}

/**
 * Turns off the caller's second factor, where their role lets them (support). Their sessions end.
 * @throws invalid  the password is wrong
 * @throws rule     their role requires a second factor, or they have none
 */
export async function turnOffSecondFactor(caller: StaffCaller, input: { currentPassword: string }): Promise<void> {
  const row = await confirmPassword(caller, input.currentPassword);
  if (!isRole(row.role) || secondFactorRequired(row.role))
    throw ruleBroken(`Your role (${row.role}) logs in with a second factor; it cannot be turned off`, undefined, {
      key: "errors.staffAccount.secondFactorRequired",
      values: { role: row.role },
    });
  if (!(await removeSecondFactor(caller, { userId: row.id, email: row.email })))
    throw ruleBroken("You have no second factor to turn off", undefined, { key: "errors.staffAccount.noSecondFactor" });
  await endAllSessions(row.id);
}

/**
 * The language the caller's screens speak (null: follow the browser). A preference, not access:
 * audited all the same, like every change to a staff account.
 */
export async function setOwnLanguage(caller: StaffCaller, input: { language: "en" | "nb" | null }): Promise<void> {
  await setOwnPreference(caller, "language", input.language, "staff_user.set_language");
}

/**
 * The colour scheme the caller's screens use (auto: the system's), kept on their account so it
 * follows them to another browser; audited like every change to an account.
 * @throws invalid  colorScheme is not auto, light or dark
 */
export async function chooseColorScheme(caller: StaffCaller, input: { colorScheme: string }): Promise<void> {
  const { colorScheme } = input;
  if (!isColorSchemeChoice(colorScheme))
    throw invalid("colorScheme", "must be auto, light or dark", {
      key: "errors.form.oneOf",
      values: { values: "auto, light, dark" },
    });
  await setOwnPreference(caller, "colorScheme", colorScheme, "staff_user.color_scheme");
}

/** Sets one preference of the caller's own account; a change (only) is audited as `action`. */
async function setOwnPreference<K extends "language" | "colorScheme">(
  caller: StaffCaller,
  field: K,
  value: (typeof staffUsers.$inferSelect)[K],
  action: string,
): Promise<void> {
  await inTransaction(async (tx) => {
    const [row] = await tx
      .select({ current: staffUsers[field] })
      .from(staffUsers)
      .where(eq(staffUsers.id, caller.userId))
      .for("update");
    if (!row) throw notFound("Staff user", caller.userId);
    if (row.current === value) return;
    await tx
      .update(staffUsers)
      .set({ [field]: value, updatedAt: new Date() })
      .where(eq(staffUsers.id, caller.userId));
    await auditStaffAction(tx, caller, {
      action,
      entityType: "staff_user",
      entityId: caller.userId,
      before: { [field]: row.current },
      after: { [field]: value },
    });
  });
}

// ---------------------------------------------------------------- reset links

/** The reset link of this token while it is good: unused and unexpired at `now`. */
function goodReset(token: string, now: Date) {
  return and(
    eq(staffPasswordResets.tokenHash, hashResetToken(token)),
    isNull(staffPasswordResets.usedAt),
    gt(staffPasswordResets.expiresAt, now),
  );
}

async function openReset(token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db()
    .select({ userId: staffPasswordResets.userId, email: staffUsers.email, disabledAt: staffUsers.disabledAt })
    .from(staffPasswordResets)
    .innerJoin(staffUsers, eq(staffUsers.id, staffPasswordResets.userId))
    .where(goodReset(token, new Date()));
  return row && !row.disabledAt ? row : null;
}

/** Whose password a reset link sets, while it is good (unused, unexpired, user enabled); else null. */
export async function passwordResetFor(token: string): Promise<{ email: string } | null> {
  const reset = await openReset(token);
  return reset ? { email: reset.email } : null;
}

/**
 * Sets a new password with a reset link, once: the link is used up in the same transaction, and
 * every session of the user ends. The second factor stays: the next login asks for it as before.
 * Audited as the user, with the request's address.
 * @throws invalid    the new password breaks the password rule
 * @throws not_found  the link is unknown, used, expired, or its user disabled
 */
export async function redeemPasswordReset(
  request: { token: string; newPassword: string },
  context: { correlationId: string; ip: string; userAgent: string | null },
): Promise<{ email: string }> {
  const reset = await openReset(request.token);
  if (!reset) throw notFound("Password reset link", "(this one)");
  const problem = newPasswordProblem(request.newPassword, "newPassword");
  if (problem) throw problem;
  const passwordHash = await hashPassword(request.newPassword);
  const caller: StaffCaller = {
    kind: "staff",
    userId: reset.userId,
    email: reset.email,
    correlationId: context.correlationId,
    ip: context.ip,
    userAgent: context.userAgent,
    reason: null,
  };
  await inTransaction(async (tx) => {
    const now = new Date();
    // The UPDATE … WHERE used_at IS NULL claims the link: two submissions cannot both set a password.
    const [claimed] = await tx
      .update(staffPasswordResets)
      .set({ usedAt: now })
      .where(goodReset(request.token, now))
      .returning({ userId: staffPasswordResets.userId });
    if (!claimed) throw notFound("Password reset link", "(this one)");
    await storePassword(tx, caller, {
      userId: claimed.userId,
      passwordHash,
      at: now,
      action: "staff_user.reset_password",
      after: { email: reset.email, with: "reset link" },
    });
  });
  await endAllSessions(reset.userId);
  return { email: reset.email };
}
