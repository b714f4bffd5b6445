// Staff sessions. Lucia v3 is deprecated upstream, so everything about it stays in this file:
// routes only call login/logout/requireStaffUser/requirePermission and never see lucia types.
//
// The cookie holds only the session id; the row in staff_sessions is the session. The idle
// timeout is lucia's expiresAt, pushed forward while the session is used; the absolute timeout
// counts from createdAt and nothing extends it. The cookie itself has no Max-Age, so a closed
// browser forgets it too. It is Secure whenever the request came over HTTPS and always when
// PAYDESK_COOKIE_SECURE=true (set by the server when NODE_ENV=production), see
// docs/decisions/001-foundation.md.
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { and, isNull, sql } from "drizzle-orm";
import { Lucia, TimeSpan } from "lucia";
import { db, type Db } from "../../db/client";
import { staffSessions, staffUsers } from "../../db/schema";
import type { RequestContext } from "../platform/request-context";
import { recordAudit } from "../platform/audit.server";
import { checkLogin, type LoginRefusal } from "./password.server";
import { isRole, roleHasPermission, type Permission, type Role } from "./roles";
import { safeRedirect } from "./safe-redirect";
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

type DatabaseUserAttributes = {
  email: string;
  name: string;
  role: string;
  timeZone: string;
  disabledAt: Date | null;
};
type DatabaseSessionAttributes = { createdAt: Date; ip: string | null; userAgent: string | null };

function createLucia(database: Db) {
  return new Lucia(new DrizzlePostgreSQLAdapter(database, staffSessions, staffUsers), {
    sessionExpiresIn: new TimeSpan(idleTimeoutMinutes(), "m"),
    sessionCookie: { name: SESSION_COOKIE_NAME },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      timeZone: attributes.timeZone,
      disabledAt: attributes.disabledAt,
    }),
    getSessionAttributes: (attributes) => ({ createdAt: attributes.createdAt }),
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

/** Path=/; HttpOnly; SameSite=Lax, and Secure on HTTPS or when PAYDESK_COOKIE_SECURE=true (customer sessions use it too). */
export function cookieAttributes(request: Request): string {
  const secure = process.env.PAYDESK_COOKIE_SECURE === "true" || new URL(request.url).protocol === "https:";
  return `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

function sessionCookie(sessionId: string, request: Request): string {
  return `${SESSION_COOKIE_NAME}=${sessionId}; ${cookieAttributes(request)}`;
}

function blankSessionCookie(request: Request): string {
  return `${SESSION_COOKIE_NAME}=; Max-Age=0; ${cookieAttributes(request)}`;
}

// ---------------------------------------------------------------- login

export type LoginResult = { ok: true; user: StaffUser; setCookie: string } | LoginRefusal;

/** A staff login, throttled by checkLogin (decision 001); a disabled user cannot log in. */
export async function login(
  request: Request,
  input: { email: string; password: string },
  context: RequestContext,
): Promise<LoginResult> {
  const userAgent = request.headers.get("user-agent");
  const checked = await checkLogin({
    keyPrefix: "login",
    credentials: input,
    ip: context.clientIp,
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

  // Always a new session id on login: nothing from before the login is trusted after it.
  const session = await lucia().createSession(row.id, {
    createdAt: new Date(),
    ip: context.clientIp,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  const user = toStaffUser(row);
  await recordAudit(
    db(),
    { actor: actorOf(user), action: "auth.login", entityType: "staff_user", entityId: user.id },
    context,
    userAgent,
  );
  return { ok: true, user, setCookie: sessionCookie(session.id, request) };
}

export async function logout(request: Request, context: RequestContext): Promise<string> {
  const found = await readSession(request);
  if (found) {
    await lucia().invalidateSession(found.sessionId);
    await recordAudit(
      db(),
      { actor: actorOf(found.user), action: "auth.logout", entityType: "staff_user", entityId: found.user.id },
      context,
      request.headers.get("user-agent"),
    );
  }
  return blankSessionCookie(request);
}

/** Ends every session of a user at once (on disable, role change, password reset). */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}

// ---------------------------------------------------------------- reading the session

type FoundSession = { user: StaffUser; sessionId: string };

async function readSession(request: Request): Promise<FoundSession | null> {
  const sessionId = lucia().readSessionCookie(request.headers.get("cookie") ?? "");
  if (!sessionId) return null;
  const { session, user } = await lucia().validateSession(sessionId);
  if (!session || !user) return null;
  const ageMinutes = (Date.now() - session.createdAt.getTime()) / 60_000;
  if (user.disabledAt || !isRole(user.role) || ageMinutes > absoluteTimeoutMinutes()) {
    await lucia().invalidateSession(session.id);
    return null;
  }
  return { sessionId: session.id, user: toStaffUser({ ...user, role: user.role }) };
}

/** The signed-in staff user, or null. */
export async function getStaffUser(request: Request): Promise<StaffUser | null> {
  return (await readSession(request))?.user ?? null;
}

/** The signed-in staff user; anyone else is sent to the login page and brought back after. */
export async function requireStaffUser(request: Request): Promise<StaffUser> {
  const user = await staffUserOrUnavailable(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = safeRedirect(`${url.pathname}${url.search}`, "/");
  const params = back === "/" ? "" : `?${new URLSearchParams({ redirectTo: back })}`;
  throw redirect(`/login${params}`, { headers: { "Set-Cookie": blankSessionCookie(request) } });
}

/**
 * The session check is every staff screen's first database call: when the database is down or
 * hung, the screen answers 503 at once ("try again shortly") instead of a 500 or a spinner.
 */
async function staffUserOrUnavailable(request: Request): Promise<StaffUser | null> {
  try {
    return await withDeadline(requestDeadlineMs(), () => getStaffUser(request));
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

function toStaffUser(row: { id: string; email: string; name: string; role: Role; timeZone: string }): StaffUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, timeZone: row.timeZone };
}

/** Removes sessions past their idle expiry; run now and then by the server. */
export async function deleteExpiredSessions(): Promise<void> {
  await lucia().deleteExpiredSessions();
  const cutoff = new Date(Date.now() - absoluteTimeoutMinutes() * 60_000);
  await db()
    .delete(staffSessions)
    .where(sql`${staffSessions.createdAt} < ${cutoff}`);
}
