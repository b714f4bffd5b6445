import { DomainError } from "./errors";
import {
  channelProblem,
  checkClientSettings,
  MAX_CHANNELS,
  MAX_REDIRECT_PREFIXES,
  organisationIdProblem,
  splitList,
} from "./api-clients";

/** The field errors checkClientSettings throws, or [] when it accepts. */
function errorsOf(input: Parameters<typeof checkClientSettings>[0]) {
  try {
    checkClientSettings(input);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.kind).toBe("invalid");
    // The English words; the locale keys (`say`) are what the staff screens show instead.
    return error.errors.map(({ field, message }) => ({ field, message }));
  }
}

describe("channelProblem", () => {
  it("accepts lowercase letters, digits and dashes, starting with a letter or digit, up to 40 characters", () => {
    for (const channel of ["web", "app", "pos-2", "9", "a".repeat(40)]) expect(channelProblem(channel)).toBeNull();
  });

  it("refuses upper case, other characters, a leading dash, empty and too long names", () => {
    for (const channel of ["Web", "web app", "web_app", "-web", "", "a".repeat(41), "wéb"]) {
      expect(channelProblem(channel)).toContain("is not a channel name");
    }
  });
});

describe("organisationIdProblem", () => {
  it("accepts whole numbers from 1 to the int4 maximum", () => {
    for (const text of ["1", "42", "2147483647"]) expect(organisationIdProblem(text)).toBeNull();
  });

  it("refuses 0, leading zeros, signs, decimals, words and numbers past int4", () => {
    for (const text of ["0", "007", "-1", "+1", "1.5", "one", "", "2147483648", "99999999999"]) {
      expect(organisationIdProblem(text)).toBe(`must be a whole number from 1 to 2147483647, got "${text}"`);
    }
  });
});

describe("splitList", () => {
  it("splits on commas and new lines, trims, and drops blanks", () => {
    expect(splitList("web, app\npos ,,\n  \n")).toEqual(["web", "app", "pos"]);
    expect(splitList("")).toEqual([]);
  });
});

describe("checkClientSettings", () => {
  it("accepts good channels and redirect prefixes, and fields that are not given", () => {
    expect(errorsOf({ channels: ["web", "app"], allowedRedirectPrefixes: ["https://shop.example/"] })).toEqual([]);
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ allowedRedirectPrefixes: [] })).toEqual([]);
  });

  it("needs at least one channel when channels are given", () => {
    expect(errorsOf({ channels: [] })).toEqual([
      { field: "channels", message: "needs at least one channel, e.g. web" },
    ]);
  });

  it("allows at most MAX_CHANNELS channels and MAX_REDIRECT_PREFIXES prefixes", () => {
    const channels = Array.from({ length: MAX_CHANNELS + 1 }, (_, i) => `c${i}`);
    const prefixes = Array.from({ length: MAX_REDIRECT_PREFIXES + 1 }, (_, i) => `https://shop${i}.example/`);
    expect(errorsOf({ channels: channels.slice(0, MAX_CHANNELS) })).toEqual([]);
    expect(errorsOf({ channels })).toEqual([{ field: "channels", message: `must be at most ${MAX_CHANNELS}` }]);
    expect(errorsOf({ allowedRedirectPrefixes: prefixes })).toEqual([
      { field: "allowedRedirectPrefixes", message: `must be at most ${MAX_REDIRECT_PREFIXES}` },
    ]);
  });

  it("names a bad channel and a bad prefix, both at once", () => {
    expect(errorsOf({ channels: ["web", "Bad Channel"], allowedRedirectPrefixes: ["ftp://files.example/"] })).toEqual([
      { field: "channels", message: channelProblem("Bad Channel") },
      {
        field: "allowedRedirectPrefixes",
        message: '"ftp://files.example/" is not an http(s) URL prefix such as https://shop.example/',
      },
    ]);
  });
});
