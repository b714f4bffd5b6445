// The bulk actions over HTTP, as the screens post them: errors named by field (nothing written),
// a bulk credit's preview → confirm → report, with a repeated confirm answering the same report and
// creating nothing more, and a bulk method switch refused when its preview went stale.
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, bulkCreditItems, credits, paymentMethods } from "../../db/schema";
import { capturedCardPayment } from "../support/api";
import { useApiClient, useStaffSession, useTestServer, type StaffSession } from "../support/fixtures-http";
import { getPage } from "../support/staff";

const server = useTestServer();
const client = useApiClient(server, { organisationId: 941 });
const support = useStaffSession(server, "support");
const finance = useStaffSession(server, "finance");
const admin = useStaffSession(server, "admin");

const PAYMENTS = "routes/_staff.payments._index";
const METHODS = "routes/_staff.payment-methods";

/** Posts a form (repeated fields as arrays) as a fetcher does; the JSON answer or the redirect. */
async function post(staff: StaffSession, path: string, routeId: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  const url = `${server.url}${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(routeId)}`;
  const response = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: staff.cookie },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    redirect: response.headers.get("x-remix-redirect"),
    body: text ? JSON.parse(text) : null,
  };
}

const creditCount = async () => (await server.database.db.select({ n: sql<number>`count(*)::int` }).from(credits))[0].n;

describe("bulk credit from the payments list", () => {
  it("names the field of each problem and writes nothing", async () => {
    const a = await capturedCardPayment(client, "10.00");
    const before = await creditCount();
    const bad = await post(support, "/payments?index", PAYMENTS, {
      intent: "bulk-credit-preview",
      paymentId: String(a.paymentId),
      amount: "percentage",
      percentage: "150",
      reason: "",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors).toMatchObject({
      percentage: expect.stringContaining("0.01 to 100"),
      reason: expect.any(String),
    });
    const tooMany = await post(support, "/payments?index", PAYMENTS, {
      intent: "bulk-credit-preview",
      paymentId: Array.from({ length: 201 }, (_, i) => String(i + 1)),
      amount: "full",
      reason: "Many",
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fieldErrors.paymentId).toContain("at most 200");
    expect(await creditCount()).toBe(before);
  });

  it("previews, runs the preview once however often it is confirmed, and reports each payment", async () => {
    const a = await capturedCardPayment(client, "100.00");
    const b = await capturedCardPayment(client, "20.00");
    const form = {
      paymentId: [String(a.paymentId), String(b.paymentId)],
      amount: "percentage",
      percentage: "12,5",
      reason: "Late train",
    };
    const preview = await post(finance, "/payments?index", PAYMENTS, { intent: "bulk-credit-preview", ...form });
    expect(preview.status).toBe(200);
    expect(preview.body.data.totals).toEqual([{ currency: "NOK", count: 2, total: "15.00" }]);
    const { runId, fingerprint } = preview.body.data;
    const before = await creditCount();
    const confirm = { intent: "bulk-credit", ...form, runId, fingerprint };
    const first = await post(finance, "/payments?index", PAYMENTS, confirm);
    expect(first).toMatchObject({ status: 204, redirect: `/credits/bulk/${runId}` });
    const again = await post(finance, "/payments?index", PAYMENTS, confirm);
    expect(again).toMatchObject({ status: 204, redirect: `/credits/bulk/${runId}` });
    expect(await creditCount()).toBe(before + 2);
    const items = await server.database.db
      .select()
      .from(bulkCreditItems)
      .where(inArray(bulkCreditItems.paymentId, [a.paymentId, b.paymentId]));
    expect(items.map((i) => [i.outcome, i.amount]).sort()).toEqual([
      ["executed", "12.50000"],
      ["executed", "2.50000"],
    ]);
    const report = await getPage(server, `/credits/bulk/${runId}`, support.cookie);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain("Late train");
    const unknown = await getPage(server, "/credits/bulk/no-such-run", support.cookie);
    await unknown.body?.cancel();
    expect(unknown.status).toBe(404);
  });
});

describe("switching a payment type for many clients and channels", () => {
  const scope = () => ({ paymentType: "VIPPS", clientId: client.clientId, allChannels: "on", enabled: "false" });
  const preview = () => post(admin, "/payment-methods", METHODS, { intent: "bulk-preview", ...scope(), reason: "x" });
  /** Applies the switch for the reason "Outage", as previewed by `fingerprint`. */
  const apply = (fingerprint: string) =>
    post(admin, "/payment-methods", METHODS, { intent: "bulk-apply", ...scope(), reason: "Outage", fingerprint });

  it("names the missing choices", async () => {
    const answer = await post(admin, "/payment-methods", METHODS, {
      intent: "bulk-preview",
      paymentType: "VIPPS",
      enabled: "false",
      reason: "Outage",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.fieldErrors).toMatchObject({ clientId: expect.any(String), channel: expect.any(String) });
  });

  it("refuses a stale preview and changes nothing; applies a fresh one", async () => {
    const previewed = await preview();
    expect(previewed.status).toBe(200);
    expect(previewed.body.data.changes).toHaveLength(2);
    const [first] = previewed.body.data.changes;
    await server.database.db.update(paymentMethods).set({ enabled: false }).where(eq(paymentMethods.id, first.id));
    const stale = await apply(previewed.body.data.fingerprint);
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain("changed since the preview");
    const [second] = await server.database.db
      .select()
      .from(paymentMethods)
      .where(eq(paymentMethods.id, previewed.body.data.changes[1].id));
    expect(second.enabled).toBe(true);

    const fresh = await preview();
    expect(fresh.body.data.unchanged).toHaveLength(1);
    const applied = await apply(fresh.body.data.fingerprint);
    expect(applied.status).toBe(200);
    expect(applied.body.message).toBe("VIPPS is disabled on 1 method; 1 was disabled already.");
    // One audit entry per change, with the reason; the method that was off already has none.
    const audits = await server.database.db
      .select({ entityId: auditLog.entityId, reason: auditLog.reason })
      .from(auditLog)
      .where(eq(auditLog.action, "payment_method.disable"));
    expect(audits).toEqual([{ entityId: String(previewed.body.data.changes[1].id), reason: "Outage" }]);
  });
});
