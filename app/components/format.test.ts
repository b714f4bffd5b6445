import { formatAmountForInput, formatCount, formatDateTime, formatDay, formatMoney, formatUtc } from "./format";
import { parseTypedPositiveAmount } from "../domain/typed-amount";

// Intl separates groups with a narrow no-break space in nb-NO; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("formats a database amount in the currency's digits", () => {
    expect(plain(formatMoney("199.00000", "NOK"))).toBe("199,00 kr");
    expect(plain(formatMoney("10.5", "EUR"))).toBe("10,50 €");
  });

  it("keeps every digit of amounts a float cannot hold", () => {
    // 1234567890123.99999 as a double is 1234567890123.9999 (rounded); the string stays exact.
    expect(plain(formatMoney("1234567890123.99999", "NOK"))).toBe("1 234 567 890 123,99999 kr");
    expect(plain(formatMoney("0.12345", "NOK"))).toBe("0,12345 kr");
  });

  it("falls back to the raw amount for an unknown currency code", () => {
    expect(formatMoney("5.00", "not-a-code")).toBe("5.00 not-a-code");
  });
});

// An instant in the user's time zone (formatDateTime), a day in the user's language (formatDay).
describe("formatDateTime and formatDay", () => {
  it.each([
    [
      "the instant in the user's time zone, winter",
      () => formatDateTime("2026-03-05T13:22:01.123Z", "Europe/Oslo"),
      "2026-03-05 14:22:01",
    ],
    [
      "the instant in the user's time zone, summer",
      () => formatDateTime("2026-07-05T23:22:01Z", "Europe/Oslo"),
      "2026-07-06 01:22:01",
    ],
    [
      "the instant in UTC for an unknown time zone",
      () => formatDateTime("2026-03-05T13:22:01Z", "Nowhere/Atlantis"),
      "2026-03-05 13:22:01",
    ],
    ["a bad date as given", () => formatDateTime("yesterday", "UTC"), "yesterday"],
    ["the ISO day in English", () => formatDay("2026-03-05", "en"), "2026-03-05"],
    ["the Norwegian day with dots", () => formatDay("2026-03-05", "nb"), "05.03.2026"],
    ["what is not a day as given", () => formatDay("2026-3-5", "nb"), "2026-3-5"],
    ["an empty day as given", () => formatDay("", "nb"), ""],
  ])("shows %s", (_, format, shown) => {
    expect(format()).toBe(shown);
  });

  it("gives the UTC ISO time for the tooltip", () => {
    expect(formatUtc("2026-03-05T14:22:01+01:00")).toBe("2026-03-05T13:22:01.000Z");
  });
});

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(plain(formatCount(3000))).toBe("3 000");
  });
});

describe("formatting per language", () => {
  it("writes money the English and the Norwegian way, exactly", () => {
    expect(formatMoney("2596.50000", "NOK", "en-GB")).toBe("NOK\u00a02,596.50");
    expect(formatMoney("2596.50000", "NOK", "nb-NO")).toMatch(/^2\s596,50\s+kr$/);
    expect(formatMoney("12345678901234.12345", "NOK", "en-GB")).toBe("NOK\u00a012,345,678,901,234.12345");
  });

  it("writes instants sortably in English and the Norwegian way in Norwegian", () => {
    const at = "2026-03-05T13:22:01Z";
    expect(formatDateTime(at, "Europe/Oslo", "en")).toBe("2026-03-05 14:22:01");
    expect(formatDateTime(at, "Europe/Oslo", "nb")).toBe("05.03.2026 14:22:01");
  });
});

describe("formatAmountForInput", () => {
  it("writes an amount as the reader types it, exactly, and the field reads it back as the same amount", () => {
    expect(formatAmountForInput("2596.50", "nb-NO")).toBe("2596,50");
    expect(formatAmountForInput("2596.50", "en-GB")).toBe("2596.50");
    expect(formatAmountForInput("9", "nb-NO")).toBe("9,00");
    expect(formatAmountForInput("12345678901234.12345", "nb-NO")).toBe("12345678901234,12345");
    for (const locale of ["nb-NO", "en-GB"]) {
      const typed = parseTypedPositiveAmount(formatAmountForInput("2596.5", locale));
      expect(typed).toMatchObject({ ok: true, value: 259650000n });
    }
  });

  it("leaves anything that is not a plain decimal as it is", () => {
    expect(formatAmountForInput("", "nb-NO")).toBe("");
    expect(formatAmountForInput("abc", "nb-NO")).toBe("abc");
  });
});
