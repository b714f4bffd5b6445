// The staff operation log: filters in the API's grammar, keyset pages in both directions over
// rows that share timestamps, and the count that stops at its bound.
import { operationLog, organisations, paymentTransactions, payments } from "../../../db/schema";
import {
  COUNT_LIMIT,
  cursorFromParam,
  cursorToParam,
  OPERATION_LOG_FIELDS,
  searchOperationLog,
  type OperationLogPage,
} from "./operation-log.server";
import { searchFilters } from "../../../tests/support/fixtures-use-case";
import { staffCaller, useTestDatabase } from "../../../tests/support/use-case";

const database = useTestDatabase();
const STAFF = staffCaller();
const T0 = Date.parse("2026-11-10T12:00:00.000Z");

let transactionId: number;
let paymentId: number;

beforeAll(async () => {
  const { db } = database();
  await db.insert(organisations).values({ id: 7, name: "Testorg" });
  const [payment] = await db.insert(payments).values({ organisationId: 7, totalAmount: "10.00" }).returning();
  paymentId = payment.paymentId;
  const [transaction] = await db
    .insert(paymentTransactions)
    .values({
      paymentId,
      organisationId: 7,
      amount: "10.00",
      currency: "SEK",
      paymentType: "VIPPS",
      paymentTypeGroup: "MOBILE",
    })
    .returning();
  transactionId = transaction.transactionId;
  // 23 rows, three to a timestamp, ids not in time order (as bulk imports write them).
  await db.insert(operationLog).values(
    Array.from({ length: 23 }, (_, i) => ({
      transactionId,
      paymentId,
      operation: i % 2 === 0 ? ("AUTHORIZE" as const) : ("UPDATE" as const),
      amount: "10.00",
      correlationId: i < 3 ? "corr-first-three" : `corr-${i}`,
      clientName: i % 4 === 0 ? "entur-tvm" : "entur-web",
      pos: i % 4 === 0 ? `TVM-${String(i).padStart(4, "0")}` : "web",
      distributionChannel: i % 4 === 0 ? "ticket-machine" : "web",
      actorType: "CLIENT",
      actor: "entur-sales",
      createdAt: new Date(T0 + Math.floor((22 - i) / 3) * 60_000),
    })),
  );
});

function filters(query: string) {
  return searchFilters(query, OPERATION_LOG_FIELDS);
}

const key = (row: { createdAt: Date; id: number }) => `${row.createdAt.toISOString()}#${row.id}`;

describe("searchOperationLog", () => {
  it("walks older pages and back without gaps or repeats, newest first, ties by id", async () => {
    const all = await database().db.select().from(operationLog);
    const expected = all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id).map(key);

    const pages: OperationLogPage[] = [await searchOperationLog(STAFF, { perPage: 5 })];
    expect(pages[0].newer).toBeNull();
    while (pages.at(-1)!.older) {
      const older = pages.at(-1)!.older!;
      pages.push(await searchOperationLog(STAFF, { perPage: 5, cursor: { direction: "older", from: older } }));
    }
    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flatMap((p) => p.items.map(key))).toEqual(expected);

    // From the last page, "newer" gives back the page before it, exactly.
    const back = await searchOperationLog(STAFF, { perPage: 5, cursor: { direction: "newer", from: pages[4].newer! } });
    expect(back.items.map(key)).toEqual(pages[3].items.map(key));
    expect(back.older).toEqual(pages[3].older);
    const first = await searchOperationLog(STAFF, {
      perPage: 5,
      cursor: { direction: "newer", from: pages[1].newer! },
    });
    expect(first.items.map(key)).toEqual(pages[0].items.map(key));
    expect(first.newer).toBeNull();
  });

  it("filters by correlation id, operation, client, POS and channel, joining the transaction's currency", async () => {
    const byCorrelation = await searchOperationLog(STAFF, {
      perPage: 50,
      filters: filters("correlationId=corr-first-three"),
    });
    expect(byCorrelation.items).toHaveLength(3);
    expect(byCorrelation.matching).toEqual({ count: 3, moreThan: false });
    expect(byCorrelation.items[0]).toMatchObject({
      paymentId,
      transactionId,
      currency: "SEK",
      paymentType: "VIPPS",
      amount: "10.00000",
    });

    const tvm = await searchOperationLog(STAFF, {
      perPage: 50,
      filters: filters("clientName=entur-tvm&distributionChannel=ticket-machine&operation=AUTHORIZE"),
    });
    expect(tvm.items.map((row) => row.pos)).toEqual([
      "TVM-0000",
      "TVM-0004",
      "TVM-0008",
      "TVM-0012",
      "TVM-0016",
      "TVM-0020",
    ]);
    const notThat = await searchOperationLog(STAFF, { perPage: 50, filters: filters("pos=ne:web&operation=UPDATE") });
    expect(notThat.items).toEqual([]);
  });

  it("keeps the time range and says when the count hit its bound", async () => {
    const ranged = await searchOperationLog(STAFF, {
      perPage: 50,
      created: { gte: new Date(T0 + 60_000), lt: new Date(T0 + 3 * 60_000) },
    });
    expect(ranged.matching).toEqual({ count: 6, moreThan: false });
    expect(COUNT_LIMIT).toBe(10_000);
  });

  it("reads its own cursors back and refuses anything else", () => {
    const cursor = { createdAt: new Date("2026-11-21T10:15:30.123Z"), id: 4711 };
    expect(cursorFromParam(cursorToParam(cursor))).toEqual(cursor);
    for (const bad of [
      "",
      "2026-11-21_1",
      "2026-11-21T10:15:30.123Z_0",
      "2026-11-21T10:15:30.123Z_x",
      "2026-13-21T10:15:30.123Z_1",
    ]) {
      expect(cursorFromParam(bad), bad).toBeNull();
    }
  });
});
