// Details of the /v1 contract that an audit of the /v1 routes found answered differently,
// each checked through HTTP: the problem names the field the client actually sent, an unknown
// filter operator is refused rather than matched as text, every field the recurring terminal gives its
// recurring-payment terminal is validated, and an absent required field says "is required".
import { describe, expect, it } from "vitest";
import {
  capturedCardPayment,
  createClient,
  expectProblem,
  paymentWithTransaction,
  type ApiResult,
} from "../support/api";
import { useApiClient, useTestServer } from "../support/fixtures-http";

const SHOP = "https://shop.example/";

const server = useTestServer();
const shop = useApiClient(server, { organisationId: 5101, allowedRedirectPrefixes: [SHOP] });
const partner = useApiClient(server, { organisationId: 5101, privileged: true, allowedRedirectPrefixes: [SHOP] }); // privileged: names customers

function messageFor(result: ApiResult, field: string): string | undefined {
  return result.body.errors?.find((e: { field: string }) => e.field === field)?.message;
}

describe("POST …/transactions/{id}/credit", () => {
  // Errors: the problem names the offending field; this route's body has `amount`.
  it("names `amount` when it exceeds the creditable amount (422), and credits nothing", async () => {
    const { paymentId, transactionId, base } = await capturedCardPayment(shop, "50.00");
    const over = await shop.post(`${base}/credit`, { amount: "50.01" });
    expectProblem(over, 422, "amount");
    const after = await shop.get(`/v1/payments/${paymentId}/transactions/${transactionId}`);
    expect(after.body.summary.creditedAmount).toBe("0.00");
    expect(after.body.summary.creditableAmount).toBe("50.00");
  });
});

describe("search filter grammar", () => {
  // Search: `op` in eq ne gt gte lt lte; an unknown operator is a 400 naming the parameter.
  it("refuses an unknown operator word of any length, naming the parameter", async () => {
    await paymentWithTransaction(shop, "10.00", "VISA", { orderId: "like:o1" });
    for (const query of [
      "orderId=like:o1",
      "createdAt=between:2026-01-01",
      "settlementId=contains:x",
      "orderId=o&orderId=startswith:o",
    ]) {
      const name = query.split("=")[0];
      const result = await shop.get(`/v1/payments?${query}`);
      expectProblem(result, 400, name);
      expect(messageFor(result, name)).toMatch(/unknown operator/);
    }
    const credits = await shop.get("/v1/credits?orderId=like:o1");
    expectProblem(credits, 400, "orderId");
  });

  it("still matches such a value as text with an explicit eq:", async () => {
    const found = await shop.get("/v1/payments?orderId=eq:like:o1");
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { orderId: string }) => p.orderId)).toEqual(["like:o1"]);
  });
});

