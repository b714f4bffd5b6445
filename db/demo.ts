// Demo mode: the first start on an empty database fills it with a living system, and every
// start prints how to log in. Demo passwords and tokens are fixed and public on purpose: they
// only ever exist in a database that was seeded as a demo (PAYDESK_SEED=none skips all this).
import { eq, sql } from "drizzle-orm";
import {
  apiClients,
  appSettings,
  customerInvoices,
  customers,
  organisations,
  paymentAgreements,
  payments,
  products,
  recurringPayments,
  staffUsers,
} from "./schema";
import type { DatabaseHandle } from "./client";
import { createApiClient } from "../app/services/admin/api-clients.server";
import { createStaffUser } from "../app/services/admin/staff-users.server";
import type { SystemCaller } from "../app/domain/caller";
import { withDatabase } from "../app/platform/db.server";
import { hashPassword } from "../app/auth/password.server";
import type { Role } from "../app/auth/roles";
import { seedDemoData, type AddPaymentsOptions, type SeedSummary } from "./seed";
import { seedDemoChargebacks } from "./seed/chargebacks";

/**
 * Finance and admin log in with a second factor: theirs is enrolled already, with a fixed TOTP
 * secret printed at start (and in the README) to add to any authenticator app.
 */
export const DEMO_USERS: ReadonlyArray<{
  email: string;
  name: string;
  role: Role;
  password: string;
  totpSecret?: string;
}> = [
  { email: "support@paydesk.test", name: "Siri Support", role: "support", password: "support-demo-2026" },
  {
    email: "finance@paydesk.test",
    name: "Finn Finance",
    role: "finance",
    password: "finance-demo-2026",
    totpSecret: "YJD2S4VS6WDBOWHYVQMCEXJ2LHUOGHUZ",
  },
  {
    email: "admin@paydesk.test",
    name: "Ada Admin",
    role: "admin",
    password: "admin-demo-2026",
    totpSecret: "NQFAAEY2BQCM33ZQX5SWPYYHR2TNTKLI",
  },
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
export async function ensureDemoData(
  handle: DatabaseHandle,
  options: { payments?: number; chargebacks?: boolean } = {},
): Promise<boolean> {
  if (!(await isEmptyDatabase(handle))) return false;
  const started = Date.now();
  console.log("Empty database: seeding demo data (one time)…");
  await seedDemoDatabase(handle, { payments: options.payments ?? 3000, chargebacks: options.chargebacks });
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
    const [row] = await handle.db
      .select({ one: sql<number>`1` })
      .from(table)
      .limit(1);
    if (row) return false;
  }
  return true;
}

/**
 * The demo base (staff users, API clients with their payment methods) plus the generated data
 * (db/seed.ts), a few chargebacks (db/seed/chargebacks.ts; `chargebacks: false` leaves them out)
 * and the marker that makes demoBanner print the logins. For an empty database.
 */
export async function seedDemoDatabase(
  handle: DatabaseHandle,
  options: {
    payments: number;
    seed?: number;
    now?: Date;
    onProgress?: AddPaymentsOptions["onProgress"];
    chargebacks?: boolean;
  },
): Promise<SeedSummary> {
  const seed: SystemCaller = { kind: "system", name: "demo-seed", correlationId: crypto.randomUUID() };
  await withDatabase(handle, async () => {
    for (const user of DEMO_USERS) await createStaffUser(seed, user);
    await handle.db
      .insert(organisations)
      .values([...DEMO_ORGANISATIONS])
      .onConflictDoNothing();
    for (const client of DEMO_CLIENTS) {
      await createApiClient(seed, {
        ...client,
        channels: [...client.channels],
        allowedRedirectPrefixes: ["http://localhost:", "http://127.0.0.1:", "https://example.com/"],
      });
    }
  });
  const summary = await seedDemoData(handle, options);
  await seedDemoCustomers(handle, options.now ?? new Date());
  if (options.chargebacks !== false) {
    const finance = DEMO_USERS.find((user) => user.role === "finance")!;
    await seedDemoChargebacks(handle, finance.email, new Date());
  }
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
    ...DEMO_USERS.map(
      (u) =>
        `  ${u.role.padEnd(8)} ${u.email.padEnd(width)}  password: ${u.password.padEnd(18)}${u.totpSecret ? `  totp: ${u.totpSecret}` : ""}`,
    ),
    "Demo API clients (Authorization: Bearer <token>, plus an ET-Client-Name header):",
    ...DEMO_CLIENTS.map((c) => `  ${c.clientId.padEnd(15)} ${c.token}`),
    "Demo customers (self-service at /account/login):",
    ...DEMO_CUSTOMERS.map((c) => `  ${c.customerNumber.padEnd(8)} ${c.email.padEnd(24)}  password: ${c.password}`),
  ].join("\n");
}

// ---------------------------------------------------------------- self-service customers

/**
 * Customers who can log in at /account/login, with products (subscriptions) and open and paid
 * invoices. Their numbers, product codes and invoice numbers have the shape of the generated
 * ones (db/seed.ts: 6-digit customers, P<customer><n>, F<7 digits>) but lie outside their ranges.
 */
