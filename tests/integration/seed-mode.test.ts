// Safe defaults (docs/decisions/027): the real server (server/index.ts) as a child process on an
// empty database. In production it seeds nothing unless PAYDESK_SEED=demo asks for the demo,
// says so in its start banner, and tells how to create the first admin; an unknown PAYDESK_SEED
// stops it before it touches the database. (Outside production the demo stays the default:
// db/seed-mode.test.ts; every other server test starts with PAYDESK_SEED=none.)
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import {
  createSharedDatabase,
  randomPort,
  runScript,
  startServerProcess,
  stopServerProcess,
  type ServerProcess,
  type SharedDatabase,
} from "../support/process";
import { waitFor } from "../support/fixtures-process";

async function count(handle: DatabaseHandle, table: string): Promise<number> {
  const result = (await handle.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as { n: number }[];
  return Number(rows[0].n);
}

// Each test starts a server process that migrates a new PGlite database before its banner: ten
// seconds alone, more than a minute beside a full run's other workers on two cores.
describe("the first start of a production server on an empty database", { timeout: 180_000 }, () => {
  let database: SharedDatabase | undefined;
  let server: ServerProcess | undefined;

  afterEach(async () => {
    if (server) await stopServerProcess(server, "SIGTERM");
    server = undefined;
    await database?.drop();
    database = undefined;
  });

  /** Starts the server on a fresh database and waits for its banner. */
  async function start(env: Record<string, string>) {
    database = await createSharedDatabase("seedmode");
    server = await startServerProcess(database, randomPort(), { LOG_LEVEL: "warn", ...env });
    await waitFor(() => server!.output().includes("Mode: "), 150_000);
    // The banner is printed in one go once the server listens; give its last lines a moment.
    await waitFor(() => /\n\n$/.test(server!.output()), 10_000);
    return server.output();
  }

  it("seeds nothing without PAYDESK_SEED, says it runs in production, and tells how to create the first admin", async () => {
    const output = await start({ NODE_ENV: "production", PAYDESK_SEED: "" });
    expect(output).toContain(
      "Mode: production (NODE_ENV=production); no demo data is seeded (the default in production).",
    );
    expect(output).toContain("No staff user exists yet. Create the first admin with the command-line tool:");
    expect(output).toContain(
      "npm run --silent cli -- create-user --email you@example.com --role admin --password-stdin",
    );
    expect(output).not.toContain("Demo logins");
    expect(output).not.toContain("demo-2026");
    // The demo's logins and token do not work.
    const login = await fetch(`${server!.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server!.url },
      body: new URLSearchParams({ email: "admin@paydesk.test", password: "admin-demo-2026" }),
      redirect: "manual",
    });
    expect(login.status).toBe(401);
    const api = await fetch(`${server!.url}/v1/payments`, {
      headers: { Authorization: "Bearer pd_demo_entur_sales_0000000000000000000000000", "ET-Client-Name": "t" },
    });
    expect(api.status).toBe(401);

    await stopServerProcess(server!, "SIGTERM");
    server = undefined;
    await database!.withDatabase(async (handle) => {
      for (const table of ["staff_users", "api_clients", "payments", "customers"])
        expect(await count(handle, table), table).toBe(0);
    });
  });

  it("seeds the demo when PAYDESK_SEED=demo asks for it, with a warning in the banner", async () => {
    const output = await start({ NODE_ENV: "production", PAYDESK_SEED: "demo" });
    expect(output).toContain("(PAYDESK_SEED=demo). WARNING: demo logins in production.");
    expect(output).toContain("admin    admin@paydesk.test    password: admin-demo-2026");
    expect(output).not.toContain("No staff user exists yet");
    const api = await fetch(`${server!.url}/v1/payments?perPage=1`, {
      headers: { Authorization: "Bearer pd_demo_entur_sales_0000000000000000000000000", "ET-Client-Name": "t" },
    });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { totalItems: number }).totalItems).toBeGreaterThan(0);
  });

  it("refuses an unknown PAYDESK_SEED before it opens the database", async () => {
    database = await createSharedDatabase("seedmode");
    const run = await runScript("server/index.ts", [], {
      ...database.env,
      NODE_ENV: "production",
      PAYDESK_SEED: "demo-please",
      PORT: String(randomPort()),
      HOST: "127.0.0.1",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PAYDESK_SEED must be "demo" or "none" (or unset), not "demo-please".');
    await database.withDatabase(async (handle) => expect(await count(handle, "staff_users")).toBe(0));
  });
});
