// The PSP boundary of product self-service: paying one invoice on a provider's hosted
// page (PayEx card, Swish, Vipps, Nexi) and registering a product's new payment method with its
// provider (AvtaleGiro, a recurring card, Vipps or Klarna agreement). Use-cases talk to this
// interface only; the implementation is the HTTP client of the sandbox PSP (psp-http.server.ts,
// outcomes in sandbox/rules.ts).
//
// `reference` is our idempotency reference (one per attempt), so that a real adapter can pass it
// on as the PSP's idempotency key: asking again yields the first outcome, never a second charge.
import type { InvoicePaymentMethod, ProductPaymentMethod } from "../domain/enums";
import type { AmountRequest } from "./provider";
import type { ProviderDecline } from "./mobile";

export type InvoiceCharge = { ok: true; pspReference: string } | ProviderDecline;
export type MethodRegistration = { ok: true; pspReference: string } | ProviderDecline;

export interface SelfServiceProvider {
  /** The customer approved paying the invoice on the provider's page. */
  payInvoice(request: AmountRequest & { paymentMethod: InvoicePaymentMethod }): Promise<InvoiceCharge>;
  /** The customer approved the new payment method (mandate, stored card, agreement) on the provider's page. */
  registerPaymentMethod(request: {
    reference: string;
    paymentMethod: ProductPaymentMethod;
    productCode: string;
  }): Promise<MethodRegistration>;
}
