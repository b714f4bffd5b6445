// argon2id with the OWASP minimum parameters (19 MiB, 2 iterations, 1 lane), and the check of a
// password login that staff and customers share.
import { hash, verify } from "@node-rs/argon2";
import { hitRateLimit, peekRateLimit, type Window } from "../platform/rate-limit.server";

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

const LOGIN_WINDOW_SECONDS = 15 * 60;

/**
 * The check of a password login, for staff and customers alike (decision 001). Failed logins are
 * counted per account and per address over 15 minutes, under keys of each kind of login's own
 * (`keyPrefix`); a locked account unlocks when its window ends, so an attacker can hold a user out
 * for 15 minutes at most. An unknown email costs the same time as a wrong password.
 */
export async function checkLogin<Account>(input: {
  keyPrefix: string;
  credentials: { email: string; password: string };
  ip: string;
  /** The account that may log in with this (trimmed, lower-cased) email, if there is one. */
  find: (email: string) => Promise<Account | undefined>;
  /** Its password hash; null when it has none (and so cannot log in). */
  passwordHash: (account: Account) => string | null;
}): Promise<{ ok: true; account: Account } | LoginRefusal> {
  const email = input.credentials.email.trim().toLowerCase();
  const windows: Window[] = [
    { key: `${input.keyPrefix}:account:${email}`, limit: 10, windowSeconds: LOGIN_WINDOW_SECONDS },
    { key: `${input.keyPrefix}:ip:${input.ip}`, limit: 50, windowSeconds: LOGIN_WINDOW_SECONDS },
  ];
  for (const window of windows) {
    const state = await peekRateLimit(window);
    if (!state.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: state.retryAfterSeconds };
  }
  const account = await input.find(email);
  const passwordHash = account === undefined ? null : input.passwordHash(account);
  const valid = passwordHash
    ? await verifyPassword(passwordHash, input.credentials.password)
    : await verifyAgainstNothing(input.credentials.password);
  if (account === undefined || !valid) {
    for (const window of windows) await hitRateLimit(window);
    return { ok: false, reason: "invalid" };
  }
  return { ok: true, account };
}
