// The permission matrix of the back-office, end to end: every staff screen and every staff action,
// for every role, over HTTP with real sessions. A role without the permission gets 403 from the
// server and nothing changes (the forged POST carries real ids and valid-looking fields, so a
// missing check would act); a role with it is let through to the action (which may still refuse
// the input, but never with 403 or a 500), and whatever it changes is in the audit log.
// app/auth/roles.test.ts pins which role has which
// permission to the back-office's roles; this file pins which permission each screen and action asks for.
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, roleHasPermission, type Permission } from "../../app/auth/roles";
import {
  apiClients,
  auditLog,
  bulkCreditRuns,
  callbackOutbox,
  callbackPauses,
  chargebacks,
  credits,
  operationLog,
  paymentMethods,
  paymentTransactions,
  payments,
  reconciliationDifferences,
  reconciliationTotals,
  recurringPayments,
  settlementReportImports,
  staffUsers,
} from "../../db/schema";
import { useTestServer } from "../support/fixtures-http";
import { useStaffFixtures } from "../support/fixtures-staff";
import { getPage, postForm } from "../support/staff";

const CUSTOMER = "4711001";
const server = useTestServer();
const f = useStaffFixtures(server, CUSTOMER);
/** A delivered callback of the fixtures' target client: what the callback actions point at. */
const callback = { id: 0, target: "https://matrix.example" };
const bulkRunId = "0b9d3c1e-2f4a-4b5c-8d6e-7f8091a2b3c4";
beforeAll(async () => {
  const [row] = await server.database.db
    .insert(callbackOutbox)
    .values({
      url: `${callback.target}/hooks`,
      target: callback.target,
      payload: { paymentId: 1, transactionId: 2, status: "AUTHORIZED" },
      clientId: f.targetClientId,
      attempts: 1,
      deliveredAt: new Date("2026-12-01T10:00:00.000Z"),
    })
    .returning({ id: callbackOutbox.id });
  callback.id = row.id;
  // A finished bulk credit run, for its report screen.
  await server.database.db
    .insert(bulkCreditRuns)
    .values({ runId: bulkRunId, staffUserId: "matrix", reason: "Matrix", amountRule: "full", finishedAt: new Date() });
  // A reconciled settlement with one open difference: what the reconciliation actions point at.
  const [report] = await server.database.db
    .insert(settlementReportImports)
    .values({
      fileName: "matrix.csv",
      status: "DONE",
      uploadToken: "matrix-upload-token-0001",
      contentSha256: "0".repeat(64),
      importedByEmail: "finance@paydesk.test",
    })
    .returning({ id: settlementReportImports.id });
  await server.database.db.insert(reconciliationTotals).values({
    settlementId: reconciled.settlementId,
    currency: "NOK",
    importId: report.id,
    lineCount: 1,
    matchedCount: 0,
  });
  const [difference] = await server.database.db
    .insert(reconciliationDifferences)
    .values({
      importId: report.id,
      settlementId: reconciled.settlementId,
      kind: "MISSING_IN_PAYDESK",
      lineNo: 2,
      type: "CAPTURE",
      reference: "612340000099",
      currency: "NOK",
      providerAmount: "89.00",
      difference: "89.00",
    })
    .returning({ id: reconciliationDifferences.id });
  reconciled.differenceId = difference.id;
});
/** A reconciled settlement and its open difference (set in beforeAll). */
const reconciled = { settlementId: "MATRIX-RECON-1", differenceId: 0 };

