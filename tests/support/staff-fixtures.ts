// The rows every staff action can be pointed at, made through /v1 like a shop would: an
// authorized, a captured and a deactivated payment, a credit, an open chargeback (opened by
// finance on the payment screen), a recurring payment, a payment method, and another staff user
// and API client for the admin actions. Used by the permission
// matrix and by the fuzz test of every staff action, with a signed-in cookie for every role.
import { desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { ROLES, type Role } from "../../app/auth/roles";
import { chargebacks, paymentMethods } from "../../db/schema";
import { capturedCardPayment, createClient, paymentWithTransaction, type TestClient } from "./api";
import type { TestServer } from "./server";
import { createStaff, loginAs, postForm, type TestStaff } from "./staff";

export type StaffFixtures = {
  client: TestClient;
  /** A session cookie per role. */
  cookies: Map<Role, string>;
  authorized: { paymentId: number; transactionId: number };
  captured: { paymentId: number; transactionId: number };
  deactivated: { paymentId: number; transactionId: number };
  creditId: number;
  /** An OPEN chargeback of 1.00 on the captured transaction. */
  chargebackId: number;
  recurringPaymentId: number;
  methodId: number;
  targetUser: TestStaff;
  targetClientId: string;
};

/** Makes the fixtures on `server`; `customerNumber` owns the recurring payment. */
export async function createStaffFixtures(server: TestServer, customerNumber: string): Promise<StaffFixtures> {
  const client = await createClient(server, { privileged: true, allowedRedirectPrefixes: ["https://shop.example/"] });
  const cookies = new Map<Role, string>();
  for (const role of ROLES) cookies.set(role, await loginAs(server, await createStaff(server, role)));

  const authorized = await paymentWithTransaction(client, "50.00");
  const base = `/v1/payments/${authorized.paymentId}/transactions/${authorized.transactionId}`;
  expect((await client.post(`${base}/authorize`, { totalAmount: "50.00" })).status).toBe(200);
  const captured = await capturedCardPayment(client, "80.00");
  const deactivated = await capturedCardPayment(client, "30.00");
  expect((await client.put(`/v1/payments/${deactivated.paymentId}/deactivate`)).status).toBe(200);
  const credit = await client.post("/v1/credits", {
    totalCreditAmount: "10.00",
    creditTransactions: [{ paymentId: captured.paymentId, transactionId: captured.transactionId, amount: "10.00" }],
  });
  expect(credit.status, JSON.stringify(credit.body)).toBe(201);
  const opened = await postForm(
    server,
    `/payments/${captured.paymentId}`,
    {
      intent: "openChargeback",
      transactionId: String(captured.transactionId),
      amount: "1.00",
      reasonCode: "10.4",
      reason: "Fixture",
    },
    cookies.get("finance"),
  );
  expect(opened.status, await opened.text()).toBe(200);
  const [chargeback] = await server.database.db
    .select({ id: chargebacks.chargebackId })
    .from(chargebacks)
    .where(eq(chargebacks.paymentId, captured.paymentId))
    .orderBy(desc(chargebacks.chargebackId))
    .limit(1);
  const recurring = await client.post("/v1/recurring-payments", { customerNumber, nickname: "Privat" });
  expect(recurring.status, JSON.stringify(recurring.body)).toBe(201);
  const [method] = await server.database.db
    .select()
    .from(paymentMethods)
    .where(eq(paymentMethods.clientId, client.clientId))
    .limit(1);
  return {
    client,
    cookies,
    authorized,
    captured,
    deactivated,
    creditId: credit.body.creditId,
    chargebackId: chargeback.id,
    recurringPaymentId: recurring.body.recurringPaymentId,
    methodId: method.id,
    targetUser: await createStaff(server, "support"),
    targetClientId: (await createClient(server)).clientId,
  };
}
