// Staff login, sessions, timeouts, CSRF origin check and permissions, over HTTP against the
// real server and a real database (PGlite in memory, or PostgreSQL when DATABASE_URL is set).
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deleteExpiredSessions } from "../../app/auth/session.server";
import { auditLog, staffSessions, staffUsers } from "../../db/schema";
import { useStaff, useTestServer } from "../support/fixtures-http";
import { createStaff, getPage, loginAs, postForm, sessionCookieFrom } from "../support/staff";

const server = useTestServer();
const support = useStaff(server, "support");
const finance = useStaff(server, "finance");
const admin = useStaff(server, "admin");

const sessionsOf = (userId: string) =>
  server.database.db.select().from(staffSessions).where(eq(staffSessions.userId, userId));

/** The row id of a session cookie: the SHA-256 of its token (the table never holds the token). */
const sessionIdOf = (cookie: string) => createHash("sha256").update(cookie.split("=")[1]).digest("hex");

/** Logs `support` in and changes the new session's row with `change`: its cookie and id. */
async function sessionChanged(change: Partial<typeof staffSessions.$inferInsert>) {
  const cookie = await loginAs(server, support);
  const id = sessionIdOf(cookie);
  await server.database.db.update(staffSessions).set(change).where(eq(staffSessions.id, id));
  return { cookie, id };
}

