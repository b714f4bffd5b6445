// A database that is down, hung or refusing work is nobody's input error: the caller gets 503
// with Retry-After and comes back, never a 500 and never a wait without end. Two pieces make that
// true: the classification of driver errors below, and a deadline on the whole request (a hung
// server or a black-holed network never answers, so no server-side timeout can fire).
import { sqlState } from "./transaction.server";

/**
 * SQLSTATEs that say "the database cannot do this now", not "this request is wrong":
 * connection exceptions (class 08), shutdown and recovery (57P01–57P03), too many connections
 * (53300), a statement or lock timeout (57014, 55P03), a read-only server (25006).
 */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300", "57014", "55P03", "25006"]);

/** Error codes of Node's sockets and of postgres.js for a connection that failed or was lost. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** The request ran past its deadline: something below it (most likely the database) did not answer. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`The request did not finish within ${ms} ms`);
    this.name = "DeadlineExceeded";
  }
}

/** Whether an error means the database is unavailable (looking through Drizzle's wrappers). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DeadlineExceeded) return true;
  // Socket and driver codes first: "EPIPE" has the shape of a SQLSTATE (five capitals) and
  // sqlState would take it for one.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  const state = sqlState(error);
  return state !== undefined && (state.startsWith("08") || UNAVAILABLE_STATES.has(state));
}

/**
 * Runs `work`, but answers DeadlineExceeded after `ms` if it has not settled by then. The work
 * itself goes on (a promise cannot be cancelled); what it commits later is what a retry with the
 * same Idempotency-Key finds.
 */
export async function withDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export { requestDeadlineMs } from "./request-deadline";

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;
