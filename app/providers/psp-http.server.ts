// The provider ports (PaymentProvider, CardProvider, MobileProvider, SelfServiceProvider) as HTTP
// clients of the PSP at PAYDESK_PSP_URL, speaking app/providers/psp-protocol.ts.
//
// Every call is bounded by PAYDESK_PSP_TIMEOUT_MS (default 3000 ms, the whole exchange: connect,
// send, answer). What ends without an answer we can trust throws ProviderUnavailable: a timeout,
// a network error (refused, reset, the PSP dropped the connection), a 5xx, or an answer that is
// not the protocol's. The operation may or may not have happened; lookup(reference) tells. A 4xx
// means our request was wrong (a bug here, not a PSP problem): a plain Error.
//
// Connections are kept alive (Node's fetch pools them per origin). The card number crosses to
// the PSP in the card-authorize body only; nothing here logs a body.
import type { z } from "zod";
import type { CardAuthorization, CardProvider } from "./cards";
import { ProviderUnavailable } from "./errors";
import type { MobileProvider } from "./mobile";
import type { PaymentProvider, ProviderLookup, TransactionAtProvider } from "./provider";
import {
  amountFromWire,
  ANSWERS,
  DEFAULT_MERCHANT,
  envelope,
  LOOKUP,
  MERCHANT_HEADER,
  wireAmount,
  type PspAnswer,
  type PspEffectOperation,
  type PspRequest,
} from "./psp-protocol";
import type { SelfServiceProvider } from "./self-service";

export const DEFAULT_TIMEOUT_MS = 3_000;

/** Where the PSP is and how long we wait for it, read per call (tests point it elsewhere). */
export function pspConfig(env: Record<string, string | undefined> = process.env) {
  const url = env.PAYDESK_PSP_URL?.replace(/\/+$/, "");
  const timeout = Number.parseInt(env.PAYDESK_PSP_TIMEOUT_MS ?? "", 10);
  return {
    url: url || null,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
    merchant: env.PAYDESK_PSP_MERCHANT || DEFAULT_MERCHANT,
  };
}

/** The PSP refused our request as malformed (4xx): our mistake, the PSP did nothing. */
export class PspRequestRefused extends Error {
  constructor(status: number, detail: string) {
    super(`The PSP refused the request (HTTP ${status}): ${detail}`);
    this.name = "PspRequestRefused";
  }
}

function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const message = typeof cause?.message === "string" ? cause.message : String(error);
  return code ? `${code}: ${message}` : message;
}

/** One exchange with the PSP; the answer's JSON, checked by `schema`. */
async function exchange<T extends z.ZodType>(
  method: "GET" | "POST",
  path: string,
  schema: T,
  body?: unknown,
): Promise<z.infer<T>> {
  const { url, timeoutMs, merchant } = pspConfig();
  if (!url) throw new ProviderUnavailable("network", "no PSP is configured (set PAYDESK_PSP_URL)");
  const signal = AbortSignal.timeout(timeoutMs);
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        Accept: "application/json",
        [MERCHANT_HEADER]: merchant,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new ProviderUnavailable("timeout", `no answer within ${timeoutMs} ms`);
    throw new ProviderUnavailable("network", networkDetail(error));
  }
  if (status >= 500) throw new ProviderUnavailable("server_error", `HTTP ${status}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderUnavailable("bad_answer", `HTTP ${status} with a body that is not JSON`);
  }
  if (status !== 200) {
    const detail = (json as { detail?: unknown } | null)?.detail;
    throw new PspRequestRefused(status, typeof detail === "string" ? detail : "no detail");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ProviderUnavailable("bad_answer", "the answer is not the protocol's");
  return parsed.data;
}

/** POST /v1/<operation>: the (first) answer under `request.reference`. */
async function operation<O extends PspEffectOperation>(op: O, request: PspRequest<O>): Promise<PspAnswer<O>> {
  const answered = await exchange("POST", `/v1/${op}`, envelope(ANSWERS[op]), request);
  if (answered.reference !== request.reference)
    throw new ProviderUnavailable("bad_answer", "the answer names another reference");
  return answered.answer as PspAnswer<O>;
}

const atProvider = (request: TransactionAtProvider) => ({
  reference: request.reference,
  transactionReference: request.transactionReference,
  amount: wireAmount(request.amount),
  currency: request.currency,
  paymentTypeGroup: request.paymentTypeGroup,
});

export const pspPaymentProvider: PaymentProvider = {
  refund: (request) =>
    operation("refund", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      amount: wireAmount(request.amount),
      currency: request.currency,
      paymentType: request.paymentType,
      paymentTypeGroup: request.paymentTypeGroup,
      rrn: request.rrn,
      cardNumber: request.cardNumber,
    }),
  capture: (request) => operation("capture", atProvider(request)),
  cancel: (request) => operation("cancel", atProvider(request)),
  authorize: (request) => operation("authorize", { ...atProvider(request), kind: request.kind }),
  async lookup(reference): Promise<ProviderLookup> {
    const found = await exchange("GET", `/v1/operations/${encodeURIComponent(reference)}`, LOOKUP);
    if (!found.found) return { found: false };
    const amount = found.amount === null ? null : amountFromWire(found.amount);
    if (amount === undefined) throw new ProviderUnavailable("bad_answer", "the amount is not a decimal string");
    return { found: true, operation: found.operation, amount, answer: found.answer };
  },
};

export const pspCardProvider: CardProvider = {
  async authorizeCard(request): Promise<CardAuthorization> {
    const answer = await operation("card-authorize", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      card: request.card,
      amount: wireAmount(request.amount),
      currency: request.currency,
      storeCard: request.storeCard,
      capture: request.capture,
    });
    return answer.ok ? { ...answer, cardExpiresAt: new Date(answer.cardExpiresAt) } : answer;
  },
  chargeStoredCard: (request) =>
    operation("card-charge", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      panHash: request.panHash,
      maskedPan: request.maskedPan,
      amount: wireAmount(request.amount),
      currency: request.currency,
      initiator: request.initiator,
      capture: request.capture,
    }),
};

export const pspMobileProvider: MobileProvider = {
  reserveClaim: (request) =>
    operation("vipps-claim", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      phoneNumber: request.phoneNumber,
      amount: wireAmount(request.amount),
      currency: request.currency,
    }),
  chargeAgreement: (request) =>
    operation("vipps-charge", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      agreementId: request.agreementId,
      amount: wireAmount(request.amount),
      currency: request.currency,
    }),
  authorizeWallet: (request) =>
    operation("wallet-authorize", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      walletProvider: request.walletProvider,
      card: { last4: request.card.last4, network: request.card.network },
      amount: wireAmount(request.amount),
      currency: request.currency,
    }),
  authorizeInvoice: (request) =>
    operation("invoice-authorize", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      invoiceId: request.invoiceId,
      amount: wireAmount(request.amount),
      currency: request.currency,
    }),
};

export const pspSelfServiceProvider: SelfServiceProvider = {
  payInvoice: (request) =>
    operation("self-service-pay", {
      reference: request.reference,
      transactionReference: request.transactionReference,
      paymentMethod: request.paymentMethod,
      amount: wireAmount(request.amount),
      currency: request.currency,
    }),
  registerPaymentMethod: (request) =>
    operation("self-service-register", {
      reference: request.reference,
      paymentMethod: request.paymentMethod,
      productCode: request.productCode,
    }),
};
