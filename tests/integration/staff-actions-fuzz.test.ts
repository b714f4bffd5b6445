// Property test of every staff form action: random form posts (long strings, NUL and other
// control characters, unicode, files where text belongs, missing and repeated fields, unknown
// intents, huge and negative amounts) as every role. Whatever is posted, the answer is never a
// 5xx, and a refused post (4xx) changes nothing in the database. Valid values are mixed in, so
// the actions also get past their parsing and reach the services with odd but well-formed input.
// Every action gets PAYDESK_FUZZ_RUNS random posts as each role (default 3: `npm test` stays
// quick, and each run draws new ones); set it higher to search harder, e.g. PAYDESK_FUZZ_RUNS=50.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { callbackOutbox } from "../../db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../app/auth/roles";
import type { TestClient } from "../support/api";
import { startTestServer, type TestServer } from "../support/server";
import { createStaffFixtures, type StaffFixtures } from "../support/staff-fixtures";

let server: TestServer;
let client: TestClient;
let cookies: Map<Role, string>;
let f: StaffFixtures;
/** A delivered callback of the fixtures' target client. */
let callbackId: number;
const CUSTOMER = "4711002";
const RUNS_PER_ROLE = Number(process.env.PAYDESK_FUZZ_RUNS || 3);

beforeAll(async () => {
  server = await startTestServer();
  f = await createStaffFixtures(server, CUSTOMER);
  ({ client, cookies } = f);
  const [row] = await server.database.db
    .insert(callbackOutbox)
    .values({
      url: "https://fuzz.example/hooks",
      target: "https://fuzz.example",
      payload: { status: "AUTHORIZED" },
      clientId: f.targetClientId,
      deliveredAt: new Date(),
    })
    .returning({ id: callbackOutbox.id });
  callbackId = row.id;
}, 120_000);
afterAll(() => server?.close());

/** Tables a staff action may write (sessions, rate limits and idempotency marks aside). */
const WRITTEN = [
  "organisations",
  "api_clients",
  "payment_methods",
  "payments",
  "payment_transactions",
  "operation_log",
  "credits",
  "credit_transactions",
  "recurring_payments",
  "payment_agreements",
  "invoices",
  "callback_outbox",
  "callback_attempts",
  "callback_pauses",
  "staff_users",
  "audit_log",
  "app_settings",
  "daily_volume",
  "chargebacks",
  "bulk_credit_runs",
  "bulk_credit_items",
];

/** Every row of those tables, hashed per table in one query: what a refused post must not change. */
async function fingerprint(): Promise<Record<string, string>> {
  const hashes = WRITTEN.map(
    (table) => `(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${table} t) as ${table}`,
  );
  const rows = await server.database.db.execute(sql.raw(`select ${hashes.join(", ")}`));
  const list = Array.isArray(rows) ? rows : (rows as unknown as { rows: unknown[] }).rows;
  return list[0] as Record<string, string>;
}

// ---------------------------------------------------------------- what is posted

/** Text no form should accept as is, and text that breaks naive parsing. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.integer({ min: 50, max: 3000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 101, max: 400 }).map((n) => "7".repeat(n)),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\t\n",
    "\u202e",
    "\ud83d\udca9",
    "0",
    "-1",
    "-5.00",
    "0.00",
    "1e308",
    "Infinity",
    "NaN",
    "9007199254740993",
    "99999999999999999999999999",
    "9999999999999.99999",
    "10000000000000.00",
    "1,50",
    "0.000001",
    "null",
    "undefined",
    "true",
    "on",
    "[]",
    "{}",
    "<script>",
    "'; drop table payments; --",
    "../../etc/passwd",
    "__proto__",
    "constructor",
    "1:2",
    "0:0",
    "99999999999999999:1",
  ),
);

type Value = string | Blob;

/** A field's value: usually a sensible one, else something nasty, a file, or nothing. */
function field(valid: fc.Arbitrary<string>): fc.Arbitrary<Value[]> {
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((v) => [v]) },
    { weight: 3, arbitrary: nasty.map((v) => [v]) },
    { weight: 1, arbitrary: fc.constant([] as Value[]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(valid, nasty), { minLength: 2, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant<Value[]>([new Blob(["file content"], { type: "text/plain" })]) },
  );
}

const amount = fc.oneof(
  fc.constantFrom("1.00", "5.00", "10", "0.01", "30.00", "70.00", "80.00"),
  fc.bigInt({ min: 1n, max: 10n ** 18n }).map((n) => `${n / 100000n}.${String(n % 100000n).padStart(5, "0")}`),
);

