// Demo data generator: a living system over the last 90 days (payments, transactions, operation
// log, credits, daily volume and authorization outcome rollups) plus the customer side (customers, recurring payments,
// agreements, gift cards, products, invoices). See docs/decisions/002-demo-data-generator.md.
//
// - Deterministic: one seeded PRNG (mulberry32) drives every choice. A run is seeded from
//   `seed` and the first payment id it will write, so two runs on one database differ while a
//   fresh database always receives the same shape.
// - Consistent by construction: every transaction is produced by walking its state machine, so
//   its operation log, status and summary sums agree, credits reserve or consume what they
//   should, and the daily_volume rollup is computed by SQL from the operation log written. The
//   daily_outcomes rollup counts approvals the same way (AUTHORIZE entries); declined and failed
//   attempts leave no operation (as in the app), so the generator counts those it invents.
// - Fast: rows are encoded as COPY text straight into byte buffers and streamed in chunks (COPY
//   FROM STDIN on a server, COPY FROM '/dev/blob' on PGlite), one DB transaction per chunk, three
//   chunks at once on a server (three); ids are reserved from the sequences per chunk, so the app can
//   keep running meanwhile. Big runs drop and rebuild the non-unique indexes (bulk mode).
// - Money is bigint (app/domain/money.ts) end to end; the database receives toDbAmount text.
//
// The parts live in db/seed/: prng.ts (randomness), time.ts (the window and its slots), copy.ts
// (bulk database access, COPY encoders, CopyWriter), ids.ts (sequence reservation), chunk.ts
// (a chunk and how it is written), context.ts (what the generator knows), payment-mix.ts and
// payments.ts (the payment generator), customers.ts (the customer side), bulk.ts (index
// drop/restore), types.ts (the shapes exported here).
import type { DatabaseHandle } from "./client";
import { dropSecondaryIndexes, restoreDroppedIndexes } from "./seed/bulk";
import { OUTCOMES_SQL, VOLUME_SQL, copyChunk, type Chunk } from "./seed/chunk";
import { loadContext } from "./seed/context";
import { bulkDb } from "./seed/copy";
import { seedCustomerSide } from "./seed/customers";
import { fixSequences, releaseUnusedIds, reserveIds } from "./seed/ids";
import { PaymentGenerator } from "./seed/payments";
import { mixSeed, Rng } from "./seed/prng";
import { TimeSlots } from "./seed/time";
import type { AddPaymentsOptions, AddPaymentsSummary, SeedPhase, SeedSummary } from "./seed/types";

export type { AddPaymentsOptions, AddPaymentsSummary, SeedPhase, SeedSummary } from "./seed/types";
export { Rng } from "./seed/prng";

export const DEFAULT_SEED = 20261121;

/**
 * Fills a database that holds only the demo base (organisations, API clients with their payment
 * methods, staff users: see db/demo.ts) with the customer side and `payments` payments.
 */
export async function seedDemoData(
  handle: DatabaseHandle,
  options: { payments: number; seed?: number; now?: Date; onProgress?: AddPaymentsOptions["onProgress"] },
): Promise<SeedSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? new Date();
  const base = await seedCustomerSide(handle, new Rng(mixSeed(seed, 0)), now.getTime());
  const added = await addPayments(handle, { payments: options.payments, seed, now, onProgress: options.onProgress });
  return {
    payments: added.payments,
    transactions: added.transactions,
    operations: added.operations,
    credits: added.credits,
    creditTransactions: added.creditTransactions,
    ...base,
  };
}

/**
 * Adds `payments` more payments (with transactions, operation log, credits and the matching
 * daily_volume increments) to any migrated database that has at least one API client.
 *
 * Every chunk (10,000 payments on a server) is one DB transaction with its rollup increment,
 * so whatever is committed is consistent; up to `writers` connections write chunks at once
 * while the next chunk is generated. Two modes (docs/decisions/002-demo-data-generator.md):
 * - "incremental": indexes are maintained as rows arrive.
 * - "bulk" (PostgreSQL only): the non-unique secondary indexes and the foreign keys of the
 *   tables written are dropped first and rebuilt at the end (primary keys and unique indexes
 *   stay, so their rules hold throughout). Much faster for big runs; meanwhile the app keeps
 *   working, only slower. Default: bulk on a server when adding at least 200,000 payments and at
 *   least as many as the database holds already.
 */
