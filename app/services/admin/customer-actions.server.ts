// What staff may do on a customer's screen: end a recurring payment, make one primary, stop an
// agreement. Each goes through the same use-case as the API (which writes the audit entry with
// the reason in its DB transaction), after checking that the thing belongs to the customer whose
// screen the form was on, so a stale or forged form cannot act on someone else's card.
import { DomainError } from "../../domain/errors";
import type { StaffCaller } from "../../domain/caller";
import { getAgreement, stopAgreement } from "../agreements/agreements.server";
import {
  endRecurringPayment,
  getRecurringPayment,
  updateRecurringPayment,
} from "../recurring/recurring-payments.server";

export const CUSTOMER_ACTIONS = ["end-recurring", "make-primary", "stop-agreement"] as const;
export type CustomerAction = (typeof CUSTOMER_ACTIONS)[number];

const notThisCustomers = () => new DomainError("not_found", "That does not belong to this customer; reload the page.");

/** Runs one action; answers what the notification says. DomainErrors are the caller's to show. */
export async function runCustomerAction(
  caller: StaffCaller,
  input: { customerNumber: string; action: CustomerAction; target: string; origin: string },
): Promise<string> {
  const { customerNumber, target } = input;
  if (input.action === "stop-agreement") {
    if ((await getAgreement(caller, { agreementId: target, origin: input.origin })).customerNumber !== customerNumber)
      throw notThisCustomers();
    const stopped = await stopAgreement(caller, { agreementId: target, origin: input.origin });
    return `Agreement ${stopped.agreementId} (${stopped.productName}) is stopped.`;
  }
  if (!/^[1-9][0-9]{0,14}$/.test(target)) throw notThisCustomers();
  const recurringPaymentId = Number(target);
  if ((await getRecurringPayment(caller, { recurringPaymentId })).customerNumber !== customerNumber)
    throw notThisCustomers();
  if (input.action === "end-recurring") {
    await endRecurringPayment(caller, { recurringPaymentId });
    return `Recurring payment ${recurringPaymentId} is ended.`;
  }
  await updateRecurringPayment(caller, { recurringPaymentId, isPrimary: true });
  return `Recurring payment ${recurringPaymentId} is now the customer's primary one.`;
}
