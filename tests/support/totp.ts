// TOTP codes for tests that log in as a user with a second factor. The server accepts a code
// once (the step of the last accepted code is kept), and codes of the step before and after
// now: so a test takes the current step's code, then the next step's, and only then waits for
// the clock to move on. Steps used are remembered per secret for the whole test file.
import { totpCode, totpStep } from "../../app/auth/totp.server";

const lastStep = new Map<string, number>();

/** A code of `secret` the server has not accepted yet (waits up to a step when two logins used them up). */
export async function freshTotpCode(secret: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = totpStep(now);
    const last = lastStep.get(secret) ?? Number.NEGATIVE_INFINITY;
    for (const candidate of [step, step + 1]) {
      if (candidate > last) {
        lastStep.set(secret, candidate);
        return totpCode(secret, candidate * 30_000);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30_000 - now + 50));
  }
}

/** Counts a step as used (a code the test sent by other means, e.g. while enrolling). */
export function markTotpStepUsed(secret: string, at = Date.now()): void {
  lastStep.set(secret, Math.max(lastStep.get(secret) ?? Number.NEGATIVE_INFINITY, totpStep(at)));
}
