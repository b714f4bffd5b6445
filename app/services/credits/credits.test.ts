// The credit use-cases in-process: creating a credit reserves its amounts (the sum rule, never
// more than creditable), changing and deactivating it, executing it, and the four-eyes rule:
// a refusal for executeCredit, a credit waiting for a second staff user for a direct credit.
import type { Caller } from "../../domain/caller";
import { money } from "../../domain/money";
import { capturedCardPayment } from "../../../tests/support/money-path";
import { refused, useShop, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { staffCaller } from "../../../tests/support/use-case";
import { getPayment } from "../queries/payment-view.server";
import { deactivatePayment } from "../payments/payments.server";
import { createCredit, creditTransaction, executeCredit, getCredit, updateCredit } from "./credits.server";

const { database, shop, otherShop } = useTwoShops();
const partner = useShop(database, { privileged: true });
const anna = staffCaller({ userId: "00000000-0000-0000-0000-00000000000a", email: "anna@paydesk.test" });
const bert = staffCaller({ userId: "00000000-0000-0000-0000-00000000000b", email: "bert@paydesk.test" });

/** A credit by `caller` of `amount` from one transaction. */
const creditOne = (caller: Caller, ids: { paymentId: number; transactionId: number }, amount: string) =>
  createCredit(caller, { totalCreditAmount: money(amount), creditTransactions: [{ ...ids, amount: money(amount) }] });

const creditableOf = async (ids: { paymentId: number; transactionId: number }) =>
  (await getPayment(shop, { paymentId: ids.paymentId })).transactions.find(
    (t) => t.transactionId === ids.transactionId,
  )!.summary.creditableAmount;

/** Anna's refused credit is as it was (CREATED, no line claimed), and Bert, a second staff user, then executes it. */
async function expectUntouchedUntilBertExecutes(creditId: number) {
  expect(await getCredit(anna, { creditId })).toMatchObject({
    status: "CREATED",
    creditTransactions: [{ status: "CREATED", claimedAt: null }],
  });
  await expect(executeCredit(bert, { creditId })).resolves.toMatchObject({ status: "CREDITED" });
}

/**
 * `caller` deactivates a payment of 11 000.00 captured by the shop, twice: each time the payment is
 * inactive and its credit (above the four-eyes threshold) waits for a second staff user, the same
 * credit the second time.
 */
async function deactivatedTwiceAwaitingCredit(caller: Caller) {
  const a = await capturedCardPayment(shop, "11000.00");
  const result = await deactivatePayment(caller, { paymentId: a.paymentId });
  expect(result).toMatchObject({ kind: "awaitsSecondStaffUser", payment: { active: false } });
  if (result.kind !== "awaitsSecondStaffUser") throw new Error("expected the credit to wait");
  expect(await deactivatePayment(caller, { paymentId: a.paymentId })).toMatchObject({
    kind: "awaitsSecondStaffUser",
    creditId: result.creditId,
  });
  return { a, creditId: result.creditId };
}

describe("createCredit", () => {
  it("reserves its lines' amounts; the total is their sum and no more than creditable", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    await expect(
      createCredit(shop, { totalCreditAmount: money("30"), creditTransactions: [{ ...a, amount: money("20") }] }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "totalCreditAmount" })] }));
    await expect(
      createCredit(shop, {
        totalCreditAmount: money("100.01"),
        creditTransactions: [
          { ...a, amount: money("60") },
          { ...a, amount: money("40.01") },
        ],
      }),
    ).rejects.toThrow(
      refused({ kind: "rule", errors: [expect.objectContaining({ field: "creditTransactions[1].amount" })] }),
    );
    await expect(createCredit(shop, { totalCreditAmount: money("1"), creditTransactions: [] })).rejects.toThrow(
      refused({ kind: "invalid" }),
    );

    const credit = await creditOne(shop, a, "70");
    expect(credit).toMatchObject({ status: "CREATED", active: true, totalCreditAmount: money("70") });
    expect(await creditableOf(a)).toBe(money("30"));
    await expect(creditOne(shop, a, "30.01")).rejects.toThrow(refused({ kind: "rule" }));
  });

  it("another organisation's transactions are not found", async () => {
    const a = await capturedCardPayment(shop, "10.00");
    await expect(creditOne(otherShop, a, "1")).rejects.toThrow(refused({ kind: "not_found" }));
  });
});

