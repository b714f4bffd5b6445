// The request deadline, on its own: the deadline wrapper (unavailable.server.ts) and the
// idempotency claims (a claim older than the deadline belongs to a dead request) both read it,
// and unavailable.server.ts sits above the transaction layer that idempotency serves.

/** How long one /v1 request may take in all (database waits and a provider round trip included). */
export function requestDeadlineMs(env: Record<string, string | undefined> = process.env): number {
  const value = Number.parseInt(env.PAYDESK_REQUEST_DEADLINE_MS ?? "", 10);
  return Number.isInteger(value) && value > 0 ? value : 8_000;
}
