// Rules of payment agreements (Vipps recurring) that need no I/O.
//
// Life of an agreement: CREATED (known to Paydesk, not yet shown to the customer: a
// createAgreement transaction before its app claim), PENDING (drafted with the provider, waiting
// for the customer on the confirmation page), ACTIVE (confirmed: transactions may charge it),
// STOPPED (by the merchant, or the customer rejected it), EXPIRED (by the provider).
import { parseAmount, type Money } from "./money";

export const AGREEMENT_PROVIDERS = ["VIPPS"] as const;
export type AgreementProvider = (typeof AGREEMENT_PROVIDERS)[number];

/**
 * Vipps' pricing models: LEGACY is a fixed price per charge; VARIABLE lets each charge vary up
 * to a maximum the customer accepts (we know only the suggested one).
 */
export const PRICING_TYPES = ["LEGACY", "VARIABLE"] as const;

export type Pricing =
  | { type: "LEGACY"; amount: Money; currency: string }
  | { type: "VARIABLE"; suggestedMaxAmount: Money; currency: string };

/** Statuses in which the customer can still confirm, so the confirmation URL is shown. */
export function awaitsConfirmation(status: string): boolean {
  return status === "CREATED" || status === "PENDING";
}

/**
 * Statuses a stop may leave: CREATED, PENDING, ACTIVE. Stopping a STOPPED agreement changes
 * nothing (a stop is idempotent); an EXPIRED one cannot be stopped. The staff screen offers
 * "Stop" exactly where this holds.
 */
export function canStop(status: string): boolean {
  return status === "CREATED" || status === "PENDING" || status === "ACTIVE";
}

/** Only a confirmed (ACTIVE) agreement may be charged by a transaction. */
export function canCharge(status: string): boolean {
  return status === "ACTIVE";
}

/**
 * The stored pricing (jsonb, amounts as decimal strings) read back; null when it is not one of
 * the known models (rows written before the models were validated).
 */
export function readPricing(stored: unknown): Pricing | null {
  if (!stored || typeof stored !== "object") return null;
  const p = stored as Record<string, unknown>;
  const currency = typeof p.currency === "string" ? p.currency : "NOK";
  const amountOf = (value: unknown) => {
    const parsed = parseAmount(value);
    return parsed.ok ? parsed.value : null;
  };
  if (p.type === "LEGACY") {
    const amount = amountOf(p.amount);
    return amount === null ? null : { type: "LEGACY", amount, currency };
  }
  if (p.type === "VARIABLE") {
    const max = amountOf(p.suggestedMaxAmount);
    return max === null ? null : { type: "VARIABLE", suggestedMaxAmount: max, currency };
  }
  return null;
}

/** The most one charge may take under the pricing, and in which currency. */
export function chargeLimit(pricing: Pricing): { max: Money; currency: string } {
  return { max: pricing.type === "LEGACY" ? pricing.amount : pricing.suggestedMaxAmount, currency: pricing.currency };
}

/**
 * Which part of a charge breaks the agreement's price: a charge is in the pricing's currency and
 * at most its limit per charge. Null when it is within the price.
 */
export function priceProblem(pricing: Pricing, amount: Money, currency: string): "currency" | "amount" | null {
  const limit = chargeLimit(pricing);
  if (currency !== limit.currency) return "currency";
  if (amount > limit.max) return "amount";
  return null;
}