describe("POST /v1/recurring-payments/{id}/terminal", () => {
  // The recurring terminal takes redirectUrl, autoSale, singlePage, callbackUrl, countryCode, storePayment,
  // customerNumber, transactionType and terminalLanguage: a wrong value of any is a 400 naming it.
  it("validates every field of the recurring payment terminal body, and accepts them when well-formed", async () => {
    const created = await partner.post("/v1/recurring-payments", { customerNumber: "5100001" });
    expect(created.status).toBe(201);
    const path = `/v1/recurring-payments/${created.body.recurringPaymentId}/terminal`;
    const redirectUrl = `${SHOP}cards/done`;
    for (const [field, value] of [
      ["autoSale", "yes"],
      ["storePayment", 1],
      ["transactionType", "FOO"],
      ["customerNumber", "not a number"],
      ["singlePage", "true"],
      ["countryCode", "norway"],
      ["terminalLanguage", "norsk"],
    ] as const) {
      expectProblem(await partner.post(path, { redirectUrl, [field]: value }), 400, field);
    }
    const opened = await partner.post(path, {
      redirectUrl,
      autoSale: true,
      singlePage: true,
      storePayment: true,
      transactionType: "MIT_UCOF",
      countryCode: "NO",
      terminalLanguage: "en_GB",
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.terminalUri).toMatch(/\/sandbox\/card\//);
  });
});

describe("an absent required field", () => {
  // Errors: `errors: [{field, message}]`; a field left out is named as required, not as
  // a value of the wrong format.
  it("is named with 'is required' on payments, transactions, agreements and gift cards", async () => {
    expect(messageFor(await shop.post("/v1/payments", {}), "totalAmount")).toBe("is required");
    const { paymentId, transactionId } = await paymentWithTransaction(shop, "10.00", "GIFTCARD");
    const base = `/v1/payments/${paymentId}/transactions/${transactionId}`;
    expect(messageFor(await shop.post(`${base}/gift-card`, {}), "giftCardCode")).toBe("is required");
    expect(messageFor(await shop.post(`${base}/authorize`, {}), "totalAmount")).toBe("is required");

    const agreement = {
      customerNumber: "5100002",
      productName: "Pass",
      pricing: { type: "LEGACY", amount: "10.00" },
      provider: { type: "VIPPS" },
    };
    const noName = await partner.post("/v1/payment-agreements", { ...agreement, productName: undefined });
    expectProblem(noName, 400, "productName");
    expect(messageFor(noName, "productName")).toBe("is required");
    expect(
      messageFor(
        await partner.post("/v1/payment-agreements", { ...agreement, pricing: { type: "LEGACY" } }),
        "pricing.amount",
      ),
    ).toBe("is required");
    expect(
      messageFor(await partner.post("/v1/payment-agreements", { ...agreement, provider: {} }), "provider.type"),
    ).toBe("is required");
    expect(
      messageFor(
        await partner.post("/v1/credits", {
          totalCreditAmount: "1.00",
          creditTransactions: [{ paymentId, transactionId }],
        }),
        "creditTransactions[0].amount",
      ),
    ).toBe("is required");
    // A value that is there but wrong keeps its own message.
    expect(messageFor(await shop.post("/v1/payments", { totalAmount: "1,00" }), "totalAmount")).toMatch(
      /decimal string/,
    );
  });
});

describe("Idempotency-Key", () => {
  // Idempotency: the same key replays only the same request. A request for another
  // organisation (Entur-On-Behalf-Of) is another request, even with the same body: 422, not the
  // first organisation's payment as if this one had been made.
  it("does not replay a request made for another organisation", async () => {
    await createClient(server, { organisationId: 5102 });
    await createClient(server, { organisationId: 5103 });
    const agent = await createClient(server, { organisationId: 5104, onBehalfOfAllowed: true });
    const body = { totalAmount: "12.00", orderId: "same-order" };
    const key = { "Idempotency-Key": "for-whom-1" };
    const first = await agent.post("/v1/payments", body, { ...key, "Entur-On-Behalf-Of": "5102" });
    expect(first.status).toBe(201);
    expect(first.body.organisationId).toBe(5102);
    const replay = await agent.post("/v1/payments", body, { ...key, "Entur-On-Behalf-Of": "5102" });
    expect(replay.status).toBe(201);
    expect(replay.body.paymentId).toBe(first.body.paymentId);

    const elsewhere = await agent.post("/v1/payments", body, { ...key, "Entur-On-Behalf-Of": "5103" });
    expectProblem(elsewhere, 422, "Idempotency-Key");
    const theirs = await agent.get("/v1/payments?orderId=same-order", { "Entur-On-Behalf-Of": "5103" });
    expect(theirs.body.totalItems).toBe(0);
  });
});

describe("product self-service input", () => {
  // The self-service limits (invoiceNumber ≤ 10, productCode and companyCode ≤ 12, the two
  // paymentMethod enums) are a 400 naming the field, whoever is or is not logged in; a
  // well-formed request without a logged-in customer is the 401.
  it("names the malformed field before asking for a logged-in customer", async () => {
    const invoice = {
      invoiceNumber: "7435367",
      productCode: "CO27409",
      companyCode: "68979834",
      paymentMethod: "creditcardPayex",
    };
    expectProblem(
      await shop.post("/v1/api/payment/invoice", { ...invoice, invoiceNumber: "12345678901" }),
      400,
      "invoiceNumber",
    );
    expectProblem(
      await shop.post("/v1/api/payment/invoice", { ...invoice, companyCode: "1234567890123" }),
      400,
      "companyCode",
    );
    expectProblem(
      await shop.post("/v1/api/payment/invoice", { ...invoice, paymentMethod: "paypal" }),
      400,
      "paymentMethod",
    );
    expectProblem(await shop.post("/v1/api/payment/invoice", invoice), 401, "Entur-Customer-Token");

    expectProblem(await shop.get("/v1/product/payment/ABCDEFGHIJKLM"), 400, "product");
    expectProblem(await shop.get("/v1/product/payment/CO27409"), 401, "Entur-Customer-Token");
    expectProblem(
      await shop.post("/v1/product/payment/ABCDEFGHIJKLM", { paymentMethod: "invoice" }),
      400,
      "productCode",
    );
    expectProblem(await shop.post("/v1/product/payment/CO27409", { paymentMethod: "cash" }), 400, "paymentMethod");
    expectProblem(
      await shop.post("/v1/product/payment/CO27409", { paymentMethod: "autoGiro" }),
      401,
      "Entur-Customer-Token",
    );
  });
});
