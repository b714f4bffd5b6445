// The template database: migrated once per test run (by tests/support/global-setup.ts) and copied
// for each test file, so no file pays for running every migration again. On PGlite the template
// is a dump of a migrated data directory in a temporary file, loaded by each new database; on a
// PostgreSQL server it is a database that each test database is created from with
// `CREATE DATABASE … TEMPLATE`.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

export type Template = { kind: "pglite"; dumpFile: string } | { kind: "postgres"; serverUrl: string; name: string };

declare module "vitest" {
  export interface ProvidedContext {
    /** Where this run's migrated template lives (tests/support/global-setup.ts). */
    paydeskTemplate: Template;
  }
}

/** Migrates a new template on the PostgreSQL server at `serverUrl`, or in a PGlite dump when none. */
export async function createTemplate(serverUrl: string | undefined): Promise<Template> {
  if (serverUrl) {
    const name = `paydesk_template_${randomBytes(4).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${name}`);
    } finally {
      await admin.end();
    }
    // Closed before any copy: PostgreSQL copies a template only while nobody is connected to it.
    // Two connections: the migration holds one for its advisory lock and migrates on the other.
    const handle = await openDatabase({ url: databaseUrl(serverUrl, name), maxConnections: 2 });
    try {
      await migrateDatabase(handle);
    } finally {
      await handle.close();
    }
    return { kind: "postgres", serverUrl, name };
  }
  const handle = await openDatabase({ inMemory: true });
  try {
    await migrateDatabase(handle);
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir("none");
    const dumpFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-template-")), "pgdata.tar");
    fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
    return { kind: "pglite", dumpFile };
  } finally {
    await handle.close();
  }
}

export async function dropTemplate(template: Template): Promise<void> {
  if (template.kind === "pglite") {
    fs.rmSync(path.dirname(template.dumpFile), { recursive: true, force: true });
    return;
  }
  const admin = postgres(template.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${template.name} with (force)`);
  } finally {
    await admin.end();
  }
}

let dumpCache: { file: string; blob: Blob } | undefined;

/** The PGlite template as a Blob for `openDatabase({ loadDataDir })` (read once per process). */
export function templateDump(template: Extract<Template, { kind: "pglite" }>): Blob {
  if (dumpCache?.file !== template.dumpFile) {
    dumpCache = { file: template.dumpFile, blob: new Blob([fs.readFileSync(template.dumpFile)]) };
  }
  return dumpCache.blob;
}

/** The URL of database `name` on the server at `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
