import { describe, expect, it } from "vitest";
import {
  add,
  compare,
  formatAmount,
  money,
  parseAmount,
  parsePositiveAmount,
  subtract,
  sum,
  toDbAmount,
  type Money,
} from "./money";

const parsed = (input: unknown): Money => {
  const result = parseAmount(input);
  if (!result.ok) throw new Error(`expected ${String(input)} to parse: ${result.message}`);
  return result.value;
};

describe("parseAmount", () => {
  it.each([
    ["0", 0n],
    ["1", 100000n],
    ["100.00", 10000000n],
    ["0.12345", 12345n],
    ["0.1", 10000n],
    ["10.5", 1050000n],
    ["9999999999999.99999", 999999999999999999n], // 18 digits: the ISO 20022 maximum
  ])("accepts %s", (input, expected) => {
    expect(parsed(input)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    [" 1.00", "leading whitespace"],
    ["1.00 ", "trailing whitespace"],
    ["01.00", "leading zero"],
    ["00", "leading zeros"],
    ["-1.00", "negative"],
    ["+1.00", "explicit sign"],
    ["1e3", "exponent"],
    ["1E-2", "exponent"],
    ["1,00", "comma"],
    ["1.", "dot without decimals"],
    [".5", "no integer part"],
    ["0.123456", "six decimals"],
    ["10000000000000.00", "14 integer digits (19 in all)"],
    ["99999999999999", "14 integer digits"],
    ["NaN", "not a number"],
    ["Infinity", "infinity"],
    ["0x10", "hex"],
    ["1_000", "separator"],
    ["١٢", "non-ASCII digits"],
  ])("rejects %j (%s)", (input) => {
    const result = parseAmount(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/decimal string/);
  });

  it.each([[10.5], [100], [null], [undefined], [{}], [["1.00"]], [10n]])("rejects the non-string %s", (input) => {
    expect(parseAmount(input).ok).toBe(false);
  });

  it("requires more than zero where something is paid", () => {
    expect(parsePositiveAmount("0").ok).toBe(false);
    expect(parsePositiveAmount("0.00000").ok).toBe(false);
    expect(parsePositiveAmount("0.00001")).toEqual({ ok: true, value: 1n });
  });
});

describe("formatAmount", () => {
  it.each([
    ["100", "100.00"],
    ["100.5", "100.50"],
    ["0.12345", "0.12345"],
    ["10.12000", "10.12"],
    ["10.12300", "10.123"],
    ["0", "0.00"],
    ["9999999999999.99999", "9999999999999.99999"],
    ["-5.1", "-5.10"],
  ])("renders %s as %s", (input, expected) => {
    expect(formatAmount(money(input))).toBe(expected);
  });

  it("round-trips every accepted API string to its canonical form", () => {
    for (const input of ["1", "1.1", "1.10", "1.00001", "123456789.5"]) {
      expect(parsed(formatAmount(parsed(input)))).toBe(parsed(input));
    }
  });
});

describe("arithmetic", () => {
  it("is exact where floats are not", () => {
    // 0.1 + 0.2 !== 0.3 in floating point
    expect(formatAmount(add(money("0.1"), money("0.2")))).toBe("0.30");
    expect(formatAmount(subtract(money("1.00001"), money("0.00002")))).toBe("0.99999");
    expect(formatAmount(sum(Array.from({ length: 10 }, () => money("0.1"))))).toBe("1.00");
  });

  it("keeps 18 digits without loss", () => {
    const max = money("9999999999999.99999");
    expect(toDbAmount(subtract(max, money("0.00001")))).toBe("9999999999999.99998");
    expect(toDbAmount(add(max, max))).toBe("19999999999999.99998");
  });

  it("compares", () => {
    expect(compare(money("1.00"), money("1"))).toBe(0);
    expect(compare(money("0.00001"), money("0"))).toBe(1);
    expect(compare(money("2"), money("10"))).toBe(-1);
  });

  it("reads the database's numeric(18,5) text", () => {
    expect(money("100.00000")).toBe(10000000n);
    expect(toDbAmount(money("0.5"))).toBe("0.50000");
    expect(() => money("abc")).toThrow();
  });
});
