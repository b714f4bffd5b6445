// The staff credits screens over HTTP with real sessions: creating a credit from chosen
// transactions (over-credit refused by the server too), executing it (finance and admin only),
// the four-eyes rule, the threshold setting, deactivation, audit entries in the same
// transaction as each change, and concurrent executes of one credit by two staff users.
import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, creditTransactions, credits } from "../../db/schema";
import { pspOperations } from "../support/psp";
import type { StaffCaller } from "../../app/domain/caller";
import { deactivatePayment } from "../../app/services/payments/payments.server";
import { capturedCardPayment } from "../support/api";
import { transactionRow } from "../support/fixtures-transactions";
import { postStaffAction } from "../support/fixtures-staff";
import { useApiClient, useStaffSession, useTestServer, type StaffSession } from "../support/fixtures-http";
import { operationsNamed } from "../support/api";
import { getPage, postForm } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 901 });
/** A privileged client of the same organisation: trusted with imports, never with a staff user's credit. */
const partner = useApiClient(server, { organisationId: 901, privileged: true });
const support = useStaffSession(server, "support");
const financeA = useStaffSession(server, "finance");
const financeB = useStaffSession(server, "finance");
const admin = useStaffSession(server, "admin");

const ROUTES = {
  list: ["/credits?index", "routes/_staff.credits._index"],
  create: ["/credits/new", "routes/_staff.credits.new"],
  detail: (creditId: number) => [`/credits/${creditId}`, "routes/_staff.credits.$creditId"] as const,
} as const;

/** Posts a staff form as the page's JavaScript does (?_data=…: the action's JSON answer). */
const act = (staff: StaffSession, [path, routeId]: readonly [string, string], fields: Record<string, string>) =>
  postStaffAction(server, path, routeId, fields, staff.cookie);

/** A post of the credit screen's form for `creditId`. */
const actOnCredit = (staff: StaffSession, creditId: number, fields: Record<string, string>) =>
  act(staff, ROUTES.detail(creditId), fields);

type Captured = { paymentId: number; transactionId: number };

/** The create form as the browser posts it: one `line` per chosen transaction, its amount beside it. */
async function createCredit(staff: StaffSession, lines: Array<[Captured, string]>, extra: Record<string, string> = {}) {
  const form = new URLSearchParams({ intent: "create", reason: "Customer complaint 4711", ...extra });
  for (const [t, amount] of lines) {
    form.append("line", `${t.paymentId}:${t.transactionId}`);
    form.set(`amount-${t.transactionId}`, amount);
  }
  const response = await fetch(`${server.url}/credits/new?_data=${encodeURIComponent("routes/_staff.credits.new")}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: staff.cookie },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function creditRow(creditId: number) {
  const [row] = await server.database.db.select().from(credits).where(eq(credits.creditId, creditId));
  const lines = await server.database.db
    .select()
    .from(creditTransactions)
    .where(eq(creditTransactions.creditId, creditId));
  return { ...row, lines };
}

/** What a credit changes on a transaction: its status and credited amount. */
async function creditStateOf(t: Captured) {
  const { status, creditedAmount } = await transactionRow(server, t.transactionId);
  return { status, creditedAmount };
}

function auditEntries(action: string, creditId: number) {
  return server.database.db
    .select()
    .from(auditLog)
    .where(
      and(eq(auditLog.action, action), eq(auditLog.entityType, "credit"), eq(auditLog.entityId, String(creditId))),
    );
}

describe("screens", () => {
  it("show the list, a filtered list with its errors, the create form and a credit to every role", async () => {
    const t = await capturedCardPayment(client, "80.00");
    const created = await createCredit(support, [[t, "10.00"]]);
    const creditId = created.body.data.creditId as number;
    for (const staff of [support, financeA, admin]) {
      const list = await getPage(server, `/credits?creditId=${creditId}`, staff.cookie);
      expect(list.status).toBe(200);
      expect(await list.text()).toContain(`/credits/${creditId}`);
      expect((await getPage(server, `/credits/${creditId}`, staff.cookie)).status).toBe(200);
      expect((await getPage(server, `/credits/new?paymentId=${t.paymentId}`, staff.cookie)).status).toBe(200);
    }
    const bad = await getPage(server, "/credits?totalCreditAmount=gte:abc", support.cookie);
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("Enter an amount like 2 596,50");
    const typed = await getPage(
      server,
      `/credits?totalCreditAmount=${encodeURIComponent("gte:1 000,50")}`,
      support.cookie,
    );
    expect(typed.status).toBe(200);
    expect(await typed.text()).not.toContain("Enter an amount like");
    expect((await getPage(server, "/credits/99999999", support.cookie)).status).toBe(404);
    expect((await getPage(server, "/credits/abc", support.cookie)).status).toBe(404);
    expect((await getPage(server, "/credits")).status).toBe(302);
  });

  it("filter with the API's search: the list shows what GET /v1/credits answers", async () => {
    const t = await capturedCardPayment(client, "90.00");
    const first = await createCredit(support, [[t, "11.11"]], { orderId: "FILTER-ME-1" });
    const second = await createCredit(support, [[t, "22.22"]], { orderId: "FILTER-ME-2" });
    const api = await client.get("/v1/credits?orderId=FILTER-ME-1&orderId=FILTER-ME-2&totalCreditAmount=gt:20");
    expect(api.body.items.map((c: { creditId: number }) => c.creditId)).toEqual([second.body.data.creditId]);
    const page = await (
      await getPage(server, "/credits?orderId=FILTER-ME-1&orderId=FILTER-ME-2&totalCreditAmount=gt:20", support.cookie)
    ).text();
    expect(page).toContain(`/credits/${second.body.data.creditId}"`);
    expect(page).not.toContain(`/credits/${first.body.data.creditId}"`);
  });
});

