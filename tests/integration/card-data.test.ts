// Card data never lands anywhere (only last 4 digits and the masked PAN are stored,
// logged or shown). The card flows run against the real server as a child process with debug
// logging: approvals, both declines, invalid input, a stored card and its merchant-initiated
// charge, autoSale with a callback, and the JSON (JavaScript) variant of the form POST. Then
// every text/json column of every table and the server's whole output are scanned for card
// numbers: digit runs of 13–19 digits that pass the Luhn check, plus every number the test typed.
// So are the sandbox PSP's (a process of its own here, logging at debug): its output, its memory
// and its file (the card number crosses to it in the authorize request, and must stop there).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findCardNumbers,
  rowsOf,
  scanDatabase as scanDatabaseFor,
  scanText as scanTextFor,
} from "../support/card-scan";
import type { Db } from "../../db/client";
import { forkPsp, type PspProcess } from "../../server/psp-process";
import { randomPort, startServerProcess, stopServerProcess, type ServerProcess } from "../support/process";
import { apiClientToken, useSharedDatabase } from "../support/fixtures-process";

const SHOP = "https://shop.example/";
/** Every card number typed below, Luhn-valid or not: none may appear anywhere, in any form. */
const TYPED = [
  "4111111111111111",
  "4000000000000002",
  "4000000000009995",
  "5105105105105100",
  "5555555555554444",
  "378282246310005",
  "6011111111111117",
  "4111111111111112",
];

const scanText = (where: string, text: string) => scanTextFor(where, text, TYPED);
const scanDatabase = (db: Db) => scanDatabaseFor(db, TYPED);

describe("the card-number scanner", () => {
  it("finds planted card numbers and ignores what only looks like digits", () => {
    // (Windows of a long run may pass Luhn too, so a PAN can yield more than itself.)
    expect(findCardNumbers("note: 4111111111111111 typed")).toContain("4111111111111111");
    expect(findCardNumbers('{"pan":"4000000000000002"}')).toContain("4000000000000002");
    expect(findCardNumbers("amex 378282246310005.")).toContain("378282246310005");
    expect(findCardNumbers("/pay?n=%204111111111111111")).toContain("4111111111111111");
    // Deliberately over-sensitive: a Luhn-invalid 16-digit run still counts when a window of it
    // passes, since no standalone run of 13+ digits has any business being in our data.
    expect(findCardNumbers("4111111111111112")).toEqual(["1111111111112"]);
    expect(findCardNumbers("4111111111113")).toEqual([]); // 13 digits, fails Luhn
    expect(findCardNumbers("411111111111")).toEqual([]); // 12 digits: too short for a PAN
    expect(findCardNumbers("rrn 123456789012, id 42, 2026-11-21T09:49:20.123Z, 100.00000")).toEqual([]);
    expect(findCardNumbers("hash ab4111111111111111cd")).toEqual([]); // inside a hex/base64 token
    expect(scanText("x", "pan4111111111111111")).toEqual([{ where: "x", value: "typed 4111111111111111" }]);
    expect(scanText("x", "411111******1111 and last 4 1111")).toEqual([]);
  });
});

