// Payment methods per client and distribution channel. A disabled method vanishes from the list
// and refuses new transactions at once: both read the same `enabled` column, no cache between.
import { createHash } from "node:crypto";
import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../../../db/client";
import { apiClients, paymentMethods } from "../../../db/schema";
import { PAYMENT_TYPE_GROUPS, PAYMENT_TYPES, type PaymentTypeGroup } from "../../domain/enums";
import { conflict, invalid, notFound } from "../../domain/errors";
import {
  MAX_BULK_METHODS,
  methodScopeText,
  planMethodSwitch,
  type MethodInScope,
} from "../../domain/payment-method-switch";
import type { FieldSpec, SearchQuery } from "../../domain/search-filter";
import { auditStaffAction } from "../../platform/audit.server";
import type { Caller, ClientCaller } from "../../domain/caller";
import { pageOf, rowsBefore, type Page } from "../queries/payment-search.server";
import { allOf, conditionsFor } from "../../platform/search-sql.server";
import { searchColumns } from "../queries/search-columns.server";
import { db } from "../../platform/db.server";
import { inTransaction } from "../../platform/transaction.server";
import { preparedStatement } from "../../platform/prepared.server";

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

/**
 * The client's enabled methods on the channels the request speaks for (GET /v1/payment-methods),
 * optionally only those of the given payment types and groups.
 */
export async function listPaymentMethods(
  caller: ClientCaller,
  input: { paymentType?: string[]; paymentTypeGroup?: PaymentTypeGroup[] },
): Promise<PaymentMethodRow[]> {
  const filters = input;
  const channels = channelsOf(caller);
  if (!channels.length) return [];
  const conditions: (SQL | undefined)[] = [
    eq(paymentMethods.clientId, caller.clientId),
    eq(paymentMethods.enabled, true),
    inArray(paymentMethods.distributionChannelId, channels),
    filters.paymentType?.length ? inArray(paymentMethods.paymentType, filters.paymentType) : undefined,
    filters.paymentTypeGroup?.length ? inArray(paymentMethods.paymentTypeGroup, filters.paymentTypeGroup) : undefined,
  ];
  return db()
    .select()
    .from(paymentMethods)
    .where(and(...conditions))
    .orderBy(
      asc(paymentMethods.distributionChannelId),
      asc(paymentMethods.paymentTypeGroup),
      asc(paymentMethods.paymentType),
    );
}

/**
 * The enabled method a new transaction would use, or null. Without a payment type (a card
 * whose scheme is not known yet) any enabled method of the group will do. Read inside the
 * transaction that creates the transaction.
 */
export async function findUsableMethod(
  tx: Tx,
  caller: ClientCaller,
  input: { paymentType: string | null; paymentTypeGroup: PaymentTypeGroup },
): Promise<PaymentMethodRow | null> {
  const { paymentType, paymentTypeGroup: group } = input;
  const channels = channelsOf(caller);
  if (!channels.length) return null;
  const [method] = paymentType
    ? await usableMethodOfType(tx, { clientId: caller.clientId, channels, paymentType })
    : await usableMethodOfGroup(tx, { clientId: caller.clientId, channels, paymentTypeGroup: group });
  return method ?? null;
}

/** The client's first enabled method of `column` = :value on one of :channels (prepared: the money path). */
const usableMethodBy = (
  column: typeof paymentMethods.paymentType | typeof paymentMethods.paymentTypeGroup,
  name: string,
) =>
  preparedStatement(name, (on) =>
    on
      .select()
      .from(paymentMethods)
      .where(
        and(
          eq(paymentMethods.clientId, sql.placeholder("clientId")),
          eq(paymentMethods.enabled, true),
          sql`${paymentMethods.distributionChannelId} = any(${sql.placeholder("channels")}::text[])`,
          eq(column, sql.placeholder(column === paymentMethods.paymentType ? "paymentType" : "paymentTypeGroup")),
        ),
      )
      .orderBy(asc(paymentMethods.id))
      .limit(1),
  );
const usableMethodOfType = usableMethodBy(paymentMethods.paymentType, "usable_method_of_type");
const usableMethodOfGroup = usableMethodBy(paymentMethods.paymentTypeGroup, "usable_method_of_group");

// ---------------------------------------------------------------- the back-office

/** The staff screen's filters, in the /v1 search grammar (all from the URL). */
export const STAFF_METHOD_FILTERS = {
  id: { type: "integer", min: 1 },
  clientId: { type: "string" },
  channel: { type: "string" },
  paymentType: { type: "enum", values: PAYMENT_TYPES },
  paymentTypeGroup: { type: "enum", values: PAYMENT_TYPE_GROUPS },
  enabled: { type: "boolean" },
} as const satisfies Record<string, FieldSpec>;

const STAFF_METHOD_COLUMNS = searchColumns(paymentMethods, STAFF_METHOD_FILTERS, {
  channel: paymentMethods.distributionChannelId,
});

