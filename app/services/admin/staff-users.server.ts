// Staff users of the back-office: created by the CLI, the demo seed and admins; admins also
// change roles, disable (which ends the user's sessions at once) and re-enable them. There is
// always at least one active admin, or nobody could manage users any more.
import { randomBytes } from "node:crypto";
import { and, asc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { staffPasswordResets, staffSessions, staffUsers } from "../../../db/schema";
import { isCleanText } from "../../domain/text";
import { hashPassword } from "../../auth/password.server";
import { passwordRefusal } from "../../auth/password-policy.server";
import { isRole, ROLES, type Role } from "../../auth/roles";
import { endAllSessions } from "../../auth/session.server";
import { removeSecondFactor } from "../../auth/second-factor.server";
import { hashResetToken } from "./staff-account.server";
import { conflict, invalid, notFound, ruleBroken } from "../../domain/errors";
import { escapeLike } from "./api-clients.server";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller } from "../../domain/caller";
import { db } from "../../platform/db.server";
import { inTransaction, violatedConstraint } from "../../platform/transaction.server";

export type NewStaffUser = {
  email: string;
  name?: string;
  role: Role;
  password: string;
  timeZone?: string;
  /**
   * A TOTP secret already enrolled (base32): for the demo users, whose secrets are printed at
   * start, and for tests. Everyone else enrols on their first login.
   */
  totpSecret?: string;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 100;

/** A password for an admin to hand over once: 20 characters from an unambiguous alphabet (~114 bits). */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(40);
  let password = "";
  // 256 % 56 != 0: drop the bytes that would favour the first characters.
  for (const byte of bytes) {
    if (byte >= 224) continue;
    password += alphabet[byte % alphabet.length];
    if (password.length === 20) return password;
  }
  return password + generatePassword().slice(password.length);
}

/**
 * Creates a staff user. A staff caller gets an audit entry in the same transaction (never the
 * password); the CLI and the demo seed call it as the system.
 * @throws invalid  the email is not an email address or is taken; the name is too long or not
 *                  clean text; the role is unknown; the password breaks the password rule
 *                  (app/auth/password-policy.server.ts)
 */
export async function createStaffUser(
  caller: Caller,
  input: NewStaffUser,
): Promise<{ id: string; email: string; name: string; role: Role }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254 || !isCleanText(email))
    throw invalid("email", "must be an email address", { key: "errors.staffUser.email" });
  const name = input.name?.trim() || email.split("@")[0];
  if (name.length > MAX_NAME_LENGTH)
    throw invalid("name", `must be at most ${MAX_NAME_LENGTH} characters`, {
      key: "errors.form.tooLong",
      values: { max: MAX_NAME_LENGTH },
    });
  if (!isCleanText(name))
    throw invalid("name", "contains characters that are not allowed", { key: "errors.form.notClean" });
  if (!isRole(input.role)) throw roleInvalid();
  const problem = passwordRefusal(input.password);
  if (problem) throw invalid("password", problem.message, problem.say);
  const taken = invalid("email", "a staff user with this email exists already", { key: "errors.staffUser.emailTaken" });
  const [existing] = await db()
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(sql`lower(${staffUsers.email}) = ${email}`);
  if (existing) throw taken;
  const id = randomBytes(10).toString("hex");
  const passwordHash = await hashPassword(input.password);
  try {
    await inTransaction(async (tx) => {
      await tx.insert(staffUsers).values({
        id,
        email,
        name,
        role: input.role,
        passwordHash,
        timeZone: input.timeZone ?? "Europe/Oslo",
        ...(input.totpSecret ? { totpSecret: input.totpSecret, totpEnrolledAt: new Date() } : {}),
      });
      await auditStaffAction(tx, caller, {
        action: "staff_user.create",
        entityType: "staff_user",
        entityId: id,
        before: null,
        after: { email, name, role: input.role, disabled: false },
      });
    });
  } catch (error) {
    // Two admins creating the same email at once: the unique index decides.
    if (violatedConstraint(error) === "staff_users_email_uq") throw taken;
    throw error;
  }
  return { id, email, name, role: input.role };
}

export type StaffUserListItem = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
  /** Sessions that have not reached their idle expiry. */
  activeSessions: number;
  hasSecondFactor: boolean;
};

