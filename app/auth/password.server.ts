// argon2id with the OWASP minimum parameters (19 MiB, 2 iterations, 1 lane), and the check of a
// password login that staff and customers share (throttled by login-throttle.server.ts).
import { maskCardNumbers } from "../domain/card-number";
import { hash, verify } from "@node-rs/argon2";
import { loginWaitSeconds, readDeviceToken, recordLoginFailure, type LoginAttempt } from "./login-throttle.server";

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so an unknown email cannot be told from a wrong password. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("paydesk-timing-equaliser");
  await verifyPassword(await dummyHash, password);
  return false;
}

/** Why a password login was refused: a wrong email or password, or too many failures lately. */
export type LoginRefusal = { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

/**
 * The check of a password login, for staff and customers alike. Failures are throttled by
 * counters that hold back only their own source (app/auth/login-throttle.server.ts): an
 * attacker's burst slows the attacker, not the owner on another address or on a browser that
 * logged in before. An unknown email costs the same time as a wrong password. A good password
 * answers the attempt, for recordLoginSuccess once the login is complete.
 */
export async function checkLogin<Account>(input: {
  /** Which login, e.g. "login" (staff) or "customer-login": each has its own counters. */
  keyPrefix: string;
  credentials: { email: string; password: string };
  ip: string;
  request: Request;
  /** The account that may log in with this (trimmed, lower-cased) email, if there is one. */
  find: (email: string) => Promise<Account | undefined>;
  /** Its password hash; null when it has none (and so cannot log in). */
  passwordHash: (account: Account) => string | null;
}): Promise<{ ok: true; account: Account; attempt: LoginAttempt } | LoginRefusal> {
  const attempt = loginAttempt(input.keyPrefix, input.credentials.email, input.ip, input.request);
  const wait = await loginWaitSeconds(attempt);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  const account = await input.find(attempt.account);
  const passwordHash = account === undefined ? null : input.passwordHash(account);
  const valid = passwordHash
    ? await verifyPassword(passwordHash, input.credentials.password)
    : await verifyAgainstNothing(input.credentials.password);
  if (account === undefined || !valid) {
    await recordLoginFailure(attempt);
    return { ok: false, reason: "invalid" };
  }
  // The counters start again only when the login is complete (recordLoginSuccess): a staff login
  // with a second factor is not, yet, and its wrong codes count on the same counters.
  return { ok: true, account, attempt };
}

/** The attempt of a login by `email` with this request (its address and device cookie). */
export function loginAttempt(keyPrefix: string, email: string, ip: string, request: Request): LoginAttempt {
  // The email is stored on the failure counters: a card number typed into it is masked there like
  // in every log line (no account's email holds one, so no two accounts share a masked key).
  const account = maskCardNumbers(email.trim().toLowerCase());
  return { scope: keyPrefix, account, ip, deviceToken: readDeviceToken(request) };
}