export type StaffMethodItem = {
  id: number;
  clientId: string;
  clientName: string;
  clientDisabled: boolean;
  distributionChannelId: string;
  paymentType: string;
  paymentTypeGroup: string;
  enabled: boolean;
  disabledReason: string | null;
  updatedAt: Date;
};

/** The columns of a StaffMethodItem (a method with its client), from methods joined to clients. */
const STAFF_METHOD_ITEM = {
  id: paymentMethods.id,
  clientId: paymentMethods.clientId,
  clientName: apiClients.name,
  clientDisabled: sql<boolean>`${apiClients.disabledAt} is not null`,
  distributionChannelId: paymentMethods.distributionChannelId,
  paymentType: paymentMethods.paymentType,
  paymentTypeGroup: paymentMethods.paymentTypeGroup,
  enabled: paymentMethods.enabled,
  disabledReason: paymentMethods.disabledReason,
  updatedAt: paymentMethods.updatedAt,
};

/**
 * Methods on the channels each client sells through now (a removed channel's methods stay in
 * the table for when it comes back, but the API cannot reach them, so they are not listed).
 */
export async function listMethodsForStaff(
  _caller: Caller,
  input: { query: SearchQuery },
): Promise<Page<StaffMethodItem>> {
  const { query } = input;
  const database = db();
  const where = allOf([
    sql`${paymentMethods.distributionChannelId} = any(${apiClients.distributionChannels})`,
    ...conditionsFor(query.filters, STAFF_METHOD_COLUMNS),
  ]);
  const [{ total }] = await database
    .select({ total: count() })
    .from(paymentMethods)
    .innerJoin(apiClients, eq(apiClients.clientId, paymentMethods.clientId))
    .where(where);
  const items = await database
    .select(STAFF_METHOD_ITEM)
    .from(paymentMethods)
    .innerJoin(apiClients, eq(apiClients.clientId, paymentMethods.clientId))
    .where(where)
    .orderBy(
      asc(apiClients.name),
      asc(paymentMethods.clientId),
      asc(paymentMethods.distributionChannelId),
      asc(paymentMethods.paymentTypeGroup),
      asc(paymentMethods.paymentType),
    )
    .limit(query.perPage)
    .offset(rowsBefore(query));
  return pageOf(items, total, query);
}

/** The channels of every client, for the screen's filter. */
export async function methodChannels(_caller: Caller): Promise<string[]> {
  const rows = await db()
    .selectDistinct({ channel: sql<string>`unnest(${apiClients.distributionChannels})` })
    .from(apiClients);
  return rows.map((row) => row.channel).sort();
}

/**
 * Enables or disables one method. Disabling needs a reason (kept on the row and in the audit
 * log). The API reads the same `enabled` column, so GET /v1/payment-methods and new
 * transactions see the change as soon as this commits.
 * @throws invalid    disabling without a reason
 * @throws not_found  there is no such method
 * @throws conflict   the method is enabled (or disabled) already
 */
export async function setPaymentMethodEnabled(
  caller: Caller,
  input: { methodId: number; enabled: boolean; reason: string | null },
): Promise<PaymentMethodRow> {
  const { methodId, enabled, reason } = input;
  if (!enabled && !reason)
    throw invalid("reason", "is required: say why the method is disabled", {
      key: "errors.paymentMethod.reasonDisable",
    });
  return inTransaction(async (tx) => {
    const [method] = await tx.select().from(paymentMethods).where(eq(paymentMethods.id, methodId)).for("update");
    if (!method) throw notFound("Payment method", methodId);
    if (method.enabled === enabled) {
      throw conflict(
        `${method.paymentType} on ${method.distributionChannelId} is ${enabled ? "enabled" : "disabled"} already`,
        undefined,
        {
          key: enabled ? "errors.paymentMethod.enabledAlready" : "errors.paymentMethod.disabledAlready",
          values: { paymentType: method.paymentType, channel: method.distributionChannelId },
        },
      );
    }
    return switchMethod(tx, caller, method, { enabled, reason, at: new Date() });
  });
}

// ---------------------------------------------------------------- many at once

/** Which methods a bulk switch is about: one payment type, some or all clients and channels. */
export type MethodSwitchScope = {
  paymentType: string;
  /** null: every client. */
  clientIds: string[] | null;
  /** null: every channel. */
  channels: string[] | null;
};

export type MethodSwitchPreview = {
  changes: StaffMethodItem[];
  unchanged: StaffMethodItem[];
  /** What the confirm must still find (docs/decisions/041). */
  fingerprint: string;
};

const fingerprintOf = (methods: readonly MethodInScope[]) =>
  createHash("sha256").update(methodScopeText(methods)).digest("base64url");

