// On embedded PGlite a query runs to its end on the server's only thread, and statement_timeout
// never fires there: a staff page's read whose plan is too costly is refused before it runs, with
// a message that says to narrow the search, instead of holding up every other request
// (docs/decisions/046). Reads outside a staff page (the API, use-cases, jobs) are not bounded.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_PGLITE_MAX_COST,
  openDatabase,
  optionsFromEnv,
  readDb,
  SearchTooBroadError,
  setDatabase,
  withReplicaReads,
  type DatabaseHandle,
} from "../../db/client";

describe("the read budget of staff pages on PGlite", () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase({ inMemory: true, maxReadCost: 1_000 });
    await handle.db.execute(sql`create table broad (id bigint primary key, note text)`);
    await handle.db.execute(sql`insert into broad select g, md5(g::text) from generate_series(1, 200000) g`);
    await handle.db.execute(sql`analyze broad`);
    setDatabase(handle);
  }, 60_000);

  afterAll(async () => {
    setDatabase(undefined);
    await handle?.close();
  });

  // Sorted by what no index has: every row is read before the first one comes out.
  const broadSearch = () =>
    readDb().execute(sql`select id from broad where note ilike ${"%abc%"} order by note limit 50`);
  const oneRow = () => readDb().execute(sql`select note from broad where id = ${42}`);

  it("refuses a search that would scan everything, with a message that says to narrow it", async () => {
    const refused = await withReplicaReads(false, broadSearch).then(
      () => null,
      (error: unknown) => error,
    );
    // Drizzle wraps the refusal; the request's store tells the server (which answers 422 with it).
    expect((refused as Error).cause).toBeInstanceOf(SearchTooBroadError);
    expect(((refused as Error).cause as Error).message).toMatch(/too broad.*Narrow it/s);
    const store = await withReplicaReads(false, async (store) => {
      await broadSearch().catch(() => {});
      return store;
    });
    expect(store.refused).toMatch(/too broad/);
  });

  it("answers a narrow read on a staff page, and anything outside one", async () => {
    await expect(withReplicaReads(false, oneRow)).resolves.toBeTruthy();
    await expect(broadSearch()).resolves.toBeTruthy(); // not a staff page: the API, a job, a script
  });

  it("is set with PAYDESK_PGLITE_MAX_COST (0: off), and on by default", () => {
    expect(optionsFromEnv({ NODE_ENV: "test", PAYDESK_PGLITE_MAX_COST: "0" })).toMatchObject({ maxReadCost: 0 });
    expect(optionsFromEnv({ NODE_ENV: "test", PAYDESK_PGLITE_MAX_COST: "25000" })).toMatchObject({
      maxReadCost: 25_000,
    });
    expect(optionsFromEnv({ NODE_ENV: "test" })).not.toHaveProperty("maxReadCost");
    expect(DEFAULT_PGLITE_MAX_COST).toBeGreaterThan(0);
    expect(handle.boundedReads).toBeDefined();
  });
});