/** Everything a forged action could change, read straight from the database. */
async function fingerprint() {
  const db = server.database.db;
  const count = async (table: typeof auditLog | typeof operationLog | typeof credits) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;
  const paymentIds = [f.authorized.paymentId, f.captured.paymentId, f.deactivated.paymentId];
  return {
    audit: await count(auditLog),
    operations: await count(operationLog),
    credits: await count(credits),
    payments: await db
      .select({ id: payments.paymentId, active: payments.active, total: payments.totalAmount })
      .from(payments)
      .where(inArray(payments.paymentId, paymentIds))
      .orderBy(payments.paymentId),
    transactions: (
      await db
        .select()
        .from(paymentTransactions)
        .where(inArray(paymentTransactions.paymentId, paymentIds))
        .orderBy(paymentTransactions.transactionId)
    ).map((t) => ({ id: t.transactionId, status: t.status, credited: t.creditedAmount })),
    credit: await db
      .select({ status: credits.status, active: credits.active, settlementId: credits.settlementId })
      .from(credits)
      .where(eq(credits.creditId, f.creditId)),
    recurring: await db
      .select({ status: recurringPayments.recurringStatus, primary: recurringPayments.isPrimary })
      .from(recurringPayments)
      .where(eq(recurringPayments.recurringPaymentId, f.recurringPaymentId)),
    method: await db
      .select({ enabled: paymentMethods.enabled })
      .from(paymentMethods)
      .where(eq(paymentMethods.id, f.methodId)),
    users: await db
      .select({ id: staffUsers.id, role: staffUsers.role, disabledAt: staffUsers.disabledAt })
      .from(staffUsers)
      .orderBy(staffUsers.id),
    clients: await db
      .select({
        id: apiClients.clientId,
        token: apiClients.tokenHash,
        disabledAt: apiClients.disabledAt,
        channels: apiClients.distributionChannels,
      })
      .from(apiClients)
      .orderBy(apiClients.clientId),
    callbacks: await db
      .select({ id: callbackOutbox.id, deliveredAt: callbackOutbox.deliveredAt, next: callbackOutbox.nextAttemptAt })
      .from(callbackOutbox)
      .orderBy(callbackOutbox.id),
    pauses: await db.select().from(callbackPauses),
    chargebacks: await db
      .select({
        id: chargebacks.chargebackId,
        status: chargebacks.status,
        notes: chargebacks.notes,
        evidence: chargebacks.evidence,
        dueDate: chargebacks.dueDate,
      })
      .from(chargebacks)
      .orderBy(chargebacks.chargebackId),
    chargedBack: (
      await db
        .select({ amount: paymentTransactions.chargedBackAmount })
        .from(paymentTransactions)
        .where(inArray(paymentTransactions.paymentId, paymentIds))
        .orderBy(paymentTransactions.transactionId)
    ).map((t) => t.amount),
    reports: await db.select({ id: settlementReportImports.id }).from(settlementReportImports),
    differences: await db
      .select({ id: reconciliationDifferences.id, resolvedAt: reconciliationDifferences.resolvedAt })
      .from(reconciliationDifferences),
  };
}

type StaffActionCase = {
  path: () => string;
  intent: string;
  permission: Permission;
  fields: () => Record<string, string>;
};

const REASON = { reason: "Permission matrix check" };

// The other fields of the forms that name one of the fixtures (and of those that name nothing).
const targetClient = () => ({ clientId: f.targetClientId });
const targetUser = () => ({ userId: f.targetUser.id });
const method = () => ({ methodId: String(f.methodId) });
const recurring = () => ({ target: String(f.recurringPaymentId) });
const nothing = () => ({});
const callbackTarget = () => ({ clientId: f.targetClientId, target: callback.target });
// What the create forms ask for.
const NEW_USER = { email: "matrix-new@staff.test", name: "New", role: "admin", password: "a long enough password 1" };
const NEW_CLIENT = {
  name: "Matrix shop",
  organisation: "new",
  organisationId: "9901",
  organisationName: "Matrix AS",
  channels: "web",
  allowedRedirectPrefixes: "https://matrix.example/",
};

const BULK_VIPPS = { paymentType: "VIPPS", allClients: "on", allChannels: "on", enabled: "false" };

