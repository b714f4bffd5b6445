import { describe, expect, it } from "vitest";
import { DeadlineExceeded, isDatabaseUnavailable, requestDeadlineMs, withDeadline } from "./unavailable.server";

/** An error as Drizzle throws it: its own wrapper with the driver's error as the cause. */
const wrapped = (cause: object) => Object.assign(new Error("Failed query: select 1"), { cause });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a refused connection", wrapped(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))],
    ["a connection closed under a query (postgres.js)", wrapped({ code: "CONNECTION_CLOSED" })],
    ["a connect timeout (postgres.js)", { code: "CONNECT_TIMEOUT" }],
    [
      "a broken pipe (five capitals, like a SQLSTATE)",
      wrapped(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })),
    ],
    ["an administrator shutdown", wrapped({ code: "57P01" })],
    ["a server starting up", wrapped({ code: "57P03" })],
    ["a connection exception (class 08)", wrapped({ code: "08006" })],
    ["a statement timeout", wrapped({ code: "57014" })],
    ["a lock timeout", wrapped({ code: "55P03" })],
    ["too many connections", wrapped({ code: "53300" })],
    ["a read-only server", wrapped({ code: "25006" })],
    ["a request past its deadline", new DeadlineExceeded(3000)],
  ])("is true for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", wrapped({ code: "23505" })],
    ["a check violation", wrapped({ code: "23514" })],
    ["a serialization failure (retried, not unavailable)", wrapped({ code: "40001" })],
    ["a programming error", new TypeError("x is undefined")],
    ["a non-error", "boom"],
  ])("is false for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe("withDeadline", () => {
  it("answers what the work answers when it finishes in time", async () => {
    await expect(withDeadline(1000, async () => "done")).resolves.toBe("done");
  });

  it("passes the work's own error through", async () => {
    await expect(withDeadline(1000, async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
  });

  it("gives up with DeadlineExceeded when the work does not finish in time", async () => {
    const never = () => new Promise<never>(() => {});
    const started = Date.now();
    await expect(withDeadline(50, never)).rejects.toBeInstanceOf(DeadlineExceeded);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("requestDeadlineMs", () => {
  it("defaults to 8 seconds and takes a positive whole number from the environment", () => {
    expect(requestDeadlineMs({})).toBe(8000);
    expect(requestDeadlineMs({ PAYDESK_REQUEST_DEADLINE_MS: "2500" })).toBe(2500);
    expect(requestDeadlineMs({ PAYDESK_REQUEST_DEADLINE_MS: "-1" })).toBe(8000);
    expect(requestDeadlineMs({ PAYDESK_REQUEST_DEADLINE_MS: "soon" })).toBe(8000);
  });
});
