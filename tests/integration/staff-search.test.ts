// The search for everything (the staff header's search box): every kind of match, grouped and
// ranked, bounded per group, only the groups a user may see, and an API client's tenant confined
// to its own organisation; then the route over HTTP (a session required, the permission checked
// on the server) and the payments list's `q`, which reads payments the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credits, customers, paymentTransactions, payments } from "../../db/schema";
import { recogniseStaffSearch, SEARCH_GROUP_LIMIT, type SearchGroup } from "../../app/domain/staff-search";
import { searchEverything } from "../../app/services/queries/staff-search.server";
import { listPayments } from "../../app/services/queries/payment-list.server";
import { recogniseQuickSearch } from "../../app/domain/quick-search";
import type { Caller } from "../../app/domain/caller";
import { clientCaller, newOrganisation, staffCaller, useTestDatabase } from "../support/use-case";
import { startTestServer, type TestServer } from "../support/server";
import { createStaff, getPage, loginAs } from "../support/staff";

const database = useTestDatabase();
const STAFF = staffCaller();
const ALL: SearchGroup[] = ["payments", "credits", "customers"];
// Random letters: no test run's ids look like another's, and no digit run is a card number.
const tag = Math.random().toString(36).slice(2, 8).toUpperCase().replace(/[0-9]/g, "Q");

let org: number;
let otherOrg: number;
const ids = { order: 0, rrn: 0, card: 0, amount: 0, other: 0, credit: 0 };

async function payment(organisationId: number, values: Partial<typeof payments.$inferInsert> = {}) {
  const [row] = await database()
    .db.insert(payments)
    .values({ organisationId, totalAmount: "10.00", ...values })
    .returning({ paymentId: payments.paymentId });
  return row.paymentId;
}

async function transaction(paymentId: number, values: Partial<typeof paymentTransactions.$inferInsert>) {
  await database()
    .db.insert(paymentTransactions)
    .values({
      paymentId,
      organisationId: org,
      amount: "10.00",
      currency: "NOK",
      status: "CAPTURED",
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
      ...values,
    });
}

beforeAll(async () => {
  org = await newOrganisation(database(), "Search AS");
  otherOrg = await newOrganisation(database(), "Other AS");
  ids.order = await payment(org, { orderId: `ORD-${tag}-002997`, customerNumber: "800001" });
  ids.rrn = await payment(org, { orderId: `RRN-${tag}` });
  await transaction(ids.rrn, { rrn: `61${tag}77` });
  ids.card = await payment(org);
  await transaction(ids.card, { cardNumber: "7319" });
  ids.amount = await payment(org, { totalAmount: "2596.50" });
  // Another organisation's payment with an orderId of the same shape.
  ids.other = await payment(otherOrg, { orderId: `ORD-${tag}-102997` });
  // More partial matches than a group shows.
  for (let i = 0; i < SEARCH_GROUP_LIMIT + 2; i++) await payment(org, { orderId: `MANY-${tag}-${i}` });
  const [credit] = await database()
    .db.insert(credits)
    .values({ organisationId: org, totalCreditAmount: "5.00", orderId: `ORD-${tag}-002997` })
    .returning({ creditId: credits.creditId });
  ids.credit = credit.creditId;
  await database()
    .db.insert(customers)
    .values([
      {
        customerNumber: "800001",
        name: `Kari ${tag} Nordmann`,
        email: `kari.${tag.toLowerCase()}@example.no`,
        organisationId: org,
      },
      {
        customerNumber: "800002",
        name: `Ola ${tag} Hansen`,
        email: `ola.${tag.toLowerCase()}@example.no`,
        organisationId: otherOrg,
      },
    ]);
});

async function search(text: string, caller: Caller = STAFF, groups: SearchGroup[] = ALL) {
  const recognised = recogniseStaffSearch(text);
  if (!recognised.ok || !recognised.search) throw new Error(`not a search: ${text}`);
  return searchEverything(caller, { search: recognised.search, groups });
}

const paymentIds = (result: Awaited<ReturnType<typeof search>>) => result.payments!.items.map((p) => p.paymentId);

