// The demo data generator (db/seed.ts) against a real database: in-memory PGlite, or a fresh
// database on the server when DATABASE_URL is set. Every invariant is checked with SQL over the
// rows written, so a generator bug that breaks the money rules, the rollup or the card-data
// rule fails here, not in a screen.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { runMain, runScript } from "../support/process";
import { useSharedDatabase } from "../support/fixtures-process";
import { DEMO_CLIENTS, DEMO_USERS, demoBanner, ensureDemoData } from "../../db/demo";
import { addPayments, seedDemoData } from "../../db/seed";
import { main as seedMain } from "../../db/seed-cli";
import { staffUsers } from "../../db/schema";
import { createApiClient } from "../../app/services/admin/api-clients.server";
import { withDatabase } from "../../app/platform/db.server";
import { systemCaller } from "../support/use-case";
import { OPERATIONS, PAYMENT_TYPES, TRANSACTION_STATUSES } from "../../app/domain/enums";
import { createTestDatabase, type TestDatabase } from "../support/database";

async function rows<T = Record<string, unknown>>(handle: DatabaseHandle, query: string): Promise<T[]> {
  const result = (await handle.db.execute(sql.raw(query))) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function count(handle: DatabaseHandle, query: string): Promise<number> {
  const [row] = await rows<{ n: string | number }>(handle, `select count(*) as n from (${query}) q`);
  return Number(row.n);
}

/**
 * Rows where daily_volume and the operation log disagree (both directions), shard by shard; a
 * lost chargeback is charged-back volume on the day it was lost (docs/decisions/040).
 */
const ROLLUP_MISMATCHES = `
  with facts as (
    select (o.created_at at time zone 'UTC')::date as day, p.organisation_id, p.currency, t.payment_type_group,
           t.payment_type, coalesce(p.settlement_id, '') as settlement_id, (t.transaction_id % 16)::smallint as shard,
           case when o.operation in ('CAPTURE', 'IMPORT') then o.amount else 0 end::numeric as captured_amount,
           (o.operation in ('CAPTURE', 'IMPORT'))::int as captured_count,
           case when o.operation = 'CREDIT' then o.amount else 0 end::numeric as credited_amount,
           (o.operation = 'CREDIT')::int as credited_count,
           0::numeric as charged_back_amount, 0 as charged_back_count
      from operation_log o
      join payment_transactions t on t.transaction_id = o.transaction_id
      join payments p on p.payment_id = t.payment_id
     where o.operation in ('CAPTURE', 'IMPORT', 'CREDIT')
    union all
    select (c.decided_at at time zone 'UTC')::date, p.organisation_id, p.currency, t.payment_type_group,
           t.payment_type, coalesce(p.settlement_id, ''), (t.transaction_id % 16)::smallint,
           0, 0, 0, 0, c.amount, 1
      from chargebacks c
      join payment_transactions t on t.transaction_id = c.transaction_id
      join payments p on p.payment_id = t.payment_id
     where c.status = 'LOST'),
  expected as (
    select day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
           sum(captured_amount) as captured_amount, sum(captured_count)::int as captured_count,
           sum(credited_amount) as credited_amount, sum(credited_count)::int as credited_count,
           sum(charged_back_amount) as charged_back_amount, sum(charged_back_count)::int as charged_back_count
      from facts
     group by 1, 2, 3, 4, 5, 6, 7),
  actual as (
    select day, organisation_id, currency, payment_type_group, payment_type, settlement_id, shard,
           captured_amount, captured_count, credited_amount, credited_count, charged_back_amount, charged_back_count
      from daily_volume)
  (select * from expected except select * from actual)
  union all
  (select * from actual except select * from expected)`;

/**
 * Keys where daily_outcomes' approvals differ from the operation log's: a transaction's first
 * AUTHORIZE entry is its approved attempt, counted on that entry's UTC day.
 */
const APPROVAL_MISMATCHES = `
  with expected as (
    select (a.first_at at time zone 'UTC')::date as day, p.organisation_id, t.currency, t.payment_type_group,
           count(*)::int as approved_count
      from (select transaction_id, min(created_at) as first_at from operation_log where operation = 'AUTHORIZE' group by 1) a
      join payment_transactions t on t.transaction_id = a.transaction_id
      join payments p on p.payment_id = t.payment_id
     group by 1, 2, 3, 4),
  actual as (select day, organisation_id, currency, payment_type_group, approved_count from daily_outcomes where approved_count > 0)
  (select * from expected except select * from actual)
  union all
  (select * from actual except select * from expected)`;

describe("demo data generator", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    expect(await ensureDemoData(database, { payments: 300 })).toBe(true);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("enrols the demo finance and admin users with the TOTP secrets the start banner prints", async () => {
    const banner = (await demoBanner(database))!;
    const users = await database.db.execute(sql`select email, role, totp_secret from staff_users`);
    const rows = ((users as unknown as { rows?: unknown[] }).rows ?? users) as Array<{
      email: string;
      role: string;
      totp_secret: string | null;
    }>;
    for (const demo of DEMO_USERS) {
      const row = rows.find((r) => r.email === demo.email)!;
      expect(row.totp_secret, demo.email).toBe(demo.totpSecret ?? null);
      const line = banner.split("\n").find((l) => l.includes(demo.email))!;
      expect(line).toContain(`password: ${demo.password}`);
      if (demo.role === "support") expect(line).not.toContain("totp:");
      else expect(line).toMatch(new RegExp(`totp: ${demo.totpSecret}$`));
    }
  });

  it("opens the demo chargebacks through the use-cases: OPEN with due dates, WON and LOST, audited and in the rollup", async () => {
    const seeded = await rows<{ status: string; due_date: string | null; amount: string; audits: number }>(
      database,
      `select c.status, c.due_date::text, c.amount::text,
              (select count(*)::int from audit_log a where a.entity_type = 'chargeback'
                 and a.entity_id = c.chargeback_id::text and a.actor_email = 'finance@paydesk.test') as audits
         from chargebacks c order by c.chargeback_id`,
    );
    expect(seeded.map((c) => c.status)).toEqual(["OPEN", "OPEN", "OPEN", "WON", "LOST"]);
    expect(seeded.filter((c) => c.status === "OPEN").every((c) => c.due_date !== null)).toBe(true);
    // Opening is audited, and so is a decision.
    expect(seeded.map((c) => c.audits)).toEqual([1, 1, 1, 2, 2]);
    // What OPEN and LOST ones hold is on their transactions; the LOST one is charged-back volume.
    expect(
      await count(
        database,
        `select 1 from payment_transactions t where t.charged_back_amount <> coalesce((select sum(c.amount)
           from chargebacks c where c.transaction_id = t.transaction_id and c.status in ('OPEN', 'LOST')), 0)`,
      ),
    ).toBe(0);
    const [volume] = await rows<{ amount: string }>(
      database,
      `select coalesce(sum(charged_back_amount), 0)::text as amount from daily_volume`,
    );
    expect(volume.amount).toBe(seeded[4].amount);
  });

  it("writes the requested number of payments over the last 90 days, ids and orders unique", async () => {
    const [stats] = await rows<{
      n: number;
      min_at: string;
      max_at: string;
      orders: number;
      min_id: number;
      max_id: number;
    }>(
      database,
      `select count(*)::int as n, min(created_at)::text as min_at, max(created_at)::text as max_at,
              count(distinct (organisation_id, order_id, order_version))::int as orders,
              min(payment_id)::int as min_id, max(payment_id)::int as max_id from payments`,
    );
    expect(stats.n).toBe(300);
    expect(stats.orders).toBe(300);
    expect(stats.max_id - stats.min_id + 1).toBe(300);
    const now = Date.now();
    expect(Date.parse(stats.min_at.replace(" ", "T").replace(/\+00$/, "Z"))).toBeGreaterThanOrEqual(
      now - 90 * 86_400_000 - 60_000,
    );
    expect(Date.parse(stats.max_at.replace(" ", "T").replace(/\+00$/, "Z"))).toBeLessThanOrEqual(now);
    expect(await count(database, `select 1 from payments where order_id !~ '^ORD-[0-9]{4}-[0-9]{6,}$'`)).toBe(0);
    expect(
      await count(
        database,
        `select 1 from payments p where not exists (select 1 from payment_transactions t where t.payment_id = p.payment_id)`,
      ),
    ).toBe(0);
    // Mostly NOK, amounts in whole cents, settlement ids per organisation, day and channel.
    expect(await count(database, `select 1 from payments where currency = 'NOK'`)).toBeGreaterThan(240);
    expect(await count(database, `select 1 from payments where total_amount <> round(total_amount, 2)`)).toBe(0);
    expect(
      await count(
        database,
        `select 1 from payments where settlement_id !~ '^EJ-[0-9]+-[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z-]+$'`,
      ),
    ).toBe(0);
    expect(await count(database, `select 1 from payments where settlement_id is not null`)).toBeGreaterThan(200);
    const customers = await count(database, `select 1 from payments where customer_number is not null`);
    expect(customers).toBeGreaterThan(120);
    expect(customers).toBeLessThan(240);
  });

  it("keeps every transaction's summary sums within the invariant and consistent with its status", async () => {
    expect(await count(database, `select 1 from payment_transactions`)).toBeGreaterThan(300);
    expect(
      await count(
        database,
        `select 1 from payment_transactions
          where not (credited_amount + reserved_amount <= captured_amount and captured_amount <= authorized_amount)`,
      ),
    ).toBe(0);
    const inconsistent = await rows(
      database,
      `select transaction_id, status, amount, authorized_amount, captured_amount, credited_amount, cancelled_amount
         from payment_transactions
        where (captured_amount = amount) <> (status in ('CAPTURED', 'CREDITED'))
           or (status in ('CAPTURED', 'CREDITED') and authorized_amount <> amount)
           or (status in ('CREATED', 'INITIATED') and authorized_amount <> 0)
           or (status = 'AUTHORIZED' and authorized_amount <> amount)
           or (credited_amount = amount) <> (status = 'CREDITED')
           or (status <> 'CREDITED' and credited_amount >= amount)
           or (cancelled_amount = amount) <> (status = 'CANCELLED')
           or (status = 'CANCELLED' and (captured_amount <> 0 or reserved_amount <> 0))`,
    );
    expect(inconsistent).toEqual([]);
    // credited and reserved are exactly what the credit transactions say.
    expect(
      await count(
        database,
        `select 1 from payment_transactions t
          where t.credited_amount <> coalesce((select sum(amount) from credit_transactions c
                                                where c.transaction_id = t.transaction_id and c.status = 'CREDITED'), 0)
             or t.reserved_amount <> coalesce((select sum(amount) from credit_transactions c
                                                where c.transaction_id = t.transaction_id and c.status = 'CREATED'), 0)`,
      ),
    ).toBe(0);
  });

  it("never lets a payment's non-cancelled transactions exceed its total; splits add up exactly", async () => {
    expect(
      await count(
        database,
        `select 1 from payments p
          where (select coalesce(sum(amount), 0) from payment_transactions t
                  where t.payment_id = p.payment_id and t.status <> 'CANCELLED') > p.total_amount`,
      ),
    ).toBe(0);
    const splits = await rows<{ payment_id: number }>(
      database,
      `select p.payment_id from payments p
        where (select count(*) from payment_transactions t where t.payment_id = p.payment_id and t.status <> 'CANCELLED') = 2
          and (select sum(amount) from payment_transactions t where t.payment_id = p.payment_id and t.status <> 'CANCELLED') = p.total_amount`,
    );
    expect(splits.length).toBeGreaterThan(3);
  });

  it("covers every transaction state, payment type and operation", async () => {
    const statuses = (await rows<{ status: string }>(database, `select distinct status from payment_transactions`)).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([...TRANSACTION_STATUSES].sort());
    const types = (
      await rows<{ t: string }>(database, `select distinct payment_type as t from payment_transactions`)
    ).map((r) => r.t);
    expect(types.sort()).toEqual([...PAYMENT_TYPES].sort());
    const operations = (await rows<{ o: string }>(database, `select distinct operation as o from operation_log`)).map(
      (r) => r.o,
    );
    expect(operations.sort()).toEqual([...OPERATIONS].sort());
    // Partially credited captured transactions and open (reserving) credits exist too.
    expect(
      await count(database, `select 1 from payment_transactions where status = 'CAPTURED' and credited_amount > 0`),
    ).toBeGreaterThan(0);
    expect(await count(database, `select 1 from payment_transactions where reserved_amount > 0`)).toBeGreaterThan(0);
    expect(
      await count(database, `select 1 from credit_transactions where status = 'FAILED' and failure_reason is not null`),
    ).toBeGreaterThan(0);
  });

  it("writes an operation log that matches each transaction's state, in time order, one CAPTURE at most", async () => {
    // The last state-changing operation decides the status.
    const mismatched = await rows(
      database,
      `select t.transaction_id, t.status, ops from payment_transactions t
         cross join lateral (select string_agg(operation, ',' order by id) as ops from operation_log o
                              where o.transaction_id = t.transaction_id) l
        where ops not like 'CREATE%'
           or (t.status = 'CREATED' and ops ~ '(INITIATE|AUTHORIZE|CAPTURE|CANCEL|IMPORT|CREDIT)')
           or (t.status = 'INITIATED' and (ops !~ 'INITIATE' or ops ~ '(AUTHORIZE|CAPTURE|CANCEL|IMPORT)'))
           or (t.status = 'AUTHORIZED' and (ops !~ 'AUTHORIZE$' ))
           or (t.status in ('CAPTURED', 'CREDITED') and ops !~ '(CAPTURE|IMPORT)')
           or (t.status = 'CANCELLED' and ops !~ 'CANCEL$')
           or (t.status = 'CREDITED' and ops !~ 'CREDIT$')`,
    );
    expect(mismatched).toEqual([]);
    expect(
      await count(
        database,
        `select 1 from operation_log a join operation_log b on a.transaction_id = b.transaction_id and a.id < b.id
          where a.created_at > b.created_at`,
      ),
    ).toBe(0);
    expect(
      await count(
        database,
        `select transaction_id from operation_log where operation = 'CAPTURE' group by 1 having count(*) > 1`,
      ),
    ).toBe(0);
    expect(
      await count(
        database,
        `select 1 from operation_log where correlation_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`,
      ),
    ).toBe(0);
    expect(
      await count(database, `select 1 from operation_log where actor_type = 'STAFF' and actor like '%@paydesk.test'`),
    ).toBeGreaterThan(0);
    expect(
      await count(
        database,
        `select 1 from operation_log where actor_type = 'CLIENT' and actor not in (select client_id from api_clients)`,
      ),
    ).toBe(0);
    expect(await count(database, `select 1 from operation_log where created_at > now()`)).toBe(0);
  });

  it("keeps the daily_volume rollup equal to what the operation log says", async () => {
    expect(await count(database, `select 1 from daily_volume`)).toBeGreaterThan(10);
    expect(await rows(database, ROLLUP_MISMATCHES)).toEqual([]);
  });

  it("counts authorization outcomes: approvals as the operation log has them, a few percent declined on provider pages", async () => {
    expect(await rows(database, APPROVAL_MISMATCHES)).toEqual([]);
    const [totals] = await rows<{ approved: number; declined: number; failed: number }>(
      database,
      `select sum(approved_count)::int as approved, sum(declined_count)::int as declined, sum(failed_count)::int as failed from daily_outcomes`,
    );
    expect(totals.approved).toBeGreaterThan(100);
    // Declines happen where a provider is asked (cards, Vipps, Collector), never in the future.
    expect(totals.declined).toBeGreaterThan(0);
    expect(totals.declined / (totals.approved + totals.declined + totals.failed)).toBeLessThan(0.15);
    expect(
      await count(
        database,
        `select 1 from daily_outcomes where (declined_count > 0 or failed_count > 0) and payment_type_group not in ('PAYMENTCARD', 'MOBILE', 'INVOICE')`,
      ),
    ).toBe(0);
    expect(await count(database, `select 1 from daily_outcomes where day > (now() at time zone 'UTC')::date`)).toBe(0);
  });

  it("gives every transaction its payment's organisation", async () => {
    expect(await count(database, `select 1 from payment_transactions`)).toBeGreaterThan(50);
    expect(
      await count(
        database,
        `select 1 from payment_transactions t join payments p on p.payment_id = t.payment_id
          where t.organisation_id is distinct from p.organisation_id`,
      ),
    ).toBe(0);
  });

  it("stores card data as last 4 digits or a masked PAN only", async () => {
    expect(await count(database, `select 1 from payment_transactions where card_number is not null`)).toBeGreaterThan(
      50,
    );
    expect(await count(database, `select 1 from payment_transactions where card_number !~ '^[0-9]{4}$'`)).toBe(0);
    expect(
      await count(database, `select 1 from recurring_payments where masked_pan !~ '^[0-9]{6}[*]{6}[0-9]{4}$'`),
    ).toBe(0);
    // No run of 13 or more digits (a PAN) anywhere in transactions, imports or the log.
    for (const table of ["payment_transactions", "operation_log", "credit_transactions", "recurring_payments"]) {
      expect(await count(database, `select 1 from ${table} x where row_to_json(x)::text ~ '[0-9]{13,}'`)).toBe(0);
    }
  });

  it("writes imports with rrn and terminal id, and credits that add up", async () => {
    expect(
      await count(
        database,
        `select 1 from payment_transactions where is_import and terminal_id is not null and rrn ~ '^[0-9]{12}$' and import_data ? 'transactionConfirmedAt'`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        database,
        `select 1 from credits c
          where c.total_credit_amount <> (select sum(amount) from credit_transactions t where t.credit_id = c.credit_id)
             or (c.status = 'CREDITED' and exists (select 1 from credit_transactions t where t.credit_id = c.credit_id and (t.status <> 'CREDITED' or t.credited_at is null)))`,
      ),
    ).toBe(0);
    expect(
      await count(
        database,
        `select 1 from credit_transactions c join payment_transactions t using (transaction_id)
          where c.reimbursement_method <> t.payment_type or c.reimbursement_type_group <> t.payment_type_group`,
      ),
    ).toBe(0);
  });

  it("deactivates version 1 of a changed order: inactive, nothing left open, version 2 active", async () => {
    const versions = await rows<{ v1_active: boolean; open: number }>(
      database,
      `select v1.active as v1_active,
              (select count(*)::int from payment_transactions t where t.payment_id = v1.payment_id
                 and t.status not in ('CANCELLED', 'CREDITED')) as open
         from payments v2 join payments v1
           on v1.organisation_id = v2.organisation_id and v1.order_id = v2.order_id and v1.order_version = 1
        where v2.order_version = 2`,
    );
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((v) => v.v1_active === false && v.open === 0)).toBe(true);
  });

  it("fills the customer side: one primary recurring payment per customer, agreements, gift cards, products, invoices", async () => {
    expect(
      await count(
        database,
        `select customer_number from recurring_payments where recurring_status <> 'CANCELLED'
          group by 1 having count(*) filter (where is_primary) <> 1`,
      ),
    ).toBe(0);
    expect(await count(database, `select 1 from recurring_payments where card_expires_at < expires_at`)).toBe(0);
    const statuses = (
      await rows<{ s: string }>(database, `select distinct recurring_status as s from recurring_payments`)
    ).map((r) => r.s);
    expect(statuses).toContain("ACTIVE");
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(
      await count(
        database,
        `select 1 from payment_agreements where agreement_id like 'agr\\_%' and provider->>'type' = 'VIPPS'`,
      ),
    ).toBeGreaterThan(10);
    expect(await count(database, `select 1 from gift_cards where expires_at < now()`)).toBeGreaterThan(0);
    expect(await count(database, `select 1 from gift_cards where expires_at > now()`)).toBeGreaterThan(0);
    expect(await count(database, `select 1 from customers`)).toBeGreaterThanOrEqual(300);
    expect(
      await count(
        database,
        `select 1 from products where char_length(product_code) > 12 or char_length(company_code) > 12`,
      ),
    ).toBe(0);
    expect(await count(database, `select 1 from products`)).toBeGreaterThan(50);
    const invoiceStatuses = (
      await rows<{ s: string }>(database, `select distinct status as s from customer_invoices order by 1`)
    ).map((r) => r.s);
    expect(invoiceStatuses).toEqual(["OPEN", "PAID"]);
    expect(
      await count(database, `select 1 from payment_methods where not enabled and disabled_reason is not null`),
    ).toBeGreaterThanOrEqual(1);
  });

  it("adds exactly N more payments with addPayments, keeping the rollup and sequences right", async () => {
    const before = await count(database, `select 1 from payments`);
    const summary = await addPayments(database, { payments: 150, seed: 99 });
    expect(summary.payments).toBe(150);
    expect(await count(database, `select 1 from payments`)).toBe(before + 150);
    expect(summary.lastPaymentId! - summary.firstPaymentId! + 1).toBe(150);
    expect(
      await count(
        database,
        `select 1 from payments group by organisation_id, order_id, order_version having count(*) > 1`,
      ),
    ).toBe(0);
    expect(await rows(database, ROLLUP_MISMATCHES)).toEqual([]);
    expect(await rows(database, APPROVAL_MISMATCHES)).toEqual([]);
    // The next id the app gets is past everything written.
    const [next] = await rows<{ next: string | number; max: string | number }>(
      database,
      `select nextval(pg_get_serial_sequence('payments', 'payment_id')) as next, (select max(payment_id) from payments) as max`,
    );
    expect(Number(next.next)).toBeGreaterThan(Number(next.max));
  });
});

