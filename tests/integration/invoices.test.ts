// Collector invoices over HTTP (POST and PUT …/invoice), confirmed on the sandbox
// invoice page like a customer would.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { InvoiceResponse } from "../../app/http/api/schemas-mobile";
import { formatMoney } from "../../app/components/format";
import { invoices } from "../../db/schema";
import { expectProblem, paymentWithTransaction } from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";
import { expectPageShows, expectSentBack, fetchPage, submitForm } from "../support/fixtures-pages";
import { operationsOf, readTransaction, transactionPath, type TransactionIds } from "../support/fixtures-transactions";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 741, allowedRedirectPrefixes: ["https://shop.example/"] });
const stranger = useApiClient(server, { organisationId: 742, allowedRedirectPrefixes: ["https://shop.example/"] });

const RETURN = "https://shop.example/invoice-done";

const transaction = (p: TransactionIds) => readTransaction(shop, p);
const decide = (url: string, decision: string) => submitForm(url, { decision }, server.url);

async function invoiceRow(invoiceId: string) {
  const [row] = await server.database.db.select().from(invoices).where(eq(invoices.invoiceId, invoiceId));
  return row;
}

const pageOf = (publicToken: string) => `${server.url}/sandbox/invoice/${publicToken}`;

describe("COLLECTOR", () => {
  it("needs a redirectUrl from the client's prefixes", async () => {
    const p = await paymentWithTransaction(shop, "100.00", "COLLECTOR");
    expectProblem(await shop.post(transactionPath(p, "invoice"), {}), 400, "redirectUrl");
    expectProblem(
      await shop.post(transactionPath(p, "invoice"), { redirectUrl: "https://evil.example/x" }),
      400,
      "redirectUrl",
    );
    expectProblem(await shop.post(transactionPath(p, "invoice"), { redirectUrl: "not a url" }), 400, "redirectUrl");
    expect(operationsOf(await transaction(p))).toEqual(["CREATE"]);
  });

  it("creates the invoice (201 with terminalUri), INITIATEs; confirming on the page authorizes and redirects", async () => {
    const p = await paymentWithTransaction(shop, "250.00", "COLLECTOR");
    const created = await shop.post(transactionPath(p, "invoice"), {
      redirectUrl: RETURN,
      languageCode: "nob",
      externalInvoiceNumber: "X-1001",
      customerIdentificationNumber: "123456789",
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      invoiceId: expect.stringMatching(/^inv_/),
      paymentId: p.paymentId,
      transactionId: p.transactionId,
      expiryDate: null,
      publicToken: null,
      terminalUri: expect.stringMatching(new RegExp(`^${server.url}/sandbox/invoice/[A-Za-z0-9_-]{20,}$`)),
    });
    expect(InvoiceResponse.safeParse(created.body).success).toBe(true);
    const initiated = await transaction(p);
    expect(initiated.status).toBe("INITIATED");
    expect(initiated.operationLog.map((o: { operation: string; amount: string }) => [o.operation, o.amount])).toEqual([
      ["CREATE", "250.00"],
      ["INITIATE", "250.00"],
    ]);
    const stored = await invoiceRow(created.body.invoiceId);
    expect(stored).toMatchObject({
      paymentType: "COLLECTOR",
      amount: "250.00000",
      languageCode: "nob",
      externalInvoiceNumber: "X-1001",
      customerIdentificationNumber: "123456789",
      confirmedAt: null,
      replacedAt: null,
    });

    await expectPageShows(created.body.terminalUri, [
      formatMoney("250.00", "NOK"),
      `>Organisation ${shop.organisationId}</span>`,
      "X-1001",
      "Confirm invoice",
    ]);

    const confirmed = await decide(created.body.terminalUri, "confirm");
    expectSentBack(confirmed, RETURN, p, "approved");
    const after = await transaction(p);
    expect(after.status).toBe("AUTHORIZED");
    expect(after.summary.authorizedAmount).toBe("250.00");
    expect(operationsOf(after)).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
    expect((await invoiceRow(created.body.invoiceId)).confirmedAt).toBeInstanceOf(Date);

    // Confirmed: the page says so, cannot confirm twice, and the invoice cannot be replaced.
    expect((await fetchPage(created.body.terminalUri)).html).toContain("has been confirmed");
    expect((await decide(created.body.terminalUri, "confirm")).status).toBe(409);
    expectProblem(await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN }), 409);
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE", "AUTHORIZE"]);
  });

  it("a new POST replaces the invoice: the old one is marked replaced and its page can no longer confirm", async () => {
    const p = await paymentWithTransaction(shop, "60.00", "COLLECTOR");
    const first = await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN, externalInvoiceNumber: "OLD" });
    const second = await shop.post(transactionPath(p, "invoice"), {
      redirectUrl: RETURN,
      externalInvoiceNumber: "NEW",
    });
    expect(second.status).toBe(201);
    expect(second.body.invoiceId).not.toBe(first.body.invoiceId);
    expect(second.body.terminalUri).not.toBe(first.body.terminalUri);
    expect((await invoiceRow(first.body.invoiceId)).replacedAt).toBeInstanceOf(Date);
    expect((await invoiceRow(second.body.invoiceId)).replacedAt).toBeNull();

    const old = await fetchPage(first.body.terminalUri);
    expect(old.html).toContain("replaced");
    expect(old.html).not.toContain('value="confirm"');
    expect((await decide(first.body.terminalUri, "confirm")).status).toBe(409);
    expect((await invoiceRow(first.body.invoiceId)).confirmedAt).toBeNull();
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE", "INITIATE"]);

    expect((await decide(second.body.terminalUri, "confirm")).status).toBe(302);
    expect((await transaction(p)).status).toBe("AUTHORIZED");
  });

  it("cannot be changed with PUT (422): only COLLECTOR_B2B can", async () => {
    const p = await paymentWithTransaction(shop, "60.00", "COLLECTOR");
    await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN });
    expectProblem(await shop.put(transactionPath(p, "invoice"), { externalInvoiceNumber: "CHANGED" }), 422);
    expectProblem(await shop.put(transactionPath(p, "invoice"), { amount: "50.00" }), 422);
    expect((await transaction(p)).amount).toBe("60.00");
  });

  it("leaving without confirming changes nothing; a declined credit check (.02) comes back with result=failed", async () => {
    const p = await paymentWithTransaction(shop, "60.00", "COLLECTOR");
    const created = await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN });
    const left = await decide(created.body.terminalUri, "cancel");
    expect(new URL(left.location!).searchParams.get("result")).toBe("rejected");
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE"]);

    const d = await paymentWithTransaction(shop, "60.02", "COLLECTOR");
    const refused = await shop.post(transactionPath(d, "invoice"), { redirectUrl: RETURN });
    const failed = await decide(refused.body.terminalUri, "confirm");
    expect(new URL(failed.location!).searchParams.get("result")).toBe("failed");
    expect(operationsOf(await transaction(d))).toEqual(["CREATE", "INITIATE"]);
    expect((await invoiceRow(refused.body.invoiceId)).confirmedAt).toBeNull();
  });
});

