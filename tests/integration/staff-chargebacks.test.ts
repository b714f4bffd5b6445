// Chargebacks over HTTP with real staff sessions (docs/decisions/040): finance opens one on the
// payment screen, records evidence and decides it; bad input is refused naming the field and
// changes nothing; the API's creditableAmount drops while the chargeback holds the amount and a
// credit can no longer take it; the payment, customer and settlement screens list it.
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/roles";
import { auditLog, chargebacks, payments } from "../../db/schema";
import { capturedCardPayment } from "../support/api";
import { postStaffAction } from "../support/fixtures-staff";
import { useApiClient, useStaffSessions, useTestServer } from "../support/fixtures-http";
import { getPage } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 862 });
const staff = useStaffSessions(server);

const PAYMENT_ROUTE = "routes/_staff.payments.$paymentId";
const DETAIL_ROUTE = "routes/_staff.chargebacks.$chargebackId";

type Ids = { paymentId: number; transactionId: number };

const open = (role: Role, p: Ids, fields: Record<string, string> = {}) =>
  postStaffAction(
    server,
    `/payments/${p.paymentId}`,
    PAYMENT_ROUTE,
    {
      intent: "openChargeback",
      reason: "Scheme notice",
      transactionId: String(p.transactionId),
      reasonCode: "10.4",
      ...fields,
    },
    staff[role].cookie,
  );

const onDetail = (role: Role, chargebackId: number, fields: Record<string, string>) =>
  postStaffAction(server, `/chargebacks/${chargebackId}`, DETAIL_ROUTE, fields, staff[role].cookie);

const creditable = async (p: Ids) =>
  (await client.get(`/v1/payments/${p.paymentId}`)).body.transactions.find(
    (t: { transactionId: number }) => t.transactionId === p.transactionId,
  ).summary.creditableAmount;

const chargebackCount = async () => (await server.database.db.select({ n: count() }).from(chargebacks))[0].n;

describe("opening a chargeback", () => {
  it("holds the amount: the API's creditable amount drops and a credit cannot take it", async () => {
    const p = await capturedCardPayment(client, "200.00");
    expect((await client.patch(`/v1/payments/${p.paymentId}`, { settlementId: "CB-SETTLE-1" })).status).toBe(200);
    await server.database.db
      .update(payments)
      .set({ customerNumber: "5550001" })
      .where(eq(payments.paymentId, p.paymentId));
    const opened = await open("finance", p, { amount: "150,00", dueDate: "2027-01-15", notes: "Customer disputes" });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const chargebackId = opened.body.data.chargebackId;
    expect(await creditable(p)).toBe("50.00");
    const credit = await client.post(`/v1/payments/${p.paymentId}/transactions/${p.transactionId}/credit`, {
      amount: "50.01",
    });
    expect(credit.status).toBe(422);

    // The screens that list it.
    for (const [path, role] of [
      [`/payments/${p.paymentId}`, "support"],
      ["/chargebacks?status=OPEN", "support"],
      ["/customers/5550001", "support"],
      ["/settlements/CB-SETTLE-1", "finance"],
    ] as const) {
      const response = await getPage(server, path, staff[role].cookie);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain(`href="/chargebacks/${chargebackId}"`);
    }
    const detail = await getPage(server, `/chargebacks/${chargebackId}`, staff.support.cookie);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain("Customer disputes");
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const p = await capturedCardPayment(client, "40.00");
    const before = await chargebackCount();
    for (const [fields, field] of [
      [{ amount: "40.01" }, "amount"],
      [{ amount: "0" }, "amount"],
      [{ amount: "10", reasonCode: "" }, "reasonCode"],
      [{ amount: "10", dueDate: "2027-02-30" }, "dueDate"],
      [{ amount: "10", dueDate: "15.01.2027" }, "dueDate"],
      [{ amount: "10", notes: "card 4111 1111 1111 1111" }, "notes"],
      [{ amount: "10", reason: "" }, "reason"],
    ] as const) {
      const answer = await open("finance", p, fields);
      expect(answer.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(fields)).toBeLessThan(500);
      expect(Object.keys(answer.body.fieldErrors ?? {}), JSON.stringify(answer.body)).toContain(field);
    }
    expect(await chargebackCount()).toBe(before);
    expect(await creditable(p)).toBe("40.00");
  });

  it("is for finance and admin; support may read but gets 403 and nothing changes", async () => {
    const p = await capturedCardPayment(client, "30.00");
    const before = await chargebackCount();
    expect((await open("support", p, { amount: "10" })).status).toBe(403);
    expect(await chargebackCount()).toBe(before);
    expect((await open("admin", p, { amount: "10" })).status).toBe(200);
  });
});

describe("evidence and decision", () => {
  it("records evidence while open, then LOST keeps the amount and WON is refused afterwards", async () => {
    const p = await capturedCardPayment(client, "90.00");
    const { chargebackId } = (await open("finance", p, { amount: "60" })).body.data;
    const evidence = await onDetail("finance", chargebackId, {
      intent: "evidence",
      notes: "Called the shop",
      evidence: "Tracking 00370712345",
      dueDate: "2027-03-01",
    });
    expect(evidence.status, JSON.stringify(evidence.body)).toBe(200);
    const badOutcome = await onDetail("finance", chargebackId, { intent: "decide", outcome: "MAYBE", reason: "r" });
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.body.fieldErrors).toHaveProperty("outcome");
    const noReason = await onDetail("finance", chargebackId, { intent: "decide", outcome: "LOST" });
    expect(noReason.body.fieldErrors).toHaveProperty("reason");

    expect(
      (await onDetail("finance", chargebackId, { intent: "decide", outcome: "LOST", reason: "Ruled" })).status,
    ).toBe(200);
    expect(await creditable(p)).toBe("30.00");
    expect((await onDetail("admin", chargebackId, { intent: "decide", outcome: "WON", reason: "r" })).status).toBe(409);
    expect((await onDetail("finance", chargebackId, { intent: "evidence", notes: "late" })).status).toBe(409);

    const [row] = await server.database.db.select().from(chargebacks).where(eq(chargebacks.chargebackId, chargebackId));
    expect(row).toMatchObject({ status: "LOST", evidence: "Tracking 00370712345", dueDate: "2027-03-01" });
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "chargeback"), eq(auditLog.entityId, String(chargebackId))));
    expect(audit.map((a) => `${a.action}:${a.reason ?? ""}`).sort()).toEqual([
      "chargeback.decide:Ruled",
      "chargeback.evidence:",
      "chargeback.open:Scheme notice",
    ]);
  });

  it("WON gives the amount back to the transaction", async () => {
    const p = await capturedCardPayment(client, "90.00");
    const { chargebackId } = (await open("finance", p, { amount: "90" })).body.data;
    expect(await creditable(p)).toBe("0.00");
    expect((await onDetail("finance", chargebackId, { intent: "decide", outcome: "WON", reason: "Won" })).status).toBe(
      200,
    );
    expect(await creditable(p)).toBe("90.00");
  });

  it("answers 404 for an unknown chargeback", async () => {
    expect((await getPage(server, "/chargebacks/99999999", staff.support.cookie)).status).toBe(404);
    expect((await getPage(server, "/chargebacks/abc", staff.support.cookie)).status).toBe(404);
    expect((await getPage(server, "/chargebacks?dueFrom=2027-13-01", staff.support.cookie)).status).toBe(400);
  });
});
