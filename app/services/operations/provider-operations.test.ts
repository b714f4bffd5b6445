// Claim → ask → settle in-process, per operation kind: the claim, the PSP's yes (settled), its no
// (FAILED, the transaction as it was), no answer (503, PENDING, 409 RESOURCE_BUSY for anyone else),
// the retry with the same Idempotency-Key (resumed, never a second effect) and the recovery job.
// The file's own sandbox PSP is made to fail with faults (timeout: nothing happened; lost answer:
// it happened, we do not know).
import { eq, sql } from "drizzle-orm";
import { creditTransactions, operationLog, paymentTransactions, providerOperations } from "../../../db/schema";
import type { ClientCaller } from "../../domain/caller";
import { money, toDbAmount } from "../../domain/money";
import { withIdempotencyKey } from "../../platform/idempotency.server";
import { capturedCardPayment, newShop } from "../../../tests/support/money-path";
import { pspOperations, usePsp } from "../../../tests/support/psp";
import { pspCalls, pspEffects, usePspFaults } from "../../../tests/support/psp-faults";
import { staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import { createCredit, creditTransaction, executeCredit } from "../credits/credits.server";
import { createPayment, deactivatePayment } from "../payments/payments.server";
import { getPayment } from "../queries/payment-view.server";
import { authorizeTransaction, cancelTransaction, captureTransaction } from "../transactions/transactions.server";
import { recoverProviderOperations, resolveProviderOperation } from "./recovery.server";

const database = useTestDatabase();
const psp = usePsp();
const { inject: injectFault, clear: clearFaults } = usePspFaults(psp);
const callsOf = (operation: string) => pspCalls(psp(), operation);
const refused = (fields: Record<string, unknown>) => expect.objectContaining(fields);
const unavailable = refused({ kind: "unavailable", status: 503, errorReason: "PROVIDER_UNAVAILABLE" });
const busy = refused({ kind: "conflict", errorReason: "RESOURCE_BUSY" });
let shop: ClientCaller;

beforeAll(async () => {
  shop = await newShop(database());
});

type Ids = { paymentId: number; transactionId: number };

async function authorizedCard(total = "100.00"): Promise<Ids> {
  const created = await createPayment(shop, { totalAmount: money(total), transaction: { paymentType: "VISA" } });
  const ids = { paymentId: created.paymentId, transactionId: created.transactions[0].transactionId };
  await authorizeTransaction(shop, { ...ids, totalAmount: money(total) });
  return ids;
}

/** An AUTHORIZED card transaction for an amount the PSP's capture refuses (.02): set up directly. */
async function authorizedForRefusal(): Promise<Ids> {
  const ids = await authorizedCard("50.00");
  await database()
    .db.update(paymentTransactions)
    .set({ amount: toDbAmount(money("40.02")), authorizedAmount: toDbAmount(money("40.02")) })
    .where(eq(paymentTransactions.transactionId, ids.transactionId));
  return ids;
}

const operationsOf = (transactionId: number) =>
  database().db.select().from(providerOperations).where(eq(providerOperations.transactionId, transactionId));

const logOf = async (transactionId: number) =>
  (await database().db.select().from(operationLog).where(eq(operationLog.transactionId, transactionId))).map(
    (e) => e.operation,
  );

const statusOf = async (ids: Ids) =>
  (await getPayment(shop, { paymentId: ids.paymentId })).transactions.find(
    (t) => t.transactionId === ids.transactionId,
  )!.status;

/** Effects the PSP applied for a transaction's operations of one kind. */
const effectsOf = async (kind: string, transactionId: number) => (await pspEffects(psp(), kind, transactionId)).length;

/** Lets the recovery job look at every pending operation now (instead of waiting out the lease). */
const makeDue = () =>
  database()
    .db.update(providerOperations)
    .set({ nextCheckAt: sql`now() - interval '1 second'` })
    .where(eq(providerOperations.status, "PENDING"));

describe("capture", () => {
  it("claims, asks and settles: the PSP captures once and the transaction is CAPTURED", async () => {
    const ids = await authorizedCard();
    const payment = await captureTransaction(shop, ids);
    expect(payment.transactions[0].status).toBe("CAPTURED");
    const [op] = (await operationsOf(ids.transactionId)).filter((o) => o.kind === "CAPTURE");
    expect(op).toMatchObject({ status: "SUCCEEDED", attempts: 1, claimedBy: shop.clientId, paymentId: ids.paymentId });
    expect(op.reference).toMatch(new RegExp(`^capture:${ids.transactionId}:`));
    expect(op.settledAt).not.toBeNull();
    expect(await effectsOf("CAPTURE", ids.transactionId)).toBe(1);
    expect(await logOf(ids.transactionId)).toEqual(["CREATE", "AUTHORIZE", "CAPTURE"]);
  });

  it("a decline settles FAILED and leaves the transaction as it was, with no log entry", async () => {
    const ids = await authorizedForRefusal();
    await expect(captureTransaction(shop, ids)).rejects.toThrow(
      refused({ kind: "declined", status: 422, errorReason: "REFUSED_BY_ISSUER" }),
    );
    expect(await statusOf(ids)).toBe("AUTHORIZED");
    expect(await logOf(ids.transactionId)).toEqual(["CREATE", "AUTHORIZE"]);
    const capture = (await operationsOf(ids.transactionId)).find((o) => o.kind === "CAPTURE");
    expect(capture).toMatchObject({
      status: "FAILED",
      answer: refused({ ok: false, errorReason: "REFUSED_BY_ISSUER" }),
    });
  });

  it("no answer (timeout): 503, the operation stays PENDING, others get RESOURCE_BUSY, recovery re-sends and settles", async () => {
    const ids = await authorizedCard();
    await injectFault({ fault: "timeout", times: 1, operations: ["CAPTURE"] });
    await expect(captureTransaction(shop, ids)).rejects.toThrow(unavailable);
    expect(await statusOf(ids)).toBe("AUTHORIZED");
    const [pending] = (await operationsOf(ids.transactionId)).filter((o) => o.kind === "CAPTURE");
    expect(pending.status).toBe("PENDING");
    await expect(captureTransaction(shop, ids)).rejects.toThrow(busy);
    await expect(cancelTransaction(shop, ids)).rejects.toThrow(busy);
    expect(await effectsOf("CAPTURE", ids.transactionId)).toBe(0);

    await makeDue();
    const report = await recoverProviderOperations();
    expect(report.settled).toBeGreaterThanOrEqual(1);
    expect(await statusOf(ids)).toBe("CAPTURED");
    expect(await effectsOf("CAPTURE", ids.transactionId)).toBe(1);
    const [settled] = await operationsOf(ids.transactionId).then((ops) => ops.filter((o) => o.kind === "CAPTURE"));
    expect(settled).toMatchObject({ status: "SUCCEEDED", reference: pending.reference });
  });

  it("a lost answer: the PSP captured; recovery finds it by reference and settles without capturing again", async () => {
    const ids = await authorizedCard();
    await injectFault({ fault: "lost_answer", times: 1, operations: ["CAPTURE"] });
    await expect(captureTransaction(shop, ids)).rejects.toThrow(unavailable);
    expect(await effectsOf("CAPTURE", ids.transactionId)).toBe(1);
    const sent = await callsOf("CAPTURE");
    await makeDue();
    await recoverProviderOperations();
    expect(await callsOf("CAPTURE")).toBe(sent); // found by lookup: not sent again
    expect(await statusOf(ids)).toBe("CAPTURED");
    expect(await logOf(ids.transactionId)).toEqual(["CREATE", "AUTHORIZE", "CAPTURE"]);
  });

  it("recovery leaves it PENDING while the PSP is down, and settles it once the PSP answers again", async () => {
    const ids = await authorizedCard();
    await injectFault({ fault: "lost_answer", times: 1, operations: ["CAPTURE"] });
    await expect(captureTransaction(shop, ids)).rejects.toThrow(unavailable);
    await injectFault({ fault: "timeout", times: Infinity });
    await makeDue();
    expect(await recoverProviderOperations()).toMatchObject({ settled: 0 });
    expect(await statusOf(ids)).toBe("AUTHORIZED");
    await clearFaults();
    await makeDue();
    await recoverProviderOperations();
    expect(await statusOf(ids)).toBe("CAPTURED");
  });

  it("the same Idempotency-Key after a 503 resumes the operation and answers the settled result; another key is busy", async () => {
    const ids = await authorizedCard();
    const key = { clientId: shop.clientId, key: `capture-${ids.transactionId}` };
    await injectFault({ fault: "lost_answer", times: 1, operations: ["CAPTURE"] });
    await expect(withIdempotencyKey(key, () => captureTransaction(shop, ids))).rejects.toThrow(unavailable);
    await expect(withIdempotencyKey({ ...key, key: "another" }, () => captureTransaction(shop, ids))).rejects.toThrow(
      busy,
    );
    const payment = await withIdempotencyKey(key, () => captureTransaction(shop, ids));
    expect(payment.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: money("100") } });
    // Settled now: the same key answers the same result again, without asking anybody.
    const sent = (await callsOf("CAPTURE")) + (await callsOf("LOOKUP"));
    await expect(withIdempotencyKey(key, () => captureTransaction(shop, ids))).resolves.toMatchObject({
      paymentId: ids.paymentId,
    });
    expect((await callsOf("CAPTURE")) + (await callsOf("LOOKUP"))).toBe(sent);
    expect(await effectsOf("CAPTURE", ids.transactionId)).toBe(1);
  });

  it("a CASH capture asks nobody", async () => {
    const created = await createPayment(shop, { totalAmount: money("20"), transaction: { paymentType: "CASH" } });
    const transactionId = created.transactions[0].transactionId;
    await captureTransaction(shop, { paymentId: created.paymentId, transactionId });
    expect(await operationsOf(transactionId)).toEqual([]);
  });
});