/** Every staff user (a back-office has tens), optionally those whose id, email or name contains `q`. */
export async function listStaffUsers(_caller: Caller, input: { q?: string | null } = {}): Promise<StaffUserListItem[]> {
  const q = input.q?.trim();
  const pattern = q ? `%${escapeLike(q)}%` : null;
  const rows = await db()
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      disabledAt: staffUsers.disabledAt,
      createdAt: staffUsers.createdAt,
      // Spelled out with an alias: drizzle leaves columns unqualified in a one-table select, and
      // an unqualified "id" inside the subquery would be the session's.
      activeSessions: sql<number>`(select count(*)::int from ${staffSessions} s where s.user_id = ${staffUsers}.id and s.expires_at > now() and s.pending_step is null)`,
      hasSecondFactor: sql<boolean>`${staffUsers.totpSecret} is not null`,
    })
    .from(staffUsers)
    .where(
      pattern
        ? or(eq(staffUsers.id, q!), ilike(staffUsers.email, pattern), ilike(staffUsers.name, pattern))
        : undefined,
    )
    .orderBy(asc(staffUsers.email));
  return rows.map((row) => ({
    ...row,
    role: isRole(row.role) ? row.role : "support",
    activeSessions: Number(row.activeSessions),
    hasSecondFactor: Boolean(row.hasSecondFactor),
  }));
}

type StaffUserRow = typeof staffUsers.$inferSelect;

/**
 * Locks the user and every active admin, in id order (the one fixed order, so two admins
 * demoting each other queue instead of deadlocking), and says how many active admins remain
 * besides the user. Rows a concurrent change took out of the admin set are not counted: under
 * READ COMMITTED, FOR UPDATE re-checks the WHERE on the row version it locked.
 */
async function lockUserAndAdmins(tx: Tx, userId: string): Promise<{ user: StaffUserRow; otherActiveAdmins: number }> {
  const rows = await tx
    .select()
    .from(staffUsers)
    .where(or(eq(staffUsers.id, userId), and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt))))
    .orderBy(asc(staffUsers.id))
    .for("update");
  const user = rows.find((row) => row.id === userId);
  if (!user) throw notFound("Staff user", userId);
  const otherActiveAdmins = rows.filter(
    (row) => row.id !== userId && row.role === "admin" && row.disabledAt === null,
  ).length;
  return { user, otherActiveAdmins };
}

const LAST_ADMIN = "is the last active admin: make someone else admin first, or nobody could manage users any more";

const lastAdmin = (email: string, field?: string) =>
  ruleBroken(`${email} ${LAST_ADMIN}`, field, { key: "errors.staffUser.lastAdmin", values: { email } });

const roleInvalid = () =>
  invalid("role", `must be one of ${ROLES.join(", ")}`, {
    key: "errors.form.oneOf",
    values: { values: ROLES.join(", ") },
  });

function isActiveAdmin(user: StaffUserRow): boolean {
  return user.role === "admin" && user.disabledAt === null;
}

/**
 * Gives the user another role; it applies to their next request (every request reads the role).
 * @throws invalid    the role is unknown, or is the user's role already
 * @throws not_found  there is no such user
 * @throws rule       the user is the last active admin
 */
export async function changeStaffRole(
  caller: Caller,
  input: { userId: string; role: string },
): Promise<{ role: Role }> {
  const { userId, role } = input;
  if (!isRole(role)) throw roleInvalid();
  return inTransaction(async (tx) => {
    const { user, otherActiveAdmins } = await lockUserAndAdmins(tx, userId);
    if (user.role === role)
      throw invalid("role", `is ${role} already`, { key: "errors.staffUser.roleAlready", values: { role } });
    if (isActiveAdmin(user) && otherActiveAdmins === 0) throw lastAdmin(user.email, "role");
    // No need to end sessions: every request reads the role afresh, so it applies at once.
    await tx.update(staffUsers).set({ role, updatedAt: new Date() }).where(eq(staffUsers.id, userId));
    await auditStaffAction(tx, caller, {
      action: "staff_user.change_role",
      entityType: "staff_user",
      entityId: userId,
      before: { email: user.email, role: user.role },
      after: { email: user.email, role },
    });
    return { role };
  });
}

/** Disables or enables the (locked) user, with its audit entry. */
async function setDisabledLocked(tx: Tx, caller: Caller, user: StaffUserRow, disabled: boolean): Promise<void> {
  const at = new Date();
  await tx
    .update(staffUsers)
    .set({ disabledAt: disabled ? at : null, updatedAt: at })
    .where(eq(staffUsers.id, user.id));
  const state = (isDisabled: boolean) => ({ email: user.email, role: user.role, disabled: isDisabled });
  await auditStaffAction(tx, caller, {
    action: disabled ? "staff_user.disable" : "staff_user.enable",
    entityType: "staff_user",
    entityId: user.id,
    before: state(!disabled),
    after: state(disabled),
  });
}

