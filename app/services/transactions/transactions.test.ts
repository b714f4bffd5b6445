// The transaction use-cases in-process: adding transactions within the payment total,
// pre-authorization with its increments and one reduction, capture, cancel and import.
import { money } from "../../domain/money";
import { newShop } from "../../../tests/support/money-path";
import { refused, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { createPayment } from "../payments/payments.server";
import {
  addTransaction,
  authorizeTransaction,
  cancelTransaction,
  captureTransaction,
  importTransaction,
} from "./transactions.server";

const { database, shop, otherShop } = useTwoShops();

async function cardTransaction(total = "100.00") {
  const payment = await createPayment(shop, { totalAmount: money(total), transaction: { paymentType: "VISA" } });
  return { paymentId: payment.paymentId, transactionId: payment.transactions[0].transactionId };
}

describe("addTransaction: the transactions never claim more than totalAmount", () => {
  it("takes what is left by default, refuses more than is left, and counts cancelled ones out", async () => {
    const { paymentId } = await createPayment(shop, { totalAmount: money("100") });
    const first = await addTransaction(shop, { paymentId, transaction: { paymentType: "VISA", amount: money("70") } });
    await expect(
      addTransaction(shop, { paymentId, transaction: { paymentType: "VIPPS", amount: money("30.01") } }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "amount" })] }));
    const rest = await addTransaction(shop, { paymentId, transaction: { paymentTypeGroup: "CASH" } });
    expect(rest).toMatchObject({ amount: money("30"), paymentType: "CASH", status: "CREATED" });
    await expect(addTransaction(shop, { paymentId, transaction: { paymentType: "VISA" } })).rejects.toThrow(
      refused({ kind: "rule", message: expect.stringMatching(/^Nothing is left to pay/) }),
    );
    await cancelTransaction(shop, { paymentId, transactionId: first.transactionId });
    await expect(addTransaction(shop, { paymentId, transaction: { paymentType: "VISA" } })).resolves.toMatchObject({
      amount: money("70"),
    });
  });

  it("needs a payment method, one source, the payment's currency and, for imports, a privileged client", async () => {
    const { paymentId } = await createPayment(shop, { totalAmount: money("10") });
    await expect(addTransaction(shop, { paymentId, transaction: {} })).rejects.toThrow(
      refused({ kind: "invalid", errors: [expect.objectContaining({ field: "paymentType" })] }),
    );
    await expect(
      addTransaction(shop, { paymentId, transaction: { recurringPaymentId: 1, createAgreement: true } }),
    ).rejects.toThrow(refused({ kind: "invalid" }));
    await expect(
      addTransaction(shop, { paymentId, transaction: { paymentType: "VISA", currency: "SEK" } }),
    ).rejects.toThrow(refused({ kind: "rule", errors: [expect.objectContaining({ field: "currency" })] }));
    await expect(
      addTransaction(shop, { paymentId, transaction: { paymentType: "VISA", isImport: true } }),
    ).rejects.toThrow(refused({ kind: "forbidden" }));
  });

  it("another organisation's payment is not found", async () => {
    const { paymentId } = await createPayment(shop, { totalAmount: money("10") });
    await expect(addTransaction(otherShop, { paymentId, transaction: { paymentType: "VISA" } })).rejects.toThrow(
      refused({ kind: "not_found" }),
    );
  });
});

describe("authorizeTransaction", () => {
  it("pre-authorizes, increments after it, reduces once, and then the amount is frozen", async () => {
    const ids = await cardTransaction("100.00");
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("50") })).resolves.toMatchObject({
      status: "AUTHORIZED",
      amount: money("50"),
    });
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("80") })).resolves.toMatchObject({
      amount: money("80"),
    });
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("80") })).rejects.toThrow(
      refused({ kind: "rule", message: "totalAmount equals the authorized amount; nothing to adjust" }),
    );
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("100.01") })).rejects.toThrow(
      refused({ kind: "rule", message: expect.stringMatching(/exceed the payment's totalAmount/) }),
    );
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("60") })).resolves.toMatchObject({
      amount: money("60"),
    });
    await expect(authorizeTransaction(shop, { ...ids, totalAmount: money("70") })).rejects.toThrow(
      refused({ kind: "conflict", message: "The amount is frozen after a reductional authorization" }),
    );
  });

  it("is only for payment cards", async () => {
    const payment = await createPayment(shop, { totalAmount: money("10"), transaction: { paymentType: "VIPPS" } });
    await expect(
      authorizeTransaction(shop, {
        paymentId: payment.paymentId,
        transactionId: payment.transactions[0].transactionId,
        totalAmount: money("10"),
      }),
    ).rejects.toThrow(refused({ kind: "rule", message: "Pre-authorization is only available for payment cards" }));
  });
});