describe("COLLECTOR_B2B", () => {
  it("creates with expiryDate (14 days) and publicToken, no terminalUri", async () => {
    const p = await paymentWithTransaction(shop, "1000.00", "COLLECTOR_B2B");
    const created = await shop.post(transactionPath(p, "invoice"), { externalInvoiceNumber: "B2B-1" });
    expect(created.status).toBe(201);
    const expected = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    expect(created.body).toEqual({
      invoiceId: expect.stringMatching(/^inv_/),
      paymentId: p.paymentId,
      transactionId: p.transactionId,
      expiryDate: expected,
      publicToken: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
      terminalUri: null,
    });
    expect(InvoiceResponse.safeParse(created.body).success).toBe(true);
    expect((await transaction(p)).status).toBe("INITIATED");
    await expectPageShows(pageOf(created.body.publicToken), [formatMoney("1000.00", "NOK"), expected]);
  });

  it("PUT changes content and amount before confirmation: the transaction amount follows, UPDATE is logged", async () => {
    const p = await paymentWithTransaction(shop, "100.00", "COLLECTOR_B2B");
    const created = await shop.post(transactionPath(p, "invoice"), {
      externalInvoiceNumber: "B2B-2",
      languageCode: "nob",
    });
    const changed = await shop.put(transactionPath(p, "invoice"), {
      invoiceId: created.body.invoiceId,
      amount: "80.00",
      externalInvoiceNumber: "B2B-2a",
      languageCode: "eng",
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...created.body });
    const stored = await invoiceRow(created.body.invoiceId);
    expect(stored).toMatchObject({
      amount: "80.00000",
      externalInvoiceNumber: "B2B-2a",
      languageCode: "eng",
      customerIdentificationNumber: null,
    });
    const after = await transaction(p);
    expect(after.amount).toBe("80.00");
    expect(after.operationLog.map((o: { operation: string; amount: string }) => [o.operation, o.amount])).toEqual([
      ["CREATE", "100.00"],
      ["INITIATE", "100.00"],
      ["UPDATE", "80.00"],
    ]);
    // The page shows the invoice as it is now.
    expect((await fetchPage(pageOf(created.body.publicToken))).html).toContain(formatMoney("80.00", "NOK"));

    // Content alone: the amount stays, still logged as UPDATE.
    const content = await shop.put(transactionPath(p, "invoice"), { customerIdentificationNumber: "987654321" });
    expect(content.status).toBe(200);
    expect((await invoiceRow(created.body.invoiceId)).customerIdentificationNumber).toBe("987654321");
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE", "UPDATE", "UPDATE"]);

    // Now the customer confirms; afterwards nothing can change.
    const confirmed = await decide(pageOf(created.body.publicToken), "confirm");
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain("Invoice confirmed");
    const authorized = await transaction(p);
    expect(authorized.status).toBe("AUTHORIZED");
    expect(authorized.summary.authorizedAmount).toBe("80.00");
    expectProblem(await shop.put(transactionPath(p, "invoice"), { amount: "70.00" }), 409);
    expectProblem(await shop.put(transactionPath(p, "invoice"), { externalInvoiceNumber: "late" }), 409);
    expect(await invoiceRow(created.body.invoiceId)).toMatchObject({
      amount: "80.00000",
      externalInvoiceNumber: "B2B-2a",
    });
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE", "UPDATE", "UPDATE", "AUTHORIZE"]);
  });

  it("an amount change may not take the payment's transactions over its totalAmount", async () => {
    const created = await shop.post("/v1/payments", { totalAmount: "100.00" });
    const added = await shop.post(`/v1/payments/${created.body.paymentId}/transactions`, {
      paymentType: "COLLECTOR_B2B",
      amount: "60.00",
    });
    const p = { paymentId: created.body.paymentId, transactionId: added.body.transactionId };
    expect(
      (await shop.post(`/v1/payments/${p.paymentId}/transactions`, { paymentType: "CASH", amount: "40.00" })).status,
    ).toBe(201);
    await shop.post(transactionPath(p, "invoice"), {});
    const over = await shop.put(transactionPath(p, "invoice"), { amount: "60.01" });
    expectProblem(over, 422, "amount");
    expect((await transaction(p)).amount).toBe("60.00");
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE"]);
    const under = await shop.put(transactionPath(p, "invoice"), { amount: "50.00" });
    expect(under.status).toBe(200);
    expect((await transaction(p)).amount).toBe("50.00");
  });

  it("PUT refusals: nothing to change, a wrong invoiceId, no invoice yet, bad fields", async () => {
    const p = await paymentWithTransaction(shop, "100.00", "COLLECTOR_B2B");
    expectProblem(await shop.put(transactionPath(p, "invoice"), { amount: "10.00" }), 409);
    const created = await shop.post(transactionPath(p, "invoice"), {});
    expectProblem(await shop.put(transactionPath(p, "invoice"), {}), 400, "body");
    expectProblem(
      await shop.put(transactionPath(p, "invoice"), { invoiceId: "inv_nope", amount: "10.00" }),
      422,
      "invoiceId",
    );
    expectProblem(await shop.put(transactionPath(p, "invoice"), { amount: "0" }), 400, "amount");
    expectProblem(await shop.put(transactionPath(p, "invoice"), { amount: 10 }), 400, "amount");
    expectProblem(await shop.put(transactionPath(p, "invoice"), { languageCode: "NO" }), 400, "languageCode");
    expect((await invoiceRow(created.body.invoiceId)).amount).toBe("100.00000");
    expect(operationsOf(await transaction(p))).toEqual(["CREATE", "INITIATE"]);
  });

  it("replacing a B2B invoice closes the old publicToken's page", async () => {
    const p = await paymentWithTransaction(shop, "100.00", "COLLECTOR_B2B");
    const first = await shop.post(transactionPath(p, "invoice"), {});
    const second = await shop.post(transactionPath(p, "invoice"), {});
    expect(second.body.publicToken).not.toBe(first.body.publicToken);
    expect((await decide(pageOf(first.body.publicToken), "confirm")).status).toBe(409);
    expect((await transaction(p)).status).toBe("INITIATED");
    // PUT changes the current invoice, not the replaced one.
    expectProblem(
      await shop.put(transactionPath(p, "invoice"), { invoiceId: first.body.invoiceId, amount: "90.00" }),
      422,
      "invoiceId",
    );
    expect(
      (await shop.put(transactionPath(p, "invoice"), { invoiceId: second.body.invoiceId, amount: "90.00" })).status,
    ).toBe(200);
  });
});

