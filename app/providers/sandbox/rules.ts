// How the sandbox PSP decides, as pure functions of a request (no memory, no I/O): the PSP service
// (service.ts) records each decision under the caller's reference, so a repeat gets the first one.
//
//   Cards (hosted terminal): 4111111111111111 and any other Luhn-valid VISA/MASTERCARD/AMEX number
//   approve; 4000000000000002 is REFUSED_BY_ISSUER; 4000000000009995 is a SOFT_DECLINE.
//   Stored cards, wallets (ApplePay/GooglePay) and refunds: by the card's last 4 digits, 0002
//   REFUSED_BY_ISSUER, 9995 SOFT_DECLINE; everything else (also no last 4 at all) succeeds.
//   Vipps claims and agreement charges, Collector invoices, self-service invoice payments, and
//   capture, cancel and authorization adjustments: by the amount's cents, .02 REFUSED_BY_ISSUER,
//   .05 SOFT_DECLINE, anything else succeeds.
//   Registering a self-service payment method: refused for a product code ending in "02".
//
// Nothing of a card is returned beyond the last 4, the masked PAN (first 6 + last 4), the scheme
// and the expiry month. The panHash is random: it names the card without being derived from the
// PAN, so it cannot be reversed or brute-forced.
import { randomBytes, randomInt } from "node:crypto";
import type { ErrorReason } from "../../domain/enums";
import type { Money } from "../../domain/money";
import { endOfExpiryMonth, maskPan, passesLuhn, schemeOf, type CardAuthorization, type CardInput } from "../cards";

export type Decline = { ok: false; reason: string; errorReason: ErrorReason };

const UNIT = 100_000n; // Money is scaled by 10^5
const CENTS_REFUSED = 2_000n; // .02
const CENTS_SOFT_DECLINE = 5_000n; // .05

export const REFUSED_PAN = "4000000000000002";
export const SOFT_DECLINE_PAN = "4000000000009995";
export const REFUSED_LAST4 = "0002";
export const SOFT_DECLINE_LAST4 = "9995";

const refused = (what: string): Decline => ({ ok: false, reason: what, errorReason: "REFUSED_BY_ISSUER" });
const softDecline = (what: string): Decline => ({ ok: false, reason: what, errorReason: "SOFT_DECLINE" });

/** By the amount's cents: .02 refused, .05 soft decline, null (go ahead) otherwise. */
export function byAmount(amount: Money, what: string): Decline | null {
  const fraction = amount % UNIT;
  if (fraction === CENTS_REFUSED) return refused(`${what} was refused by the issuer`);
  if (fraction === CENTS_SOFT_DECLINE) return softDecline(`${what} was declined; try again later`);
  return null;
}

/** By a card's last 4 digits: 0002 refused, 9995 soft decline, null (go ahead) otherwise. */
export function byLast4(last4: string | null | undefined, refusedText: string, softText: string): Decline | null {
  if (last4 === REFUSED_LAST4) return refused(refusedText);
  if (last4 === SOFT_DECLINE_LAST4) return softDecline(softText);
  return null;
}

/** A 12-digit retrieval reference number. */
export function sandboxRrn(): string {
  let digits = "";
  for (let i = 0; i < 12; i++) digits += randomInt(10);
  return digits;
}

/** An opaque PSP reference for a card operation. */
export function pspReference(): string {
  return `sbx_${randomBytes(12).toString("base64url")}`;
}

/** The PSP reference of a Vipps, Collector or self-service operation: `prefix` names the scheme or method. */
export function schemeReference(prefix: string, reference: string): string {
  return `${prefix}-${Buffer.from(reference).toString("base64url").slice(0, 24)}`;
}

/** The hosted card terminal: authorize on the card the customer typed. */
export function decideCardAuthorization(card: CardInput, storeCard: boolean): CardAuthorization {
  const scheme = schemeOf(card.number);
  const refusedPayment = () => refused("The card issuer refused the payment; use another card");
  if (!scheme || !passesLuhn(card.number)) return refusedPayment();
  if (card.number === REFUSED_PAN) return refusedPayment();
  if (card.number === SOFT_DECLINE_PAN)
    return softDecline("The payment was declined by the issuer for now (soft decline): try again or use another card");
  return {
    ok: true,
    rrn: sandboxRrn(),
    pspReference: pspReference(),
    panHash: storeCard ? `ph_${randomBytes(24).toString("base64url")}` : null,
    last4: card.number.slice(-4),
    maskedPan: maskPan(card.number),
    scheme,
    cardExpiresAt: endOfExpiryMonth(card.expiryMonth, card.expiryYear),
  };
}

/** A stored card, by its masked PAN's last 4 digits. */
export function decideStoredCardCharge(maskedPan: string | null): Decline | null {
  return byLast4(
    maskedPan?.slice(-4) ?? null,
    "The card issuer refused the charge of the stored card; use another card",
    "The charge of the stored card was declined by the issuer for now (soft decline): try again or use another card",
  );
}

/** A refund, by the original card's last 4 digits (`cardNumber` holds only those). */
export function decideRefund(cardLast4: string | null): Decline | null {
  return byLast4(cardLast4, "The issuer refused the refund", "The refund was declined; try again later");
}

export function decideWallet(walletProvider: string, last4: string | null): Decline | null {
  return byLast4(
    last4,
    `The issuer refused the ${walletProvider} payment`,
    `The ${walletProvider} payment was declined; try again later`,
  );
}

export function decidePaymentMethodRegistration(productCode: string): Decline | null {
  return productCode.endsWith("02") ? refused("The provider refused to register the payment method") : null;
}
