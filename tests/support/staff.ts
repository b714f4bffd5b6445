// Staff users and browser-like sessions for integration tests.
import { secondFactorRequired, type Role } from "../../app/auth/roles";
import { newTotpSecret } from "../../app/auth/totp.server";
import { createStaffUser } from "../../app/services/admin/staff-users.server";
import { withDatabase } from "../../app/platform/db.server";
import { systemCaller } from "./use-case";
import type { TestServer } from "./server";
import { freshTotpCode } from "./totp";

/** A staff user of a test; `totpSecret` when they log in with a second factor (finance and admin always). */
export type TestStaff = { id: string; email: string; password: string; role: Role; totpSecret?: string };

let counter = 0;

/** The second factor a test user of `role` is created with: a TOTP secret for finance and admin. */
export function testSecondFactor(role: Role): { totpSecret?: string } {
  return secondFactorRequired(role) ? { totpSecret: newTotpSecret() } : {};
}

/** A staff user of `role` with a fresh email; `profile` names them and sets their time zone. */
export async function createStaff(
  server: TestServer,
  role: Role,
  profile: { name?: string; timeZone?: string } = {},
): Promise<TestStaff> {
  counter += 1;
  const email = `${role}-${counter}-${Date.now().toString(36)}@staff.test`;
  const password = `correct-horse-${role}-${counter}`;
  // Finance and admin come enrolled, as the demo users do; a test of enrolment makes its own user.
  const { totpSecret } = testSecondFactor(role);
  const user = await withDatabase(server.database, () =>
    createStaffUser(systemCaller(), { email, role, password, name: `Test ${role}`, totpSecret, ...profile }),
  );
  return { id: user.id, email, password, role, totpSecret };
}

/** A same-origin form POST, as the browser sends it from one of our pages (`headers` added). */
export function postForm(
  server: TestServer,
  path: string,
  fields: Record<string, string>,
  cookie?: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: server.url,
      ...(cookie ? { Cookie: cookie } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields),
  });
}

/** The name=value part of the session cookie that a response sets. */
export function sessionCookieFrom(response: Response): string {
  const header = response.headers.get("set-cookie");
  if (!header) throw new Error(`no Set-Cookie on ${response.status} ${response.url}`);
  return header.split(";")[0];
}

/**
 * Logs in through the forms, as a browser does: the password, then the code of the user's second
 * factor. A user who must enrol one enrols it here (the secret is read from the page and kept on
 * `staff` for their next login). Answers the cookie of the complete session.
 */
export async function loginAs(server: TestServer, staff: TestStaff): Promise<string> {
  const response = await postForm(server, "/login", { email: staff.email, password: staff.password });
  if (response.status !== 302) throw new Error(`login failed for ${staff.email}: ${response.status}`);
  const pending = sessionCookieFrom(response);
  const next = new URL(response.headers.get("location") ?? "/", server.url).pathname;
  if (next === "/login/enrol") {
    const page = await (await getPage(server, "/login/enrol", pending)).text();
    const secret = /data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)?.[1].replaceAll(" ", "");
    if (!secret) throw new Error(`no secret on the enrolment page for ${staff.email}`);
    staff.totpSecret = secret;
    return completeStep(server, "/login/enrol", pending, await freshTotpCode(secret), staff, 200);
  }
  if (next !== "/login/code") return pending;
  if (!staff.totpSecret) throw new Error(`${staff.email} has a second factor the test does not know`);
  return completeStep(server, "/login/code", pending, await freshTotpCode(staff.totpSecret), staff, 302);
}

async function completeStep(
  server: TestServer,
  path: string,
  cookie: string,
  code: string,
  staff: TestStaff,
  status: number,
): Promise<string> {
  const response = await postForm(server, path, { code }, cookie);
  if (response.status !== status)
    throw new Error(`${path} failed for ${staff.email}: ${response.status} ${response.headers.get("location")}`);
  return sessionCookieFrom(response);
}

export function getPage(server: TestServer, path: string, cookie?: string) {
  return fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
