// Staff users of the back-office.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { staffUsers } from "../../db/schema";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../auth/password.server";
import { isRole, type Role } from "../auth/roles";

export type NewStaffUser = { email: string; name?: string; role: Role; password: string; timeZone?: string };

export class StaffUserInputError extends Error {
  constructor(
    readonly field: "email" | "role" | "password",
    message: string,
  ) {
    super(message);
    this.name = "StaffUserInputError";
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function createStaffUser(database: Db, input: NewStaffUser): Promise<{ id: string; email: string; role: Role }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new StaffUserInputError("email", "must be an email address");
  if (!isRole(input.role)) throw new StaffUserInputError("role", "must be one of support, finance, admin");
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new StaffUserInputError("password", `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const [taken] = await database
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(sql`lower(${staffUsers.email}) = ${email}`);
  if (taken) throw new StaffUserInputError("email", "a staff user with this email exists already");
  const id = randomBytes(10).toString("hex");
  await database.insert(staffUsers).values({
    id,
    email,
    name: input.name?.trim() || email.split("@")[0],
    role: input.role,
    passwordHash: await hashPassword(input.password),
    timeZone: input.timeZone ?? "Europe/Oslo",
  });
  return { id, email, role: input.role };
}
