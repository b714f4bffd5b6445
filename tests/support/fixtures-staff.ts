// For the HTTP integration tests of the back-office: the rows every staff action can be pointed
// at, as a fixture, and posting a staff screen's form the way its fetcher (useFetcher) does.
import { madeBeforeAll } from "./fixtures";
import type { TestServer } from "./server";
import { postForm } from "./staff";
import { createStaffFixtures, type StaffFixtures } from "./staff-fixtures";

/** createStaffFixtures on `server` (`customerNumber` owns the recurring payment), made in a beforeAll. */
export function useStaffFixtures(server: TestServer, customerNumber: string): StaffFixtures {
  return madeBeforeAll(() => createStaffFixtures(server, customerNumber));
}

/**
 * POST `fields` to the screen at `path` with `?_data=routeId`, as the screen's fetcher does: the
 * status, the action's JSON answer as `body` (or, when the answer is no JSON, such as the plain
 * text of a 403, its text), and the answer's text.
 */
export async function postStaffAction(
  server: TestServer,
  path: string,
  routeId: string,
  fields: Record<string, string>,
  cookie?: string,
) {
  const url = `${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(routeId)}`;
  const response = await postForm(server, url, fields, cookie);
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a plain-text answer (a 403 from requirePermission, a 405)
  }
  return { status: response.status, body, text };
}