export const DEMO_CUSTOMERS = [
  {
    customerNumber: "200001",
    name: "Kari Nordmann",
    email: "kari.nordmann@example.no",
    password: "kari-demo-2026",
    organisationId: 20,
  },
  {
    customerNumber: "200002",
    name: "Ola Hansen",
    email: "ola.hansen@example.no",
    password: "ola-demo-2026",
    organisationId: 30,
  },
] as const;

const DEMO_PRODUCTS = [
  {
    productCode: "P2000011",
    customerNumber: "200001",
    organisationId: 20,
    companyCode: "NORDBUSS",
    name: "Månedskort Nordbuss",
    currentPaymentMethod: "invoice",
  },
  {
    productCode: "P2000013",
    customerNumber: "200001",
    organisationId: 20,
    companyCode: "NORDBUSS",
    name: "Ungdomskort 30 dager",
    currentPaymentMethod: "recurringVippsPayment",
  },
  {
    productCode: "P2000015",
    customerNumber: "200001",
    organisationId: 1,
    companyCode: "ENTUR",
    name: "Periodebillett 30 dager",
    currentPaymentMethod: "autoGiro",
  },
  {
    productCode: "P2000021",
    customerNumber: "200002",
    organisationId: 30,
    companyCode: "FJORDFERJE",
    name: "Årskort ferje",
    currentPaymentMethod: "recurringPayExCardPayment",
  },
] as const;

const DEMO_INVOICES = [
  { invoiceNumber: "F2000001", productCode: "P2000011", amount: "590.00", dueInDays: 12, paid: false },
  { invoiceNumber: "F2000002", productCode: "P2000011", amount: "590.00", dueInDays: -18, paid: true },
  { invoiceNumber: "F2000003", productCode: "P2000013", amount: "395.00", dueInDays: 5, paid: false },
  { invoiceNumber: "F2000004", productCode: "P2000015", amount: "1290.00", dueInDays: -3, paid: false },
  { invoiceNumber: "F2000005", productCode: "P2000021", amount: "2450.00", dueInDays: 20, paid: false },
  { invoiceNumber: "F2000006", productCode: "P2000021", amount: "2450.00", dueInDays: -345, paid: true },
] as const;

export async function seedDemoCustomers(handle: DatabaseHandle, now: Date): Promise<void> {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);
  await handle.db.insert(customers).values(
    await Promise.all(
      DEMO_CUSTOMERS.map(async ({ password, ...customer }) => ({
        ...customer,
        passwordHash: await hashPassword(password),
        createdAt: day(-400),
      })),
    ),
  );
  await handle.db
    .insert(products)
    .values(DEMO_PRODUCTS.map((p) => ({ ...p, createdAt: day(-400), updatedAt: day(-400) })));
  await handle.db.insert(customerInvoices).values(
    DEMO_INVOICES.map(({ dueInDays, paid, ...invoice }) => {
      const product = DEMO_PRODUCTS.find((p) => p.productCode === invoice.productCode)!;
      return {
        ...invoice,
        companyCode: product.companyCode,
        customerNumber: product.customerNumber,
        dueDate: day(dueInDays).toISOString().slice(0, 10),
        status: paid ? ("PAID" as const) : ("OPEN" as const),
        paidAt: paid ? day(dueInDays - 2) : null,
        createdAt: day(dueInDays - 20),
        updatedAt: paid ? day(dueInDays - 2) : day(dueInDays - 20),
      };
    }),
  );
  // The subscriptions that are paid automatically have what pays them: Kari's youth pass an
  // active Vipps agreement, Ola's ferry pass a stored card (primary) beside an older one that
  // has expired, so the Customers screen and the recurring payment and agreement routes have something to show.
  await handle.db.insert(paymentAgreements).values({
    agreementId: "agr_demo_kari_vipps",
    organisationId: 20,
    clientId: "nordbuss-web",
    customerNumber: "200001",
    productName: "Ungdomskort 30 dager",
    pricing: { type: "LEGACY", amount: "395.00", currency: "NOK" },
    provider: { type: "VIPPS", phoneNumber: "+4791234567" },
    status: "ACTIVE",
    createdAt: day(-200),
    updatedAt: day(-200),
  });
  const cardExpiresAt = (monthsAhead: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead + 1, 1) - 1);
  await handle.db.insert(recurringPayments).values([
    {
      organisationId: 30,
      clientId: "fjordferje-app",
      customerNumber: "200002",
      nickname: "Visa privat",
      isPrimary: true,
      recurringStatus: "ACTIVE",
      paymentType: "VISA",
      maskedPan: "411111******1111",
      panHash: "demo-pan-hash-ola-visa",
      cardExpiresAt: cardExpiresAt(26),
      expiresAt: cardExpiresAt(26),
      createdAt: day(-120),
      updatedAt: day(-120),
    },
    {
      organisationId: 30,
      clientId: "fjordferje-app",
      customerNumber: "200002",
      nickname: "Gammelt Mastercard",
      isPrimary: false,
      recurringStatus: "ACTIVE",
      paymentType: "MASTERCARD",
      maskedPan: "552100******0004",
      panHash: "demo-pan-hash-ola-mc",
      cardExpiresAt: cardExpiresAt(-2),
      expiresAt: cardExpiresAt(-2),
      createdAt: day(-700),
      updatedAt: day(-700),
    },
  ]);
}
