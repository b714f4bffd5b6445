// Throttling of password logins (staff and customers) that an attacker cannot turn against the
// owner (docs/decisions/024-login-throttling.md). Failures are counted, in PostgreSQL so that
// every instance shares them, on counters that each hold back only their own source:
//
//   - per account and address: a burst from one address slows that address for that account;
//   - per address over every account: one address spraying many accounts slows itself;
//   - per account over many addresses: only when failures come from many addresses at once
//     (a distributed attack), and then only for browsers the account never logged in from;
//   - per known device: a browser with a device cookie from an earlier good login of the account
//     skips all three above and has its own counter, so the owner gets in whatever others do.
//
// Each counter gives a few failures free, then doubles a wait (1 s, 2 s, 4 s … 15 minutes at
// most) that counts from its last failure (app/domain/login-throttle.ts). Nothing locks.
import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, like, lt, lte, max, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { knownDevices, loginFailures } from "../../db/schema";
import { secondsToWait, type ThrottleRule } from "../domain/login-throttle";
import { cookieAttributes } from "./cookie.server";

export const DEVICE_COOKIE_NAME = "paydesk_device";
const DEVICE_COOKIE_DAYS = 180;

/** A counter whose last failure is older than this starts again. */
const RESET_MS = 60 * 60_000;

export const RULES = {
  /** One address trying one account. */
  accountAddress: { free: 5, firstDelaySeconds: 1, maxDelaySeconds: 900 },
  /** One address trying any accounts (an office behind one address has many users). */
  address: { free: 30, firstDelaySeconds: 1, maxDelaySeconds: 900 },
  /** A browser that logged in to the account before. */
  device: { free: 10, firstDelaySeconds: 1, maxDelaySeconds: 900 },
  /** Addresses failing on one account within the hour, for browsers the account does not know. */
  distributed: { free: 10, firstDelaySeconds: 1, maxDelaySeconds: 900 },
} satisfies Record<string, ThrottleRule>;

export type LoginAttempt = {
  /** Which login: "login" (staff) or "customer-login". */
  scope: string;
  /** The email tried, trimmed and lower-cased. */
  account: string;
  ip: string;
  /** The device cookie the browser sent, if any (trusted only if it logged in to this account). */
  deviceToken: string | null;
};

const hash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

// ---------------------------------------------------------------- the device cookie

export function readDeviceToken(request: Request): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === DEVICE_COOKIE_NAME) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
    }
  }
  return null;
}

function deviceCookie(token: string, request: Request): string {
  return `${DEVICE_COOKIE_NAME}=${token}; Max-Age=${DEVICE_COOKIE_DAYS * 86_400}; ${cookieAttributes(request)}`;
}

async function isKnownDevice(attempt: LoginAttempt): Promise<boolean> {
  if (!attempt.deviceToken) return false;
  const [row] = await db()
    .select({ one: sql<number>`1` })
    .from(knownDevices)
    .where(
      and(
        eq(knownDevices.tokenHash, hash(attempt.deviceToken)),
        eq(knownDevices.scope, attempt.scope),
        eq(knownDevices.account, attempt.account),
      ),
    );
  return row !== undefined;
}

// ---------------------------------------------------------------- counters

type Counter = { account: string; source: string; rule: ThrottleRule };

/** The counters an attempt is held back by and counted on. */
async function countersOf(attempt: LoginAttempt): Promise<{ known: boolean; counters: Counter[] }> {
  if (await isKnownDevice(attempt)) {
    return {
      known: true,
      counters: [{ account: attempt.account, source: `device:${hash(attempt.deviceToken!)}`, rule: RULES.device }],
    };
  }
  return {
    known: false,
    counters: [
      { account: attempt.account, source: `ip:${attempt.ip}`, rule: RULES.accountAddress },
      { account: "", source: `ip:${attempt.ip}`, rule: RULES.address },
    ],
  };
}

