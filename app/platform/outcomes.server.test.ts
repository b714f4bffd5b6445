// Counting authorization outcomes whose use-case rolled back: the sandbox provider never fails,
// so the "failed" path (the provider call throws) is driven here with a provider call that does.
import { eq, sql } from "drizzle-orm";
import { openDatabase, setDatabase, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { dailyOutcomes, idempotencyKeys, organisations } from "../../db/schema";
import { DomainError } from "../domain/errors";
import { askProvider, countOutcome, declinedError, inAuthorizingTransaction, type OutcomeKey } from "./outcomes.server";
import { withIdempotencyKey } from "./idempotency.server";

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
beforeEach(async () => {
  await handle.db.delete(dailyOutcomes);
  await handle.db.delete(organisations);
});

async function counted() {
  const rows = await handle.db
    .select({
      approved: sql<number>`coalesce(sum(${dailyOutcomes.approvedCount}), 0)::int`,
      declined: sql<number>`coalesce(sum(${dailyOutcomes.declinedCount}), 0)::int`,
      failed: sql<number>`coalesce(sum(${dailyOutcomes.failedCount}), 0)::int`,
    })
    .from(dailyOutcomes);
  return rows[0];
}

/** A use-case that writes something, then asks the provider, which answers with `provider`. */
function useCase(
  provider: () => Promise<{ ok: true } | { ok: false; reason: string; errorReason: "REFUSED_BY_ISSUER" }>,
) {
  return inAuthorizingTransaction(async (tx) => {
    await tx.insert(organisations).values({ id: 9, name: "Rolled back" });
    const outcome = await askProvider(KEY, provider);
    if (!outcome.ok) throw declinedError(KEY, outcome);
    await countOutcome(tx, KEY, "approved", new Date());
    return "authorized";
  });
}

it("counts a provider call that throws as failed, after the rollback, and rethrows the provider's own error", async () => {
  const unreachable = new Error("connect ECONNREFUSED");
  await expect(useCase(() => Promise.reject(unreachable))).rejects.toBe(unreachable);
  expect(await counted()).toEqual({ approved: 0, declined: 0, failed: 1 });
  expect(await handle.db.select().from(organisations)).toEqual([]);
});

it("leaves the request's Idempotency-Key unmarked when only the count commits, so a retry may run", async () => {
  const scope = { clientId: "outcomes-test", key: "retry-me" };
  await handle.db.insert(idempotencyKeys).values({
    ...scope,
    requestHash: "h",
    state: "IN_PROGRESS",
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 60_000),
  });
  const unreachable = new Error("connect ECONNREFUSED");
  await expect(withIdempotencyKey(scope, () => useCase(() => Promise.reject(unreachable)))).rejects.toBe(unreachable);
  expect(await counted()).toEqual({ approved: 0, declined: 0, failed: 1 });
  const [row] = await handle.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, scope.key));
  expect(row.effectCommittedAt).toBeNull();

  // An approval is the request's effect: its transaction marks the key.
  expect(await withIdempotencyKey(scope, () => useCase(async () => ({ ok: true })))).toBe("authorized");
  const [after] = await handle.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, scope.key));
  expect(after.effectCommittedAt).not.toBeNull();
});

it("counts a decline once, after the rollback, answered as a 422 with its errorReason", async () => {
  const error = await useCase(async () => ({
    ok: false,
    reason: "The issuer refused",
    errorReason: "REFUSED_BY_ISSUER",
  })).catch((e) => e);
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ status: 422, errorReason: "REFUSED_BY_ISSUER", message: "The issuer refused" });
  expect(await counted()).toEqual({ approved: 0, declined: 1, failed: 0 });
  expect(await handle.db.select().from(organisations)).toEqual([]);
});

it("counts an approval with the use-case's commit, and nothing for an error raised before the provider was asked", async () => {
  expect(await useCase(async () => ({ ok: true }))).toBe("authorized");
  expect(await counted()).toEqual({ approved: 1, declined: 0, failed: 0 });
  await expect(
    inAuthorizingTransaction(async () => {
      throw new DomainError("conflict", "The transaction is CAPTURED");
    }),
  ).rejects.toThrow("CAPTURED");
  expect(await counted()).toEqual({ approved: 1, declined: 0, failed: 0 });
});
