// The sandbox PSP's own memory (not Paydesk's database): every operation by its reference, and a
// ledger per transaction derived from them. In memory, and, when a directory is given, also in an
// append-only JSON-lines file (operations.jsonl) that is replayed on start, so the PSP remembers
// across restarts. A line is written and flushed to the disk (fdatasync) before the PSP answers,
// so an answer never names an effect the file does not hold, not even after the machine crashed:
// a PSP that forgot an effect it confirmed would be a ledger no test could hold Paydesk to.
//
// What is kept of an operation: its name, amount, transaction reference and the answer given.
// Never the request: the only request with card data (card-authorize) leaves nothing here beyond
// the answer's last 4 and masked PAN.
import fs from "node:fs";
import path from "node:path";
import { add, ZERO, type Money } from "../../domain/money";
import {
  ANSWER,
  amountFromWire,
  PSP_OPERATIONS,
  wireAmount,
  type LedgerLine,
  type PspEffectOperation,
} from "../psp-protocol";
import { z } from "zod";

export type Answer = z.infer<typeof ANSWER>;

export type OperationRecord = {
  merchant: string;
  reference: string;
  operation: PspEffectOperation;
  transactionReference: string | null;
  amount: Money | null;
  /** For authorize: PRE_AUTHORIZATION, INCREMENTAL or REDUCTIONAL; for a card authorization or charge that captures at once: SALE. */
  kind: string | null;
  answer: Answer;
  at: string;
};

type Totals = { authorized: Money; captured: Money; cancelled: Money; refunded: Money };

const FILE = "operations.jsonl";

/** The kind of a card authorization or charge asked to capture at once (`capture: true`). */
export const SALE = "SALE";

/** Operations whose amount is the transaction's authorized total from then on. */
const AUTHORIZING = new Set<PspEffectOperation>([
  "authorize",
  "card-authorize",
  "card-charge",
  "vipps-claim",
  "vipps-charge",
  "wallet-authorize",
  "invoice-authorize",
  "self-service-pay",
]);

const LINE = z.object({
  merchant: z.string(),
  reference: z.string(),
  operation: z.enum(PSP_OPERATIONS).exclude(["lookup"]),
  transactionReference: z.string().nullable(),
  amount: z.string().nullable(),
  kind: z.string().nullable(),
  answer: ANSWER,
  at: z.string(),
});

const key = (merchant: string, name: string) => `${merchant}\u0000${name}`;

export class PspMemory {
  private readonly operations = new Map<string, OperationRecord>();
  private readonly ledger = new Map<string, Totals>();
  private readonly file: string | null;
  /** The file, open for appending (null: memory only, or closed). */
  private fd: number | null = null;

  /** `dataDir`: where operations.jsonl lives (created if missing); null keeps everything in memory only. */
  constructor(dataDir: string | null) {
    this.file = dataDir ? path.join(dataDir, FILE) : null;
    if (!this.file || !dataDir) return;
    fs.mkdirSync(dataDir, { recursive: true });
    if (!fs.existsSync(this.file)) return;
    const content = fs.readFileSync(this.file, "utf8");
    // A crash while the last line was written leaves it cut short, with no newline: it was never
    // answered, so it is dropped from the file too. Left there, the next line appended would
    // follow it on the same line, and the file would no longer be readable on the next start.
    const complete = content.slice(0, content.lastIndexOf("\n") + 1);
    if (complete.length < content.length) fs.truncateSync(this.file, Buffer.byteLength(complete));
    complete.split("\n").forEach((text, index) => {
      if (!text.trim()) return;
      const parsed = LINE.safeParse(safeJson(text));
      if (!parsed.success) throw new Error(`${this.file}: line ${index + 1} is not an operation record`);
      const { amount, ...rest } = parsed.data;
      this.remember({ ...rest, amount: amount === null ? null : (amountFromWire(amount) ?? null) });
    });
  }

  private open(): number | null {
    if (this.file && this.fd === null) this.fd = fs.openSync(this.file, "a");
    return this.fd;
  }

  /** Closes the file (the service closes); a later record opens it again. */
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  find(merchant: string, reference: string): OperationRecord | undefined {
    return this.operations.get(key(merchant, reference));
  }

  /** Records a new operation (the caller checked that the reference is new) and applies its effect. */
  record(operation: Omit<OperationRecord, "at">): OperationRecord {
    const record: OperationRecord = { ...operation, at: new Date().toISOString() };
    const fd = this.open();
    if (fd !== null) {
      const line = { ...record, amount: record.amount === null ? null : wireAmount(record.amount) };
      fs.writeSync(fd, `${JSON.stringify(line)}\n`);
      fs.fdatasyncSync(fd);
    }
    this.remember(record);
    return record;
  }

  ledgerOf(merchant: string, transactionReference: string): LedgerLine | null {
    const totals = this.ledger.get(key(merchant, transactionReference));
    return totals ? lineOf(totals) : null;
  }

  /** The merchant's whole ledger, by transaction reference. */
  ledgerFor(merchant: string): Record<string, LedgerLine> {
    const prefix = key(merchant, "");
    const result: Record<string, LedgerLine> = {};
    for (const [name, totals] of this.ledger) {
      if (name.startsWith(prefix)) result[name.slice(prefix.length)] = lineOf(totals);
    }
    return result;
  }

  /** Everything held in memory, as JSON-ready records (GET /admin/operations). */
  dump(): Array<Omit<OperationRecord, "amount"> & { amount: string | null }> {
    return [...this.operations.values()].map((r) => ({
      ...r,
      amount: r.amount === null ? null : wireAmount(r.amount),
    }));
  }

  private remember(record: OperationRecord) {
    this.operations.set(key(record.merchant, record.reference), record);
    if (!record.answer.ok || record.transactionReference === null || record.amount === null) return;
    const name = key(record.merchant, record.transactionReference);
    const totals = this.ledger.get(name) ?? { authorized: ZERO, captured: ZERO, cancelled: ZERO, refunded: ZERO };
    if (AUTHORIZING.has(record.operation)) totals.authorized = record.amount;
    // Self-service invoice payments and card sales are authorized and captured in one step.
    if (record.operation === "capture" || record.operation === "self-service-pay" || record.kind === SALE)
      totals.captured = add(totals.captured, record.amount);
    if (record.operation === "cancel") totals.cancelled = add(totals.cancelled, record.amount);
    if (record.operation === "refund") totals.refunded = add(totals.refunded, record.amount);
    this.ledger.set(name, totals);
  }
}

function lineOf(totals: Totals): LedgerLine {
  return {
    authorized: wireAmount(totals.authorized),
    captured: wireAmount(totals.captured),
    cancelled: wireAmount(totals.cancelled),
    refunded: wireAmount(totals.refunded),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
