import { money, type Money } from "./money";
import {
  bulkCreditAmount,
  bulkCreditPlanText,
  describeAmountRule,
  parsePercentage,
  planBulkCredit,
  readAmountRule,
  type BulkAmountRule,
  type BulkCreditCandidate,
} from "./bulk-credit";

const pct = (text: string): BulkAmountRule => {
  const parsed = parsePercentage(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rule;
};

describe("parsePercentage", () => {
  it("reads 0.01 to 100 with up to two decimals, a dot or a comma, an optional %", () => {
    expect(pct("50")).toEqual({ kind: "percentage", hundredths: 5000n });
    expect(pct("12,5")).toEqual({ kind: "percentage", hundredths: 1250n });
    expect(pct(" 0.01 % ")).toEqual({ kind: "percentage", hundredths: 1n });
    expect(pct("100.00")).toEqual({ kind: "percentage", hundredths: 10000n });
  });

  it.each(["0", "0.00", "100.01", "101", "-5", "1e2", "12.345", "", "abc", "050"])("refuses %j", (text) => {
    expect(parsePercentage(text)).toMatchObject({ ok: false, message: expect.stringContaining("0.01 to 100") });
  });

  it("is recorded and read back as typed", () => {
    expect(describeAmountRule(pct("12,5"))).toBe("12.5");
    expect(describeAmountRule(pct("50.00"))).toBe("50");
    expect(readAmountRule("12.5")).toEqual(pct("12.5"));
    expect(readAmountRule("full")).toEqual({ kind: "full" });
  });
});

describe("bulkCreditAmount", () => {
  it("full is exactly the creditable amount, sub-øre digits included", () => {
    expect(bulkCreditAmount(money("100.12345"), { kind: "full" })).toBe(money("100.12345"));
  });

  it("a percentage rounds down to whole øre", () => {
    expect(bulkCreditAmount(money("100.00"), pct("50"))).toBe(money("50.00"));
    expect(bulkCreditAmount(money("0.03"), pct("50"))).toBe(money("0.01")); // 0.015 → 0.01
    expect(bulkCreditAmount(money("99.99"), pct("33.33"))).toBe(money("33.32")); // 33.326667 → 33.32
    expect(bulkCreditAmount(money("0.01"), pct("50"))).toBe(money("0")); // 0.005 → nothing
  });

  it("100 % of an amount with sub-øre digits stays within it", () => {
    expect(bulkCreditAmount(money("10.00999"), pct("100"))).toBe(money("10.00"));
  });

  it("two halves never exceed the whole", () => {
    const creditable = money("0.03");
    const first = bulkCreditAmount(creditable, pct("50"));
    const second = bulkCreditAmount((creditable - first) as Money, pct("100"));
    expect(first + second).toBe(creditable);
  });

  it("nothing creditable gives nothing", () => {
    expect(bulkCreditAmount(money("0"), { kind: "full" })).toBe(money("0"));
  });
});

describe("planBulkCredit", () => {
  const candidate = (
    paymentId: number,
    transactions: BulkCreditCandidate["transactions"],
    overrides: Partial<BulkCreditCandidate> = {},
  ): [number, BulkCreditCandidate] => [
    paymentId,
    { paymentId, organisationId: 1, currency: "NOK", transactions, ...overrides },
  ];
  const captured = (transactionId: number, creditable: string) => ({
    transactionId,
    status: "CAPTURED",
    creditable: money(creditable),
  });

  it("credits every captured transaction's share and says why each other payment is skipped", () => {
    const candidates = new Map([
      candidate(3, [captured(30, "100.00"), { transactionId: 31, status: "AUTHORIZED", creditable: money("0") }]),
      candidate(1, [captured(10, "20.00"), captured(11, "0.00")]),
      candidate(2, [{ transactionId: 20, status: "AUTHORIZED", creditable: money("0") }]),
      candidate(4, [captured(40, "0")]),
      candidate(5, [captured(50, "5.00")], { organisationId: 2 }),
      candidate(6, [captured(60, "0.01")]),
      candidate(7, [captured(70, "12.00")], { currency: "SEK" }),
    ]);
    const plan = planBulkCredit([7, 6, 5, 4, 3, 2, 1, 99, 1], candidates, pct("50"));
    expect(plan.organisationId).toBe(1);
    expect(plan.items).toEqual([
      {
        kind: "credit",
        paymentId: 1,
        organisationId: 1,
        currency: "NOK",
        total: money("10.00"),
        lines: [{ paymentId: 1, transactionId: 10, amount: money("10.00") }],
      },
      expect.objectContaining({ kind: "skip", paymentId: 2, reason: "No captured transaction" }),
      expect.objectContaining({ kind: "credit", paymentId: 3, total: money("50.00") }),
      expect.objectContaining({
        kind: "skip",
        paymentId: 4,
        reason: expect.stringContaining("Nothing left to credit"),
      }),
      expect.objectContaining({ kind: "skip", paymentId: 5, reason: expect.stringContaining("Another organisation") }),
      // The smallest amount is a decimal value of its key, said in the reader's number format.
      {
        kind: "skip",
        paymentId: 6,
        reason: expect.stringContaining("less than 0.01"),
        say: { key: "bulk.skip.belowSmallest", values: { smallest: "0.01" } },
      },
      expect.objectContaining({ kind: "credit", paymentId: 7, currency: "SEK", total: money("6.00") }),
      { kind: "skip", paymentId: 99, reason: "Not found", say: { key: "bulk.skip.notFound" } },
    ]);
    expect(plan.totals).toEqual([
      { currency: "NOK", count: 2, total: money("60.00") },
      { currency: "SEK", count: 1, total: money("6.00") },
    ]);
  });

  it("the plan's text changes when an amount or a skip does, not when the selection's order does", () => {
    const candidates = new Map([candidate(1, [captured(10, "20.00")]), candidate(2, [captured(20, "8.00")])]);
    const text = bulkCreditPlanText(planBulkCredit([1, 2], candidates, { kind: "full" }));
    expect(bulkCreditPlanText(planBulkCredit([2, 1], candidates, { kind: "full" }))).toBe(text);
    const reserved = new Map([candidate(1, [captured(10, "19.00")]), candidate(2, [captured(20, "8.00")])]);
    expect(bulkCreditPlanText(planBulkCredit([1, 2], reserved, { kind: "full" }))).not.toBe(text);
  });
});