type ActionCase = {
  path: () => fc.Arbitrary<string>;
  intent: string;
  fields: () => Record<string, fc.Arbitrary<string>>;
};

const ids = (...known: Array<() => number | string>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known).map((id) => String(id())) },
    { weight: 1, arbitrary: fc.constantFrom("0", "999999999", "99999999999999999999", "abc", "-1") },
  );
const pathWith = (prefix: string, id: () => number | string) => () =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constant(`${prefix}/${id()}`) },
    { weight: 1, arbitrary: fc.constantFrom("0", "99999999999999999999", "x").map((bad) => `${prefix}/${bad}`) },
  );
const reason = fc.oneof(fc.constant("Fuzzing the staff forms"), fc.constant(""), nasty);

const paymentPath = pathWith("/payments", () => f.authorized.paymentId);
const capturedPath = pathWith("/payments", () => f.captured.paymentId);
const transactionIds = () =>
  ids(
    () => f.authorized.transactionId,
    () => f.captured.transactionId,
    () => f.deactivated.transactionId,
  );

const ACTIONS: ActionCase[] = [
  { path: paymentPath, intent: "capture", fields: () => ({ transactionId: transactionIds() }) },
  { path: paymentPath, intent: "cancel", fields: () => ({ transactionId: transactionIds() }) },
  { path: capturedPath, intent: "credit", fields: () => ({ transactionId: transactionIds(), amount }) },
  { path: capturedPath, intent: "deactivate", fields: () => ({}) },
  { path: paymentPath, intent: "resolve", fields: () => ({ operationId: transactionIds() }) },
  {
    path: pathWith("/payments", () => f.deactivated.paymentId),
    intent: "reactivate",
    fields: () => ({ totalAmount: amount }),
  },
  {
    path: capturedPath,
    intent: "invoice",
    fields: () => ({
      transactionId: transactionIds(),
      amount,
      externalInvoiceNumber: fc.constantFrom("INV-1", "2026-0001"),
      customerIdentificationNumber: fc.constantFrom("1234567890", "KID-1"),
      languageCode: fc.constantFrom("nob", "eng", "NOB"),
    }),
  },
  {
    path: () => fc.constant("/credits/new"),
    intent: "create",
    fields: () => ({
      line: fc.constantFrom(
        `${f.captured.paymentId}:${f.captured.transactionId}`,
        `${f.authorized.paymentId}:${f.authorized.transactionId}`,
        `${f.captured.paymentId}:${f.authorized.transactionId}`,
      ),
      [`amount-${f.captured.transactionId}`]: amount,
      [`amount-${f.authorized.transactionId}`]: amount,
      orderId: fc.constantFrom("ORDER-1", "order 2"),
      settlementId: fc.constantFrom("S-1", "settlement 2"),
    }),
  },
  { path: pathWith("/credits", () => f.creditId), intent: "execute", fields: () => ({}) },
  {
    path: pathWith("/credits", () => f.creditId),
    intent: "updateSettlement",
    fields: () => ({ settlementId: fc.constantFrom("S-FUZZ", "S 2") }),
  },
  { path: pathWith("/credits", () => f.creditId), intent: "deactivate", fields: () => ({}) },
  {
    path: () => fc.constant("/credits?index"),
    intent: "setFourEyesThreshold",
    fields: () => ({ currency: fc.constantFrom("NOK", "nok", "SEK", "EUR", "XXX"), amount }),
  },
  ...(["make-primary", "end-recurring", "stop-agreement"] as const).map((intent) => ({
    path: pathWith("/customers", () => CUSTOMER),
    intent,
    fields: () => ({
      target: ids(
        () => f.recurringPaymentId,
        () => "agr_unknown",
      ),
    }),
  })),
  ...(["disable", "enable"] as const).map((intent) => ({
    path: () => fc.constant("/payment-methods"),
    intent,
    fields: () => ({ methodId: ids(() => f.methodId) }),
  })),
  ...(["bulk-preview", "bulk-apply"] as const).map((intent) => ({
    path: () => fc.constant("/payment-methods"),
    intent,
    fields: () => ({
      paymentType: fc.constantFrom("VIPPS", "VISA", "NOPE"),
      clientId: ids(() => f.client.clientId),
      allClients: fc.constantFrom("on", ""),
      channel: fc.constantFrom("web", "app"),
      allChannels: fc.constantFrom("on", ""),
      enabled: fc.constantFrom("true", "false", "maybe"),
      fingerprint: fc.constantFrom("x", ""),
    }),
  })),
  ...(["bulk-credit-preview", "bulk-credit"] as const).map((intent) => ({
    path: () => fc.constant("/payments?index"),
    intent,
    fields: () => ({
      paymentId: ids(
        () => f.captured.paymentId,
        () => f.authorized.paymentId,
      ),
      amount: fc.constantFrom("full", "percentage", "half"),
      percentage: fc.constantFrom("50", "0", "100.01", "12,5"),
      runId: fc.constantFrom("6f0c1a52-4a4b-4c1e-9d53-1f0e8b7c2a10", "not-a-run"),
      fingerprint: fc.constantFrom("x", ""),
    }),
  })),
  {
    path: () => fc.constant("/users"),
    intent: "create",
    fields: () => ({
      email: fc.emailAddress(),
      name: fc.constantFrom("New person", "Ådne Øvre"),
      role: fc.constantFrom(...ROLES, "root"),
      password: fc.constantFrom("a long enough password 1", "short"),
    }),
  },
  {
    path: () => fc.constant("/users"),
    intent: "change-role",
    fields: () => ({ userId: ids(() => f.targetUser.id), role: fc.constantFrom(...ROLES, "root") }),
  },
  ...(["disable", "enable"] as const).map((intent) => ({
    path: () => fc.constant("/users"),
    intent,
    fields: () => ({ userId: ids(() => f.targetUser.id) }),
  })),
  {
    path: () => fc.constant("/api-clients"),
    intent: "create",
    fields: () => ({
      name: fc.constantFrom("Fuzz shop", "Butikk Æ"),
      organisation: fc.constantFrom("new", "1", String(client.organisationId)),
      organisationId: fc.integer({ min: 9000, max: 9999 }).map(String),
      organisationName: fc.constantFrom("Fuzz AS"),
      channels: fc.constantFrom("web", "web,app", "web\napp"),
      allowedRedirectPrefixes: fc.constantFrom("https://fuzz.example/", "http://x"),
      privileged: fc.constantFrom("on"),
      onBehalfOfAllowed: fc.constantFrom("on"),
    }),
  },
  ...(["rotate-token", "disable", "enable"] as const).map((intent) => ({
    path: () => fc.constant("/api-clients"),
    intent,
    fields: () => ({ clientId: ids(() => f.targetClientId) }),
  })),
  {
    path: () => fc.constant("/api-clients"),
    intent: "update",
    fields: () => ({
      clientId: ids(() => f.targetClientId),
      channels: fc.constantFrom("web", "web,app"),
      allowedRedirectPrefixes: fc.constantFrom("https://fuzz.example/", ""),
    }),
  },
  {
    path: pathWith("/callbacks", () => callbackId),
    intent: "resend",
    fields: () => ({ callbackId: ids(() => callbackId) }),
  },
  {
    path: () =>
      fc.constantFrom(
        `/callbacks?index&clientId=${f.targetClientId}`,
        "/callbacks?index&state=DELIVERED",
        "/callbacks?index&state=NOPE&from=2026-13-01",
      ),
    intent: "resendFiltered",
    fields: () => ({ expected: fc.constantFrom("1", "0", "2") }),
  },
  ...(["pauseTarget", "resumeTarget"] as const).map((intent) => ({
    path: pathWith("/callbacks", () => callbackId),
    intent,
    fields: () => ({
      clientId: ids(() => f.targetClientId),
      target: fc.constantFrom("https://fuzz.example", "https://other.example", "not a url"),
    }),
  })),
  {
    path: capturedPath,
    intent: "openChargeback",
    fields: () => ({
      transactionId: transactionIds(),
      amount,
      reasonCode: fc.constantFrom("10.4", "4837", "13.1"),
      dueDate: fc.constantFrom("2027-01-31", "2027-02-30", "31.01.2027", ""),
      notes: fc.constantFrom("Scheme notice", "4111 1111 1111 1111", ""),
      evidence: fc.constantFrom("Receipt", ""),
    }),
  },
  {
    path: pathWith("/chargebacks", () => f.chargebackId),
    intent: "evidence",
    fields: () => ({
      notes: fc.constantFrom("More notes", ""),
      evidence: fc.constantFrom("Signed delivery", "4111-1111-1111-1111"),
      dueDate: fc.constantFrom("2027-03-01", "2027-13-01", ""),
    }),
  },
  {
    path: pathWith("/chargebacks", () => f.chargebackId),
    intent: "decide",
    fields: () => ({ outcome: fc.constantFrom("WON", "LOST", "OPEN", "won") }),
  },
];

