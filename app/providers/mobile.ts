// The PSP boundary for the app and wallet methods: Vipps (app claims and agreement charges),
// ApplePay/GooglePay (wallet tokens, optionally behind a 3DS page) and Collector (invoices).
// Use-cases talk to this interface only; the implementation is the HTTP client of the sandbox PSP
// (psp-http.server.ts), whose outcomes are deterministic (sandbox/rules.ts).
//
// Every call carries `reference`, our idempotency reference for the operation (one per
// transaction and step), so that a real adapter can pass it on as the PSP's idempotency key:
// a retried call must yield the first outcome, never a second charge.
import type { ErrorReason } from "../domain/enums";
import type { AmountRequest } from "./provider";

export type ProviderDecline = { ok: false; reason: string; errorReason: ErrorReason };

export type VippsReservation = { ok: true; pspReference: string } | ProviderDecline;

export type WalletProviderName = "ApplePay" | "GooglePay";

/** What we keep of a wallet token after reading it: never the token or anything card-like beyond the last 4. */
export type WalletCard = { last4: string | null; network: string | null };

export type WalletAuthorization = { ok: true; rrn: string } | ProviderDecline;

export type InvoiceAuthorization = { ok: true; pspReference: string } | ProviderDecline;

export interface MobileProvider {
  /** Vipps: the customer approved the claim in the app; reserve the amount. */
  reserveClaim(request: AmountRequest & { phoneNumber: string }): Promise<VippsReservation>;
  /** Vipps: a merchant-initiated charge against an ACTIVE agreement (no customer interaction). */
  chargeAgreement(request: AmountRequest & { agreementId: string }): Promise<VippsReservation>;
  /** ApplePay/GooglePay: decrypt the token and authorize the card behind it. */
  authorizeWallet(
    request: AmountRequest & {
      walletProvider: WalletProviderName;
      card: WalletCard;
    },
  ): Promise<WalletAuthorization>;
  /** Collector: the customer confirmed the invoice; the credit check decides. */
  authorizeInvoice(request: AmountRequest & { invoiceId: string }): Promise<InvoiceAuthorization>;
}
