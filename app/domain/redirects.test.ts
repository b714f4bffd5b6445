import { describe, expect, it } from "vitest";
import { isAllowedRedirect } from "./redirects";

describe("isAllowedRedirect", () => {
  const prefixes = ["https://shop.example/", "https://pay.example", "http://localhost:"];
  it.each([
    ["https://shop.example/return?x=1", true],
    ["https://pay.example", true],
    ["https://pay.example/done", true],
    ["https://pay.example?x", true],
    ["http://localhost:3000/back", true],
    ["http://localhost:8080", true],
    ["https://pay.example.evil.test/", false],
    ["https://shop.example.evil.test/", false],
    ["http://localhost:@evil.test/", false],
    ["http://localhost:3000@evil.test/", false],
    ["http://localhost.evil.test/", false],
    ["https://user:pw@shop.example/", false],
    ["javascript:alert(1)", false],
    ["not a url", false],
  ])("%s → %s", (url, allowed) => {
    expect(isAllowedRedirect(url, prefixes)).toBe(allowed);
  });

  it("allows nothing without prefixes", () => {
    expect(isAllowedRedirect("https://shop.example/", [])).toBe(false);
  });
});
