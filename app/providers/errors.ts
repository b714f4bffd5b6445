// What a provider call can end in besides an answer: no answer we can trust. The operation may or
// may not have happened at the PSP; only asking the PSP by our reference (lookup) tells.
export type UnavailableCause = "timeout" | "network" | "server_error" | "bad_answer";

/** Thrown by every provider adapter when the outcome is unknown; declines are answers, not errors. */
export class ProviderUnavailable extends Error {
  readonly cause: UnavailableCause;
  constructor(cause: UnavailableCause, detail: string) {
    super(`The payment provider did not answer (${cause}): ${detail}`);
    this.name = "ProviderUnavailable";
    this.cause = cause;
  }
}
