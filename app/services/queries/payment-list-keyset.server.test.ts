// Keyset pages of the payments (decision 058): the staff list's next/previous links read from
// their neighbour's edge, deep page numbers find their first row by an index walk, and the /v1
// search's nextCursor; each gives exactly the rows its page number gives by OFFSET.
import { eq } from "drizzle-orm";
import { organisations, payments } from "../../../db/schema";
import { cursorFromParam, cursorToParam, type KeysetCursor } from "../../domain/keyset-cursor";
import type { SearchQuery } from "../../domain/search-filter";
import { clientCaller, staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import { paymentPage, resolvePaymentQuery, type PaymentPage } from "./payment-list.server";
import { DEFERRED_JOIN_FROM, searchPayments } from "./payment-search.server";
import type { KeysetDirection } from "./keyset-page.server";

const database = useTestDatabase();
const STAFF = staffCaller();
const ORG = 58;
const COUNT = DEFERRED_JOIN_FROM + 150;

/** Every payment id, newest first, ties on createdAt by the higher id: the list's own order. */
let expected: number[] = [];

beforeAll(async () => {
  const { db } = database();
  await db.insert(organisations).values({ id: ORG, name: "Keyset org" });
  // Groups of five share one createdAt (to the millisecond), so most page edges fall inside a tie.
  const base = Date.UTC(2026, 10, 1);
  const rows = Array.from({ length: COUNT }, (_, i) => ({
    organisationId: ORG,
    orderId: `k-${i}`,
    totalAmount: `${(i % 97) + 1}.00`,
    createdAt: new Date(base + Math.floor(i / 5) * 1000),
  }));
  const inserted = await db.insert(payments).values(rows).returning({
    paymentId: payments.paymentId,
    createdAt: payments.createdAt,
  });
  expected = inserted
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.paymentId - a.paymentId)
    .map((row) => row.paymentId);
});

const ids = (page: { items: { paymentId: number }[] }) => page.items.map((item) => item.paymentId);
const newestFirst = async () => resolvePaymentQuery(STAFF, { query: {} });
const read = async (page: number, perPage: number, cursor?: KeysetDirection) =>
  paymentPage(STAFF, { resolved: await newestFirst(), page, perPage, cursor });
const older = (from: PaymentPage): KeysetDirection => ({ direction: "older", from: from.places!.older });
const newer = (from: PaymentPage): KeysetDirection => ({ direction: "newer", from: from.places!.newer });

describe("the staff payments list's next and previous links", () => {
  it("walks forward by each page's older= edge and back by its newer= edge, as the page numbers do", async () => {
    const perPage = 7;
    const pages = Math.ceil(COUNT / perPage);
    const forward: PaymentPage[] = [await read(1, perPage)];
    for (let page = 2; page <= pages; page++) forward.push(await read(page, perPage, older(forward.at(-1)!)));
    expect(forward.flatMap(ids)).toEqual(expected);
    // Back from the last page by each page's newer= edge: the same pages in reverse.
    let at = forward.at(-1)!;
    for (let page = pages - 1; page >= 2; page--) {
      at = await read(page, perPage, newer(at));
      expect(ids(at), `page ${page}`).toEqual(ids(forward[page - 1]));
    }
  });

  it("gives each page's edges as the places its links carry", async () => {
    const page = await read(3, 10);
    expect(ids(page)).toEqual(expected.slice(20, 30));
    const row = async (id: number) => {
      const [found] = await database()
        .db.select({ createdAt: payments.createdAt })
        .from(payments)
        .where(eq(payments.paymentId, id));
      return { createdAt: found.createdAt, id } satisfies KeysetCursor;
    };
    expect(page.places).toEqual({ newer: await row(expected[20]), older: await row(expected[29]) });
  });

  it("ignores a cursor on page 1 and in other orders, which page by number", async () => {
    const first = await read(1, 10);
    const deep = await read(9, 10);
    expect(ids(await read(1, 10, older(deep)))).toEqual(ids(first));
    const byAmount = await resolvePaymentQuery(STAFF, { query: { sort: { key: "totalAmount", direction: "desc" } } });
    const plain = await paymentPage(STAFF, { resolved: byAmount, page: 2, perPage: 10 });
    expect(plain.places).toBeNull();
    const withCursor = await paymentPage(STAFF, { resolved: byAmount, page: 2, perPage: 10, cursor: older(deep) });
    expect(ids(withCursor)).toEqual(ids(plain));
  });

  it("shows a sensible page for a shared link whose edge row is gone or beyond the list", async () => {
    const page4 = await read(4, 10);
    const edge = page4.places!.older;
    // The row the link's cursor names is deleted: the next page still starts right after its place.
    await database().db.delete(payments).where(eq(payments.paymentId, edge.id));
    expected = expected.filter((id) => id !== edge.id);
    expect(ids(await read(5, 10, { direction: "older", from: edge }))).toEqual(expected.slice(39, 49));
    // Past the oldest payment: not an empty page, the page number's own rows.
    const beyondEnd: KeysetDirection = { direction: "older", from: { createdAt: new Date(0), id: 1 } };
    expect(ids(await read(6, 10, beyondEnd))).toEqual(expected.slice(50, 60));
    // A previous link that runs out before a whole page (the list changed): the page number again.
    const nearTop: KeysetDirection = { direction: "newer", from: { createdAt: new Date(Date.UTC(2030, 0, 1)), id: 1 } };
    expect(ids(await read(3, 10, nearTop))).toEqual(expected.slice(20, 30));
  });

  it("reads a deep page number from its first row's place, with the OFFSET page's rows", async () => {
    const perPage = 25;
    const page = Math.floor(DEFERRED_JOIN_FROM / perPage) + 2;
    expect(ids(await read(page, perPage))).toEqual(expected.slice((page - 1) * perPage, page * perPage));
    const last = Math.ceil(expected.length / perPage);
    expect(ids(await read(last, perPage))).toEqual(expected.slice((last - 1) * perPage));
    expect(ids(await read(last + 3, perPage))).toEqual([]);
  });
});

describe("GET /v1/payments's keyset pages (searchPayments)", () => {
  const query = (page: number, perPage: number, after?: string): SearchQuery => {
    const cursor = after === undefined ? null : cursorFromParam(after);
    return cursor ? { filters: {}, page, perPage, after: cursor } : { filters: {}, page, perPage };
  };

  it("walks by nextCursor through the same rows as page numbers, deep pages included", async () => {
    const client = clientCaller(ORG);
    const perPage = 40;
    const byCursor: number[] = [];
    let after: string | undefined;
    let page = 1;
    for (;;) {
      const result = await searchPayments(client, { query: query(page, perPage, after) });
      byCursor.push(...ids(result));
      const numbered = await searchPayments(client, { query: query(page, perPage) });
      expect(ids(numbered), `page ${page}`).toEqual(ids(result));
      expect(numbered.nextCursor).toBe(result.nextCursor);
      expect(result.totalItems).toBe(expected.length);
      if (result.nextCursor === null) break;
      const lastItem = result.items.at(-1)!;
      expect(result.nextCursor).toBe(cursorToParam({ createdAt: lastItem.createdAt, id: lastItem.paymentId }));
      after = result.nextCursor;
      page += 1;
    }
    expect(byCursor).toEqual(expected);
    expect(page).toBe(Math.ceil(expected.length / perPage));
  });
});
