// The HTTP adapters of the provider ports against a PSP of this file's own: answers mapped to the
// ports' types, amounts exact across the wire, and every way of not answering (timeout within the
// bound, 5xx, a lost answer, no connection, an answer that is not the protocol's) ending in
// ProviderUnavailable, never hanging and never anything else.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { usePsp } from "../../tests/support/psp";
import { money, type Money } from "../domain/money";
import { ProviderUnavailable, type UnavailableCause } from "./errors";
import {
  pspCardProvider,
  pspConfig,
  pspMobileProvider,
  pspPaymentProvider,
  pspSelfServiceProvider,
  PspRequestRefused,
} from "./psp-http.server";

const psp = usePsp();
// vi.stubEnv, not a plain assignment and delete: files share a worker (isolate: false), and a
// deleted PAYDESK_PSP_TIMEOUT_MS left later files with the 3 s default instead of the run's bound.
afterEach(async () => {
  await psp().setFaults({});
  vi.unstubAllEnvs();
});

let counter = 0;
const ref = (prefix = "op") => `${prefix}:${++counter}:${Math.random().toString(36).slice(2)}`;
const atProvider = (amount: string, transactionReference = ref("transaction")) => ({
  reference: ref("capture"),
  transactionReference,
  amount: money(amount),
  currency: "NOK",
  paymentTypeGroup: "PAYMENTCARD",
});

async function unavailable(call: Promise<unknown>): Promise<UnavailableCause> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderUnavailable);
  return (error as ProviderUnavailable).cause;
}

