// Switching a payment type for many clients and channels in-process: the preview splits the scope
// into changes and no-ops; the apply writes one audit entry per change in one transaction, and
// refuses, changing nothing, when the scope moved since the preview.
import { and, eq, inArray } from "drizzle-orm";
import { auditLog, paymentMethods } from "../../../db/schema";
import { refused, useShop } from "../../../tests/support/fixtures-use-case";
import { staffCaller, useTestDatabase } from "../../../tests/support/use-case";
import { previewMethodSwitch, setPaymentMethodEnabled, switchPaymentMethods } from "./payment-methods.server";

const database = useTestDatabase();
const shopA = useShop(database);
const shopB = useShop(database);
const admin = staffCaller({ reason: "Vipps outage" });

const vippsOf = async (clientIds: string[]) =>
  database()
    .db.select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.paymentType, "VIPPS"), inArray(paymentMethods.clientId, clientIds)))
    .orderBy(paymentMethods.id);

describe("switching VIPPS for every client and channel", () => {
  it("previews the changes and no-ops, then applies exactly those with one audit entry per change", async () => {
    const [first] = await vippsOf([shopA.clientId]);
    await setPaymentMethodEnabled(admin, { methodId: first.id, enabled: false, reason: "earlier" });
    const scope = { paymentType: "VIPPS", clientIds: [shopA.clientId, shopB.clientId], channels: null };

    const preview = await previewMethodSwitch(admin, { scope, enabled: false });
    expect(preview.changes).toHaveLength(3); // two shops × web, app, minus the one disabled already
    expect(preview.unchanged.map((m) => m.id)).toEqual([first.id]);

    const caller = staffCaller({ reason: "Vipps outage" });
    const result = await switchPaymentMethods(caller, {
      scope,
      enabled: false,
      reason: caller.reason,
      fingerprint: preview.fingerprint,
    });
    expect(result).toMatchObject({ unchanged: 1 });
    expect(result.changed).toHaveLength(3);
    const after = await vippsOf([shopA.clientId, shopB.clientId]);
    expect(after.every((m) => !m.enabled)).toBe(true);
    expect(after.filter((m) => m.id !== first.id).every((m) => m.disabledReason === "Vipps outage")).toBe(true);
    expect(after.find((m) => m.id === first.id)!.disabledReason).toBe("earlier");
    const audit = await database().db.select().from(auditLog).where(eq(auditLog.correlationId, caller.correlationId));
    expect(audit.map((e) => [e.action, Number(e.entityId)]).sort()).toEqual(
      preview.changes.map((m) => ["payment_method.disable", m.id]).sort(),
    );
  });

  it("refuses when a method of the scope changed since the preview, changing nothing", async () => {
    const scope = { paymentType: "VIPPS", clientIds: [shopA.clientId, shopB.clientId], channels: ["web"] };
    const preview = await previewMethodSwitch(admin, { scope, enabled: true });
    expect(preview.changes).toHaveLength(2);
    await setPaymentMethodEnabled(admin, { methodId: preview.changes[0].id, enabled: true, reason: null });
    await expect(
      switchPaymentMethods(admin, { scope, enabled: true, reason: "back", fingerprint: preview.fingerprint }),
    ).rejects.toThrow(refused({ kind: "conflict", message: expect.stringContaining("changed since the preview") }));
    const [still] = await database()
      .db.select()
      .from(paymentMethods)
      .where(eq(paymentMethods.id, preview.changes[1].id));
    expect(still.enabled).toBe(false);
  });

  it("names the scope when nothing matches, and requires a reason", async () => {
    const scope = { paymentType: "VIPPS", clientIds: ["no-such-client"], channels: null };
    await expect(previewMethodSwitch(admin, { scope, enabled: false })).rejects.toThrow(
      refused({ kind: "invalid", errors: [expect.objectContaining({ field: "scope" })] }),
    );
    const all = { paymentType: "VIPPS", clientIds: null, channels: null };
    const preview = await previewMethodSwitch(admin, { scope: all, enabled: true });
    await expect(
      switchPaymentMethods(admin, { scope: all, enabled: true, reason: null, fingerprint: preview.fingerprint }),
    ).rejects.toThrow(refused({ kind: "invalid", errors: [expect.objectContaining({ field: "reason" })] }));
  });
});
