// Faults of a test's own PSP (usePsp), by the names of Paydesk's operations: the next calls (of
// some operations, or of all) end without an answer we can trust, as a real PSP's calls do.
//   timeout      the PSP never answers and does nothing; the adapter gives up after
//                PAYDESK_PSP_TIMEOUT_MS, which is `giveUpAfterMs` (1 s) until the faults are cleared
//   lost_answer  the PSP acts, then drops the connection (it happened, but we do not know)
//   slow         the PSP acts, then answers after delayMs (so that races meet an operation in flight)
// They are the PSP's fault knobs with a budget (`times`), set over its admin endpoint; a new plan
// replaces the one before. A file gets them from `usePspFaults`, which clears them after every test
// and restores PAYDESK_PSP_TIMEOUT_MS after the file, even when a test fails before its own clear:
// test files share a worker process (isolate: false), so a 1 s bound left behind would reach the
// next file and the servers it starts.
import { afterAll, afterEach, vi } from "vitest";
import { PSP_OPERATIONS, type PspOperation } from "../../app/providers/psp-protocol";
import { pspOperations, testMerchant, type TestPsp } from "./psp";

export type PspFault = "timeout" | "lost_answer" | "slow";

export type PspFaultPlan = {
  fault: PspFault;
  /** How many calls it hits; Infinity: until cleared (the provider is down). */
  times: number;
  /** Paydesk's names of the operations it hits (CAPTURE, CANCEL, REFUND, CARD_AUTHORIZE, LOOKUP, …); all when left out. */
  operations?: string[];
  /** How late a "slow" call answers. */
  delayMs?: number;
  /** For "timeout": the adapter's bound meanwhile (PAYDESK_PSP_TIMEOUT_MS); the default 3 s would slow tests down. */
  giveUpAfterMs?: number;
};

/** PAYDESK_PSP_TIMEOUT_MS back to what it was before a "timeout" plan stubbed it (vi.stubEnv). */
const restoreTimeout = () => void vi.unstubAllEnvs();

/** CAPTURE → capture, CARD_AUTHORIZE → card-authorize, … (PSP_OPERATIONS). */
export function pspOperation(name: string): PspOperation {
  const operation = name.toLowerCase().replaceAll("_", "-");
  if (!(PSP_OPERATIONS as readonly string[]).includes(operation)) throw new Error(`no PSP operation ${name}`);
  return operation as PspOperation;
}

async function injectPspFault(psp: TestPsp, plan: PspFaultPlan): Promise<void> {
  restoreTimeout();
  if (plan.fault === "timeout") {
    vi.stubEnv("PAYDESK_PSP_TIMEOUT_MS", String(plan.giveUpAfterMs ?? 1_000));
  }
  await psp.setFaults({
    timeoutRate: plan.fault === "timeout" ? 1 : 0,
    lostAnswerRate: plan.fault === "lost_answer" ? 1 : 0,
    latencyMs: plan.fault === "slow" ? (plan.delayMs ?? 0) : 0,
    ops: plan.operations ? plan.operations.map(pspOperation) : null,
    times: Number.isFinite(plan.times) ? plan.times : null,
  });
}

async function clearPspFaults(psp: TestPsp): Promise<void> {
  restoreTimeout();
  await psp.setFaults({});
}

/**
 * Fault plans for this file's own PSP (usePsp): `inject` replaces the plan, `clear` ends it early.
 * Registers their clean-up itself: the faults are cleared after each test, and the timeout bound is
 * restored after the file, whether or not its tests got to their own clear.
 */
export function usePspFaults(psp: () => TestPsp) {
  afterEach(() => clearPspFaults(psp()));
  afterAll(restoreTimeout);
  return {
    inject: (plan: PspFaultPlan) => injectPspFault(psp(), plan),
    clear: () => clearPspFaults(psp()),
  };
}

/** How many calls of an operation (Paydesk's name) this process's merchant made, faulted ones too. */
export async function pspCalls(psp: TestPsp, name: string, merchant = testMerchant()): Promise<number> {
  const response = await fetch(`${psp.url}/admin/calls`);
  const { calls } = (await response.json()) as { calls: Record<string, Partial<Record<PspOperation, number>>> };
  return calls[merchant]?.[pspOperation(name)] ?? 0;
}

/** What the PSP did (approved) for a transaction's operations of one kind (CAPTURE: references `capture:<id>:…`). */
export async function pspEffects(psp: TestPsp, kind: string, transactionId: number) {
  const prefix = `${kind.toLowerCase()}:${transactionId}:`;
  return (await pspOperations(psp.url)).filter(
    (o) => o.operation === pspOperation(kind) && o.reference.startsWith(prefix) && o.answer.ok,
  );
}
