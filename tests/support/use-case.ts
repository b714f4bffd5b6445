// In-process use-case tests: a fresh database per test file (tests/support/database.ts), made the
// process's database for the file's duration, and callers to hand to use-cases. No HTTP server,
// no Remix build: a use-case is called as a route would call it.
import type { SQL } from "drizzle-orm";
import { setDatabase } from "../../db/client";
import { auditLog, organisations } from "../../db/schema";
import type { ClientCaller, StaffCaller, SystemCaller } from "../../app/domain/caller";
import { createTestDatabase, type TestDatabase } from "./database";

/**
 * Opens a fresh database for this test file before its tests and drops it after them.
 * Returns a getter, because the database exists only once beforeAll has run.
 */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDatabase(database);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error("useTestDatabase: the database is opened in beforeAll");
    return database;
  };
}

/** The audit log's entries that match `where`, in the order they were written. */
export function auditEntries(database: TestDatabase, where: SQL | undefined) {
  return database.db.select().from(auditLog).where(where).orderBy(auditLog.id);
}

let organisationCounter = 0;

/** A new organisation row, for callers of a tenant of its own. */
export async function newOrganisation(database: TestDatabase, name?: string): Promise<number> {
  organisationCounter += 1;
  const id = 9000 + organisationCounter;
  await database.db.insert(organisations).values({ id, name: name ?? `Organisation ${id}` });
  return id;
}

/** An API client's caller, as the /v1 layer builds it from the headers. */
export function clientCaller(organisationId: number, overrides: Partial<ClientCaller> = {}): ClientCaller {
  return {
    kind: "client",
    clientId: `client-${organisationId}`,
    organisationId,
    privileged: false,
    channels: ["web", "app"],
    allowedRedirectPrefixes: ["https://example.com/"],
    clientName: "paydesk-tests",
    pos: null,
    distributionChannel: null,
    correlationId: crypto.randomUUID(),
    ...overrides,
  };
}

/** A staff user's caller, as the staff action builds it. */
export function staffCaller(overrides: Partial<StaffCaller> = {}): StaffCaller {
  return {
    kind: "staff",
    userId: "00000000-0000-0000-0000-000000000001",
    email: "finance@paydesk.test",
    correlationId: crypto.randomUUID(),
    ip: "127.0.0.1",
    userAgent: null,
    reason: "test",
    ...overrides,
  };
}

export const systemCaller = (name = "tests"): SystemCaller => ({
  kind: "system",
  name,
  correlationId: crypto.randomUUID(),
});
