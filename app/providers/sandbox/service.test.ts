// The sandbox PSP service over HTTP, as any client sees it: the protocol (docs/psp-protocol.md),
// idempotency by reference, the ledger, every fault knob, its memory across restarts, and that no
// card number is ever kept.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPsp, type TestPsp } from "../../../tests/support/psp";
import { ANSWERS, MERCHANT_HEADER, PSP_OPERATIONS, type PspEffectOperation } from "../psp-protocol";
import { faultsFromEnv } from "./faults";

let psp: TestPsp;
beforeAll(async () => {
  psp = await startPsp();
});
afterAll(() => psp?.close());
afterEach(() => psp.service.setFaults({}));

let counter = 0;
const ref = (prefix = "op") => `${prefix}-${++counter}-${Math.random().toString(36).slice(2)}`;

type Reply = { status: number; body: Record<string, unknown> & { answer?: Record<string, unknown> } };

async function post(op: string, body: unknown, options: { merchant?: string; url?: string } = {}): Promise<Reply> {
  const response = await fetch(`${options.url ?? psp.url}/v1/${op}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(options.merchant ? { [MERCHANT_HEADER]: options.merchant } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Reply["body"] };
}

async function get(route: string, merchant?: string, url = psp.url) {
  const response = await fetch(`${url}${route}`, { headers: merchant ? { [MERCHANT_HEADER]: merchant } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const lookup = (reference: string, merchant?: string) =>
  get(`/v1/operations/${encodeURIComponent(reference)}`, merchant).then((r) => r.body);

const money = (amount: string, transactionReference = ref("transaction")) => ({
  amount,
  currency: "NOK",
  transactionReference,
});
const atProvider = (amount: string, transactionReference?: string) => ({
  reference: ref(),
  ...money(amount, transactionReference),
  paymentTypeGroup: "PAYMENTCARD",
});

/** A valid request of every operation, with an amount that succeeds. */
function requestOf(op: PspEffectOperation, amount = "100.00"): Record<string, unknown> {
  const base = { reference: ref(op), ...money(amount) };
  switch (op) {
    case "authorize":
      return { ...base, paymentTypeGroup: "PAYMENTCARD", kind: "PRE_AUTHORIZATION" };
    case "capture":
    case "cancel":
      return { ...base, paymentTypeGroup: "PAYMENTCARD" };
    case "refund":
      return { ...base, paymentType: "VISA", paymentTypeGroup: "PAYMENTCARD", rrn: "123456789012", cardNumber: "1111" };
    case "card-authorize":
      return {
        ...base,
        card: { number: "4111111111111111", expiryMonth: 12, expiryYear: 2099, cvc: "123", holder: "Kari Nordmann" },
        storeCard: true,
      };
    case "card-charge":
      return { ...base, panHash: "ph_x", maskedPan: "411111******1111", initiator: "MERCHANT" };
    case "vipps-claim":
      return { ...base, phoneNumber: "+4791234567" };
    case "vipps-charge":
      return { ...base, agreementId: "agr-1" };
    case "wallet-authorize":
      return { ...base, walletProvider: "ApplePay", card: { last4: "4242", network: "VISA" } };
    case "invoice-authorize":
      return { ...base, invoiceId: "INV-1" };
    case "self-service-pay":
      return { ...base, paymentMethod: "vippsEcommerce" };
    case "self-service-register":
      return { reference: base.reference, paymentMethod: "autoGiro", productCode: "P-100" };
  }
}

const EFFECT_OPERATIONS = PSP_OPERATIONS.filter((op): op is PspEffectOperation => op !== "lookup");

describe("the protocol", () => {
  it.each(EFFECT_OPERATIONS)("%s answers the protocol's approval for a good request", async (op) => {
    const request = requestOf(op);
    const reply = await post(op, request);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ reference: request.reference, replayed: false, answer: { ok: true } });
    expect(ANSWERS[op].safeParse(reply.body.answer).success).toBe(true);
  });

  it.each(
    EFFECT_OPERATIONS.filter(
      (op) => !["refund", "card-authorize", "card-charge", "wallet-authorize", "self-service-register"].includes(op),
    ),
  )("%s declines by the amount's cents: .02 refused, .05 soft decline", async (op) => {
    expect((await post(op, requestOf(op, "100.02"))).body.answer).toMatchObject({
      ok: false,
      errorReason: "REFUSED_BY_ISSUER",
    });
    expect((await post(op, requestOf(op, "7.05"))).body.answer).toMatchObject({
      ok: false,
      errorReason: "SOFT_DECLINE",
    });
  });

  it("declines cards, stored cards, wallets, refunds and registrations by the documented test data", async () => {
    const card = (number: string) => ({
      ...requestOf("card-authorize"),
      card: { ...(requestOf("card-authorize").card as object), number },
    });
    expect((await post("card-authorize", card("4000000000000002"))).body.answer).toMatchObject({
      errorReason: "REFUSED_BY_ISSUER",
    });
    expect((await post("card-authorize", card("4000000000009995"))).body.answer).toMatchObject({
      errorReason: "SOFT_DECLINE",
    });
    expect((await post("card-authorize", card("4111111111111112"))).body.answer).toMatchObject({ ok: false });
    expect(
      (await post("card-charge", { ...requestOf("card-charge"), maskedPan: "400000******0002" })).body.answer,
    ).toMatchObject({ errorReason: "REFUSED_BY_ISSUER" });
    expect(
      (await post("wallet-authorize", { ...requestOf("wallet-authorize"), card: { last4: "9995", network: null } }))
        .body.answer,
    ).toMatchObject({ errorReason: "SOFT_DECLINE" });
    expect((await post("refund", { ...requestOf("refund"), cardNumber: "0002" })).body.answer).toMatchObject({
      ok: false,
      errorReason: "REFUSED_BY_ISSUER",
    });
    expect(
      (await post("self-service-register", { ...requestOf("self-service-register"), productCode: "P-02" })).body.answer,
    ).toMatchObject({ ok: false, errorReason: "REFUSED_BY_ISSUER" });
  });

  it("answers a card approval with what may be kept of the card, and a panHash only when it is to be stored", async () => {
    const stored = (await post("card-authorize", requestOf("card-authorize"))).body.answer!;
    expect(stored).toMatchObject({ last4: "1111", maskedPan: "411111******1111", scheme: "VISA" });
    expect(stored.cardExpiresAt).toBe("2099-12-31T23:59:59.999Z");
    expect(stored.panHash).toMatch(/^ph_/);
    const once = (await post("card-authorize", { ...requestOf("card-authorize"), storeCard: false })).body.answer!;
    expect(once.panHash).toBeNull();
  });

  it("refuses amounts that are not decimal strings, and malformed requests, without acting", async () => {
    const request = requestOf("capture");
    for (const amount of [100, "1e3", "-1.00", "01.00", "1.000001", " 1.00"]) {
      const reply = await post("capture", { ...request, amount });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe("bad_request");
    }
    expect((await post("capture", "{not json")).status).toBe(400);
    expect((await post("capture", { ...request, currency: "nok" })).status).toBe(400);
    expect((await post("no-such-operation", request)).status).toBe(404);
    expect((await get("/v1/operations/x", "bad merchant!")).status).toBe(400);
    expect(await lookup(request.reference as string)).toEqual({ found: false });
  });

  it("never echoes a card number in a refusal", async () => {
    const request = requestOf("card-authorize");
    const reply = await post("card-authorize", { ...request, card: { ...(request.card as object), cvc: "12345" } });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).not.toContain("4111111111111111");
    expect(JSON.stringify(reply.body)).toContain("card.cvc");
  });

  it("looks an operation up by reference: what it was, its amount, and the answer given", async () => {
    const request = requestOf("vipps-charge", "12.34567");
    const first = await post("vipps-charge", request);
    expect(await lookup(request.reference as string)).toEqual({
      found: true,
      operation: "vipps-charge",
      amount: "12.34567",
      answer: first.body.answer,
    });
    const registration = requestOf("self-service-register");
    await post("self-service-register", registration);
    expect(await lookup(registration.reference as string)).toMatchObject({ found: true, amount: null });
    expect(await lookup("never-seen")).toEqual({ found: false });
  });
});

describe("idempotency by reference", () => {
  it("answers a repeat with the first outcome and no second effect", async () => {
    const transaction = ref("transaction");
    const capture = atProvider("40.00", transaction);
    const first = await post("capture", capture);
    const again = await post("capture", { ...capture, amount: "99.00" });
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect((await get(`/v1/ledger/${transaction}`)).body).toMatchObject({ captured: "40.00" });
  });

  it("records one operation however many requests race with the same reference", async () => {
    const transaction = ref("transaction");
    const refund = { ...requestOf("refund", "5.00"), transactionReference: transaction };
    const replies = await Promise.all(Array.from({ length: 25 }, () => post("refund", refund)));
    expect(new Set(replies.map((r) => JSON.stringify(r.body.answer))).size).toBe(1);
    expect(replies.filter((r) => !r.body.replayed)).toHaveLength(1);
    expect((await get(`/v1/ledger/${transaction}`)).body).toMatchObject({ refunded: "5.00" });
  });

  it("refuses a reference that names another operation (409), and keeps references apart per merchant", async () => {
    const capture = atProvider("1.00");
    await post("capture", capture);
    const conflict = await post("cancel", capture);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe("reference_conflict");
    const elsewhere = await post("cancel", capture, { merchant: "other-shop" });
    expect(elsewhere.body).toMatchObject({ replayed: false, answer: { ok: true } });
    expect((await lookup(capture.reference, "other-shop")).operation).toBe("cancel");
    expect((await lookup(capture.reference)).operation).toBe("capture");
  });
});

describe("the ledger", () => {
  it("sums each kind per transaction reference, exactly, as decimal strings; declines change nothing", async () => {
    const t = ref("transaction");
    await post("authorize", { ...atProvider("100.00", t), kind: "PRE_AUTHORIZATION" });
    await post("authorize", { ...atProvider("150.00001", t), kind: "INCREMENTAL" });
    await post("capture", atProvider("60.00", t));
    await post("capture", atProvider("0.00001", t));
    await post("capture", atProvider("10.02", t)); // refused
    await post("refund", { ...requestOf("refund", "10.5"), transactionReference: t });
    await post("refund", { ...requestOf("refund", "0.1"), transactionReference: t });
    await post("cancel", atProvider("90.00000", t));
    const line = { authorized: "150.00001", captured: "60.00001", cancelled: "90.00", refunded: "10.60" };
    expect((await get(`/v1/ledger/${t}`)).body).toEqual(line);
    expect((await psp.ledger("paydesk"))[t]).toEqual(line);
    expect((await get(`/v1/ledger/${t}`, "other-shop")).status).toBe(404);
  });

  it("books card, mobile and self-service operations that name their transaction", async () => {
    const t = ref("transaction");
    await post("card-authorize", { ...requestOf("card-authorize", "30.00"), transactionReference: t });
    const s = ref("transaction");
    await post("self-service-pay", { ...requestOf("self-service-pay", "25.50"), transactionReference: s });
    const ledger = await psp.ledger("paydesk");
    expect(ledger[t]).toEqual({ authorized: "30.00", captured: "0.00", cancelled: "0.00", refunded: "0.00" });
    expect(ledger[s]).toEqual({ authorized: "25.50", captured: "25.50", cancelled: "0.00", refunded: "0.00" });
  });

  it("books a card sale (capture: true, the merchant's autoSale) as authorized and captured at once", async () => {
    const typed = ref("transaction");
    await post("card-authorize", {
      ...requestOf("card-authorize", "40.00"),
      transactionReference: typed,
      capture: true,
    });
    const stored = ref("transaction");
    await post("card-charge", { ...requestOf("card-charge", "20.00001"), transactionReference: stored, capture: true });
    const notSale = ref("transaction");
    await post("card-charge", { ...requestOf("card-charge", "7.00"), transactionReference: notSale, capture: false });
    const ledger = await psp.ledger("paydesk");
    expect(ledger[typed]).toEqual({ authorized: "40.00", captured: "40.00", cancelled: "0.00", refunded: "0.00" });
    expect(ledger[stored]).toEqual({
      authorized: "20.00001",
      captured: "20.00001",
      cancelled: "0.00",
      refunded: "0.00",
    });
    expect(ledger[notSale]).toEqual({ authorized: "7.00", captured: "0.00", cancelled: "0.00", refunded: "0.00" });
  });
});

describe("fault knobs", () => {
  /** fetch with a bound of its own: "timeout" when the PSP has not answered within `ms`. */
  async function postWithin(ms: number, op: string, body: unknown) {
    try {
      const response = await fetch(`${psp.url}/v1/${op}`, {
        method: "POST",
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ms),
      });
      return { status: response.status, body: await response.json() };
    } catch (error) {
      return { error: (error as Error).name === "TimeoutError" ? "timeout" : "network" };
    }
  }

  it("timeout: never answers, and does nothing", async () => {
    await psp.setFaults({ timeoutRate: 1 });
    const capture = atProvider("10.00");
    expect(await postWithin(400, "capture", capture)).toEqual({ error: "timeout" });
    await psp.setFaults({});
    expect(await lookup(capture.reference)).toEqual({ found: false });
    expect((await get(`/v1/ledger/${capture.transactionReference}`)).status).toBe(404);
  });

  it("error: answers 503, and does nothing", async () => {
    await psp.setFaults({ errorRate: 1 });
    const capture = atProvider("10.00");
    expect(await postWithin(2_000, "capture", capture)).toMatchObject({ status: 503, body: { error: "unavailable" } });
    await psp.setFaults({});
    expect(await lookup(capture.reference)).toEqual({ found: false });
  });

  it("lost answer: does the work, then drops the connection without answering", async () => {
    await psp.setFaults({ lostAnswerRate: 1 });
    const capture = atProvider("10.00");
    expect(await postWithin(2_000, "capture", capture)).toEqual({ error: "network" });
    await psp.setFaults({});
    expect(await lookup(capture.reference)).toMatchObject({ found: true, operation: "capture", amount: "10.00" });
    expect((await get(`/v1/ledger/${capture.transactionReference}`)).body).toMatchObject({ captured: "10.00" });
    // The retry gets the first answer (replayed), with no second capture.
    expect(await postWithin(2_000, "capture", capture)).toMatchObject({ status: 200, body: { replayed: true } });
    expect((await get(`/v1/ledger/${capture.transactionReference}`)).body).toMatchObject({ captured: "10.00" });
  });

  it("latency: the answer comes after latencyMs, the effect before it", async () => {
    await psp.setFaults({ latencyMs: 300 });
    const capture = atProvider("10.00");
    const started = Date.now();
    const answered = postWithin(5_000, "capture", capture);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(psp.service.memory.find("paydesk", capture.reference)).toBeDefined();
    expect(await answered).toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("aims at the operations named in `ops` only, lookup included", async () => {
    await psp.setFaults({ errorRate: 1, ops: ["capture", "lookup"] });
    expect((await postWithin(2_000, "capture", atProvider("1.00"))).status).toBe(503);
    expect((await postWithin(2_000, "cancel", atProvider("1.00"))).status).toBe(200);
    expect((await get("/v1/operations/x")).status).toBe(503);
    expect((await get("/v1/ledger")).status).toBe(200);
  });

  it("with a budget (`times`), applies to that many calls of `ops` only, then stops; calls are counted, faulted ones too", async () => {
    const merchant = ref("merchant");
    await psp.setFaults({ errorRate: 1, ops: ["capture"], times: 2 });
    const statusOf = async (op: string) => (await post(op, atProvider("1.00"), { merchant })).status;
    expect(await statusOf("cancel")).toBe(200); // not aimed at: spends nothing
    expect([await statusOf("capture"), await statusOf("capture"), await statusOf("capture")]).toEqual([503, 503, 200]);
    expect((await get("/admin/faults")).body).toMatchObject({ errorRate: 1, times: 0 });
    await lookup("nothing", merchant);
    expect((await get("/admin/calls")).body.calls).toMatchObject({ [merchant]: { capture: 3, cancel: 1, lookup: 1 } });
  });

  it("is set and read over the admin endpoint, which checks the knobs", async () => {
    await psp.setFaults({ latencyMs: 5, lostAnswerRate: 0.25, ops: ["refund"] });
    expect((await get("/admin/faults")).body).toEqual({
      latencyMs: 5,
      timeoutRate: 0,
      errorRate: 0,
      lostAnswerRate: 0.25,
      ops: ["refund"],
      times: null,
    });
    for (const bad of [{ errorRate: 2 }, { latencyMs: -1 }, { ops: ["fly"] }, { timeoutRate: "0.5" }, { times: -1 }]) {
      const response = await fetch(`${psp.url}/admin/faults`, { method: "PUT", body: JSON.stringify(bad) });
      expect(response.status).toBe(400);
    }
  });

  it("applies a rate to about that share of requests", async () => {
    await psp.setFaults({ errorRate: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () => postWithin(5_000, "capture", atProvider("1.00")).then((r) => r.status)),
    );
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
  });

  it("reads the knobs from the PSP's environment", () => {
    expect(
      faultsFromEnv({
        PAYDESK_PSP_LATENCY_MS: "300",
        PAYDESK_PSP_TIMEOUT_RATE: "0.2",
        PAYDESK_PSP_ERROR_RATE: "0",
        PAYDESK_PSP_LOST_ANSWER_RATE: "0.1",
        PAYDESK_PSP_FAULT_OPS: "capture, refund",
      }),
    ).toEqual({
      latencyMs: 300,
      timeoutRate: 0.2,
      errorRate: 0,
      lostAnswerRate: 0.1,
      ops: ["capture", "refund"],
      times: null,
    });
    expect(faultsFromEnv({})).toEqual({
      latencyMs: 0,
      timeoutRate: 0,
      errorRate: 0,
      lostAnswerRate: 0,
      ops: null,
      times: null,
    });
    expect(() => faultsFromEnv({ PAYDESK_PSP_TIMEOUT_RATE: "lots" })).toThrow(/PAYDESK_PSP_/);
    expect(() => faultsFromEnv({ PAYDESK_PSP_FAULT_OPS: "capture,fly" })).toThrow(/PAYDESK_PSP_FAULT_OPS/);
  });
});

describe("its memory on disk", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const newDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-psp-"));
    dirs.push(dir);
    return dir;
  };

  it("is replayed on start: references, answers and the ledger survive a restart", async () => {
    const dataDir = newDir();
    const first = await startPsp({ dataDir });
    const t = ref("transaction");
    const capture = atProvider("33.33333", t);
    const answered = await post("capture", capture, { url: first.url, merchant: "m1" });
    await post(
      "refund",
      { ...requestOf("refund", "3.3"), transactionReference: t },
      { url: first.url, merchant: "m1" },
    );
    await first.close();

    // A crash while a line was being written leaves half a line at the end: it is skipped.
    fs.appendFileSync(path.join(dataDir, "operations.jsonl"), '{"merchant":"m1","refer');
    const second = await startPsp({ dataDir });
    try {
      const again = await post("capture", capture, { url: second.url, merchant: "m1" });
      expect(again.body).toEqual({ ...answered.body, replayed: true });
      expect(await second.ledger("m1")).toEqual({
        [t]: { authorized: "0.00", captured: "33.33333", cancelled: "0.00", refunded: "3.30" },
      });
      // What it records after that crash is kept on lines of its own, readable at the next start.
      await post("cancel", atProvider("1.00", t), { url: second.url, merchant: "m1" });
    } finally {
      await second.close();
    }
    const third = await startPsp({ dataDir });
    try {
      expect(await third.ledger("m1")).toEqual({
        [t]: { authorized: "0.00", captured: "33.33333", cancelled: "1.00", refunded: "3.30" },
      });
    } finally {
      await third.close();
    }
  });

  it("keeps a card sale (capture: true) across a restart as authorized and captured", async () => {
    const dataDir = newDir();
    const first = await startPsp({ dataDir });
    const t = ref("transaction");
    await post(
      "card-charge",
      { ...requestOf("card-charge", "12.34"), transactionReference: t, capture: true },
      { url: first.url },
    );
    await first.close();
    const second = await startPsp({ dataDir });
    try {
      expect((await second.ledger("paydesk"))[t]).toEqual({
        authorized: "12.34",
        captured: "12.34",
        cancelled: "0.00",
        refunded: "0.00",
      });
    } finally {
      await second.close();
    }
  });

  it("never holds a card number, CVC or card holder, in the file or in memory", async () => {
    const dataDir = newDir();
    const service = await startPsp({ dataDir });
    const numbers = ["4111111111111111", "4000000000000002", "4000000000009995", "378282246310005"];
    try {
      for (const number of numbers) {
        const request = requestOf("card-authorize");
        const card = {
          ...(request.card as object),
          number,
          cvc: number.startsWith("37") ? "7373" : "737",
          holder: "Ola Secret",
        };
        const reply = await post("card-authorize", { ...request, card }, { url: service.url });
        expect(reply.status).toBe(200);
        expect(JSON.stringify(reply.body)).not.toContain(number);
      }
      const file = fs.readFileSync(path.join(dataDir, "operations.jsonl"), "utf8");
      const memory = JSON.stringify(service.service.memory.dump());
      const overHttp = JSON.stringify((await get("/admin/operations", undefined, service.url)).body);
      expect(file.split("\n").filter(Boolean)).toHaveLength(numbers.length);
      for (const text of [file, memory, overHttp]) {
        for (const number of numbers) expect(text).not.toContain(number);
        expect(text).not.toMatch(/(?<![0-9])[0-9]{13,19}(?![0-9])/);
        expect(text).not.toContain("Ola Secret");
        expect(text).not.toMatch(/"cvc"|"737"|"7373"/);
        expect(text).toContain("411111******1111");
      }
    } finally {
      await service.close();
    }
  });
});
