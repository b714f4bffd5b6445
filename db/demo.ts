// Demo mode: the first start on an empty database fills it with a living system, and every
// start prints how to log in. Demo passwords and tokens are fixed and public on purpose: they
// only ever exist in a database that was seeded as a demo (PAYDESK_SEED=none skips all this).
import { eq, sql } from "drizzle-orm";
import { apiClients, appSettings, organisations, payments, staffUsers } from "./schema";
import type { DatabaseHandle } from "./client";
import { createApiClient } from "../app/services/api-clients.server";
import { createStaffUser } from "../app/services/staff-users.server";
import type { Role } from "../app/auth/roles";
import { seedDemoData, type AddPaymentsOptions, type SeedSummary } from "./seed";

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; password: string }> = [
  { email: "support@paydesk.test", name: "Siri Support", role: "support", password: "support-demo-2026" },
  { email: "finance@paydesk.test", name: "Finn Finance", role: "finance", password: "finance-demo-2026" },
  { email: "admin@paydesk.test", name: "Ada Admin", role: "admin", password: "admin-demo-2026" },
];

export const DEMO_CLIENTS = [
  {
    clientId: "entur-sales",
    name: "Entur Sales (internal)",
    organisationId: 1,
    privileged: true,
    onBehalfOfAllowed: true,
    channels: ["web", "app", "ticket-machine", "customer-service"],
    token: "pd_demo_entur_sales_0000000000000000000000000",
  },
  {
    clientId: "nordbuss-web",
    name: "Nordbuss web shop",
    organisationId: 20,
    privileged: false,
    onBehalfOfAllowed: false,
    channels: ["web", "app"],
    token: "pd_demo_nordbuss_web_00000000000000000000000",
  },
  {
    clientId: "fjordferje-app",
    name: "Fjordferje app",
    organisationId: 30,
    privileged: false,
    onBehalfOfAllowed: false,
    channels: ["app"],
    token: "pd_demo_fjordferje_app_0000000000000000000000",
  },
] as const;

export const DEMO_ORGANISATIONS = [
  { id: 1, name: "Entur" },
  { id: 20, name: "Nordbuss AS" },
  { id: 30, name: "Fjordferje AS" },
] as const;

const DEMO_KEY = "demo";

/** Seeds the demo data into an empty database; a database with anything in it is left alone. */
export async function ensureDemoData(handle: DatabaseHandle, options: { payments?: number } = {}): Promise<boolean> {
  if (!(await isEmptyDatabase(handle))) return false;
  const started = Date.now();
  console.log("Empty database: seeding demo data (one time)…");
  await seedDemoDatabase(handle, { payments: options.payments ?? 3000 });
  console.log(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

/**
 * True when nobody has put anything in: no staff user, no API client, no payment. Demo users
 * with public passwords must never appear in a database that someone set up for real use
 * (for example with the CLI, after a start with PAYDESK_SEED=none).
 */
export async function isEmptyDatabase(handle: DatabaseHandle): Promise<boolean> {
  for (const table of [staffUsers, apiClients, payments]) {
    const [row] = await handle.db.select({ one: sql<number>`1` }).from(table).limit(1);
    if (row) return false;
  }
  return true;
}

/**
 * The demo base (staff users, API clients with their payment methods) plus the generated data
 * (db/seed.ts), and the marker that makes demoBanner print the logins. For an empty database.
 */
export async function seedDemoDatabase(
  handle: DatabaseHandle,
  options: { payments: number; seed?: number; now?: Date; onProgress?: AddPaymentsOptions["onProgress"] },
): Promise<SeedSummary> {
  for (const user of DEMO_USERS) await createStaffUser(handle.db, user);
  await handle.db.insert(organisations).values([...DEMO_ORGANISATIONS]).onConflictDoNothing();
  for (const client of DEMO_CLIENTS) {
    await createApiClient(handle.db, {
      ...client,
      channels: [...client.channels],
      allowedRedirectPrefixes: ["http://localhost:", "http://127.0.0.1:", "https://example.com/"],
    });
  }
  const summary = await seedDemoData(handle, options);
  await handle.db
    .insert(appSettings)
    .values({ key: DEMO_KEY, value: { seededAt: new Date().toISOString(), ...summary } })
    .onConflictDoNothing();
  return summary;
}

/** The login lines printed at start, only for a database seeded as a demo. */
export async function demoBanner(handle: DatabaseHandle): Promise<string | null> {
  const [demo] = await handle.db.select().from(appSettings).where(eq(appSettings.key, DEMO_KEY));
  if (!demo) return null;
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  return [
    "Demo logins (this database was seeded with demo data):",
    ...DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email.padEnd(width)}  password: ${u.password}`),
    "Demo API clients (Authorization: Bearer <token>, plus an ET-Client-Name header):",
    ...DEMO_CLIENTS.map((c) => `  ${c.clientId.padEnd(15)} ${c.token}`),
  ].join("\n");
}
