// A statement built once runs in whichever session it is given: the pool, or a transaction's
// connection (where it sees the transaction's own writes and rolls back with it), with its
// values encoded as Drizzle encodes them (dates, numerics, nulls, arrays) and its rows mapped back.
import { asc, eq, sql } from "drizzle-orm";
import { organisations, payments } from "../../db/schema";
import { useTestDatabase } from "../../tests/support/use-case";
import { preparedStatement } from "./prepared.server";

const database = useTestDatabase();

const insertPayment = preparedStatement<
  (typeof payments.$inferSelect)[],
  { organisationId: number; totalAmount: string; orderId: string | null; createdAt: Date }
>("test_insert_payment", (on) =>
  on
    .insert(payments)
    .values({
      organisationId: sql.placeholder("organisationId"),
      totalAmount: sql.placeholder("totalAmount"),
      orderId: sql.placeholder("orderId"),
      createdAt: sql.placeholder("createdAt"),
    })
    .returning(),
);

const paymentsOfOrders = preparedStatement<{ orderId: string | null; totalAmount: string }[], { orders: string[] }>(
  "test_payments_of_orders",
  (on) =>
    on
      .select({ orderId: payments.orderId, totalAmount: payments.totalAmount })
      .from(payments)
      .where(sql`${payments.orderId} = any(${sql.placeholder("orders")}::text[])`)
      .orderBy(asc(payments.orderId)),
);

beforeAll(async () => {
  await database().db.insert(organisations).values({ id: 41, name: "Prepared" });
});

describe("preparedStatement", () => {
  it("runs on the pool with values encoded and rows mapped back", async () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    const [row] = await insertPayment(database().db, {
      organisationId: 41,
      totalAmount: "9999999999999.99999",
      orderId: null,
      createdAt: at,
    });
    expect(row.createdAt).toEqual(at);
    expect(row.totalAmount).toBe("9999999999999.99999");
    expect(row.orderId).toBeNull();
    const [again] = await database().db.select().from(payments).where(eq(payments.paymentId, row.paymentId));
    expect(again).toEqual(row);
  });

  it("runs inside a transaction, on its connection: sees its writes and rolls back with it", async () => {
    const { db } = database();
    await expect(
      db.transaction(async (tx) => {
        await insertPayment(tx, { organisationId: 41, totalAmount: "1.00", orderId: "tx-1", createdAt: new Date() });
        await insertPayment(tx, { organisationId: 41, totalAmount: "2.50", orderId: "tx-2", createdAt: new Date() });
        // numeric(18,5): the text PostgreSQL gives back, never a float.
        expect(await paymentsOfOrders(tx, { orders: ["tx-1", "tx-2", "none"] })).toEqual([
          { orderId: "tx-1", totalAmount: "1.00000" },
          { orderId: "tx-2", totalAmount: "2.50000" },
        ]);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await paymentsOfOrders(db, { orders: ["tx-1", "tx-2"] })).toEqual([]);
  });
});
