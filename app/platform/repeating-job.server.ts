// The loop every background job of the server process runs in (server/jobs.ts).
import { logger } from "./logger.server";

/**
 * Runs `pass` every `intervalMs` until the function it answers is called. A pass that is still
 * running when the next is due is not started twice; one that throws is logged under `failure`,
 * and the next tick tries again. The timer never keeps the process alive.
 */
export function repeatEvery(intervalMs: number, failure: string, pass: () => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await pass();
    } catch (error) {
      logger.error(failure, { error: String(error) });
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
