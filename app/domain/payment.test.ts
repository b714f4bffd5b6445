import { money } from "./money";
import { decidePaymentChange, planDeactivation, requireActive, requireFirstTransactionPaysTotal } from "./payment";

const error = (fields: Record<string, unknown>) => expect.objectContaining(fields);
const active = { paymentId: 5, active: true };
const deactivated = { paymentId: 5, active: false };

describe("an active payment", () => {
  it("takes transaction operations; a deactivated one refuses them until reactivated", () => {
    expect(() => requireActive(active)).not.toThrow();
    expect(() => requireActive(deactivated)).toThrow(
      error({ kind: "conflict", message: expect.stringMatching(/^Payment 5 is deactivated; reactivate it/) }),
    );
  });
});

describe("a payment created with its first transaction", () => {
  it("is paid by that transaction alone: its amount, where given, is totalAmount", () => {
    expect(() => requireFirstTransactionPaysTotal(undefined, money("100"))).not.toThrow();
    expect(() => requireFirstTransactionPaysTotal(money("100"), money("100"))).not.toThrow();
    expect(() => requireFirstTransactionPaysTotal(money("99.99"), money("100"))).toThrow(
      error({
        kind: "rule",
        message: "transaction.amount 99.99 must equal totalAmount 100.00",
        errors: [{ field: "transaction.amount", message: "transaction.amount 99.99 must equal totalAmount 100.00" }],
      }),
    );
  });
});

describe("changing a payment's total and reactivating it", () => {
  const patch = { onlyReactivate: false };

  it("changes an active payment's total, never below what its transactions claim", () => {
    expect(decidePaymentChange(active, { totalAmount: money("50") }, money("50"), patch)).toEqual({
      reactivating: false,
    });
    expect(() => decidePaymentChange(active, { totalAmount: money("49.99") }, money("50"), patch)).toThrow(
      error({ kind: "rule", message: "totalAmount 49.99 is less than its transactions already hold (50.00)" }),
    );
  });

  it("active: true on an active payment changes nothing else", () => {
    expect(decidePaymentChange(active, { active: true }, money("0"), patch)).toEqual({ reactivating: false });
  });

  it("reactivates only with the correct totalAmount in the same change", () => {
    expect(decidePaymentChange(deactivated, { active: true, totalAmount: money("80") }, money("0"), patch)).toEqual({
      reactivating: true,
    });
    expect(() => decidePaymentChange(deactivated, { active: true }, money("0"), patch)).toThrow(
      error({
        kind: "invalid",
        errors: [{ field: "totalAmount", message: "is required when reactivating (active: true)" }],
      }),
    );
    expect(() =>
      decidePaymentChange(deactivated, { active: true, totalAmount: money("10") }, money("20"), patch),
    ).toThrow(error({ kind: "rule" }));
  });

  it("a deactivated payment's total changes only together with its reactivation", () => {
    expect(() => decidePaymentChange(deactivated, { totalAmount: money("80") }, money("0"), patch)).toThrow(
      error({
        kind: "conflict",
        message: "Payment 5 is deactivated; send active: true with the totalAmount to reactivate it",
      }),
    );
    expect(decidePaymentChange(deactivated, {}, money("0"), patch)).toEqual({ reactivating: false });
  });

  it("a staff reactivation of an active payment is a conflict, not a total change", () => {
    const reactivate = { onlyReactivate: true };
    expect(() =>
      decidePaymentChange(active, { active: true, totalAmount: money("80") }, money("0"), reactivate),
    ).toThrow(error({ kind: "conflict", message: "Payment 5 is already active" }));
    expect(
      decidePaymentChange(deactivated, { active: true, totalAmount: money("80") }, money("0"), reactivate),
    ).toEqual({ reactivating: true });
  });
});

describe("deactivating a payment", () => {
  it("cancels what is open, credits in full what was captured, and leaves imported money to the client", () => {
    const plan = planDeactivation([
      { transactionId: 1, status: "CREATED", isImport: false, creditable: money("0") },
      { transactionId: 2, status: "INITIATED", isImport: false, creditable: money("0") },
      { transactionId: 3, status: "AUTHORIZED", isImport: false, creditable: money("0") },
      { transactionId: 4, status: "CAPTURED", isImport: false, creditable: money("70") },
      { transactionId: 5, status: "CAPTURED", isImport: true, creditable: money("30") },
      { transactionId: 6, status: "CAPTURED", isImport: false, creditable: money("0") },
      { transactionId: 7, status: "CREDITED", isImport: false, creditable: money("0") },
      { transactionId: 8, status: "CANCELLED", isImport: false, creditable: money("0") },
    ]);
    expect(plan).toEqual({ cancel: [1, 2, 3], credit: [{ transactionId: 4, amount: money("70") }] });
  });

  it("credits only what open credits do not already reserve", () => {
    expect(
      planDeactivation([{ transactionId: 4, status: "CAPTURED", isImport: false, creditable: money("12.5") }]).credit,
    ).toEqual([{ transactionId: 4, amount: money("12.5") }]);
  });
});
