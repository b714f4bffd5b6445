// Request and response schemas of the app, wallet, gift-card and invoice routes:
// POST …/app-claim, …/wallet, …/gift-card, POST/PUT …/invoice. The same zod schemas validate
// requests and document them in GET /v1/openapi.json (app/http/api/openapi-mobile.ts).
import { z } from "zod";
import { CARD_NUMBER_MESSAGE, isCleanText, noCardNumber, optional, positiveAmount, text } from "./schemas";

// ---------------------------------------------------------------- phone numbers (Vipps)

/** Country calling codes Vipps MobilePay serves: Norway, Denmark, Sweden, Finland. */
export const SUPPORTED_COUNTRY_CODES = ["47", "45", "46", "358"] as const;

export const PHONE_NUMBER_PATTERN = /^([0-9]{8}|\+?[0-9]{10,15})$/;

export type PhoneNumberResult = { ok: true; msisdn: string } | { ok: false; message: string };

/**
 * an 8-digit Norwegian number (47 is put in front), an MSISDN (digits only, country
 * code included, 10 to 15 digits) or E.164 (+ and 10 to 15 digits); only country codes 47, 45,
 * 46 and 358. Answers the MSISDN: digits only, country code first ("4712345678").
 */
export function normalizePhoneNumber(input: string): PhoneNumberResult {
  const value = input.trim();
  if (!PHONE_NUMBER_PATTERN.test(value)) {
    return {
      ok: false,
      message:
        "must be an 8-digit Norwegian number, an MSISDN (10 to 15 digits with country code) or E.164 (+ and 10 to 15 digits)",
    };
  }
  const msisdn = value.length === 8 ? `47${value}` : value.replace(/^\+/, "");
  if (!SUPPORTED_COUNTRY_CODES.some((code) => msisdn.startsWith(code))) {
    return {
      ok: false,
      message: `must have one of the country codes ${SUPPORTED_COUNTRY_CODES.join(", ")} (Norway, Denmark, Sweden, Finland)`,
    };
  }
  return { ok: true, msisdn };
}

export const phoneNumber = z
  .string({ error: "must be a string" })
  .transform((value, ctx) => {
    const result = normalizePhoneNumber(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.msisdn;
  })
  .meta({
    description:
      "8-digit Norwegian number (47 is added), MSISDN (digits only, country code included, 10–15 digits) or E.164 (+ and 10–15 digits). " +
      "Country codes 47 (Norway), 45 (Denmark), 46 (Sweden), 358 (Finland).",
    pattern: PHONE_NUMBER_PATTERN.source,
    examples: ["12345678", "4712345678", "+4712345678"],
  });

// ---------------------------------------------------------------- redirect URLs

export const REDIRECT_URL_PATTERN = /^https?:\/\/.{0,1024}$/;

export const redirectUrl = z
  .string({ error: "must be a string" })
  .regex(REDIRECT_URL_PATTERN, "must be an http(s) URL of at most 1024 characters after the scheme")
  .refine((value) => URL.canParse(value) && isCleanText(value), "must be a valid http(s) URL")
  .refine(noCardNumber, CARD_NUMBER_MESSAGE)
  .meta({
    description:
      "Where the customer is sent back to; must start with one of the client's allowed redirect prefixes (else 400)",
    examples: ["https://shop.example/return"],
  });

// ---------------------------------------------------------------- requests

export const AppClaimBody = z.object({
  phoneNumber: optional(phoneNumber).meta({
    description: "Required unless the transaction charges an existing ACTIVE agreement (paymentAgreementId).",
  }),
  description: optional(text(100)).meta({ description: "Text shown to the customer in the app (e.g. the product)" }),
  redirectUrl: optional(redirectUrl),
});

export const WALLET_PROVIDERS = ["ApplePay", "GooglePay"] as const;

export const MAX_PAYMENT_DATA_CHARS = 64 * 1024;

export const WalletBody = z.object({
  walletProvider: z.enum(WALLET_PROVIDERS, { error: `must be one of ${WALLET_PROVIDERS.join(", ")}` }),
  paymentData: z
    .string({ error: "must be a JSON string" })
    .min(2, "must be a JSON string")
    .max(MAX_PAYMENT_DATA_CHARS, `must be at most ${MAX_PAYMENT_DATA_CHARS} characters`)
    .transform((value, ctx): Record<string, unknown> => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON string (it does not parse as JSON)" });
        return z.NEVER;
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        ctx.addIssue({ code: "custom", message: "must be a JSON object serialised as a string" });
        return z.NEVER;
      }
      return parsed as Record<string, unknown>;
    })
    .meta({
      description: "The wallet's payment token as a JSON string (Apple Pay payment token format). Never stored.",
    }),
  redirectUrl: optional(redirectUrl).meta({
    description:
      "When given, the answer has a terminalUri: the 3DS page, which comes back here. Without it the payment is authorized at once.",
  }),
});

export const GiftCardBody = z.object({
  giftCardCode: text(100).meta({ description: "The code identifying a gift card" }),
});

export const LANGUAGE_CODE_PATTERN = /^[a-z]{3}$/;

const invoiceFields = {
  redirectUrl: optional(redirectUrl).meta({
    description: "Location to be redirected to from the invoice page. Required for COLLECTOR.",
  }),
  languageCode: optional(
    z
      .string({ error: "must be a string" })
      .regex(LANGUAGE_CODE_PATTERN, "must be an ISO 639-3 code: 3 lowercase letters such as nob or eng"),
  ).meta({ description: "ISO 639-3 language of the invoice page and the invoice", examples: ["nob"] }),
  externalInvoiceNumber: optional(text(50)).meta({
    description: "The invoice number on the written invoice (sent to Xledger)",
  }),
  customerIdentificationNumber: optional(text(50)).meta({
    description: "Identifies the customer on electronic banking transactions (KID); nothing to do with Entur customers",
  }),
};

export const InvoiceBody = z.object(invoiceFields);

export const InvoiceChangeBody = z.object({
  invoiceId: optional(text(100)).meta({ description: "When given, must be the transaction's current invoice" }),
  amount: optional(positiveAmount).meta({
    description:
      "New amount of the invoice and its transaction; the payment's transactions may not exceed its totalAmount",
  }),
  ...invoiceFields,
});

// ---------------------------------------------------------------- responses

const Id = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const AppClaimResponse = z
  .object({
    paymentId: Id,
    transactionId: Id,
    appClaimUrl: z.url().meta({
      description: "Where the customer approves the payment (or, for createAgreement, the new agreement) in Vipps",
    }),
  })
  .strict();

export const WalletResponse = z
  .object({
    paymentId: Id,
    transactionId: Id,
    walletProvider: z.enum(WALLET_PROVIDERS),
    terminalUri: z.url().optional().meta({ description: "The 3DS page; only when redirectUrl was given" }),
  })
  .strict();

export const InvoiceResponse = z
  .object({
    invoiceId: z.string(),
    paymentId: Id,
    transactionId: Id,
    expiryDate: z.iso
      .date()
      .nullable()
      .meta({ description: "COLLECTOR_B2B: last day the invoice can be paid; else null" }),
    publicToken: z.string().nullable().meta({ description: "COLLECTOR_B2B: token for the payment iframe; else null" }),
    terminalUri: z.url().nullable().meta({ description: "COLLECTOR: the invoice page; else null" }),
  })
  .strict();

export type AppClaimJson = z.infer<typeof AppClaimResponse>;
export type WalletJson = z.infer<typeof WalletResponse>;
export type InvoiceJson = z.infer<typeof InvoiceResponse>;
