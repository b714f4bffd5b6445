// The sandbox behind MobileProvider: in-process and deterministic, so tests and demos can
// provoke every outcome.
//
//   Vipps claim approval, Vipps agreement charge, Collector invoice confirmation: decided by
//   the amount's cents. An amount ending in .02 (e.g. "100.02") is REFUSED_BY_ISSUER, one
//   ending in .05 is a SOFT_DECLINE; every other amount succeeds.
//   Wallets (ApplePay/GooglePay): decided by the card's last 4 digits in the token, like the
//   documented test cards: 0002 is REFUSED_BY_ISSUER, 9995 is a SOFT_DECLINE; everything else
//   (also a token that shows no last 4) is authorized.
//
// Each decision is a function of the request, and the first outcome of a reference is kept
// (sandboxOnce): a retried call with the same reference gets it, and `lookup` finds it.
import type { Money } from "../domain/money";
import type { MobileProvider, ProviderDecline, WalletAuthorization } from "./mobile";
import { throughFaults } from "./sandbox-faults.server";
import { sandboxOnce, sandboxRrn } from "./sandbox.server";

const UNIT = 100_000n; // Money is scaled by 10^5
const CENTS_REFUSED = 2_000n; // .02
const CENTS_SOFT_DECLINE = 5_000n; // .05

export const SANDBOX_REFUSED_LAST4 = "0002";
export const SANDBOX_SOFT_DECLINE_LAST4 = "9995";

/** The sandbox rule by amount (also used by the self-service sandbox): .02 refused, .05 soft decline. */
export function byAmount(amount: Money, what: string): ProviderDecline | null {
  const fraction = amount % UNIT;
  if (fraction === CENTS_REFUSED)
    return { ok: false, reason: `${what} was refused by the issuer`, errorReason: "REFUSED_BY_ISSUER" };
  if (fraction === CENTS_SOFT_DECLINE)
    return { ok: false, reason: `${what} was declined; try again later`, errorReason: "SOFT_DECLINE" };
  return null;
}

function pspReference(prefix: string, reference: string): string {
  return `${prefix}-${Buffer.from(reference).toString("base64url").slice(0, 24)}`;
}

export const sandboxMobileProvider: MobileProvider = {
  async reserveClaim(request) {
    return throughFaults("VIPPS_CLAIM", () =>
      sandboxOnce(
        request.reference,
        "VIPPS_CLAIM",
        request.amount,
        byAmount(request.amount, "The Vipps payment") ?? {
          ok: true as const,
          pspReference: pspReference("vipps", request.reference),
        },
      ),
    );
  },
  async chargeAgreement(request) {
    return throughFaults("VIPPS_CHARGE", () =>
      sandboxOnce(
        request.reference,
        "VIPPS_CHARGE",
        request.amount,
        byAmount(request.amount, "The Vipps agreement charge") ?? {
          ok: true as const,
          pspReference: pspReference("vipps", request.reference),
        },
      ),
    );
  },
  async authorizeWallet(request) {
    return throughFaults("WALLET_AUTHORIZE", () =>
      sandboxOnce(request.reference, "WALLET_AUTHORIZE", request.amount, decideWallet(request)),
    );
  },
  async authorizeInvoice(request) {
    return throughFaults("INVOICE_AUTHORIZE", () =>
      sandboxOnce(
        request.reference,
        "INVOICE_AUTHORIZE",
        request.amount,
        byAmount(request.amount, "The invoice (Collector credit check)") ?? {
          ok: true as const,
          pspReference: pspReference("collector", request.reference),
        },
      ),
    );
  },
};

function decideWallet(request: { walletProvider: string; card: { last4: string | null } }): WalletAuthorization {
  if (request.card.last4 === SANDBOX_REFUSED_LAST4) {
    return {
      ok: false,
      reason: `The issuer refused the ${request.walletProvider} payment`,
      errorReason: "REFUSED_BY_ISSUER",
    };
  }
  if (request.card.last4 === SANDBOX_SOFT_DECLINE_LAST4) {
    return {
      ok: false,
      reason: `The ${request.walletProvider} payment was declined; try again later`,
      errorReason: "SOFT_DECLINE",
    };
  }
  return { ok: true, rrn: sandboxRrn() };
}