describe("cancel", () => {
  it("releases an authorization at the PSP (CANCEL), but cancels a never-authorized transaction internally", async () => {
    const ids = await authorizedCard("10.00");
    await expect(cancelTransaction(shop, ids)).resolves.toMatchObject({ status: "CANCELLED" });
    expect((await operationsOf(ids.transactionId)).map((o) => [o.kind, o.status])).toEqual([
      ["AUTHORIZE", "SUCCEEDED"],
      ["CANCEL", "SUCCEEDED"],
    ]);
    const created = await createPayment(shop, { totalAmount: money("5"), transaction: { paymentType: "VISA" } });
    const open = { paymentId: created.paymentId, transactionId: created.transactions[0].transactionId };
    await expect(cancelTransaction(shop, open)).resolves.toMatchObject({ status: "CANCELLED" });
    expect(await operationsOf(open.transactionId)).toEqual([]);
  });

  it("no answer: PENDING, then settled by recovery", async () => {
    const ids = await authorizedCard("10.00");
    await injectFault({ fault: "timeout", times: 1, operations: ["CANCEL"] });
    await expect(cancelTransaction(shop, ids)).rejects.toThrow(unavailable);
    expect(await statusOf(ids)).toBe("AUTHORIZED");
    await makeDue();
    await recoverProviderOperations();
    expect(await statusOf(ids)).toBe("CANCELLED");
  });
});

