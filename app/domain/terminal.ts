// Terminals: the provider's hosted pages a customer pays or decides on, each reached by an
// unguessable token: the card terminal (and the recurring terminal that charges a stored card,
// the internal terminal for customer-service staff, the page that registers a card to store),
// the Vipps page, the wallet's 3-D Secure page and the Collector invoice page. Rules that need
// no I/O.
//
// A terminal lives 15 minutes. Once it is completed (paid, cancelled, replaced by a newer one) or
// expired it is over: it authorizes nothing, and the page only sends the customer back.

export const TERMINAL_MINUTES = 15;
export const TERMINAL_TTL_MS = TERMINAL_MINUTES * 60_000;

/** Declined cards one card terminal accepts before it closes (card-testing brake). */
export const MAX_CARD_ATTEMPTS = 10;

/** When a terminal opened at `openedAt` expires. */
export function terminalExpiresAt(openedAt: Date): Date {
  return new Date(openedAt.getTime() + TERMINAL_TTL_MS);
}

export type TerminalState = "open" | "expired" | "completed";

type Terminal = { completedAt: Date | null; expiresAt: Date };

/**
 * Where a terminal stands. Only an open one may authorize: an expired or completed one changes
 * nothing and only sends the customer back. Completed wins over expired: a terminal paid in its
 * last second stays paid.
 */
export function terminalState(terminal: Terminal, now = new Date()): TerminalState {
  if (terminal.completedAt) return "completed";
  if (terminal.expiresAt.getTime() <= now.getTime()) return "expired";
  return "open";
}

/**
 * Whether the payment behind a terminal can still be completed there: the shop may have
 * deactivated the payment or moved the transaction on (cancelled, authorized elsewhere) meanwhile.
 */
export function awaitsTerminal(payment: { active: boolean }, transaction: { status: string }): boolean {
  return payment.active && transaction.status === "INITIATED";
}

/** The card terminal closes once this many cards were declined on it. */
export function attemptsExhausted(attempts: number): boolean {
  return attempts >= MAX_CARD_ATTEMPTS;
}

export function attemptsLeft(attempts: number): number {
  return Math.max(0, MAX_CARD_ATTEMPTS - attempts);
}

/** What a card terminal's page shows: the terminal's state, or unavailable when the payment moved on. */
export type CardPageState = TerminalState | "unavailable";

/**
 * The responseCode a card terminal sends the customer back with: EXPIRED, the outcome of a
 * completed one (OK, CANCELLED or the last decline's reason; a REPLACED terminal reports
 * CANCELLED), and CANCELLED otherwise.
 */
export function cardResponseCode(state: CardPageState, outcome: string | null): string {
  if (state === "expired") return "EXPIRED";
  if (state === "completed" && outcome && outcome !== "REPLACED") return outcome;
  return "CANCELLED";
}

/** A card terminal's redirectUrl with the terminal's result in its query. */
export function cardResultUrl(
  redirectUrl: string,
  ids: { paymentId: number; transactionId: number } | { recurringPaymentId: number },
  responseCode: string,
): string {
  const url = new URL(redirectUrl);
  for (const [name, value] of Object.entries(ids)) url.searchParams.set(name, String(value));
  url.searchParams.set("responseCode", responseCode);
  return url.toString();
}

/** What a customer did on a Vipps, wallet or invoice page. */
export type PageResult = "approved" | "rejected" | "failed";

/** The way back from a Vipps, wallet or invoice page: the redirect URL with paymentId, transactionId and result. */
export function pageResultUrl(
  redirectUrl: string,
  paymentId: number,
  transactionId: number,
  result: PageResult,
): string {
  const target = new URL(redirectUrl);
  target.searchParams.set("paymentId", String(paymentId));
  target.searchParams.set("transactionId", String(transactionId));
  target.searchParams.set("result", result);
  return target.toString();
}
