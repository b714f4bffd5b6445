// The throttling counters against a real database, with the clock set by the test (only Date is
// faked): waits grow with failures, always end, start again an hour after the last failure, and
// a known device has a counter of its own.
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../../tests/support/use-case";
import {
  loginWaitSeconds,
  pruneLoginThrottling,
  recordLoginFailure,
  recordLoginSuccess,
  type LoginAttempt,
} from "./login-throttle.server";

useTestDatabase();

afterEach(() => vi.useRealTimers());

const T0 = new Date("2026-12-01T10:00:00Z").getTime();
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const attempt = (account: string, ip = "192.0.2.10", deviceToken: string | null = null): LoginAttempt => ({
  scope: "login",
  account,
  ip,
  deviceToken,
});

describe("login throttling counters", () => {
  it("grows the wait with each failure past the free ones, and lets the attempt through once it has passed", async () => {
    const who = attempt("grow@staff.test");
    for (let i = 0; i < 6; i++) await recordLoginFailure(who, at(0));
    expect(await loginWaitSeconds(who, at(0))).toBe(1);
    await recordLoginFailure(who, at(1));
    expect(await loginWaitSeconds(who, at(1))).toBe(2);
    expect(await loginWaitSeconds(who, at(3))).toBe(0);
    for (let i = 0; i < 20; i++) await recordLoginFailure(who, at(3));
    expect(await loginWaitSeconds(who, at(3))).toBe(900);
    expect(await loginWaitSeconds(who, at(3 + 900))).toBe(0);
  });

  it("starts a counter again an hour after its last failure, and housekeeping drops it", async () => {
    const who = attempt("reset@staff.test");
    for (let i = 0; i < 30; i++) await recordLoginFailure(who, at(0));
    await recordLoginFailure(who, at(3601));
    expect(await loginWaitSeconds(who, at(3601))).toBe(0);
    for (let i = 0; i < 30; i++) await recordLoginFailure(who, at(3602));
    expect(await loginWaitSeconds(who, at(3602))).toBeGreaterThan(0);
    await pruneLoginThrottling(at(3602 + 3601).getTime());
    expect(await loginWaitSeconds(who, at(3602))).toBe(0);
  });

  it("gives a known device its own counter, untouched by the address's failures", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at(0));
    const request = new Request("http://paydesk.test/login", { method: "POST" });
    const cookie = await recordLoginSuccess(attempt("device@staff.test", "192.0.2.20"), request, at(0));
    const token = /paydesk_device=([A-Za-z0-9_-]{43})/.exec(cookie)![1];
    const stranger = attempt("device@staff.test", "192.0.2.20");
    for (let i = 0; i < 12; i++) await recordLoginFailure(stranger, at(10));
    expect(await loginWaitSeconds(stranger, at(10))).toBeGreaterThan(0);
    expect(await loginWaitSeconds(attempt("device@staff.test", "192.0.2.20", token), at(10))).toBe(0);
    // The cookie is no key to another account.
    expect(await loginWaitSeconds(attempt("other@staff.test", "192.0.2.20", token), at(10))).toBe(0);
    const otherAccount = attempt("other@staff.test", "192.0.2.20", token);
    for (let i = 0; i < 6; i++) await recordLoginFailure(otherAccount, at(20));
    expect(await loginWaitSeconds(attempt("other@staff.test", "192.0.2.20"), at(20))).toBeGreaterThan(0);
  });
});