const INDEXES = `select indexname, indexdef from pg_indexes
  where tablename in ('payments', 'payment_transactions', 'operation_log', 'credits', 'credit_transactions') order by 1`;
const FOREIGN_KEYS = `select conname, pg_get_constraintdef(oid) as def from pg_constraint
  where contype = 'f' and conrelid::regclass::text in ('payments', 'payment_transactions', 'operation_log', 'credits', 'credit_transactions')
  order by 1`;

describe("bulk mode", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    for (const client of DEMO_CLIENTS)
      await withDatabase(database, () =>
        createApiClient(systemCaller(), { ...client, channels: [...client.channels] }),
      );
  });
  afterAll(async () => {
    await database?.drop();
  });

  it.runIf(Boolean(process.env.DATABASE_URL))(
    "rebuilds every dropped index and foreign key, and the data is as consistent as incremental",
    async () => {
      const indexes = await rows(database, INDEXES);
      const foreignKeys = await rows(database, FOREIGN_KEYS);
      expect(indexes.length).toBeGreaterThan(20);
      expect(foreignKeys.length).toBeGreaterThan(5);
      const phases: string[] = [];
      const summary = await addPayments(database, {
        payments: 1200,
        mode: "bulk",
        chunkSize: 300,
        seed: 3,
        onProgress: ({ phase }) => phases.push(phase),
      });
      expect(summary.mode).toBe("bulk");
      expect(phases).toContain("indexing");
      expect(await count(database, `select 1 from payments`)).toBe(1200);
      expect(await rows(database, INDEXES)).toEqual(indexes);
      expect(await rows(database, FOREIGN_KEYS)).toEqual(foreignKeys);
      expect(await count(database, `select 1 from app_settings where key = 'seed:dropped-indexes'`)).toBe(0);
      expect(await rows(database, ROLLUP_MISMATCHES)).toEqual([]);
      expect(await rows(database, APPROVAL_MISMATCHES)).toEqual([]);
      expect(
        await count(
          database,
          `select 1 from payment_transactions where not (credited_amount + reserved_amount <= captured_amount and captured_amount <= authorized_amount)`,
        ),
      ).toBe(0);
    },
  );

  it.runIf(Boolean(process.env.DATABASE_URL))(
    "repairs the indexes a crashed bulk run left dropped, on the next run (even of 0 payments)",
    async () => {
      const indexes = await rows<{ indexname: string; indexdef: string }>(database, INDEXES);
      const victim = indexes.find((i) => i.indexname === "payments_customer_number_idx")!;
      expect(victim).toBeDefined();
      const foreignKey = `select quote_ident(conname) as name, conrelid::regclass::text as tbl,
                                 pg_get_constraintdef(oid) as def, convalidated
                            from pg_constraint where conname = 'payment_transactions_payment_organisation_fk'`;
      const [fk] = await rows<{ name: string; tbl: string; def: string; convalidated: boolean }>(database, foreignKey);
      expect(fk.convalidated).toBe(true);
      // What dropSecondaryIndexes leaves behind when the process dies before rebuilding.
      await database.db.execute(
        sql`insert into app_settings (key, value) values ('seed:dropped-indexes', ${JSON.stringify({
          indexes: [{ name: victim.indexname, def: victim.indexdef }],
          foreignKeys: [{ name: fk.name, tbl: fk.tbl, def: fk.def }],
        })}::jsonb)`,
      );
      await database.db.execute(sql.raw(`drop index ${victim.indexname}`));
      await database.db.execute(sql.raw(`alter table ${fk.tbl} drop constraint ${fk.name}`));
      expect((await rows(database, INDEXES)).length).toBe(indexes.length - 1);
      const summary = await addPayments(database, { payments: 0 });
      expect(summary.repairedIndexes).toBe(true);
      expect(await rows(database, INDEXES)).toEqual(indexes);
      // The foreign key is back, and validated: every row was checked, as ADD CONSTRAINT would.
      expect(await rows(database, foreignKey)).toEqual([fk]);
      expect(await count(database, `select 1 from app_settings where key = 'seed:dropped-indexes'`)).toBe(0);
    },
  );

  it.runIf(!process.env.DATABASE_URL)("is refused on PGlite with a clear message", async () => {
    await expect(addPayments(database, { payments: 10, mode: "bulk" })).rejects.toThrow(
      /bulk mode needs a PostgreSQL server/,
    );
  });
});

