// Credits over HTTP: create, search, get, patch, execute; never over-credit, never
// execute a credit transaction twice, also when many requests arrive at once.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { money } from "../../app/domain/money";
import { dailyVolume, paymentTransactions } from "../../db/schema";
import {
  capturedCardPayment,
  createClient,
  expectProblem,
  paymentWithTransaction,
  operationsNamed,
} from "../support/api";
import { pspOperations } from "../support/psp";
import { transactionRow } from "../support/fixtures-transactions";
import { useApiClient, useTestServer } from "../support/fixtures-http";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 801 });
const other = useApiClient(server, { organisationId: 802 });
/** A privileged client of the same organisation as `client`. */
const partner = useApiClient(server, { organisationId: 801, privileged: true });

const line = (
  p: { paymentId: number; transactionId: number },
  amount: string,
  extra: Record<string, unknown> = {},
) => ({
  paymentId: p.paymentId,
  transactionId: p.transactionId,
  amount,
  ...extra,
});

/** POST /v1/credits: a credit of `totalCreditAmount` from `creditTransactions` (see line). */
const postCredit = (
  totalCreditAmount: string,
  creditTransactions: ReturnType<typeof line>[],
  extra: Record<string, unknown> = {},
) => client.post("/v1/credits", { ...extra, totalCreditAmount, creditTransactions });

/** POST /v1/credits of `amount` from one transaction. */
const creditOne = (p: { paymentId: number; transactionId: number }, amount: string) =>
  postCredit(amount, [line(p, amount)]);

describe("create a credit", () => {
  it("reserves its amounts and shows them as no longer creditable", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const b = await capturedCardPayment(client, "50.00");
    const result = await postCredit("70.50", [line(a, "40.50"), line(b, "30.00")], { orderId: "CR-1" });
    expect(result.status).toBe(201);
    expect(result.headers.get("location")).toBe(`/v1/credits/${result.body.creditId}`);
    expect(result.body).toMatchObject({
      orderId: "CR-1",
      totalCreditAmount: "70.50",
      currency: "NOK",
      active: true,
      status: "CREATED",
      organisationId: client.organisationId,
    });
    expect(result.body.creditTransactions).toEqual([
      expect.objectContaining({
        paymentId: a.paymentId,
        transactionId: a.transactionId,
        amount: "40.50",
        status: "CREATED",
        reimbursementMethod: "VISA",
        reimbursementTypeGroup: "PAYMENTCARD",
        rrn: null,
        creditedAt: null,
      }),
      expect.objectContaining({
        paymentId: b.paymentId,
        transactionId: b.transactionId,
        amount: "30.00",
        status: "CREATED",
      }),
    ]);
    const transaction = await client.get(`${a.base}`);
    expect(transaction.body.summary).toMatchObject({
      capturedAmount: "100.00",
      creditedAmount: "0.00",
      creditableAmount: "59.50",
    });
  });

  it("requires the total to equal the sum of its lines (422)", async () => {
    const a = await capturedCardPayment(client, "100.00");
    expectProblem(
      await client.post("/v1/credits", { totalCreditAmount: "10.00", creditTransactions: [line(a, "9.99")] }),
      422,
      "totalCreditAmount",
    );
  });

  it("refuses more than the creditable amount, counting other open credits (422)", async () => {
    const a = await capturedCardPayment(client, "100.00");
    expect((await creditOne(a, "60.00")).status).toBe(201);
    const over = await creditOne(a, "40.01");
    expectProblem(over, 422, "creditTransactions[0].amount");
    expect(over.body.detail).toMatch(/creditable amount 40.00/);
    // two lines on the same transaction are added up
    expectProblem(await postCredit("40.02", [line(a, "20.01"), line(a, "20.01")]), 422, "creditTransactions[1].amount");
  });

  it("refuses transactions that were never captured and other tenants' payments", async () => {
    const open = await paymentWithTransaction(client, "10.00");
    expectProblem(await creditOne(open, "1.00"), 422);
    const theirs = await capturedCardPayment(other, "10.00");
    expectProblem(await creditOne(theirs, "1.00"), 404);
  });

  it("refuses a currency other than the payments'", async () => {
    const a = await capturedCardPayment(client, "10.00");
    expectProblem(
      await client.post("/v1/credits", {
        totalCreditAmount: "1.00",
        currency: "SEK",
        creditTransactions: [line(a, "1.00")],
      }),
      422,
      "currency",
    );
  });

  it("lets CASH be chosen for reimbursement, another group only where the method allows it", async () => {
    const a = await capturedCardPayment(client, "10.00");
    const cash = await postCredit("1.00", [line(a, "1.00", { reimbursementTypeGroup: "CASH" })]);
    expect(cash.status).toBe(201);
    expect(cash.body.creditTransactions[0].reimbursementTypeGroup).toBe("CASH");
    expectProblem(
      await postCredit("1.00", [line(a, "1.00", { reimbursementTypeGroup: "MOBILE" })]),
      422,
      "creditTransactions[0].reimbursementTypeGroup",
    );
    // a gift card's method allows another group
    const gift = await paymentWithTransaction(client, "10.00", "GIFTCARD");
    await server.database.db
      .update(paymentTransactions)
      .set({ status: "CAPTURED", authorizedAmount: "10", capturedAmount: "10" })
      .where(eq(paymentTransactions.transactionId, gift.transactionId));
    const mobile = await postCredit("1.00", [line(gift, "1.00", { reimbursementTypeGroup: "MOBILE" })]);
    expect(mobile.status).toBe(201);
    expect(mobile.body.creditTransactions[0].reimbursementTypeGroup).toBe("MOBILE");
  });

  it.each([
    [{ totalCreditAmount: "1.00" }, "creditTransactions"],
    [{ totalCreditAmount: "1.00", creditTransactions: [] }, "creditTransactions"],
    [
      { totalCreditAmount: "abc", creditTransactions: [{ paymentId: 1, transactionId: 1, amount: "1.00" }] },
      "totalCreditAmount",
    ],
    [
      { totalCreditAmount: "1.00", creditTransactions: [{ paymentId: "1", transactionId: 1, amount: "1.00" }] },
      "creditTransactions[0].paymentId",
    ],
    [
      { totalCreditAmount: "1.00", creditTransactions: [{ paymentId: 1, transactionId: 1, amount: 1 }] },
      "creditTransactions[0].amount",
    ],
    [
      { totalCreditAmount: "1.00", creditTransactions: [{ paymentId: 1, transactionId: 1 }] },
      "creditTransactions[0].amount",
    ],
  ])("answers 400 naming the field for %j", async (body, field) => {
    expectProblem(await client.post("/v1/credits", body), 400, field);
  });
});

