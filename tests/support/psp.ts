// A sandbox PSP (app/providers/sandbox/service.ts) for tests, in this process on a free port.
// The global set-up runs one for the whole run (server/psp.ts in a process of its own) and hands
// its URL to every worker as PAYDESK_PSP_URL; each test process is a merchant of its own there
// (PAYDESK_PSP_MERCHANT, see database.ts), so test files never meet each other's references or
// ledgers. A file that sets faults starts its own PSP here (`startPsp`, `usePsp`).
import type { Faults } from "../../app/providers/psp-protocol";
import { DEFAULT_MERCHANT, MERCHANT_HEADER } from "../../app/providers/psp-protocol";
import type { LedgerLine } from "../../app/providers/psp-protocol";
import { createPspService, type PspService } from "../../app/providers/sandbox/service";

export type TestPsp = {
  url: string;
  service: PspService;
  /** Replaces the fault knobs (unnamed ones go back to 0 / all operations). */
  setFaults(faults: Partial<Faults>): Promise<void>;
  /** The merchant's ledger by transaction reference (default: this process's merchant). */
  ledger(merchant?: string): Promise<Record<string, LedgerLine>>;
  close(): Promise<void>;
};

export const testMerchant = () => process.env.PAYDESK_PSP_MERCHANT || DEFAULT_MERCHANT;

export async function startPsp(
  options: { faults?: Partial<Faults>; dataDir?: string; random?: () => number } = {},
): Promise<TestPsp> {
  const service = createPspService(options);
  const url = await service.listen(0);
  return {
    url,
    service,
    // Over the admin endpoint, as a test in another process would do it.
    async setFaults(faults) {
      const response = await fetch(`${url}/admin/faults`, { method: "PUT", body: JSON.stringify(faults) });
      if (!response.ok) throw new Error(`PUT /admin/faults: ${response.status} ${await response.text()}`);
    },
    async ledger(merchant = testMerchant()) {
      const response = await fetch(`${url}/v1/ledger`, { headers: { [MERCHANT_HEADER]: merchant } });
      return ((await response.json()) as { transactions: Record<string, LedgerLine> }).transactions;
    },
    close: () => service.close(),
  };
}

/**
 * A PSP of this file's own for its tests (beforeAll/afterAll), with PAYDESK_PSP_URL pointing at it
 * meanwhile; in-process servers and child processes started after beforeAll use it.
 */
export function usePsp(options: Parameters<typeof startPsp>[0] = {}): () => TestPsp {
  let psp: TestPsp | undefined;
  let before: string | undefined;
  beforeAll(async () => {
    psp = await startPsp(options);
    before = process.env.PAYDESK_PSP_URL;
    process.env.PAYDESK_PSP_URL = psp.url;
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.PAYDESK_PSP_URL;
    else process.env.PAYDESK_PSP_URL = before;
    await psp?.close();
  });
  return () => {
    if (!psp) throw new Error("usePsp: the PSP starts in beforeAll");
    return psp;
  };
}

export type PspOperationRecord = {
  merchant: string;
  reference: string;
  operation: string;
  transactionReference: string | null;
  amount: string | null;
  answer: { ok: boolean; rrn?: string; pspReference?: string; reason?: string };
};

/** What the PSP at `url` (default: PAYDESK_PSP_URL) remembers of this process's merchant's operations. */
export async function pspOperations(url = process.env.PAYDESK_PSP_URL, merchant = testMerchant()) {
  // A GET, so asked again once when the pooled connection was closed under it (ECONNRESET: the
  // PSP's keep-alive ended just as the request reused it; seen once in a full run).
  const response = await fetch(`${url}/admin/operations`).catch(() => fetch(`${url}/admin/operations`));
  const { operations } = (await response.json()) as { operations: PspOperationRecord[] };
  return operations.filter((o) => o.merchant === merchant);
}
