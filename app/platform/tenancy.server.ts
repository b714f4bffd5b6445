// Tenancy in SQL: a client caller sees only its organisation's payments; staff and the system
// see every organisation. Another organisation's ids therefore simply match nothing.
import { eq, type SQL } from "drizzle-orm";
import { paymentTransactions, payments } from "../../db/schema";
import { tenantOf, type Caller } from "../domain/caller";

/** The condition on `payments` that confines a query to the caller's organisation (none for staff). */
export function tenantCondition(caller: Caller): SQL | undefined {
  const organisationId = tenantOf(caller);
  return organisationId === null ? undefined : eq(payments.organisationId, organisationId);
}

/**
 * The same on `payment_transactions`, which carries its payment's organisation (a foreign key keeps
 * them equal): a transaction filter confined to one organisation without reading payments
 * (docs/decisions/059-organisation-on-transactions.md).
 */
export function transactionTenantCondition(caller: Caller): SQL | undefined {
  const organisationId = tenantOf(caller);
  return organisationId === null ? undefined : eq(paymentTransactions.organisationId, organisationId);
}
