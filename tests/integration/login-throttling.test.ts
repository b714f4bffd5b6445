// Login throttling that cannot lock the owner out (docs/decisions/024-login-throttling.md), over
// HTTP with real addresses: the server trusts X-Forwarded-For from loopback here, so each
// request says which address it comes from. A burst of wrong passwords slows its own address
// for that account, never the right password from another address, nor from a browser that
// logged in to the account before (its device cookie); one address spraying many accounts slows
// itself; many addresses at once slow only browsers the account does not know. No assertion
// waits for a delay to pass: each burst goes on until its wait is long enough to test against.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../app/auth/password.server";
import { customers } from "../../db/schema";
import { useTestServer } from "../support/fixtures-http";
import { createStaff, postForm, type TestStaff } from "../support/staff";
import { freshTotpCode } from "../support/totp";

const previousTrustProxy = process.env.TRUST_PROXY;
beforeAll(() => {
  process.env.TRUST_PROXY = "loopback";
});
const server = useTestServer();
afterAll(() => {
  if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = previousTrustProxy;
});

let address = 0;
/** A fresh client address (documentation range, RFC 5737) for each use. */
const newAddress = () => `198.51.100.${++address}`;

/** A form POST from `ip` (any address when none is given), with cookies when given. */
function postFrom(ip: string | null, path: string, fields: Record<string, string>, cookie?: string) {
  return postForm(server, path, fields, cookie, ip ? { "X-Forwarded-For": ip } : {});
}

/** A login form POST from `ip`, with a device cookie when given. */
function loginFrom(
  ip: string,
  fields: { email: string; password: string },
  deviceCookie?: string,
  path = "/login",
): Promise<Response> {
  return postFrom(ip, path, { email: fields.email, password: fields.password }, deviceCookie);
}

