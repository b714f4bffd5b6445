import type { PaymentProvider } from "./provider";
import { sandboxProvider } from "./sandbox.server";
import type { CardProvider } from "./cards";
import { sandboxCardProvider } from "./sandbox-cards.server";
import type { MobileProvider } from "./mobile";
import { sandboxMobileProvider } from "./sandbox-mobile.server";
import type { SelfServiceProvider } from "./self-service";
import { sandboxSelfServiceProvider } from "./sandbox-self-service.server";

/** The PSP this installation talks to. Only the sandbox exists: no real PSP is reachable here. */
export function paymentProvider(): PaymentProvider {
  return sandboxProvider;
}

/** Payment cards: the hosted card terminal and stored-card charges (app/providers/cards.ts). */
export function cardProvider(): CardProvider {
  return sandboxCardProvider;
}

/** Vipps, ApplePay/GooglePay and Collector (app/providers/mobile.ts); the sandbox here too. */
export function mobileProvider(): MobileProvider {
  return sandboxMobileProvider;
}

/** Product self-service: invoice payments and payment-method registrations (app/providers/self-service.ts). */
export function selfServiceProvider(): SelfServiceProvider {
  return sandboxSelfServiceProvider;
}