describe("captureTransaction and cancelTransaction", () => {
  it("captures what is authorized, once; a captured transaction cannot be cancelled", async () => {
    const ids = await cardTransaction("100.00");
    await expect(captureTransaction(shop, ids)).rejects.toThrow(refused({ kind: "conflict" }));
    await authorizeTransaction(shop, { ...ids, totalAmount: money("90") });
    const payment = await captureTransaction(shop, ids);
    expect(payment.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: money("90") } });
    await expect(captureTransaction(shop, ids)).rejects.toThrow(
      refused({ kind: "conflict", message: "The transaction is already captured" }),
    );
    await expect(cancelTransaction(shop, ids)).rejects.toThrow(
      refused({ kind: "conflict", message: "A CAPTURED transaction cannot be cancelled; credit it instead" }),
    );
  });

  it("captures cash straight from CREATED", async () => {
    const payment = await createPayment(shop, { totalAmount: money("20"), transaction: { paymentType: "CASH" } });
    const captured = await captureTransaction(shop, {
      paymentId: payment.paymentId,
      transactionId: payment.transactions[0].transactionId,
    });
    expect(captured.transactions[0]).toMatchObject({ status: "CAPTURED", summary: { capturedAmount: money("20") } });
  });

  it("cancels an authorized transaction, once", async () => {
    const ids = await cardTransaction("10.00");
    await authorizeTransaction(shop, { ...ids, totalAmount: money("10") });
    await expect(cancelTransaction(shop, ids)).resolves.toMatchObject({ status: "CANCELLED" });
    await expect(cancelTransaction(shop, ids)).rejects.toThrow(
      refused({ kind: "conflict", message: "The transaction is already cancelled" }),
    );
  });

  it("another organisation's transaction is not found", async () => {
    const ids = await cardTransaction("10.00");
    await expect(cancelTransaction(otherShop, ids)).rejects.toThrow(refused({ kind: "not_found" }));
    await expect(captureTransaction(shop, { ...ids, transactionId: 987654321 })).rejects.toThrow(
      refused({ kind: "not_found" }),
    );
  });
});

describe("importTransaction", () => {
  it("fills an import transaction once, with the card scheme as its payment type", async () => {
    const privileged = await newShop(database(), { privileged: true });
    const payment = await createPayment(privileged, {
      totalAmount: money("30"),
      transaction: { paymentTypeGroup: "PAYMENTCARD", isImport: true },
    });
    const ids = { paymentId: payment.paymentId, transactionId: payment.transactions[0].transactionId };
    await expect(
      importTransaction(privileged, { ...ids, data: { transactionConfirmedAt: new Date(), rrn: "1" } }),
    ).rejects.toThrow(refused({ kind: "invalid", message: "A PAYMENTCARD import needs terminalId, paymentType" }));
    const data = { transactionConfirmedAt: new Date(), rrn: "111", terminalId: "T-9", paymentType: "mastercard" };
    await expect(importTransaction(shop, { ...ids, data })).rejects.toThrow(refused({ kind: "forbidden" }));
    const imported = await importTransaction(privileged, { ...ids, data });
    expect(imported).toMatchObject({ status: "CAPTURED", paymentType: "MASTERCARD" });
    await expect(importTransaction(privileged, { ...ids, data })).rejects.toThrow(
      refused({ kind: "conflict", message: "The transaction is CAPTURED; only a CREATED one can be imported" }),
    );
  });
});
