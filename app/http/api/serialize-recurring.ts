// The JSON of recurring payments and payment agreements, and the query of
// their per-customer lists. Timestamps leave as ISO 8601 UTC with milliseconds.
import type { FieldError } from "../../domain/errors";
import type { AgreementView } from "../../services/agreements/agreements.server";
import type { RecurringPaymentView } from "../../services/recurring/recurring-payments.server";
import { invalidInput } from "./route.server";

const time = (value: Date | null) => (value === null ? null : value.toISOString());

export function recurringPaymentJson(v: RecurringPaymentView) {
  return {
    recurringPaymentId: v.recurringPaymentId,
    customerNumber: v.customerNumber,
    organisationId: v.organisationId,
    nickname: v.nickname,
    primary: v.primary,
    recurringStatus: v.recurringStatus,
    paymentType: v.paymentType,
    maskedPan: v.maskedPan,
    cardExpiresAt: time(v.cardExpiresAt),
    expiresAt: time(v.expiresAt),
    createdAt: time(v.createdAt)!,
    updatedAt: time(v.updatedAt)!,
  };
}

export function agreementJson(v: AgreementView) {
  return {
    agreementId: v.agreementId,
    customerNumber: v.customerNumber,
    organisationId: v.organisationId,
    productName: v.productName,
    status: v.status,
    pricing: v.pricing,
    provider: v.provider,
    stoppedAt: time(v.stoppedAt),
    createdAt: time(v.createdAt)!,
    updatedAt: time(v.updatedAt)!,
  };
}

const CUSTOMER_NUMBER = /^[0-9]{1,20}$/;

/**
 * A customer's list: `customerNumber` is required (once, digits), each other parameter is read by
 * `rest`, which adds its own errors; an unknown parameter is a 400 naming it, like every search.
 */
export function parseCustomerListQuery<T>(
  url: URL,
  others: readonly string[],
  rest: (params: URLSearchParams, errors: FieldError[]) => T,
): T & { customerNumber: string } {
  const params = url.searchParams;
  const known = ["customerNumber", ...others];
  const errors: FieldError[] = [];
  for (const name of new Set(params.keys())) {
    if (!known.includes(name))
      errors.push({ field: name, message: `is not a query parameter here; use ${known.join(", ")}` });
  }
  const customers = params.getAll("customerNumber");
  if (customers.length === 0) errors.push({ field: "customerNumber", message: "is required" });
  else if (customers.length > 1) errors.push({ field: "customerNumber", message: "may be given once" });
  else if (!CUSTOMER_NUMBER.test(customers[0]))
    errors.push({ field: "customerNumber", message: "must be a numeric customer id" });
  const parsed = rest(params, errors);
  if (errors.length) throw invalidInput(errors);
  return { ...parsed, customerNumber: customers[0] };
}
