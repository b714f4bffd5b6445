// Counting authorization outcomes per UTC day, organisation, currency and payment type group: each
// call adds one attempt to its day's row, in the caller's DB transaction. Which attempts are counted
// and when (the settling transaction of a provider operation) is tested with the operations
// themselves (app/services/operations/provider-operations.test.ts, tests/integration).
import { sql } from "drizzle-orm";
import { openDatabase, setDatabase, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { dailyOutcomes } from "../../db/schema";
import { countOutcome, type OutcomeKey } from "./outcomes.server";
import { inTransaction } from "./transaction.server";

let handle: DatabaseHandle;
const KEY: OutcomeKey = { organisationId: 9, currency: "NOK", paymentTypeGroup: "PAYMENTCARD" };

beforeAll(async () => {
  handle = await openDatabase({ inMemory: true });
  await migrateDatabase(handle);
  setDatabase(handle);
});
afterAll(async () => {
  setDatabase(undefined);
  await handle?.close();
});

async function counted() {
  const rows = await handle.db
    .select({
      rows: sql<number>`count(*)::int`,
      approved: sql<number>`coalesce(sum(${dailyOutcomes.approvedCount}), 0)::int`,
      declined: sql<number>`coalesce(sum(${dailyOutcomes.declinedCount}), 0)::int`,
      failed: sql<number>`coalesce(sum(${dailyOutcomes.failedCount}), 0)::int`,
    })
    .from(dailyOutcomes);
  return rows[0];
}

it("adds each attempt to its UTC day's row, one row per day and key", async () => {
  const day = new Date("2026-11-30T23:30:00Z");
  await inTransaction(async (tx) => {
    await countOutcome(tx, KEY, "approved", day);
    await countOutcome(tx, KEY, "approved", day);
    await countOutcome(tx, KEY, "declined", day);
    await countOutcome(tx, KEY, "failed", new Date("2026-12-01T00:30:00Z"));
  });
  expect(await counted()).toEqual({ rows: 2, approved: 2, declined: 1, failed: 1 });
});

it("counts nothing when the transaction that counted rolls back", async () => {
  const before = await counted();
  await expect(
    inTransaction(async (tx) => {
      await countOutcome(tx, KEY, "declined", new Date());
      throw new Error("rolled back");
    }),
  ).rejects.toThrow("rolled back");
  expect(await counted()).toEqual(before);
});
