// Rules of payment agreements (Vipps recurring, seed 003) that need no I/O.
//
// Life of an agreement: CREATED (known to Paydesk, not yet shown to the customer: a
// createAgreement transaction before its app claim), PENDING (drafted with the provider, waiting
// for the customer on the confirmation page), ACTIVE (confirmed: transactions may charge it),
// STOPPED (by the merchant, or the customer rejected it), EXPIRED (by the provider).
import type { AgreementStatus } from "./enums";
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

/** Statuses a stop may leave (STOPPED is idempotent, EXPIRED is final). */
export function canStop(status: AgreementStatus): boolean {
  return status === "CREATED" || status === "PENDING" || status === "ACTIVE";
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
