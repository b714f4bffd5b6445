// The payment detail screen over HTTP with real staff sessions: its page (and 404), every action
// for every role (a forged post from a role without the permission is a 403 that changes
// nothing), field errors for bad input instead of 500s, the audit entry each action writes, and a
// staff capture racing API captures of the same transaction.
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { Role } from "../../app/auth/roles";
import type { StaffCaller } from "../../app/domain/caller";
import { changeInvoice } from "../../app/services/mobile/invoices.server";
import { auditLog, operationLog } from "../../db/schema";
import { capturedCardPayment, createClient, paymentWithTransaction } from "../support/api";
import { postStaffAction } from "../support/fixtures-staff";
import { useApiClient, useStaffSessions, useTestServer } from "../support/fixtures-http";
import { operationsNamed } from "../support/api";
import { transactionPath, type TransactionIds } from "../support/fixtures-transactions";
import { usePsp } from "../support/psp";
import { getPage, postForm } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 861 });
const staff = useStaffSessions(server);

const ROUTE_DATA = "routes/_staff.payments.$paymentId";

/** Posts the screen's form as its fetcher does, and reads the JSON answer. */
function act(role: Role, paymentId: number | string, fields: Record<string, string | number>) {
  const body = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return postStaffAction(server, `/payments/${paymentId}`, ROUTE_DATA, body, staff[role].cookie);
}

/** `intent` on transaction `p` from its payment's screen, with the reason "r" unless `fields` give one. */
const actOn = (role: Role, p: TransactionIds, intent: string, fields: Record<string, string | number> = {}) =>
  act(role, p.paymentId, { intent, reason: "r", transactionId: p.transactionId, ...fields });

async function payment(paymentId: number, reader = client) {
  const result = await reader.get(`/v1/payments/${paymentId}`);
  expect(result.status).toBe(200);
  return result.body;
}

async function transaction(p: { paymentId: number; transactionId: number }, reader = client) {
  return (await payment(p.paymentId, reader)).transactions.find((t: any) => t.transactionId === p.transactionId);
}

async function auditEntries(action: string, entityId: string | number) {
  return server.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))));
}

async function auditCount() {
  const [{ n }] = await server.database.db.select({ n: count() }).from(auditLog);
  return n;
}

async function operationCount(paymentId: number) {
  const [{ n }] = await server.database.db
    .select({ n: count() })
    .from(operationLog)
    .where(eq(operationLog.paymentId, paymentId));
  return n;
}

/** What must not move when an action is refused: the payment as the API shows it, its log, the audit log. */
async function snapshot(paymentId: number) {
  return { payment: await payment(paymentId), operations: await operationCount(paymentId), audits: await auditCount() };
}

async function authorizedCard(total = "100.00") {
  const p = await paymentWithTransaction(client, total, "VISA");
  expect((await client.post(transactionPath(p, "authorize"), { totalAmount: total })).status).toBe(200);
  return p;
}

async function b2bInvoice(total = "500.00") {
  const p = await paymentWithTransaction(client, total, "COLLECTOR_B2B");
  const created = await client.post(transactionPath(p, "invoice"), {
    externalInvoiceNumber: "F-1",
    languageCode: "nob",
  });
  expect(created.status).toBe(201);
  return { ...p, invoiceId: created.body.invoiceId as string, publicToken: created.body.publicToken as string };
}

