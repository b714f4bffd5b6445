// The sandbox card PSP: deterministic and in-process; like every sandbox it keeps each outcome by
// its reference (sandboxOnce), so asking again answers the first outcome and `lookup` finds it.
// Outcomes follow the documented test cards:
//   4111111111111111 approves, and so does any other Luhn-valid VISA/MASTERCARD/AMEX number;
//   4000000000000002 is REFUSED_BY_ISSUER; 4000000000009995 is a SOFT_DECLINE.
// A stored card is charged by its panHash; the sandbox decides by the masked PAN's last 4
// digits (0002 refused, 9995 soft decline), as its refunds do.
//
// Nothing of the card is kept here or returned beyond the last 4, the masked PAN (first 6 +
// last 4), the scheme and the expiry month. The panHash is random: it refers to the card without
// being derived from the PAN, so it cannot be reversed or brute-forced.
import { randomBytes } from "node:crypto";
import {
  endOfExpiryMonth,
  maskPan,
  passesLuhn,
  schemeOf,
  type CardAuthorization,
  type CardInput,
  type CardDecline,
  type CardProvider,
  type StoredCardCharge,
} from "./cards";
import { throughFaults } from "./sandbox-faults.server";
import { sandboxOnce, sandboxRrn } from "./sandbox.server";

const REFUSED_PAN = "4000000000000002";
const SOFT_DECLINE_PAN = "4000000000009995";
const REFUSED_LAST4 = "0002";
const SOFT_DECLINE_LAST4 = "9995";

const refused = (what: string): CardDecline => ({
  ok: false,
  reason: `The card issuer refused the ${what}; use another card`,
  errorReason: "REFUSED_BY_ISSUER",
});
const softDecline = (what: string): CardDecline => ({
  ok: false,
  reason: `The ${what} was declined by the issuer for now (soft decline): try again or use another card`,
  errorReason: "SOFT_DECLINE",
});

const pspReference = () => `sbx_${randomBytes(12).toString("base64url")}`;

export const sandboxCardProvider: CardProvider = {
  async authorizeCard({ reference, card, storeCard, amount }): Promise<CardAuthorization> {
    return throughFaults("CARD_AUTHORIZE", () =>
      sandboxOnce(reference, "CARD_AUTHORIZE", amount, decideCard(card, storeCard)),
    );
  },

  async chargeStoredCard({ reference, maskedPan, amount }): Promise<StoredCardCharge> {
    return throughFaults("STORED_CARD_CHARGE", () =>
      sandboxOnce(reference, "STORED_CARD_CHARGE", amount, decideStoredCard(maskedPan)),
    );
  },
};

function decideCard(card: CardInput, storeCard: boolean): CardAuthorization {
  const scheme = schemeOf(card.number);
  if (!scheme || !passesLuhn(card.number)) return refused("payment");
  if (card.number === REFUSED_PAN) return refused("payment");
  if (card.number === SOFT_DECLINE_PAN) return softDecline("payment");
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

function decideStoredCard(maskedPan: string | null): StoredCardCharge {
  const last4 = maskedPan?.slice(-4) ?? null;
  if (last4 === REFUSED_LAST4) return refused("charge of the stored card");
  if (last4 === SOFT_DECLINE_LAST4) return softDecline("charge of the stored card");
  return { ok: true, rrn: sandboxRrn(), pspReference: pspReference() };
}
