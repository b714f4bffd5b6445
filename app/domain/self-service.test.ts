import {
  attemptResult,
  changeResult,
  errorTo,
  isInvoicePaymentMethod,
  isOverdue,
  isProductPaymentMethod,
  paymentMethodItems,
  PRODUCT_PAYMENT_METHODS,
  productMethodLabel,
  returnTo,
} from "./self-service";

describe("isOverdue", () => {
  it("is an OPEN invoice after its due day", () => {
    expect(isOverdue({ status: "OPEN", dueDate: "2026-03-01" }, "2026-03-02")).toBe(true);
    expect(isOverdue({ status: "OPEN", dueDate: "2026-03-01" }, "2026-03-01")).toBe(false);
    expect(isOverdue({ status: "OPEN", dueDate: "2026-03-01" }, "2026-02-28")).toBe(false);
    expect(isOverdue({ status: "PAID", dueDate: "2026-03-01" }, "2026-04-01")).toBe(false);
  });
});

describe("payment methods", () => {
  it("lists the product's current method first, then every other one", () => {
    const items = paymentMethodItems("autoGiro");
    expect(items[0]).toMatchObject({ paymentMethod: "autoGiro", current: true });
    expect(items.map((i) => i.paymentMethod).sort()).toEqual([...PRODUCT_PAYMENT_METHODS].sort());
    expect(items.filter((i) => i.current)).toHaveLength(1);
    expect(paymentMethodItems("legacy").every((i) => !i.current)).toBe(true);
  });

  it("knows the methods and labels them; an unknown one is shown as it is", () => {
    expect(isInvoicePaymentMethod("vippsEcommerce")).toBe(true);
    expect(isInvoicePaymentMethod("autoGiro")).toBe(false);
    expect(isProductPaymentMethod("autoGiro")).toBe(true);
    expect(isProductPaymentMethod(3)).toBe(false);
    expect(productMethodLabel("recurringVippsPayment")).toBe("Vipps, recurring");
    expect(productMethodLabel("legacyMethod")).toBe("legacyMethod");
  });
});

describe("results of a flow", () => {
  it("reports a payment change once it is over", () => {
    const results = [
      ["FINISHED", "finished"],
      ["CANCELLED", "cancelled"],
      ["FAILED", "failed"],
      ["CREATED", null],
      ["INITIATED", null],
    ] as const;
    for (const [status, result] of results) expect(changeResult(status), status).toBe(result);
  });

  it("reports an invoice-payment attempt by its transaction's status", () => {
    const results = { CAPTURED: "finished", CREDITED: "finished", CANCELLED: "cancelled", AUTHORIZED: "unknown" };
    for (const [status, result] of Object.entries(results)) expect(attemptResult(status), status).toBe(result);
    for (const status of ["CREATED", "INITIATED"]) expect(attemptResult(status), status).toBeNull();
  });

  it("goes back to returnUrl with the ids and result, or to errorUrl with the error", () => {
    expect(returnTo("https://shop.example/back?x=1", "finished", { transactionId: 7 })).toBe(
      "https://shop.example/back?x=1&transactionId=7&result=finished",
    );
    expect(errorTo("https://shop.example/error", "not_found", { paymentChangeId: 3 })).toBe(
      "https://shop.example/error?paymentChangeId=3&error=not_found",
    );
    expect(errorTo("https://shop.example/error", "system_error")).toBe("https://shop.example/error?error=system_error");
  });
});
