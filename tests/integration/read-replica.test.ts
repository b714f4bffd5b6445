// DATABASE_READ_URL: staff screens read a streaming replica, a staff user sees their own action at
// once even while the replica lags, and API clients always read the primary (docs/decisions/045).
// Needs a replica of the DATABASE_URL server: `scripts/replica.sh` starts one on 127.0.0.1:5433,
// then DATABASE_READ_URL=postgres://postgres@127.0.0.1:5433/test (the database name is replaced
// by each test's own, as DATABASE_URL's is). The replica's replay is paused to make it lag.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, readDb, withReplicaReads, type DatabaseHandle } from "../../db/client";
import { withDatabase } from "../../app/platform/db.server";
import { createClient, paymentWithTransaction } from "../support/api";
import { createSharedDatabase, randomPort, startServerProcess, stopServerProcess } from "../support/process";
import type { ServerProcess, SharedDatabase } from "../support/process";
import type { TestServer } from "../support/server";
import { createStaff, getPage, loginAs, postForm } from "../support/staff";
import { databaseUrl } from "../support/template";

const primaryServer = process.env.DATABASE_URL;
const replicaServer = process.env.DATABASE_READ_URL;
const skipped = !primaryServer
  ? "needs DATABASE_URL (PostgreSQL)"
  : !replicaServer
    ? "needs DATABASE_READ_URL, a streaming replica of DATABASE_URL's server (scripts/replica.sh)"
    : undefined;

if (skipped) console.warn(`read-replica.test.ts is skipped: it ${skipped}.`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipped)(`staff reads from a read replica${skipped ? ` (skipped: ${skipped})` : ""}`, () => {
  let database: SharedDatabase;
  let handle: DatabaseHandle;
  let server: ServerProcess;
  let primary: postgres.Sql;
  let replica: postgres.Sql;
  let readUrl: string;

  /** Waits until the replica has replayed everything the primary has written until now. */
  async function replicaCaughtUp() {
    const [{ lsn }] = await primary<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
    for (let attempt = 0; attempt < 300; attempt++) {
      const [row] = await replica<{ done: boolean | null }[]>`
        select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as done`;
      if (row?.done) return;
      await sleep(100);
    }
    throw new Error(`the replica has not replayed up to ${lsn} in 30 s`);
  }

  beforeAll(async () => {
    database = await createSharedDatabase("replica");
    const name = new URL(database.options.url!).pathname.slice(1);
    readUrl = databaseUrl(replicaServer!, name);
    primary = postgres(database.options.url!, { max: 1, onnotice: () => {} });
    replica = postgres(databaseUrl(replicaServer!, "postgres"), { max: 1, onnotice: () => {} });
    await replica`select pg_wal_replay_resume()`; // in case an earlier run stopped half-way
    await replicaCaughtUp(); // the new database exists on the replica too
    handle = await openDatabase({ url: database.options.url, readUrl, maxConnections: 2 });
    server = await startServerProcess(database, randomPort(), { DATABASE_READ_URL: readUrl });
  }, 120_000);

  afterAll(async () => {
    if (replica) await replica`select pg_wal_replay_resume()`.catch(() => {});
    if (server) await stopServerProcess(server, "SIGTERM");
    await handle?.close();
    await primary?.end();
    await replica?.end();
    await database?.drop();
  });

  it("sends readDb() to the replica only inside a request that allows it", async () => {
    const port = async () => {
      const rows = await readDb().execute<{ port: number }>(sql`select inet_server_port() as port`);
      return Number((rows as unknown as { port: number }[])[0].port); // postgres.js: the rows
    };
    await withDatabase(handle, async () => {
      const primaryPort = Number(new URL(database.options.url!).port || 5432);
      expect(await port()).toBe(primaryPort);
      expect(await withReplicaReads(true, port)).toBe(Number(new URL(readUrl).port || 5432));
      expect(await withReplicaReads(false, port)).toBe(primaryPort);
      expect(handle.db).not.toBe(handle.replica?.db);
    });
  });

  it("plans for SSD on the primary's and the replica's connections alike (random_page_cost 1.1, decision 061)", async () => {
    const cost = async () => {
      const rows = await readDb().execute<{ cost: string }>(sql`select current_setting('random_page_cost') as cost`);
      return (rows as unknown as { cost: string }[])[0].cost;
    };
    await withDatabase(handle, async () => {
      expect(await cost()).toBe("1.1");
      expect(await withReplicaReads(true, cost)).toBe("1.1");
    });
  });

  it("reads staff pages from the replica, and a staff user's own action at once while it lags", async () => {
    const asServer = { url: server.url, database: handle } as unknown as TestServer;
    const admin = await withDatabase(handle, () => createStaff(asServer, "admin"));
    const cookie = await loginAs(asServer, admin);
    await replicaCaughtUp(); // past the login, so that reading the replica is allowed again
    const auditActions = async () => {
      const response = await getPage(asServer, "/audit-log", cookie);
      expect(response.status, response.headers.get("location") ?? "").toBe(200);
      return { html: await response.text(), setCookie: response.headers.get("set-cookie") ?? "" };
    };

    let withMark: string | undefined;
    await replica`select pg_wal_replay_pause()`;
    try {
      // Written straight into the primary, not by this user: the page, read from the paused
      // replica, does not show it yet.
      await primary`
        insert into audit_log (actor_email, action, entity_type)
        values ('someone-else@staff.test', 'replica.elsewhere', 'test')`;
      expect((await auditActions()).html).not.toContain('data-action="replica.elsewhere"');

      // This user's own action: its answer marks the primary's WAL position, and their next page
      // is read from the primary because the paused replica has not replayed that far.
      const acted = await postForm(
        asServer,
        "/me",
        { intent: "renew-recovery-codes", currentPassword: admin.password },
        cookie,
      );
      expect(acted.status).toBe(200);
      const mark = /pd_read_after=([0-9A-F]+\/[0-9A-F]+)/i.exec(acted.headers.get("set-cookie") ?? "")?.[1];
      expect(mark).toBeDefined();
      withMark = `${cookie}; pd_read_after=${mark}`;
      const after = await getPage(asServer, "/audit-log", withMark);
      const html = await after.text();
      expect(html).toContain('data-action="staff_user.replace_recovery_codes"');
      expect(html).toContain('data-action="replica.elsewhere"'); // the primary has it too

      // API clients read their own writes, always from the primary.
      const client = await withDatabase(handle, () => createClient(asServer));
      const { paymentId } = await paymentWithTransaction(client, "12.34");
      const read = await client.get(`/v1/payments/${paymentId}`);
      expect(read.status).toBe(200);
      expect(read.body.totalAmount).toBe("12.34");
    } finally {
      await replica`select pg_wal_replay_resume()`;
    }

    // Once the replica has caught up, the mark is dropped and pages read the replica again.
    await replicaCaughtUp();
    const page = await getPage(asServer, "/audit-log", withMark);
    expect(page.status).toBe(200);
    expect(page.headers.get("set-cookie")).toMatch(/pd_read_after=;.*Max-Age=0/);
  }, 120_000);
});