describe("create a credit from chosen transactions", () => {
  it("lets support create one: total = sum of the lines, createdByStaffUserId, reason and an audit entry", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const b = await capturedCardPayment(client, "50.00");
    const result = await createCredit(
      support,
      [
        [a, "40.50"],
        [b, "9.50"],
      ],
      { settlementId: "EJ-1" },
    );
    expect(result.status).toBe(200);
    expect(result.body.ok).toBe(true);
    const credit = await creditRow(result.body.data.creditId);
    expect(credit).toMatchObject({
      totalCreditAmount: "50.00000",
      status: "CREATED",
      createdByStaffUserId: support.id,
      reason: "Customer complaint 4711",
      settlementId: "EJ-1",
    });
    expect(credit.lines.map((l) => l.amount).sort()).toEqual(["40.50000", "9.50000"]);
    expect((await transactionRow(server, a.transactionId)).reservedAmount).toBe("40.50000");
    const [audit] = await auditEntries("credit.create", credit.creditId);
    expect(audit).toMatchObject({ actorUserId: support.id, reason: "Customer complaint 4711" });
    expect(audit.after).toMatchObject({
      status: "CREATED",
      totalCreditAmount: "50.00",
      creditTransactions: [{ amount: "40.50" }, { amount: "9.50" }],
    });
  });

  it("refuses over-credit on the server (a forged POST past the form's check), naming the transaction's field, creating nothing", async () => {
    const a = await capturedCardPayment(client, "100.00");
    await createCredit(support, [[a, "70.00"]]);
    const before = await server.database.db.select({ n: sql<number>`count(*)::int` }).from(credits);
    const over = await createCredit(support, [[a, "30.01"]]);
    expect(over.status).toBe(422);
    expect(over.body.ok).toBe(false);
    expect(over.body.fieldErrors[`amount-${a.transactionId}`]).toMatch(/exceeds the creditable amount 30.00/);
    // two lines on the same transaction add up
    const twice = await createCredit(support, [
      [a, "20.00"],
      [a, "20.00"],
    ]);
    expect(twice.status).toBe(422);
    const after = await server.database.db.select({ n: sql<number>`count(*)::int` }).from(credits);
    expect(after[0].n).toBe(before[0].n);
    expect((await transactionRow(server, a.transactionId)).reservedAmount).toBe("70.00000");
  });

  it("answers bad input next to its field: amount, no lines, missing reason, unknown transaction", async () => {
    const a = await capturedCardPayment(client, "10.00");
    // Amounts as people type them are taken (`1,50` below); garbage is refused in their words.
    const amount = await createCredit(support, [[a, "1,5,0"]]);
    expect(amount.status).toBe(400);
    expect(amount.body.fieldErrors[`amount-${a.transactionId}`]).toBe("Enter an amount like 2 596,50");
    const none = await createCredit(support, []);
    expect(none.status).toBe(400);
    expect(none.body.fieldErrors.lines).toMatch(/choose at least one/);
    const noReason = await createCredit(support, [[a, "1.00"]], { reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fieldErrors.reason).toMatch(/required/);
    const unknown = await createCredit(support, [[{ paymentId: a.paymentId, transactionId: 987654321 }, "1.00"]]);
    expect(unknown.status).toBe(404);
  });
});

