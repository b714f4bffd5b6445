// Display labels of enum values that may be unknown to this build (a new value from the API or
// the database shows as itself rather than as a missing key).
import type { TFunction } from "i18next";
import { resources } from "./i18n";

const en = resources.en.translation;

/** `value`'s label under `prefix` when English names it (the source locale), else `value` itself. */
function labelOrItself(t: TFunction, known: object, prefix: string, value: string): string {
  return Object.hasOwn(known, value) ? (t as (key: string) => string)(`${prefix}.${value}`) : value;
}

export function statusLabel(t: TFunction, status: string): string {
  return labelOrItself(t, en.enums.status, "enums.status", status);
}

export function operationLabel(t: TFunction, operation: string): string {
  return labelOrItself(t, en.enums.operation, "enums.operation", operation);
}

/** A provider operation's kind (CAPTURE, VIPPS_CLAIM, …) as the payment page names it. */
export function providerOperationLabel(t: TFunction, kind: string): string {
  return labelOrItself(t, en.payment.inProgress.kind, "payment.inProgress.kind", kind);
}

/** A self-service payment method as a customer reads it; an unknown (legacy) value as it is. */
export function customerMethodLabel(t: TFunction, method: string): string {
  return labelOrItself(t, en.customer.methods, "customer.methods", method);
}

/** The state of a customer's stored card, agreement, credit or invoice; an unknown one as it is. */
export function customerStateLabel(t: TFunction, state: string): string {
  return labelOrItself(t, en.customers.states, "customers.states", state);
}
