// Login throttling counts failures over the last 15 minutes, whatever the wall clock says: ten
// failures with a quarter-hour boundary among them lock the account, and it unlocks once the
// oldest of them is 15 minutes old (decision 001). The staff login in-process, with the clock set
// by the test (only Date is faked; the database and argon2 run for real).
import { afterEach, describe, expect, it, vi } from "vitest";
import { login } from "../../app/auth/session.server";
import { createStaffUser } from "../../app/services/admin/staff-users.server";
import { systemCaller, useTestDatabase } from "../support/use-case";

useTestDatabase();

const QUARTER = 15 * 60 * 1000;
const PASSWORD = "the-right-password";

async function newStaff(): Promise<string> {
  const email = `throttle-${crypto.randomUUID()}@paydesk.test`;
  await createStaffUser(systemCaller(), { email, role: "support", password: PASSWORD });
  return email;
}

/** A login at `at` (epoch ms) from its own address, so only the account's count can lock it. */
async function loginAt(at: number, email: string, password: string, ip = "192.0.2.1") {
  vi.setSystemTime(at);
  return login(
    new Request("http://paydesk.test/login", { method: "POST" }),
    { email, password },
    {
      correlationId: crypto.randomUUID(),
      clientIp: ip,
    },
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe("login throttling over a sliding window", () => {
  it("locks an account after 10 failures that straddle a quarter-hour boundary, for 15 minutes from the first", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const email = await newStaff();
    // The next quarter-hour boundary of the real clock: where a fixed 15-minute window ended.
    const boundary = Math.ceil((Date.now() + 60_000) / QUARTER) * QUARTER;
    const first = boundary - 10_000;
    for (let i = 0; i < 5; i++)
      expect(await loginAt(first + i * 1000, email, "wrong-password")).toMatchObject({ ok: false, reason: "invalid" });
    for (let i = 0; i < 5; i++)
      expect(await loginAt(boundary + i * 1000, email, "wrong-password")).toMatchObject({
        ok: false,
        reason: "invalid",
      });

    const locked = await loginAt(boundary + 10_000, email, PASSWORD);
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    // Unlocked when the failure that brings the count below 10 (the first) is 15 minutes old.
    expect(locked.ok ? null : locked.retryAfterSeconds).toBe((first + QUARTER - (boundary + 10_000)) / 1000);
    expect(await loginAt(first + QUARTER - 1, email, PASSWORD)).toMatchObject({ reason: "throttled" });

    // Once the first failure has aged out, 9 are left: the account is not locked (a wrong password
    // is just wrong), and that failure makes ten again.
    expect(await loginAt(first + QUARTER, email, "wrong-password")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await loginAt(first + QUARTER + 1, email, PASSWORD)).toMatchObject({ reason: "throttled" });
  });

  it("lets an account in after fewer than 10 failures in any 15 minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const email = await newStaff();
    const start = Math.ceil(Date.now() / QUARTER) * QUARTER + 60_000;
    // Nine failures, then nine more 15 minutes after the first nine: never ten in 15 minutes.
    for (let i = 0; i < 9; i++) await loginAt(start + i, email, "wrong-password");
    for (let i = 0; i < 9; i++) await loginAt(start + QUARTER + i, email, "wrong-password");
    const checked = await loginAt(start + QUARTER + 9, email, PASSWORD, "192.0.2.2");
    expect(checked.ok).toBe(true);
  });
});