describe("execute", () => {
  it("is refused to support with 403 and changes nothing (forged POST)", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const creditId = (await createCredit(support, [[a, "25.00"]])).body.data.creditId;
    const forged = await actOnCredit(support, creditId, { intent: "execute", reason: "let me" });
    expect(forged.status).toBe(403);
    // also without ?_data, as a plain form post from anywhere on the site
    expect(
      (await postForm(server, `/credits/${creditId}`, { intent: "execute", reason: "let me" }, support.cookie)).status,
    ).toBe(403);
    const credit = await creditRow(creditId);
    expect(credit.status).toBe("CREATED");
    expect(credit.lines.every((l) => l.status === "CREATED" && l.providerReference === null)).toBe(true);
    expect(await transactionRow(server, a.transactionId)).toMatchObject({
      creditedAmount: "0.00000",
      reservedAmount: "25.00000",
    });
    expect(await auditEntries("credit.execute", creditId)).toEqual([]);
  });

  it("lets finance execute with a reason: credited once, audited per credit transaction with before and after", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const b = await capturedCardPayment(client, "60.00");
    const creditId = (
      await createCredit(support, [
        [a, "30.00"],
        [b, "60.00"],
      ])
    ).body.data.creditId;
    const noReason = await actOnCredit(financeA, creditId, { intent: "execute" });
    expect(noReason.status).toBe(400);
    expect((await creditRow(creditId)).status).toBe("CREATED");

    const executed = await actOnCredit(financeA, creditId, {
      intent: "execute",
      reason: "Approved in ticket 12",
    });
    expect(executed.status).toBe(200);
    expect(executed.body.message).toMatch(/is executed/);
    const credit = await creditRow(creditId);
    expect(credit.status).toBe("CREDITED");
    expect(await transactionRow(server, b.transactionId)).toMatchObject({
      status: "CREDITED",
      creditedAmount: "60.00000",
      reservedAmount: "0.00000",
    });
    const entries = await auditEntries("credit.execute", creditId);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.actorUserId === financeA.id && e.reason === "Approved in ticket 12")).toBe(true);
    const last = entries.find((e) => (e.after as any).creditTransaction.transactionId === b.transactionId)!;
    expect(last.before).toMatchObject({ status: "CREATED", creditTransaction: { status: "CREATED", amount: "60.00" } });
    expect(last.after).toMatchObject({ creditTransaction: { status: "CREDITED", rrn: expect.any(String) } });
    // the operation log names the staff user
    const [entry] = await operationsNamed(server, a.transactionId, "CREDIT");
    expect(entry).toMatchObject({ actorType: "STAFF", actor: financeA.email });
  });
});