export async function addPayments(handle: DatabaseHandle, options: AddPaymentsOptions): Promise<AddPaymentsSummary> {
  const started = performance.now();
  const total = options.payments;
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`payments must be a whole number >= 0, got ${total}`);
  const db = bulkDb(handle);
  const summary: AddPaymentsSummary = {
    mode: "incremental",
    payments: 0,
    transactions: 0,
    operations: 0,
    credits: 0,
    creditTransactions: 0,
    firstPaymentId: null,
    lastPaymentId: null,
    seconds: 0,
  };
  const report = (phase: SeedPhase, done: number) =>
    options.onProgress?.({ phase, done, total, elapsedMs: performance.now() - started });
  // A bulk run that died half-way left its indexes dropped: put them back first (also for 0).
  if (await restoreDroppedIndexes(db, () => report("indexing", 0))) summary.repairedIndexes = true;
  if (total === 0) return summary;

  const context = await loadContext(db);
  const now = options.now?.getTime() ?? Date.now();
  const [{ next, existing }] = await db.query<{ next: string | number; existing: string | number }>(
    "select coalesce(max(payment_id), 0) + 1 as next, (select count(*) from payments) as existing from payments",
  );
  const mode =
    options.mode ??
    (handle.kind === "postgres" && total >= BULK_THRESHOLD && total >= Number(existing) ? "bulk" : "incremental");
  if (mode === "bulk" && handle.kind !== "postgres")
    throw new Error("bulk mode needs a PostgreSQL server (DATABASE_URL)");
  summary.mode = mode;
  const rng = new Rng(mixSeed(options.seed ?? DEFAULT_SEED, Number(next)));
  // Declines draw from their own stream, so adding them left every other generated value as it was.
  const declineRng = new Rng(mixSeed(options.seed ?? DEFAULT_SEED, Number(next) + DECLINE_SALT));
  const generator = new PaymentGenerator(rng, context, now, new TimeSlots(rng, total, now), declineRng);
  const chunkSize = Math.max(1, options.chunkSize ?? (handle.kind === "postgres" ? 10_000 : 2_000));

  /**
   * Generates chunk after chunk and hands each to `write`, with at most `parallel` writes in
   * flight while the next chunk is generated (postgres.js streams while the generator yields).
   * PGlite runs in this thread, so there each write is awaited.
   */
  const produce = async (write: (chunk: Chunk) => Promise<void>, parallel: number) => {
    const inflight = new Set<Promise<void>>();
    let written = 0;
    try {
      while (summary.payments < total) {
        const size = Math.min(chunkSize, total - summary.payments);
        const reserved = await reserveIds(db, size);
        const chunk = await generator.generate(size, reserved);
        await releaseUnusedIds(db, reserved, chunk.nextIds);
        summary.payments += chunk.payments;
        summary.transactions += chunk.transactions;
        summary.operations += chunk.operations;
        summary.credits += chunk.credits;
        summary.creditTransactions += chunk.creditTransactions;
        summary.firstPaymentId ??= reserved.payment;
        summary.lastPaymentId = chunk.nextIds.payment - 1;
        while (inflight.size >= parallel) await Promise.race(inflight);
        const writing: Promise<void> = write(chunk).then(() => {
          inflight.delete(writing);
          written += chunk.payments;
          report("writing", written);
        });
        writing.catch(() => {}); // awaited below; keeps an early failure from being "unhandled"
        inflight.add(writing);
        if (handle.kind === "pglite") await writing;
      }
      await Promise.all(inflight);
    } finally {
      await Promise.allSettled(inflight);
    }
  };

  const writeChunk = (chunk: Chunk) =>
    db.transaction(async (tx) => {
      await copyChunk(tx, chunk);
      if (chunk.volume.length) await tx.query(VOLUME_SQL, [JSON.stringify(chunk.volume)]);
      if (chunk.outcomes.length) await tx.query(OUTCOMES_SQL, [JSON.stringify(chunk.outcomes)]);
    });
  const writers = Math.max(1, handle.kind === "postgres" ? (options.writers ?? 3) : 1);
  if (mode === "bulk") {
    await dropSecondaryIndexes(db);
    try {
      await produce(writeChunk, writers);
    } finally {
      report("indexing", summary.payments);
      await restoreDroppedIndexes(db);
    }
  } else {
    await produce(writeChunk, writers);
  }
  await fixSequences(db);
  if (handle.kind === "postgres" && total >= 50_000) {
    report("analyzing", summary.payments);
    await db.query(
      "analyze payments, payment_transactions, operation_log, credits, credit_transactions, daily_volume, daily_outcomes",
    );
  }
  summary.seconds = (performance.now() - started) / 1000;
  report("done", summary.payments);
  return summary;
}

const BULK_THRESHOLD = 200_000;
/** Salt of the declined-attempt stream (see addPayments). */
const DECLINE_SALT = 0xdec1;
