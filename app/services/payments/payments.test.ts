// The payment use-cases in-process: create (with and without its first transaction), the order
// version rule, total changes, deactivation (cancel open, credit captured, leave imports) and
// reactivation with the correct total.
import { money } from "../../domain/money";
import { capturedCardPayment, newShop } from "../../../tests/support/money-path";
import { refused, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { staffCaller } from "../../../tests/support/use-case";
import { getPayment } from "../queries/payment-view.server";
import { addTransaction, cancelTransaction, importTransaction } from "../transactions/transactions.server";
import { createPayment, deactivatePayment, reactivatePayment, updatePayment } from "./payments.server";

const { database, shop, otherShop } = useTwoShops();

describe("createPayment", () => {
  it("creates a payment, with a first transaction that pays the whole total", async () => {
    const payment = await createPayment(shop, {
      orderId: "O-1",
      totalAmount: money("250.00"),
      transaction: { paymentType: "VISA" },
    });
    expect(payment).toMatchObject({ orderId: "O-1", orderVersion: 1, active: true, totalAmount: money("250") });
    expect(payment.transactions).toMatchObject([{ status: "CREATED", amount: money("250"), paymentType: "VISA" }]);
  });

  it("refuses a first transaction for another amount than the total, and creates nothing", async () => {
    await expect(
      createPayment(shop, {
        orderId: "O-2",
        totalAmount: money("100"),
        transaction: { paymentType: "VISA", amount: money("90") },
      }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "transaction.amount" })] }));
    // The order is still free.
    await expect(createPayment(shop, { orderId: "O-2", totalAmount: money("100") })).resolves.toMatchObject({
      orderId: "O-2",
    });
  });

  it("names the first transaction's fields under transaction.", async () => {
    await expect(
      createPayment(shop, { totalAmount: money("10"), transaction: { paymentType: "VISA", currency: "SEK" } }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "transaction.currency" })] }));
  });

  it("one payment per order version", async () => {
    await createPayment(shop, { orderId: "O-3", totalAmount: money("10") });
    await expect(createPayment(shop, { orderId: "O-3", totalAmount: money("10") })).rejects.toThrow(
      refused({ kind: "conflict", errors: [expect.objectContaining({ field: "orderId" })] }),
    );
    await expect(
      createPayment(shop, { orderId: "O-3", orderVersion: 2, totalAmount: money("10") }),
    ).resolves.toBeTruthy();
    // Another organisation has orders of its own.
    await expect(createPayment(otherShop, { orderId: "O-3", totalAmount: money("10") })).resolves.toBeTruthy();
  });
});

describe("updatePayment", () => {
  it("changes the total, never below what the transactions claim", async () => {
    const payment = await createPayment(shop, { totalAmount: money("100") });
    await addTransaction(shop, {
      paymentId: payment.paymentId,
      transaction: { paymentType: "VISA", amount: money("60") },
    });
    await expect(
      updatePayment(shop, { paymentId: payment.paymentId, patch: { totalAmount: money("59.99") } }),
    ).rejects.toThrow(refused({ kind: "rule" }));
    const updated = await updatePayment(shop, {
      paymentId: payment.paymentId,
      patch: { totalAmount: money("60"), settlementId: "S-1" },
    });
    expect(updated).toMatchObject({ totalAmount: money("60"), settlementId: "S-1" });
  });

  it("another organisation's payment is not found", async () => {
    const payment = await createPayment(shop, { totalAmount: money("100") });
    await expect(
      updatePayment(otherShop, { paymentId: payment.paymentId, patch: { settlementId: "S-2" } }),
    ).rejects.toThrow(refused({ kind: "not_found" }));
  });
});

describe("deactivatePayment and reactivatePayment", () => {
  it("cancels open transactions, credits captured ones in full, and refuses operations until reactivated", async () => {
    const { paymentId, transactionId: captured } = await capturedCardPayment(shop, "100.00");
    await updatePayment(shop, { paymentId, patch: { totalAmount: money("150") } });
    const open = await addTransaction(shop, { paymentId, transaction: { paymentType: "VISA" } });

    const result = await deactivatePayment(shop, { paymentId });
    expect(result.kind).toBe("deactivated");
    expect(result.payment.active).toBe(false);
    const byId = new Map(result.payment.transactions.map((t) => [t.transactionId, t]));
    expect(byId.get(open.transactionId)).toMatchObject({ status: "CANCELLED" });
    expect(byId.get(captured)).toMatchObject({ status: "CREDITED", summary: { creditedAmount: money("100") } });

    await expect(addTransaction(shop, { paymentId, transaction: { paymentType: "VISA" } })).rejects.toThrow(
      refused({ kind: "conflict", message: expect.stringMatching(/is deactivated/) }),
    );
    await expect(cancelTransaction(shop, { paymentId, transactionId: open.transactionId })).rejects.toThrow(
      refused({ kind: "conflict" }),
    );
    await expect(updatePayment(shop, { paymentId, patch: { totalAmount: money("10") } })).rejects.toThrow(
      refused({ kind: "conflict" }),
    );
    await expect(updatePayment(shop, { paymentId, patch: { active: true } })).rejects.toThrow(
      refused({ kind: "invalid", errors: [expect.objectContaining({ field: "totalAmount" })] }),
    );

    // Deactivating again changes nothing.
    expect(await deactivatePayment(shop, { paymentId })).toMatchObject({ kind: "deactivated" });

    const reactivated = await updatePayment(shop, { paymentId, patch: { active: true, totalAmount: money("40") } });
    expect(reactivated).toMatchObject({ active: true, totalAmount: money("40") });
    // The credited and cancelled transactions gave their share back: the payment can be paid again.
    await expect(addTransaction(shop, { paymentId, transaction: { paymentType: "VISA" } })).resolves.toMatchObject({
      amount: money("40"),
    });
  });

  it("leaves an imported transaction for the client to credit", async () => {
    const privileged = await newShop(database(), { privileged: true });
    const payment = await createPayment(privileged, {
      totalAmount: money("30"),
      transaction: { paymentType: "VISA", isImport: true },
    });
    const transactionId = payment.transactions[0].transactionId;
    await importTransaction(privileged, {
      paymentId: payment.paymentId,
      transactionId,
      data: { transactionConfirmedAt: new Date(), rrn: "123456789012", terminalId: "T-1", paymentType: "VISA" },
    });
    const result = await deactivatePayment(privileged, { paymentId: payment.paymentId });
    expect(result.payment.transactions[0]).toMatchObject({
      status: "CAPTURED",
      summary: { creditedAmount: money("0") },
    });
  });

  it("a staff reactivation needs a deactivated payment", async () => {
    const payment = await createPayment(shop, { totalAmount: money("10") });
    const staff = staffCaller();
    await expect(reactivatePayment(staff, { paymentId: payment.paymentId, totalAmount: money("10") })).rejects.toThrow(
      refused({ kind: "conflict", message: `Payment ${payment.paymentId} is already active` }),
    );
    await deactivatePayment(staff, { paymentId: payment.paymentId });
    await expect(
      reactivatePayment(staff, { paymentId: payment.paymentId, totalAmount: money("12") }),
    ).resolves.toMatchObject({ active: true, totalAmount: money("12") });
    expect((await getPayment(staff, { paymentId: payment.paymentId })).active).toBe(true);
  });
});
