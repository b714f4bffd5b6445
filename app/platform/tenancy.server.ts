// Tenancy in SQL: a client caller sees only its organisation's payments; staff and the system
// see every organisation. Another organisation's ids therefore simply match nothing.
import { eq, type SQL } from "drizzle-orm";
import { payments } from "../../db/schema";
import { tenantOf, type Caller } from "../domain/caller";

/** The condition on `payments` that confines a query to the caller's organisation (none for staff). */
export function tenantCondition(caller: Caller): SQL | undefined {
  const organisationId = tenantOf(caller);
  return organisationId === null ? undefined : eq(payments.organisationId, organisationId);
}