// Issue 7: support views, captures, cancels, reactivates and creates credits; finance also
// executes credits, deactivates, adjusts invoices, sees settlements and exports; admin the rest.
const ACTIONS: StaffActionCase[] = [
  {
    path: () => `/payments/${f.authorized.paymentId}`,
    intent: "capture",
    permission: "payment:capture",
    fields: () => ({ transactionId: String(f.authorized.transactionId) }),
  },
  {
    path: () => `/payments/${f.authorized.paymentId}`,
    intent: "cancel",
    permission: "payment:cancel",
    fields: () => ({ transactionId: String(f.authorized.transactionId) }),
  },
  {
    path: () => `/payments/${f.captured.paymentId}`,
    intent: "credit",
    permission: "credit:create",
    fields: () => ({ transactionId: String(f.captured.transactionId), amount: "5.00" }),
  },
  {
    path: () => `/payments/${f.captured.paymentId}`,
    intent: "deactivate",
    permission: "payment:deactivate",
    fields: () => ({}),
  },
  {
    // No operation of this payment is in progress: allowed roles get a 404, the others a 403.
    path: () => `/payments/${f.captured.paymentId}`,
    intent: "resolve",
    permission: "payment:resolve",
    fields: () => ({ operationId: "1" }),
  },
  {
    path: () => `/payments/${f.deactivated.paymentId}`,
    intent: "reactivate",
    permission: "payment:reactivate",
    fields: () => ({ totalAmount: "30.00" }),
  },
  {
    path: () => `/payments/${f.captured.paymentId}`,
    intent: "invoice",
    permission: "invoice:adjust",
    fields: () => ({ transactionId: String(f.captured.transactionId), amount: "70.00" }),
  },
  {
    path: () => "/credits/new",
    intent: "create",
    permission: "credit:create",
    fields: () => ({
      line: `${f.captured.paymentId}:${f.captured.transactionId}`,
      [`amount-${f.captured.transactionId}`]: "5.00",
    }),
  },
  { path: () => `/credits/${f.creditId}`, intent: "execute", permission: "credit:execute", fields: nothing },
  {
    path: () => `/credits/${f.creditId}`,
    intent: "updateSettlement",
    permission: "credit:create",
    fields: () => ({ settlementId: "S-MATRIX" }),
  },
  { path: () => `/credits/${f.creditId}`, intent: "deactivate", permission: "credit:create", fields: nothing },
  {
    path: () => "/credits?index",
    intent: "setFourEyesThreshold",
    permission: "credit:configure",
    fields: () => ({ currency: "NOK", amount: "1.00" }),
  },
  { path: () => `/customers/${CUSTOMER}`, intent: "make-primary", permission: "customer:manage", fields: recurring },
  { path: () => `/customers/${CUSTOMER}`, intent: "end-recurring", permission: "customer:manage", fields: recurring },
  {
    path: () => `/customers/${CUSTOMER}`,
    intent: "stop-agreement",
    permission: "customer:manage",
    fields: () => ({ target: "agr_unknown" }),
  },
  // The bulk actions (issue 14): the preview writes nothing; a confirm of a preview that was never
  // made (its fingerprint does not match) is a 409 for the roles allowed, and changes nothing.
  {
    path: () => "/payments?index",
    intent: "bulk-credit-preview",
    permission: "credit:create",
    fields: () => ({ paymentId: String(f.captured.paymentId), amount: "percentage", percentage: "50" }),
  },
  {
    path: () => "/payments?index",
    intent: "bulk-credit",
    permission: "credit:create",
    fields: () => ({
      paymentId: String(f.captured.paymentId),
      amount: "full",
      runId: "6f0c1a52-4a4b-4c1e-9d53-1f0e8b7c2a10",
      fingerprint: "not-the-preview",
    }),
  },
  { path: () => "/payment-methods", intent: "bulk-preview", permission: "method:manage", fields: () => BULK_VIPPS },
  {
    path: () => "/payment-methods",
    intent: "bulk-apply",
    permission: "method:manage",
    fields: () => ({ ...BULK_VIPPS, fingerprint: "not-the-preview" }),
  },
  { path: () => "/payment-methods", intent: "disable", permission: "method:manage", fields: method },
  { path: () => "/payment-methods", intent: "enable", permission: "method:manage", fields: method },
  { path: () => "/users", intent: "create", permission: "user:manage", fields: () => NEW_USER },
  {
    path: () => "/users",
    intent: "change-role",
    permission: "user:manage",
    fields: () => ({ userId: f.targetUser.id, role: "admin" }),
  },
  { path: () => "/users", intent: "disable", permission: "user:manage", fields: targetUser },
  { path: () => "/users", intent: "enable", permission: "user:manage", fields: targetUser },
  { path: () => "/users", intent: "reset-password", permission: "user:manage", fields: targetUser },
  { path: () => "/users", intent: "reset-second-factor", permission: "user:manage", fields: targetUser },
  // One's own account: every role (the fields are left out: a 400, never a 403).
  { path: () => "/me", intent: "change-password", permission: "dashboard:read", fields: nothing },
  { path: () => "/me", intent: "renew-recovery-codes", permission: "dashboard:read", fields: nothing },
  { path: () => "/me", intent: "turn-off-second-factor", permission: "dashboard:read", fields: nothing },
  { path: () => "/api-clients", intent: "create", permission: "client:manage", fields: () => NEW_CLIENT },
  { path: () => "/api-clients", intent: "rotate-token", permission: "client:manage", fields: targetClient },
  {
    path: () => "/api-clients",
    intent: "update",
    permission: "client:manage",
    fields: () => ({
      clientId: f.targetClientId,
      channels: "web,app",
      allowedRedirectPrefixes: "https://matrix.example/",
    }),
  },
  { path: () => "/api-clients", intent: "disable", permission: "client:manage", fields: targetClient },
  { path: () => "/api-clients", intent: "enable", permission: "client:manage", fields: targetClient },
  {
    path: () => `/callbacks/${callback.id}`,
    intent: "resend",
    permission: "callback:manage",
    fields: () => ({ callbackId: String(callback.id) }),
  },
  {
    path: () => `/callbacks?index&clientId=${f.targetClientId}`,
    intent: "resendFiltered",
    permission: "callback:manage",
    fields: () => ({ expected: "1" }),
  },
  {
    path: () => `/callbacks/${callback.id}`,
    intent: "pauseTarget",
    permission: "callback:manage",
    fields: callbackTarget,
  },
  { path: () => "/callbacks?index", intent: "resumeTarget", permission: "callback:manage", fields: callbackTarget },
  {
    path: () => `/payments/${f.captured.paymentId}`,
    intent: "openChargeback",
    permission: "chargeback:manage",
    fields: () => ({ transactionId: String(f.captured.transactionId), amount: "1.00", reasonCode: "10.4" }),
  },
  {
    path: () => `/chargebacks/${f.chargebackId}`,
    intent: "evidence",
    permission: "chargeback:manage",
    fields: () => ({ notes: "Matrix", evidence: "Receipt", dueDate: "2027-01-31" }),
  },
  {
    path: () => `/chargebacks/${f.chargebackId}`,
    intent: "decide",
    permission: "chargeback:manage",
    fields: () => ({ outcome: "LOST" }),
  },
  // Saved views: whoever may read the screen may keep views of it (decision 044).
  { path: () => "/payments?index", intent: "saveView", permission: "payment:read", fields: () => VIEW },
  { path: () => "/credits?index", intent: "saveView", permission: "credit:read", fields: () => VIEW },
  { path: () => "/operation-log", intent: "saveView", permission: "log:read", fields: () => VIEW },
  {
    path: () => "/credits?index",
    intent: "deleteView",
    permission: "credit:read",
    fields: () => ({ viewId: "999999" }),
  },
  {
    path: () => "/operation-log",
    intent: "setDefaultView",
    permission: "log:read",
    fields: () => ({ viewId: "999999", isDefault: "on" }),
  },
  // The upload is a streamed multipart body: a form-encoded post is refused (400) once the
  // permission lets it through.
  { path: () => "/reconciliation?index", intent: "upload", permission: "reconciliation:import", fields: nothing },
  {
    path: () => `/reconciliation/${reconciled.settlementId}`,
    intent: "resolve",
    permission: "reconciliation:resolve",
    fields: () => ({ differenceId: String(reconciled.differenceId) }),
  },
  {
    path: () => `/reconciliation/${reconciled.settlementId}`,
    intent: "matchAgain",
    permission: "reconciliation:resolve",
    fields: nothing,
  },
];