/** The row of one counter of a login scope. */
function counterRow(scope: string, counter: Counter) {
  return and(
    eq(loginFailures.scope, scope),
    eq(loginFailures.account, counter.account),
    eq(loginFailures.source, counter.source),
  );
}

/** Seconds this attempt must still wait; 0 when it may go ahead. */
export async function loginWaitSeconds(attempt: LoginAttempt, now = new Date()): Promise<number> {
  const { known, counters } = await countersOf(attempt);
  const since = new Date(now.getTime() - RESET_MS);
  let wait = 0;
  for (const counter of counters) {
    const [row] = await db()
      .select()
      .from(loginFailures)
      .where(and(counterRow(attempt.scope, counter), gt(loginFailures.lastFailureAt, since)));
    if (row) wait = Math.max(wait, secondsToWait(row.failures, row.lastFailureAt, now, counter.rule));
  }
  if (!known) {
    // Many addresses failing on this account within the hour: a distributed attack. Browsers the
    // account does not know wait by how many; the owner's known browsers do not.
    const [spread] = await db()
      .select({ addresses: count(), latest: max(loginFailures.lastFailureAt) })
      .from(loginFailures)
      .where(
        and(
          eq(loginFailures.scope, attempt.scope),
          eq(loginFailures.account, attempt.account),
          like(loginFailures.source, "ip:%"),
          gt(loginFailures.lastFailureAt, since),
        ),
      );
    if (spread?.latest) {
      wait = Math.max(wait, secondsToWait(Number(spread.addresses), new Date(spread.latest), now, RULES.distributed));
    }
  }
  return wait;
}

/** Counts a failed attempt (a wrong password, or a wrong second-factor code) on its counters. */
export async function recordLoginFailure(attempt: LoginAttempt, now = new Date()): Promise<void> {
  const { counters } = await countersOf(attempt);
  const since = new Date(now.getTime() - RESET_MS);
  for (const counter of counters) {
    await db()
      .insert(loginFailures)
      .values({
        scope: attempt.scope,
        account: counter.account,
        source: counter.source,
        failures: 1,
        lastFailureAt: now,
      })
      .onConflictDoUpdate({
        target: [loginFailures.scope, loginFailures.account, loginFailures.source],
        set: {
          // (lte, not a bare Date in sql``: postgres.js takes a Date only through the column's type.)
          failures: sql`case when ${lte(loginFailures.lastFailureAt, since)} then 1 else ${loginFailures.failures} + 1 end`,
          lastFailureAt: now,
        },
      });
  }
}

/**
 * A good password: the attempt's own counters for the account start again (not the address's
 * over every account: logging in to one's own account must not wipe a spray's trace), and the
 * browser becomes a known device of the account. Answers the device cookie to set.
 */
export async function recordLoginSuccess(attempt: LoginAttempt, request: Request, now = new Date()): Promise<string> {
  const { counters } = await countersOf(attempt);
  for (const counter of counters.filter((c) => c.account !== "")) {
    await db().delete(loginFailures).where(counterRow(attempt.scope, counter));
  }
  const token = attempt.deviceToken ?? randomBytes(32).toString("base64url");
  await db()
    .insert(knownDevices)
    .values({ tokenHash: hash(token), scope: attempt.scope, account: attempt.account, lastUsedAt: now })
    .onConflictDoUpdate({
      target: [knownDevices.tokenHash, knownDevices.scope, knownDevices.account],
      set: { lastUsedAt: now },
    });
  return deviceCookie(token, request);
}

/** Drops counters an hour past their last failure and devices unused for the cookie's lifetime. */
export async function pruneLoginThrottling(now = Date.now()): Promise<void> {
  await db()
    .delete(loginFailures)
    .where(lt(loginFailures.lastFailureAt, new Date(now - RESET_MS)));
  await db()
    .delete(knownDevices)
    .where(lt(knownDevices.lastUsedAt, new Date(now - DEVICE_COOKIE_DAYS * 86_400_000)));
}
