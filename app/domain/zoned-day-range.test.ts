import { dayIn, daysBefore, readDayRange, startOfDay } from "./zoned-day-range";

describe("startOfDay", () => {
  it("is local midnight in the staff user's zone, winter and summer", () => {
    expect(startOfDay("2026-01-15", "Europe/Oslo").toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(startOfDay("2026-07-15", "Europe/Oslo").toISOString()).toBe("2026-07-14T22:00:00.000Z");
    expect(startOfDay("2026-07-15", "America/New_York").toISOString()).toBe("2026-07-15T04:00:00.000Z");
    expect(startOfDay("2026-07-15", "UTC").toISOString()).toBe("2026-07-15T00:00:00.000Z");
  });

  it("gets the days around a DST change right (Oslo: 2026-03-29 and 2026-10-25)", () => {
    expect(startOfDay("2026-03-29", "Europe/Oslo").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfDay("2026-03-30", "Europe/Oslo").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfDay("2026-10-25", "Europe/Oslo").toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(startOfDay("2026-10-26", "Europe/Oslo").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("treats an unknown zone as UTC", () => {
    expect(startOfDay("2026-07-15", "Nowhere/Atlantis").toISOString()).toBe("2026-07-15T00:00:00.000Z");
  });
});

describe("readDayRange", () => {
  const read = (query: string, zone = "Europe/Oslo") => readDayRange(new URLSearchParams(query), zone);

  it("turns inclusive days into UTC bounds: from its midnight to the next midnight after `to`", () => {
    const outcome = read("from=2026-11-01&to=2026-11-07");
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.bounds.gte?.toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(outcome.bounds.lt?.toISOString()).toBe("2026-11-07T23:00:00.000Z");
  });

  it("allows open ends and no range", () => {
    const open = read("to=2026-11-07");
    expect(open.ok && open.bounds.gte === null && open.bounds.lt?.toISOString()).toBe("2026-11-07T23:00:00.000Z");
    const none = read("");
    expect(none.ok && none.bounds).toEqual({ gte: null, lt: null });
  });

  it("refuses malformed days, impossible days and a range ending before it starts", () => {
    for (const query of [
      "from=yesterday",
      "from=2026-02-30",
      "to=2026-13-01",
      "from=9999-12-31",
      "from=2026-11-08&to=2026-11-07",
    ]) {
      const outcome = read(query);
      expect(outcome.ok, query).toBe(false);
      if (!outcome.ok) expect(outcome.message, query).toMatch(/from|to|range/);
    }
  });
});

describe("days for presets", () => {
  it("knows which day it is in a zone and counts back across months", () => {
    expect(dayIn(new Date("2026-07-14T22:30:00Z"), "Europe/Oslo")).toBe("2026-07-15");
    expect(dayIn(new Date("2026-07-14T22:30:00Z"), "UTC")).toBe("2026-07-14");
    expect(daysBefore("2026-03-02", 6)).toBe("2026-02-24");
  });
});
