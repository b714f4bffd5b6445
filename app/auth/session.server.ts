// Staff sessions. Lucia v3 is deprecated upstream, so everything about it stays in this file:
// routes only call login/logout/requireStaffUser/requirePermission and never see lucia types.
//
// The cookie holds a random token; staff_sessions holds only its SHA-256 as the session id (as
// customer sessions do, and the pattern of lucia's session guide, by `createSession(…, { sessionId })` of lucia 3.2),
// so a copy of the table opens no session. The idle timeout is lucia's expiresAt, pushed forward
// while the session is used; the absolute timeout counts from createdAt and nothing extends it.
//
// A login is one or two steps (docs/decisions/022-staff-accounts.md): the password opens a
// session that is still `pending` when the user has a second factor (step "totp": a code or a
// recovery code comes next) or must enrol one (step "enrol": finance and admin). A pending
// session opens nothing but its next step, for 10 minutes at most; completing it replaces it
// with a new, complete session. The cookie itself has no Max-Age, so a closed
// browser forgets it too. It is Secure whenever the request came over HTTPS and always when
// PAYDESK_COOKIE_SECURE=true (set by the server when NODE_ENV=production), see
// docs/decisions/001-foundation.md.
import { maskCardNumbers } from "../domain/card-number";
import { createHash, randomBytes } from "node:crypto";
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { Lucia, TimeSpan } from "lucia";
import { db, type Db } from "../../db/client";
import { staffSessions, staffUsers } from "../../db/schema";
import type { RequestContext } from "../platform/request-context";
import { recordAudit } from "../platform/audit.server";
import { cookieAttributes } from "./cookie.server";
import { recordLoginFailure, recordLoginSuccess } from "./login-throttle.server";
import { checkLogin, loginAttempt, type LoginRefusal } from "./password.server";
import { isRole, roleHasPermission, secondFactorRequired, type Permission, type Role, type SessionStep } from "./roles";
import { safeRedirect } from "./safe-redirect";
import { isColorSchemeChoice, type ColorSchemeChoice } from "../domain/color-scheme";
import {
  isDatabaseUnavailable,
  requestDeadlineMs,
  RETRY_AFTER_SECONDS,
  withDeadline,
} from "../platform/unavailable.server";

export type StaffUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  timeZone: string;
  /** The screens' language the user chose; null follows the browser. */
  language: "en" | "nb" | null;
  /** Whether the user logs in with a TOTP code after the password. */
  hasSecondFactor: boolean;
  /** The back-office's colour scheme they chose (auto: the system's). */
  colorScheme: ColorSchemeChoice;
};

export const SESSION_COOKIE_NAME = "paydesk_session";