describe("demo data generator determinism", () => {
  it("produces the same payments, transactions and operations for the same seed and time", async () => {
    const now = new Date("2026-11-20T12:00:00.000Z");
    const digests: string[] = [];
    for (let i = 0; i < 2; i++) {
      const database = await createTestDatabase();
      try {
        for (const client of DEMO_CLIENTS)
          await withDatabase(database, () =>
            createApiClient(systemCaller(), { ...client, channels: [...client.channels] }),
          );
        await seedDemoData(database, { payments: 200, seed: 42, now });
        const [row] = await rows<{ digest: string }>(
          database,
          `select md5(
             (select string_agg(concat_ws('|', payment_id, order_id, order_version, total_amount, currency, active,
                                          settlement_id, customer_number, created_at), ',' order by payment_id) from payments) ||
             (select string_agg(concat_ws('|', transaction_id, payment_id, amount, status, payment_type, rrn, card_number,
                                          captured_amount, credited_amount, reserved_amount), ',' order by transaction_id) from payment_transactions) ||
             (select string_agg(concat_ws('|', id, transaction_id, operation, amount, correlation_id, created_at), ',' order by id) from operation_log)
           ) as digest`,
        );
        digests.push(row.digest);
      } finally {
        await database.drop();
      }
    }
    expect(digests[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(digests[1]).toBe(digests[0]);
  });
});

// Its first case migrates a brand-new database and seeds it, and another starts a child process:
// seconds alone, over a minute beside a full run's other workers on two cores.
describe("npm run db:seed", { timeout: 180_000 }, () => {
  // A brand-new database a child process can open too.
  const target = useSharedDatabase("seed", { migrate: false });

  it("creates the demo base on an empty database, then adds exactly N more payments per run", async () => {
    // The first run through the command's main in this process, the second as the command itself.
    const first = await runMain(seedMain, ["--payments", "60", "--seed", "5"], target.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Seeded the demo base and 60 payments/);

    const second = await runScript("db/seed-cli.ts", ["--payments", "45"], target.env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Added 45 payments \(payment ids 61–105\)/);
    expect(second.stdout).toMatch(/60 before, 105 now/);

    const handle = await target.open();
    try {
      expect(await count(handle, `select 1 from payments`)).toBe(105);
      expect(await count(handle, `select 1 from staff_users`)).toBe(3);
      expect(await rows(handle, ROLLUP_MISMATCHES)).toEqual([]);
      expect(await rows(handle, APPROVAL_MISMATCHES)).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it("exits 1 with the lock message while another process holds the embedded database", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-seed-lock-"));
    const holder = await openDatabase({ dataDir });
    try {
      const result = await runScript("db/seed-cli.ts", ["--payments", "10"], {
        PAYDESK_DATA_DIR: dataDir,
        DATABASE_URL: "",
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`is in use by another Paydesk process (pid ${process.pid})`);
      expect(result.stderr).toContain("DATABASE_URL");
    } finally {
      await holder.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    // A new embedded data directory and a child process: seconds alone, over a minute beside a
    // full run's other workers on two cores.
  }, 180_000);

  it("rejects a bad --payments with exit code 2 naming the flag", async () => {
    const result = await runMain(seedMain, ["--payments", "many"], target.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--payments must be a whole number/);
    expect(result.stdout).toBe("");
  });
});

// ---------------------------------------------------------------- the command's database

describe("demo mode never touches a database in use", () => {
  it("seeds nothing where an API client already exists (set up with the CLI after PAYDESK_SEED=none)", async () => {
    const handle = await createTestDatabase();
    try {
      await withDatabase(handle, () => createApiClient(systemCaller(), { name: "Real shop", organisationId: 5 }));
      expect(await ensureDemoData(handle, { payments: 10 })).toBe(false);
      expect(await handle.db.select().from(staffUsers)).toEqual([]);
    } finally {
      await handle.drop();
    }
  });
});