describe("execute a credit", () => {
  it("credits every line in order, logs CREDIT on each transaction, rolls it up, and is then CREDITED", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const b = await capturedCardPayment(client, "20.00");
    const created = await postCredit("120.00", [line(a, "100.00"), line(b, "20.00")]);
    const executed = await client.put(`/v1/credits/${created.body.creditId}/execute`);
    expect(executed.status).toBe(200);
    expect(executed.body.status).toBe("CREDITED");
    for (const l of executed.body.creditTransactions) {
      expect(l.status).toBe("CREDITED");
      expect(l.rrn).toMatch(/^[0-9]{12}$/);
      expect(l.creditedAt).toMatch(/Z$/);
    }
    const transaction = await client.get(a.base);
    expect(transaction.body).toMatchObject({
      status: "CREDITED",
      summary: { creditedAmount: "100.00", creditableAmount: "0.00" },
    });
    expect(transaction.body.operationLog.at(-1)).toMatchObject({ operation: "CREDIT", amount: "100.00" });
    const [volume] = await server.database.db
      .select({ credited: sql<string>`sum(${dailyVolume.creditedAmount})::text` })
      .from(dailyVolume)
      .where(eq(dailyVolume.organisationId, client.organisationId));
    expect(money(volume.credited) >= money("120.00")).toBe(true);
    // executing again changes nothing
    const again = await client.put(`/v1/credits/${created.body.creditId}/execute`);
    expect(again.status).toBe(200);
    expect(again.body.creditTransactions.map((l: { rrn: string }) => l.rrn)).toEqual(
      executed.body.creditTransactions.map((l: { rrn: string }) => l.rrn),
    );
  });

  it("partly credits a transaction and keeps it CAPTURED with the rest creditable", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const created = await creditOne(a, "25.00");
    await client.put(`/v1/credits/${created.body.creditId}/execute`);
    const transaction = await client.get(a.base);
    expect(transaction.body).toMatchObject({
      status: "CAPTURED",
      summary: { creditedAmount: "25.00", creditableAmount: "75.00" },
    });
  });

  it("stops at a refused line, answers its error, keeps what succeeded, and never retries it", async () => {
    const good = await capturedCardPayment(client, "10.00");
    const refusedCard = await capturedCardPayment(client, "30.00");
    // The sandbox refuses refunds to the test card ending 0002.
    await server.database.db
      .update(paymentTransactions)
      .set({ cardNumber: "0002" })
      .where(eq(paymentTransactions.transactionId, refusedCard.transactionId));
    const later = await capturedCardPayment(client, "5.00");
    const created = await postCredit("45.00", [line(good, "10.00"), line(refusedCard, "30.00"), line(later, "5.00")]);
    const failed = await client.put(`/v1/credits/${created.body.creditId}/execute`);
    expectProblem(failed, 422);
    expect(failed.body.errorReason).toBe("REFUSED_BY_ISSUER");
    const credit = await client.get(`/v1/credits/${created.body.creditId}`);
    expect(credit.body.status).toBe("CREATED");
    expect(credit.body.creditTransactions.map((l: { status: string }) => l.status)).toEqual([
      "CREDITED",
      "FAILED",
      "CREATED",
    ]);
    expect(credit.body.creditTransactions[1].failureReason).toMatch(/refused/);
    // the failed line's reservation is released
    expect((await transactionRow(server, refusedCard.transactionId)).reservedAmount).toBe("0.00000");
    // a retry goes on with the remaining line and does not touch the failed one again
    const retried = await client.put(`/v1/credits/${created.body.creditId}/execute`);
    expect(retried.status).toBe(200);
    expect(retried.body.creditTransactions.map((l: { status: string }) => l.status)).toEqual([
      "CREDITED",
      "FAILED",
      "CREDITED",
    ]);
    // The PSP was asked once per line: the refused line was not refunded again on the retry.
    const lines = (await client.get(`/v1/credits/${created.body.creditId}`)).body.creditTransactions;
    const refunds = (await pspOperations()).filter((o) => o.operation === "refund");
    const asked = lines.map((l: { creditTransactionId: number }) =>
      refunds.filter((r) => r.reference === `credit-transaction-${l.creditTransactionId}`),
    );
    expect(asked.map((r: unknown[]) => r.length)).toEqual([1, 1, 1]);
    expect(asked.map((r: { answer: { ok: boolean } }[]) => r[0].answer.ok)).toEqual([true, false, true]);
  });

  it("answers 404 for another tenant's credit and 409 for an inactive one", async () => {
    const a = await capturedCardPayment(client, "10.00");
    const created = await creditOne(a, "1.00");
    expectProblem(await other.put(`/v1/credits/${created.body.creditId}/execute`), 404);
    expectProblem(await other.get(`/v1/credits/${created.body.creditId}`), 404);
    await client.patch(`/v1/credits/${created.body.creditId}`, { active: false });
    expectProblem(await client.put(`/v1/credits/${created.body.creditId}/execute`), 409);
  });
});

