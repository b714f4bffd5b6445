// Fixtures of the HTTP integration tests, declared at the top of a test file instead of a `let`
// and a beforeAll each:
//
//   const server = useTestServer();
//   const shop = useApiClient(server, { organisationId: 741 });
//   const support = useStaffSession(server, "support");
//
// Each is made once, in a beforeAll registered where it is declared (so in declaration order: a
// client after its server), and filled in place (tests/support/fixtures.ts); a test or hook reads
// it like any variable. The server is closed again in afterAll.
import { afterAll, it } from "vitest";
import { ROLES, type Role } from "../../app/auth/roles";
import type { NewApiClient } from "../../app/services/admin/api-clients.server";
import { createClient, expectProblem, type TestClient } from "./api";
import { madeBeforeAll } from "./fixtures";
import { startTestServer, type TestServer, type TestServerOptions } from "./server";
import { createStaff, loginAs, type TestStaff } from "./staff";

/** The real server over a fresh database of this file, closed after the file's tests. */
export function useTestServer(options: TestServerOptions = {}): TestServer {
  const server = madeBeforeAll(() => startTestServer(options));
  afterAll(() => server.close?.());
  return server;
}

/** An API client of `server` (see createClient: every channel, no rate limit unless `input` says so). */
export function useApiClient(server: TestServer, input: Partial<NewApiClient> = {}): TestClient {
  return madeBeforeAll(() => createClient(server, input));
}

/** A staff user of `role`, not logged in. */
export function useStaff(server: TestServer, role: Role): TestStaff {
  return madeBeforeAll(() => createStaff(server, role));
}

export type StaffSession = TestStaff & { cookie: string };

/** A staff user of `role` and the session cookie of its login. */
export function useStaffSession(server: TestServer, role: Role): StaffSession {
  return madeBeforeAll(async () => {
    const staff = await createStaff(server, role);
    return { ...staff, cookie: await loginAs(server, staff) };
  });
}

/** A logged-in staff user of every role, for a test that walks a screen role by role. */
export function useStaffSessions(server: TestServer): Record<Role, StaffSession> {
  return Object.fromEntries(ROLES.map((role) => [role, useStaffSession(server, role)])) as Record<Role, StaffSession>;
}

/**
 * One test per bad query of the /v1 list at `path`, each expecting a 400 problem that names the
 * query's field. `client` is called when the tests run (a client made in beforeAll is there then).
 */
export function itRefusesBadQueries(path: string, client: () => TestClient, cases: Array<[string, string]>): void {
  it.each(cases)(`answers ${path}?%s with a 400 problem naming %s`, async (query, field) => {
    expectProblem(await client().get(`${path}?${query}`), 400, field);
  });
}