describe("the page", () => {
  it("shows a payment's amounts, transactions and operation log to every role", async () => {
    const p = await capturedCardPayment(client, "120.00");
    for (const role of ["support", "finance", "admin"] as const) {
      const response = await getPage(server, `/payments/${p.paymentId}`, staff[role].cookie);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`Payment ${p.paymentId}`);
      expect(html).toContain("Operation log");
      expect(html).toContain(`data-testid="log-${p.transactionId}"`);
      expect(html).toContain("AUTHORIZE");
      expect(html).toContain("/operation-log?correlationId=");
      // Only finance and admin see the deactivate button; the server refuses support anyway.
      expect(html.includes('data-testid="deactivate"')).toBe(role !== "support");
    }
  });

  it("answers 404 inside the shell for an unknown or malformed paymentId", async () => {
    for (const id of ["987654321", "0", "abc", "1e3", "99999999999999999999"]) {
      const response = await getPage(server, `/payments/${id}`, staff.support.cookie);
      expect(response.status, id).toBe(404);
      const html = await response.text();
      expect(html).toContain("There is no payment");
      expect(html).toContain("Main navigation");
    }
  });

  it("sends a visitor without a session to the login page", async () => {
    const p = await paymentWithTransaction(client, "10.00", "CASH");
    const response = await getPage(server, `/payments/${p.paymentId}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login/);
  });
});

describe("every action × every role", () => {
  // What an action is prepared on: a transaction (which its audit entry names) or a payment.
  const onTransaction = (p: TransactionIds, form: Record<string, string> = {}) => ({
    ...p,
    entityId: p.transactionId as string | number,
    form: { transactionId: String(p.transactionId), ...form },
  });
  const onPayment = (p: TransactionIds, form: Record<string, string> = {}) => ({ ...p, entityId: p.paymentId, form });

  // Per intent: what to prepare, the form, and how to see that it happened.
  const ACTIONS: Record<
    string,
    {
      allowed: Role[];
      audit: string;
      prepare: () => Promise<{
        paymentId: number;
        transactionId: number;
        entityId: string | number;
        form: Record<string, string>;
      }>;
      done: (p: { paymentId: number; transactionId: number }) => Promise<void>;
    }
  > = {
    capture: {
      allowed: ["support", "finance", "admin"],
      audit: "transaction.capture",
      prepare: async () => onTransaction(await authorizedCard("80.00")),
      done: async (p) => expect((await transaction(p)).status).toBe("CAPTURED"),
    },
    cancel: {
      allowed: ["support", "finance", "admin"],
      audit: "transaction.cancel",
      prepare: async () => onTransaction(await authorizedCard("70.00")),
      done: async (p) => expect((await transaction(p)).status).toBe("CANCELLED"),
    },
    credit: {
      allowed: ["support", "finance", "admin"],
      audit: "transaction.credit",
      prepare: async () => onTransaction(await capturedCardPayment(client, "90.00"), { amount: "30.00" }),
      done: async (p) =>
        expect((await transaction(p)).summary).toMatchObject({ creditedAmount: "30.00", creditableAmount: "60.00" }),
    },
    reactivate: {
      allowed: ["support", "finance", "admin"],
      audit: "payment.reactivate",
      prepare: async () => {
        const p = await capturedCardPayment(client, "60.00");
        expect((await client.put(`/v1/payments/${p.paymentId}/deactivate`)).status).toBe(200);
        return onPayment(p, { totalAmount: "75.00" });
      },
      done: async (p) => expect(await payment(p.paymentId)).toMatchObject({ active: true, totalAmount: "75.00" }),
    },
    deactivate: {
      allowed: ["finance", "admin"],
      audit: "payment.deactivate",
      prepare: async () => onPayment(await capturedCardPayment(client, "50.00")),
      done: async (p) => {
        const after = await payment(p.paymentId);
        expect(after.active).toBe(false);
        expect(after.transactions[0].status).toBe("CREDITED");
      },
    },
    invoice: {
      allowed: ["finance", "admin"],
      audit: "invoice.adjust",
      prepare: async () => {
        const p = await b2bInvoice("400.00");
        return { ...onTransaction(p, { amount: "350.00", externalInvoiceNumber: "F-2" }), entityId: p.invoiceId };
      },
      done: async (p) => expect((await transaction(p)).amount).toBe("350.00"),
    },
  };

  for (const [intent, spec] of Object.entries(ACTIONS)) {
    for (const role of ["support", "finance", "admin"] as const) {
      const allowed = spec.allowed.includes(role);
      it(`${intent} by ${role}: ${allowed ? "done, with its audit entry" : "403, nothing changes"}`, async () => {
        const prepared = await spec.prepare();
        const reason = `Customer called (${intent}, ${role})`;
        const before = await snapshot(prepared.paymentId);
        const result = await act(role, prepared.paymentId, { intent, reason, ...prepared.form });
        if (!allowed) {
          expect(result.status).toBe(403);
          expect(await snapshot(prepared.paymentId)).toEqual(before);
          return;
        }
        expect(result.status, result.text).toBe(200);
        expect(result.body).toMatchObject({ ok: true, intent });
        await spec.done(prepared);
        const entries = await auditEntries(spec.audit, prepared.entityId);
        expect(entries).toHaveLength(1);
        const [entry] = entries;
        expect(entry.actorUserId).toBe(staff[role].id);
        expect(entry.reason).toBe(reason);
        expect(entry.before).not.toBeNull();
        expect(entry.after).not.toBeNull();
        expect(entry.before).not.toEqual(entry.after);
        expect(entry.ip).toBeTruthy();
        expect(entry.correlationId).toBeTruthy();
      });
    }
  }

  it("records before and after in the staff's words: capture, credit, invoice", async () => {
    const card = await authorizedCard("44.00");
    await actOn("support", card, "capture", { reason: "stuck" });
    const [capture] = await auditEntries("transaction.capture", card.transactionId);
    expect(capture.before).toMatchObject({ status: "AUTHORIZED", capturedAmount: "0.00" });
    expect(capture.after).toMatchObject({ status: "CAPTURED", capturedAmount: "44.00" });

    await actOn("support", card, "credit", { reason: "refund part", amount: "4.50" });
    const [credit] = await auditEntries("transaction.credit", card.transactionId);
    expect(credit.before).toMatchObject({ creditableAmount: "44.00" });
    expect(credit.after).toMatchObject({
      creditAmount: "4.50",
      creditableAmount: "39.50",
      creditId: expect.any(Number),
    });

    const invoice = await b2bInvoice("300.00");
    await actOn("finance", invoice, "invoice", { reason: "wrong KID", customerIdentificationNumber: "12345" });
    const [adjusted] = await auditEntries("invoice.adjust", invoice.invoiceId);
    expect(adjusted.before).toMatchObject({
      amount: "300.00",
      customerIdentificationNumber: null,
      externalInvoiceNumber: "F-1",
    });
    expect(adjusted.after).toMatchObject({
      amount: "300.00",
      customerIdentificationNumber: "12345",
      externalInvoiceNumber: "F-1",
    });
    // The operation log says a staff user did it.
    const updates = (await transaction(invoice)).operationLog.filter((o: any) => o.operation === "UPDATE");
    expect(updates).toHaveLength(1);
    expect(updates[0].clientName).toBe("paydesk-backoffice");
  });

  it("refuses an action without a reason, next to the reason field", async () => {
    const p = await authorizedCard("33.00");
    for (const reason of [undefined, "   "]) {
      const result = await act("support", p.paymentId, {
        intent: "capture",
        transactionId: p.transactionId,
        ...(reason === undefined ? {} : { reason }),
      });
      expect(result.status).toBe(400);
      expect(result.body.fieldErrors.reason).toMatch(/required/);
    }
    expect((await transaction(p)).status).toBe("AUTHORIZED");
  });

  it("answers an unknown intent with a 400, and an anonymous post with the login page", async () => {
    const p = await authorizedCard("12.00");
    const unknown = await act("admin", p.paymentId, { intent: "refundEverything", reason: "x" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors.intent).toBeTruthy();
    const anonymous = await postForm(server, `/payments/${p.paymentId}?_data=${encodeURIComponent(ROUTE_DATA)}`, {
      intent: "capture",
      reason: "x",
      transactionId: String(p.transactionId),
    });
    expect([204, 302]).toContain(anonymous.status);
    expect((await transaction(p)).status).toBe("AUTHORIZED");
  });
});

describe("bad input gives field errors, not 500s", () => {
  it("credit: malformed amounts are 400 on amount; over-credit is 422 on amount; nothing is credited", async () => {
    const p = await capturedCardPayment(client, "100.00");
    for (const amount of ["abc", "-5", "0", "0.00", "1e3", "10.123456", " 1 0", "99999999999999.00"]) {
      const result = await actOn("support", p, "credit", { amount });
      expect(result.status, amount).toBe(400);
      expect(result.body.fieldErrors.amount, amount).toBeTruthy();
    }
    const over = await actOn("support", p, "credit", { amount: "100.01" });
    expect(over.status).toBe(422);
    expect(over.body.fieldErrors.amount).toMatch(/exceeds the creditable amount/);
    expect((await transaction(p)).summary).toMatchObject({ creditedAmount: "0.00", creditableAmount: "100.00" });
    expect(await auditEntries("transaction.credit", p.transactionId)).toHaveLength(0);
  });

  it("credit: no amount credits everything creditable; then nothing is left (409)", async () => {
    const p = await capturedCardPayment(client, "40.00");
    const all = await actOn("support", p, "credit", { reason: "all of it", amount: "" });
    expect(all.status, all.text).toBe(200);
    expect((await transaction(p)).status).toBe("CREDITED");
    const again = await actOn("support", p, "credit", { reason: "again" });
    expect(again.status).toBe(409);
    expect(again.body.ok).toBe(false);
  });

  it("reactivate: missing or malformed totals are 400, a total below what the transactions hold is 422, an active payment 409", async () => {
    const p = await paymentWithTransaction(client, "100.00", "CASH");
    expect((await act("finance", p.paymentId, { intent: "deactivate", reason: "order reset" })).status).toBe(200);
    for (const totalAmount of [undefined, "", "ten", "-1", "1.000001"]) {
      const result = await act("support", p.paymentId, {
        intent: "reactivate",
        reason: "r",
        ...(totalAmount === undefined ? {} : { totalAmount }),
      });
      expect(result.status, String(totalAmount)).toBe(400);
      expect(result.body.fieldErrors.totalAmount).toBeTruthy();
    }
    expect((await payment(p.paymentId)).active).toBe(false);
    const done = await act("support", p.paymentId, {
      intent: "reactivate",
      reason: "new order version",
      totalAmount: "150.00",
    });
    expect(done.status).toBe(200);
    const twice = await act("support", p.paymentId, { intent: "reactivate", reason: "again", totalAmount: "10.00" });
    expect(twice.status).toBe(409);
    expect(await payment(p.paymentId)).toMatchObject({ active: true, totalAmount: "150.00" });
  });

  it("reactivate: the total must cover what the transactions still hold (422 on totalAmount)", async () => {
    // An imported, captured transaction is not credited by a deactivation: it keeps holding its amount.
    const importer = await createClient(server, { organisationId: 862, privileged: true });
    const p = await paymentWithTransaction(importer, "100.00", "VISA", {
      transaction: { paymentType: "VISA", isImport: true },
    });
    const imported = await importer.post(transactionPath(p, "import"), {
      transactionConfirmedAt: "2026-11-20T12:00:00Z",
      rrn: `R${p.transactionId}`,
      terminalId: "T-1",
      paymentType: "VISA",
    });
    expect(imported.status).toBe(201);
    expect((await act("finance", p.paymentId, { intent: "deactivate", reason: "order reset" })).status).toBe(200);
    expect((await transaction(p, importer)).status).toBe("CAPTURED");

    const low = await act("support", p.paymentId, { intent: "reactivate", reason: "r", totalAmount: "99.99" });
    expect(low.status).toBe(422);
    expect(low.body.fieldErrors.totalAmount).toMatch(/less than its transactions already hold/);
    expect((await payment(p.paymentId, importer)).active).toBe(false);
    expect(
      (await act("support", p.paymentId, { intent: "reactivate", reason: "r", totalAmount: "100.00" })).status,
    ).toBe(200);
  });

  it("invoice: malformed fields are 400 on their field; an amount over the payment's total is 422 on amount", async () => {
    const p = await b2bInvoice("200.00");
    const cases: Array<[Record<string, string>, string, number]> = [
      [{ amount: "abc" }, "amount", 400],
      [{ amount: "0" }, "amount", 400],
      [{ languageCode: "norsk" }, "languageCode", 400],
      [{ externalInvoiceNumber: "x".repeat(51) }, "externalInvoiceNumber", 400],
      [{ amount: "200.01" }, "amount", 422],
    ];
    for (const [fields, field, status] of cases) {
      const result = await actOn("finance", p, "invoice", fields);
      expect(result.status, JSON.stringify(fields)).toBe(status);
      expect(result.body.fieldErrors[field], JSON.stringify(fields)).toBeTruthy();
    }
    const nothing = await actOn("finance", p, "invoice");
    expect(nothing.status).toBe(400);
    expect(await auditEntries("invoice.adjust", p.invoiceId)).toHaveLength(0);
  });

  it("invoice: a confirmed invoice, a COLLECTOR or a card transaction cannot be adjusted", async () => {
    const confirmed = await b2bInvoice("120.00");
    const page = await fetch(`${server.url}/sandbox/invoice/${confirmed.publicToken}`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ decision: "confirm" }).toString(),
    });
    expect(page.status).toBeLessThan(400);
    expect((await transaction(confirmed)).status).toBe("AUTHORIZED");
    const late = await actOn("finance", confirmed, "invoice", { amount: "100.00" });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/confirmed by the customer/);

    const collector = await paymentWithTransaction(client, "30.00", "COLLECTOR");
    const noInvoice = await actOn("finance", collector, "invoice", { amount: "10.00" });
    expect(noInvoice.status).toBe(409);

    const card = await authorizedCard("20.00");
    const onCard = await actOn("finance", card, "invoice", { amount: "10.00" });
    expect(onCard.status).toBe(409);
    expect(await auditEntries("invoice.adjust", confirmed.invoiceId)).toHaveLength(0);
  });

  it("invoice: a staff caller of changeInvoice may not move the customer's redirectUrl (400 on it)", async () => {
    const p = await b2bInvoice("90.00");
    const staffCaller: StaffCaller = {
      kind: "staff",
      userId: staff.finance.id,
      email: "finance@staff.test",
      correlationId: "test-redirect",
      ip: "127.0.0.1",
      userAgent: null,
      reason: "r",
    };
    const attempt = changeInvoice(staffCaller, {
      paymentId: p.paymentId,
      transactionId: p.transactionId,
      redirectUrl: "https://evil.example/",
    });
    await expect(attempt).rejects.toMatchObject({ kind: "invalid", errors: [{ field: "redirectUrl" }] });
    expect(await auditEntries("invoice.adjust", p.invoiceId)).toHaveLength(0);
  });

  it("ids: a transaction of another payment or a malformed one is refused, an unknown payment is 404", async () => {
    const a = await authorizedCard("10.00");
    const b = await authorizedCard("10.00");
    const crossed = await act("support", a.paymentId, {
      intent: "capture",
      reason: "r",
      transactionId: b.transactionId,
    });
    expect(crossed.status).toBe(404);
    const malformed = await act("support", a.paymentId, { intent: "capture", reason: "r", transactionId: "12abc" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fieldErrors.transactionId).toBeTruthy();
    const unknown = await act("support", 987654321, { intent: "capture", reason: "r", transactionId: a.transactionId });
    expect(unknown.status).toBe(404);
    expect((await transaction(a)).status).toBe("AUTHORIZED");
    expect((await transaction(b)).status).toBe("AUTHORIZED");
  });

  it("state: capturing a captured or cancelling a captured transaction is a 409 with the reason", async () => {
    const p = await capturedCardPayment(client, "25.00");
    const capture = await actOn("support", p, "capture");
    expect(capture.status).toBe(409);
    expect(capture.body.message).toMatch(/already captured/);
    const cancel = await actOn("support", p, "cancel");
    expect(cancel.status).toBe(409);
    expect(cancel.body.message).toMatch(/credit it instead/);
  });
});

describe("staff and API at once", () => {
  it("capture of one transaction from the screen and the API in parallel: exactly one capture", async () => {
    const N = 8;
    for (let round = 0; round < 3; round++) {
      const p = await authorizedCard("64.00");
      const staff = Array.from({ length: N }, () =>
        act(round % 2 ? "finance" : "support", p.paymentId, {
          intent: "capture",
          reason: "race",
          transactionId: p.transactionId,
        }),
      );
      const api = Array.from({ length: N }, () => client.put(transactionPath(p, "capture")));
      const [staffResults, apiResults] = await Promise.all([Promise.all(staff), Promise.all(api)]);
      const statuses = [...staffResults.map((r) => r.status), ...apiResults.map((r) => r.status)];
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(2 * N - 1);
      const captures = await operationsNamed(server, p.transactionId, "CAPTURE");
      expect(captures).toHaveLength(1);
      const audits = await auditEntries("transaction.capture", p.transactionId);
      // The audit entry exists exactly when the staff side won.
      expect(audits).toHaveLength(staffResults.some((r) => r.status === 200) ? 1 : 0);
      expect((await transaction(p)).summary.capturedAmount).toBe("64.00");
    }
  });
});

describe("a provider that does not answer", () => {
  // A PSP of this block's own, told to swallow captures while the staff user asks for one.
  const psp = usePsp();
  it("a staff capture answers at once that it is in progress; the screen shows it with its age; finance resolves it", async () => {
    const p = await authorizedCard("45.00");
    await psp().setFaults({ timeoutRate: 1, ops: ["capture"] });
    vi.stubEnv("PAYDESK_PSP_TIMEOUT_MS", "300");
    try {
      const started = Date.now();
      const captured = await act("support", p.paymentId, {
        intent: "capture",
        reason: "slow PSP",
        transactionId: p.transactionId,
      });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(captured.status).toBe(503);
      expect(captured.body).toMatchObject({
        ok: false,
        message: "The provider did not answer; the operation is in progress",
      });
    } finally {
      // Back to the run's bound (files share a worker): not deleted, which would leave the default.
      vi.unstubAllEnvs();
      await psp().setFaults({});
    }
    const page = await getPage(
      server,
      `/payments/${p.paymentId}?_data=${encodeURIComponent(ROUTE_DATA)}`,
      staff.support.cookie,
    );
    expect(page.status).toBe(200);
    const { detail } = await page.json();
    expect(detail.inProgress).toEqual([
      expect.objectContaining({
        kind: "CAPTURE",
        transactionId: p.transactionId,
        claimedBy: expect.stringContaining("@"),
      }),
    ]);
    expect(detail.inProgress[0].ageSeconds).toBeGreaterThanOrEqual(0);
    // The screen names it in the reader's words: a Norwegian agent reads what waits, on which transaction.
    const html = await (
      await getPage(server, `/payments/${p.paymentId}`, `${staff.support.cookie}; paydesk_lang=nb`)
    ).text();
    expect(html).toContain("Pågår hos leverandøren");
    expect(html).toMatch(
      new RegExp(`Belastning av transaksjon ${p.transactionId}: pågått i \\d+ s, spurt 1 gang, av `),
    );
    const row = detail.transactions.find((t: any) => t.transactionId === p.transactionId);
    expect(row).toMatchObject({
      status: "AUTHORIZED",
      actions: expect.objectContaining({ capture: false, cancel: false }),
    });
    // Meanwhile the API is told the transaction is busy.
    const busy = await client.put(transactionPath(p, "capture"));
    expect(busy.status).toBe(409);
    expect(busy.body.errorReason).toBe("RESOURCE_BUSY");

    const operationId = detail.inProgress[0].operationId;
    expect((await act("support", p.paymentId, { intent: "resolve", operationId })).status).toBe(403);
    const resolved = await act("finance", p.paymentId, { intent: "resolve", operationId, reason: "customer waiting" });
    expect(resolved.status).toBe(200);
    expect(resolved.body.message).toMatch(/confirmed .* settled/);
    expect(await transaction(p)).toMatchObject({
      status: "CAPTURED",
      summary: expect.objectContaining({ capturedAmount: "45.00" }),
    });
    const after = await (
      await getPage(server, `/payments/${p.paymentId}?_data=${encodeURIComponent(ROUTE_DATA)}`, staff.support.cookie)
    ).json();
    expect(after.detail.inProgress).toEqual([]);
  });
});
