import { describe, expect, it } from "vitest";
import { colorSchemeFromCookie } from "./color-scheme";

describe("colorSchemeFromCookie", () => {
  it.each([
    ["reads the choice among other cookies", "a=1; paydesk_color_scheme=dark; b=2", "dark"],
    ["reads the choice alone", "paydesk_color_scheme=light", "light"],
    ["follows the system without a cookie", null, "auto"],
    ["follows the system with a value it does not know", "paydesk_color_scheme=purple", "auto"],
    ["follows the system for another cookie that ends in the name", "other_paydesk_color_scheme=dark", "auto"],
  ] as const)("%s", (_, cookie, scheme) => {
    expect(colorSchemeFromCookie(cookie)).toBe(scheme);
  });
});
