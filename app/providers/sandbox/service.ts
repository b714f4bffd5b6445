// The sandbox PSP as an HTTP service (node:http, no framework): the protocol of
// app/providers/psp-protocol.ts, documented in docs/psp-protocol.md. It runs in a process of its
// own (server/psp.ts, started by `npm start` or `npm run psp`) or inside a test
// (tests/support/psp.ts); Paydesk reaches it only over HTTP, through app/providers/psp-http.server.ts.
//
//   POST /v1/<operation>               an operation; the first outcome under a reference wins
//   GET  /v1/operations/<reference>    status by reference (lookup)
//   GET  /v1/ledger[/<transactionRef>] the ledger per transaction reference
//   GET  /admin/faults, PUT /admin/faults  the fault knobs (faults.ts)
//   GET  /admin/operations             everything the PSP remembers (tests: nothing card-like in it)
//   GET  /admin/calls                  how many calls of each operation each merchant made, faulted ones too
//   GET  /healthz
//
// Request bodies are never logged or echoed (card-authorize carries a PAN).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { logger } from "../../platform/logger.server";
import {
  DEFAULT_MERCHANT,
  FAULTS,
  MERCHANT_HEADER,
  PSP_OPERATIONS,
  REQUESTS,
  wireAmount,
  type Faults,
  type PspEffectOperation,
  type PspOperation,
  type PspRequest,
} from "../psp-protocol";
import { decideFaults, NO_FAULTS, spendFaults } from "./faults";
import { PspMemory, SALE, type Answer } from "./memory";
import {
  byAmount,
  decideCardAuthorization,
  decidePaymentMethodRegistration,
  decideRefund,
  decideStoredCardCharge,
  decideWallet,
  pspReference,
  sandboxRrn,
  schemeReference,
} from "./rules";
import { money } from "../../domain/money";

export type PspServiceOptions = {
  /** Where operations.jsonl is kept; null or undefined: memory only. */
  dataDir?: string | null;
  faults?: Partial<Faults>;
  /** Where fault decisions draw their chances from (a test's seeded generator); Math.random by default. */
  random?: () => number;
};