describe("answers", () => {
  it("captures, cancels, authorizes and refunds, and looks each up by reference", async () => {
    const t = ref("transaction");
    const authorized = await pspPaymentProvider.authorize({ ...atProvider("100.00", t), kind: "PRE_AUTHORIZATION" });
    expect(authorized).toMatchObject({ ok: true });
    const capture = atProvider("60.00", t);
    expect(await pspPaymentProvider.capture(capture)).toMatchObject({ ok: true, pspReference: expect.any(String) });
    expect(await pspPaymentProvider.cancel(atProvider("40.00", t))).toMatchObject({ ok: true });
    const refund = await pspPaymentProvider.refund({
      reference: ref("refund"),
      transactionReference: t,
      amount: money("20.00"),
      currency: "NOK",
      paymentType: "VISA",
      paymentTypeGroup: "PAYMENTCARD",
      rrn: "123456789012",
      cardNumber: "1111",
    });
    expect(refund).toMatchObject({ ok: true, rrn: expect.stringMatching(/^[0-9]{12}$/) });
    expect(await pspPaymentProvider.capture(atProvider("1.02", t))).toEqual({
      ok: false,
      reason: "The capture was refused by the issuer",
      errorReason: "REFUSED_BY_ISSUER",
    });

    const found = await pspPaymentProvider.lookup(capture.reference);
    expect(found).toMatchObject({ found: true, operation: "capture", amount: money("60.00") });
    expect(await pspPaymentProvider.lookup("never-asked")).toEqual({ found: false });
    expect((await psp().ledger())[t]).toEqual({
      authorized: "100.00",
      captured: "60.00",
      cancelled: "40.00",
      refunded: "20.00",
    });
  });

  it("keeps amounts exact across the wire, to the last of 5 decimals and 18 digits", async () => {
    const amounts = ["0.00001", "0.1", "1234567890123.45678", "9999999999999.99999", "0.00", "100.10000"];
    const t = ref("transaction");
    let total: Money = money("0");
    for (const amount of amounts) {
      const capture = atProvider(amount, t);
      await pspPaymentProvider.capture(capture);
      const found = await pspPaymentProvider.lookup(capture.reference);
      expect(found.found && found.amount).toBe(money(amount));
      total = (total + money(amount)) as Money;
    }
    expect(money((await psp().ledger())[t].captured)).toBe(total);
  });

  it("maps the card, mobile and self-service ports", async () => {
    const tenKroner = { amount: money("10.00"), currency: "NOK" } as const;
    const card = await pspCardProvider.authorizeCard({
      reference: ref("terminal"),
      card: { number: "5555555555554444", expiryMonth: 2, expiryYear: 2031, cvc: "123", holder: "Kari" },
      ...tenKroner,
      storeCard: true,
    });
    expect(card).toMatchObject({ ok: true, last4: "4444", maskedPan: "555555******4444", scheme: "MASTERCARD" });
    expect(card.ok && card.cardExpiresAt).toEqual(new Date("2031-02-28T23:59:59.999Z"));
    const declined = await pspCardProvider.authorizeCard({
      reference: ref("terminal"),
      card: { number: "4000000000009995", expiryMonth: 2, expiryYear: 2031, cvc: "123", holder: "Kari" },
      ...tenKroner,
      storeCard: false,
    });
    expect(declined).toMatchObject({ ok: false, errorReason: "SOFT_DECLINE" });
    expect(
      await pspCardProvider.chargeStoredCard({
        reference: ref("mit"),
        panHash: card.ok ? card.panHash! : "",
        maskedPan: "555555******4444",
        amount: money("5.00"),
        currency: "NOK",
        initiator: "MERCHANT",
      }),
    ).toMatchObject({ ok: true, rrn: expect.any(String), pspReference: expect.any(String) });

    const claim = {
      reference: ref("vipps:claim"),
      phoneNumber: "+4791234567",
      ...tenKroner,
    };
    const reserved = await pspMobileProvider.reserveClaim(claim);
    expect(reserved).toMatchObject({ ok: true, pspReference: expect.stringMatching(/^vipps-/) });
    expect(await pspMobileProvider.reserveClaim(claim)).toEqual(reserved);
    expect(
      await pspMobileProvider.chargeAgreement({
        reference: ref("vipps:charge"),
        agreementId: "a",
        amount: money("10.05"),
        currency: "NOK",
      }),
    ).toMatchObject({ ok: false, errorReason: "SOFT_DECLINE" });
    const wallet = {
      reference: ref("wallet"),
      walletProvider: "GooglePay",
      card: { last4: "0002", network: "VISA" },
      ...tenKroner,
    } as const;
    expect(await pspMobileProvider.authorizeWallet(wallet)).toEqual({
      ok: false,
      reason: "The issuer refused the GooglePay payment",
      errorReason: "REFUSED_BY_ISSUER",
    });
    const invoice = { reference: ref("collector"), invoiceId: "INV-9", ...tenKroner };
    expect(await pspMobileProvider.authorizeInvoice(invoice)).toMatchObject({
      ok: true,
      pspReference: expect.stringMatching(/^collector-/),
    });
    const selfServiceInvoice = { reference: ref("invoice"), paymentMethod: "nexi", ...tenKroner } as const;
    expect(await pspSelfServiceProvider.payInvoice(selfServiceInvoice)).toMatchObject({
      ok: true,
      pspReference: expect.stringMatching(/^nexi-/),
    });
    const paymentChange = {
      reference: ref("payment-change"),
      paymentMethod: "recurringKlarnaPayment",
      productCode: "X-02",
    } as const;
    expect(await pspSelfServiceProvider.registerPaymentMethod(paymentChange)).toMatchObject({
      ok: false,
      errorReason: "REFUSED_BY_ISSUER",
    });
  });

  it("throws a plain error, not ProviderUnavailable, when the PSP refuses our request as malformed", async () => {
    const capture = atProvider("1.00");
    await pspPaymentProvider.capture(capture);
    await expect(pspPaymentProvider.cancel(capture)).rejects.toBeInstanceOf(PspRequestRefused);
  });
});

