import { eq, sql } from "drizzle-orm";
import { organisations, payments } from "../../db/schema";
import { useTestDatabase } from "../../tests/support/use-case";
import { countUpToCap, roundEstimate } from "./bounded-count.server";

const database = useTestDatabase();

beforeAll(async () => {
  const { db } = database();
  await db.insert(organisations).values([
    { id: 31, name: "Many" },
    { id: 32, name: "Few" },
  ]);
  await db
    .insert(payments)
    .values([
      ...Array.from({ length: 40 }, (_, i) => ({ organisationId: 31, orderId: `many-${i}`, totalAmount: "10.00" })),
      ...Array.from({ length: 3 }, (_, i) => ({ organisationId: 32, orderId: `few-${i}`, totalAmount: "10.00" })),
    ]);
  // The estimate comes from the statistics ANALYZE keeps (autovacuum's job on a real database).
  await db.execute(sql`analyze payments`);
});

const ofOrganisation = (organisationId: number) => () => {
  const { db } = database();
  return db
    .select({ one: sql`1` })
    .from(payments)
    .where(eq(payments.organisationId, organisationId))
    .$dynamic();
};

describe("countUpToCap", () => {
  it("counts exactly up to the cap, including exactly the cap", async () => {
    const { db } = database();
    expect(await countUpToCap(db, ofOrganisation(32), { cap: 10 })).toEqual({ count: 3, estimated: false });
    expect(await countUpToCap(db, ofOrganisation(32), { cap: 3 })).toEqual({ count: 3, estimated: false });
    expect(await countUpToCap(db, ofOrganisation(99), { cap: 10 })).toEqual({ count: 0, estimated: false });
  });

  it("above the cap answers the planner's estimate, flagged, and never less than cap + 1", async () => {
    const { db } = database();
    const estimate = await countUpToCap(db, ofOrganisation(31), { cap: 10 });
    expect(estimate.estimated).toBe(true);
    expect(estimate.count).toBeGreaterThan(10);
    // The statistics of a freshly analysed table put it at or near the real 40.
    expect(estimate.count).toBeLessThanOrEqual(43);
    const justAbove = await countUpToCap(db, ofOrganisation(32), { cap: 2 });
    expect(justAbove).toEqual({ count: 3, estimated: true });
  });
});

describe("roundEstimate", () => {
  it.each([
    [0, 0],
    [999, 999],
    [1234, 1230],
    [426_117, 426_000],
    [1_004_999, 1_000_000],
  ])("%i reads as %i", (value, rounded) => {
    expect(roundEstimate(value)).toBe(rounded);
  });
});
