// The public shapes of the demo data generator (db/seed.ts): what a run is asked to do and what
// it reports. Kept apart so the modules under db/seed/ can name them without importing the
// entry module.

export type SeedSummary = {
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  customers: number;
  recurringPayments: number;
  paymentAgreements: number;
  giftCards: number;
  products: number;
  customerInvoices: number;
  disabledPaymentMethods: number;
};

export type AddPaymentsOptions = {
  payments: number;
  seed?: number;
  /** Payments per chunk (one DB transaction each). */
  chunkSize?: number;
  /** How to write; default chosen by size (see addPayments). */
  mode?: "incremental" | "bulk";
  /** On a server: chunks written at once over separate connections (default 3). */
  writers?: number;
  /** Called after each chunk is written and when a phase starts. */
  onProgress?: (progress: { phase: SeedPhase; done: number; total: number; elapsedMs: number }) => void;
  /** "Now" for the 90-day window (tests may pin it). */
  now?: Date;
};

export type AddPaymentsSummary = {
  mode: "incremental" | "bulk";
  payments: number;
  transactions: number;
  operations: number;
  credits: number;
  creditTransactions: number;
  firstPaymentId: number | null;
  lastPaymentId: number | null;
  seconds: number;
  /** True when indexes dropped by an interrupted bulk run were rebuilt first. */
  repairedIndexes?: boolean;
};

export type SeedPhase = "writing" | "indexing" | "analyzing" | "done";