describe("no answer to trust", () => {
  it("timeout: gives up after PAYDESK_PSP_TIMEOUT_MS, and the PSP did nothing", async () => {
    vi.stubEnv("PAYDESK_PSP_TIMEOUT_MS", "250");
    await psp().setFaults({ timeoutRate: 1 });
    const capture = atProvider("10.00");
    const started = Date.now();
    expect(await unavailable(pspPaymentProvider.capture(capture))).toBe("timeout");
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(240);
    expect(took).toBeLessThan(1_500);
    await psp().setFaults({});
    expect(await pspPaymentProvider.lookup(capture.reference)).toEqual({ found: false });
  });

  it("timeout on a slow PSP: the effect happened; lookup tells, and a retry replays it", async () => {
    vi.stubEnv("PAYDESK_PSP_TIMEOUT_MS", "200");
    await psp().setFaults({ latencyMs: 1_000, ops: ["capture"] });
    const capture = atProvider("10.00");
    expect(await unavailable(pspPaymentProvider.capture(capture))).toBe("timeout");
    const found = await pspPaymentProvider.lookup(capture.reference);
    expect(found).toMatchObject({ found: true, operation: "capture", answer: { ok: true } });
    await psp().setFaults({});
    expect(await pspPaymentProvider.capture(capture)).toEqual(found.found && found.answer);
    expect((await psp().ledger())[capture.transactionReference].captured).toBe("10.00");
  });

  it("5xx: server_error, and nothing happened", async () => {
    await psp().setFaults({ errorRate: 1 });
    const capture = atProvider("10.00");
    expect(await unavailable(pspPaymentProvider.capture(capture))).toBe("server_error");
    expect(await unavailable(pspPaymentProvider.lookup(capture.reference))).toBe("server_error");
    await psp().setFaults({});
    expect(await pspPaymentProvider.lookup(capture.reference)).toEqual({ found: false });
  });

  it("lost answer: network, though the effect happened", async () => {
    await psp().setFaults({ lostAnswerRate: 1, ops: ["refund"] });
    const reference = ref("refund");
    const refund = {
      reference,
      amount: money("7.50"),
      currency: "NOK",
      paymentType: null,
      paymentTypeGroup: "PAYMENTCARD",
      rrn: null,
      cardNumber: null,
    };
    expect(await unavailable(pspPaymentProvider.refund(refund))).toBe("network");
    expect(await pspPaymentProvider.lookup(reference)).toMatchObject({ found: true, amount: money("7.50") });
  });

  it("no connection, or no PSP configured: network", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const url = process.env.PAYDESK_PSP_URL;
    try {
      process.env.PAYDESK_PSP_URL = `http://127.0.0.1:${port}`;
      expect(await unavailable(pspPaymentProvider.capture(atProvider("1.00")))).toBe("network");
      delete process.env.PAYDESK_PSP_URL;
      expect(await unavailable(pspPaymentProvider.lookup("x"))).toBe("network");
    } finally {
      process.env.PAYDESK_PSP_URL = url;
    }
  });

  describe("an answer that is not the protocol's: bad_answer", () => {
    let answer: { status: number; body: string } = { status: 200, body: "" };
    const fake = http.createServer((_req, res) => {
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(answer.body);
    });
    let url: string | undefined;
    beforeAll(async () => {
      await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", () => resolve()));
      url = process.env.PAYDESK_PSP_URL;
      process.env.PAYDESK_PSP_URL = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      process.env.PAYDESK_PSP_URL = url;
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    });

    it.each([
      ["not JSON", 200, "<html>gateway</html>"],
      ["no envelope", 200, '{"ok":true}'],
      ["another reference", 200, '{"reference":"someone-else","replayed":false,"answer":{"ok":true}}'],
      ["an answer of another shape", 200, '{"reference":"R","replayed":false,"answer":{"ok":"yes"}}'],
      ["a 4xx that is not JSON", 404, "Not Found"],
    ])("%s", async (_name, status, body) => {
      answer = { status, body };
      const capture = { ...atProvider("1.00"), reference: "R" };
      expect(await unavailable(pspPaymentProvider.capture(capture))).toBe("bad_answer");
    });

    it("a lookup whose amount is a JSON number", async () => {
      answer = { status: 200, body: '{"found":true,"operation":"capture","amount":10.5,"answer":{"ok":true}}' };
      expect(await unavailable(pspPaymentProvider.lookup("R"))).toBe("bad_answer");
    });
  });
});

describe("configuration", () => {
  it("reads the URL, the bound (default 3000 ms) and the merchant", () => {
    expect(pspConfig({})).toEqual({ url: null, timeoutMs: 3_000, merchant: "paydesk" });
    expect(
      pspConfig({ PAYDESK_PSP_URL: "http://psp:3001/", PAYDESK_PSP_TIMEOUT_MS: "750", PAYDESK_PSP_MERCHANT: "m" }),
    ).toEqual({ url: "http://psp:3001", timeoutMs: 750, merchant: "m" });
    expect(pspConfig({ PAYDESK_PSP_TIMEOUT_MS: "soon" }).timeoutMs).toBe(3_000);
  });
});