describe.skipIf(!primaryServer)("staff pages when the read replica is down", () => {
  let database: SharedDatabase;
  let handle: DatabaseHandle;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createSharedDatabase("replica_down");
    handle = await openDatabase({ url: database.options.url, maxConnections: 2 });
    // Nothing listens there: every connection to this "replica" is refused.
    const nowhere = new URL(database.options.url!);
    nowhere.port = String(randomPort());
    server = await startServerProcess(database, randomPort(), { DATABASE_READ_URL: nowhere.toString() });
  }, 120_000);

  afterAll(async () => {
    if (server) await stopServerProcess(server, "SIGTERM");
    await handle?.close();
    await database?.drop();
  });

  it("reads the primary instead of failing, page after page", async () => {
    const asServer = { url: server.url, database: handle } as unknown as TestServer;
    const admin = await withDatabase(handle, () => createStaff(asServer, "admin"));
    // Without the read-after-write mark of the login (which would send the next page to the
    // primary anyway): these pages are the ones that would go to the replica.
    const cookie = (await loginAs(asServer, admin))
      .split(";")
      .filter((part) => !part.trim().startsWith("pd_read_after="))
      .join(";");
    for (const path of ["/audit-log", "/payments", "/audit-log"]) {
      const response = await getPage(asServer, path, cookie);
      expect(response.status, path).toBe(200);
      if (path === "/audit-log") expect(await response.text()).toContain('data-action="auth.login"');
    }
  }, 120_000);
});
