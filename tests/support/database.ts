// A fresh database per test file: in-memory PGlite by default, or, when DATABASE_URL is set,
// a new database created on that PostgreSQL server and dropped afterwards, so test files can
// run in parallel without seeing each other's rows. Each one is a copy of the run's template
// (tests/support/template.ts), migrated once by the global set-up.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { databaseUrl, templateDump, type Template } from "./template";

// Test files share the run's PSP (global-setup.ts) and their databases number rows alike, so each
// test database is a merchant of its own there: references and ledgers never meet. (A worker runs
// file after file in one process, so this is renewed per database, not once per process.)
export function newPspMerchant(): void {
  process.env.PAYDESK_PSP_MERCHANT = `test-${process.pid}-${randomBytes(4).toString("hex")}`;
}
newPspMerchant();

export type TestDatabase = DatabaseHandle & { drop(): Promise<void> };

export const usingServer = () => Boolean(process.env.DATABASE_URL);

/** This run's template, or undefined when the global set-up did not make one (then: migrate). */
export function runTemplate(): Template | undefined {
  const template = inject("paydeskTemplate");
  if (!template) return undefined;
  const wanted = usingServer() ? "postgres" : "pglite";
  return template.kind === wanted ? template : undefined;
}

/**
 * `create database name`, copied from the run's template when there is one (then it is already
 * migrated) unless `fromTemplate: false` asks for a brand-new one.
 */
export async function createServerDatabase(
  serverUrl: string,
  name: string,
  options: { fromTemplate?: boolean } = {},
): Promise<{ migrated: boolean }> {
  const template = options.fromTemplate === false ? undefined : runTemplate();
  const fromTemplate = template?.kind === "postgres" && template.serverUrl === serverUrl ? template : undefined;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}${fromTemplate ? ` template ${fromTemplate.name}` : ""}`);
  } finally {
    await admin.end();
  }
  return { migrated: Boolean(fromTemplate) };
}

export async function dropServerDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  newPspMerchant();
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const template = runTemplate();
    if (template?.kind === "pglite") {
      const handle = await openDatabase({ inMemory: true, loadDataDir: templateDump(template) });
      return { ...handle, drop: () => handle.close() };
    }
    const handle = await openDatabase({ inMemory: true });
    await migrateDatabase(handle);
    return { ...handle, drop: () => handle.close() };
  }
  const name = `paydesk_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const { migrated } = await createServerDatabase(serverUrl, name);
  const handle = await openDatabase({
    url: databaseUrl(serverUrl, name),
    maxConnections: options.maxConnections ?? 20,
  });
  if (!migrated) await migrateDatabase(handle);
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      await dropServerDatabase(serverUrl, name);
    },
  };
}
