// Payments, transactions and payment methods over HTTP (the /v1 contract).
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dailyVolume, paymentAgreements, paymentMethods, payments, recurringPayments } from "../../db/schema";
import {
  capturedCardPayment,
  createClient,
  expectProblem,
  operationsNamed,
  paymentWithTransaction,
  type TestClient,
} from "../support/api";
import { itRefusesBadQueries, useApiClient, useTestServer } from "../support/fixtures-http";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 601, channels: ["web", "app"] });
const privileged = useApiClient(server, { organisationId: 602, privileged: true });

const tx = (paymentId: number, transactionId: number, action = "") =>
  `/v1/payments/${paymentId}/transactions/${transactionId}${action ? `/${action}` : ""}`;

describe("create a payment", () => {
  it("creates one with its first transaction and answers 201 with Location and the API shape", async () => {
    const result = await client.post("/v1/payments", {
      orderId: "ORDER-1",
      orderVersion: 2,
      totalAmount: "249.5",
      currency: "NOK",
      settlementId: "EJ-1",
      transaction: { paymentType: "MASTERCARD" },
    });
    expect(result.status).toBe(201);
    expect(result.headers.get("location")).toBe(`/v1/payments/${result.body.paymentId}`);
    expect(result.body).toMatchObject({
      orderId: "ORDER-1",
      orderVersion: 2,
      totalAmount: "249.50",
      currency: "NOK",
      active: true,
      settlementId: "EJ-1",
      customerNumber: null,
      organisationId: client.organisationId,
    });
    expect(result.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const [transaction] = result.body.transactions;
    expect(transaction).toMatchObject({
      paymentId: result.body.paymentId,
      amount: "249.50",
      currency: "NOK",
      status: "CREATED",
      paymentType: "MASTERCARD",
      paymentTypeGroup: "PAYMENTCARD",
      isImport: false,
      scaExemption: "NO_EXEMPTION",
      summary: {
        authorizedAmount: "0.00",
        capturedAmount: "0.00",
        creditedAmount: "0.00",
        cancelledAmount: "0.00",
        creditableAmount: "0.00",
      },
    });
    expect(transaction.operationLog.map((o: { operation: string }) => o.operation)).toEqual(["CREATE"]);
    expect(Number.isInteger(transaction.transactionId)).toBe(true);
  });

  it("answers with exactly what GET then shows, each CREATE entry under its own transaction, also when many are created at once", async () => {
    // The answers are built from what the inserts returned (no read after the write), and the
    // CREATE entry takes its transaction's id from the sequence: parallel requests reuse pooled
    // connections, where a stray id would show as another transaction's entry.
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.post("/v1/payments", {
          orderId: `SAME-AS-GET-${i}`,
          totalAmount: `${10 + i}.25`,
          transaction: { paymentType: i % 2 ? "VISA" : "MASTERCARD" },
        }),
      ),
    );
    const withoutTransaction = await client.post("/v1/payments", { totalAmount: "5.00" });
    for (const result of [...created, withoutTransaction]) {
      expect(result.status).toBe(201);
      const fetched = await client.get(`/v1/payments/${result.body.paymentId}`);
      expect(fetched.body).toEqual(result.body);
    }
    for (const { body } of created) {
      const [transaction] = body.transactions;
      expect(transaction.operationLog).toHaveLength(1);
      expect(transaction.operationLog[0]).toMatchObject({ operation: "CREATE", amount: body.totalAmount });
      expect(body.updatedAt).toBe(transaction.createdAt);
    }
    expect(withoutTransaction.body.transactions).toEqual([]);
    // The same for a transaction added later: its answer is what GET shows of it.
    const added = await addTransaction(client, withoutTransaction.body.paymentId, "GIFTCARD", "2.00");
    expect(added.status).toBe(201);
    expect((await client.get(tx(withoutTransaction.body.paymentId, added.body.transactionId))).body).toEqual(
      added.body,
    );
  });

  it("keeps five decimals exactly", async () => {
    const result = await client.post("/v1/payments", { totalAmount: "0.12345" });
    expect(result.body.totalAmount).toBe("0.12345");
    const fetched = await client.get(`/v1/payments/${result.body.paymentId}`);
    expect(fetched.body.totalAmount).toBe("0.12345");
  });

  it("keeps an amount a float cannot hold in the transactions and their log too", async () => {
    // 18 digits: read through a JSON number, it came back as "10000000000000.00".
    const amount = "9999999999999.99999";
    const created = await client.post("/v1/payments", { totalAmount: amount, transaction: { paymentType: "VISA" } });
    expect(created.status).toBe(201);
    const { paymentId } = created.body;
    for (const answer of [
      created.body,
      (await client.get(`/v1/payments/${paymentId}`)).body,
      (await client.get(`/v1/payments?paymentId=${paymentId}`)).body.items[0],
    ]) {
      expect(answer.totalAmount).toBe(amount);
      expect(answer.transactions[0].amount).toBe(amount);
      expect(answer.transactions[0].operationLog[0].amount).toBe(amount);
    }
  });

  it("refuses a second payment for the same order and version with 409", async () => {
    await client.post("/v1/payments", { orderId: "DUP-1", totalAmount: "10.00" });
    expectProblem(await client.post("/v1/payments", { orderId: "DUP-1", totalAmount: "10.00" }), 409, "orderId");
    expect(
      (await client.post("/v1/payments", { orderId: "DUP-1", orderVersion: 2, totalAmount: "10.00" })).status,
    ).toBe(201);
    // another organisation may use the same order id
    const elsewhere = await createClient(server);
    expect((await elsewhere.post("/v1/payments", { orderId: "DUP-1", totalAmount: "10.00" })).status).toBe(201);
  });

  it.each([
    [{ totalAmount: 100 }, "totalAmount"],
    [{ totalAmount: "1e3" }, "totalAmount"],
    [{ totalAmount: "-5.00" }, "totalAmount"],
    [{ totalAmount: "0" }, "totalAmount"],
    [{ totalAmount: "1.123456" }, "totalAmount"],
    [{ totalAmount: "10000000000000.00" }, "totalAmount"],
    [{}, "totalAmount"],
    [{ totalAmount: "1.00", currency: "nok" }, "currency"],
    [{ totalAmount: "1.00", orderVersion: "x" }, "orderVersion"],
    [{ totalAmount: "1.00", transaction: { paymentType: "BITCOIN" } }, "transaction.paymentType"],
    [{ totalAmount: "1.00", transaction: { paymentType: "VISA", amount: "1,00" } }, "transaction.amount"],
  ])("answers 400 naming the field for %j", async (body, field) => {
    expectProblem(await client.post("/v1/payments", body), 400, field);
  });

  it("refuses an initial transaction whose amount is not the total (422)", async () => {
    expectProblem(
      await client.post("/v1/payments", {
        totalAmount: "100.00",
        transaction: { paymentType: "VISA", amount: "99.99" },
      }),
      422,
      "transaction.amount",
    );
  });

  it("honours customerNumber only for privileged clients", async () => {
    const plain = await client.post("/v1/payments", { totalAmount: "1.00", customerNumber: "123456" });
    expect(plain.body.customerNumber).toBeNull();
    const trusted = await privileged.post("/v1/payments", { totalAmount: "1.00", customerNumber: 123456 });
    expect(trusted.body.customerNumber).toBe("123456");
  });
});

