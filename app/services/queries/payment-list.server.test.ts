import { dailyVolume, organisations, paymentTransactions, payments } from "../../../db/schema";
import { listPayments } from "./payment-list.server";
import { staffCaller, useTestDatabase } from "../../../tests/support/use-case";

const database = useTestDatabase();
const STAFF = staffCaller();

const ids: number[] = [];

beforeAll(async () => {
  const { db } = database();
  await db.insert(organisations).values({ id: 7, name: "Testorg" });
  // 30 payments, one minute apart, the newest a few seconds old (so it is "today" unless the test
  // runs in the first seconds after midnight); the two newest share a timestamp (tie-break).
  const base = Date.now() - 28 * 60_000 - 5_000;
  for (let i = 0; i < 30; i++) {
    const createdAt = new Date(base + (i === 29 ? 28 : i) * 60_000);
    const [row] = await db
      .insert(payments)
      .values({ organisationId: 7, orderId: `o-${i}`, totalAmount: "100.00", createdAt })
      .returning({ paymentId: payments.paymentId });
    ids.push(row.paymentId);
  }
  await db.insert(paymentTransactions).values([
    {
      organisationId: 7,
      paymentId: ids[29],
      amount: "60.00",
      currency: "NOK",
      status: "CAPTURED",
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
      cardNumber: "4242",
    },
    {
      organisationId: 7,
      paymentId: ids[29],
      amount: "40.00",
      currency: "NOK",
      status: "CREATED",
      paymentType: null,
      paymentTypeGroup: "PAYMENTCARD",
    },
    {
      organisationId: 7,
      paymentId: ids[0],
      amount: "100.00",
      currency: "NOK",
      status: "CANCELLED",
      paymentType: "VIPPS",
      paymentTypeGroup: "MOBILE",
    },
  ]);
  const today = new Date().toISOString().slice(0, 10);
  await db.insert(dailyVolume).values([
    {
      day: today,
      organisationId: 7,
      currency: "NOK",
      paymentTypeGroup: "PAYMENTCARD",
      paymentType: "VISA",
      capturedAmount: "0.10000",
      creditedAmount: "0.00001",
    },
    {
      day: today,
      organisationId: 7,
      currency: "NOK",
      paymentTypeGroup: "MOBILE",
      paymentType: "VIPPS",
      capturedAmount: "9999999999999.20000",
    },
  ]);
});

describe("listPayments", () => {
  it("returns the newest first, ties broken by the higher paymentId, with a total", async () => {
    const list = await listPayments(STAFF, { page: 1, perPage: 5 });
    expect(list.total).toBe(30);
    // Up to 10 000 matches the count and the amounts are exact (above, estimated: bounded-count.server.test.ts).
    expect(list.estimated).toBe(false);
    expect(list.totals).toEqual([{ currency: "NOK", count: 30, totalAmount: "3000.00000" }]);
    expect(await listPayments(STAFF, { page: 1, perPage: 5, exactTotals: true })).toMatchObject({
      total: 30,
      estimated: false,
      totals: list.totals,
    });
    expect(list.pageCount).toBe(6);
    expect(list.items.map((p) => p.paymentId)).toEqual([ids[29], ids[28], ids[27], ids[26], ids[25]]);
    expect(list.items[0].organisationName).toBe("Testorg");
    expect(list.items[0].totalAmount).toBe("100.00000");
  });

  it("attaches each payment's transactions in id order", async () => {
    const list = await listPayments(STAFF, { page: 1, perPage: 5 });
    expect(list.items[0].transactions.map((t) => [t.status, t.paymentType, t.cardNumber])).toEqual([
      ["CAPTURED", "VISA", "4242"],
      ["CREATED", null, null],
    ]);
    expect(list.items[1].transactions).toEqual([]);
  });

  it("pages without gaps or repeats, and is empty past the end", async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 4; page++) {
      const list = await listPayments(STAFF, { page, perPage: 8 });
      seen.push(...list.items.map((p) => p.paymentId));
    }
    expect(new Set(seen).size).toBe(30);
    const past = await listPayments(STAFF, { page: 9, perPage: 8 });
    expect(past.items).toEqual([]);
    expect(past.total).toBe(30);
  });

  it("clamps perPage to 100 and page to at least 1", async () => {
    const list = await listPayments(STAFF, { page: 0, perPage: 1000 });
    expect(list.page).toBe(1);
    expect(list.perPage).toBe(100);
    expect(list.items).toHaveLength(30);
  });
});
