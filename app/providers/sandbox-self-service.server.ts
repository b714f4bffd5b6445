// The sandbox behind SelfServiceProvider: in-process and deterministic, like the other sandboxes,
// keeping the first outcome of each reference (sandboxOnce).
//   Paying an invoice: by the amount's cents, as for Vipps and Collector (sandbox-mobile): .02 is
//   REFUSED_BY_ISSUER, .05 a SOFT_DECLINE, anything else is paid.
//   Registering a payment method: refused for a product whose code ends in "02" (so tests and
//   demos can provoke result=failed), registered otherwise.
import type { ProviderDecline } from "./mobile";
import { byAmount } from "./sandbox-mobile.server";
import { throughFaults } from "./sandbox-faults.server";
import { sandboxOnce } from "./sandbox.server";
import type { MethodRegistration, SelfServiceProvider } from "./self-service";

const reference = (prefix: string, ours: string) => `${prefix}-${Buffer.from(ours).toString("base64url").slice(0, 24)}`;

export const sandboxSelfServiceProvider: SelfServiceProvider = {
  async payInvoice(request) {
    return throughFaults("INVOICE_PAY", () =>
      sandboxOnce(
        request.reference,
        "INVOICE_PAY",
        request.amount,
        byAmount(request.amount, "The invoice payment") ?? {
          ok: true as const,
          pspReference: reference(request.paymentMethod, request.reference),
        },
      ),
    );
  },
  async registerPaymentMethod(request) {
    return throughFaults("METHOD_REGISTRATION", () =>
      sandboxOnce(request.reference, "METHOD_REGISTRATION", null, decideRegistration(request)),
    );
  },
};

function decideRegistration(request: {
  reference: string;
  paymentMethod: string;
  productCode: string;
}): MethodRegistration {
  if (request.productCode.endsWith("02")) {
    const refused: ProviderDecline = {
      ok: false,
      reason: "The provider refused to register the payment method",
      errorReason: "REFUSED_BY_ISSUER",
    };
    return refused;
  }
  return { ok: true, pspReference: reference(request.paymentMethod, request.reference) };
}