describe("payments", () => {
  it("finds an orderId in any case, whole or by part", async () => {
    for (const text of [`ORD-${tag}-002997`, `ord-${tag.toLowerCase()}-002997`, `${tag.toLowerCase()}-002997`]) {
      const result = await search(text);
      expect(paymentIds(result), text).toEqual([ids.order]);
      expect(result.payments!.items[0].matchedBy, text).toBe("orderId");
    }
    // "002997" is part of both organisations' orders; staff see every organisation.
    expect(paymentIds(await search(`${tag}-002997`))).toEqual([ids.order]);
    expect(new Set(paymentIds(await search(`ord-${tag}`)))).toEqual(new Set([ids.other, ids.order]));
  });

  it("ranks the whole orderId above a part of one", async () => {
    const result = await search(`ORD-${tag}-102997`);
    expect(paymentIds(result)).toEqual([ids.other]);
    const both = await search(`${tag}-`);
    expect(both.payments!.items.length).toBe(SEARCH_GROUP_LIMIT);
    expect(both.payments!.more).toBe(true);
  });

  it("finds a payment by id, rrn, card last 4 and an amount typed as people type it", async () => {
    const byId = await search(String(ids.order));
    expect(byId.payments!.items[0]).toMatchObject({ paymentId: ids.order, matchedBy: "paymentId" });
    expect(await search(`61${tag}77`).then(paymentIds)).toEqual([ids.rrn]);
    const byCard = await search("7319");
    expect(byCard.payments!.items.find((p) => p.paymentId === ids.card)?.matchedBy).toBe("cardNumber");
    for (const text of ["2 596,50", "2\u00a0596,50", "2596,50", "2596.50"]) {
      const byAmount = await search(text);
      expect(paymentIds(byAmount), text).toContain(ids.amount);
      expect(byAmount.payments!.items.find((p) => p.paymentId === ids.amount)?.matchedBy).toBe("amount");
    }
  });

  it("answers an empty group for what matches nothing", async () => {
    const result = await search(`nothing-${tag}`);
    expect(result.payments).toEqual({ items: [], more: false });
    expect(result.customers).toEqual({ items: [], more: false });
  });

  it("confines an API client's caller to its organisation", async () => {
    expect(paymentIds(await search(`ord-${tag}`, clientCaller(org)))).toEqual([ids.order]);
    expect(paymentIds(await search(`ord-${tag}`, clientCaller(otherOrg)))).toEqual([ids.other]);
    expect((await search(`Ola ${tag}`, clientCaller(org))).customers!.items).toEqual([]);
  });

  it("the payments list's q reads payments the same way, case-insensitive and partial", async () => {
    const quick = recogniseQuickSearch(`ord-${tag.toLowerCase()}-002997`);
    if (!quick.ok) throw new Error(quick.message);
    const list = await listPayments(STAFF, { quickSearch: quick.search, page: 1, perPage: 25 });
    expect(list.items.map((p) => p.paymentId)).toEqual([ids.order]);
    expect(list.quickSearch?.matched).toEqual([{ kind: "orderId", count: 1 }]);
  });
});

describe("credits and customers", () => {
  it("finds a credit by its id", async () => {
    const result = await search(String(ids.credit));
    expect(result.credits!.items.map((c) => c.creditId)).toEqual([ids.credit]);
  });

  it("finds a customer by number, email (any part, any case) or the words of the name", async () => {
    const byNumber = await search("800001");
    expect(byNumber.customers!.items[0]).toMatchObject({ customerNumber: "800001", matchedBy: "customerNumber" });
    const byEmail = await search(`KARI.${tag}@EXAMPLE.NO`);
    expect(byEmail.customers!.items).toEqual([
      expect.objectContaining({ customerNumber: "800001", matchedBy: "email" }),
    ]);
    const byPart = await search(`${tag.toLowerCase()}@example`);
    expect(byPart.customers!.items.map((c) => c.customerNumber)).toEqual(["800001", "800002"]);
    const byName = await search(`nordmann ${tag.toLowerCase()}`);
    expect(byName.customers!.items).toEqual([expect.objectContaining({ customerNumber: "800001", matchedBy: "name" })]);
  });
});

describe("permissions", () => {
  it("searches only the groups it is given", async () => {
    const result = await search("800001", STAFF, ["payments"]);
    expect(result.credits).toBeNull();
    expect(result.customers).toBeNull();
    expect(result.payments).not.toBeNull();
  });

  // Last in the file: the test server makes its own database the process's while it runs.
  describe("over HTTP", () => {
    let server: TestServer;
    let cookie: string;
    beforeAll(async () => {
      server = await startTestServer();
      cookie = await loginAs(server, await createStaff(server, "support"));
    });
    afterAll(async () => {
      await server?.close();
    });
    const DATA = `_data=${encodeURIComponent("routes/_staff.search")}`;

    it("asks for a session, and answers a support user every group they may read", async () => {
      const anonymous = await getPage(server, `/search?q=x&${DATA}`, "");
      expect([204, 302, 401]).toContain(anonymous.status);
      const response = await getPage(server, `/search?q=nothing-at-all&${DATA}`, cookie);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.result.payments).toEqual({ items: [], more: false });
      expect(body.result.credits).toEqual({ items: [], more: false });
      expect(body.result.customers).toEqual({ items: [], more: false });
    });

    it("refuses text it cannot search with 400 and the reason", async () => {
      const response = await getPage(server, `/search?q=${encodeURIComponent("a\u0001b")}&${DATA}`, cookie);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/control characters/);
    });
  });
});