describe("health", () => {
  it("answers /healthz without touching the database", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz after checking the migrations and a committed write", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", database: "ok", migrations: "applied" });
  });

  it("echoes a client's X-Correlation-Id and makes one when absent", async () => {
    const echoed = await fetch(`${server.url}/healthz`, { headers: { "X-Correlation-Id": "test-corr-123" } });
    expect(echoed.headers.get("x-correlation-id")).toBe("test-corr-123");
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("login", () => {
  it("sends an anonymous visitor to the login page and back to where they were going", async () => {
    const response = await getPage(server, "/payments?page=2");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fpayments%3Fpage%3D2");

    const login = await postForm(server, "/login", {
      email: support.email,
      password: support.password,
      redirectTo: "/payments?page=2",
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/payments?page=2");
  });

  it("sets a session cookie that is HttpOnly, SameSite=Lax, and has no lifetime of its own", async () => {
    const response = await postForm(server, "/login", { email: support.email, password: support.password });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("paydesk_session=")) ?? "";
    expect(cookie).toMatch(/^paydesk_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    // Secure only in production (the tests run plain HTTP on loopback).
    expect(cookie).not.toMatch(/Secure/i);
  });

  it("refuses a wrong password and an unknown email with the same message", async () => {
    for (const fields of [
      { email: support.email, password: "not-the-password" },
      { email: "nobody@staff.test", password: "whatever-it-is" },
    ]) {
      const response = await postForm(server, "/login", fields);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain("Wrong email or password.");
    }
  });

  it("shows field errors for an empty form", async () => {
    const response = await postForm(server, "/login", { email: "", password: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Enter your email");
    expect(html).toContain("Enter your password");
  });

  it("never redirects off-site after login", async () => {
    for (const redirectTo of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const response = await postForm(server, "/login", {
        email: support.email,
        password: support.password,
        redirectTo,
      });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/");
    }
  });

  it("starts a new session at every login, ignoring a session id planted beforehand", async () => {
    const first = await loginAs(server, support);
    const planted = "paydesk_session=attackerchosenid0000000000000000000";
    const response = await postForm(server, "/login", { email: support.email, password: support.password }, planted);
    const second = sessionCookieFrom(response);
    expect(second).not.toBe(first);
    expect(second).not.toBe(planted);
  });

  it("records logins in the audit log with the address", async () => {
    await loginAs(server, finance);
    const rows = await server.database.db.select().from(auditLog).where(eq(auditLog.actorUserId, finance.id));
    expect(rows.some((row) => row.action === "auth.login" && row.ip)).toBe(true);
  });
});

describe("sessions", () => {
  it("lets a logged-in user in and shows who they are", async () => {
    const cookie = await loginAs(server, finance);
    const response = await getPage(server, "/", cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Test finance");
  });

  it("ends the session on logout: the old cookie no longer works", async () => {
    const cookie = await loginAs(server, support);
    const before = (await sessionsOf(support.id)).length;
    const response = await postForm(server, "/logout", {}, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/paydesk_session=;/);
    expect((await sessionsOf(support.id)).length).toBe(before - 1);
    const after = await getPage(server, "/", cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("expires a session left idle past its expiry", async () => {
    const { cookie } = await sessionChanged({ expiresAt: new Date(Date.now() - 1000) });
    const response = await getPage(server, "/", cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login/);
  });

  it("ends a busy session at the absolute timeout however recently it was used", async () => {
    const { cookie, id } = await sessionChanged({
      createdAt: new Date(Date.now() - 13 * 3600_000),
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const response = await getPage(server, "/", cookie);
    expect(response.status).toBe(302);
    const [row] = await server.database.db.select().from(staffSessions).where(eq(staffSessions.id, id));
    expect(row).toBeUndefined();
  });

  it("lets housekeeping remove sessions past their absolute timeout", async () => {
    const { id } = await sessionChanged({ createdAt: new Date(Date.now() - 13 * 3600_000) });
    await deleteExpiredSessions();
    expect(await server.database.db.select().from(staffSessions).where(eq(staffSessions.id, id))).toEqual([]);
  });

  it("pushes the idle expiry forward while the session is used", async () => {
    const soon = new Date(Date.now() + 60_000);
    const { cookie, id } = await sessionChanged({ expiresAt: soon });
    expect((await getPage(server, "/", cookie)).status).toBe(200);
    const [row] = await server.database.db.select().from(staffSessions).where(eq(staffSessions.id, id));
    expect(row.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 10 * 60_000);
  });

  it("shuts out a disabled user at once", async () => {
    const victim = await createStaff(server, "support");
    const cookie = await loginAs(server, victim);
    await server.database.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, victim.id));
    const response = await getPage(server, "/", cookie);
    expect(response.status).toBe(302);
    const login = await postForm(server, "/login", { email: victim.email, password: victim.password });
    expect(login.status).toBe(401);
  });
});

describe("CSRF origin check", () => {
  it("refuses a cross-site POST and changes nothing", async () => {
    const cookie = await loginAs(server, admin);
    const sessionsBefore = (await sessionsOf(admin.id)).length;
    const response = await fetch(`${server.url}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "https://evil.example", Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(response.status).toBe(403);
    expect((await sessionsOf(admin.id)).length).toBe(sessionsBefore);
    expect((await getPage(server, "/", cookie)).status).toBe(200);
  });

  it("refuses a POST that carries neither Origin nor Referer", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: admin.email, password: admin.password }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("accepts a same-origin Referer when Origin is missing", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Referer: `${server.url}/login` },
      body: new URLSearchParams({ email: admin.email, password: admin.password }),
    });
    expect(response.status).toBe(302);
  });
});

describe("permissions", () => {
  it("answers 403 to a role without the permission and 200 to one with it", async () => {
    const supportCookie = await loginAs(server, support);
    const adminCookie = await loginAs(server, admin);
    for (const path of ["/audit-log", "/payment-methods", "/users", "/api-clients"]) {
      expect((await getPage(server, path, supportCookie)).status, `support ${path}`).toBe(403);
      expect((await getPage(server, path, adminCookie)).status, `admin ${path}`).toBe(200);
    }
    const financeCookie = await loginAs(server, finance);
    expect((await getPage(server, "/settlements", supportCookie)).status).toBe(403);
    expect((await getPage(server, "/settlements", financeCookie)).status).toBe(200);
    expect((await getPage(server, "/payments", supportCookie)).status).toBe(200);
  });
});

// Login throttling: tests/integration/login-throttling.test.ts.

it("keeps only password hashes", async () => {
  const [row] = await server.database.db.select().from(staffUsers).where(eq(staffUsers.id, support.id));
  expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  const leaks = await server.database.db.execute(
    sql`select count(*)::int as n from staff_users where password_hash like ${`%${support.password}%`}`,
  );
  const rows = (leaks as unknown as { rows?: { n: number }[] }).rows ?? (leaks as unknown as { n: number }[]);
  expect(rows[0].n).toBe(0);
});
