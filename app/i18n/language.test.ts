import { describe, expect, it } from "vitest";
import { languageFromAcceptLanguage } from "./language";

describe("languageFromAcceptLanguage", () => {
  it("reads every Norwegian as bokmål", () => {
    for (const header of ["nb", "no", "nn", "nb-NO,nb;q=0.9", "nn-NO", "no;q=0.8, de;q=0.9"])
      expect(languageFromAcceptLanguage(header)).toBe("nb");
  });

  it("takes the most wanted language it speaks", () => {
    expect(languageFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(languageFromAcceptLanguage("en;q=0.5, nb;q=0.8")).toBe("nb");
    expect(languageFromAcceptLanguage("de, en;q=0.7, nb;q=0.6")).toBe("en");
    expect(languageFromAcceptLanguage("nb;q=0, en")).toBe("en");
  });

  it("falls back to English", () => {
    expect(languageFromAcceptLanguage(null)).toBe("en");
    expect(languageFromAcceptLanguage("")).toBe("en");
    expect(languageFromAcceptLanguage("de-DE, fr")).toBe("en");
    expect(languageFromAcceptLanguage("*")).toBe("en");
  });
});