describe("updateCredit and executeCredit", () => {
  it("changes lines and total together, executes, and then the credit can no longer change", async () => {
    const a = await capturedCardPayment(shop, "100.00");
    const { creditId } = await creditOne(shop, a, "10");
    await expect(updateCredit(shop, { creditId, patch: { totalCreditAmount: money("20") } })).rejects.toThrow(
      refused({ kind: "rule", message: expect.stringMatching(/send creditTransactions too/) }),
    );
    const changed = await updateCredit(shop, {
      creditId,
      patch: {
        totalCreditAmount: money("25"),
        creditTransactions: [{ ...a, amount: money("25") }],
        settlementId: "S-7",
      },
    });
    expect(changed).toMatchObject({ totalCreditAmount: money("25"), settlementId: "S-7" });
    expect(await creditableOf(a)).toBe(money("75"));

    const executed = await executeCredit(shop, { creditId });
    expect(executed).toMatchObject({ status: "CREDITED", creditTransactions: [{ status: "CREDITED" }] });
    expect(await creditableOf(a)).toBe(money("75"));
    // Executing again is harmless; changing is over.
    await expect(executeCredit(shop, { creditId })).resolves.toMatchObject({ status: "CREDITED" });
    await expect(updateCredit(shop, { creditId, patch: { settlementId: null } })).rejects.toThrow(
      refused({ kind: "conflict" }),
    );
  });

  it("a deactivated credit frees its reservation and cannot be executed", async () => {
    const a = await capturedCardPayment(shop, "50.00");
    const { creditId } = await creditOne(shop, a, "50");
    expect(await creditableOf(a)).toBe(money("0"));
    await updateCredit(shop, { creditId, patch: { active: false } });
    expect(await creditableOf(a)).toBe(money("50"));
    await expect(executeCredit(shop, { creditId })).rejects.toThrow(
      refused({ kind: "conflict", message: `Credit ${creditId} is inactive and cannot be executed` }),
    );
  });

  it("another organisation's credit is not found", async () => {
    const a = await capturedCardPayment(shop, "10.00");
    const { creditId } = await creditOne(shop, a, "1");
    await expect(getCredit(otherShop, { creditId })).rejects.toThrow(refused({ kind: "not_found" }));
    await expect(executeCredit(otherShop, { creditId })).rejects.toThrow(refused({ kind: "not_found" }));
    await expect(getCredit(shop, { creditId })).resolves.toMatchObject({ creditId });
  });
});

describe("the four-eyes rule (above 10 000 NOK by default)", () => {
  it("refuses the staff user who created the credit; another staff user executes it", async () => {
    const a = await capturedCardPayment(shop, "12000.00");
    const { creditId } = await creditOne(anna, a, "12000");
    await expect(executeCredit(anna, { creditId })).rejects.toThrow(
      refused({ kind: "forbidden", message: expect.stringMatching(/another staff user must execute it/) }),
    );
    await expectUntouchedUntilBertExecutes(creditId);
  });

  it("a direct credit by its staff creator is created and waits for a second staff user", async () => {
    const a = await capturedCardPayment(shop, "15000.00");
    const result = await creditTransaction(anna, a);
    expect(result.kind).toBe("awaitsSecondStaffUser");
    if (result.kind !== "awaitsSecondStaffUser") return;
    expect(result.payment.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { creditedAmount: money("0"), creditableAmount: money("0") },
    });
    await executeCredit(bert, { creditId: result.creditId });
    expect((await getPayment(shop, { paymentId: a.paymentId })).transactions[0]).toMatchObject({
      status: "CREDITED",
      summary: { creditedAmount: money("15000") },
    });
  });

  it("a direct credit at or below the threshold, or above it by a privileged client, is credited at once", async () => {
    const a = await capturedCardPayment(shop, "10000.00");
    await expect(creditTransaction(anna, { ...a, amount: money("10000") })).resolves.toMatchObject({
      kind: "credited",
    });
    const c = await capturedCardPayment(shop, "12000.00");
    await expect(creditTransaction(shop, { ...c, amount: money("10000") })).resolves.toMatchObject({
      kind: "credited",
    });
    const b = await capturedCardPayment(partner, "20000.00");
    const byClient = await creditTransaction(partner, { ...b, amount: money("15000") });
    expect(byClient).toMatchObject({ kind: "credited" });
    expect(byClient.payment.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { creditedAmount: money("15000"), creditableAmount: money("5000") },
    });
  });

  it("a staff deactivation whose credit is above the threshold deactivates and leaves the credit waiting", async () => {
    // Deactivated twice, by the same staff user, still waits for the second one.
    const { a } = await deactivatedTwiceAwaitingCredit(anna);
    // By another staff user, it finishes the credit.
    const finished = await deactivatePayment(bert, { paymentId: a.paymentId });
    expect(finished.kind).toBe("deactivated");
    expect(finished.payment.transactions[0]).toMatchObject({ status: "CREDITED" });
  });
});

describe("creditTransaction", () => {
  it("credits what is creditable by default, and refuses what is not CAPTURED or more than is left", async () => {
    const a = await capturedCardPayment(shop, "80.00");
    await expect(creditTransaction(shop, { ...a, amount: money("80.01") })).rejects.toThrow(
      refused({ kind: "rule", errors: [expect.objectContaining({ field: "amount" })] }),
    );
    await creditTransaction(shop, { ...a, amount: money("30") });
    const rest = await creditTransaction(shop, a);
    expect(rest.payment.transactions[0]).toMatchObject({
      status: "CREDITED",
      summary: { creditedAmount: money("80") },
    });
    await expect(creditTransaction(shop, a)).rejects.toThrow(
      refused({ kind: "conflict", message: "The transaction is already fully credited" }),
    );
  });
});

