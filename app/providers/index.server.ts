import type { PaymentProvider } from "./provider";
import { sandboxProvider } from "./sandbox.server";

/** The PSP this installation talks to. Only the sandbox exists: no real PSP is reachable here. */
export function paymentProvider(): PaymentProvider {
  return sandboxProvider;
}
