// Staff accounts over HTTP, as a browser drives them: the login's second step (TOTP, recovery
// codes, each good once), enrolment on the first login of finance and admin, a support user's
// optional second factor, an admin's one-time reset link, changing one's own password, the
// password rule at every door, and session ids stored only as hashes.
import { createHash } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../app/auth/totp.server";
import { createStaffUser } from "../../app/services/admin/staff-users.server";
import { withDatabase } from "../../app/platform/db.server";
import { auditLog, staffPasswordResets, staffRecoveryCodes, staffSessions, staffUsers } from "../../db/schema";
import { postStaffAction } from "../support/fixtures-staff";
import { useStaffSession, useTestServer } from "../support/fixtures-http";
import { createStaff, getPage, loginAs, postForm, sessionCookieFrom, type TestStaff } from "../support/staff";
import { freshTotpCode, markTotpStepUsed } from "../support/totp";
import { systemCaller } from "../support/use-case";

const server = useTestServer();
const admin = useStaffSession(server, "admin");

const db = () => server.database.db;
const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");
const tokenOf = (cookie: string) => cookie.split("=")[1];

async function latestAudit(action: string, entityId: string) {
  const [entry] = await db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return entry;
}

/** The password step alone: its answer and the pending session's cookie. */
async function passwordStep(staff: { email: string; password: string }, redirectTo?: string) {
  const response = await postForm(server, "/login", {
    email: staff.email,
    password: staff.password,
    ...(redirectTo ? { redirectTo } : {}),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
  return { response, location: response.headers.get("location"), cookie };
}

/** The wrong code 000000 posted to a second-factor form (`path`) is refused with `status`, saying `message`. */
async function expectWrongCodeRefused(path: string, cookie: string, status: number, message: string) {
  const wrong = await postForm(server, path, { code: "000000" }, cookie);
  expect(wrong.status).toBe(status);
  expect(await wrong.text()).toContain(message);
}

/** A staff user of `role` without a second factor (as the CLI or the admin screen makes them). */
async function userWithoutSecondFactor(role: "support" | "finance" | "admin"): Promise<TestStaff> {
  const email = `plain-${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@staff.test`;
  const password = `plain-${role}-password-long`;
  const user = await withDatabase(server.database, () =>
    createStaffUser(systemCaller(), { email, role, password, name: `Plain ${role}` }),
  );
  return { id: user.id, email, password, role };
}

const myAccount = (fields: Record<string, string>, cookie: string) =>
  postStaffAction(server, "/me", "routes/_staff.me", fields, cookie);
const users = (fields: Record<string, string>) =>
  postStaffAction(server, "/users", "routes/_staff.users", fields, admin.cookie);

describe("logging in with a second factor", () => {
  it("asks a finance user for a code after the password; the pending session opens nothing else", async () => {
    const finance = await createStaff(server, "finance");
    const step = await passwordStep(finance, "/payments?page=2");
    expect(step.response.status).toBe(302);
    expect(step.location).toBe("/login/code?redirectTo=%2Fpayments%3Fpage%3D2");
    const screen = await getPage(server, "/payments", step.cookie);
    expect(screen.status).toBe(302);
    expect(screen.headers.get("location")).toBe("/login/code?redirectTo=%2Fpayments");
    // No audit entry of a login until the second step is done.
    expect(await latestAudit("auth.login", finance.id)).toBeUndefined();

    const page = await getPage(server, "/login/code", step.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(finance.email);

    await expectWrongCodeRefused("/login/code", step.cookie, 401, "That code is not right");

    const right = await postForm(
      server,
      "/login/code",
      { code: await freshTotpCode(finance.totpSecret!), redirectTo: "/payments?page=2" },
      step.cookie,
    );
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/payments?page=2");
    const session = sessionCookieFrom(right);
    expect(session).not.toBe(step.cookie);
    expect((await getPage(server, "/payments", session)).status).toBe(200);
    // The pending session is gone: its cookie opens nothing.
    expect((await getPage(server, "/login/code", step.cookie)).headers.get("location")).toBe("/login");
    expect((await latestAudit("auth.login", finance.id)).after).toEqual({ secondFactor: "totp" });
  });

  it("accepts a code once: the same code cannot open a second session", async () => {
    const finance = await createStaff(server, "finance");
    const code = totpCode(finance.totpSecret!);
    markTotpStepUsed(finance.totpSecret!);
    const first = await passwordStep(finance);
    expect((await postForm(server, "/login/code", { code }, first.cookie)).status).toBe(302);
    const second = await passwordStep(finance);
    const replay = await postForm(server, "/login/code", { code }, second.cookie);
    expect(replay.status).toBe(401);
    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, finance.id));
    expect(row.totpLastStep).toBeGreaterThanOrEqual(totpStep() - 1);
  });

  it("ends the pending session after five wrong codes: the password must be typed again", async () => {
    const admin2 = await createStaff(server, "admin");
    const step = await passwordStep(admin2);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await postForm(server, "/login/code", { code: "123456" }, step.cookie)).status).toBe(401);
    }
    const fifth = await postForm(server, "/login/code", { code: "123456" }, step.cookie);
    expect(fifth.status).toBe(302);
    expect(fifth.headers.get("location")).toBe("/login?again=codes");
    expect(await (await getPage(server, "/login?again=codes")).text()).toContain("Too many wrong codes");
    const afterwards = await postForm(
      server,
      "/login/code",
      { code: await freshTotpCode(admin2.totpSecret!) },
      step.cookie,
    );
    expect(afterwards.status).toBe(302);
    expect(afterwards.headers.get("location")).toBe("/login");
  });

  it("never takes the second step without the first", async () => {
    const response = await postForm(server, "/login/code", { code: "123456" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
  });
});