describe("four-eyes rule", () => {
  it("forbids the creator to execute a credit above 10 000 NOK (403, nothing changed) and lets another finance user", async () => {
    const a = await capturedCardPayment(client, "25000.00");
    const creditId = (await createCredit(financeA, [[a, "12000.00"]])).body.data.creditId;
    const detail = await (await getPage(server, `/credits/${creditId}`, financeA.cookie)).text();
    expect(detail).toContain("another staff user must execute it");

    const own = await actOnCredit(financeA, creditId, { intent: "execute", reason: "mine" });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(
      /You created this credit of 12000.00 NOK and it is above the four-eyes threshold of 10000.00 NOK/,
    );
    const untouched = await creditRow(creditId);
    expect(untouched.status).toBe("CREATED");
    expect(untouched.lines[0]).toMatchObject({ status: "CREATED", providerReference: null, claimedAt: null });
    expect(await auditEntries("credit.execute", creditId)).toEqual([]);

    const other = await actOnCredit(financeB, creditId, { intent: "execute", reason: "second pair of eyes" });
    expect(other.status).toBe(200);
    expect((await creditRow(creditId)).status).toBe("CREDITED");
    const [entry] = await auditEntries("credit.execute", creditId);
    expect(entry.actorUserId).toBe(financeB.id);
  });

  it("lets the creator execute at or below the threshold", async () => {
    const a = await capturedCardPayment(client, "30000.00");
    const atThreshold = (await createCredit(financeA, [[a, "10000.00"]])).body.data.creditId;
    expect((await actOnCredit(financeA, atThreshold, { intent: "execute", reason: "small enough" })).status).toBe(200);
  });

  it("holds at the API's door: no token of the organisation executes a staff credit above the threshold (403)", async () => {
    // The red team's path: finance creates 15 000 NOK on the screen, then executes it over the API.
    const a = await capturedCardPayment(client, "30000.00");
    const big = (await createCredit(financeA, [[a, "15000.00"]])).body.data.creditId;
    for (const api of [client, partner]) {
      const byApi = await api.put(`/v1/credits/${big}/execute`);
      expect(byApi.status).toBe(403);
      expect(byApi.headers.get("content-type")).toBe("application/problem+json");
      expect(byApi.body).toMatchObject({
        status: 403,
        errorReason: "FOUR_EYES_REQUIRED",
        detail: expect.stringMatching(
          /created by a staff user and is above the four-eyes threshold of 10000.00 NOK: another staff user must execute it/,
        ),
      });
    }
    const untouched = await creditRow(big);
    expect(untouched.status).toBe("CREATED");
    expect(untouched.lines.map((l) => [l.status, l.claimedAt])).toEqual([["CREATED", null]]);
    expect(await creditStateOf(a)).toEqual({ status: "CAPTURED", creditedAmount: "0.00000" });
    // The second pair of eyes is a staff user's.
    expect((await actOnCredit(financeB, big, { intent: "execute", reason: "checked" })).status).toBe(200);
    expect((await creditRow(big)).status).toBe("CREDITED");
  });

  it("follows the admin's threshold per currency; a currency without one always needs a second person", async () => {
    const a = await capturedCardPayment(client, "30000.00");
    const creditId = (await createCredit(financeA, [[a, "15000.00"]])).body.data.creditId;
    expect((await actOnCredit(financeA, creditId, { intent: "execute", reason: "x" })).status).toBe(403);

    for (const staff of [support, financeA]) {
      const forged = await act(staff, ROUTES.list, {
        intent: "setFourEyesThreshold",
        currency: "NOK",
        amount: "1000000.00",
      });
      expect(forged.status).toBe(403);
    }
    const bad = await act(admin, ROUTES.list, { intent: "setFourEyesThreshold", currency: "NOK", amount: "-5" });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.amount).toBeDefined();
    const raised = await act(admin, ROUTES.list, {
      intent: "setFourEyesThreshold",
      currency: "NOK",
      amount: "20000.00",
      reason: "policy 2026",
    });
    expect(raised.status).toBe(200);
    const [audit] = await server.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "credit.four_eyes_threshold.update"));
    expect(audit).toMatchObject({
      actorUserId: admin.id,
      before: { NOK: "10000.00" },
      after: { NOK: "20000.00" },
      reason: "policy 2026",
    });

    expect(
      (await actOnCredit(financeA, creditId, { intent: "execute", reason: "under the new threshold" })).status,
    ).toBe(200);

    const sek = await client.post("/v1/payments", {
      totalAmount: "100.00",
      currency: "SEK",
      transaction: { paymentType: "VISA" },
    });
    const t = { paymentId: sek.body.paymentId, transactionId: sek.body.transactions[0].transactionId };
    await client.post(`/v1/payments/${t.paymentId}/transactions/${t.transactionId}/authorize`, {
      totalAmount: "100.00",
    });
    await client.put(`/v1/payments/${t.paymentId}/transactions/${t.transactionId}/capture`);
    const sekCredit = (await createCredit(financeA, [[t, "1.00"]])).body.data.creditId;
    const refused = await actOnCredit(financeA, sekCredit, { intent: "execute", reason: "tiny" });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/no four-eyes threshold is set for SEK/);
    expect((await actOnCredit(financeB, sekCredit, { intent: "execute", reason: "tiny" })).status).toBe(200);

    // back to the default for the tests after this one
    expect(
      (await act(admin, ROUTES.list, { intent: "setFourEyesThreshold", currency: "NOK", amount: "10000.00" })).status,
    ).toBe(200);
  });
});

describe("four-eyes on other staff paths", () => {
  it("binds a staff deactivation above the threshold: its credit waits for a second staff user", async () => {
    const a = await capturedCardPayment(client, "11000.00");
    const asStaff = (staff: StaffSession): StaffCaller => ({
      kind: "staff",
      userId: staff.id,
      email: staff.email,
      correlationId: crypto.randomUUID(),
      ip: "127.0.0.1",
      userAgent: null,
      reason: "Fraud suspected",
    });
    const result = await deactivatePayment(asStaff(financeA), { paymentId: a.paymentId });
    expect(result).toMatchObject({ kind: "awaitsSecondStaffUser", payment: { active: false } });
    const [open] = await server.database.db
      .select()
      .from(creditTransactions)
      .where(eq(creditTransactions.transactionId, a.transactionId));
    expect(open).toMatchObject({ status: "CREATED", providerReference: null });
    expect(result.kind === "awaitsSecondStaffUser" && result.creditId).toBe(open.creditId);
    expect((await actOnCredit(financeA, open.creditId, { intent: "execute", reason: "x" })).status).toBe(403);
    expect((await actOnCredit(financeB, open.creditId, { intent: "execute", reason: "confirmed" })).status).toBe(200);
    expect(await creditStateOf(a)).toEqual({ status: "CREDITED", creditedAmount: "11000.00000" });
  });
});

