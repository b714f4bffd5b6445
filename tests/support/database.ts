// A fresh database per test file: in-memory PGlite by default, or, when DATABASE_URL is set,
// a new database created on that PostgreSQL server and dropped afterwards, so test files can
// run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

export type TestDatabase = DatabaseHandle & { drop(): Promise<void> };

export const usingServer = () => Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ inMemory: true });
    await migrateDatabase(handle);
    return { ...handle, drop: () => handle.close() };
  }
  const name = `paydesk_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections: options.maxConnections ?? 20 });
  await migrateDatabase(handle);
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