describe("enrolment", () => {
  it("makes a finance user without a second factor enrol at the first login, then shows ten recovery codes once", async () => {
    const finance = await userWithoutSecondFactor("finance");
    const step = await passwordStep(finance, "/settlements");
    expect(step.location).toBe("/login/enrol?redirectTo=%2Fsettlements");
    expect((await getPage(server, "/settlements", step.cookie)).headers.get("location")).toBe(
      "/login/enrol?redirectTo=%2Fsettlements",
    );

    const page = await (await getPage(server, "/login/enrol", step.cookie)).text();
    const secret = /data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1].replaceAll(" ", "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(page).toContain(`otpauth://totp/Paydesk:${encodeURIComponent(finance.email)}?`);
    expect(page).toMatch(/<svg[^>]*viewBox/);
    // The same secret on a reload, until it is confirmed.
    expect(await (await getPage(server, "/login/enrol", step.cookie)).text()).toContain(secret.slice(0, 4));

    await expectWrongCodeRefused("/login/enrol", step.cookie, 400, "not the code of this secret");

    const done = await postStaffAction(
      server,
      "/login/enrol",
      "routes/login_.enrol",
      { code: await freshTotpCode(secret), redirectTo: "/settlements" },
      step.cookie,
    );
    expect(done.status).toBe(200);
    expect(done.body.ok).toBe(true);
    expect(done.body.next).toBe("/settlements");
    const codes = done.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);

    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, finance.id));
    expect(row.totpSecret).toBe(secret);
    const stored = await db().select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, finance.id));
    expect(stored.map((code) => code.codeHash).sort()).toEqual(
      codes.map((code) => hashOf(code.replaceAll("-", ""))).sort(),
    );
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
    expect((await latestAudit("staff_user.enrol_second_factor", finance.id)).actorUserId).toBe(finance.id);

    // The next login asks for a code; a recovery code works once in its place.
    finance.totpSecret = secret;
    const again = await passwordStep(finance);
    expect(again.location).toBe("/login/code");
    const recovered = await postForm(server, "/login/code", { code: codes[3].toUpperCase() }, again.cookie);
    expect(recovered.status).toBe(302);
    expect((await latestAudit("auth.login", finance.id)).after).toEqual({ secondFactor: "recovery_code" });
    const third = await passwordStep(finance);
    expect((await postForm(server, "/login/code", { code: codes[3] }, third.cookie)).status).toBe(401);
  });

  it("lets a support user log in with the password alone, or set up a second factor from their account", async () => {
    const support = await userWithoutSecondFactor("support");
    const step = await passwordStep(support);
    expect(step.location).toBe("/");
    expect((await getPage(server, "/me", step.cookie)).status).toBe(200);
    const page = await (await getPage(server, "/login/enrol?redirectTo=/me", step.cookie)).text();
    const secret = /data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1].replaceAll(" ", "");
    const done = await postStaffAction(
      server,
      "/login/enrol",
      "routes/login_.enrol",
      { code: await freshTotpCode(secret) },
      step.cookie,
    );
    expect(done.body).toMatchObject({ ok: true, next: "/me" });
    expect((await passwordStep(support)).location).toBe("/login/code");

    // Support may turn it off again, with the password; finance may not.
    const session = await loginAs(server, { ...support, totpSecret: secret });
    const wrongPassword = await myAccount({ intent: "turn-off-second-factor", currentPassword: "nope" }, session);
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.fieldErrors).toEqual({ currentPassword: "is not your current password" });
    const off = await myAccount({ intent: "turn-off-second-factor", currentPassword: support.password }, session);
    expect(off.status).toBe(200);
    expect((await passwordStep(support)).location).toBe("/");

    const finance = await createStaff(server, "finance");
    const financeSession = await loginAs(server, finance);
    const refused = await myAccount(
      { intent: "turn-off-second-factor", currentPassword: finance.password },
      financeSession,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/cannot be turned off/);
  });

  it("sends a support user made finance to enrolment before their next screen", async () => {
    const support = await userWithoutSecondFactor("support");
    const cookie = await loginAs(server, support);
    expect((await users({ intent: "change-role", userId: support.id, role: "finance" })).status).toBe(200);
    const next = await getPage(server, "/settlements", cookie);
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toBe("/login/enrol?redirectTo=%2Fsettlements");
  });

  it("lets an admin reset a lost second factor: sessions end, and the next login enrols again", async () => {
    const finance = await createStaff(server, "finance");
    const cookie = await loginAs(server, finance);
    const withoutReason = await users({ intent: "reset-second-factor", userId: finance.id });
    expect(withoutReason.status).toBe(400);
    const reset = await users({ intent: "reset-second-factor", userId: finance.id, reason: "Lost phone, INC-77" });
    expect(reset.status).toBe(200);
    expect((await getPage(server, "/", cookie)).headers.get("location")).toMatch(/^\/login/);
    expect((await passwordStep(finance)).location).toBe("/login/enrol");
    expect(await db().select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, finance.id))).toEqual([]);
    expect(await latestAudit("staff_user.remove_second_factor", finance.id)).toMatchObject({
      actorUserId: admin.id,
      reason: "Lost phone, INC-77",
    });
  });
});