const VIEW = { name: "Matrix view", query: "" };

const SCREENS: Array<{ path: () => string; permission: Permission }> = [
  { path: () => "/", permission: "dashboard:read" },
  { path: () => "/payments", permission: "payment:read" },
  { path: () => `/payments/${f.captured.paymentId}`, permission: "payment:read" },
  { path: () => "/payments/export.csv", permission: "export:csv" },
  { path: () => "/credits/export.csv", permission: "export:csv" },
  { path: () => "/operation-log/export.csv", permission: "export:csv" },
  { path: () => "/audit-log/export.csv", permission: "audit:read" },
  { path: () => "/credits", permission: "credit:read" },
  { path: () => "/credits/new", permission: "credit:create" },
  { path: () => `/credits/${f.creditId}`, permission: "credit:read" },
  { path: () => `/credits/bulk/${bulkRunId}`, permission: "credit:read" },
  { path: () => "/work", permission: "credit:execute" },
  { path: () => "/operation-log", permission: "log:read" },
  { path: () => "/customers", permission: "customer:read" },
  { path: () => `/customers/${CUSTOMER}`, permission: "customer:read" },
  { path: () => "/settlements", permission: "settlement:read" },
  { path: () => "/settlements/export.csv", permission: "export:csv" },
  { path: () => "/payment-methods", permission: "method:manage" },
  { path: () => "/audit-log", permission: "audit:read" },
  { path: () => "/users", permission: "user:manage" },
  { path: () => "/api-clients", permission: "client:manage" },
  { path: () => "/me", permission: "dashboard:read" },
  { path: () => "/callbacks", permission: "callback:read" },
  { path: () => `/callbacks/${callback.id}`, permission: "callback:read" },
  { path: () => "/chargebacks", permission: "chargeback:read" },
  { path: () => `/chargebacks/${f.chargebackId}`, permission: "chargeback:read" },
  { path: () => "/reconciliation", permission: "settlement:read" },
  { path: () => `/reconciliation/${reconciled.settlementId}`, permission: "settlement:read" },
  { path: () => "/reconciliation/progress?token=matrix-upload-token-0001", permission: "reconciliation:import" },
];

