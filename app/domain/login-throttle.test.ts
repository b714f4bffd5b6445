import { describe, expect, it } from "vitest";
import { attemptsWithin, secondsToWait, throttleDelaySeconds, type ThrottleRule } from "./login-throttle";

const RULE: ThrottleRule = { free: 5, firstDelaySeconds: 1, maxDelaySeconds: 900 };

describe("login throttling", () => {
  it.each([
    [0, 0],
    [5, 0],
    [6, 1],
    [7, 2],
    [8, 4],
    [15, 512],
    [16, 900],
    [10_000, 900],
  ])("after %i failures waits %i s", (failures, seconds) => {
    expect(throttleDelaySeconds(failures, RULE)).toBe(seconds);
  });

  it("counts the wait from the last failure and never locks", () => {
    const last = new Date("2026-01-01T10:00:00Z");
    expect(secondsToWait(8, last, new Date("2026-01-01T10:00:01Z"), RULE)).toBe(3);
    expect(secondsToWait(8, last, new Date("2026-01-01T10:00:04Z"), RULE)).toBe(0);
    expect(secondsToWait(10_000, last, new Date("2026-01-01T10:15:00Z"), RULE)).toBe(0);
  });

  it("lets one counter take a bounded number of attempts an hour", () => {
    // Six at once (five free failures, and the attempt after them), then after waits of 1, 2, 4
    // … 512 s ten more (by 1023 s), then one every 900 s.
    expect(attemptsWithin(3600, RULE)).toBe(6 + 10 + 2);
    expect(attemptsWithin(86_400, RULE)).toBe(6 + 10 + 94);
  });
});
