// Product self-service: the payment methods a customer may pay an invoice with or
// switch a product (subscription) to, which provider's page each one runs, and what a flow
// reports back to the client's returnUrl. Pure data and rules, no I/O.
import {
  INVOICE_PAYMENT_METHODS,
  PRODUCT_PAYMENT_METHODS,
  type InvoicePaymentMethod,
  type PaymentType,
  type PaymentTypeGroup,
  type ProductPaymentMethod,
  type RedirectResult,
} from "./enums";

export { INVOICE_PAYMENT_METHODS, PRODUCT_PAYMENT_METHODS, type InvoicePaymentMethod, type ProductPaymentMethod };

/** The provider whose hosted page a method runs (the sandbox shows its name and colour). */
export type ProviderBrand = "PayEx" | "Swish" | "Vipps" | "Nexi" | "Klarna" | "AvtaleGiro" | "Invoice";

type InvoiceMethodInfo = {
  /** The method's description, as the API lists it. */
  description: string;
  /** What a customer reads on our pages. */
  label: string;
  provider: ProviderBrand;
  /** How the payment is booked; a card's scheme is not known from the method, so no type. */
  paymentTypeGroup: PaymentTypeGroup;
  paymentType: PaymentType | null;
};

/** The methods an invoice can be paid with; booked as a payment with one transaction per attempt. */
export const INVOICE_METHODS: Record<InvoicePaymentMethod, InvoiceMethodInfo> = {
  creditcardPayex: {
    description: "Payment card",
    label: "Card (PayEx)",
    provider: "PayEx",
    paymentTypeGroup: "PAYMENTCARD",
    paymentType: null,
  },
  swishPayex: {
    description: "Swish payex payment",
    label: "Swish",
    provider: "Swish",
    paymentTypeGroup: "MOBILE",
    paymentType: null,
  },
  vippsEcommerce: {
    description: "Vipps eCommerce payment",
    label: "Vipps",
    provider: "Vipps",
    paymentTypeGroup: "MOBILE",
    paymentType: "VIPPS",
  },
  nexi: {
    description: "Nexi payment",
    label: "Card (Nexi)",
    provider: "Nexi",
    paymentTypeGroup: "PAYMENTCARD",
    paymentType: null,
  },
};

/** The methods a product can be switched to (recurringNexiPayment is Nexi's, whatever older lists said). */
export const PRODUCT_METHODS: Record<
  ProductPaymentMethod,
  { description: string; label: string; provider: ProviderBrand }
> = {
  invoice: { description: "Common invoice", label: "Invoice", provider: "Invoice" },
  autoGiro: {
    description: 'Automatic withdraw, in Norwegian "Avtalegiro"',
    label: "AvtaleGiro (bank withdrawal)",
    provider: "AvtaleGiro",
  },
  recurringVippsPayment: { description: "Recurring Vipps payment", label: "Vipps, recurring", provider: "Vipps" },
  recurringPayExCardPayment: {
    description: "Recurring PayEx payment",
    label: "Card (PayEx), recurring",
    provider: "PayEx",
  },
  recurringKlarnaPayment: { description: "Recurring Klarna payment", label: "Klarna, recurring", provider: "Klarna" },
  recurringNexiPayment: { description: "Recurring Nexi payment", label: "Card (Nexi), recurring", provider: "Nexi" },
};

/** A product method's label for people; an unknown (legacy) value is shown as it is. */
export function productMethodLabel(method: string): string {
  return isProductPaymentMethod(method) ? PRODUCT_METHODS[method].label : method;
}

export function isInvoicePaymentMethod(value: unknown): value is InvoicePaymentMethod {
  return typeof value === "string" && (INVOICE_PAYMENT_METHODS as readonly string[]).includes(value);
}

export function isProductPaymentMethod(value: unknown): value is ProductPaymentMethod {
  return typeof value === "string" && (PRODUCT_PAYMENT_METHODS as readonly string[]).includes(value);
}

export type PaymentMethodItem = { paymentMethod: ProductPaymentMethod; description: string; current: boolean };

/** GET /v1/product/payment/{product}: the current method first, then every other possible one. */
export function paymentMethodItems(current: string): PaymentMethodItem[] {
  const items = PRODUCT_PAYMENT_METHODS.map((paymentMethod) => ({
    paymentMethod,
    description: PRODUCT_METHODS[paymentMethod].description,
    current: paymentMethod === current,
  }));
  return [...items.filter((i) => i.current), ...items.filter((i) => !i.current)];
}

// ---------------------------------------------------------------- payment changes

export const PAYMENT_CHANGE_STATUSES = ["CREATED", "INITIATED", "FINISHED", "CANCELLED", "FAILED"] as const;
export type PaymentChangeStatus = (typeof PAYMENT_CHANGE_STATUSES)[number];

/** What a payment change in this status reports to returnUrl; null while the customer can still act. */
export function changeResult(status: PaymentChangeStatus): RedirectResult | null {
  switch (status) {
    case "FINISHED":
      return "finished";
    case "CANCELLED":
      return "cancelled";
    case "FAILED":
      return "failed";
    default:
      return null;
  }
}

// ---------------------------------------------------------------- the way back

/** returnUrl with the result and the id the flow was started with (existing query kept). */
export function returnTo(returnUrl: string, result: RedirectResult, ids: Record<string, string | number>): string {
  const target = new URL(returnUrl);
  for (const [name, value] of Object.entries(ids)) target.searchParams.set(name, String(value));
  target.searchParams.set("result", result);
  return target.toString();
}

/** Why a flow went to errorUrl (a system error on our side). */
export type FlowError = "invalid_request" | "not_found" | "system_error";

export function errorTo(errorUrl: string, error: FlowError, ids: Record<string, string | number> = {}): string {
  const target = new URL(errorUrl);
  for (const [name, value] of Object.entries(ids)) target.searchParams.set(name, String(value));
  target.searchParams.set("error", error);
  return target.toString();
}

/**
 * What an invoice-payment attempt in this transaction status reports to returnUrl; null while
 * the customer can still pay it. (A refund by staff later does not undo "finished".)
 */
export function attemptResult(status: string): RedirectResult | null {
  switch (status) {
    case "CAPTURED":
    case "CREDITED":
      return "finished";
    case "CANCELLED":
      return "cancelled";
    case "CREATED":
    case "INITIATED":
      return null;
    default:
      return "unknown";
  }
}

// ---------------------------------------------------------------- overdue

/**
 * An invoice is overdue when it is still OPEN after its due day. Both are calendar days
 * (YYYY-MM-DD), so they compare as text; `today` is the reader's day, computed by the loader so
 * server and browser render alike.
 */
export function isOverdue(invoice: { status: string; dueDate: string }, today: string): boolean {
  return invoice.status === "OPEN" && invoice.dueDate < today;
}