/**
 * The methods of the scope on the channels their clients sell through now (as the screen lists
 * them), by id; locked FOR UPDATE in that order inside a transaction.
 * @throws invalid  nothing matches, or more than MAX_BULK_METHODS methods do
 */
async function methodsInScope(database: Db | Tx, scope: MethodSwitchScope, lock: boolean) {
  const query = database
    .select(STAFF_METHOD_ITEM)
    .from(paymentMethods)
    .innerJoin(apiClients, eq(apiClients.clientId, paymentMethods.clientId))
    .where(
      and(
        eq(paymentMethods.paymentType, scope.paymentType),
        sql`${paymentMethods.distributionChannelId} = any(${apiClients.distributionChannels})`,
        scope.clientIds ? inArray(paymentMethods.clientId, scope.clientIds) : undefined,
        scope.channels ? inArray(paymentMethods.distributionChannelId, scope.channels) : undefined,
      ),
    )
    .orderBy(asc(paymentMethods.id))
    .limit(MAX_BULK_METHODS + 1);
  const methods: StaffMethodItem[] = lock ? await query.for("update", { of: paymentMethods }) : await query;
  if (!methods.length)
    throw invalid("scope", `no ${scope.paymentType} method matches these clients and channels`, {
      key: "errors.paymentMethod.noneMatch",
      values: { paymentType: scope.paymentType },
    });
  if (methods.length > MAX_BULK_METHODS) {
    throw invalid(
      "scope",
      `matches more than ${MAX_BULK_METHODS} methods; choose fewer clients or channels and do it in several steps`,
      { key: "errors.paymentMethod.tooMany", values: { max: MAX_BULK_METHODS } },
    );
  }
  return methods;
}

/**
 * What switching the scope's methods to `enabled` would change, and what is so already. Reads
 * only; the fingerprint goes with the confirm.
 * @throws invalid  nothing matches, or too many do
 */
export async function previewMethodSwitch(
  _caller: Caller,
  input: { scope: MethodSwitchScope; enabled: boolean },
): Promise<MethodSwitchPreview> {
  const methods = await methodsInScope(db(), input.scope, false);
  return { ...planMethodSwitch(methods, input.enabled), fingerprint: fingerprintOf(methods) };
}

/**
 * Switches every method of the scope to `enabled` in one DB transaction, the methods locked in
 * id order, one audit entry per method that changes; those already as wanted write nothing. Only
 * if the scope is as the preview saw it: otherwise nothing changes and the caller previews again.
 * @throws invalid   no reason; nothing matches, or too many do
 * @throws conflict  a method of the scope was added, removed or toggled since the preview
 */
export async function switchPaymentMethods(
  caller: Caller,
  input: { scope: MethodSwitchScope; enabled: boolean; reason: string | null; fingerprint: string },
): Promise<{ changed: StaffMethodItem[]; unchanged: number }> {
  const { scope, enabled, reason } = input;
  if (!reason)
    throw invalid("reason", "is required: say why the methods change", { key: "errors.paymentMethod.reasonSwitch" });
  return inTransaction(async (tx) => {
    const methods = await methodsInScope(tx, scope, true);
    if (fingerprintOf(methods) !== input.fingerprint) {
      throw conflict(
        "These methods changed since the preview (someone else switched one, or a client or channel was added); nothing was changed. Look at the new preview and confirm again.",
        undefined,
        { key: "errors.paymentMethod.changedSincePreview" },
      );
    }
    const plan = planMethodSwitch(methods, enabled);
    const at = new Date();
    for (const method of plan.changes) await switchMethod(tx, caller, method, { enabled, reason, at, bulk: true });
    return { changed: plan.changes, unchanged: plan.unchanged.length };
  });
}

/** Switches one locked method and writes its audit entry (the disabling reason is kept on the row). */
async function switchMethod(
  tx: Tx,
  caller: Caller,
  method: Pick<
    PaymentMethodRow,
    "id" | "clientId" | "distributionChannelId" | "paymentType" | "enabled" | "disabledReason"
  >,
  change: { enabled: boolean; reason: string | null; at: Date; bulk?: true },
): Promise<PaymentMethodRow> {
  const { enabled, at } = change;
  const [updated] = await tx
    .update(paymentMethods)
    .set({ enabled, disabledReason: enabled ? null : change.reason, updatedAt: at })
    .where(eq(paymentMethods.id, method.id))
    .returning();
  const what = {
    clientId: method.clientId,
    distributionChannelId: method.distributionChannelId,
    paymentType: method.paymentType,
  };
  await auditStaffAction(tx, caller, {
    action: enabled ? "payment_method.enable" : "payment_method.disable",
    entityType: "payment_method",
    entityId: method.id,
    before: { ...what, enabled: method.enabled, disabledReason: method.disabledReason },
    after: {
      ...what,
      enabled: updated.enabled,
      disabledReason: updated.disabledReason,
      ...(change.bulk ? { bulk: true } : {}),
    },
  });
  return updated;
}
