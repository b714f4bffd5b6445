import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, roleHasPermission, userHasPermission, type Permission } from "./roles";

// The permission matrix as the back-office defines it: support views and fixes, finance also moves
// money out and sees settlements and exports, admin does everything. Acting on a customer's
// stored cards and agreements is in neither support's nor finance's list, so it is admin's.
const EXPECTED_DENIED: Record<(typeof ROLES)[number], Permission[]> = {
  support: [
    "credit:execute",
    "payment:deactivate",
    "payment:resolve",
    "invoice:adjust",
    "settlement:read",
    "export:csv",
    "method:manage",
    "user:manage",
    "client:manage",
    "audit:read",
    "credit:configure",
    "customer:manage",
    "callback:manage",
    "chargeback:manage",
    "reconciliation:import",
    "reconciliation:resolve",
  ],
  finance: [
    "customer:manage",
    "method:manage",
    "user:manage",
    "client:manage",
    "audit:read",
    "credit:configure",
    "callback:manage",
  ],
  admin: [],
};

describe("permission matrix", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = !EXPECTED_DENIED[role].includes(permission);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(roleHasPermission(role, permission)).toBe(allowed);
      });
    }
  }

  it("treats no user as allowed nothing", () => {
    expect(userHasPermission(null, "payment:read")).toBe(false);
    expect(userHasPermission(undefined, "dashboard:read")).toBe(false);
  });
});

describe("links between screens", () => {
  it("lets everyone who reads a customer open the customer's payments, credits and chargebacks", () => {
    // The customer screen links each of them without asking again (its rows are links).
    for (const role of ROLES) {
      if (!roleHasPermission(role, "customer:read")) continue;
      for (const linked of ["payment:read", "credit:read", "chargeback:read"] as const)
        expect(roleHasPermission(role, linked), `${role} ${linked}`).toBe(true);
    }
  });
});
