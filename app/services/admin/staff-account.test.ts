// A staff user's own preferences (language, colour scheme): kept on the account, and each change,
// and only a change, audited with the value before and after.
import { and, eq } from "drizzle-orm";
import { auditLog, staffUsers } from "../../../db/schema";
import { auditEntries, staffCaller, systemCaller, useTestDatabase } from "../../../tests/support/use-case";
import { refused } from "../../../tests/support/fixtures-use-case";
import { chooseColorScheme, setOwnLanguage } from "./staff-account.server";
import { createStaffUser } from "./staff-users.server";

const database = useTestDatabase();

async function newStaffCaller() {
  const user = await createStaffUser(systemCaller(), {
    email: `prefs-${crypto.randomUUID()}@paydesk.test`,
    role: "support",
    password: "a long enough passphrase",
  });
  return staffCaller({ userId: user.id, email: user.email });
}

const account = async (userId: string) =>
  (await database().db.select().from(staffUsers).where(eq(staffUsers.id, userId)))[0];

const audits = (userId: string, action: string) =>
  auditEntries(database(), and(eq(auditLog.entityId, userId), eq(auditLog.action, action)));

describe("own preferences", () => {
  it("keeps the language and audits each change once, with before and after", async () => {
    const caller = await newStaffCaller();
    await setOwnLanguage(caller, { language: "nb" });
    await setOwnLanguage(caller, { language: "nb" });
    expect((await account(caller.userId)).language).toBe("nb");
    await setOwnLanguage(caller, { language: null });
    expect((await account(caller.userId)).language).toBeNull();
    const entries = await audits(caller.userId, "staff_user.set_language");
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [{ language: null }, { language: "nb" }],
      [{ language: "nb" }, { language: null }],
    ]);
  });

  it("keeps the colour scheme, audits a change once and refuses an unknown one", async () => {
    const caller = await newStaffCaller();
    const before = (await account(caller.userId)).colorScheme;
    await chooseColorScheme(caller, { colorScheme: "dark" });
    await chooseColorScheme(caller, { colorScheme: "dark" });
    expect((await account(caller.userId)).colorScheme).toBe("dark");
    await expect(chooseColorScheme(caller, { colorScheme: "purple" })).rejects.toMatchObject(
      refused({ kind: "invalid", errors: [expect.objectContaining({ field: "colorScheme" })] }),
    );
    const entries = await audits(caller.userId, "staff_user.color_scheme");
    expect(entries.map((e) => [e.before, e.after])).toEqual([[{ colorScheme: before }, { colorScheme: "dark" }]]);
  });
});
