// The second factor's arithmetic: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, what
// every authenticator app reads from an otpauth:// URI) by the `otpauth` library, and recovery
// codes. Nothing here touches the database (second-factor.server.ts does).
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

const ISSUER = "Paydesk";
const PERIOD_SECONDS = 30;
/** A code of the step before or after now is accepted too: a phone's clock drifts, typing takes time. */
const WINDOW_STEPS = 1;

/** A new secret: 160 random bits (RFC 4226's recommended length), base32 as the apps show it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, email = ""): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: email,
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
  });
}

/** The otpauth:// URI an authenticator app reads (from the QR code, or pasted). */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** The base32 secret in groups of four, easier to type into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The code of a secret at a time (for tests and the demo: the app computes the same). */
export function totpCode(secret: string, at = Date.now()): string {
  return totp(secret).generate({ timestamp: at });
}

/** The time step `at` falls in. */
export function totpStep(at = Date.now()): number {
  return TOTP.counter({ period: PERIOD_SECONDS, timestamp: at });
}

/** The time step whose code this is (within one step of now), or null when it is none of them. */
export function matchTotp(secret: string, code: string, at = Date.now()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^[0-9]{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: at, window: WINDOW_STEPS });
  return delta === null ? null : totpStep(at) + delta;
}

// ---------------------------------------------------------------- recovery codes

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // 32 letters and digits, no 0/o, 1/l

/**
 * Ten codes of 16 characters from 32 (80 bits each), shown once as xxxx-xxxx-xxxx-xxxx. They are
 * long and random, so SHA-256 is enough to store them (as for API tokens): nothing to stretch.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(16)].map((byte) => RECOVERY_ALPHABET[byte & 31]).join("");
    return chars.replace(/(.{4})(?=.)/g, "$1-");
  });
}

/** Recovery codes are compared without case, spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{16}$/.test(normalizeRecoveryCode(code));
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code), "utf8").digest("hex");
}
