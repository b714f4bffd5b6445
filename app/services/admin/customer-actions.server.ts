// What staff may do on a customer's screen: end a recurring payment, make one primary, stop an
// agreement. Each goes through the same use-case as the API (which writes the audit entry with
// the reason in its DB transaction), after checking that the thing belongs to the customer whose
// screen the form was on, so a stale or forged form cannot act on someone else's card.
import { DomainError, type Say } from "../../domain/errors";
import type { StaffCaller } from "../../domain/caller";
import { getAgreement, stopAgreement } from "../agreements/agreements.server";
import {
  endRecurringPayment,
  getRecurringPayment,
  updateRecurringPayment,
} from "../recurring/recurring-payments.server";

export const CUSTOMER_ACTIONS = ["end-recurring", "make-primary", "stop-agreement"] as const;
export type CustomerAction = (typeof CUSTOMER_ACTIONS)[number];

const notThisCustomers = () =>
  new DomainError("not_found", "That does not belong to this customer; reload the page.", {
    say: { key: "errors.customer.notThisCustomers" },
  });

/**
 * Runs one action on a recurring payment or agreement of the customer; answers what the
 * notification says, in English and as a locale key for the staff screens. The use-case it calls may refuse with its own errors as well.
 * @throws not_found  the recurring payment or agreement is unknown or not this customer's
 * @throws conflict   the agreement has expired; the card is ended or expired (make-primary)
 */
export async function runCustomerAction(
  caller: StaffCaller,
  input: { customerNumber: string; action: CustomerAction; target: string; origin: string },
): Promise<{ message: string; say: Say }> {
  const { customerNumber, target } = input;
  if (input.action === "stop-agreement") {
    if ((await getAgreement(caller, { agreementId: target, origin: input.origin })).customerNumber !== customerNumber)
      throw notThisCustomers();
    const stopped = await stopAgreement(caller, { agreementId: target, origin: input.origin });
    return {
      message: `Agreement ${stopped.agreementId} (${stopped.productName}) is stopped.`,
      say: {
        key: "toasts.customers.agreementStopped",
        values: { agreementId: stopped.agreementId, product: stopped.productName },
      },
    };
  }
  if (!/^[1-9][0-9]{0,14}$/.test(target)) throw notThisCustomers();
  const recurringPaymentId = Number(target);
  if ((await getRecurringPayment(caller, { recurringPaymentId })).customerNumber !== customerNumber)
    throw notThisCustomers();
  if (input.action === "end-recurring") {
    await endRecurringPayment(caller, { recurringPaymentId });
    return {
      message: `Recurring payment ${recurringPaymentId} is ended.`,
      say: { key: "toasts.customers.recurringEnded", values: { recurringPaymentId } },
    };
  }
  await updateRecurringPayment(caller, { recurringPaymentId, isPrimary: true });
  return {
    message: `Recurring payment ${recurringPaymentId} is now the customer's primary one.`,
    say: { key: "toasts.customers.madePrimary", values: { recurringPaymentId } },
  };
}