describe("every staff screen for every role", () => {
  it.each(SCREENS.map((screen) => [screen.permission, screen] as const))("%s", async (_, screen) => {
    for (const role of ROLES) {
      const response = await getPage(server, screen.path(), f.cookies.get(role));
      await response.body?.cancel();
      const expected = roleHasPermission(role, screen.permission) ? 200 : 403;
      expect(response.status, `${role} GET ${screen.path()}`).toBe(expected);
    }
  });
});

describe("every staff action for every role", () => {
  it.each(ACTIONS.map((action) => [`${action.intent} (${action.permission})`, action] as const))(
    "%s",
    async (_, action) => {
      // Roles without the permission first, so the fixtures are as set up when they try.
      const ordered = [...ROLES].sort(
        (a, b) => Number(roleHasPermission(a, action.permission)) - Number(roleHasPermission(b, action.permission)),
      );
      for (const role of ordered) {
        const before = await fingerprint();
        const response = await postForm(
          server,
          action.path(),
          { intent: action.intent, ...REASON, ...action.fields() },
          f.cookies.get(role),
        );
        const body = await response.text();
        const where = `${role} ${action.intent} on ${action.path()}: ${response.status} ${body.slice(0, 200)}`;
        if (roleHasPermission(role, action.permission)) {
          expect(response.status, where).not.toBe(403);
          expect(response.status, where).toBeLessThan(500);
          // An action that changed anything wrote its audit entry in the same step.
          const { audit: auditBefore, ...stateBefore } = before;
          const { audit: auditAfter, ...stateAfter } = await fingerprint();
          if (JSON.stringify(stateAfter) !== JSON.stringify(stateBefore)) {
            expect(auditAfter, `${where}: changed without an audit entry`).toBeGreaterThan(auditBefore);
          }
        } else {
          expect(response.status, where).toBe(403);
          expect(await fingerprint(), where).toEqual(before);
        }
      }
    },
  );

  it("covers every permission a staff action can need", () => {
    const used = new Set([...ACTIONS.map((a) => a.permission), ...SCREENS.map((s) => s.permission)]);
    const unused = PERMISSIONS.filter((p) => !used.has(p));
    expect(unused).toEqual([]);
  });
});