describe("password reset by an admin", () => {
  it("gives a one-time link that sets a new password, ends every session and keeps the second factor", async () => {
    const finance = await createStaff(server, "finance");
    const oldSession = await loginAs(server, finance);
    const issued = await users({ intent: "reset-password", userId: finance.id, reason: "Forgot it, called in" });
    expect(issued.status).toBe(200);
    const link = new URL(issued.body.data.resetLink as string);
    expect(link.origin).toBe(server.url);
    const token = link.pathname.split("/").pop()!;
    const [row] = await db().select().from(staffPasswordResets).where(eq(staffPasswordResets.userId, finance.id));
    expect(row.tokenHash).toBe(hashOf(token));
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    expect(await latestAudit("staff_user.issue_password_reset", finance.id)).toMatchObject({
      actorUserId: admin.id,
      reason: "Forgot it, called in",
    });
    expect(JSON.stringify(await latestAudit("staff_user.issue_password_reset", finance.id))).not.toContain(token);

    const page = await getPage(server, link.pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(finance.email);

    // The rule first, without using up the link.
    for (const [fields, message] of [
      [{ newPassword: "Password1234", confirmPassword: "Password1234" }, "list of common passwords"],
      [{ newPassword: "short", confirmPassword: "short" }, "at least 12 characters"],
      [{ newPassword: "a-new-long-password", confirmPassword: "a-new-long-passw0rd" }, "does not match"],
    ] as const) {
      const refused = await postForm(server, link.pathname, fields);
      expect(refused.status, JSON.stringify(fields)).toBe(400);
      expect(await refused.text()).toContain(message);
    }
    const newPassword = "a-new-long-password";
    const done = await postForm(server, link.pathname, { newPassword, confirmPassword: newPassword });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Your new password is set");

    expect((await getPage(server, "/", oldSession)).headers.get("location")).toMatch(/^\/login/);
    expect((await passwordStep(finance)).response.status).toBe(401);
    const next = await passwordStep({ ...finance, password: newPassword });
    expect(next.location).toBe("/login/code");
    expect(await latestAudit("staff_user.reset_password", finance.id)).toMatchObject({ actorUserId: finance.id });

    // Once only.
    expect((await getPage(server, link.pathname)).status).toBe(410);
    expect(
      (
        await postForm(server, link.pathname, {
          newPassword: "yet-another-password",
          confirmPassword: "yet-another-password",
        })
      ).status,
    ).toBe(410);
  });

  it("refuses an expired or replaced link, and an admin's own reset", async () => {
    const support = await createStaff(server, "support");
    const first = new URL((await users({ intent: "reset-password", userId: support.id })).body.data.resetLink);
    const second = new URL((await users({ intent: "reset-password", userId: support.id })).body.data.resetLink);
    expect((await getPage(server, first.pathname)).status).toBe(410);
    expect((await getPage(server, second.pathname)).status).toBe(200);
    await db()
      .update(staffPasswordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(staffPasswordResets.userId, support.id), isNull(staffPasswordResets.usedAt)));
    expect((await getPage(server, second.pathname)).status).toBe(410);
    expect((await getPage(server, "/reset-password/not-a-token")).status).toBe(410);

    const own = await users({ intent: "reset-password", userId: admin.id });
    expect(own.status).toBe(422);
    expect(own.body.message).toMatch(/your account page/);
  });

  it("is for admins only", async () => {
    const finance = await createStaff(server, "finance");
    const cookie = await loginAs(server, finance);
    const forged = await postStaffAction(
      server,
      "/users",
      "routes/_staff.users",
      { intent: "reset-password", userId: admin.id },
      cookie,
    );
    expect(forged.status).toBe(403);
    expect(await db().select().from(staffPasswordResets).where(eq(staffPasswordResets.userId, admin.id))).toEqual([]);
  });
});

