// Callbacks to API clients (`callbackUrl`) as staff and clients see them: the state a delivery is
// in, derived from the outbox row and its target's pause (docs/decisions/034-callback-deliveries.md),
// the receiver ("target") a URL names, and the backoff between attempts.
import { maskCardNumbers } from "./card-number";

/**
 * PENDING: not tried yet; RETRYING: tried, not accepted, tried again at `nextAttemptAt`;
 * DELIVERED: the receiver answered 202; PAUSED: not delivered, and an admin paused its target, so
 * nothing is sent until the pause is lifted. The job never gives up, so there is no FAILED: a
 * callback that is never accepted is RETRYING for ever, every ten minutes.
 */
export const CALLBACK_STATES = ["PENDING", "RETRYING", "DELIVERED", "PAUSED"] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

export function callbackState(row: { deliveredAt: Date | null; attempts: number; paused: boolean }): CallbackState {
  if (row.deliveredAt) return "DELIVERED";
  if (row.paused) return "PAUSED";
  return row.attempts > 0 ? "RETRYING" : "PENDING";
}

/** Only the receiver's answer 202 delivers a callback (API.md); any other status is retried. */
export const isAccepted = (status: number | null) => status === 202;

const FIRST_RETRY_SECONDS = 1;
export const MAX_RETRY_SECONDS = 10 * 60;

/** Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4 … capped at ten minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

/**
 * The receiver a callback URL names: scheme, host and port, as `URL.origin` writes them
 * (lower-case host, no default port). A pause holds every callback of a client to that receiver,
 * whatever path or query string each one carries. "" for what is no URL.
 */
export function callbackTarget(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? "" : origin;
  } catch {
    return "";
  }
}

/** The longest error text an attempt keeps. */
export const ATTEMPT_ERROR_LENGTH = 500;

/**
 * What an attempt records as its error: the status and the start of what the receiver said (or
 * why there was no answer), with card numbers masked: a receiver may echo anything.
 */
export function attemptError(outcome: { status: number | null; body?: string; failure?: string }): string | null {
  if (isAccepted(outcome.status)) return null;
  const text =
    outcome.status === null
      ? (outcome.failure ?? "no answer")
      : `receiver answered ${outcome.status}, not 202` +
        (outcome.body?.trim() ? `: ${outcome.body.trim().replace(/\s+/g, " ")}` : "");
  const masked = maskCardNumbers(text);
  return masked.length > ATTEMPT_ERROR_LENGTH ? `${masked.slice(0, ATTEMPT_ERROR_LENGTH - 1)}…` : masked;
}

/** The most callbacks one "resend the filtered set" may queue again: narrow the filter for more. */
export const MAX_BULK_RESEND = 500;