describe("the four-eyes rule at the API (above 10 000 NOK)", () => {
  it("a client that is not privileged may not execute its own credit above the threshold: 403, nothing moves", async () => {
    const a = await capturedCardPayment(client, "12000.00");
    const created = await creditOne(a, "12000.00");
    const refused = await client.put(`/v1/credits/${created.body.creditId}/execute`);
    expectProblem(refused, 403);
    expect(refused.body).toMatchObject({
      errorReason: "FOUR_EYES_REQUIRED",
      detail: expect.stringMatching(/is above the four-eyes threshold of 10000.00 NOK: a staff user must execute it/),
    });
    expect((await client.get(`/v1/credits/${created.body.creditId}`)).body).toMatchObject({
      status: "CREATED",
      creditTransactions: [{ status: "CREATED" }],
    });
    const reference = `credit-transaction-${created.body.creditTransactions[0].creditTransactionId}`;
    expect((await pspOperations()).filter((o) => o.reference === reference)).toEqual([]);
    // A privileged client may.
    const executed = await partner.put(`/v1/credits/${created.body.creditId}/execute`);
    expect(executed.status).toBe(200);
    expect(executed.body.status).toBe("CREDITED");
  });

  it("a direct credit above the threshold answers 202 with the waiting credit's Location; at the threshold 201", async () => {
    const a = await capturedCardPayment(client, "15000.00");
    const waiting = await client.post(
      `/v1/payments/${a.paymentId}/transactions/${a.transactionId}/credit`,
      {},
      { "Idempotency-Key": `direct-${a.transactionId}` },
    );
    expect(waiting.status).toBe(202);
    const location = waiting.headers.get("location")!;
    expect(location).toMatch(/^\/v1\/credits\/[0-9]+$/);
    expect(waiting.body.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { creditedAmount: "0.00", creditableAmount: "0.00" },
    });
    expect((await client.get(location)).body).toMatchObject({ status: "CREATED", totalCreditAmount: "15000.00" });
    // The same request again replays the answer, Location included.
    const replay = await client.post(
      `/v1/payments/${a.paymentId}/transactions/${a.transactionId}/credit`,
      {},
      { "Idempotency-Key": `direct-${a.transactionId}` },
    );
    expect([replay.status, replay.headers.get("location")]).toEqual([202, location]);

    const b = await capturedCardPayment(client, "10000.00");
    const credited = await client.post(`/v1/payments/${b.paymentId}/transactions/${b.transactionId}/credit`);
    expect(credited.status).toBe(201);
    expect(credited.body.transactions[0].status).toBe("CREDITED");
  });

  it("a deactivation above the threshold deactivates and answers 202 with the waiting credit's Location", async () => {
    const a = await capturedCardPayment(client, "11000.00");
    const deactivated = await client.put(`/v1/payments/${a.paymentId}/deactivate`);
    expect(deactivated.status).toBe(202);
    expect(deactivated.body).toMatchObject({ active: false, transactions: [{ status: "CAPTURED" }] });
    const credit = await client.get(deactivated.headers.get("location")!);
    expect(credit.body).toMatchObject({ status: "CREATED", totalCreditAmount: "11000.00" });
    expectProblem(await client.put(`/v1/credits/${credit.body.creditId}/execute`), 403);

    // A privileged client's deactivation credits at once.
    const b = await capturedCardPayment(partner, "11000.00");
    const byPartner = await partner.put(`/v1/payments/${b.paymentId}/deactivate`);
    expect(byPartner.status).toBe(200);
    expect(byPartner.body.transactions[0].status).toBe("CREDITED");
  });
});