describe("authorize", () => {
  it("a refused pre-authorization settles FAILED: still CREATED, no AUTHORIZE entry", async () => {
    const created = await createPayment(shop, { totalAmount: money("30.02"), transaction: { paymentType: "VISA" } });
    const ids = { paymentId: created.paymentId, transactionId: created.transactions[0].transactionId };
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("30.02") })).rejects.toThrow(
      refused({ kind: "declined", errorReason: "REFUSED_BY_ISSUER" }),
    );
    expect(await statusOf(ids)).toBe("CREATED");
    expect(await logOf(ids.transactionId)).toEqual(["CREATE"]);
  });

  it("an increment without an answer is settled by recovery; meanwhile no transaction can be added", async () => {
    const ids = await authorizedCard("50.00");
    await database()
      .db.update(paymentTransactions)
      .set({ amount: "40.00000", authorizedAmount: "40.00000" })
      .where(eq(paymentTransactions.transactionId, ids.transactionId));
    await injectFault({ fault: "lost_answer", times: 1, operations: ["AUTHORIZE"] });
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("45") })).rejects.toThrow(unavailable);
    const { addTransaction } = await import("../transactions/transactions.server");
    await expect(
      addTransaction(shop, { paymentId: ids.paymentId, transaction: { paymentType: "CASH" } }),
    ).rejects.toThrow(busy);
    await makeDue();
    await recoverProviderOperations();
    const payment = await getPayment(shop, { paymentId: ids.paymentId });
    expect(payment.transactions[0]).toMatchObject({ status: "AUTHORIZED", amount: money("45") });
  });
});

