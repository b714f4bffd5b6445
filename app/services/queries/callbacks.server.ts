// Callback deliveries, read-only: the staff console's list (keyset pages, bounded count) and
// detail (every attempt, the target's pause, staff actions on it), and the client's own history
// (GET /v1/callbacks, page/perPage as every /v1 search). The state each row is in is derived the
// same way in SQL (filters) and in TypeScript (app/domain/callback.ts).
import { and, asc, count, desc, eq, gte, inArray, lt, not, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { apiClients, auditLog, callbackAttempts, callbackOutbox, callbackPauses } from "../../../db/schema";
import { CALLBACK_STATES, callbackState, type CallbackState } from "../../domain/callback";
import type { ClientCaller, StaffCaller } from "../../domain/caller";
import { notFound } from "../../domain/errors";
import { INT4, type FieldFilter, type FieldSpec, type SearchQuery } from "../../domain/search-filter";
import type { InstantBounds } from "../../domain/zoned-day-range";
import { countUpToCap, type MatchCount } from "../../platform/bounded-count.server";
import { readDb } from "../../platform/db.server";
import { isPausedSql } from "../../platform/outbox.server";
import { allOf, conditionsFor } from "../../platform/search-sql.server";
import { pageOf, rowsBefore, type Page } from "./payment-search.server";
import { searchColumns } from "./search-columns.server";
import { keysetPageOf, keysetRead, type KeysetCursor, type KeysetDirection } from "./keyset-page.server";

/** The filters of GET /v1/callbacks: a client's own callbacks only. */
export const CALLBACK_API_FIELDS: Record<string, FieldSpec> = {
  state: { type: "enum", values: CALLBACK_STATES },
  createdAt: { type: "timestamp" },
  paymentId: { type: "integer" },
  transactionId: { type: "integer" },
  correlationId: { type: "string" },
};

/** The staff console's: also whose callback it is and where it goes. */
export const CALLBACK_STAFF_FIELDS: Record<string, FieldSpec> = {
  ...CALLBACK_API_FIELDS,
  clientId: { type: "string" },
  organisationId: { type: "integer", ...INT4 },
  target: { type: "string" },
};

const { state: _state, ...COLUMN_FIELDS } = CALLBACK_STAFF_FIELDS;
const COLUMNS = searchColumns(callbackOutbox, COLUMN_FIELDS);

export const MAX_PER_PAGE = 200;

/** Each state as a condition on the outbox row (and its target's pause). */
function stateCondition(state: CallbackState): SQL {
  const open = sql`${callbackOutbox.deliveredAt} is null`;
  switch (state) {
    case "DELIVERED":
      return sql`${callbackOutbox.deliveredAt} is not null`;
    case "PAUSED":
      return and(open, isPausedSql())!;
    case "RETRYING":
      return and(open, not(isPausedSql()), sql`${callbackOutbox.attempts} > 0`)!;
    case "PENDING":
      return and(open, not(isPausedSql()), eq(callbackOutbox.attempts, 0))!;
  }
}

function stateFilter(filter: FieldFilter | undefined): SQL[] {
  if (!filter) return [];
  const conditions: SQL[] = [];
  if (filter.anyOf.length) conditions.push(or(...filter.anyOf.map((s) => stateCondition(s as CallbackState)))!);
  for (const condition of filter.all) conditions.push(not(stateCondition(condition.value as CallbackState)));
  return conditions;
}

export type CallbackFilter = {
  /** Parsed with CALLBACK_STAFF_FIELDS or CALLBACK_API_FIELDS (the /v1 grammar). */
  filters: Record<string, FieldFilter>;
  /** createdAt >= gte and < lt (the staff screen's day range). */
  created?: InstantBounds;
};

/** The callbacks a staff filter matches (every client's). */
export function callbackCondition(filter: CallbackFilter): SQL | undefined {
  return allOf([
    ...conditionsFor(filter.filters, COLUMNS),
    ...stateFilter(filter.filters.state),
    filter.created?.gte ? gte(callbackOutbox.createdAt, filter.created.gte) : undefined,
    filter.created?.lt ? lt(callbackOutbox.createdAt, filter.created.lt) : undefined,
  ]);
}

/** A client's own callbacks, in the organisation it acts for: nobody else's, ever. */
function ownedBy(caller: ClientCaller): SQL {
  return and(eq(callbackOutbox.clientId, caller.clientId), eq(callbackOutbox.organisationId, caller.organisationId))!;
}

const lastAttemptAt = sql<Date | null>`(select max(${callbackAttempts.attemptedAt}) from ${callbackAttempts} where ${callbackAttempts.callbackId} = ${callbackOutbox.id})`;

const SUMMARY = {
  id: callbackOutbox.id,
  url: callbackOutbox.url,
  target: callbackOutbox.target,
  clientId: callbackOutbox.clientId,
  organisationId: callbackOutbox.organisationId,
  paymentId: callbackOutbox.paymentId,
  transactionId: callbackOutbox.transactionId,
  correlationId: callbackOutbox.correlationId,
  attempts: callbackOutbox.attempts,
  nextAttemptAt: callbackOutbox.nextAttemptAt,
  lastStatus: callbackOutbox.lastStatus,
  lastError: callbackOutbox.lastError,
  deliveredAt: callbackOutbox.deliveredAt,
  createdAt: callbackOutbox.createdAt,
  paused: isPausedSql(),
};

type SummaryRow = {
  [K in keyof typeof SUMMARY]: K extends "paused"
    ? boolean
    : (typeof callbackOutbox.$inferSelect)[K & keyof typeof callbackOutbox.$inferSelect];
};

export type CallbackSummary = Omit<SummaryRow, "paused" | "nextAttemptAt"> & {
  state: CallbackState;
  /** When it is tried next: only while PENDING or RETRYING. */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
};

function summaryOf(row: SummaryRow & { lastAttemptAt: Date | string | null }): CallbackSummary {
  const { paused, ...rest } = row;
  const state = callbackState({ deliveredAt: row.deliveredAt, attempts: row.attempts, paused });
  return {
    ...rest,
    state,
    nextAttemptAt: state === "PENDING" || state === "RETRYING" ? row.nextAttemptAt : null,
    // A subquery's timestamp reaches us as text on some drivers.
    lastAttemptAt: row.lastAttemptAt === null ? null : new Date(row.lastAttemptAt),
  };
}

// ---------------------------------------------------------------- staff: list

export type CallbackListQuery = CallbackFilter & { cursor?: KeysetDirection; perPage: number };

export type StaffCallback = CallbackSummary & { clientName: string | null };

export type CallbackListPage = {
  items: StaffCallback[];
  newer: KeysetCursor | null;
  older: KeysetCursor | null;
  /** Rows matching the filters (not the cursor): exact up to 10 000, estimated above. */
  matching: MatchCount;
  perPage: number;
};

const countOf = (database: Db, where: SQL | undefined) =>
  countUpToCap(database, () =>
    database
      .select({ one: sql`1` })
      .from(callbackOutbox)
      .where(where)
      .$dynamic(),
  );

/** One keyset page of every client's callbacks, newest first, and the bounded count of the match. */
export async function searchCallbacks(_caller: StaffCaller, query: CallbackListQuery): Promise<CallbackListPage> {
  const database = readDb();
  const where = callbackCondition(query);
  const read = keysetRead({ createdAt: callbackOutbox.createdAt, id: callbackOutbox.id }, where, query, MAX_PER_PAGE);
  const [fetched, matching] = await Promise.all([
    database
      .select({ ...SUMMARY, lastAttemptAt, clientName: apiClients.name })
      .from(callbackOutbox)
      .leftJoin(apiClients, eq(apiClients.clientId, callbackOutbox.clientId))
      .where(read.where)
      .orderBy(...read.orderBy)
      .limit(read.limit),
    countOf(database, where),
  ]);
  const page = keysetPageOf(fetched, read.perPage, read.cursor);
  const items = page.items.map(({ clientName, ...row }) => ({ ...summaryOf(row), clientName }));
  return { items, newer: page.newer, older: page.older, matching, perPage: read.perPage };
}

/** The ids a filter matches, newest first, at most `limit` (a bulk resend's set). */
export async function matchingCallbackIds(filter: CallbackFilter, limit: number): Promise<number[]> {
  const rows = await readDb()
    .select({ id: callbackOutbox.id })
    .from(callbackOutbox)
    .where(callbackCondition(filter))
    .orderBy(desc(callbackOutbox.createdAt), desc(callbackOutbox.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** The API clients that have callbacks, for the client filter. */
export async function callbackClients(_caller: StaffCaller): Promise<{ clientId: string; name: string }[]> {
  return readDb()
    .select({ clientId: apiClients.clientId, name: apiClients.name })
    .from(apiClients)
    .orderBy(asc(apiClients.name));
}

export type CallbackTarget = {
  clientId: string;
  target: string;
  /** Callbacks to it not delivered yet. */
  waiting: number;
  pause: { pausedAt: Date; pausedBy: string; reason: string } | null;
};

/** A client's targets that have callbacks waiting or are paused, with their pause. */
export async function callbackTargets(_caller: StaffCaller, input: { clientId: string }): Promise<CallbackTarget[]> {
  const database = readDb();
  const [waiting, pauses] = await Promise.all([
    database
      .select({ target: callbackOutbox.target, waiting: sql<number>`count(*)::int` })
      .from(callbackOutbox)
      .where(and(eq(callbackOutbox.clientId, input.clientId), sql`${callbackOutbox.deliveredAt} is null`))
      .groupBy(callbackOutbox.target),
    database.select().from(callbackPauses).where(eq(callbackPauses.clientId, input.clientId)),
  ]);
  const targets = new Map<string, CallbackTarget>();
  for (const row of waiting)
    targets.set(row.target, { clientId: input.clientId, target: row.target, waiting: row.waiting, pause: null });
  for (const { clientId, target, ...pause } of pauses) {
    targets.set(target, { clientId, target, waiting: targets.get(target)?.waiting ?? 0, pause });
  }
  return [...targets.values()].sort((a, b) => a.target.localeCompare(b.target));
}

// ---------------------------------------------------------------- detail (staff and client)

export type CallbackAttempt = {
  id: number;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  delivered: boolean;
};

export type CallbackDetail = CallbackSummary & {
  payload: Record<string, unknown>;
  attemptList: CallbackAttempt[];
};

async function detailWhere(where: SQL, id: number): Promise<CallbackDetail> {
  const database = readDb();
  const [row] = await database
    .select({ ...SUMMARY, lastAttemptAt, payload: callbackOutbox.payload })
    .from(callbackOutbox)
    .where(and(eq(callbackOutbox.id, id), where));
  if (!row) throw notFound("callback", id);
  const attemptList = await database
    .select({
      id: callbackAttempts.id,
      attemptedAt: callbackAttempts.attemptedAt,
      statusCode: callbackAttempts.statusCode,
      latencyMs: callbackAttempts.latencyMs,
      error: callbackAttempts.error,
      delivered: callbackAttempts.delivered,
    })
    .from(callbackAttempts)
    .where(eq(callbackAttempts.callbackId, id))
    .orderBy(asc(callbackAttempts.attemptedAt), asc(callbackAttempts.id));
  const { payload, ...summary } = row;
  return { ...summaryOf(summary), payload, attemptList };
}

export type StaffAction = {
  at: Date;
  action: string;
  actorEmail: string;
  reason: string | null;
};

export type StaffCallbackDetail = CallbackDetail & {
  clientName: string | null;
  pause: { pausedAt: Date; pausedBy: string; reason: string } | null;
  /** Resends of this callback, and pauses and resumes of its target, oldest first. */
  staffActions: StaffAction[];
};

/** One callback with every attempt, its target's pause and what staff did to it. */
export async function getCallbackForStaff(
  _caller: StaffCaller,
  input: { callbackId: number },
): Promise<StaffCallbackDetail> {
  const detail = await detailWhere(sql`true`, input.callbackId);
  const database = readDb();
  const targetKey = detail.clientId ? `${detail.clientId} ${detail.target}` : null;
  const [client, pause, actions] = await Promise.all([
    detail.clientId
      ? database.select({ name: apiClients.name }).from(apiClients).where(eq(apiClients.clientId, detail.clientId))
      : Promise.resolve([]),
    detail.clientId
      ? database
          .select({
            pausedAt: callbackPauses.pausedAt,
            pausedBy: callbackPauses.pausedBy,
            reason: callbackPauses.reason,
          })
          .from(callbackPauses)
          .where(and(eq(callbackPauses.clientId, detail.clientId), eq(callbackPauses.target, detail.target)))
      : Promise.resolve([]),
    database
      .select({
        at: auditLog.createdAt,
        action: auditLog.action,
        actorEmail: auditLog.actorEmail,
        reason: auditLog.reason,
      })
      .from(auditLog)
      .where(
        or(
          and(eq(auditLog.entityType, "callback"), eq(auditLog.entityId, String(input.callbackId))),
          targetKey ? and(eq(auditLog.entityType, "callback-target"), eq(auditLog.entityId, targetKey)) : undefined,
        ),
      )
      .orderBy(asc(auditLog.createdAt), asc(auditLog.id)),
  ]);
  return { ...detail, clientName: client[0]?.name ?? null, pause: pause[0] ?? null, staffActions: actions };
}

// ---------------------------------------------------------------- the client's own (GET /v1/callbacks)

/** One of the caller's own callbacks with every attempt; anyone else's is 404. */
export async function getCallback(caller: ClientCaller, input: { callbackId: number }): Promise<CallbackDetail> {
  return detailWhere(ownedBy(caller), input.callbackId);
}

/**
 * A page of the caller's own callbacks, newest first, each with every attempt; the count is exact
 * up to 10 000 and estimated above unless `exactTotal` (as GET /v1/payments, docs/decisions/029).
 */
export async function searchOwnCallbacks(
  caller: ClientCaller,
  input: { query: SearchQuery },
): Promise<Page<CallbackDetail> & { totalItemsEstimated: boolean }> {
  const { query } = input;
  const database = readDb();
  const where = allOf([ownedBy(caller), callbackCondition({ filters: query.filters })]);
  const [rows, matched] = await Promise.all([
    database
      .select({ ...SUMMARY, lastAttemptAt, payload: callbackOutbox.payload })
      .from(callbackOutbox)
      .where(where)
      .orderBy(desc(callbackOutbox.createdAt), desc(callbackOutbox.id))
      .limit(query.perPage)
      .offset(rowsBefore(query)),
    query.exactTotal
      ? database
          .select({ n: count() })
          .from(callbackOutbox)
          .where(where)
          .then(([{ n }]) => ({ count: n, estimated: false }))
      : countOf(database, where),
  ]);
  const attempts = rows.length
    ? await database
        .select()
        .from(callbackAttempts)
        .where(
          inArray(
            callbackAttempts.callbackId,
            rows.map((row) => row.id),
          ),
        )
        .orderBy(asc(callbackAttempts.attemptedAt), asc(callbackAttempts.id))
    : [];
  const items = rows.map(({ payload, ...summary }) => ({
    ...summaryOf(summary),
    payload,
    attemptList: attempts
      .filter((attempt) => attempt.callbackId === summary.id)
      .map(({ callbackId: _id, ...attempt }) => attempt),
  }));
  return { ...pageOf(items, matched.count, query), totalItemsEstimated: matched.estimated };
}
