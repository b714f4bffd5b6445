// One database transaction per use-case, retried a bounded number of times when PostgreSQL
// reports a serialization failure or a deadlock (both mean: nothing happened, try again).
import { db, type Tx } from "../../db/client";
import { markEffect } from "./idempotency.server";

const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 4;

/** The PostgreSQL SQLSTATE of an error, looking through Drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint a unique/check violation names, looking through Drizzle's wrapper. */
export function violatedConstraint(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const name =
      (current as { constraint?: unknown; constraint_name?: unknown }).constraint ??
      (current as { constraint_name?: unknown }).constraint_name;
    if (typeof name === "string") return name;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      let committed: (() => void) | undefined;
      const result = await db().transaction(async (tx) => {
        const result = await work(tx);
        // Last, so that the key's record, when this inserts it, is locked after every row of the work.
        committed = await markEffect(tx);
        return result;
      });
      committed?.();
      return result;
    } catch (error) {
      const state = sqlState(error);
      if (!state || !RETRYABLE.has(state) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
