import { describe, expect, it } from "vitest";
import { isOriginAllowed } from "./origin";
import { safeRedirect } from "./safe-redirect";

const base = { host: "paydesk.example", path: "/payments/1", origin: undefined, referer: undefined };

describe("isOriginAllowed", () => {
  it("lets safe methods through", () => {
    expect(isOriginAllowed({ ...base, method: "GET" })).toBe(true);
    expect(isOriginAllowed({ ...base, method: "HEAD" })).toBe(true);
  });
  it("accepts a same-origin POST by Origin or, without it, by Referer", () => {
    expect(isOriginAllowed({ ...base, method: "POST", origin: "https://paydesk.example" })).toBe(true);
    expect(isOriginAllowed({ ...base, method: "POST", referer: "https://paydesk.example/payments" })).toBe(true);
  });
  it("refuses cross-site, opaque and missing origins", () => {
    expect(isOriginAllowed({ ...base, method: "POST", origin: "https://evil.example" })).toBe(false);
    expect(isOriginAllowed({ ...base, method: "POST", origin: "https://paydesk.example.evil.example" })).toBe(false);
    expect(isOriginAllowed({ ...base, method: "POST", origin: "null" })).toBe(false);
    expect(isOriginAllowed({ ...base, method: "DELETE" })).toBe(false);
    expect(isOriginAllowed({ ...base, method: "POST", origin: "not a url" })).toBe(false);
  });
  it("leaves the bearer-token API to its own authentication", () => {
    expect(isOriginAllowed({ ...base, method: "POST", path: "/v1/payments" })).toBe(true);
    expect(isOriginAllowed({ ...base, method: "POST", path: "/v1x" })).toBe(false);
  });
});

describe("safeRedirect", () => {
  it.each([
    ["/payments?page=2", "/payments?page=2"],
    ["//evil.example", "/"],
    ["https://evil.example", "/"],
    ["/\\evil.example", "/"],
    ["payments", "/"],
    ["/ok\nSet-Cookie: x", "/"],
    [null, "/"],
  ])("%j → %j", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});