describe("search payments", () => {
  let searcher: TestClient;
  const ids: number[] = [];

  beforeAll(async () => {
    searcher = await createClient(server, { organisationId: 650 });
    for (const [i, amount] of ["10.00", "20.00", "30.00", "40.00", "50.00"].entries()) {
      const created = await paymentWithTransaction(searcher, amount, i % 2 ? "VISA" : "VIPPS", {
        orderId: `S-${i}`,
        settlementId: i < 3 ? "SET-A" : "SET-B",
      });
      ids.push(created.paymentId);
    }
    const first = ids[0];
    const created = await searcher.get(`/v1/payments/${first}`);
    await searcher.put(tx(first, created.body.transactions[0].transactionId, "cancel"));
  });

  it("pages newest first with totals", async () => {
    const page1 = await searcher.get("/v1/payments?perPage=2");
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ totalItems: 5, totalItemsEstimated: false, totalPages: 3, page: 1, perPage: 2 });
    expect(page1.body.items.map((p: { paymentId: number }) => p.paymentId)).toEqual([ids[4], ids[3]]);
    // The last page, not full, tells the count by itself; a page past the end still counts.
    const page3 = await searcher.get("/v1/payments?perPage=2&page=3");
    expect(page3.body.items.map((p: { paymentId: number }) => p.paymentId)).toEqual([ids[0]]);
    expect(page3.body).toMatchObject({ totalItems: 5, totalItemsEstimated: false, totalPages: 3, page: 3 });
    const beyond = await searcher.get("/v1/payments?perPage=2&page=9");
    expect(beyond.body.items).toEqual([]);
    expect(beyond.body).toMatchObject({ totalItems: 5, totalPages: 3, page: 9 });
  });

  it("counts exactly on demand, and refuses a malformed exactTotal naming it", async () => {
    // Few matches are counted exactly anyway; above 10 000 the count is an estimate unless asked
    // (app/platform/bounded-count.server.test.ts covers the cap).
    const exact = await searcher.get("/v1/payments?perPage=2&exactTotal=true");
    expect(exact.body).toMatchObject({ totalItems: 5, totalItemsEstimated: false, totalPages: 3 });
    const bad = await searcher.get("/v1/payments?exactTotal=yes");
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "exactTotal", message: "must be true or false" }]);
  });

  it("applies operators, repeated eq as IN and ranges as AND", async () => {
    const range = await searcher.get("/v1/payments?totalAmount=gt:10&totalAmount=lte:40.00");
    expect(range.body.items.map((p: { totalAmount: string }) => p.totalAmount).sort()).toEqual([
      "20.00",
      "30.00",
      "40.00",
    ]);
    const anyOf = await searcher.get("/v1/payments?orderId=S-1&orderId=S-3");
    expect(anyOf.body.totalItems).toBe(2);
    const notEqual = await searcher.get("/v1/payments?settlementId=ne:SET-A");
    expect(notEqual.body.totalItems).toBe(2);
    const timeWindow = await searcher.get(`/v1/payments?createdAt=gte:2020-01-01&createdAt=lt:2999-01-01T00:00:00Z`);
    expect(timeWindow.body.totalItems).toBe(5);
    const none = await searcher.get(`/v1/payments?createdAt=lt:2020-01-01`);
    expect(none.body.totalItems).toBe(0);
  });

  it("matches transaction-level filters against one transaction of the payment", async () => {
    const vipps = await searcher.get("/v1/payments?paymentType=VIPPS");
    expect(vipps.body.totalItems).toBe(3);
    const cancelledVipps = await searcher.get("/v1/payments?paymentType=VIPPS&status=CANCELLED");
    expect(cancelledVipps.body.items.map((p: { paymentId: number }) => p.paymentId)).toEqual([ids[0]]);
    const groups = await searcher.get("/v1/payments?paymentTypeGroup=MOBILE&status=ne:CANCELLED");
    expect(groups.body.totalItems).toBe(2);
    const byTransaction = await searcher.get(
      `/v1/payments?paymentTransactionId=${(await searcher.get(`/v1/payments/${ids[2]}`)).body.transactions[0].transactionId}`,
    );
    expect(byTransaction.body.items.map((p: { paymentId: number }) => p.paymentId)).toEqual([ids[2]]);
  });

  itRefusesBadQueries("/v1/payments", () => searcher, [
    ["status=gt:CREATED", "status"],
    ["paymentId=xyz:1", "paymentId"],
    ["colour=red", "colour"],
    ["totalAmount=abc", "totalAmount"],
    ["cardNumber=4111111111111111", "cardNumber"],
    ["perPage=1000", "perPage"],
    ["createdAt=31.12.2026", "createdAt"],
  ]);
});

