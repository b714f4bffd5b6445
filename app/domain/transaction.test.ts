import { DomainError } from "./errors";
import { money } from "./money";
import * as transaction from "./transaction";

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

const amounts = (overrides: Partial<Record<keyof ReturnType<typeof transaction.amountsOf>, string>> = {}) => {
  const base = {
    amount: "0",
    authorized: "0",
    captured: "0",
    credited: "0",
    cancelled: "0",
    reserved: "0",
    chargedBack: "0",
  };
  const all = { ...base, ...overrides };
  return {
    amount: money(all.amount),
    authorized: money(all.authorized),
    captured: money(all.captured),
    credited: money(all.credited),
    cancelled: money(all.cancelled),
    reserved: money(all.reserved),
    chargedBack: money(all.chargedBack),
  };
};

describe("amounts of a transaction", () => {
  it("reads the numeric(18,5) columns exactly", () => {
    expect(
      transaction.amountsOf({
        amount: "100.00000",
        authorizedAmount: "100.00000",
        capturedAmount: "99.99999",
        creditedAmount: "10.00001",
        cancelledAmount: "0.00000",
        reservedAmount: "5.00000",
        chargedBackAmount: "0.00000",
      }),
    ).toEqual(amounts({ amount: "100", authorized: "100", captured: "99.99999", credited: "10.00001", reserved: "5" }));
  });

  it("creditable is captured less credited less what open credits reserve", () => {
    expect(transaction.creditableAmount(amounts({ captured: "100", credited: "30", reserved: "20.5" }))).toBe(
      money("49.5"),
    );
    expect(transaction.creditableAmount(amounts({ captured: "100", credited: "100" }))).toBe(money("0"));
  });

  it("creditable is also less what open and lost chargebacks take", () => {
    expect(
      transaction.creditableAmount(amounts({ captured: "100", credited: "30", reserved: "20", chargedBack: "25.5" })),
    ).toBe(money("24.5"));
  });

  it("summarises the amounts the API shows, with the creditable amount", () => {
    expect(
      transaction.summaryOf(amounts({ authorized: "80", captured: "80", credited: "20", reserved: "10" })),
    ).toEqual({
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
    expect(transaction.holdsPaymentTotal("CANCELLED")).toBe(false);
    expect(transaction.holdsPaymentTotal("CREDITED")).toBe(false);
    for (const status of ["CREATED", "INITIATED", "AUTHORIZED", "CAPTURED"] as const)
      expect(transaction.holdsPaymentTotal(status)).toBe(true);
    expect(
      transaction.claimedTotal([
        { status: "CAPTURED", amount: money("40") },
        { status: "CANCELLED", amount: money("100") },
        { status: "CREDITED", amount: money("25") },
        { status: "CREATED", amount: money("10.5") },
      ]),
    ).toBe(money("50.5"));
  });

  it("a new transaction takes what is left by default, and never more than is left", () => {
    const payment = { paymentId: 7, totalAmount: money("100"), claimed: money("60") };
    expect(transaction.amountOfNewTransaction({ ...payment, requested: undefined })).toBe(money("40"));
    expect(transaction.amountOfNewTransaction({ ...payment, requested: money("40") })).toBe(money("40"));
    expect(transaction.amountOfNewTransaction({ ...payment, requested: money("0.01") })).toBe(money("0.01"));
    const over = thrown(() => transaction.amountOfNewTransaction({ ...payment, requested: money("40.00001") }));
    expect(over).toMatchObject({ kind: "rule", errors: [{ field: "amount" }] });
    expect(over.message).toBe("amount 40.00001 exceeds what is left of totalAmount (40.00 of 100.00)");
  });

  it("nothing is left to pay once the transactions cover totalAmount", () => {
    const error = thrown(() =>
      transaction.amountOfNewTransaction({
        paymentId: 7,
        totalAmount: money("100"),
        claimed: money("100"),
        requested: undefined,
      }),
    );
    expect(error).toMatchObject({ kind: "rule", errors: [{ field: "amount" }] });
    expect(error.message).toMatch(/Nothing is left to pay on payment 7/);
  });

  it("an authorization replaces its transaction's share: the others plus the new amount stay within the total", () => {
    expect(() =>
      transaction.requireAuthorizationWithinTotal({
        others: money("30"),
        requested: money("70"),
        totalAmount: money("100"),
      }),
    ).not.toThrow();
    expect(
      thrown(() =>
        transaction.requireAuthorizationWithinTotal({
          others: money("30"),
          requested: money("70.01"),
          totalAmount: money("100"),
        }),
      ),
    ).toMatchObject({ kind: "rule", errors: [{ field: "totalAmount" }] });
  });
});

describe("a new transaction", () => {
  it("is in its payment's currency", () => {
    expect(() => transaction.requirePaymentCurrency("NOK", "NOK")).not.toThrow();
    expect(thrown(() => transaction.requirePaymentCurrency("SEK", "NOK"))).toMatchObject({
      kind: "rule",
      message: "currency must be the payment's currency (NOK)",
      errors: [{ field: "currency" }],
    });
  });

  it("is paid from one source at most, and the refusal names each source given", () => {
    expect(() => transaction.requireOnePaymentSource({})).not.toThrow();
    expect(() => transaction.requireOnePaymentSource({ recurringPaymentId: 1 })).not.toThrow();
    expect(() =>
      transaction.requireOnePaymentSource({ paymentAgreementId: "a", createAgreement: false }),
    ).not.toThrow();
    const error = thrown(() => transaction.requireOnePaymentSource({ recurringPaymentId: 1, createAgreement: true }));
    expect(error.kind).toBe("invalid");
    expect(error.errors.map((e) => e.field)).toEqual(["recurringPaymentId", "createAgreement"]);
  });
});

describe("capture", () => {
  it("captures an AUTHORIZED transaction, and a CASH one straight from CREATED", () => {
    expect(transaction.checkCapture("AUTHORIZED", "PAYMENTCARD")).toEqual({ ok: true });
    expect(transaction.checkCapture("CREATED", "CASH")).toEqual({ ok: true });
  });

  it("refuses what is not capturable, saying why", () => {
    const refusals = [
      ["CAPTURED", "PAYMENTCARD", "The transaction is already captured"],
      ["CREDITED", "CASH", "The transaction is already captured"],
      ["CANCELLED", "PAYMENTCARD", "The transaction is cancelled"],
      ["CREATED", "PAYMENTCARD", "Only an AUTHORIZED transaction can be captured; this one is CREATED"],
      [
        "INITIATED",
        "CASH",
        "Only an AUTHORIZED transaction can be captured (or a CREATED cash one); this one is INITIATED",
      ],
    ] as const;
    for (const [status, group, reason] of refusals)
      expect(transaction.checkCapture(status, group), `${status} ${group}`).toEqual({ ok: false, reason });
  });

  it("takes what is authorized, or the whole amount when nothing was authorized separately", () => {
    expect(transaction.capturedAmountOf(amounts({ amount: "100", authorized: "80" }))).toBe(money("80"));
    expect(transaction.capturedAmountOf(amounts({ amount: "100" }))).toBe(money("100"));
  });
});

describe("cancel", () => {
  it("cancels CREATED, INITIATED and AUTHORIZED transactions", () => {
    expect([...transaction.CANCELLABLE].sort()).toEqual(["AUTHORIZED", "CREATED", "INITIATED"]);
    for (const status of transaction.CANCELLABLE) expect(transaction.checkCancel(status)).toEqual({ ok: true });
  });

  it("points a captured or credited transaction to a credit, and refuses cancelling twice", () => {
    expect(transaction.checkCancel("CAPTURED")).toEqual({
      ok: false,
      reason: "A CAPTURED transaction cannot be cancelled; credit it instead",
    });
    expect(transaction.checkCancel("CREDITED")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/credit it instead/),
    });
    expect(transaction.checkCancel("CANCELLED")).toEqual({ ok: false, reason: "The transaction is already cancelled" });
  });
});

