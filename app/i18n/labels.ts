// Display labels of enum values that may be unknown to this build (a new value from the API or
// the database shows as itself rather than as a missing key).
import type { TFunction } from "i18next";
import { resources } from "./i18n";

const known = resources.en.translation.enums;

export function statusLabel(t: TFunction, status: string): string {
  return status in known.status ? t(`enums.status.${status as keyof typeof known.status}`) : status;
}

export function operationLabel(t: TFunction, operation: string): string {
  return operation in known.operation ? t(`enums.operation.${operation as keyof typeof known.operation}`) : operation;
}

const methods = resources.en.translation.customer.methods;

/** A self-service payment method as a customer reads it; an unknown (legacy) value as it is. */
export function customerMethodLabel(t: TFunction, method: string): string {
  return method in methods ? t(`customer.methods.${method as keyof typeof methods}`) : method;
}

const states = resources.en.translation.customers.states;

/** The state of a customer's stored card, agreement, credit or invoice; an unknown one as it is. */
export function customerStateLabel(t: TFunction, state: string): string {
  return state in states ? t(`customers.states.${state as keyof typeof states}`) : state;
}
