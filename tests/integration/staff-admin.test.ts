// The admin screens over HTTP with real staff sessions: payment methods, users, API clients and
// the audit log. Support and finance are refused (403) on every loader and every forged POST and
// nothing changes; validation errors name their field; the API follows a method toggle, a token
// rotation and a disabled client at once; there is always an active admin, also when two admins
// disable or demote each other at the same moment (real parallel requests on PostgreSQL).
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiClients, auditLog, organisations, paymentMethods, staffSessions, staffUsers } from "../../db/schema";
import { createClient } from "../support/api";
import { postStaffAction } from "../support/fixtures-staff";
import { useApiClient, useStaffSession, useTestServer, type StaffSession } from "../support/fixtures-http";
import { createStaff, getPage, loginAs, postForm, type TestStaff } from "../support/staff";

const server = useTestServer();
const support = useStaffSession(server, "support");
const finance = useStaffSession(server, "finance");
const admin = useStaffSession(server, "admin");
const client = useApiClient(server, {
  channels: ["web", "app"],
  allowedRedirectPrefixes: ["https://shop.example/"],
});

const ROUTES = {
  "/payment-methods": "routes/_staff.payment-methods",
  "/users": "routes/_staff.users",
  "/api-clients": "routes/_staff.api-clients",
  "/audit-log": "routes/_staff.audit-log",
} as const;
type AdminPath = keyof typeof ROUTES;

/** A form POST as the screen's fetcher sends it, answered with the action's JSON. */
const act = (path: AdminPath, fields: Record<string, string>, as: StaffSession | string) =>
  postStaffAction(server, path, ROUTES[path], fields, typeof as === "string" ? as : as.cookie);

const db = () => server.database.db;

/** The client's payment method of `paymentType` in `channel`. */
async function methodOf(clientId: string, channel: string, paymentType: string) {
  const methods = await db().select().from(paymentMethods).where(eq(paymentMethods.clientId, clientId));
  return methods.find((m) => m.distributionChannelId === channel && m.paymentType === paymentType)!;
}

async function latestAudit(action: string) {
  const [entry] = await db()
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return entry;
}

/** What the admin screens can change, to show that a refused request changed none of it. */
async function adminState() {
  const [methods, users, clients, orgs, audit] = await Promise.all([
    db().select().from(paymentMethods).orderBy(paymentMethods.id),
    db().select().from(staffUsers).orderBy(staffUsers.id),
    db().select().from(apiClients).orderBy(apiClients.clientId),
    db().select().from(organisations).orderBy(organisations.id),
    db()
      .select({ count: sql<number>`count(*)::int` })
      .from(auditLog),
  ]);
  return JSON.stringify({ methods, users, clients, orgs, audit });
}

describe("support and finance", () => {
  for (const role of ["support", "finance"] as const) {
    const staff = () => (role === "support" ? support : finance);

    it(`${role} gets 403 on every admin screen`, async () => {
      for (const path of Object.keys(ROUTES)) {
        const response = await getPage(server, path, staff().cookie);
        expect(response.status, path).toBe(403);
      }
    });

    it(`${role} gets 403 on every forged admin POST and nothing changes`, async () => {
      const visa = await methodOf(client.clientId, "web", "VISA");
      const forged: Array<[AdminPath, Record<string, string>]> = [
        ["/payment-methods", { intent: "disable", methodId: String(visa.id), reason: "forged" }],
        ["/payment-methods", { intent: "enable", methodId: String(visa.id) }],
        [
          "/users",
          { intent: "create", email: `forged-${role}@staff.test`, role: "admin", password: "a long enough password" },
        ],
        ["/users", { intent: "change-role", userId: staff().id, role: "admin" }],
        ["/users", { intent: "disable", userId: admin.id, reason: "forged" }],
        ["/users", { intent: "enable", userId: admin.id }],
        [
          "/api-clients",
          {
            intent: "create",
            name: "Forged",
            organisation: "new",
            organisationId: "4242",
            organisationName: "Forged AS",
            channels: "web",
          },
        ],
        ["/api-clients", { intent: "rotate-token", clientId: client.clientId }],
        [
          "/api-clients",
          {
            intent: "update",
            clientId: client.clientId,
            channels: "web,kiosk",
            allowedRedirectPrefixes: "https://evil.example/",
          },
        ],
        ["/api-clients", { intent: "disable", clientId: client.clientId, reason: "forged" }],
        ["/api-clients", { intent: "enable", clientId: client.clientId }],
      ];
      const before = await adminState();
      for (const [path, fields] of forged) {
        const answer = await act(path, fields, staff());
        expect(answer.status, `${path} ${fields.intent}`).toBe(403);
      }
      expect(await adminState()).toBe(before);
      // The API client still works with the token it had.
      expect((await client.get("/v1/payment-methods")).status).toBe(200);
    });
  }

  it("an anonymous POST is sent to the login page and changes nothing", async () => {
    const before = await adminState();
    const response = await postForm(server, "/api-clients", { intent: "rotate-token", clientId: client.clientId });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login/);
    expect(await adminState()).toBe(before);
  });
});