describe("patch a credit", () => {
  it("replaces lines and total together, releasing and re-reserving", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const b = await capturedCardPayment(client, "100.00");
    const created = await creditOne(a, "80.00");
    const patched = await client.patch(`/v1/credits/${created.body.creditId}`, {
      totalCreditAmount: "150.00",
      creditTransactions: [line(a, "90.00"), line(b, "60.00")],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.totalCreditAmount).toBe("150.00");
    expect((await transactionRow(server, a.transactionId)).reservedAmount).toBe("90.00000");
    expect((await transactionRow(server, b.transactionId)).reservedAmount).toBe("60.00000");
    expectProblem(
      await client.patch(`/v1/credits/${created.body.creditId}`, { totalCreditAmount: "149.00" }),
      422,
      "totalCreditAmount",
    );
    expectProblem(
      await client.patch(`/v1/credits/${created.body.creditId}`, {
        creditTransactions: [line(a, "101.00")],
        totalCreditAmount: "101.00",
      }),
      422,
    );
    expectProblem(await client.patch(`/v1/credits/${created.body.creditId}`, { status: "CREDITED" }), 400, "status");
    expectProblem(await client.patch(`/v1/credits/${created.body.creditId}`, { active: true }), 400, "active");
  });

  it("deactivating releases the reservations; then nothing may change", async () => {
    const a = await capturedCardPayment(client, "50.00");
    const created = await creditOne(a, "50.00");
    const off = await client.patch(`/v1/credits/${created.body.creditId}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await transactionRow(server, a.transactionId)).reservedAmount).toBe("0.00000");
    expectProblem(await client.patch(`/v1/credits/${created.body.creditId}`, { settlementId: "X" }), 409);
    // the amount is creditable again
    expect((await creditOne(a, "50.00")).status).toBe(201);
  });

  it("refuses changes once executed", async () => {
    const a = await capturedCardPayment(client, "5.00");
    const created = await creditOne(a, "5.00");
    await client.put(`/v1/credits/${created.body.creditId}/execute`);
    expectProblem(await client.patch(`/v1/credits/${created.body.creditId}`, { settlementId: "X" }), 409);
  });
});

describe("search credits", () => {
  it("filters by credit and credit-transaction fields with the operator grammar", async () => {
    const searcher = await createClient(server, { organisationId: 850 });
    const a = await capturedCardPayment(searcher, "100.00");
    const b = await capturedCardPayment(searcher, "100.00");
    const one = await searcher.post("/v1/credits", {
      orderId: "Q-1",
      totalCreditAmount: "10.00",
      creditTransactions: [line(a, "10.00")],
    });
    await searcher.post("/v1/credits", {
      orderId: "Q-2",
      totalCreditAmount: "20.00",
      creditTransactions: [line(b, "20.00", { reimbursementTypeGroup: "CASH" })],
    });
    await searcher.put(`/v1/credits/${one.body.creditId}/execute`);

    expect((await searcher.get("/v1/credits")).body).toMatchObject({
      totalItems: 2,
      page: 1,
      perPage: 20,
      totalPages: 1,
    });
    expect(
      (await searcher.get("/v1/credits?status=CREDITED")).body.items.map((c: { orderId: string }) => c.orderId),
    ).toEqual(["Q-1"]);
    expect(
      (await searcher.get("/v1/credits?reimbursementTypeGroup=CASH")).body.items.map(
        (c: { orderId: string }) => c.orderId,
      ),
    ).toEqual(["Q-2"]);
    expect((await searcher.get(`/v1/credits?transactionId=${a.transactionId}`)).body.totalItems).toBe(1);
    expect(
      (await searcher.get("/v1/credits?totalCreditAmount=gte:15")).body.items.map(
        (c: { orderId: string }) => c.orderId,
      ),
    ).toEqual(["Q-2"]);
    const rrn = (await searcher.get(`/v1/credits/${one.body.creditId}`)).body.creditTransactions[0].rrn;
    expect((await searcher.get(`/v1/credits?rrn=${rrn}`)).body.totalItems).toBe(1);
    expect((await searcher.get("/v1/credits?reimbursementMethod=VISA&orderId=Q-1&orderId=Q-2")).body.totalItems).toBe(
      2,
    );
    expectProblem(await searcher.get("/v1/credits?status=gt:CREATED"), 400, "status");
    expectProblem(await searcher.get("/v1/credits?amount=1"), 400, "amount");
    expect((await other.get(`/v1/credits?creditId=${one.body.creditId}`)).body.totalItems).toBe(0);
  });
});

describe("50 concurrent requests", () => {
  const times = <T>(n: number, make: (i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: n }, (_, i) => make(i)));

  it("execute one credit: each credit transaction is credited exactly once", async () => {
    const parts = await Promise.all([
      capturedCardPayment(client, "30.00"),
      capturedCardPayment(client, "40.00"),
      capturedCardPayment(client, "50.00"),
    ]);
    const created = await client.post("/v1/credits", {
      totalCreditAmount: "120.00",
      creditTransactions: parts.map((p, i) => line(p, ["30.00", "40.00", "50.00"][i])),
    });
    const results = await times(50, () => client.put(`/v1/credits/${created.body.creditId}/execute`));
    expect(results.map((r) => `${r.status} ${r.body?.detail ?? ""}`).filter((s) => !s.startsWith("200"))).toEqual([]);
    for (const part of parts) {
      const row = await transactionRow(server, part.transactionId);
      expect(row.status).toBe("CREDITED");
      expect(row.creditedAmount).toBe(row.capturedAmount);
      expect(row.reservedAmount).toBe("0.00000");
      const credits = await operationsNamed(server, part.transactionId, "CREDIT");
      expect(credits).toHaveLength(1);
    }
    const final = await client.get(`/v1/credits/${created.body.creditId}`);
    expect(final.body.status).toBe("CREDITED");
  });

  it("create credits for the full amount of one transaction: only one reserves it", async () => {
    const a = await capturedCardPayment(client, "77.00");
    const results = await times(50, () => creditOne(a, "77.00"));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(49);
    const row = await transactionRow(server, a.transactionId);
    expect(row.reservedAmount).toBe("77.00000");
  });
});