describe("input and transactions that do not fit", () => {
  it("languageCode must be ISO 639-3; text fields are bounded", async () => {
    const p = await paymentWithTransaction(shop, "10.00", "COLLECTOR");
    for (const languageCode of ["no", "NOB", "nb-NO", "norsk"]) {
      expectProblem(
        await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN, languageCode }),
        400,
        "languageCode",
      );
    }
    expectProblem(
      await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN, externalInvoiceNumber: "x".repeat(51) }),
      400,
      "externalInvoiceNumber",
    );
    expect(operationsOf(await transaction(p))).toEqual(["CREATE"]);
  });

  it("only INVOICE transactions; other tenants' ids are 404; a cancelled transaction is 409", async () => {
    const card = await paymentWithTransaction(shop, "10.00", "VISA");
    expectProblem(await shop.post(transactionPath(card, "invoice"), { redirectUrl: RETURN }), 409);
    expectProblem(await shop.put(transactionPath(card, "invoice"), { amount: "5.00" }), 409);
    const p = await paymentWithTransaction(shop, "10.00", "COLLECTOR");
    expectProblem(await stranger.post(transactionPath(p, "invoice"), { redirectUrl: RETURN }), 404);
    expect((await shop.put(transactionPath(p, "cancel"))).status).toBe(200);
    expectProblem(await shop.post(transactionPath(p, "invoice"), { redirectUrl: RETURN }), 409);
  });
});