function cookieNamed(response: Response, name: string): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie on ${response.status}`);
  return cookie.split(";")[0];
}

/**
 * Makes attempts (`attempt(i)` for i = 1, 2, …) until one is answered 429 with a wait of at least
 * `atLeast` seconds, so that a request sent right after surely falls inside it. A shorter wait is
 * sat out first (the waits double: one or two of them), so the counter grows as an attacker
 * patient enough to wait would make it grow. Answers that 429.
 */
async function untilThrottled(attempt: (i: number) => Promise<Response>, atLeast = 2): Promise<Response> {
  for (let i = 1; i <= 80; i++) {
    const response = await attempt(i);
    expect([401, 429]).toContain(response.status);
    if (response.status !== 429) continue;
    const retryAfter = Number(response.headers.get("retry-after"));
    if (retryAfter >= atLeast) return response;
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
  }
  throw new Error(`no 429 of ${atLeast} s or more after 80 attempts`);
}

/** Wrong passwords from `ip` for `email` until the login is held back (see untilThrottled). */
const burst = (ip: string, email: string, path = "/login") =>
  untilThrottled((i) => loginFrom(ip, { email, password: `wrong-password-${i}` }, undefined, path));

describe("a burst from one address", () => {
  let owner: TestStaff;
  const attacker = newAddress();

  beforeAll(async () => {
    owner = await createStaff(server, "support");
  });

  it("slows that address with growing waits, the right password included", async () => {
    const throttled = await burst(attacker, owner.email);
    const retryAfter = Number(throttled.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(2);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await throttled.text()).toContain("Too many failed attempts");
    expect((await loginFrom(attacker, owner)).status).toBe(429);
  });

  it("leaves the right password from another address alone", async () => {
    const response = await loginFrom(newAddress(), owner);
    expect(response.status).toBe(302);
  });

  it("leaves the owner's own browser alone on the attacker's address (an office behind one address)", async () => {
    const office = newAddress();
    const first = await loginFrom(office, owner);
    expect(first.status).toBe(302);
    const device = cookieNamed(first, "paydesk_device");
    expect(first.headers.getSetCookie().find((c) => c.startsWith("paydesk_device="))).toMatch(
      /Max-Age=15552000; Path=\/; HttpOnly; SameSite=Lax/,
    );
    await burst(office, owner.email);
    expect((await loginFrom(office, owner)).status).toBe(429);
    expect((await loginFrom(office, owner, device)).status).toBe(302);
  });

  it("gives a stolen device cookie only its own counter, which slows it too", async () => {
    const first = await loginFrom(newAddress(), owner);
    const device = cookieNamed(first, "paydesk_device");
    const elsewhere = newAddress();
    const throttled = await untilThrottled((i) =>
      loginFrom(elsewhere, { email: owner.email, password: `wrong-${i}` }, device),
    );
    expect(throttled, "a device cookie's failures are throttled as well").toBeDefined();
    // Its failures went to the device's counter: the address itself is not held back.
    expect((await loginFrom(elsewhere, owner)).status).toBe(302);
  });

  it("counts wrong second-factor codes like wrong passwords", async () => {
    const finance = await createStaff(server, "finance");
    const ip = newAddress();
    let throttled = false;
    for (let round = 1; round <= 10 && !throttled; round++) {
      const step = await loginFrom(ip, finance);
      if (step.status === 429) {
        throttled = true;
        break;
      }
      expect(step.headers.get("location")).toBe("/login/code");
      const pending = cookieNamed(step, "paydesk_session");
      for (let code = 0; code < 5; code++) {
        await postFrom(ip, "/login/code", { code: "000000" }, pending);
      }
    }
    expect(throttled).toBe(true);
    // The owner, elsewhere, logs in with password and code.
    const step = await loginFrom(newAddress(), finance);
    expect(step.headers.get("location")).toBe("/login/code");
  });
});

describe("one address spraying many accounts", () => {
  it("slows that address for every account, and no other address", async () => {
    const sprayer = newAddress();
    // Made first: making a staff user (a password hash) can take longer than the wait under load.
    const another = await createStaff(server, "support");
    // One wrong password each for many emails (known or not): no account's own counter grows,
    // the address's counter over every account does. A wait of 4 s or more, so that it still
    // holds when the next request arrives on a loaded machine.
    const throttled = await untilThrottled(
      (i) => loginFrom(sprayer, { email: `spray-${i}@staff.test`, password: "Winter2026!!" }),
      4,
    );
    expect(throttled, "the address is slowed after its free failures over all accounts").toBeDefined();
    expect((await loginFrom(sprayer, another)).status).toBe(429);
    expect((await loginFrom(newAddress(), another)).status).toBe(302);
  });
});

describe("many addresses at once", () => {
  it("slows browsers the account does not know, never the owner's", async () => {
    const owner = await createStaff(server, "support");
    const known = await loginFrom(newAddress(), owner);
    const device = cookieNamed(known, "paydesk_device");
    // One wrong password from each of many addresses: no address is slowed on its own, but
    // past ten addresses within the hour, every browser the account does not know is.
    const unknown = await untilThrottled((i) =>
      loginFrom(newAddress(), { email: owner.email, password: `botnet-${i}` }),
    );
    expect(Number(unknown.headers.get("retry-after"))).toBeGreaterThanOrEqual(2);
    expect((await loginFrom(newAddress(), owner)).status).toBe(429);
    expect((await loginFrom(newAddress(), owner, device)).status).toBe(302);
  });
});

describe("customer logins", () => {
  it("are throttled by the same rules, under counters of their own", async () => {
    const customer = { customerNumber: "8800001", email: "throttle@customer.test", password: "customer password 1" };
    await server.database.db.insert(customers).values({
      ...customer,
      name: "Throttle Test",
      passwordHash: await hashPassword(customer.password),
    });
    const ip = newAddress();
    await burst(ip, customer.email, "/account/login");
    expect((await loginFrom(ip, customer, undefined, "/account/login")).status).toBe(429);
    expect((await loginFrom(newAddress(), customer, undefined, "/account/login")).status).toBe(302);
    // The staff login's counters are others: the address may still try a staff login.
    const staff = await createStaff(server, "support");
    expect((await loginFrom(ip, staff)).status).toBe(302);
  });
});

it("keeps the demo's TOTP helper honest (a finance login still completes)", async () => {
  const finance = await createStaff(server, "finance");
  const step = await loginFrom(newAddress(), finance);
  const pending = cookieNamed(step, "paydesk_session");
  const done = await postFrom(null, "/login/code", { code: await freshTotpCode(finance.totpSecret!) }, pending);
  expect(done.status).toBe(302);
});
