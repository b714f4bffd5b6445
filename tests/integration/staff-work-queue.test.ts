// The work queue over HTTP: a credit above the four-eyes threshold that one staff user created
// waits in every other finance or admin user's queue (and the navigation counts it), shows in its
// creator's queue as waiting for someone else, and leaves the queue once executed. Support, who
// cannot execute credits, has no queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type TestClient } from "../support/api";
import { postStaffAction } from "../support/fixtures-staff";
import { startTestServer, type TestServer } from "../support/server";
import { createStaff, getPage, loginAs } from "../support/staff";

const PAYMENT_ROUTE = "routes/_staff.payments.$paymentId";
const CREDIT_ROUTE = "routes/_staff.credits.$creditId";

let server: TestServer;
let client: TestClient;
const cookie: Record<"support" | "finance" | "otherFinance", string> = { support: "", finance: "", otherFinance: "" };

beforeAll(async () => {
  server = await startTestServer();
  client = await createClient(server);
  cookie.support = await loginAs(server, await createStaff(server, "support"));
  cookie.finance = await loginAs(server, await createStaff(server, "finance"));
  cookie.otherFinance = await loginAs(server, await createStaff(server, "finance"));
});

afterAll(async () => {
  await server?.close();
});

/** A captured CASH sale of `amount`. */
async function captured(amount: string) {
  const created = await client.post("/v1/payments", { totalAmount: amount, transaction: { paymentType: "CASH" } });
  const paymentId: number = created.body.paymentId;
  const transactionId: number = created.body.transactions[0].transactionId;
  expect((await client.put(`/v1/payments/${paymentId}/transactions/${transactionId}/capture`)).status).toBe(200);
  return { paymentId, transactionId };
}

/** A staff user's full credit of the transaction from the payment page: the id of the credit that waits. */
async function creditFromPaymentPage(who: string, amount: string): Promise<number> {
  const { paymentId, transactionId } = await captured(amount);
  const answer = await postStaffAction(
    server,
    `/payments/${paymentId}`,
    PAYMENT_ROUTE,
    { intent: "credit", transactionId: String(transactionId), reason: "Trip cancelled" },
    who,
  );
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.data).toMatchObject({ awaitsSecondStaffUser: true });
  return answer.body.data.creditId;
}

async function queueOf(who: string) {
  const response = await getPage(server, "/work?_data=routes%2F_staff.work", who);
  return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
}

async function navigationCount(who: string): Promise<number | null> {
  const response = await getPage(server, "/?_data=routes%2F_staff", who);
  expect(response.status).toBe(200);
  return (await response.json()).waiting;
}

const ids = (credits: { creditId: number }[]) => credits.map((c) => c.creditId);

describe("the work queue", () => {
  it("lists a big credit for every other finance user, counts it in the navigation, and drops it once executed", async () => {
    const before = await navigationCount(cookie.finance);
    const creditId = await creditFromPaymentPage(cookie.support, "12490.00");

    for (const who of [cookie.finance, cookie.otherFinance]) {
      const queue = await queueOf(who);
      expect(queue.status).toBe(200);
      expect(ids(queue.body.creditsForYou)).toContain(creditId);
      const listed = queue.body.creditsForYou.find((c: { creditId: number }) => c.creditId === creditId);
      expect(listed).toMatchObject({ totalCreditAmount: "12490.00", status: "CREATED" });
    }
    expect(await navigationCount(cookie.finance)).toBe((before ?? 0) + 1);

    // Executed by finance: it leaves every queue.
    const executed = await postStaffAction(
      server,
      `/credits/${creditId}`,
      CREDIT_ROUTE,
      { intent: "execute", reason: "Checked with the operator" },
      cookie.finance,
    );
    expect(executed.status, executed.text).toBe(200);
    expect(ids((await queueOf(cookie.otherFinance)).body.creditsForYou)).not.toContain(creditId);
    expect(await navigationCount(cookie.finance)).toBe(before ?? 0);
  });

  it("shows a finance user's own big credit as waiting for someone else, and it is the other user's work", async () => {
    const creditId = await creditFromPaymentPage(cookie.finance, "15000.00");
    const own = await queueOf(cookie.finance);
    expect(ids(own.body.creditsForYou)).not.toContain(creditId);
    expect(ids(own.body.yourCreditsWaiting)).toContain(creditId);
    const other = await queueOf(cookie.otherFinance);
    expect(ids(other.body.creditsForYou)).toContain(creditId);
    expect(ids(other.body.yourCreditsWaiting)).not.toContain(creditId);
  });

  it("leaves credits under the threshold out: they need no second person", async () => {
    const { paymentId, transactionId } = await captured("500.00");
    const answer = await postStaffAction(
      server,
      `/payments/${paymentId}`,
      PAYMENT_ROUTE,
      { intent: "credit", transactionId: String(transactionId), reason: "Small refund" },
      cookie.support,
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data?.awaitsSecondStaffUser).toBeUndefined();
    const queue = await queueOf(cookie.finance);
    expect(queue.body.creditsForYou.every((c: { totalCreditAmount: string }) => c.totalCreditAmount !== "500.00")).toBe(
      true,
    );
  });

  it("is not support's: no queue (403) and no count", async () => {
    expect((await queueOf(cookie.support)).status).toBe(403);
    expect(await navigationCount(cookie.support)).toBeNull();
  });
});
