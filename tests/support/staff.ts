// Staff users and browser-like sessions for integration tests.
import type { Role } from "../../app/auth/roles";
import { createStaffUser } from "../../app/services/admin/staff-users.server";
import { withDatabase } from "../../app/platform/db.server";
import { systemCaller } from "./use-case";
import type { TestServer } from "./server";

export type TestStaff = { id: string; email: string; password: string; role: Role };

let counter = 0;

export async function createStaff(server: TestServer, role: Role): Promise<TestStaff> {
  counter += 1;
  const email = `${role}-${counter}-${Date.now().toString(36)}@staff.test`;
  const password = `correct-horse-${role}-${counter}`;
  const user = await withDatabase(server.database, () =>
    createStaffUser(systemCaller(), { email, role, password, name: `Test ${role}` }),
  );
  return { id: user.id, email, password, role };
}

/** A same-origin form POST, as the browser sends it from one of our pages. */
export function postForm(server: TestServer, path: string, fields: Record<string, string>, cookie?: string) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: server.url,
      ...(cookie ? { Cookie: cookie } : {}),
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

export async function loginAs(server: TestServer, staff: TestStaff): Promise<string> {
  const response = await postForm(server, "/login", { email: staff.email, password: staff.password });
  if (response.status !== 302) throw new Error(`login failed for ${staff.email}: ${response.status}`);
  return sessionCookieFrom(response);
}

export function getPage(server: TestServer, path: string, cookie?: string) {
  return fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
