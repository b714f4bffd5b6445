// Background work inside the server process: callback delivery every second, settling provider
// operations whose outcome is unknown every 2 seconds (PAYDESK_RECOVERY_INTERVAL_MS), housekeeping
// every hour. Each is safe to run on several instances at once (SKIP LOCKED claims, plain
// deletes of expired rows).
import { deleteExpiredSessions } from "../app/auth/session.server";
import { deleteExpiredCustomerSessions } from "../app/auth/customer-session.server";
import { pruneLoginThrottling } from "../app/auth/login-throttle.server";
import { startCallbackWorker } from "../app/platform/outbox.server";
import { pruneIdempotencyKeys } from "../app/platform/idempotency.server";
import { pruneRateLimits } from "../app/platform/rate-limit.server";
import { repeatEvery } from "../app/platform/repeating-job.server";
import { startRecoveryJob } from "../app/services/operations/recovery.server";

const HOUR = 60 * 60 * 1000;

export function startBackgroundJobs(): () => void {
  const stopHousekeeping = repeatEvery(HOUR, "housekeeping failed", async () => {
    await deleteExpiredSessions();
    await pruneRateLimits();
    await pruneIdempotencyKeys();
    await deleteExpiredCustomerSessions();
    await pruneLoginThrottling();
  });
  const stopCallbacks = startCallbackWorker();
  const stopRecovery = startRecoveryJob();
  return () => {
    stopHousekeeping();
    stopCallbacks();
    stopRecovery();
  };
}
