// A new Idempotency-Key is recorded by the request's own transaction (decision 058): the record,
// marked, commits exactly when the effect does, and a second request with the same key at the
// same time has its effect rolled back.
import { and, eq } from "drizzle-orm";
import { idempotencyKeys, organisations } from "../../db/schema";
import { useTestDatabase } from "../../tests/support/use-case";
import { ClaimedMeanwhile, withIdempotencyKey, type RequestKey } from "./idempotency.server";
import { inTransaction } from "./transaction.server";

const database = useTestDatabase();

const newKey = (key: string): RequestKey => ({ clientId: "test-client", key, fingerprint: "f", claimed: false });

/** An effect a use-case could have: one organisation row, named after the key. */
const effect = (name: string) =>
  inTransaction(async (tx) => {
    await tx.insert(organisations).values({ id: 70_000 + Math.floor(Math.random() * 10_000), name });
  });

async function recordOf(key: string) {
  const [row] = await database()
    .db.select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.clientId, "test-client"), eq(idempotencyKeys.key, key)));
  return row;
}

const organisationsNamed = async (name: string) =>
  (await database().db.select().from(organisations).where(eq(organisations.name, name))).length;

describe("a request's first transaction records its new key", () => {
  it("inserts the record marked as taken effect, and the request then holds it", async () => {
    const scope = newKey("new-1");
    await withIdempotencyKey(scope, () => effect("effect of new-1"));
    expect(scope.claimed).toBe(true);
    const record = await recordOf("new-1");
    expect(record).toMatchObject({ state: "IN_PROGRESS", requestHash: "f" });
    expect(record!.effectCommittedAt).toBeInstanceOf(Date);
    expect(await organisationsNamed("effect of new-1")).toBe(1);

    // A second transaction of the same request marks the record it holds, and inserts nothing.
    await withIdempotencyKey(scope, () => effect("second effect of new-1"));
    expect(await organisationsNamed("second effect of new-1")).toBe(1);
  });

  it("leaves no record when the transaction rolls back", async () => {
    const scope = newKey("new-2");
    await expect(
      withIdempotencyKey(scope, () =>
        inTransaction(async (tx) => {
          await tx.insert(organisations).values({ id: 69_001, name: "rolled back" });
          throw new Error("the use-case refused");
        }),
      ),
    ).rejects.toThrow("the use-case refused");
    expect(scope.claimed).toBe(false);
    expect(await recordOf("new-2")).toBeUndefined();
    expect(await organisationsNamed("rolled back")).toBe(0);
  });

  it("rolls back the effect of a second request that comes with the same new key", async () => {
    await withIdempotencyKey(newKey("new-3"), () => effect("first with new-3"));
    const second = newKey("new-3");
    await expect(withIdempotencyKey(second, () => effect("second with new-3"))).rejects.toThrow(ClaimedMeanwhile);
    expect(second.claimed).toBe(false);
    expect(await organisationsNamed("second with new-3")).toBe(0);
  });

  it("lets only one of many requests with the same new key at once take effect", async () => {
    const scopes = Array.from({ length: 8 }, () => newKey("new-4"));
    const outcomes = await Promise.allSettled(scopes.map((scope) => withIdempotencyKey(scope, () => effect("new-4"))));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(ClaimedMeanwhile);
    }
    expect(scopes.filter((scope) => scope.claimed)).toHaveLength(1);
    expect(await organisationsNamed("new-4")).toBe(1);
  });
});