type Post = { role: Role; path: string; multipart: boolean; entries: Array<[string, Value]> };

function postArbitrary(action: ActionCase, role: Role): fc.Arbitrary<Post> {
  const named = { intent: fc.constant(action.intent), reason, ...action.fields() };
  const fieldArbitraries = Object.fromEntries(
    Object.entries(named).map(([name, valid]) => [
      name,
      name === "intent"
        ? fc.oneof({ weight: 8, arbitrary: valid.map((v) => [v] as Value[]) }, { weight: 2, arbitrary: field(nasty) })
        : field(valid),
    ]),
  );
  return fc
    .record({
      role: fc.constant(role),
      path: action.path(),
      values: fc.record(fieldArbitraries),
      extra: fc.array(fc.tuple(nasty, nasty), { maxLength: 2 }),
      multipart: fc.boolean(),
    })
    .map(({ role, path, values, extra, multipart }) => {
      const entries: Array<[string, Value]> = [];
      for (const [name, list] of Object.entries(values)) for (const value of list) entries.push([name, value]);
      for (const [name, value] of extra) entries.push([name, value]);
      // A file only travels in a multipart body.
      const hasFile = entries.some(([, value]) => typeof value !== "string");
      return { role, path, multipart: multipart || hasFile, entries };
    });
}

