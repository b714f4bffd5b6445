// Staff roles and what each may do. The matrix is the single answer to "may this user do X",
// asked by every loader and action on the server and by the UI to hide what is not allowed.

export const ROLES = ["support", "finance", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "payment:read",
  "payment:capture",
  "payment:cancel",
  "payment:reactivate",
  "payment:deactivate",
  // Ask the provider now about an operation still in progress (the recovery job would, a little later).
  "payment:resolve",
  "credit:read",
  "credit:create",
  "credit:execute",
  "invoice:adjust",
  "customer:read",
  "customer:manage",
  "log:read",
  "settlement:read",
  "export:csv",
  "dashboard:read",
  "method:manage",
  "user:manage",
  "client:manage",
  "audit:read",
  // Set the four-eyes thresholds of credits (admin only: whoever executes must not set them).
  "credit:configure",
  // The callback deliveries console: read every callback and its attempts; resend, pause, resume.
  "callback:read",
  "callback:manage",
  // Chargebacks (docs/decisions/040): read them; open, evidence and decide them (money moves).
  "chargeback:read",
  "chargeback:manage",
  // Settlement reconciliation (docs/decisions/039): upload a provider's settlement report, and
  // mark a difference resolved with a reason. Reading the result needs settlement:read.
  "reconciliation:import",
  "reconciliation:resolve",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const SUPPORT: readonly Permission[] = [
  "dashboard:read",
  "payment:read",
  "payment:capture",
  "payment:cancel",
  "payment:reactivate",
  "credit:read",
  "credit:create",
  "customer:read",
  "log:read",
  "callback:read",
  "chargeback:read",
];

const FINANCE: readonly Permission[] = [
  ...SUPPORT,
  "credit:execute",
  "payment:deactivate",
  "payment:resolve",
  "invoice:adjust",
  "settlement:read",
  "export:csv",
  "chargeback:manage",
  "reconciliation:import",
  "reconciliation:resolve",
];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  support: new Set(SUPPORT),
  finance: new Set(FINANCE),
  admin: new Set(PERMISSIONS),
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** For the UI too: hide what the user may not do (the server checks again regardless). */
export function userHasPermission(user: { role: Role } | null | undefined, permission: Permission): boolean {
  return !!user && roleHasPermission(user.role, permission);
}

/**
 * The roles that move money or manage who may (finance, admin) log in with a second factor; for
 * support it is optional. A support user made finance enrols before their next screen.
 */
export function secondFactorRequired(role: Role): boolean {
  return role !== "support";
}

/** What a staff session still lacks before it opens the back-office. */
export const SESSION_STEPS = ["totp", "enrol"] as const;
export type SessionStep = (typeof SESSION_STEPS)[number];