describe("search payments by keyset (after= / nextCursor, decision 058)", () => {
  let walker: TestClient;
  /** The walker's payments in the list's order: createdAt descending, ties by the higher id. */
  let expected: number[] = [];

  beforeAll(async () => {
    walker = await createClient(server, { organisationId: 658 });
    const created: number[] = [];
    for (let i = 0; i < 11; i++)
      created.push(
        (await walker.post("/v1/payments", { totalAmount: `${i + 1}.00`, orderId: `K-${i}` })).body.paymentId,
      );
    // Ties on createdAt: three payments at one instant, four at another, so page edges fall inside them.
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 20, 12, 0, 0, ms));
    const times = [at(0), at(0), at(0), at(5), at(9), at(9), at(9), at(9), at(12), at(20), at(20)];
    for (const [i, paymentId] of created.entries())
      await server.database.db.update(payments).set({ createdAt: times[i] }).where(eq(payments.paymentId, paymentId));
    expected = created
      .map((paymentId, i) => ({ paymentId, t: times[i].getTime() }))
      .sort((a, b) => b.t - a.t || b.paymentId - a.paymentId)
      .map((row) => row.paymentId);
  });

  const idsOf = (body: { items: { paymentId: number }[] }) => body.items.map((p) => p.paymentId);

  it.each([1, 2, 3, 4, 11, 12])(
    "walks every page by nextCursor and by page with perPage %i: the same ids in order, no gap or repeat",
    async (perPage) => {
      const byCursor: number[] = [];
      const byPage: number[] = [];
      let cursor: string | null = null;
      let page = 1;
      for (;;) {
        const query: string = cursor === null ? "" : `&after=${encodeURIComponent(cursor)}`;
        const keyset = await walker.get(`/v1/payments?perPage=${perPage}&page=${page}${query}`);
        const numbered = await walker.get(`/v1/payments?perPage=${perPage}&page=${page}`);
        expect(keyset.status).toBe(200);
        expect(keyset.body).toMatchObject({ totalItems: 11, totalItemsEstimated: false, page, perPage });
        expect(keyset.body.totalPages).toBe(Math.ceil(11 / perPage));
        expect(numbered.body.nextCursor).toBe(keyset.body.nextCursor);
        byCursor.push(...idsOf(keyset.body));
        byPage.push(...idsOf(numbered.body));
        expect(typeof keyset.body.nextCursor === "string" || keyset.body.nextCursor === null).toBe(true);
        cursor = keyset.body.nextCursor;
        if (cursor === null) break;
        page += 1;
        expect(page, "walked past the last page").toBeLessThanOrEqual(Math.ceil(11 / perPage));
      }
      expect(page).toBe(Math.ceil(11 / perPage));
      expect(byCursor).toEqual(expected);
      expect(byPage).toEqual(expected);
    },
  );

  it("reads by the cursor alone: page is only echoed back, and the last page's nextCursor is null", async () => {
    const first = await walker.get("/v1/payments?perPage=4");
    expect(idsOf(first.body)).toEqual(expected.slice(0, 4));
    // No page given: still the rows after the cursor, and page says 1 (the client's own count).
    const second = await walker.get(`/v1/payments?perPage=4&after=${encodeURIComponent(first.body.nextCursor)}`);
    expect(idsOf(second.body)).toEqual(expected.slice(4, 8));
    expect(second.body).toMatchObject({ page: 1, totalItems: 11, totalPages: 3 });
    const third = await walker.get(`/v1/payments?perPage=4&page=7&after=${encodeURIComponent(second.body.nextCursor)}`);
    expect(idsOf(third.body)).toEqual(expected.slice(8));
    expect(third.body).toMatchObject({ page: 7, nextCursor: null, totalItems: 11 });
    // A cursor combines with the filters: the rows after it that match them.
    const filtered = await walker.get(
      `/v1/payments?perPage=2&totalAmount=gte:4&after=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(filtered.body.items.every((p: { totalAmount: string }) => Number(p.totalAmount) >= 4)).toBe(true);
  });

  it("answers a malformed or repeated after with a 400 problem naming it", async () => {
    for (const bad of [
      "nonsense",
      "2026-11-20T12:00:00Z_5",
      "2026-11-20T12:00:00.000Z_0",
      "2026-11-20T12:00:00.000Z_x",
      "",
    ]) {
      const result = await walker.get(`/v1/payments?after=${encodeURIComponent(bad)}`);
      expectProblem(result, 400, "after");
      expect(result.body.errors).toEqual([
        { field: "after", message: "must be the nextCursor of a previous page, given once" },
      ]);
    }
    const first = await walker.get("/v1/payments?perPage=2");
    const cursor = encodeURIComponent(first.body.nextCursor);
    expectProblem(await walker.get(`/v1/payments?after=${cursor}&after=${cursor}`), 400, "after");
    // Other searches do not take a cursor: an unknown parameter there, as before.
    expectProblem(await walker.get(`/v1/credits?after=${cursor}`), 400, "after");
  });
});

/** POST …/transactions: a transaction of `paymentType` for `amount` (and `extra`) on the payment. */
const addTransaction = (
  who: TestClient,
  paymentId: number,
  paymentType: string,
  amount: string,
  extra: Record<string, unknown> = {},
) => who.post(`/v1/payments/${paymentId}/transactions`, { paymentType, amount, ...extra });

const CONFIRMED_AT = "2026-11-20T12:00:00Z";
/** The body of an import of a card transaction the terminal confirmed at CONFIRMED_AT. */
const cardImport = (rrn: string, terminalId: string, paymentType: string) => ({
  transactionConfirmedAt: CONFIRMED_AT,
  rrn,
  terminalId,
  paymentType,
});

describe("transactions", () => {
  it("adds a transaction within the total and refuses one beyond it (422)", async () => {
    const created = await client.post("/v1/payments", { totalAmount: "100.00" });
    const paymentId = created.body.paymentId;
    const first = await addTransaction(client, paymentId, "GIFTCARD", "30.00");
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(tx(paymentId, first.body.transactionId));
    expect(first.body.paymentTypeGroup).toBe("GIFTCARD");
    expectProblem(
      await client.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "VISA", amount: "70.01" }),
      422,
      "amount",
    );
    // without an amount it takes what is left
    const rest = await client.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "VISA" });
    expect(rest.body.amount).toBe("70.00");
    expectProblem(await client.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "CASH" }), 422, "amount");
    // a cancelled transaction gives its share back
    await client.put(tx(paymentId, first.body.transactionId, "cancel"));
    expect(
      (await client.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "CASH", amount: "30.00" })).status,
    ).toBe(201);
  });

  it("refuses mutually exclusive sources with 400 naming them", async () => {
    const { paymentId } = await paymentWithTransaction(client, "10.00");
    const result = await client.post(`/v1/payments/${paymentId}/transactions`, {
      recurringPaymentId: 1,
      paymentAgreementId: "agr_x",
    });
    expectProblem(result, 400, "recurringPaymentId");
    expect(result.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "recurringPaymentId",
      "paymentAgreementId",
    ]);
    expectProblem(await client.post(`/v1/payments/${paymentId}/transactions`, {}), 400, "paymentType");
  });

  it("refuses a currency other than the payment's", async () => {
    const created = await client.post("/v1/payments", { totalAmount: "10.00", currency: "SEK" });
    expectProblem(
      await client.post(`/v1/payments/${created.body.paymentId}/transactions`, {
        paymentType: "VISA",
        currency: "NOK",
      }),
      422,
      "currency",
    );
  });

  it("keeps import transactions and with3DSecure for privileged clients", async () => {
    const created = await client.post("/v1/payments", { totalAmount: "10.00" });
    expectProblem(
      await client.post(`/v1/payments/${created.body.paymentId}/transactions`, { paymentType: "VISA", isImport: true }),
      403,
    );
    expectProblem(
      await client.post(`/v1/payments/${created.body.paymentId}/transactions`, {
        paymentType: "VISA",
        with3DSecure: true,
      }),
      403,
    );
  });

  it("returns one transaction with its operation log, and 404 for another payment's transaction", async () => {
    const a = await paymentWithTransaction(client);
    const b = await paymentWithTransaction(client);
    const got = await client.get(tx(a.paymentId, a.transactionId));
    expect(got.status).toBe(200);
    expect(got.body.transactionId).toBe(a.transactionId);
    expect(got.body.operationLog[0]).toMatchObject({ operation: "CREATE", amount: "100.00", actor: client.clientId });
    expectProblem(await client.get(tx(a.paymentId, b.transactionId)), 404);
  });

  it("cancels CREATED, INITIATED or AUTHORIZED, never CAPTURED (409)", async () => {
    const created = await paymentWithTransaction(client);
    const cancelled = await client.put(tx(created.paymentId, created.transactionId, "cancel"));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("CANCELLED");
    expect(cancelled.body.summary.cancelledAmount).toBe("100.00");
    expect(cancelled.body.operationLog.map((o: { operation: string }) => o.operation)).toEqual(["CREATE", "CANCEL"]);
    expectProblem(await client.put(tx(created.paymentId, created.transactionId, "cancel")), 409);

    const captured = await capturedCardPayment(client);
    const refused = await client.put(`${captured.base}/cancel`);
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/credit it instead/);
  });

  it("captures an AUTHORIZED transaction once, answering with the whole payment, and rolls it up", async () => {
    const created = await paymentWithTransaction(client, "75.25");
    expectProblem(await client.put(tx(created.paymentId, created.transactionId, "capture")), 409);
    await client.post(tx(created.paymentId, created.transactionId, "authorize"), { totalAmount: "75.25" });
    const captured = await client.put(tx(created.paymentId, created.transactionId, "capture"));
    expect(captured.status).toBe(200);
    expect(captured.body.paymentId).toBe(created.paymentId);
    expect(captured.body.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { authorizedAmount: "75.25", capturedAmount: "75.25", creditableAmount: "75.25" },
    });
    expectProblem(await client.put(tx(created.paymentId, created.transactionId, "capture")), 409);
    const captures = await operationsNamed(server, created.transactionId, "CAPTURE");
    expect(captures).toHaveLength(1);
    const [volume] = await server.database.db
      .select()
      .from(dailyVolume)
      .where(and(eq(dailyVolume.organisationId, client.organisationId), eq(dailyVolume.paymentType, "VISA")));
    expect(Number(volume.capturedCount)).toBeGreaterThanOrEqual(1);
  });

  it("captures CASH straight from CREATED", async () => {
    const created = await paymentWithTransaction(client, "12.00", "CASH");
    const captured = await client.put(tx(created.paymentId, created.transactionId, "capture"));
    expect(captured.status).toBe(200);
    expect(captured.body.transactions[0].status).toBe("CAPTURED");
  });

  it("follows the pre-authorization rules: increments after pre-auth, one reduction, then frozen", async () => {
    const { paymentId } = await (async () => {
      const p = await client.post("/v1/payments", { totalAmount: "500.00" });
      return { paymentId: p.body.paymentId as number };
    })();
    const created = await addTransaction(client, paymentId, "VISA", "100.00");
    const path = tx(paymentId, created.body.transactionId, "authorize");
    const pre = await client.post(path, { totalAmount: "100.00" });
    expect(pre.body).toMatchObject({ status: "AUTHORIZED", amount: "100.00", summary: { authorizedAmount: "100.00" } });
    expect((await client.post(path, { totalAmount: "150.00" })).body.summary.authorizedAmount).toBe("150.00");
    expect((await client.post(path, { totalAmount: "200.00" })).body.summary.authorizedAmount).toBe("200.00");
    expectProblem(await client.post(path, { totalAmount: "500.01" }), 422, "totalAmount");
    const reduced = await client.post(path, { totalAmount: "120.00" });
    expect(reduced.body.summary.authorizedAmount).toBe("120.00");
    expectProblem(await client.post(path, { totalAmount: "110.00" }), 409);
    expectProblem(await client.post(path, { totalAmount: "130.00" }), 409);
    const captured = await client.put(tx(paymentId, created.body.transactionId, "capture"));
    expect(captured.body.transactions[0].summary.capturedAmount).toBe("120.00");
    const operations = captured.body.transactions[0].operationLog.map(
      (o: { operation: string; amount: string }) => `${o.operation} ${o.amount}`,
    );
    expect(operations).toEqual([
      "CREATE 100.00",
      "AUTHORIZE 100.00",
      "AUTHORIZE 150.00",
      "AUTHORIZE 200.00",
      "AUTHORIZE 120.00",
      "CAPTURE 120.00",
    ]);
    expectProblem(
      await client.post(tx((await paymentWithTransaction(client, "5.00", "VIPPS")).paymentId, 0, "authorize"), {
        totalAmount: "1.00",
      }),
      400,
      "transactionId",
    );
  });

  it("credits a captured transaction directly, partly and then the rest", async () => {
    const captured = await capturedCardPayment(client, "90.00");
    const partial = await client.post(`${captured.base}/credit`, { amount: "30.00" });
    expect(partial.status).toBe(201);
    expect(partial.body.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { capturedAmount: "90.00", creditedAmount: "30.00", creditableAmount: "60.00" },
    });
    expectProblem(await client.post(`${captured.base}/credit`, { amount: "60.01" }), 422);
    const rest = await client.post(`${captured.base}/credit`);
    expect(rest.body.transactions[0]).toMatchObject({
      status: "CREDITED",
      summary: { creditedAmount: "90.00", creditableAmount: "0.00" },
    });
    expectProblem(await client.post(`${captured.base}/credit`), 409);
    const operations = rest.body.transactions[0].operationLog.map((o: { operation: string }) => o.operation);
    expect(operations).toEqual(["CREATE", "AUTHORIZE", "CAPTURE", "CREDIT", "CREDIT"]);
  });
});

describe("import", () => {
  async function importable(paymentType: string, amount = "55.00") {
    const created = await privileged.post("/v1/payments", { totalAmount: amount });
    const transaction = await privileged.post(`/v1/payments/${created.body.paymentId}/transactions`, {
      paymentType,
      isImport: true,
    });
    expect(transaction.status).toBe(201);
    return tx(created.body.paymentId, transaction.body.transactionId, "import");
  }

  it("imports a card transaction as CAPTURED with an IMPORT entry", async () => {
    const path = await importable("VISA");
    const result = await privileged.post(path, {
      ...cardImport("123456789012", "T-1", "Visa"),
      envNetworkId: "123456",
    });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      status: "CAPTURED",
      isImport: true,
      rrn: "123456789012",
      summary: { capturedAmount: "55.00", creditableAmount: "55.00" },
    });
    expect(result.body.importData).toMatchObject({ issuer: "Visa", envNetworkId: "123456" });
    expect(result.body.operationLog.map((o: { operation: string }) => o.operation)).toEqual(["CREATE", "IMPORT"]);
    expectProblem(await privileged.post(path, cardImport("1", "2", "Visa")), 409);
  });

  it("refuses a second import with the same rrn and terminalId (409)", async () => {
    const body = cardImport("999000111222", "T-9", "MASTERCARD");
    expect((await privileged.post(await importable("MASTERCARD"), body)).status).toBe(201);
    expectProblem(await privileged.post(await importable("MASTERCARD"), body), 409, "rrn");
  });

  it("names what a card or e-card import lacks, and validates the formats", async () => {
    expectProblem(
      await privileged.post(await importable("VISA"), { transactionConfirmedAt: CONFIRMED_AT }),
      400,
      "rrn",
    );
    expectProblem(
      await privileged.post(await importable("ECARD"), {
        transactionConfirmedAt: CONFIRMED_AT,
        companyId: "12",
      }),
      400,
      "mediaSerialNumberId",
    );
    expectProblem(
      await privileged.post(await importable("ECARD"), {
        transactionConfirmedAt: CONFIRMED_AT,
        companyId: "12345",
        mediaSerialNumberId: "1",
      }),
      400,
      "companyId",
    );
    expectProblem(
      await privileged.post(await importable("VISA"), { rrn: "1", terminalId: "2", paymentType: "Visa" }),
      400,
      "transactionConfirmedAt",
    );
    const ecard = await privileged.post(await importable("ECARD"), {
      transactionConfirmedAt: CONFIRMED_AT,
      companyId: "12",
      mediaSerialNumberId: "4455",
    });
    expect(ecard.status).toBe(201);
  });

  it("refuses non-import transactions (409) and non-privileged clients (403)", async () => {
    const normal = await paymentWithTransaction(privileged, "5.00");
    expectProblem(
      await privileged.post(tx(normal.paymentId, normal.transactionId, "import"), {
        transactionConfirmedAt: CONFIRMED_AT,
      }),
      409,
    );
    const mine = await paymentWithTransaction(client, "5.00");
    expectProblem(
      await client.post(tx(mine.paymentId, mine.transactionId, "import"), {
        transactionConfirmedAt: CONFIRMED_AT,
      }),
      403,
    );
  });
});

describe("deactivate and reactivate", () => {
  it("cancels open transactions, credits captured ones, keeps imports, then refuses everything until reactivated", async () => {
    const created = await privileged.post("/v1/payments", { totalAmount: "300.00" });
    const paymentId = created.body.paymentId;
    const open = await addTransaction(privileged, paymentId, "VISA", "100.00");
    const paid = await addTransaction(privileged, paymentId, "CASH", "100.00");
    await privileged.put(tx(paymentId, paid.body.transactionId, "capture"));
    const imported = await addTransaction(privileged, paymentId, "VISA", "100.00", { isImport: true });
    await privileged.post(
      tx(paymentId, imported.body.transactionId, "import"),
      cardImport("555000111222", "T-D", "VISA"),
    );

    const deactivated = await privileged.put(`/v1/payments/${paymentId}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    const byId = new Map(deactivated.body.transactions.map((t: { transactionId: number }) => [t.transactionId, t]));
    expect(byId.get(open.body.transactionId)).toMatchObject({ status: "CANCELLED" });
    expect(byId.get(paid.body.transactionId)).toMatchObject({
      status: "CREDITED",
      summary: { creditedAmount: "100.00" },
    });
    expect(byId.get(imported.body.transactionId)).toMatchObject({
      status: "CAPTURED",
      summary: { creditableAmount: "100.00" },
    });

    // every transaction operation is refused while inactive
    expectProblem(
      await privileged.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "CASH", amount: "1.00" }),
      409,
    );
    expectProblem(await privileged.put(tx(paymentId, open.body.transactionId, "cancel")), 409);
    expectProblem(await privileged.patch(`/v1/payments/${paymentId}`, { totalAmount: "50.00" }), 409);
    // ...but the imported money can still go back through the transaction's credit route
    const credited = await privileged.post(tx(paymentId, imported.body.transactionId, "credit"));
    expect(credited.status).toBe(201);
    // deactivating again changes nothing
    expect((await privileged.put(`/v1/payments/${paymentId}/deactivate`)).body.active).toBe(false);

    // reactivation needs the total amount in the same patch
    expectProblem(await privileged.patch(`/v1/payments/${paymentId}`, { active: true }), 400, "totalAmount");
    expectProblem(await privileged.patch(`/v1/payments/${paymentId}`, { active: false }), 400, "active");
    const reactivated = await privileged.patch(`/v1/payments/${paymentId}`, { active: true, totalAmount: "80.00" });
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({ active: true, totalAmount: "80.00" });
    const again = await privileged.post(`/v1/payments/${paymentId}/transactions`, { paymentType: "CASH" });
    expect(again.status).toBe(201);
    expect(again.body.amount).toBe("80.00");
  });
});

