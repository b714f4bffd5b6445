// The PSP boundary for payment cards: the hosted card terminal (the customer types a card on the
// PSP's page), charges of a stored card (merchant-initiated, MIT/UCOF, and the customer-confirmed
// recurring terminal). Use-cases talk to this interface only; the default implementation is the
// HTTP client of the sandbox PSP (psp-http.server.ts), whose outcomes follow the documented test
// cards (sandbox/rules.ts).
//
// Card data rule: a full PAN, the CVC and anything of the expiry beyond month/year
// exist only inside one call to `authorizeCard`. What comes back is what we may keep: the last 4
// digits, the masked PAN (first 6 + last 4), the scheme, the expiry month and an opaque panHash.
//
// Every call carries `reference`, our idempotency reference for the operation, so that a real
// adapter can pass it on as the PSP's idempotency key.
//
// The pure helpers below (Luhn, scheme by BIN, expiry) do no I/O and are shared by the page.
import type { ErrorReason } from "../domain/enums";
import type { AmountRequest } from "./provider";
import { containsCardNumber, passesLuhn } from "../domain/card-number";

export { passesLuhn };

export type CardScheme = "VISA" | "MASTERCARD" | "AMEX";

/** What the customer typed. Lives only for one request; never stored, logged or echoed. */
export type CardInput = {
  number: string;
  expiryMonth: number;
  /** Four digits. */
  expiryYear: number;
  cvc: string;
  holder: string;
};

/** All that is ever kept of a card. */
export type StoredCardFacts = {
  last4: string;
  /** First 6 + ****** + last 4. */
  maskedPan: string;
  scheme: CardScheme;
  /** The last millisecond of the card's expiry month (UTC). */
  cardExpiresAt: Date;
};

export type CardDecline = { ok: false; reason: string; errorReason: ErrorReason };

export type CardAuthorization =
  | ({
      ok: true;
      rrn: string;
      pspReference: string;
      /** Only when the card was to be stored. */ panHash: string | null;
    } & StoredCardFacts)
  | CardDecline;

export type StoredCardCharge = { ok: true; rrn: string; pspReference: string } | CardDecline;

export interface CardProvider {
  /** The customer entered a card on the hosted terminal: authorize `amount` on it. */
  authorizeCard(
    request: AmountRequest & {
      card: CardInput;
      storeCard: boolean;
      /** A sale (autoSale): captured with the authorization, in one operation at the PSP. */
      capture?: boolean;
    },
  ): Promise<CardAuthorization>;
  /** Charge a stored card by its panHash (MIT/UCOF, or confirmed on the recurring terminal). */
  chargeStoredCard(
    request: AmountRequest & {
      panHash: string;
      maskedPan: string | null;
      initiator: "MERCHANT" | "CUSTOMER";
      /** A sale (autoSale): captured with the charge, in one operation at the PSP. */
      capture?: boolean;
    },
  ): Promise<StoredCardCharge>;
}

// ---------------------------------------------------------------- pure card helpers

/** Digits only, or null when the text has anything but digits, spaces and dashes. */
export function normalizeCardNumber(text: string): string | null {
  const compact = text.replace(/[\s-]/g, "");
  return /^[0-9]+$/.test(compact) ? compact : null;
}

/** VISA starts with 4, MASTERCARD with 5, AMEX with 34 or 37; anything else is not accepted here. */
export function schemeOf(digits: string): CardScheme | null {
  if (/^3[47]/.test(digits)) return "AMEX";
  if (digits.startsWith("4")) return "VISA";
  if (digits.startsWith("5")) return "MASTERCARD";
  return null;
}

export function maskPan(digits: string): string {
  return `${digits.slice(0, 6)}******${digits.slice(-4)}`;
}

/** "MM/YY" or "MM/YYYY" → month and four-digit year, or null. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const match = /^\s*(0[1-9]|1[0-2])\s*\/\s*([0-9]{2}|[0-9]{4})\s*$/.exec(text);
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return { month, year };
}

/** The last millisecond of the expiry month, UTC. */
export function endOfExpiryMonth(month: number, year: number): Date {
  return new Date(Date.UTC(year, month, 1) - 1);
}

export type CardErrorCode =
  | "number_missing"
  | "number_invalid"
  | "number_unsupported"
  | "expiry_format"
  | "expiry_past"
  | "expiry_far"
  | "cvc_3"
  | "cvc_4"
  | "holder_missing"
  | "holder_invalid";

export type CardFieldErrors = Partial<Record<"cardNumber" | "expiry" | "cvc" | "cardholder", CardErrorCode>>;

/**
 * Checks what the customer typed. Errors are codes (the page words them in its language); they
 * never carry the input itself, so they can be shown and logged safely.
 */
export function checkCardInput(
  raw: { cardNumber: string; expiry: string; cvc: string; cardholder: string },
  now = new Date(),
): { ok: true; card: CardInput; scheme: CardScheme } | { ok: false; errors: CardFieldErrors } {
  const errors: CardFieldErrors = {};
  const number = normalizeCardNumber(raw.cardNumber);
  let scheme: CardScheme | null = null;
  if (!number) errors.cardNumber = raw.cardNumber.trim() ? "number_invalid" : "number_missing";
  else if (number.length < 12 || number.length > 19 || !passesLuhn(number)) errors.cardNumber = "number_invalid";
  else {
    scheme = schemeOf(number);
    if (!scheme) errors.cardNumber = "number_unsupported";
  }
  const expiry = parseExpiry(raw.expiry);
  if (!expiry) errors.expiry = "expiry_format";
  else if (endOfExpiryMonth(expiry.month, expiry.year).getTime() < now.getTime()) errors.expiry = "expiry_past";
  else if (expiry.year > now.getUTCFullYear() + 20) errors.expiry = "expiry_far";
  const cvcLength = scheme === "AMEX" ? 4 : 3;
  if (!new RegExp(`^[0-9]{${cvcLength}}$`).test(raw.cvc.trim())) errors.cvc = cvcLength === 4 ? "cvc_4" : "cvc_3";
  const holder = raw.cardholder.trim();
  if (!holder) errors.cardholder = "holder_missing";
  // A card number typed into the name field would travel on as the holder's name.
  else if (holder.length > 100 || /[\u0000-\u001f\u007f]/.test(holder) || containsCardNumber(holder))
    errors.cardholder = "holder_invalid";
  if (Object.keys(errors).length || !number || !scheme || !expiry) return { ok: false, errors };
  return {
    ok: true,
    scheme,
    card: { number, expiryMonth: expiry.month, expiryYear: expiry.year, cvc: raw.cvc.trim(), holder },
  };
}