export type PspService = {
  server: http.Server;
  memory: PspMemory;
  faults(): Faults;
  setFaults(faults: Partial<Faults>): Faults;
  /** Listens and resolves with the base URL (port 0: a free port). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
};

const MAX_BODY = 64 * 1024;
const EFFECT_OPERATIONS = new Set<string>(PSP_OPERATIONS.filter((op) => op !== "lookup"));

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** One operation and its checked request. */
type Call = { [O in PspEffectOperation]: { op: O; request: PspRequest<O> } }[PspEffectOperation];

const approved = <T extends object>(fields: T) => ({ ok: true as const, ...fields });

/** The outcome of an operation, decided once for its reference. */
function decide(call: Call): Answer {
  switch (call.op) {
    case "authorize":
    case "capture":
    case "cancel": {
      const what = { authorize: "The authorization", capture: "The capture", cancel: "The cancellation" }[call.op];
      return (
        byAmount(money(call.request.amount), what) ?? approved({ rrn: sandboxRrn(), pspReference: pspReference() })
      );
    }
    case "refund":
      return decideRefund(call.request.cardNumber) ?? approved({ rrn: sandboxRrn() });
    case "card-authorize": {
      const outcome = decideCardAuthorization(call.request.card, call.request.storeCard);
      return outcome.ok ? { ...outcome, cardExpiresAt: outcome.cardExpiresAt.toISOString() } : outcome;
    }
    case "card-charge":
      return (
        decideStoredCardCharge(call.request.maskedPan) ?? approved({ rrn: sandboxRrn(), pspReference: pspReference() })
      );
    case "vipps-claim":
    case "vipps-charge": {
      const what = call.op === "vipps-claim" ? "The Vipps payment" : "The Vipps agreement charge";
      return (
        byAmount(money(call.request.amount), what) ??
        approved({ pspReference: schemeReference("vipps", call.request.reference) })
      );
    }
    case "wallet-authorize":
      return decideWallet(call.request.walletProvider, call.request.card.last4) ?? approved({ rrn: sandboxRrn() });
    case "invoice-authorize":
      return (
        byAmount(money(call.request.amount), "The invoice (Collector credit check)") ??
        approved({ pspReference: schemeReference("collector", call.request.reference) })
      );
    case "self-service-pay":
      return (
        byAmount(money(call.request.amount), "The invoice payment") ??
        approved({ pspReference: schemeReference(call.request.paymentMethod, call.request.reference) })
      );
    case "self-service-register":
      return (
        decidePaymentMethodRegistration(call.request.productCode) ??
        approved({ pspReference: schemeReference(call.request.paymentMethod, call.request.reference) })
      );
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest(413, "too_large", `the body is over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadRequest(400, "bad_request", "the body is not JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const sleep = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

function merchantOf(req: IncomingMessage): string {
  const value = req.headers[MERCHANT_HEADER.toLowerCase()];
  if (value === undefined) return DEFAULT_MERCHANT;
  if (typeof value !== "string" || !/^[A-Za-z0-9._:-]{1,128}$/.test(value))
    throw new BadRequest(400, "bad_request", `${MERCHANT_HEADER} must be 1-128 of A-Z a-z 0-9 . _ : -`);
  return value;
}

export function createPspService(options: PspServiceOptions = {}): PspService {
  const memory = new PspMemory(options.dataDir ?? null);
  let faults: Faults = FAULTS.parse({ ...NO_FAULTS, ...options.faults });
  /** Calls per merchant and operation, counted as they arrive (before any fault). */
  const calls = new Map<string, Partial<Record<PspOperation, number>>>();

  /** Counts a call, and decides its faults (spending one of their budget when they apply). */
  function arrive(op: PspOperation, merchant: string) {
    const counts = calls.get(merchant) ?? {};
    counts[op] = (counts[op] ?? 0) + 1;
    calls.set(merchant, counts);
    const fault = decideFaults(faults, op, options.random);
    faults = spendFaults(faults, op);
    return fault;
  }

  async function operation(req: IncomingMessage, res: ServerResponse, op: PspEffectOperation, merchant: string) {
    const parsed = REQUESTS[op].safeParse(await readJson(req));
    if (!parsed.success) {
      // Paths and messages only: zod's issues could quote the input, and the input may be a PAN.
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new BadRequest(400, "bad_request", problems.join("; "));
    }
    const request = parsed.data;
    const fault = arrive(op, merchant);
    if (fault.before === "timeout") return hang(res);
    if (fault.before === "error") {
      await sleep(fault.latencyMs);
      return send(res, 503, { error: "unavailable", detail: "the PSP is unavailable (fault knob); nothing was done" });
    }
    const existing = memory.find(merchant, request.reference);
    if (existing && existing.operation !== op) {
      throw new BadRequest(409, "reference_conflict", `the reference names an earlier ${existing.operation}`);
    }
    const record =
      existing ??
      memory.record({
        merchant,
        reference: request.reference,
        operation: op,
        transactionReference: ("transactionReference" in request && request.transactionReference) || null,
        amount: "amount" in request ? money(request.amount) : null,
        kind: "kind" in request ? String(request.kind) : "capture" in request && request.capture ? SALE : null,
        answer: decide({ op, request } as Call),
      });
    logger.debug("psp operation", { operation: op, merchant, reference: request.reference, replayed: !!existing });
    await sleep(fault.latencyMs);
    if (fault.loseAnswer) return res.socket?.destroy();
    send(res, 200, { reference: request.reference, replayed: Boolean(existing), answer: record.answer });
  }

  async function lookup(res: ServerResponse, reference: string, merchant: string) {
    const fault = arrive("lookup", merchant);
    if (fault.before === "timeout") return hang(res);
    await sleep(fault.latencyMs);
    if (fault.before === "error") return send(res, 503, { error: "unavailable", detail: "the PSP is unavailable" });
    if (fault.loseAnswer) return res.socket?.destroy();
    const record = memory.find(merchant, reference);
    if (!record) return send(res, 200, { found: false });
    const { operation: op, amount, answer } = record;
    send(res, 200, { found: true, operation: op, amount: amount === null ? null : wireAmount(amount), answer });
  }

  /** Never answers: the request stays open until the caller gives up (or the PSP closes). */
  function hang(_res: ServerResponse) {
    logger.debug("psp fault: not answering");
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://psp");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/healthz") return send(res, 200, { ok: true });
    if (parts[0] === "admin" && parts[1] === "faults" && parts.length === 2) {
      if (method === "GET") return send(res, 200, faults);
      if (method === "PUT") {
        const parsed = FAULTS.safeParse(await readJson(req));
        if (!parsed.success)
          throw new BadRequest(400, "bad_request", parsed.error.issues.map((i) => i.message).join("; "));
        faults = parsed.data;
        logger.info("psp faults set", faults);
        return send(res, 200, faults);
      }
    }
    if (method === "GET" && parts[0] === "admin" && parts[1] === "operations" && parts.length === 2)
      return send(res, 200, { operations: memory.dump() });
    if (method === "GET" && parts[0] === "admin" && parts[1] === "calls" && parts.length === 2)
      return send(res, 200, { calls: Object.fromEntries(calls) });
    if (parts[0] !== "v1") throw new BadRequest(404, "not_found", "no such path");
    const merchant = merchantOf(req);
    if (method === "POST" && parts.length === 2 && EFFECT_OPERATIONS.has(parts[1]))
      return operation(req, res, parts[1] as PspEffectOperation, merchant);
    if (method === "GET" && parts[1] === "operations" && parts.length === 3) return lookup(res, parts[2], merchant);
    if (method === "GET" && parts[1] === "ledger" && parts.length === 2)
      return send(res, 200, { merchant, transactions: memory.ledgerFor(merchant) });
    if (method === "GET" && parts[1] === "ledger" && parts.length === 3) {
      const line = memory.ledgerOf(merchant, parts[2]);
      return line ? send(res, 200, line) : send(res, 404, { error: "not_found", detail: "no such transaction" });
    }
    throw new BadRequest(404, "not_found", "no such operation");
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof BadRequest) return send(res, error.status, { error: error.code, detail: error.message });
      if (error instanceof URIError) return send(res, 400, { error: "bad_request", detail: "malformed path" });
      logger.error("psp request failed", { error: String(error) });
      send(res, 500, { error: "internal", detail: "the PSP failed" });
    });
  });
  // Keep-alive connections from the adapters outlive theirs (fetch closes 1 s before the server's
  // advertised timeout), so a request never meets a socket the PSP is closing.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  server.requestTimeout = 0;

  return {
    server,
    memory,
    faults: () => faults,
    setFaults(next) {
      faults = FAULTS.parse({ ...NO_FAULTS, ...next });
      return faults;
    },
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve(`http://${shown === "0.0.0.0" ? "127.0.0.1" : shown}:${address.port}`);
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve())).then(() => memory.close());
    },
  };
}
