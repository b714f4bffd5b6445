import { describe, expect, it } from "vitest";
import { colorSchemeFromCookie } from "./color-scheme";

describe("colorSchemeFromCookie", () => {
  it("reads the choice among other cookies", () => {
    expect(colorSchemeFromCookie("a=1; paydesk_color_scheme=dark; b=2")).toBe("dark");
    expect(colorSchemeFromCookie("paydesk_color_scheme=light")).toBe("light");
  });

  it("follows the system without a cookie or with a value it does not know", () => {
    expect(colorSchemeFromCookie(null)).toBe("auto");
    expect(colorSchemeFromCookie("paydesk_color_scheme=purple")).toBe("auto");
    expect(colorSchemeFromCookie("other_paydesk_color_scheme=dark")).toBe("auto");
  });
});
