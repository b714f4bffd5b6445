// How long a login must wait after failures (docs/decisions/024-login-throttling.md): a few
// failures are free, then each one doubles the wait, up to a ceiling. Nothing locks: the wait
// always ends, and it counts from the last failure of the same counter.

export type ThrottleRule = {
  /** Failures that cost nothing. */
  free: number;
  /** The wait after the first failure past the free ones, in seconds; it doubles with each. */
  firstDelaySeconds: number;
  /** The longest wait. */
  maxDelaySeconds: number;
};

/** The wait after `failures` failures, in seconds (0 while they are free). */
export function throttleDelaySeconds(failures: number, rule: ThrottleRule): number {
  const past = failures - rule.free;
  if (past <= 0) return 0;
  // 2 ** 30 s is far above any ceiling; stop doubling there so the number stays small.
  return Math.min(rule.maxDelaySeconds, rule.firstDelaySeconds * 2 ** Math.min(past - 1, 30));
}

/** Seconds left to wait at `now` after the last failure at `lastFailureAt` (0: go ahead). */
export function secondsToWait(failures: number, lastFailureAt: Date, now: Date, rule: ThrottleRule): number {
  const until = lastFailureAt.getTime() + throttleDelaySeconds(failures, rule) * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

/**
 * The most failures one counter can take in `windowSeconds` when every attempt is made the
 * moment its wait ends: what an attacker gets from one address (or one stolen device cookie).
 */
export function attemptsWithin(windowSeconds: number, rule: ThrottleRule): number {
  let failures = 0;
  let elapsed = 0;
  for (;;) {
    const wait = throttleDelaySeconds(failures, rule);
    if (elapsed + wait > windowSeconds) return failures;
    elapsed += wait;
    failures += 1;
  }
}