describe("changing one's own password", () => {
  it("checks the current password and the rule, then ends the other sessions", async () => {
    const support = await createStaff(server, "support");
    const here = await loginAs(server, support);
    const elsewhere = await loginAs(server, support);
    const change = (fields: Record<string, string>) => myAccount({ intent: "change-password", ...fields }, here);
    const newPassword = "my-own-new-password";

    for (const [fields, field] of [
      [{ currentPassword: "wrong-password!", newPassword, confirmPassword: newPassword }, "currentPassword"],
      [{ currentPassword: support.password, newPassword: "1234567890", confirmPassword: "1234567890" }, "newPassword"],
      [
        { currentPassword: support.password, newPassword: "qwerty123456", confirmPassword: "qwerty123456" },
        "newPassword",
      ],
      [
        { currentPassword: support.password, newPassword: "x".repeat(129), confirmPassword: "x".repeat(129) },
        "newPassword",
      ],
      [{ currentPassword: support.password, newPassword, confirmPassword: "something-else" }, "confirmPassword"],
      [
        { currentPassword: support.password, newPassword: support.password, confirmPassword: support.password },
        "newPassword",
      ],
    ] as const) {
      const refused = await change(fields);
      expect(refused.status, JSON.stringify(fields)).toBe(400);
      expect(Object.keys(refused.body.fieldErrors)).toEqual([field]);
    }

    const response = await postForm(
      server,
      "/me?_data=routes%2F_staff.me",
      { intent: "change-password", currentPassword: support.password, newPassword, confirmPassword: newPassword },
      here,
    );
    expect(response.status).toBe(200);
    const renewed = sessionCookieFrom(response);
    expect((await getPage(server, "/", renewed)).status).toBe(200);
    expect((await getPage(server, "/", here)).status).toBe(302);
    expect((await getPage(server, "/", elsewhere)).status).toBe(302);
    expect((await passwordStep(support)).response.status).toBe(401);
    expect((await passwordStep({ ...support, password: newPassword })).response.status).toBe(302);
    const audit = await latestAudit("staff_user.change_password", support.id);
    expect(audit.actorUserId).toBe(support.id);
    expect(JSON.stringify(audit)).not.toContain(newPassword);
  });

  it("renews the recovery codes with the password: the old ones stop working", async () => {
    const finance = await createStaff(server, "finance");
    const cookie = await loginAs(server, finance);
    const renewed = await myAccount({ intent: "renew-recovery-codes", currentPassword: finance.password }, cookie);
    expect(renewed.status).toBe(200);
    const codes = renewed.body.data.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const again = await myAccount({ intent: "renew-recovery-codes", currentPassword: finance.password }, cookie);
    const step = await passwordStep(finance);
    expect((await postForm(server, "/login/code", { code: codes[0] }, step.cookie)).status).toBe(401);
    const fresh = (again.body.data.recoveryCodes as string[])[0];
    expect((await postForm(server, "/login/code", { code: fresh }, step.cookie)).status).toBe(302);
  });
});

describe("the password rule at every door", () => {
  it("refuses a password over 128 characters at login without checking it", async () => {
    const response = await postForm(server, "/login", { email: admin.email, password: "x".repeat(5000) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("at most 128 characters");
  });

  it("refuses common and over-long passwords on the admin screen", async () => {
    for (const password of ["Password1234", "x".repeat(129), "short-one"]) {
      const answer = await users({
        intent: "create",
        email: `rule-${password.length}@staff.test`,
        role: "support",
        password,
      });
      expect(answer.status, password).toBe(400);
      expect(Object.keys(answer.body.fieldErrors)).toEqual(["password"]);
    }
  });
});

describe("session storage", () => {
  it("keeps only the SHA-256 of a session's token", async () => {
    const support = await createStaff(server, "support");
    const cookie = await loginAs(server, support);
    const rows = await db().select().from(staffSessions).where(eq(staffSessions.userId, support.id));
    expect(rows.map((row) => row.id)).toEqual([hashOf(tokenOf(cookie))]);
    // The id as a cookie opens nothing.
    expect((await getPage(server, "/", `paydesk_session=${rows[0].id}`)).status).toBe(302);
  });
});
