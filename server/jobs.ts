// Periodic housekeeping inside the server process. Each job is safe to run on several
// instances at once (plain deletes of expired rows).
import { deleteExpiredSessions } from "../app/auth/session.server";
import { logger } from "../app/lib/logger.server";
import { pruneRateLimits } from "../app/services/rate-limit.server";

const HOUR = 60 * 60 * 1000;

export function startBackgroundJobs(): () => void {
  const housekeeping = setInterval(async () => {
    try {
      await deleteExpiredSessions();
      await pruneRateLimits();
    } catch (error) {
      logger.error("housekeeping failed", { error: String(error) });
    }
  }, HOUR);
  housekeeping.unref();
  return () => clearInterval(housekeeping);
}