/**
 * Disables a user: they cannot log in, and their open sessions end at once (deleted after the
 * commit; until then every request already refuses a disabled user's session). An admin does not
 * disable themselves: another admin does, so someone who can undo it is there.
 * @throws not_found  there is no such user
 * @throws conflict   the user is disabled already
 * @throws rule       the caller is the user; the user is the last active admin
 */
export async function disableStaffUser(caller: Caller, input: { userId: string }): Promise<void> {
  const { userId } = input;
  await inTransaction(async (tx) => {
    const { user, otherActiveAdmins } = await lockUserAndAdmins(tx, userId);
    if (user.disabledAt)
      throw conflict(`${user.email} is disabled already`, undefined, {
        key: "errors.staffUser.disabledAlready",
        values: { email: user.email },
      });
    if (caller.kind === "staff" && caller.userId === userId) {
      throw ruleBroken("You cannot disable your own account; another admin can", undefined, {
        key: "errors.staffUser.disableOwn",
      });
    }
    if (isActiveAdmin(user) && otherActiveAdmins === 0) throw lastAdmin(user.email);
    await setDisabledLocked(tx, caller, user, true);
  });
  await endAllSessions(userId);
}

/**
 * Lets a disabled user log in again.
 * @throws not_found  there is no such user
 * @throws conflict   the user is enabled already
 */
export async function enableStaffUser(caller: Caller, input: { userId: string }): Promise<void> {
  const { userId } = input;
  await inTransaction(async (tx) => {
    const { user } = await lockUserAndAdmins(tx, userId);
    if (!user.disabledAt)
      throw conflict(`${user.email} is enabled already`, undefined, {
        key: "errors.staffUser.enabledAlready",
        values: { email: user.email },
      });
    await setDisabledLocked(tx, caller, user, false);
  });
}

// ---------------------------------------------------------------- resets

/** How long a password reset link works. */
export const RESET_LINK_MINUTES = 30;

/**
 * A one-time link for a user to set a new password (handed over by the admin, e.g. by phone):
 * its token is shown once and stored as SHA-256, works for 30 minutes, and replaces any link the
 * user had not used yet. The password stays as it is until the link is used.
 * @throws not_found  there is no such user
 * @throws rule       the caller is the user (they change it on their account page); the user is disabled
 */
export async function issuePasswordReset(
  caller: Caller,
  input: { userId: string },
): Promise<{ token: string; email: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + RESET_LINK_MINUTES * 60_000);
  const email = await inTransaction(async (tx) => {
    const [user] = await tx.select().from(staffUsers).where(eq(staffUsers.id, input.userId)).for("update");
    if (!user) throw notFound("Staff user", input.userId);
    if (caller.kind === "staff" && caller.userId === user.id)
      throw ruleBroken("Change your own password on your account page", undefined, {
        key: "errors.staffUser.resetOwnPassword",
      });
    if (user.disabledAt)
      throw ruleBroken(`${user.email} is disabled: enable them first`, undefined, {
        key: "errors.staffUser.disabledEnableFirst",
        values: { email: user.email },
      });
    await tx
      .delete(staffPasswordResets)
      .where(and(eq(staffPasswordResets.userId, user.id), isNull(staffPasswordResets.usedAt)));
    await tx.insert(staffPasswordResets).values({
      tokenHash: hashResetToken(token),
      userId: user.id,
      createdBy: caller.kind === "staff" ? caller.email : caller.kind,
      expiresAt,
    });
    await auditStaffAction(tx, caller, {
      action: "staff_user.issue_password_reset",
      entityType: "staff_user",
      entityId: user.id,
      before: null,
      after: { email: user.email, expiresAt: expiresAt.toISOString() },
    });
    return user.email;
  });
  return { token, email, expiresAt };
}

/**
 * Removes a user's second factor (a lost phone and lost recovery codes): their sessions end, and
 * a finance or admin user enrols a new one at their next login (with their password).
 * @throws not_found  there is no such user
 * @throws rule       the caller is the user; the user has no second factor
 */
export async function resetSecondFactor(caller: Caller, input: { userId: string }): Promise<void> {
  const [user] = await db().select().from(staffUsers).where(eq(staffUsers.id, input.userId));
  if (!user) throw notFound("Staff user", input.userId);
  if (caller.kind === "staff" && caller.userId === user.id)
    throw ruleBroken("Another admin resets your second factor; you cannot", undefined, {
      key: "errors.staffUser.resetOwnSecondFactor",
    });
  if (!(await removeSecondFactor(caller, { userId: user.id, email: user.email })))
    throw ruleBroken(`${user.email} has no second factor`, undefined, {
      key: "errors.staffUser.noSecondFactor",
      values: { email: user.email },
    });
  await endAllSessions(user.id);
}