describe("four-eyes from the payment screen", () => {
  it("a direct credit above the threshold by its creator is reported as waiting for a second staff user, not as failed", async () => {
    const a = await capturedCardPayment(client, "12000.00");
    const detail = [`/payments/${a.paymentId}`, "routes/_staff.payments.$paymentId"] as const;
    const answer = await act(financeA, detail, {
      intent: "credit",
      transactionId: String(a.transactionId),
      reason: "Double charge",
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, data: { awaitsSecondStaffUser: true } });
    expect(answer.body.message).toMatch(/another staff user must execute it/);
    const creditId = (answer.body.data as { creditId: number }).creditId;
    expect(await creditRow(creditId)).toMatchObject({ status: "CREATED" });
    expect(await creditStateOf(a)).toEqual({ status: "CAPTURED", creditedAmount: "0.00000" });
    expect(
      (await actOnCredit(financeB, creditId, { intent: "execute", reason: "confirmed with customer" })).status,
    ).toBe(200);
    expect(await creditStateOf(a)).toEqual({ status: "CREDITED", creditedAmount: "12000.00000" });
  });
});

describe("change and deactivate", () => {
  it("changes the settlement id and deactivates with audit entries; deactivation frees the reservation", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const creditId = (await createCredit(support, [[a, "40.00"]])).body.data.creditId;
    expect((await actOnCredit(support, creditId, { intent: "updateSettlement", settlementId: "EJ-77" })).status).toBe(
      200,
    );
    expect((await creditRow(creditId)).settlementId).toBe("EJ-77");
    const noReason = await actOnCredit(support, creditId, { intent: "deactivate" });
    expect(noReason.status).toBe(400);
    expect((await actOnCredit(support, creditId, { intent: "deactivate", reason: "Created by mistake" })).status).toBe(
      200,
    );
    expect((await creditRow(creditId)).active).toBe(false);
    expect((await transactionRow(server, a.transactionId)).reservedAmount).toBe("0.00000");
    const [update] = await auditEntries("credit.update", creditId);
    expect(update.before).toMatchObject({ settlementId: null });
    expect(update.after).toMatchObject({ settlementId: "EJ-77" });
    const [deactivation] = await auditEntries("credit.deactivate", creditId);
    expect(deactivation).toMatchObject({
      actorUserId: support.id,
      reason: "Created by mistake",
      before: { active: true },
      after: { active: false },
    });
    // an inactive credit cannot be executed
    expect((await actOnCredit(financeA, creditId, { intent: "execute", reason: "x" })).status).toBe(409);
  });
});

describe("concurrent staff executes of one credit", () => {
  it("execute each credit transaction exactly once, however many requests from two finance users race", async () => {
    const payments = await Promise.all(
      ["100.00", "200.00", "300.00"].map((amount) => capturedCardPayment(client, amount)),
    );
    const creditId = (
      await createCredit(
        support,
        payments.map((p, i) => [p, ["10.00", "20.00", "30.00"][i]] as [Captured, string]),
      )
    ).body.data.creditId;
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        act(i % 2 ? financeA : financeB, ROUTES.detail(creditId), { intent: "execute", reason: `race ${i}` }),
      ),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const credit = await creditRow(creditId);
    expect(credit.status).toBe("CREDITED");
    for (const [i, p] of payments.entries()) {
      expect((await transactionRow(server, p.transactionId)).creditedAmount).toBe(`${["10", "20", "30"][i]}.00000`);
      const entries = await operationsNamed(server, p.transactionId, "CREDIT");
      expect(entries).toHaveLength(1);
    }
    const references = credit.lines.map((l) => l.providerReference!);
    const refunds = (await pspOperations()).filter((o) => references.includes(o.reference));
    expect(refunds).toHaveLength(3);
    expect(await auditEntries("credit.execute", creditId)).toHaveLength(3);
    expect(await server.database.db.select().from(auditLog).where(like(auditLog.reason, "race %"))).toHaveLength(3);
  });
});