describe("payment methods", () => {
  const webHeaders = { "Entur-Distribution-Channel": "web" };
  const typesOn = async (headers: Record<string, string>) =>
    ((await client.get("/v1/payment-methods", headers)).body as Array<{ paymentType: string }>).map(
      (m) => m.paymentType,
    );

  it("lists the methods of every client per channel for an admin", async () => {
    const response = await getPage(
      server,
      `/payment-methods?clientId=${client.clientId}&channel=web&paymentTypeGroup=PAYMENTCARD`,
      admin.cookie,
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`method-${client.clientId}-web-VISA`);
    expect(html).not.toContain(`method-${client.clientId}-app-VISA`);
    expect(html).not.toContain(`method-${client.clientId}-web-VIPPS`);
  });

  it("disabling needs a reason, named as the field; nothing changes without one", async () => {
    const visa = await methodOf(client.clientId, "web", "VISA");
    const answer = await act("/payment-methods", { intent: "disable", methodId: String(visa.id), reason: "  " }, admin);
    expect(answer.status).toBe(400);
    expect(answer.body.fieldErrors).toHaveProperty("reason");
    expect((await methodOf(client.clientId, "web", "VISA")).enabled).toBe(true);
  });

  it("a disabled method leaves GET /v1/payment-methods and refuses new transactions at once; enabling brings it back", async () => {
    const visa = await methodOf(client.clientId, "web", "VISA");
    expect(await typesOn(webHeaders)).toContain("VISA");

    const disabled = await act(
      "/payment-methods",
      { intent: "disable", methodId: String(visa.id), reason: "Acquirer outage INC-4711" },
      admin,
    );
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ ok: true, intent: "disable" });
    expect(await typesOn(webHeaders)).not.toContain("VISA");
    // The same type on the client's other channel is another method and stays.
    expect(await typesOn({ "Entur-Distribution-Channel": "app" })).toContain("VISA");
    const refused = await client.post(
      "/v1/payments",
      { totalAmount: "100.00", transaction: { paymentType: "VISA" } },
      webHeaders,
    );
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("paymentType");

    const row = await methodOf(client.clientId, "web", "VISA");
    expect(row).toMatchObject({ enabled: false, disabledReason: "Acquirer outage INC-4711" });
    const audit = await latestAudit("payment_method.disable");
    expect(audit).toMatchObject({
      actorEmail: admin.email,
      entityType: "payment_method",
      entityId: String(visa.id),
      reason: "Acquirer outage INC-4711",
    });
    expect(audit.before).toMatchObject({
      enabled: true,
      disabledReason: null,
      paymentType: "VISA",
      distributionChannelId: "web",
    });
    expect(audit.after).toMatchObject({ enabled: false, disabledReason: "Acquirer outage INC-4711" });

    const listed = await (
      await getPage(server, `/payment-methods?clientId=${client.clientId}&enabled=false`, admin.cookie)
    ).text();
    expect(listed).toContain("Acquirer outage INC-4711");

    const twice = await act(
      "/payment-methods",
      { intent: "disable", methodId: String(visa.id), reason: "again" },
      admin,
    );
    expect(twice.status).toBe(409);

    const enabled = await act("/payment-methods", { intent: "enable", methodId: String(visa.id) }, admin);
    expect(enabled.status).toBe(200);
    expect(await typesOn(webHeaders)).toContain("VISA");
    expect((await methodOf(client.clientId, "web", "VISA")).disabledReason).toBeNull();
    const accepted = await client.post(
      "/v1/payments",
      { totalAmount: "100.00", transaction: { paymentType: "VISA" } },
      webHeaders,
    );
    expect(accepted.status).toBe(201);
    expect((await latestAudit("payment_method.enable")).after).toMatchObject({ enabled: true, disabledReason: null });
  });

  it("an unknown method id is a 404 and a malformed one names the field", async () => {
    expect((await act("/payment-methods", { intent: "enable", methodId: "999999999" }, admin)).status).toBe(404);
    const malformed = await act("/payment-methods", { intent: "enable", methodId: "abc" }, admin);
    expect(malformed.status).toBe(400);
    expect(malformed.body.fieldErrors).toHaveProperty("methodId");
  });

  it("shows a hand-edited filter's error instead of a list that ignores it", async () => {
    const response = await getPage(server, "/payment-methods?enabled=maybe", admin.cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("must be true or false");
  });
});