async function send(post: Post) {
  let body: FormData | URLSearchParams;
  if (post.multipart) {
    body = new FormData();
    for (const [name, value] of post.entries) body.append(name, value);
  } else {
    body = new URLSearchParams(post.entries as Array<[string, string]>);
  }
  const response = await fetch(`${server.url}${post.path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, Cookie: cookies.get(post.role)! },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** A post that once answered 500 (a schema's ProblemError escaped the staff action). */
function known(action: string, role: Role, path: () => string, fields: () => Record<string, string>) {
  return { action, role, path, fields };
}
const KNOWN = [
  known(
    "updateSettlement",
    "support",
    () => `/credits/${f.creditId}`,
    () => ({ settlementId: "S".repeat(101) }),
  ),
  known(
    "create",
    "support",
    () => "/credits/new",
    () => ({
      line: `${f.captured.paymentId}:${f.captured.transactionId}`,
      [`amount-${f.captured.transactionId}`]: "1.00",
      orderId: "O".repeat(300),
      reason: "A long order id",
    }),
  ),
  // A reason with spaces around it beside a field the form does not know: the form's loose schema
  // kept the reason as posted, the reason's schema trimmed it, and zod threw on the pair.
  known(
    "create",
    "admin",
    () => "/credits/new",
    () => ({ line: "", reason: " ot", unknownField: "7" }),
  ),
];

describe("random form posts to every staff action, as every role", () => {
  let last: Record<string, string>;
  beforeAll(async () => {
    last = await fingerprint();
  });

  /** Posts, then checks: no 5xx, and a refused post left the database as it was. */
  async function check(post: Post) {
    const { status, text } = await send(post);
    const shown = post.entries.map(([k, v]) => [k, typeof v === "string" ? v.slice(0, 60) : "<file>"]);
    const where = `${post.role} POST ${post.path} ${JSON.stringify(shown)}: ${status} ${text.slice(0, 300)}`;
    expect(status, where).toBeLessThan(500);
    const now = await fingerprint();
    if (status >= 400) expect(now, where).toEqual(last);
    last = now;
  }

  it.each(KNOWN.map((k) => [k.action, k] as const))("known case: %s", async (_, k) => {
    const entries = Object.entries({ intent: k.action, reason: "Known case", ...k.fields() });
    await check({ role: k.role, path: k.path(), multipart: false, entries });
  });

  it.each(ACTIONS.map((action, i) => [`#${i + 1} ${action.intent}`, action] as const))(
    "%s",
    async (_, action) => {
      for (const role of ROLES) {
        await fc.assert(fc.asyncProperty(postArbitrary(action, role), check), {
          numRuns: RUNS_PER_ROLE,
          endOnFailure: true,
        });
      }
      // A database fingerprint after each post: minutes on a loaded two-core machine with many
      // runs, and the property is about answers, not speed.
    },
    300_000,
  );
});
