// End-customer sessions for product self-service, apart from staff sessions: their own
// table (customer_sessions), their own cookie, their own login page (/account/login). A staff
// cookie never opens a customer page and a customer cookie never opens a staff page.
//
// The cookie holds a random token; the table holds only its SHA-256, so a leaked database copy
// cannot be replayed as a cookie. Idle timeout (pushed forward while used) and absolute timeout
// (from created_at) as for staff; logout deletes the row, and with it (ON DELETE CASCADE) every
// customer code and access token issued from that session (customer-token.server.ts).
import { createHash, randomBytes } from "node:crypto";
import { redirect } from "@remix-run/node";
import { eq, lt, or, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { customers, customerSessions } from "../../db/schema";
import type { RequestContext } from "../platform/request-context";
import { recordLoginSuccess } from "./login-throttle.server";
import { checkLogin, type LoginRefusal } from "./password.server";
import { safeRedirect } from "./safe-redirect";
import { cookieAttributes } from "./cookie.server";

export const CUSTOMER_COOKIE_NAME = "paydesk_customer";

const IDLE_MINUTES = 30;
const ABSOLUTE_MINUTES = 12 * 60;
const MINUTE = 60_000;

export type Customer = { customerNumber: string; name: string; email: string; organisationId: number | null };
export type CustomerSession = { customer: Customer; sessionId: string; createdAt: Date };

export function hashCustomerSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The session's start, before which a session (and what it issued) is over whatever its idle expiry says. */
export function absoluteCutoff(now = Date.now()): Date {
  return new Date(now - ABSOLUTE_MINUTES * MINUTE);
}

// ---------------------------------------------------------------- the cookie

function sessionCookie(token: string, request: Request): string {
  return `${CUSTOMER_COOKIE_NAME}=${token}; ${cookieAttributes(request)}`;
}

function blankCookie(request: Request): string {
  return `${CUSTOMER_COOKIE_NAME}=; Max-Age=0; ${cookieAttributes(request)}`;
}

function readCookieToken(request: Request): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CUSTOMER_COOKIE_NAME) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{40,60}$/.test(value) ? value : null;
    }
  }
  return null;
}

// ---------------------------------------------------------------- login and logout

export type CustomerLoginResult = { ok: true; session: CustomerSession; setCookie: string[] } | LoginRefusal;

/** Failed logins are throttled as for staff (checkLogin), under keys of their own. */
export async function customerLogin(
  request: Request,
  input: { email: string; password: string },
  context: RequestContext,
): Promise<CustomerLoginResult> {
  const checked = await checkLogin({
    keyPrefix: "customer-login",
    credentials: input,
    ip: context.clientIp,
    request,
    find: async (email) => {
      const [row] = await db()
        .select()
        .from(customers)
        .where(sql`lower(${customers.email}) = ${email}`);
      return row;
    },
    // Customers without a password (most of the generated demo base) cannot log in at all.
    passwordHash: (row) => row.passwordHash,
  });
  if (!checked.ok) return checked;
  const row = checked.account;
  // Always a new session on login: nothing from before the login is trusted after it.
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const sessionId = hashCustomerSecret(token);
  await db()
    .insert(customerSessions)
    .values({
      id: sessionId,
      customerNumber: row.customerNumber,
      expiresAt: new Date(now.getTime() + IDLE_MINUTES * MINUTE),
      createdAt: now,
    });
  return {
    ok: true,
    session: { customer: toCustomer(row), sessionId, createdAt: now },
    setCookie: [sessionCookie(token, request), await recordLoginSuccess(checked.attempt, request)],
  };
}

/** Ends the session (and every code and access token it issued); answers the cookie that forgets it. */
export async function customerLogout(request: Request): Promise<string> {
  const token = readCookieToken(request);
  if (token)
    await db()
      .delete(customerSessions)
      .where(eq(customerSessions.id, hashCustomerSecret(token)));
  return blankCookie(request);
}

// ---------------------------------------------------------------- reading the session

export async function getCustomerSession(request: Request): Promise<CustomerSession | null> {
  const token = readCookieToken(request);
  if (!token) return null;
  const id = hashCustomerSecret(token);
  const [row] = await db()
    .select({ session: customerSessions, customer: customers })
    .from(customerSessions)
    .innerJoin(customers, eq(customers.customerNumber, customerSessions.customerNumber))
    .where(eq(customerSessions.id, id));
  if (!row || !(await keepAlive(row.session))) return null;
  return { customer: toCustomer(row.customer), sessionId: id, createdAt: row.session.createdAt };
}

/**
 * False (and the session is deleted) when it is past its idle or absolute expiry; otherwise its
 * idle expiry is pushed forward, at most once a minute (not one write per request). Used by the
 * pages and by every API call with a customer token, which counts as the customer's activity.
 */
export async function keepAlive(
  session: { id: string; expiresAt: Date; createdAt: Date },
  now = Date.now(),
): Promise<boolean> {
  if (session.expiresAt.getTime() <= now || session.createdAt.getTime() <= absoluteCutoff(now).getTime()) {
    await db().delete(customerSessions).where(eq(customerSessions.id, session.id));
    return false;
  }
  const renewed = now + IDLE_MINUTES * MINUTE;
  if (renewed - session.expiresAt.getTime() > MINUTE) {
    await db()
      .update(customerSessions)
      .set({ expiresAt: new Date(renewed) })
      .where(eq(customerSessions.id, session.id));
  }
  return true;
}

/** The logged-in customer; anyone else goes to the customer login and is brought back after it. */
export async function requireCustomerSession(request: Request): Promise<CustomerSession> {
  const session = await getCustomerSession(request);
  if (session) return session;
  throw redirect(customerLoginPath(request), { headers: { "Set-Cookie": blankCookie(request) } });
}

/** /account/login with this request's path as redirectTo (same-site paths only). */
export function customerLoginPath(request: Request): string {
  const url = new URL(request.url);
  const back = safeRedirect(`${url.pathname}${url.search}`, "/account");
  return back === "/account" ? "/account/login" : `/account/login?${new URLSearchParams({ redirectTo: back })}`;
}

export function toCustomer(row: typeof customers.$inferSelect): Customer {
  return { customerNumber: row.customerNumber, name: row.name, email: row.email, organisationId: row.organisationId };
}

/** Removes customer sessions past their idle or absolute expiry (their codes and tokens go with them). */
export async function deleteExpiredCustomerSessions(now = Date.now()): Promise<void> {
  await db()
    .delete(customerSessions)
    .where(or(lt(customerSessions.expiresAt, new Date(now)), lt(customerSessions.createdAt, absoluteCutoff(now))));
}