describe("users", () => {
  it("validation errors name their field and create nothing", async () => {
    const before = await adminState();
    const cases: Array<[Record<string, string>, string]> = [
      [{ email: "not-an-email", role: "support", password: "long enough password" }, "email"],
      [{ email: "short@staff.test", role: "support", password: "short" }, "password"],
      [{ email: "role@staff.test", role: "owner", password: "long enough password" }, "role"],
      [{ email: support.email.toUpperCase(), role: "support", password: "long enough password" }, "email"],
    ];
    for (const [fields, field] of cases) {
      const answer = await act("/users", { intent: "create", ...fields }, admin);
      expect(answer.status, field).toBe(400);
      expect(answer.body.ok).toBe(false);
      expect(Object.keys(answer.body.fieldErrors), JSON.stringify(fields)).toEqual([field]);
    }
    expect(await adminState()).toBe(before);
  });

  it("creates a user with a generated password shown once, who can log in with it", async () => {
    const email = `kari-${Date.now().toString(36)}@staff.test`;
    const answer = await act(
      "/users",
      { intent: "create", email, name: "Kari Nordmann", role: "finance", reason: "New in finance" },
      admin,
    );
    expect(answer.status).toBe(200);
    const password = answer.body.data.generatedPassword as string;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    await loginAs(server, { id: answer.body.data.userId, email, password, role: "finance" });

    const audit = await latestAudit("staff_user.create");
    expect(audit).toMatchObject({
      actorEmail: admin.email,
      entityId: answer.body.data.userId,
      reason: "New in finance",
    });
    expect(audit.after).toEqual({ email, name: "Kari Nordmann", role: "finance", disabled: false });
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it("a typed password is used and never echoed", async () => {
    const email = `typed-${Date.now().toString(36)}@staff.test`;
    const answer = await act(
      "/users",
      { intent: "create", email, role: "support", password: "  spaces count too  " },
      admin,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data).not.toHaveProperty("generatedPassword");
    expect(JSON.stringify(answer.body)).not.toContain("spaces count too");
    await loginAs(server, { id: answer.body.data.userId, email, password: "  spaces count too  ", role: "support" });
  });

  it("changing the role applies to the user's next request", async () => {
    // (Finance to admin: a support user made finance must first enrol a second factor,
    // tests/integration/staff-accounts.test.ts.)
    const user = await createStaff(server, "finance");
    const cookie = await loginAs(server, user);
    expect((await getPage(server, "/users", cookie)).status).toBe(403);
    const answer = await act("/users", { intent: "change-role", userId: user.id, role: "admin" }, admin);
    expect(answer.status).toBe(200);
    expect((await getPage(server, "/users", cookie)).status).toBe(200);
    expect(await latestAudit("staff_user.change_role")).toMatchObject({
      entityId: user.id,
      before: { email: user.email, role: "finance" },
      after: { email: user.email, role: "admin" },
    });
    const same = await act("/users", { intent: "change-role", userId: user.id, role: "admin" }, admin);
    expect(same.status).toBe(400);
    expect(same.body.fieldErrors).toHaveProperty("role");
  });

  it("disabling ends the user's sessions at once and keeps them out; enabling lets them back in", async () => {
    const user = await createStaff(server, "support");
    const cookie = await loginAs(server, user);
    expect((await getPage(server, "/payments", cookie)).status).toBe(200);

    const noReason = await act("/users", { intent: "disable", userId: user.id }, admin);
    expect(noReason.status).toBe(400);
    expect(noReason.body.fieldErrors).toHaveProperty("reason");

    const sessionsShown = async () => {
      const response = await getPage(
        server,
        `/users?q=${user.id}&_data=${encodeURIComponent(ROUTES["/users"])}`,
        admin.cookie,
      );
      return ((await response.json()).users as Array<{ id: string; activeSessions: number }>).find(
        (row) => row.id === user.id,
      )?.activeSessions;
    };
    expect(await sessionsShown()).toBe(1);

    const answer = await act("/users", { intent: "disable", userId: user.id, reason: "Left the company" }, admin);
    expect(answer.status).toBe(200);
    expect(await sessionsShown()).toBe(0);
    expect(await db().select().from(staffSessions).where(eq(staffSessions.userId, user.id))).toEqual([]);
    const next = await getPage(server, "/payments", cookie);
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toMatch(/^\/login/);
    const login = await postForm(server, "/login", { email: user.email, password: user.password });
    expect(login.status).not.toBe(302);
    expect((await latestAudit("staff_user.disable")).reason).toBe("Left the company");

    expect((await act("/users", { intent: "enable", userId: user.id }, admin)).status).toBe(200);
    await loginAs(server, user);
  });
});

describe("API clients", () => {
  it("validation errors name their field and create nothing", async () => {
    const before = await adminState();
    const base = {
      intent: "create",
      name: "Acme web shop",
      organisation: String(client.organisationId),
      channels: "web",
    };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...base, name: " " }, "name"],
      [{ ...base, channels: "Web Shop" }, "channels"],
      [{ ...base, channels: "" }, "channels"],
      [{ ...base, allowedRedirectPrefixes: "ftp://files.example/" }, "allowedRedirectPrefixes"],
      [{ ...base, allowedRedirectPrefixes: "https://shop.example/\nnot a url" }, "allowedRedirectPrefixes"],
      [{ ...base, organisation: "new", organisationId: "0", organisationName: "Zero AS" }, "organisationId"],
      [{ ...base, organisation: "new", organisationId: "4711" }, "organisationName"],
      [
        {
          ...base,
          organisation: "new",
          organisationId: String(client.organisationId),
          organisationName: "Another name AS",
        },
        "organisationName",
      ],
      [{ ...base, organisation: "" }, "organisation"],
    ];
    for (const [fields, field] of cases) {
      const answer = await act("/api-clients", fields, admin);
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(Object.keys(answer.body.fieldErrors), JSON.stringify(fields)).toEqual([field]);
    }
    expect(await adminState()).toBe(before);
  });

  it("creates a client in a new organisation; its token (shown once) works and never reaches the audit log", async () => {
    const answer = await act(
      "/api-clients",
      {
        intent: "create",
        name: "Tindved kiosk",
        organisation: "new",
        organisationId: "5150",
        organisationName: "Tindved AS",
        channels: "web,kiosk",
        allowedRedirectPrefixes: "https://tindved.example/\nhttp://localhost:",
        privileged: "on",
      },
      admin,
    );
    expect(answer.status).toBe(200);
    const { clientId, token } = answer.body.data as { clientId: string; token: string };
    const [org] = await db().select().from(organisations).where(eq(organisations.id, 5150));
    expect(org.name).toBe("Tindved AS");
    const [row] = await db().select().from(apiClients).where(eq(apiClients.clientId, clientId));
    expect(row).toMatchObject({
      organisationId: 5150,
      privileged: true,
      onBehalfOfAllowed: false,
      distributionChannels: ["web", "kiosk"],
      allowedRedirectPrefixes: ["https://tindved.example/", "http://localhost:"],
    });
    const methods = await fetch(`${server.url}/v1/payment-methods`, {
      headers: { Authorization: `Bearer ${token}`, "ET-Client-Name": "tests", "Entur-Distribution-Channel": "kiosk" },
    });
    expect(methods.status).toBe(200);
    expect((await methods.json()).length).toBeGreaterThan(0);

    const audit = await latestAudit("api_client.create");
    expect(audit).toMatchObject({ entityType: "api_client", entityId: clientId, actorEmail: admin.email });
    expect(audit.after).toMatchObject({
      name: "Tindved kiosk",
      tokenPrefix: token.slice(0, 9),
      organisation: { id: 5150, name: "Tindved AS", created: true },
    });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(row.tokenHash);
  });

  it("rotating the token: the old one gets 401 at once, the new one works", async () => {
    const other = await createClient(server, { channels: ["web"] });
    expect((await other.get("/v1/payment-methods")).status).toBe(200);
    const answer = await act(
      "/api-clients",
      { intent: "rotate-token", clientId: other.clientId, reason: "Leaked in a log" },
      admin,
    );
    expect(answer.status).toBe(200);
    const token = answer.body.data.token as string;
    expect(token).not.toBe(other.token);
    expect((await other.get("/v1/payment-methods")).status).toBe(401);
    const fresh = await fetch(`${server.url}/v1/payment-methods`, {
      headers: { Authorization: `Bearer ${token}`, "ET-Client-Name": "tests" },
    });
    expect(fresh.status).toBe(200);
    const audit = await latestAudit("api_client.rotate_token");
    expect(audit).toMatchObject({
      entityId: other.clientId,
      reason: "Leaked in a log",
      before: { tokenPrefix: other.token.slice(0, 9) },
      after: { tokenPrefix: token.slice(0, 9) },
    });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(other.token);
  });

  it("edits channels and redirect prefixes: a new channel gets its methods, bad values name their field", async () => {
    const other = await createClient(server, { channels: ["web"], allowedRedirectPrefixes: [] });
    const bad = await act(
      "/api-clients",
      { intent: "update", clientId: other.clientId, channels: "web", allowedRedirectPrefixes: "javascript:alert(1)" },
      admin,
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fieldErrors)).toEqual(["allowedRedirectPrefixes"]);

    const kioskHeaders = { "Entur-Distribution-Channel": "kiosk" };
    expect((await other.get("/v1/payment-methods", kioskHeaders)).status).toBe(403);
    const answer = await act(
      "/api-clients",
      {
        intent: "update",
        clientId: other.clientId,
        channels: "web,kiosk",
        allowedRedirectPrefixes: "https://shop.example/",
      },
      admin,
    );
    expect(answer.status).toBe(200);
    const methods = await other.get("/v1/payment-methods", kioskHeaders);
    expect(methods.status).toBe(200);
    expect(methods.body.map((m: { paymentType: string }) => m.paymentType)).toContain("VISA");
    expect(await latestAudit("api_client.update")).toMatchObject({
      before: { channels: ["web"], allowedRedirectPrefixes: [] },
      after: { channels: ["web", "kiosk"], allowedRedirectPrefixes: ["https://shop.example/"] },
    });
  });

  it("a disabled client gets 401 at once; enabled again its token works", async () => {
    const other = await createClient(server, { channels: ["web"] });
    const noReason = await act("/api-clients", { intent: "disable", clientId: other.clientId }, admin);
    expect(noReason.status).toBe(400);
    expect(noReason.body.fieldErrors).toHaveProperty("reason");
    expect(
      (await act("/api-clients", { intent: "disable", clientId: other.clientId, reason: "Contract ended" }, admin))
        .status,
    ).toBe(200);
    expect((await other.get("/v1/payment-methods")).status).toBe(401);
    expect((await act("/api-clients", { intent: "enable", clientId: other.clientId }, admin)).status).toBe(200);
    expect((await other.get("/v1/payment-methods")).status).toBe(200);
    expect((await latestAudit("api_client.disable")).reason).toBe("Contract ended");
  });
});

