// The PSP this installation talks to: the sandbox PSP, a service of its own reached over HTTP at
// PAYDESK_PSP_URL (psp-http.server.ts; `npm start` starts one unless the URL points elsewhere).
import type { PaymentProvider } from "./provider";
import type { CardProvider } from "./cards";
import type { MobileProvider } from "./mobile";
import type { SelfServiceProvider } from "./self-service";
import { pspCardProvider, pspMobileProvider, pspPaymentProvider, pspSelfServiceProvider } from "./psp-http.server";

/** Refunds, captures, cancels, authorization adjustments, and status by reference (app/providers/provider.ts). */
export function paymentProvider(): PaymentProvider {
  return pspPaymentProvider;
}

/** Payment cards: the hosted card terminal and stored-card charges (app/providers/cards.ts). */
export function cardProvider(): CardProvider {
  return pspCardProvider;
}

/** Vipps, ApplePay/GooglePay and Collector (app/providers/mobile.ts). */
export function mobileProvider(): MobileProvider {
  return pspMobileProvider;
}

/** Product self-service: invoice payments and payment-method registrations (app/providers/self-service.ts). */
export function selfServiceProvider(): SelfServiceProvider {
  return pspSelfServiceProvider;
}
