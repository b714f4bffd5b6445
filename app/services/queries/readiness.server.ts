// Readiness of the process for traffic: the database answers a query within 2 seconds.
import { sql } from "drizzle-orm";
import { db } from "../../platform/db.server";
import { logger } from "../../platform/logger.server";

const TIMEOUT_MS = 2000;

/** Whether the database answers `select 1` in time; a failure is logged as a warning. */
export async function checkReadiness(): Promise<{ database: "ok" | "unreachable" }> {
  try {
    await Promise.race([
      db().execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), TIMEOUT_MS)),
    ]);
    return { database: "ok" };
  } catch (error) {
    logger.warn("readiness check failed", { error: String(error) });
    return { database: "unreachable" };
  }
}
