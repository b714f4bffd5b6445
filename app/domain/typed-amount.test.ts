import { describe, expect, it } from "vitest";
import { parseTypedAmount, parseTypedPositiveAmount } from "./typed-amount";

describe("parseTypedAmount", () => {
  it.each([
    ["2596,50", 259650000n, "2596.50"],
    ["2596.50", 259650000n, "2596.50"],
    ["2596", 259600000n, "2596.00"],
    ["2 596,50", 259650000n, "2596.50"],
    ["2\u00a0596,50", 259650000n, "2596.50"], // no-break space, as Intl prints nb-NO
    ["2\u202f596,50", 259650000n, "2596.50"], // narrow no-break space
    ["2\u2009596,50", 259650000n, "2596.50"], // thin space
    ["12 345 678.9", 1234567890000n, "12345678.90"],
    ["  99,5 ", 9950000n, "99.50"],
    ["0,50", 50000n, "0.50"],
    ["0", 0n, "0.00"],
    ["1,23456", 123456n, "1.23456"],
    ["9999999999999,99999", 999999999999999999n, "9999999999999.99999"],
  ])("accepts %j as %s", (input, value, text) => {
    expect(parseTypedAmount(input)).toEqual({ ok: true, value, text });
  });

  it.each([
    ["", "Enter an amount"],
    ["   ", "Enter an amount"],
    ["abc", "Enter an amount like 2 596,50"],
    ["2.596,50", "Enter an amount like 2 596,50"], // two separators: which one is the decimal?
    ["2,596.50", "Enter an amount like 2 596,50"],
    ["25 96", "Enter an amount like 2 596,50"], // groups are of three
    ["2  596", "Enter an amount like 2 596,50"],
    ["2596,", "Enter an amount like 2 596,50"],
    [",50", "Enter an amount like 2 596,50"],
    ["1e3", "Enter an amount like 2 596,50"],
    ["2596 kr", "Enter an amount like 2 596,50"],
    ["０１", "Enter an amount like 2 596,50"], // full-width digits
    ["-5", "Enter the amount without a sign, like 2 596,50"],
    ["+5", "Enter the amount without a sign, like 2 596,50"],
    ["1,234567", "Use at most 5 decimals"],
    ["10000000000000", "The amount is too large"],
  ])("refuses %j", (input, message) => {
    expect(parseTypedAmount(input)).toMatchObject({ ok: false, message });
  });

  it("never says the API's grammar", () => {
    for (const input of ["x", "1.2.3", "-1", "1,1234567"]) {
      const parsed = parseTypedAmount(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).not.toMatch(/decimal string|exponent|leading zeros/);
    }
  });
});

describe("parseTypedPositiveAmount", () => {
  it("refuses zero in words", () => {
    expect(parseTypedPositiveAmount("0,00")).toMatchObject({ ok: false, message: "Enter an amount greater than 0" });
  });
  it("accepts what parseTypedAmount accepts above zero", () => {
    expect(parseTypedPositiveAmount("2 596,50")).toEqual({ ok: true, value: 259650000n, text: "2596.50" });
  });
});