describe("audit log screen", () => {
  it("shows entries filtered by action and actor, newest first, and an entry's before and after", async () => {
    const visa = await methodOf(client.clientId, "app", "AMEX");
    await act(
      "/payment-methods",
      { intent: "disable", methodId: String(visa.id), reason: "Audit screen check" },
      admin,
    );
    const entry = await latestAudit("payment_method.disable");

    const list = await getPage(
      server,
      `/audit-log?action=payment_method.disable&actor=${encodeURIComponent(admin.email)}`,
      admin.cookie,
    );
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("Audit screen check");
    expect(html).not.toContain("auth.login");

    // The entry opens in a modal, rendered in the browser (tests/e2e/admin.test.ts); its data:
    const detail = await getPage(
      server,
      `/audit-log?entry=${entry.id}&_data=${encodeURIComponent(ROUTES["/audit-log"])}`,
      admin.cookie,
    );
    expect((await detail.json()).entry).toMatchObject({
      id: entry.id,
      reason: "Audit screen check",
      ip: "127.0.0.1",
      before: { enabled: true },
      after: { enabled: false, disabledReason: "Audit screen check" },
    });
  });

  it("shows a bad filter's error next to it", async () => {
    const response = await getPage(server, "/audit-log?createdAt=gte:yesterday", admin.cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("must be an ISO 8601 date or time");
  });

  it("is read-only: a POST gets 405 and changes nothing", async () => {
    const before = await adminState();
    for (const staff of [admin, support]) {
      const answer = await act("/audit-log", { intent: "delete", id: "1" }, staff);
      expect(answer.status).toBe(405);
      const document = await postForm(server, "/audit-log", { intent: "delete" }, staff.cookie);
      expect(document.status).toBe(405);
    }
    expect(await adminState()).toBe(before);
  });
});

describe("there is always an active admin", () => {
  /** Leaves only these admins active (set-up straight in the database); restores the rest after. */
  async function onlyActiveAdmins(keep: TestStaff[], work: () => Promise<void>) {
    const others = await db()
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)));
    const parked = others.map((row) => row.id).filter((id) => !keep.some((staff) => staff.id === id));
    for (const id of parked) await db().update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, id));
    try {
      await work();
    } finally {
      for (const id of parked) await db().update(staffUsers).set({ disabledAt: null }).where(eq(staffUsers.id, id));
      // A parked admin's session ended when it was seen disabled; sign in again for later tests.
      if (parked.includes(admin.id)) admin.cookie = await loginAs(server, admin);
    }
  }

  const activeAdmins = () =>
    db()
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)));

  it("the last active admin can be neither demoted nor disabled", async () => {
    await onlyActiveAdmins([admin], async () => {
      const demote = await act("/users", { intent: "change-role", userId: admin.id, role: "finance" }, admin);
      expect(demote.status).toBe(422);
      expect(demote.body.message).toMatch(/last active admin/);
      expect(demote.body.fieldErrors).toHaveProperty("role");
      const disable = await act("/users", { intent: "disable", userId: admin.id, reason: "testing" }, admin);
      expect(disable.status).toBe(422);
      const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, admin.id));
      expect(row).toMatchObject({ role: "admin", disabledAt: null });
      expect((await getPage(server, "/users", admin.cookie)).status).toBe(200);
    });
  });

  it("an admin may step down while another admin is active, but not disable themselves", async () => {
    const stepping = await createStaff(server, "admin");
    const cookie = await loginAs(server, stepping);
    const self = await act("/users", { intent: "disable", userId: stepping.id, reason: "leaving" }, cookie);
    expect(self.status).toBe(422);
    expect(self.body.message).toMatch(/your own account/);
    expect((await act("/users", { intent: "change-role", userId: stepping.id, role: "support" }, cookie)).status).toBe(
      200,
    );
    expect((await getPage(server, "/users", cookie)).status).toBe(403);
  });

  for (const intent of ["disable", "change-role"] as const) {
    it(`two admins who ${intent === "disable" ? "disable" : "demote"} each other at the same moment leave one active admin`, async () => {
      const a = await createStaff(server, "admin");
      const b = await createStaff(server, "admin");
      await onlyActiveAdmins([a, b], async () => {
        const [cookieA, cookieB] = [await loginAs(server, a), await loginAs(server, b)];
        const fields = (target: TestStaff): Record<string, string> =>
          intent === "disable"
            ? { intent, userId: target.id, reason: "race" }
            : { intent, userId: target.id, role: "support" };
        const answers = await Promise.all([act("/users", fields(b), cookieA), act("/users", fields(a), cookieB)]);
        const statuses = answers.map((answer) => answer.status).sort();
        // One wins. The other is refused as the last admin (422), or, when it starts after the
        // first committed, is no longer signed in (disable: a data request's redirect, 204) or
        // no longer an admin (demote: 403).
        expect([[200, 422], intent === "disable" ? [200, 204] : [200, 403]]).toContainEqual(statuses);
        expect(await activeAdmins()).toHaveLength(1);
      });
    });
  }
});