describe("PATCH a payment", () => {
  it("changes totalAmount and settlementId, removes settlementId with null, refuses the rest", async () => {
    const { paymentId } = await paymentWithTransaction(client, "100.00");
    const patched = await client.request("PATCH", `/v1/payments/${paymentId}`, {
      raw: JSON.stringify({ totalAmount: "150.00", settlementId: "EJ-9" }),
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ totalAmount: "150.00", settlementId: "EJ-9" });
    expect((await client.patch(`/v1/payments/${paymentId}`, { settlementId: null })).body.settlementId).toBeNull();
    expectProblem(await client.patch(`/v1/payments/${paymentId}`, { totalAmount: "99.99" }), 422, "totalAmount");
    expectProblem(await client.patch(`/v1/payments/${paymentId}`, { orderId: "X" }), 400, "orderId");
    expectProblem(await client.patch(`/v1/payments/${paymentId}`, { colour: "red" }), 400, "colour");
    expectProblem(await client.patch(`/v1/payments/${paymentId}`, { totalAmount: null }), 400, "totalAmount");
  });
});

describe("payment methods", () => {
  it("lists the client's enabled methods per channel and filters by type and group", async () => {
    const all = await client.get("/v1/payment-methods");
    expect(all.status).toBe(200);
    expect(all.body.length).toBe(22); // 11 payment types × 2 channels
    expect(all.body[0]).toMatchObject({ clientId: client.clientId, paymentConfiguration: {} });
    const app = await client.get("/v1/payment-methods", { "Entur-Distribution-Channel": "app" });
    expect(app.body.every((m: { distributionChannelId: string }) => m.distributionChannelId === "app")).toBe(true);
    expect(app.body.length).toBe(11);
    const visa = await client.get("/v1/payment-methods?paymentType=VISA", { "Entur-Distribution-Channel": "web" });
    expect(visa.body.map((m: { paymentType: string }) => m.paymentType)).toEqual(["VISA"]);
    const mobile = await client.get("/v1/payment-methods?paymentTypeGroup=MOBILE", {
      "Entur-Distribution-Channel": "web",
    });
    expect(mobile.body.map((m: { paymentType: string }) => m.paymentType).sort()).toEqual(["MOBILEPAY", "VIPPS"]);
    expectProblem(await client.get("/v1/payment-methods?paymentType=PAYPAL"), 400, "paymentType");
  });

  it("drops a disabled method from the list and refuses new transactions with it at once (422)", async () => {
    const shop = await createClient(server, { channels: ["web"] });
    await server.database.db
      .update(paymentMethods)
      .set({ enabled: false, disabledReason: "acquirer outage" })
      .where(and(eq(paymentMethods.clientId, shop.clientId), eq(paymentMethods.paymentType, "AMEX")));
    const list = await shop.get("/v1/payment-methods");
    expect(list.body.map((m: { paymentType: string }) => m.paymentType)).not.toContain("AMEX");
    const result = await shop.post("/v1/payments", { totalAmount: "10.00", transaction: { paymentType: "AMEX" } });
    expectProblem(result, 422, "transaction.paymentType");
    expect((await shop.get("/v1/payments")).body.totalItems).toBe(0);
  });
});