describe("card data after the card flows", () => {
  const database = useSharedDatabase("carddata");
  let server: ServerProcess | undefined;
  let token: string;
  const responses: { where: string; text: string }[] = [];
  const pspDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paydesk-carddata-psp-"));
  let psp: PspProcess | undefined;
  let pspOutput = "";
  const sharedPsp = process.env.PAYDESK_PSP_URL;

  beforeAll(async () => {
    psp = await forkPsp(
      { ...process.env, PAYDESK_PSP_PORT: "0", PAYDESK_PSP_DATA_DIR: pspDataDir, LOG_LEVEL: "debug" },
      { onOutput: (text) => (pspOutput += text) },
    );
    process.env.PAYDESK_PSP_URL = psp.url;
    token = await apiClientToken(database, {
      name: "Card data test",
      organisationId: 1901,
      privileged: true,
      channels: ["web"],
      allowedRedirectPrefixes: [SHOP, "http://127.0.0.1:9/"],
      rateLimitPerMinute: 100_000,
    });
    server = await startServerProcess(database, randomPort(), { LOG_LEVEL: "debug" });
  });

  afterAll(async () => {
    if (server) await stopServerProcess(server);
    process.env.PAYDESK_PSP_URL = sharedPsp;
    psp?.stop();
    fs.rmSync(pspDataDir, { recursive: true, force: true });
  });

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server!.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        "ET-Client-Name": "paydesk-card-data-test",
        "Content-Type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    responses.push({ where: `${method} ${path}`, text });
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function terminal(body: Record<string, unknown> = {}, payment: Record<string, unknown> = {}) {
    const created = await api("POST", "/v1/payments", {
      totalAmount: "60.00",
      transaction: { paymentType: "VISA" },
      ...payment,
    });
    expect(created.status).toBe(201);
    const paymentId = created.body.paymentId as number;
    const transactionId = created.body.transactions[0].transactionId as number;
    const opened = await api("POST", `/v1/payments/${paymentId}/transactions/${transactionId}/terminal`, {
      redirectUrl: `${SHOP}return`,
      ...body,
    });
    expect(opened.status).toBe(201);
    return {
      paymentId,
      transactionId,
      uri: opened.body.terminalUri as string,
      recurringPaymentId: opened.body.recurringPaymentId as number | undefined,
    };
  }

  async function submit(uri: string, fields: Record<string, string>, asJavaScript = false) {
    const target = asJavaScript ? `${uri}?_data=${encodeURIComponent("routes/sandbox.card.$token")}` : uri;
    const response = await fetch(target, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server!.url },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
    const text = await response.text();
    responses.push({
      where: `POST ${uri}`,
      text: `${response.headers.get("location") ?? ""}\n${response.headers.get("x-remix-redirect") ?? ""}\n${text}`,
    });
    return response.status;
  }

  const card = (cardNumber: string, more: Record<string, string> = {}) => ({
    intent: "pay",
    cardNumber,
    expiry: "11/29",
    cvc: "123",
    cardholder: "Ola Nordmann",
    ...more,
  });

  it("runs every card flow, then finds no card number in any column, log line or response", async () => {
    // Declines, then an approval, on one terminal.
    const first = await terminal({ callbackUrl: "http://127.0.0.1:9/callback" });
    expect(await submit(first.uri, card("4000000000000002"))).toBe(402);
    expect(await submit(first.uri, card("4000000000009995"))).toBe(402);
    expect(await submit(first.uri, card("4000000000000002"), true)).toBe(402);
    // Invalid input with real-looking numbers: wrong Luhn, unsupported scheme, past expiry, bad CVC.
    expect(await submit(first.uri, card("4111111111111112"))).toBe(400);
    expect(await submit(first.uri, card("6011111111111117"))).toBe(400);
    expect(await submit(first.uri, card("5555555555554444", { expiry: "01/21" }))).toBe(400);
    expect(await submit(first.uri, card("4111111111111111", { cvc: "12" }), true)).toBe(400);
    expect(await submit(first.uri, card("4111 1111 1111 1111"))).toBe(302);
    // After completion, a further attempt.
    expect(await submit(first.uri, card("5555555555554444"))).toBe(409);

    // Soft decline then Cancel.
    const cancelled = await terminal();
    expect(await submit(cancelled.uri, card("4000000000009995"))).toBe(402);
    expect(await submit(cancelled.uri, { intent: "cancel" })).toBe(302);

    // autoSale with an AMEX, approved through the JavaScript (fetch) variant.
    const amex = await terminal({ autoSale: true, callbackUrl: "http://127.0.0.1:9/callback" });
    expect(await submit(amex.uri, card("378282246310005", { cvc: "1234" }), true)).toBe(204);

    // A stored card, and a merchant-initiated charge of it.
    const stored = await terminal({ storePayment: true }, { customerNumber: "5550001" });
    expect(stored.recurringPaymentId).toEqual(expect.any(Number));
    expect(await submit(stored.uri, card("5105105105105100"))).toBe(302);
    const mitPayment = await api("POST", "/v1/payments", {
      totalAmount: "15.00",
      customerNumber: "5550001",
      transaction: { recurringPaymentId: stored.recurringPaymentId },
    });
    const mitTransaction = mitPayment.body.transactions[0].transactionId;
    const mit = await api("POST", `/v1/payments/${mitPayment.body.paymentId}/transactions/${mitTransaction}/terminal`, {
      redirectUrl: `${SHOP}return`,
      transactionType: "MIT_UCOF",
    });
    expect(mit.status).toBe(201);

    // What the API shows: last 4 only.
    const approved = await api("GET", `/v1/payments/${first.paymentId}/transactions/${first.transactionId}`);
    expect(approved.body).toMatchObject({ status: "AUTHORIZED", cardNumber: "1111" });
    const captured = await api("GET", `/v1/payments/${amex.paymentId}/transactions/${amex.transactionId}`);
    expect(captured.body).toMatchObject({ status: "CAPTURED", cardNumber: "0005" });
    const charged = await api("GET", `/v1/payments/${mitPayment.body.paymentId}/transactions/${mitTransaction}`);
    expect(charged.body).toMatchObject({ status: "AUTHORIZED", cardNumber: "5100" });

    // Stop the server (PGlite: the database can be opened here only then) and take its output.
    await stopServerProcess(server!, "SIGTERM");
    const output = server!.output();
    server = undefined;
    // The logs were captured: request lines of the card page at debug level, and the declines.
    expect(output).toContain("/sandbox/card/");
    expect(output).toContain("card terminal declined");
    expect(output).toContain("card terminal approved");

    const logFindings = scanText("server output", output);
    // The PSP: its log (debug: a line per operation), its memory over HTTP, and its file.
    expect(pspOutput).toContain("psp operation");
    const pspMemory = await (await fetch(`${psp!.url}/admin/operations`)).text();
    const pspFile = fs.readFileSync(path.join(pspDataDir, "operations.jsonl"), "utf8");
    expect(pspFile).toContain("510510******5100");
    const pspFindings = [
      ...scanText("PSP output", pspOutput),
      ...scanText("PSP memory", pspMemory),
      ...scanText("PSP file", pspFile),
    ];
    expect(pspFindings).toEqual([]);
    const responseFindings = responses.flatMap((r) => scanText(`response to ${r.where}`, r.text));

    await database.withDatabase(async (handle) => {
      const scan = await scanDatabase(handle.db);
      expect(scan.columns).toBeGreaterThan(50);
      expect(scan.values).toBeGreaterThan(100);
      expect([...scan.findings, ...logFindings, ...responseFindings]).toEqual([]);

      // What is stored of the cards is there (so the scan looked at the right rows).
      const stored = rowsOf(await handle.db.execute(sql`select masked_pan, recurring_status from recurring_payments`));
      expect(stored).toEqual([{ masked_pan: "510510******5100", recurring_status: "ACTIVE" }]);
      const last4 = rowsOf(
        await handle.db.execute(
          sql`select card_number from payment_transactions where card_number is not null order by transaction_id`,
        ),
      );
      expect(last4.map((r) => r.card_number)).toEqual(["1111", "0005", "5100", "5100"]);

      // And the scan does find a card number where one is planted (the test can fail).
      await handle.db.execute(
        sql`update provider_sessions set options = options || '{"note": "4111111111111111"}'::jsonb where id = (select min(id) from provider_sessions)`,
      );
      await handle.db.execute(
        sql`update payments set settlement_id = 'S 5105105105105100' where payment_id = ${first.paymentId}`,
      );
      const planted = await scanDatabase(handle.db);
      expect([...new Set(planted.findings.map((f) => f.where))].sort()).toEqual([
        "public.payments.settlement_id",
        "public.provider_sessions.options",
      ]);
      expect(planted.findings.map((f) => f.value)).toContain("4111111111111111");
      expect(planted.findings.map((f) => f.value)).toContain("typed 5105105105105100");
    });
  });
});
