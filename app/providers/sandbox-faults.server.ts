// Faults of the in-process sandbox PSP, for tests: the next calls (of some operations, or of all)
// end without an answer we can trust, as a real PSP's calls do. `timeout` throws before the
// sandbox acts (nothing happened), `lost_answer` lets it act and then throws (it happened, but we
// do not know); `slow` only answers late (delayMs), so that races meet an operation in flight. Both throw ProviderUnavailable, the only thing an adapter may throw. The plans
// live on globalThis so that the tests and the built server bundle (its own copy of this module)
// share them.
import { ProviderUnavailable } from "./errors";

export type SandboxFault = "timeout" | "lost_answer" | "slow";

export type FaultPlan = {
  fault: SandboxFault;
  /** How many calls it hits; Infinity: until cleared (the provider is down). */
  times: number;
  /** The sandbox operations it hits (CAPTURE, CANCEL, AUTHORIZE, REFUND, LOOKUP, …); all when left out. */
  operations?: string[];
  /** How long the call hangs before it gives up (a timeout that took its time). */
  delayMs?: number;
};

type FaultState = { plans: FaultPlan[]; calls: Map<string, number> };

const holder = globalThis as typeof globalThis & { __paydeskSandboxFaults?: FaultState };
const state = (): FaultState => (holder.__paydeskSandboxFaults ??= { plans: [], calls: new Map() });

export function injectSandboxFault(plan: FaultPlan): void {
  state().plans.push({ ...plan });
}

export function clearSandboxFaults(): void {
  state().plans = [];
}

/** How many times each sandbox operation was called (asked, not necessarily acted), for tests. */
export function sandboxCalls(operation: string): number {
  return state().calls.get(operation) ?? 0;
}

function takeFault(operation: string): FaultPlan | null {
  const plan = state().plans.find((p) => p.times > 0 && (!p.operations || p.operations.includes(operation)));
  if (!plan) return null;
  plan.times -= 1;
  return plan;
}

/** Runs one sandbox operation through the injected faults. */
export async function throughFaults<T>(operation: string, act: () => Promise<T>): Promise<T> {
  const calls = state().calls;
  calls.set(operation, (calls.get(operation) ?? 0) + 1);
  const plan = takeFault(operation);
  if (!plan) return act();
  if (plan.delayMs) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
  if (plan.fault === "slow") return act();
  if (plan.fault === "lost_answer") await act();
  throw new ProviderUnavailable(plan.fault === "timeout" ? "timeout" : "network", `sandbox fault on ${operation}`);
}
