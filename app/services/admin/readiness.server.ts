// Readiness of the process for traffic: the database has every migration this code expects and
// commits a write, each within 2 seconds. A database that answers `select 1` but is unmigrated,
// read-only or out of disk is not ready: the app would answer its first real request with an error.
import { pendingMigrations } from "../../../db/migration-status";
import { appSettings } from "../../../db/schema";
import { db } from "../../platform/db.server";
import { logger } from "../../platform/logger.server";
import { withDeadline } from "../../platform/unavailable.server";

const TIMEOUT_MS = 2000;

export type Readiness =
  | { ready: true; database: "ok"; migrations: "applied" }
  | { ready: false; database: "unreachable" | "read-only" | "ok"; migrations: "applied" | "pending" | "unknown" };

/** Whether this instance can serve: failures are logged as warnings with what failed. */
export async function checkReadiness(): Promise<Readiness> {
  let pending: string[];
  try {
    pending = await withDeadline(TIMEOUT_MS, () => pendingMigrations(db()));
  } catch (error) {
    logger.warn("readiness: database unreachable", { error: String(error) });
    return { ready: false, database: "unreachable", migrations: "unknown" };
  }
  if (pending.length) {
    logger.warn("readiness: migrations not applied", { pending: pending.join(", ") });
    return { ready: false, database: "ok", migrations: "pending" };
  }
  try {
    await withDeadline(TIMEOUT_MS, () => commitProbeWrite());
  } catch (error) {
    logger.warn("readiness: the database does not commit a write", { error: String(error) });
    return { ready: false, database: "read-only", migrations: "applied" };
  }
  return { ready: true, database: "ok", migrations: "applied" };
}

/** One small committed write: proves the database takes writes (not read-only, not out of disk). */
async function commitProbeWrite(): Promise<void> {
  const at = new Date();
  await db()
    .insert(appSettings)
    .values({ key: "readiness.probe", value: at.toISOString(), updatedAt: at })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: at.toISOString(), updatedAt: at } });
}
