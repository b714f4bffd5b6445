import * as credit from "./credit";
import { money } from "./money";
import { domainError as error, ruleRefusal } from "../../tests/support/domain-errors";

describe("a new credit", () => {
  it("has at least one line", () => {
    expect(() => credit.requireCreditLines(1)).not.toThrow();
    expect(() => credit.requireCreditLines(0)).toThrow(
      error({ kind: "invalid", errors: [{ field: "creditTransactions", message: expect.any(String) }] }),
    );
  });

  it("totals exactly the sum of its lines", () => {
    expect(() => credit.requireTotalIsSumOfLines(money("30.5"), [money("10"), money("20.5")])).not.toThrow();
    expect(() => credit.requireTotalIsSumOfLines(money("30.50001"), [money("10"), money("20.5")])).toThrow(
      ruleRefusal(
        "totalCreditAmount",
        "totalCreditAmount 30.50001 must equal the sum of the credit transactions (30.50)",
      ),
    );
    expect(() => credit.requireTotalIsSumOfLines(money("1"), [money("2")], "; send creditTransactions too")).toThrow(
      error({ message: expect.stringMatching(/\(2\.00\); send creditTransactions too$/) }),
    );
  });

  it("pays back one organisation's money in one currency", () => {
    expect(() => credit.requireOneOrganisation([1, 1])).not.toThrow();
    expect(() => credit.requireOneOrganisation([1, 2])).toThrow(
      error({ kind: "rule", message: "All credited transactions must belong to one organisation" }),
    );
    expect(() => credit.requireCreditCurrency("creditTransactions[0]", "NOK", "NOK")).not.toThrow();
    expect(() => credit.requireCreditCurrency("creditTransactions[1]", "SEK", "NOK")).toThrow(
      ruleRefusal("currency", "creditTransactions[1]: the payment's currency SEK differs from the credit's NOK"),
    );
  });

  it("never takes more of a transaction than is creditable, counting its lines together", () => {
    const line = { field: "creditTransactions[1]", amount: money("30"), creditable: money("100"), transactionId: 9 };
    expect(() => credit.requireWithinCreditable({ ...line, taken: money("100") })).not.toThrow();
    expect(() => credit.requireWithinCreditable({ ...line, taken: money("100.00001") })).toThrow(
      ruleRefusal(
        "creditTransactions[1].amount",
        "creditTransactions[1].amount 30.00 exceeds the creditable amount 100.00 of transaction 9",
      ),
    );
  });
});

describe("how a line is reimbursed", () => {
  const card = { own: "PAYMENTCARD", paymentTypeGroup: "PAYMENTCARD" };

  it("the transaction's own way by default, or when asked for it or for its payment type group", () => {
    expect(credit.reimbursementChoice({ ...card, requested: undefined })).toEqual({
      group: "PAYMENTCARD",
      needsOverride: false,
    });
    expect(credit.reimbursementChoice({ own: "CASH", paymentTypeGroup: "MOBILE", requested: "MOBILE" })).toEqual({
      group: "MOBILE",
      needsOverride: false,
    });
  });

  it("cash always; another group only where the payment method allows overriding", () => {
    expect(credit.reimbursementChoice({ ...card, requested: "CASH" })).toEqual({ group: "CASH", needsOverride: false });
    expect(credit.reimbursementChoice({ ...card, requested: "INVOICE" })).toEqual({
      group: "INVOICE",
      needsOverride: true,
    });
  });
});

describe("a credit's life", () => {
  const open = { creditId: 3, status: "CREATED", active: true };
  const untouched = [{ status: "CREATED", providerReference: null }];

  it("changes only while active, CREATED and untouched by an execution", () => {
    expect(() => credit.requireCreditChangeable(open, untouched)).not.toThrow();
    expect(() => credit.requireCreditChangeable({ ...open, active: false }, untouched)).toThrow(
      error({ kind: "conflict", message: "Credit 3 is inactive; only an active CREATED credit can change" }),
    );
    expect(() => credit.requireCreditChangeable({ ...open, status: "CREDITED" }, untouched)).toThrow(
      error({ kind: "conflict", message: "Credit 3 is CREDITED; only an active CREATED credit can change" }),
    );
    const claimed = [{ status: "CREATED", providerReference: "credit-transaction-1" }];
    expect(() => credit.requireCreditChangeable(open, claimed)).toThrow(
      error({ kind: "conflict", message: "Credit 3 is being executed and can no longer change" }),
    );
    expect(() => credit.requireCreditChangeable(open, [{ status: "FAILED", providerReference: null }])).toThrow(
      error({ kind: "conflict" }),
    );
  });

  it("an inactive credit cannot be executed", () => {
    expect(() => credit.requireExecutable(open)).not.toThrow();
    expect(() => credit.requireExecutable({ ...open, active: false })).toThrow(
      error({ kind: "conflict", message: "Credit 3 is inactive and cannot be executed" }),
    );
  });

  it("is CREDITED once every line is", () => {
    expect(credit.isFullyCredited([{ status: "CREDITED" }, { status: "CREDITED" }])).toBe(true);
    expect(credit.isFullyCredited([{ status: "CREDITED" }, { status: "FAILED" }])).toBe(false);
    expect(credit.isFullyCredited([{ status: "CREDITED" }, { status: "CREATED" }])).toBe(false);
  });
});

describe("a direct credit of one transaction", () => {
  const captured = { transactionId: 4, status: "CAPTURED" as const, creditable: money("60") };

  it("credits everything creditable by default, or the amount asked for", () => {
    expect(credit.directCreditAmount({ ...captured, requested: undefined })).toBe(money("60"));
    expect(credit.directCreditAmount({ ...captured, requested: money("0.01") })).toBe(money("0.01"));
  });

  it("only credits a CAPTURED transaction", () => {
    expect(() => credit.directCreditAmount({ ...captured, status: "CREDITED", requested: undefined })).toThrow(
      error({ kind: "conflict", message: "The transaction is already fully credited" }),
    );
    expect(() => credit.directCreditAmount({ ...captured, status: "AUTHORIZED", requested: undefined })).toThrow(
      error({ kind: "conflict", message: "Only a CAPTURED transaction can be credited; this one is AUTHORIZED" }),
    );
  });

  it("refuses when other credits reserve the rest, and never credits more than creditable", () => {
    expect(() => credit.directCreditAmount({ ...captured, creditable: money("0"), requested: undefined })).toThrow(
      error({ kind: "conflict", message: expect.stringMatching(/^Nothing is left to credit/) }),
    );
    expect(() => credit.directCreditAmount({ ...captured, requested: money("60.00001") })).toThrow(
      ruleRefusal("amount", "amount 60.00001 exceeds the creditable amount 60.00 of transaction 4"),
    );
  });
});