describe("the four-eyes rule at the API's doors (docs/decisions/026)", () => {
  it("no API client, privileged or not, executes a staff user's credit above the threshold; another staff user does", async () => {
    const a = await capturedCardPayment(partner, "15000.00");
    const { creditId } = await creditOne(anna, a, "15000");
    for (const client of [partner, shop]) {
      // (shop is another organisation: its answer is 404, whatever the rule says.)
      await expect(executeCredit(client, { creditId })).rejects.toThrow(
        client === partner
          ? refused({
              kind: "forbidden",
              errorReason: "FOUR_EYES_REQUIRED",
              message: expect.stringMatching(/created by a staff user .*another staff user must execute it/),
            })
          : refused({ kind: "not_found" }),
      );
    }
    await expectUntouchedUntilBertExecutes(creditId);
  });

  it("a staff user's credit at or below the threshold may be executed by an API client", async () => {
    const a = await capturedCardPayment(shop, "10000.00");
    const { creditId } = await creditOne(anna, a, "10000");
    await expect(executeCredit(shop, { creditId })).resolves.toMatchObject({ status: "CREDITED" });
  });

  it("an API credit above the threshold: a privileged client executes it, any other waits for a staff user", async () => {
    const a = await capturedCardPayment(shop, "12000.00");
    const byShop = await creditOne(shop, a, "12000");
    await expect(executeCredit(shop, { creditId: byShop.creditId })).rejects.toThrow(
      refused({
        kind: "forbidden",
        errorReason: "FOUR_EYES_REQUIRED",
        message: expect.stringMatching(/above the four-eyes threshold of 10000.00 NOK: a staff user must execute it/),
      }),
    );
    expect(await getCredit(shop, { creditId: byShop.creditId })).toMatchObject({ status: "CREATED" });
    // Any staff user (there is no staff creator to differ from).
    await expect(executeCredit(anna, { creditId: byShop.creditId })).resolves.toMatchObject({ status: "CREDITED" });

    const b = await capturedCardPayment(partner, "12000.00");
    const byPartner = await creditOne(partner, b, "12000");
    await expect(executeCredit(partner, { creditId: byPartner.creditId })).resolves.toMatchObject({
      status: "CREDITED",
    });
  });

  it("a direct credit above the threshold by a client that may not execute it is created and waits, unclaimed", async () => {
    const a = await capturedCardPayment(shop, "15000.00");
    const result = await creditTransaction(shop, a);
    expect(result).toMatchObject({ kind: "awaitsSecondStaffUser" });
    if (result.kind !== "awaitsSecondStaffUser") return;
    expect(result.payment.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { creditedAmount: money("0"), creditableAmount: money("0") },
    });
    // Nothing was claimed at the provider: the recovery job has nothing to finish behind the rule's back.
    expect(await getCredit(shop, { creditId: result.creditId })).toMatchObject({
      createdByClientId: shop.clientId,
      creditTransactions: [{ status: "CREATED", claimedAt: null }],
    });
    await executeCredit(bert, { creditId: result.creditId });
    expect((await getPayment(shop, { paymentId: a.paymentId })).transactions[0]).toMatchObject({ status: "CREDITED" });
  });

  it("a client's deactivation above the threshold deactivates and leaves the credit to a staff user", async () => {
    // Deactivated twice it waits still; a staff user executes the credit.
    const { a, creditId } = await deactivatedTwiceAwaitingCredit(shop);
    await executeCredit(anna, { creditId });
    expect((await getPayment(shop, { paymentId: a.paymentId })).transactions[0]).toMatchObject({ status: "CREDITED" });

    // A privileged client's deactivation executes its credit at once.
    const b = await capturedCardPayment(partner, "11000.00");
    const byPartner = await deactivatePayment(partner, { paymentId: b.paymentId });
    expect(byPartner.kind).toBe("deactivated");
    expect(byPartner.payment.transactions[0]).toMatchObject({ status: "CREDITED" });
  });

  it("raising a client's credit above the threshold after it was created still waits", async () => {
    const a = await capturedCardPayment(shop, "20000.00");
    const { creditId } = await creditOne(shop, a, "100");
    await updateCredit(shop, {
      creditId,
      patch: { totalCreditAmount: money("20000"), creditTransactions: [{ ...a, amount: money("20000") }] },
    });
    await expect(executeCredit(shop, { creditId })).rejects.toThrow(refused({ errorReason: "FOUR_EYES_REQUIRED" }));
  });
});
