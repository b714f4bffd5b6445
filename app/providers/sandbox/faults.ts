// The sandbox PSP's fault knobs: latency, and the three ways a real PSP fails a caller.
//   timeout      the PSP never answers and does nothing (the request hangs until the caller gives up)
//   error        the PSP answers 503 and does nothing
//   lost answer  the PSP does the work, then the connection drops before any answer
// Each is a rate between 0 and 1, decided per request; `ops` aims them (and the latency) at some
// operations only, and `times` to the next so many of them only (a PSP that fails once, then
// recovers). Set from the PSP's environment at start, and at runtime with PUT /admin/faults.
import { FAULTS, PSP_OPERATIONS, type Faults, type PspOperation } from "../psp-protocol";

export const NO_FAULTS: Faults = FAULTS.parse({});

/** The knobs from PAYDESK_PSP_LATENCY_MS, _TIMEOUT_RATE, _ERROR_RATE, _LOST_ANSWER_RATE and _FAULT_OPS (no budget). */
export function faultsFromEnv(env: Record<string, string | undefined> = process.env): Faults {
  const number = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : Number(env[name]));
  const ops = env.PAYDESK_PSP_FAULT_OPS?.trim();
  const parsed = FAULTS.safeParse({
    latencyMs: number("PAYDESK_PSP_LATENCY_MS"),
    timeoutRate: number("PAYDESK_PSP_TIMEOUT_RATE"),
    errorRate: number("PAYDESK_PSP_ERROR_RATE"),
    lostAnswerRate: number("PAYDESK_PSP_LOST_ANSWER_RATE"),
    ops: ops ? ops.split(",").map((op) => op.trim()) : null,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(
      `PAYDESK_PSP_* fault knobs are invalid (${problems}). Rates are 0..1, latency is whole ms, ` +
        `PAYDESK_PSP_FAULT_OPS is a comma list of ${PSP_OPERATIONS.join(", ")}`,
    );
  }
  return parsed.data;
}

export type FaultDecision = {
  latencyMs: number;
  /** Before the effect: never answer, or answer 503. */
  before: "timeout" | "error" | null;
  /** After the effect: drop the connection instead of answering. */
  loseAnswer: boolean;
};

/** Whether the knobs apply to a call of `operation`: aimed at it, with calls left in their budget. */
export const faultsApply = (faults: Faults, operation: PspOperation): boolean =>
  faults.times !== 0 && (faults.ops === null || faults.ops.includes(operation));

/** The knobs after a call of `operation`: one call less in the budget when they applied to it. */
export const spendFaults = (faults: Faults, operation: PspOperation): Faults =>
  faults.times !== null && faultsApply(faults, operation) ? { ...faults, times: faults.times - 1 } : faults;

export function decideFaults(
  faults: Faults,
  operation: PspOperation,
  random: () => number = Math.random,
): FaultDecision {
  if (!faultsApply(faults, operation)) return { latencyMs: 0, before: null, loseAnswer: false };
  const before = random() < faults.timeoutRate ? "timeout" : random() < faults.errorRate ? "error" : null;
  return { latencyMs: faults.latencyMs, before, loseAnswer: before === null && random() < faults.lostAnswerRate };
}