describe("stored cards and agreements as payment sources", () => {
  let shop: TestClient;
  let paymentId: number;

  beforeAll(async () => {
    shop = await createClient(server, { organisationId: 680, privileged: true });
    const created = await shop.post("/v1/payments", { totalAmount: "500.00", customerNumber: "4242" });
    paymentId = created.body.paymentId;
    const future = new Date(Date.now() + 365 * 86400_000);
    await server.database.db.insert(recurringPayments).values([
      {
        recurringPaymentId: 9001,
        organisationId: 680,
        customerNumber: "4242",
        recurringStatus: "ACTIVE",
        paymentType: "VISA",
        maskedPan: "411111******1111",
        expiresAt: future,
        cardExpiresAt: future,
        isPrimary: true,
      },
      {
        recurringPaymentId: 9002,
        organisationId: 680,
        customerNumber: "4242",
        recurringStatus: "CANCELLED",
        paymentType: "VISA",
        expiresAt: future,
      },
      {
        recurringPaymentId: 9003,
        organisationId: 680,
        customerNumber: "4242",
        recurringStatus: "ACTIVE",
        paymentType: "MASTERCARD",
        expiresAt: new Date(Date.now() - 1000),
      },
      {
        recurringPaymentId: 9004,
        organisationId: 680,
        customerNumber: "7777",
        recurringStatus: "ACTIVE",
        paymentType: "VISA",
        expiresAt: future,
        isPrimary: true,
      },
    ]);
    await server.database.db.insert(paymentAgreements).values([
      {
        agreementId: "agr_active",
        organisationId: 680,
        customerNumber: "4242",
        productName: "Monthly pass",
        pricing: {},
        provider: { type: "VIPPS" },
        status: "ACTIVE",
      },
      {
        agreementId: "agr_stopped",
        organisationId: 680,
        customerNumber: "4242",
        productName: "Monthly pass",
        pricing: {},
        provider: { type: "VIPPS" },
        status: "STOPPED",
      },
    ]);
  });

  const add = (body: Record<string, unknown>) =>
    shop.post(`/v1/payments/${paymentId}/transactions`, { amount: "10.00", ...body });

  it("charges an ACTIVE, unexpired recurring payment of the same customer", async () => {
    const result = await add({ recurringPaymentId: 9001 });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      recurringPaymentId: 9001,
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
    });
  });

  it.each([
    [9002, /CANCELLED/],
    [9003, /expired/],
    [9004, /another customer/],
    [123456, /not found/],
  ])("refuses recurring payment %s (422)", async (recurringPaymentId, message) => {
    const result = await add({ recurringPaymentId });
    expectProblem(result, 422, "recurringPaymentId");
    expect(result.body.detail).toMatch(message);
  });

  it("charges an ACTIVE agreement and refuses a stopped one", async () => {
    const ok = await add({ paymentAgreementId: "agr_active" });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ paymentAgreementId: "agr_active", paymentType: "VIPPS" });
    expectProblem(await add({ paymentAgreementId: "agr_stopped" }), 422, "paymentAgreementId");
  });

  it("creates a new agreement for a VIPPS transaction with createAgreement", async () => {
    const result = await add({ paymentType: "VIPPS", createAgreement: true });
    expect(result.status).toBe(201);
    expect(result.body.paymentAgreementId).toMatch(/^agr_/);
    expectProblem(await add({ paymentType: "VISA", createAgreement: true }), 400, "createAgreement");
    const anonymous = await shop.post("/v1/payments", { totalAmount: "5.00" });
    expectProblem(
      await shop.post(`/v1/payments/${anonymous.body.paymentId}/transactions`, {
        paymentType: "VIPPS",
        createAgreement: true,
      }),
      422,
      "createAgreement",
    );
  });
});