function minutesFromEnv(name: string, fallback: number): number {
  const value = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Idle timeout: a session unused this long is over. */
export const idleTimeoutMinutes = () => minutesFromEnv("PAYDESK_SESSION_IDLE_MINUTES", 60);
/** Absolute timeout: no session lives longer than this, however busy. */
export const absoluteTimeoutMinutes = () => minutesFromEnv("PAYDESK_SESSION_ABSOLUTE_MINUTES", 12 * 60);

/** How long a session may wait in its second step. */
const PENDING_MINUTES = 10;
/** Wrong codes a pending session may take before it ends (and the password must be typed again). */
export const MAX_FAILED_CODES = 5;
/** Where a login whose pending session ended on wrong codes starts over (the page says why). */
export const TOO_MANY_CODES = "/login?again=codes";

type DatabaseUserAttributes = {
  email: string;
  name: string;
  role: string;
  timeZone: string;
  language: "en" | "nb" | null;
  disabledAt: Date | null;
  totpSecret: string | null;
  colorScheme: string;
};
type DatabaseSessionAttributes = {
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  pendingStep: SessionStep | null;
  totpCandidate: string | null;
  failedCodes: number;
};

function createLucia(database: Db) {
  return new Lucia(new DrizzlePostgreSQLAdapter(database, staffSessions, staffUsers), {
    sessionExpiresIn: new TimeSpan(idleTimeoutMinutes(), "m"),
    sessionCookie: { name: SESSION_COOKIE_NAME },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      timeZone: attributes.timeZone,
      language: attributes.language,
      disabledAt: attributes.disabledAt,
      hasSecondFactor: attributes.totpSecret !== null,
      colorScheme: isColorSchemeChoice(attributes.colorScheme) ? attributes.colorScheme : "auto",
    }),
    getSessionAttributes: (attributes) => ({
      createdAt: attributes.createdAt,
      pendingStep: attributes.pendingStep,
      totpCandidate: attributes.totpCandidate,
      failedCodes: attributes.failedCodes,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: DatabaseUserAttributes;
    DatabaseSessionAttributes: DatabaseSessionAttributes;
  }
}

const instances = new WeakMap<Db, ReturnType<typeof createLucia>>();
function lucia() {
  const database = db();
  let instance = instances.get(database);
  if (!instance) {
    instance = createLucia(database);
    instances.set(database, instance);
  }
  return instance;
}

// ---------------------------------------------------------------- the cookie

function sessionCookie(token: string, request: Request): string {
  return `${SESSION_COOKIE_NAME}=${token}; ${cookieAttributes(request)}`;
}

/** The session id a cookie's token stands for: its SHA-256, the only form the database keeps. */
function sessionIdOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function readSessionToken(request: Request): string | null {
  const token = lucia().readSessionCookie(request.headers.get("cookie") ?? "");
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

/** A new session (complete, or waiting for `step`); answers the cookie that carries its token. */
async function startSession(
  userId: string,
  request: Request,
  context: RequestContext,
  step: SessionStep | null,
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await lucia().createSession(
    userId,
    {
      createdAt: new Date(),
      ip: context.clientIp,
      userAgent: maskCardNumbers(request.headers.get("user-agent")?.slice(0, 300) ?? "") || null,
      pendingStep: step,
      totpCandidate: null,
      failedCodes: 0,
    },
    { sessionId: sessionIdOf(token) },
  );
  return sessionCookie(token, request);
}

function blankSessionCookie(request: Request): string {
  return `${SESSION_COOKIE_NAME}=; Max-Age=0; ${cookieAttributes(request)}`;
}

// ---------------------------------------------------------------- login

export type LoginResult =
  | {
      ok: true;
      user: StaffUser;
      /** The session's cookie, and the device cookie of a browser that got the password right. */
      setCookie: string[];
      /** What the new session still needs: a code, or enrolling a second factor; null when none. */
      step: SessionStep | null;
    }
  | LoginRefusal;

/**
 * The password step of a staff login, throttled by checkLogin (decision 001); a disabled user
 * cannot log in. A user with a second factor, or whose role requires one, gets a pending session.
 */
export async function login(
  request: Request,
  input: { email: string; password: string },
  context: RequestContext,
): Promise<LoginResult> {
  const checked = await checkLogin({
    keyPrefix: "login",
    credentials: input,
    ip: context.clientIp,
    request,
    find: async (email) => {
      const [row] = await db()
        .select()
        .from(staffUsers)
        .where(and(sql`lower(${staffUsers.email}) = ${email}`, isNull(staffUsers.disabledAt)));
      return row && isRole(row.role) ? { ...row, role: row.role } : undefined;
    },
    passwordHash: (row) => row.passwordHash,
  });
  if (!checked.ok) return checked;
  const row = checked.account;
  const user = toStaffUser({ ...row, hasSecondFactor: row.totpSecret !== null });
  const step: SessionStep | null = user.hasSecondFactor ? "totp" : nextStep(user, null);
  // Always a new session id on login: nothing from before the login is trusted after it.
  const setCookie = [await startSession(row.id, request, context, step)];
  if (step === null) {
    await auditLogin(user, request, context, null);
    setCookie.push(await recordLoginSuccess(checked.attempt, request));
  }
  return { ok: true, user, setCookie, step };
}

/** The step a session of this user still lacks: its own pending step, else enrolment when required. */
function nextStep(user: StaffUser, pendingStep: SessionStep | null): SessionStep | null {
  if (pendingStep) return pendingStep;
  if (!user.hasSecondFactor && secondFactorRequired(user.role)) return "enrol";
  return null;
}

async function auditLogin(
  user: StaffUser,
  request: Request,
  context: RequestContext,
  secondFactor: "totp" | "recovery_code" | "enrolled" | null,
) {
  await recordAudit(
    db(),
    {
      actor: actorOf(user),
      action: "auth.login",
      entityType: "staff_user",
      entityId: user.id,
      after: secondFactor ? { secondFactor } : null,
    },
    context,
    request.headers.get("user-agent"),
  );
}

/**
 * Ends a pending session whose step is done and starts a complete one in its place (a new token:
 * what was known before the second factor opens nothing after it). Answers its cookie and the
 * device cookie.
 */
export async function completeLogin(
  pending: StaffSession,
  request: Request,
  context: RequestContext,
  how: "totp" | "recovery_code" | "enrolled",
): Promise<string[]> {
  await lucia().invalidateSession(pending.sessionId);
  const setCookie = await startSession(pending.user.id, request, context, null);
  await auditLogin(pending.user, request, context, how);
  // The login is complete: its throttling counters start again, and this browser is known.
  const attempt = loginAttempt("login", pending.user.email, context.clientIp, request);
  return [setCookie, await recordLoginSuccess(attempt, request)];
}

/** The Set-Cookie headers of several cookies (a session and a device cookie). */
export function setCookieHeaders(cookies: string | string[]): Headers {
  const headers = new Headers();
  for (const cookie of [cookies].flat()) headers.append("Set-Cookie", cookie);
  return headers;
}

/**
 * Counts a wrong code against the pending session; after MAX_FAILED_CODES the session ends and
 * the password must be typed again (so guessing codes costs a password login each few tries,
 * and those slow down). Answers whether the session is still open.
 */
export async function recordWrongCode(
  pending: StaffSession,
  request: Request,
  context: RequestContext,
): Promise<boolean> {
  // A wrong code counts like a wrong password on the login's counters: guessing codes with a
  // known password slows down as guessing passwords does.
  await recordLoginFailure(loginAttempt("login", pending.user.email, context.clientIp, request));
  const [row] = await db()
    .update(staffSessions)
    .set({ failedCodes: sql`${staffSessions.failedCodes} + 1` })
    .where(eq(staffSessions.id, pending.sessionId))
    .returning({ failedCodes: staffSessions.failedCodes });
  if (row && row.failedCodes < MAX_FAILED_CODES) return true;
  await lucia().invalidateSession(pending.sessionId);
  return false;
}

/** Keeps the secret offered for enrolment on the session, until a code from it confirms it. */
export async function offerTotpCandidate(session: StaffSession, secret: string): Promise<void> {
  await db().update(staffSessions).set({ totpCandidate: secret }).where(eq(staffSessions.id, session.sessionId));
}

export async function logout(request: Request, context: RequestContext): Promise<string> {
  const found = await readSession(request);
  if (found) {
    await lucia().invalidateSession(found.sessionId);
    if (found.step === null) {
      await recordAudit(
        db(),
        { actor: actorOf(found.user), action: "auth.logout", entityType: "staff_user", entityId: found.user.id },
        context,
        request.headers.get("user-agent"),
      );
    }
  }
  return blankSessionCookie(request);
}

/** Ends every session of a user at once (on disable, password reset, second factor reset). */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}

/**
 * Ends every session of the user but this request's, and gives this one a new token (after the
 * user changed their password or second factor: whoever knew the old one is out, they are not).
 */
export async function endOtherSessions(request: Request, context: RequestContext, user: StaffUser): Promise<string> {
  await lucia().invalidateUserSessions(user.id);
  return startSession(user.id, request, context, null);
}

// ---------------------------------------------------------------- reading the session

export type StaffSession = {
  user: StaffUser;
  sessionId: string;
  /** What the session still lacks; null when it is complete. */
  step: SessionStep | null;
  totpCandidate: string | null;
};

/** A session waiting for its second step (a code, or enrolment). */
export type PendingSession = StaffSession & { step: SessionStep };

async function readSession(request: Request): Promise<StaffSession | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  const { session, user } = await lucia().validateSession(sessionIdOf(token));
  if (!session || !user) return null;
  const ageMinutes = (Date.now() - session.createdAt.getTime()) / 60_000;
  const expired =
    ageMinutes > absoluteTimeoutMinutes() || (session.pendingStep !== null && ageMinutes > PENDING_MINUTES);
  // A login waiting for a code of a second factor that an admin has since reset starts over.
  const stale = session.pendingStep === "totp" && !user.hasSecondFactor;
  if (user.disabledAt || !isRole(user.role) || expired || stale) {
    await lucia().invalidateSession(session.id);
    return null;
  }
  const staffUser = toStaffUser({ ...user, role: user.role });
  return {
    sessionId: session.id,
    user: staffUser,
    step: nextStep(staffUser, session.pendingStep),
    totpCandidate: session.totpCandidate,
  };
}

/** The signed-in staff user (with a complete session), or null. */
export async function getStaffUser(request: Request): Promise<StaffUser | null> {
  const found = await readSession(request);
  return found && found.step === null ? found.user : null;
}

/** The session of a login waiting for its second step, or null (none, or complete). */
export async function getPendingSession(request: Request): Promise<PendingSession | null> {
  const found = await readSession(request);
  return found && found.step !== null ? (found as PendingSession) : null;
}

/**
 * A session that may enrol a second factor: a login waiting to enrol (finance, admin), or the
 * complete session of a user who has none yet (support, who may).
 */
export async function getEnrolmentSession(request: Request): Promise<StaffSession | null> {
  const found = await readSession(request);
  if (!found) return null;
  return found.step === "enrol" || (found.step === null && !found.user.hasSecondFactor) ? found : null;
}

/** The path of a login step, carrying where to go afterwards. */
export function stepPath(step: SessionStep, redirectTo: string | null | undefined): string {
  const path = step === "totp" ? "/login/code" : "/login/enrol";
  const back = safeRedirect(redirectTo, "/");
  return back === "/" ? path : `${path}?${new URLSearchParams({ redirectTo: back })}`;
}

/**
 * The signed-in staff user; anyone else is sent to the login page (or to the step their login
 * still lacks) and brought back after.
 */
export async function requireStaffUser(request: Request): Promise<StaffUser> {
  const found = await sessionOrUnavailable(request);
  const url = new URL(request.url);
  const back = safeRedirect(`${url.pathname}${url.search}`, "/");
  if (found?.step === null) return found.user;
  if (found) throw redirect(stepPath(found.step, back));
  const params = back === "/" ? "" : `?${new URLSearchParams({ redirectTo: back })}`;
  throw redirect(`/login${params}`, { headers: { "Set-Cookie": blankSessionCookie(request) } });
}

/**
 * The session check is every staff screen's first database call: when the database is down or
 * hung, the screen answers 503 at once ("try again shortly") instead of a 500 or a spinner.
 */
async function sessionOrUnavailable(request: Request): Promise<StaffSession | null> {
  try {
    return await withDeadline(requestDeadlineMs(), () => readSession(request));
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    throw new Response("The database is unavailable right now. Try again in a moment.", {
      status: 503,
      statusText: "Service Unavailable",
      headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
    });
  }
}

/** The signed-in staff user if their role grants `permission`; otherwise a 403 is thrown. */
export async function requirePermission(request: Request, permission: Permission): Promise<StaffUser> {
  const user = await requireStaffUser(request);
  if (!roleHasPermission(user.role, permission)) {
    throw new Response(`Your role (${user.role}) may not do this (${permission}).`, {
      status: 403,
      statusText: "Forbidden",
    });
  }
  return user;
}

export function actorOf(user: StaffUser) {
  return { userId: user.id, email: user.email };
}

function toStaffUser(row: StaffUser): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    timeZone: row.timeZone,
    language: row.language,
    hasSecondFactor: row.hasSecondFactor,
    colorScheme: row.colorScheme,
  };
}

/** Removes sessions past their idle expiry; run now and then by the server. */
export async function deleteExpiredSessions(): Promise<void> {
  await lucia().deleteExpiredSessions();
  const cutoff = new Date(Date.now() - absoluteTimeoutMinutes() * 60_000);
  await db().delete(staffSessions).where(lt(staffSessions.createdAt, cutoff));
}
