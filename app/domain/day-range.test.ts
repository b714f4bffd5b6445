import { describe, expect, it } from "vitest";
import { addDays, daysOf, isDay, parseCurrencyParam, parseDayRange, rangeParams } from "./day-range";

const options = { today: "2026-03-01", defaultPreset: "30d", maxDays: 366 } as const;
const parse = (query: string) => parseDayRange(new URLSearchParams(query), options);

describe("parseDayRange", () => {
  it("ends every preset today and counts today as one of its days", () => {
    expect(parse("range=today").range).toEqual({ from: "2026-03-01", to: "2026-03-01", preset: "today" });
    // 2026 is not a leap year: 7 days back from 1 March crosses 28 February.
    expect(parse("range=7d").range).toEqual({ from: "2026-02-23", to: "2026-03-01", preset: "7d" });
    expect(daysOf(parse("range=90d").range)).toHaveLength(90);
    expect(parse("").range).toEqual({ ...parse("range=30d").range });
    expect(parse("").errors).toEqual([]);
  });

  it("takes a custom range with both days included", () => {
    const { range, errors } = parse("from=2026-02-27&to=2026-03-01");
    expect(errors).toEqual([]);
    expect(range).toEqual({ from: "2026-02-27", to: "2026-03-01", preset: "custom" });
    expect(daysOf(range)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(rangeParams(range)).toEqual({ from: "2026-02-27", to: "2026-03-01" });
  });

  it("names the parameter it could not use and falls back to the default", () => {
    const fallback = parse("range=30d").range;
    for (const [query, field] of [
      ["range=week", "range"],
      ["from=2026-02-30&to=2026-03-01", "from"],
      ["from=yesterday&to=2026-03-01", "from"],
      ["from=2026-02-01", "to"],
      ["to=2026-02-01", "from"],
      ["from=2026-03-01&to=2026-02-01", "to"],
      ["from=2020-01-01&to=2026-01-01", "to"],
      ["from=2026-1-1&to=2026-01-02", "from"],
    ] as const) {
      const { range, errors } = parse(query);
      expect(range, query).toEqual(fallback);
      expect(
        errors.map((error) => error.field),
        query,
      ).toContain(field);
      expect(
        errors.every((error) => error.message.length > 10),
        query,
      ).toBe(true);
    }
  });
});

describe("days", () => {
  it("knows real calendar days", () => {
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2026-13-01")).toBe(false);
    expect(isDay("0000-01-01")).toBe(false);
    expect(isDay("2026-01-01T00:00:00Z")).toBe(false);
  });

  it("steps across months and years", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});

describe("parseCurrencyParam", () => {
  it("upper-cases a code and refuses anything that is not three letters", () => {
    expect(parseCurrencyParam("nok")).toEqual({ currency: "NOK", error: null });
    expect(parseCurrencyParam(null)).toEqual({ currency: null, error: null });
    expect(parseCurrencyParam("kroner").error?.field).toBe("currency");
  });
});