describe("credit", () => {
  it("a transaction becomes CREDITED when its credited amount reaches the captured one, and stays otherwise", () => {
    expect(transaction.statusAfterCredit("CAPTURED", amounts({ captured: "100", credited: "60" }), money("40"))).toBe(
      "CREDITED",
    );
    expect(
      transaction.statusAfterCredit("CAPTURED", amounts({ captured: "100", credited: "60" }), money("39.99")),
    ).toBe("CAPTURED");
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
  /** The decision on an authorization of `card` with `change`. */
  const decide = (change: Partial<Parameters<typeof transaction.decideAuthorization>[0]> = {}) =>
    transaction.decideAuthorization({ ...card, ...change });

  it("is only for payment cards", () => {
    expect(decide({ group: "MOBILE" })).toEqual({
      ok: false,
      status: "rule",
      reason: "Pre-authorization is only available for payment cards",
    });
  });

  it("the first authorization of a CREATED or INITIATED transaction is its pre-authorization", () => {
    expect(decide({ status: "CREATED", lastAuthorization: null })).toEqual({ ok: true, kind: "PRE_AUTHORIZATION" });
    expect(decide({ status: "INITIATED", lastAuthorization: null })).toEqual({ ok: true, kind: "PRE_AUTHORIZATION" });
  });

  it("a captured, credited or cancelled transaction cannot be authorized", () => {
    for (const status of ["CAPTURED", "CREDITED", "CANCELLED"] as const)
      expect(decide({ status })).toEqual({
        ok: false,
        status: "conflict",
        reason: `A ${status} transaction cannot be authorized`,
      });
  });

  it("an increment follows the pre-authorization or another increment", () => {
    expect(decide()).toEqual({ ok: true, kind: "INCREMENTAL" });
    expect(decide({ lastAuthorization: "INCREMENTAL" })).toEqual({ ok: true, kind: "INCREMENTAL" });
    expect(decide({ lastAuthorization: null })).toMatchObject({ ok: false, status: "conflict" });
  });

  it("a reduction may follow any authorization, and freezes the amount", () => {
    expect(decide({ requested: money("60") })).toEqual({ ok: true, kind: "REDUCTIONAL" });
    expect(decide({ lastAuthorization: "INCREMENTAL", requested: money("60") })).toEqual({
      ok: true,
      kind: "REDUCTIONAL",
    });
    expect(decide({ amountFrozen: true, lastAuthorization: "REDUCTIONAL" })).toEqual({
      ok: false,
      status: "conflict",
      reason: "The amount is frozen after a reductional authorization",
    });
    expect(decide({ amountFrozen: true, requested: money("50") })).toMatchObject({ ok: false, status: "conflict" });
  });

  it("asking for the authorized amount again adjusts nothing", () => {
    expect(decide({ requested: money("100") })).toEqual({
      ok: false,
      status: "rule",
      reason: "totalAmount equals the authorized amount; nothing to adjust",
    });
  });
});

describe("imports", () => {
  it("fill a CREATED transaction that was created with isImport, once", () => {
    expect(() => transaction.requireImportable({ isImport: true, status: "CREATED" })).not.toThrow();
    expect(thrown(() => transaction.requireImportable({ isImport: false, status: "CREATED" }))).toMatchObject({
      kind: "conflict",
      message: "Only a transaction created with isImport can be imported",
    });
    expect(thrown(() => transaction.requireImportable({ isImport: true, status: "CAPTURED" }))).toMatchObject({
      kind: "conflict",
      message: "The transaction is CAPTURED; only a CREATED one can be imported",
    });
  });

  it("a card import needs rrn, terminalId and paymentType; an e-card import its company and media", () => {
    expect(() =>
      transaction.requireImportFields("PAYMENTCARD", { rrn: "1", terminalId: "T", paymentType: "VISA" }),
    ).not.toThrow();
    const card = thrown(() => transaction.requireImportFields("PAYMENTCARD", { rrn: "1" }));
    expect(card).toMatchObject({ kind: "invalid", message: "A PAYMENTCARD import needs terminalId, paymentType" });
    expect(card.errors).toEqual([
      { field: "terminalId", message: "is required for PAYMENTCARD imports" },
      { field: "paymentType", message: "is required for PAYMENTCARD imports" },
    ]);
    expect(
      thrown(() => transaction.requireImportFields("ECARD", { companyId: "" })).errors.map((e) => e.field),
    ).toEqual(["companyId", "mediaSerialNumberId"]);
    expect(() => transaction.requireImportFields("CASH", {})).not.toThrow();
  });

  it("a card's issuer becomes its payment type when it is a card scheme", () => {
    expect(transaction.importedPaymentType("PAYMENTCARD", "visa", null)).toBe("VISA");
    expect(transaction.importedPaymentType("PAYMENTCARD", "Some Bank", "MASTERCARD")).toBe("MASTERCARD");
    expect(transaction.importedPaymentType("PAYMENTCARD", "VIPPS", null)).toBeNull();
    expect(transaction.importedPaymentType("ECARD", "VISA", "ECARD")).toBe("ECARD");
    expect(transaction.importedPaymentType("PAYMENTCARD", undefined, "AMEX")).toBe("AMEX");
  });
});
