// Moving off PGlite: `npm run db:export` writes the embedded database's data out, and
// `npm run db:import` loads it into a new PostgreSQL database, all of it and exactly
// (docs/decisions/046).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type DatabaseHandle } from "../../db/client";
import { ensureDemoData } from "../../db/demo";
import { exportDatabase, importDatabase } from "../../db/transfer";
import { main } from "../../db/transfer-cli";
import { createSharedDatabase, type SharedDatabase } from "../support/process";

/** What must come across unchanged: row counts and the money in them, to the last decimal. */
async function fingerprint(handle: DatabaseHandle) {
  const result = await handle.db.execute<Record<string, string>>(
    sql.raw(`
    select (select count(*) from payments)::text as payments,
           (select count(*) from payment_transactions)::text as transactions,
           (select count(*) from operation_log)::text as operations,
           (select count(*) from staff_users)::text as staff,
           (select count(*) from audit_log)::text as audits,
           (select coalesce(sum(total_amount), 0)::text from payments) as total,
           (select coalesce(sum(captured_amount), 0)::text from payment_transactions) as captured,
           (select coalesce(sum(captured_amount), 0)::text from daily_volume) as rollup`),
  );
  // postgres.js answers the rows, PGlite an object holding them.
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: Record<string, string>[] }).rows;
  return rows[0];
}

describe.runIf(process.env.DATABASE_URL)("moving the embedded database to PostgreSQL", () => {
  let embedded: SharedDatabase;
  let server: SharedDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-export-"));
  const exportDir = path.join(dir, "export");

  beforeAll(async () => {
    embedded = await createSharedDatabase("transfer_from", { embedded: true });
    server = await createSharedDatabase("transfer_to");
  }, 120_000);

  afterAll(async () => {
    setDatabase(undefined);
    await embedded?.drop();
    await server?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("carries demo data from PGlite to PostgreSQL with equal counts and sums, and ids go on", async () => {
    const before = await embedded.withDatabase(async (handle) => {
      setDatabase(handle);
      await ensureDemoData(handle, { payments: 150 });
      const figures = await fingerprint(handle);
      await exportDatabase(handle, exportDir);
      setDatabase(undefined);
      return figures;
    });
    expect(Number(before.payments)).toBeGreaterThanOrEqual(150);
    expect(Number(before.captured)).toBeGreaterThan(0);

    const after = await server.withDatabase(async (handle) => {
      await importDatabase(handle, exportDir);
      const figures = await fingerprint(handle);
      // The sequences came along: the next payment does not collide with an imported one.
      const [next] =
        await handle.pg!`select nextval('payments_payment_id_seq') > (select max(payment_id) from payments) as fresh`;
      expect(next.fresh).toBe(true);
      return figures;
    });
    expect(after).toEqual(before);

    // A second import into the same (now used) database is refused, and changes nothing.
    await server.withDatabase(async (handle) => {
      await expect(importDatabase(handle, exportDir)).rejects.toThrow(/already has data/);
      expect(await fingerprint(handle)).toEqual(before);
    });
  }, 180_000);

  it("says how to use the commands when asked wrongly", async () => {
    expect(await main([])).toBe(2);
    expect(await main(["export"])).toBe(2);
    expect(await main(["import", exportDir, "extra"])).toBe(2);
  });
});
