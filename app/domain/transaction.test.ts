import { DomainError } from "./errors";
import { money } from "./money";
import {
  amountOfNewTransaction,
  amountsOf,
  CANCELLABLE,
  capturedAmountOf,
  checkCancel,
  checkCapture,
  claimedTotal,
  creditableAmount,
  decideAuthorization,
  holdsPaymentTotal,
  importedPaymentType,
  requireAuthorizationWithinTotal,
  requireImportable,
  requireImportFields,
  requireOnePaymentSource,
  requirePaymentCurrency,
  statusAfterCredit,
  summaryOf,
} from "./transaction";

/** The DomainError a rule throws, to look at its kind, message and fields. */
function thrown(rule: () => unknown): DomainError {
  try {
    rule();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected the rule to throw");
}

const amounts = (overrides: Partial<Record<keyof ReturnType<typeof amountsOf>, string>> = {}) => {
  const base = { amount: "0", authorized: "0", captured: "0", credited: "0", cancelled: "0", reserved: "0" };
  const all = { ...base, ...overrides };
  return {
    amount: money(all.amount),
    authorized: money(all.authorized),
    captured: money(all.captured),
    credited: money(all.credited),
    cancelled: money(all.cancelled),
    reserved: money(all.reserved),
  };
};

describe("amounts of a transaction", () => {
  it("reads the numeric(18,5) columns exactly", () => {
    expect(
      amountsOf({
        amount: "100.00000",
        authorizedAmount: "100.00000",
        capturedAmount: "99.99999",
        creditedAmount: "10.00001",
        cancelledAmount: "0.00000",
        reservedAmount: "5.00000",
      }),
    ).toEqual(amounts({ amount: "100", authorized: "100", captured: "99.99999", credited: "10.00001", reserved: "5" }));
  });

  it("creditable is captured less credited less what open credits reserve", () => {
    expect(creditableAmount(amounts({ captured: "100", credited: "30", reserved: "20.5" }))).toBe(money("49.5"));
    expect(creditableAmount(amounts({ captured: "100", credited: "100" }))).toBe(money("0"));
  });

  it("summarises the amounts the API shows, with the creditable amount", () => {
    expect(summaryOf(amounts({ authorized: "80", captured: "80", credited: "20", reserved: "10" }))).toEqual({
      authorizedAmount: money("80"),
      capturedAmount: money("80"),
      creditedAmount: money("20"),
      cancelledAmount: money("0"),
      creditableAmount: money("50"),
    });
  });
});

describe("the payment total its transactions claim", () => {
  it("cancelled and fully credited transactions claim nothing; every other status claims its amount", () => {
    expect(holdsPaymentTotal("CANCELLED")).toBe(false);
    expect(holdsPaymentTotal("CREDITED")).toBe(false);
    for (const status of ["CREATED", "INITIATED", "AUTHORIZED", "CAPTURED"] as const)
      expect(holdsPaymentTotal(status)).toBe(true);
    expect(
      claimedTotal([
        { status: "CAPTURED", amount: money("40") },
        { status: "CANCELLED", amount: money("100") },
        { status: "CREDITED", amount: money("25") },
        { status: "CREATED", amount: money("10.5") },
      ]),
    ).toBe(money("50.5"));
  });

  it("a new transaction takes what is left by default, and never more than is left", () => {
    const payment = { paymentId: 7, totalAmount: money("100"), claimed: money("60") };
    expect(amountOfNewTransaction({ ...payment, requested: undefined })).toBe(money("40"));
    expect(amountOfNewTransaction({ ...payment, requested: money("40") })).toBe(money("40"));
    expect(amountOfNewTransaction({ ...payment, requested: money("0.01") })).toBe(money("0.01"));
    const over = thrown(() => amountOfNewTransaction({ ...payment, requested: money("40.00001") }));
    expect(over).toMatchObject({ kind: "rule", errors: [{ field: "amount" }] });
    expect(over.message).toBe("amount 40.00001 exceeds what is left of totalAmount (40.00 of 100.00)");
  });

  it("nothing is left to pay once the transactions cover totalAmount", () => {
    const error = thrown(() =>
      amountOfNewTransaction({ paymentId: 7, totalAmount: money("100"), claimed: money("100"), requested: undefined }),
    );
    expect(error).toMatchObject({ kind: "rule", errors: [{ field: "amount" }] });
    expect(error.message).toMatch(/Nothing is left to pay on payment 7/);
  });

  it("an authorization replaces its transaction's share: the others plus the new amount stay within the total", () => {
    expect(() =>
      requireAuthorizationWithinTotal({ others: money("30"), requested: money("70"), totalAmount: money("100") }),
    ).not.toThrow();
    expect(
      thrown(() =>
        requireAuthorizationWithinTotal({ others: money("30"), requested: money("70.01"), totalAmount: money("100") }),
      ),
    ).toMatchObject({ kind: "rule", errors: [{ field: "totalAmount" }] });
  });
});

describe("a new transaction", () => {
  it("is in its payment's currency", () => {
    expect(() => requirePaymentCurrency("NOK", "NOK")).not.toThrow();
    expect(thrown(() => requirePaymentCurrency("SEK", "NOK"))).toMatchObject({
      kind: "rule",
      message: "currency must be the payment's currency (NOK)",
      errors: [{ field: "currency" }],
    });
  });

  it("is paid from one source at most, and the refusal names each source given", () => {
    expect(() => requireOnePaymentSource({})).not.toThrow();
    expect(() => requireOnePaymentSource({ recurringPaymentId: 1 })).not.toThrow();
    expect(() => requireOnePaymentSource({ paymentAgreementId: "a", createAgreement: false })).not.toThrow();
    const error = thrown(() => requireOnePaymentSource({ recurringPaymentId: 1, createAgreement: true }));
    expect(error.kind).toBe("invalid");
    expect(error.errors.map((e) => e.field)).toEqual(["recurringPaymentId", "createAgreement"]);
  });
});

describe("capture", () => {
  it("captures an AUTHORIZED transaction, and a CASH one straight from CREATED", () => {
    expect(checkCapture("AUTHORIZED", "PAYMENTCARD")).toEqual({ ok: true });
    expect(checkCapture("CREATED", "CASH")).toEqual({ ok: true });
  });

  it("refuses what is not capturable, saying why", () => {
    expect(checkCapture("CAPTURED", "PAYMENTCARD")).toEqual({
      ok: false,
      reason: "The transaction is already captured",
    });
    expect(checkCapture("CREDITED", "CASH")).toEqual({ ok: false, reason: "The transaction is already captured" });
    expect(checkCapture("CANCELLED", "PAYMENTCARD")).toEqual({ ok: false, reason: "The transaction is cancelled" });
    expect(checkCapture("CREATED", "PAYMENTCARD")).toEqual({
      ok: false,
      reason: "Only an AUTHORIZED transaction can be captured; this one is CREATED",
    });
    expect(checkCapture("INITIATED", "CASH")).toEqual({
      ok: false,
      reason: "Only an AUTHORIZED transaction can be captured (or a CREATED cash one); this one is INITIATED",
    });
  });

  it("takes what is authorized, or the whole amount when nothing was authorized separately", () => {
    expect(capturedAmountOf(amounts({ amount: "100", authorized: "80" }))).toBe(money("80"));
    expect(capturedAmountOf(amounts({ amount: "100" }))).toBe(money("100"));
  });
});

describe("cancel", () => {
  it("cancels CREATED, INITIATED and AUTHORIZED transactions", () => {
    expect([...CANCELLABLE].sort()).toEqual(["AUTHORIZED", "CREATED", "INITIATED"]);
    for (const status of CANCELLABLE) expect(checkCancel(status)).toEqual({ ok: true });
  });

  it("points a captured or credited transaction to a credit, and refuses cancelling twice", () => {
    expect(checkCancel("CAPTURED")).toEqual({
      ok: false,
      reason: "A CAPTURED transaction cannot be cancelled; credit it instead",
    });
    expect(checkCancel("CREDITED")).toMatchObject({ ok: false, reason: expect.stringMatching(/credit it instead/) });
    expect(checkCancel("CANCELLED")).toEqual({ ok: false, reason: "The transaction is already cancelled" });
  });
});

describe("credit", () => {
  it("a transaction becomes CREDITED when its credited amount reaches the captured one, and stays otherwise", () => {
    expect(statusAfterCredit("CAPTURED", amounts({ captured: "100", credited: "60" }), money("40"))).toBe("CREDITED");
    expect(statusAfterCredit("CAPTURED", amounts({ captured: "100", credited: "60" }), money("39.99"))).toBe(
      "CAPTURED",
    );
  });
});

describe("pre-authorization and its adjustments", () => {
  const card = {
    status: "AUTHORIZED" as const,
    group: "PAYMENTCARD" as const,
    lastAuthorization: "PRE_AUTHORIZATION" as const,
    amountFrozen: false,
    authorized: money("100"),
    requested: money("150"),
  };

  it("is only for payment cards", () => {
    expect(decideAuthorization({ ...card, group: "MOBILE" })).toEqual({
      ok: false,
      status: "rule",
      reason: "Pre-authorization is only available for payment cards",
    });
  });

  it("the first authorization of a CREATED or INITIATED transaction is its pre-authorization", () => {
    expect(decideAuthorization({ ...card, status: "CREATED", lastAuthorization: null })).toEqual({
      ok: true,
      kind: "PRE_AUTHORIZATION",
    });
    expect(decideAuthorization({ ...card, status: "INITIATED", lastAuthorization: null })).toEqual({
      ok: true,
      kind: "PRE_AUTHORIZATION",
    });
  });

  it("a captured, credited or cancelled transaction cannot be authorized", () => {
    for (const status of ["CAPTURED", "CREDITED", "CANCELLED"] as const)
      expect(decideAuthorization({ ...card, status })).toEqual({
        ok: false,
        status: "conflict",
        reason: `A ${status} transaction cannot be authorized`,
      });
  });

  it("an increment follows the pre-authorization or another increment", () => {
    expect(decideAuthorization(card)).toEqual({ ok: true, kind: "INCREMENTAL" });
    expect(decideAuthorization({ ...card, lastAuthorization: "INCREMENTAL" })).toEqual({
      ok: true,
      kind: "INCREMENTAL",
    });
    expect(decideAuthorization({ ...card, lastAuthorization: null })).toMatchObject({ ok: false, status: "conflict" });
  });

  it("a reduction may follow any authorization, and freezes the amount", () => {
    expect(decideAuthorization({ ...card, requested: money("60") })).toEqual({ ok: true, kind: "REDUCTIONAL" });
    expect(decideAuthorization({ ...card, lastAuthorization: "INCREMENTAL", requested: money("60") })).toEqual({
      ok: true,
      kind: "REDUCTIONAL",
    });
    expect(decideAuthorization({ ...card, amountFrozen: true, lastAuthorization: "REDUCTIONAL" })).toEqual({
      ok: false,
      status: "conflict",
      reason: "The amount is frozen after a reductional authorization",
    });
    expect(decideAuthorization({ ...card, amountFrozen: true, requested: money("50") })).toMatchObject({
      ok: false,
      status: "conflict",
    });
  });

  it("asking for the authorized amount again adjusts nothing", () => {
    expect(decideAuthorization({ ...card, requested: money("100") })).toEqual({
      ok: false,
      status: "rule",
      reason: "totalAmount equals the authorized amount; nothing to adjust",
    });
  });
});

describe("imports", () => {
  it("fill a CREATED transaction that was created with isImport, once", () => {
    expect(() => requireImportable({ isImport: true, status: "CREATED" })).not.toThrow();
    expect(thrown(() => requireImportable({ isImport: false, status: "CREATED" }))).toMatchObject({
      kind: "conflict",
      message: "Only a transaction created with isImport can be imported",
    });
    expect(thrown(() => requireImportable({ isImport: true, status: "CAPTURED" }))).toMatchObject({
      kind: "conflict",
      message: "The transaction is CAPTURED; only a CREATED one can be imported",
    });
  });

  it("a card import needs rrn, terminalId and paymentType; an e-card import its company and media", () => {
    expect(() => requireImportFields("PAYMENTCARD", { rrn: "1", terminalId: "T", paymentType: "VISA" })).not.toThrow();
    const card = thrown(() => requireImportFields("PAYMENTCARD", { rrn: "1" }));
    expect(card).toMatchObject({ kind: "invalid", message: "A PAYMENTCARD import needs terminalId, paymentType" });
    expect(card.errors).toEqual([
      { field: "terminalId", message: "is required for PAYMENTCARD imports" },
      { field: "paymentType", message: "is required for PAYMENTCARD imports" },
    ]);
    expect(thrown(() => requireImportFields("ECARD", { companyId: "" })).errors.map((e) => e.field)).toEqual([
      "companyId",
      "mediaSerialNumberId",
    ]);
    expect(() => requireImportFields("CASH", {})).not.toThrow();
  });

  it("a card's issuer becomes its payment type when it is a card scheme", () => {
    expect(importedPaymentType("PAYMENTCARD", "visa", null)).toBe("VISA");
    expect(importedPaymentType("PAYMENTCARD", "Some Bank", "MASTERCARD")).toBe("MASTERCARD");
    expect(importedPaymentType("PAYMENTCARD", "VIPPS", null)).toBeNull();
    expect(importedPaymentType("ECARD", "VISA", "ECARD")).toBe("ECARD");
    expect(importedPaymentType("PAYMENTCARD", undefined, "AMEX")).toBe("AMEX");
  });
});
