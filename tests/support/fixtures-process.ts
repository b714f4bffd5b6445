// For the tests that run the real server as a child process over a shared database
// (tests/support/process.ts): that database as a fixture, an API client made in it, and waiting
// for the process.
import { afterAll } from "vitest";
import { withDatabase } from "../../app/platform/db.server";
import { createApiClient, type NewApiClient } from "../../app/services/admin/api-clients.server";
import { madeBeforeAll } from "./fixtures";
import { createSharedDatabase, type SharedDatabase } from "./process";
import { systemCaller } from "./use-case";

/**
 * A shared database (createSharedDatabase) made in a beforeAll and dropped in an afterAll, which
 * runs after the hooks registered later (stop the server there).
 */
export function useSharedDatabase(...args: Parameters<typeof createSharedDatabase>): SharedDatabase {
  const database = madeBeforeAll(() => createSharedDatabase(...args));
  afterAll(() => database.drop?.());
  return database;
}

/** Creates an API client in the shared database (as the CLI does) and returns its token. */
export function apiClientToken(database: SharedDatabase, input: NewApiClient): Promise<string> {
  return database.withDatabase(
    async (handle) => (await withDatabase(handle, () => createApiClient(systemCaller(), input))).token,
  );
}

/** Waits until `condition` holds, looking every `intervalMs`; throws when `timeoutMs` have passed. */
export async function waitFor(condition: () => boolean, timeoutMs: number, intervalMs = 100) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
