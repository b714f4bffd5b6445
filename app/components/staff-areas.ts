// The areas of the staff back-office: one list for the
// navigation and the placeholder screens, with the permission each needs. The server checks
// the permission again in every loader; this list only decides what the navigation shows.
import type { Permission } from "../auth/roles";

export type StaffAreaKey =
  | "dashboard"
  | "payments"
  | "credits"
  | "chargebacks"
  | "work"
  | "operationLog"
  | "callbacks"
  | "customers"
  | "settlements"
  | "reconciliation"
  | "paymentMethods"
  | "auditLog"
  | "users"
  | "apiClients";

export type StaffArea = {
  /** Its label and summary in the locales: shell.areas.<key>, shell.summaries.<key>. */
  key: StaffAreaKey;
  /** The English label and summary, for code and tests; screens show the locale's. */
  label: string;
  to: string;
  permission: Permission;
  /** What the screen is for, in one sentence. */
  summary: string;
  /** Who sees it, when that is narrower than every role. */
  audience?: "finance" | "admin";
};

export const STAFF_AREAS: readonly StaffArea[] = [
  {
    label: "Dashboard",
    key: "dashboard",
    to: "/",
    permission: "dashboard:read",
    summary:
      "Captured, credited and net volume over a chosen range, by day and by payment type group, with counts and the top payment types.",
  },
  {
    label: "Payments",
    key: "payments",
    to: "/payments",
    permission: "payment:read",
    summary: "Find a payment by order, customer, card last 4, RRN, amount or date, and act on it.",
  },
  {
    label: "Credits",
    key: "credits",
    to: "/credits",
    permission: "credit:read",
    summary:
      "Find credits with the same filters as payments, create a credit from chosen transactions and execute it with a confirmation.",
  },
  {
    label: "Chargebacks",
    key: "chargebacks",
    to: "/chargebacks",
    permission: "chargeback:read",
    summary:
      "Disputes card schemes opened on captured transactions, by status and due date; finance adds evidence and records them won or lost.",
  },
  {
    label: "Work queue",
    key: "work",
    to: "/work",
    permission: "credit:execute",
    summary:
      "Credits waiting for a second staff user and provider operations whose outcome is not known yet, for those who can act on them.",
  },
  {
    label: "Operation log",
    key: "operationLog",
    to: "/operation-log",
    permission: "log:read",
    summary: "Every operation across payments, filterable by operation, time, client, POS, channel and correlation id.",
  },
  {
    label: "Callbacks",
    key: "callbacks",
    to: "/callbacks",
    permission: "callback:read",
    summary:
      "Every callback to API clients with its attempts, state and next retry; admins resend them and pause a client's target.",
  },
  {
    label: "Customers",
    key: "customers",
    to: "/customers",
    permission: "customer:read",
    summary:
      "A customer's payments, credits, recurring payments, agreements, products and invoices by customer number.",
  },
  {
    label: "Settlements",
    key: "settlements",
    to: "/settlements",
    permission: "settlement:read",
    audience: "finance",
    summary:
      "Captured, credited and net amounts and counts per settlement id and day, with drill-down to the transactions and CSV export.",
  },
  {
    label: "Reconciliation",
    key: "reconciliation",
    to: "/reconciliation",
    permission: "settlement:read",
    audience: "finance",
    summary:
      "Upload a provider's settlement report and see per settlement what matches, what is missing on either side, what differs, and the fees.",
  },
  {
    label: "Payment methods",
    key: "paymentMethods",
    to: "/payment-methods",
    permission: "method:manage",
    audience: "admin",
    summary: "Enable or disable each payment method per API client and distribution channel, with a reason.",
  },
  {
    label: "Audit log",
    key: "auditLog",
    to: "/audit-log",
    permission: "audit:read",
    audience: "admin",
    summary: "Who did what, when, from where, with the before and after of every staff action. Read-only.",
  },
  {
    label: "Users",
    key: "users",
    to: "/users",
    permission: "user:manage",
    audience: "admin",
    summary: "Create staff users, set their roles and disable them, which ends their sessions at once.",
  },
  {
    label: "API clients",
    key: "apiClients",
    to: "/api-clients",
    permission: "client:manage",
    audience: "admin",
    summary: "Create and disable API clients and rotate their tokens.",
  },
];

export function staffArea(to: string): StaffArea {
  const area = STAFF_AREAS.find((candidate) => candidate.to === to);
  if (!area) throw new Error(`No staff area at ${to}`);
  return area;
}
