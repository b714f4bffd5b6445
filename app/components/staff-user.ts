import { useRouteLoaderData } from "@remix-run/react";
import type { Role } from "../auth/roles";

export type ShellUser = { id: string; name: string; email: string; role: Role; timeZone: string };

/** The signed-in staff user, as the staff shell (routes/_staff) loaded it. */
export function useStaffUser(): ShellUser {
  const data = useRouteLoaderData("routes/_staff") as { user: ShellUser } | undefined;
  if (!data) throw new Error("useStaffUser is for routes inside the staff shell (routes/_staff).");
  return data.user;
}