describe("credit execution (REFUND)", () => {
  it("no answer: the line stays claimed; executing again resumes it and credits once", async () => {
    const ids = await capturedCardPayment(shop, "80.00");
    const credit = await createCredit(shop, {
      totalCreditAmount: money("30"),
      creditTransactions: [{ ...ids, amount: money("30") }],
    });
    await injectFault({ fault: "lost_answer", times: 1, operations: ["REFUND"] });
    await expect(executeCredit(shop, { creditId: credit.creditId })).rejects.toThrow(unavailable);
    const [line] = await database()
      .db.select()
      .from(creditTransactions)
      .where(eq(creditTransactions.creditId, credit.creditId));
    expect(line).toMatchObject({
      status: "CREATED",
      providerReference: `credit-transaction-${line.creditTransactionId}`,
    });
    expect(line.claimedAt).not.toBeNull();
    const executed = await executeCredit(shop, { creditId: credit.creditId });
    expect(executed).toMatchObject({ status: "CREDITED" });
    const refunds = (await pspOperations(psp().url)).filter(
      (o) => o.reference === `credit-transaction-${line.creditTransactionId}`,
    );
    expect(refunds).toHaveLength(1);
    const payment = await getPayment(shop, { paymentId: ids.paymentId });
    expect(payment.transactions[0].summary).toMatchObject({ creditedAmount: money("30"), capturedAmount: money("80") });
  });

  it("a direct credit with an Idempotency-Key: 503, then the same key gets the one credit, settled", async () => {
    const ids = await capturedCardPayment(shop, "60.00");
    const key = { clientId: shop.clientId, key: `credit-${ids.transactionId}` };
    await injectFault({ fault: "timeout", times: 1, operations: ["REFUND"] });
    await expect(
      withIdempotencyKey(key, () => creditTransaction(shop, { ...ids, amount: money("10") })),
    ).rejects.toThrow(unavailable);
    const result = await withIdempotencyKey(key, () => creditTransaction(shop, { ...ids, amount: money("10") }));
    expect(result.kind).toBe("credited");
    const lines = await database()
      .db.select()
      .from(creditTransactions)
      .where(eq(creditTransactions.transactionId, ids.transactionId));
    expect(lines.map((l) => [l.amount, l.status])).toEqual([["10.00000", "CREDITED"]]);
  });

  it("recovery finishes a refund after the PSP comes back, even when nobody executes again", async () => {
    const ids = await capturedCardPayment(shop, "40.00");
    await injectFault({ fault: "timeout", times: 1, operations: ["REFUND"] });
    await expect(creditTransaction(shop, { ...ids, amount: money("40") })).rejects.toThrow(unavailable);
    await makeDue();
    await recoverProviderOperations();
    const payment = await getPayment(shop, { paymentId: ids.paymentId });
    expect(payment.transactions[0]).toMatchObject({ status: "CREDITED", summary: { creditedAmount: money("40") } });
  });
});

describe("deactivation", () => {
  it("releases authorizations at the PSP; one without an answer is finished by repeating the deactivation", async () => {
    const ids = await authorizedCard("25.00");
    await injectFault({ fault: "timeout", times: 1, operations: ["CANCEL"] });
    await expect(deactivatePayment(shop, { paymentId: ids.paymentId })).rejects.toThrow(unavailable);
    expect(await statusOf(ids)).toBe("AUTHORIZED");
    const result = await deactivatePayment(shop, { paymentId: ids.paymentId });
    expect(result.kind).toBe("deactivated");
    expect(await statusOf(ids)).toBe("CANCELLED");
    expect((await operationsOf(ids.transactionId)).filter((o) => o.kind === "CANCEL")).toHaveLength(1);
  });
});

describe("resolve now (staff)", () => {
  it("asks the PSP about one pending operation and settles it", async () => {
    const ids = await authorizedCard();
    await injectFault({ fault: "lost_answer", times: 1, operations: ["CAPTURE"] });
    await expect(captureTransaction(shop, ids)).rejects.toThrow(unavailable);
    const [op] = (await operationsOf(ids.transactionId)).filter((o) => o.kind === "CAPTURE");
    const resolved = await resolveProviderOperation(staffCaller(), { paymentId: ids.paymentId, operationId: op.id });
    expect(resolved.status).toBe("SUCCEEDED");
    expect(await statusOf(ids)).toBe("CAPTURED");
    await expect(
      resolveProviderOperation(staffCaller(), { paymentId: ids.paymentId + 1, operationId: op.id }),
    ).rejects.toThrow(refused({ kind: "not_found" }));
  });
});
