// Payment methods per client and distribution channel. A disabled method vanishes from the list
// and refuses new transactions at once: both read the same `enabled` column, no cache between.
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { paymentMethods } from "../../db/schema";
import { PAYMENT_TYPE_GROUPS, PAYMENT_TYPES, type PaymentTypeGroup } from "../domain/enums";
import type { FieldSpec } from "../domain/search-filter";
import type { ClientCaller } from "./caller";

export type PaymentMethodRow = typeof paymentMethods.$inferSelect;

/** The query parameters of GET /v1/payment-methods (the channel comes from its header). */
export const PAYMENT_METHOD_FILTERS: Record<string, FieldSpec> = {
  paymentType: { type: "enum", values: PAYMENT_TYPES },
  paymentTypeGroup: { type: "enum", values: PAYMENT_TYPE_GROUPS },
};

/** The channels a request speaks for: its Entur-Distribution-Channel, else all the client's. */
function channelsOf(caller: ClientCaller): string[] {
  return caller.distributionChannel ? [caller.distributionChannel] : [...caller.channels];
}

export async function listPaymentMethods(
  database: Db,
  caller: ClientCaller,
  filters: { paymentType?: string[]; paymentTypeGroup?: string[] },
): Promise<PaymentMethodRow[]> {
  const channels = channelsOf(caller);
  if (!channels.length) return [];
  const conditions: (SQL | undefined)[] = [
    eq(paymentMethods.clientId, caller.clientId),
    eq(paymentMethods.enabled, true),
    inArray(paymentMethods.distributionChannelId, channels),
    filters.paymentType?.length ? inArray(paymentMethods.paymentType, filters.paymentType) : undefined,
    filters.paymentTypeGroup?.length ? inArray(paymentMethods.paymentTypeGroup, filters.paymentTypeGroup) : undefined,
  ];
  return database
    .select()
    .from(paymentMethods)
    .where(and(...conditions))
    .orderBy(asc(paymentMethods.distributionChannelId), asc(paymentMethods.paymentTypeGroup), asc(paymentMethods.paymentType));
}

/**
 * The enabled method a new transaction would use, or null. Without a payment type (a card
 * whose scheme is not known yet) any enabled method of the group will do.
 */
export async function findUsableMethod(
  tx: Tx,
  caller: ClientCaller,
  paymentType: string | null,
  group: PaymentTypeGroup,
): Promise<PaymentMethodRow | null> {
  const channels = channelsOf(caller);
  if (!channels.length) return null;
  const [method] = await tx
    .select()
    .from(paymentMethods)
    .where(
      and(
        eq(paymentMethods.clientId, caller.clientId),
        eq(paymentMethods.enabled, true),
        inArray(paymentMethods.distributionChannelId, channels),
        paymentType ? eq(paymentMethods.paymentType, paymentType) : eq(paymentMethods.paymentTypeGroup, group),
      ),
    )
    .orderBy(asc(paymentMethods.id))
    .limit(1);
  return method ?? null;
}
