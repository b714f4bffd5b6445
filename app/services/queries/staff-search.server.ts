// The search for everything in the staff header (app/domain/staff-search.ts): a few ranked
// answers per group, each found through an index, so that it answers as fast on a million
// payments as on a thousand (scripts/bench-search.ts measures it). Read-only. Which groups a
// user may see is decided by the route, from their permissions; the tenant of an API client's
// caller still confines every group to its organisation.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { readDb } from "../../platform/db.server";
import { credits, customers, organisations, payments } from "../../../db/schema";
import { tenantOf, type Caller } from "../../domain/caller";
import { QUICK_SEARCH_KINDS, type QuickSearchKind } from "../../domain/quick-search";
import {
  PARTIAL_TEXT_MIN,
  SEARCH_GROUP_LIMIT,
  type CustomerSearch,
  type SearchGroup,
  type StaffSearch,
} from "../../domain/staff-search";
import { escapeLike, quickSearchSource } from "./payment-list.server";

export type PaymentHit = {
  paymentId: number;
  orderId: string | null;
  organisationName: string;
  customerNumber: string | null;
  totalAmount: string;
  currency: string;
  createdAt: Date;
  /** The best kind it matched by. */
  matchedBy: QuickSearchKind;
};

export type CreditHit = {
  creditId: number;
  orderId: string | null;
  totalCreditAmount: string;
  currency: string;
  status: string;
  createdAt: Date;
};

export type CustomerHit = {
  customerNumber: string;
  name: string;
  email: string;
  matchedBy: "customerNumber" | "email" | "name";
};

/** A group's answers: at most SEARCH_GROUP_LIMIT, and whether there were more. */
export type SearchGroupHits<T> = { items: T[]; more: boolean };

export type StaffSearchResult = {
  text: string;
  /** null: the user may not see this group. */
  payments: SearchGroupHits<PaymentHit> | null;
  credits: SearchGroupHits<CreditHit> | null;
  customers: SearchGroupHits<CustomerHit> | null;
};

/**
 * Rank of each kind of payment match, best first: what names one payment (its id, an rrn, the
 * whole orderId) before what many payments share (a card's last 4, part of an orderId, an amount).
 */
const PAYMENT_RANK: Record<QuickSearchKind | "orderIdExact", number> = {
  paymentId: 0,
  rrn: 1,
  orderIdExact: 1,
  cardNumber: 2,
  orderId: 3,
  amount: 4,
};

// One more than shown, to know whether there are more.
const FETCH = SEARCH_GROUP_LIMIT + 1;

/** Searches the groups the user may see; every group at once. */
export async function searchEverything(
  caller: Caller,
  input: { search: StaffSearch; groups: readonly SearchGroup[] },
): Promise<StaffSearchResult> {
  const { search, groups } = input;
  const tenant = tenantOf(caller);
  const [paymentHits, creditHits, customerHits] = await Promise.all([
    groups.includes("payments") ? searchPayments(search, tenant) : null,
    groups.includes("credits") ? searchCredits(search, tenant) : null,
    groups.includes("customers") ? searchCustomers(search.customers, tenant) : null,
  ]);
  return { text: search.text, payments: paymentHits, credits: creditHits, customers: customerHits };
}

const hitsOf = <T>(rows: T[]): SearchGroupHits<T> => ({
  items: rows.slice(0, SEARCH_GROUP_LIMIT),
  more: rows.length > SEARCH_GROUP_LIMIT,
});

/**
 * Each kind's newest few matches (every one an index lookup with a LIMIT), then the best rank of
 * each payment, best first and newest first within a rank, joined to what a hit shows of it: one
 * statement.
 */
async function searchPayments(search: StaffSearch, tenant: number | null): Promise<SearchGroupHits<PaymentHit>> {
  const quick = search.payments;
  const ranked = (kind: keyof typeof PAYMENT_RANK, source: SQL) =>
    sql`(select s.payment_id, ${PAYMENT_RANK[kind]}::int as rank, ${kind}::text as kind from (${source}) s order by s.payment_id desc limit ${FETCH})`;
  const sources = quick.kinds.map((kind) =>
    ranked(
      kind,
      kind === "paymentId"
        ? // Only a payment that exists takes one of the few places.
          sql`select ${payments.paymentId} from ${payments} where ${payments.paymentId} = ${quick.values.paymentId!}`
        : quickSearchSource(kind, quick.values),
    ),
  );
  // The whole orderId, in any case, ranks above a part of one (an exact match may be older than
  // the newest few partial ones).
  if (quick.values.orderId !== undefined) {
    sources.push(
      ranked(
        "orderIdExact",
        sql`select ${payments.paymentId} from ${payments} where lower(${payments.orderId}) = ${quick.values.orderId}`,
      ),
    );
  }
  const best = sql`(
    select m.payment_id, min(m.rank) as rank, (array_agg(m.kind order by m.rank))[1] as kind
      from (${sql.join(sources, sql` union all `)}) m
      ${tenant === null ? sql`` : sql`join ${payments} p on p.payment_id = m.payment_id where p.organisation_id = ${tenant}`}
     group by m.payment_id
     order by min(m.rank), m.payment_id desc
     limit ${FETCH}) best`;
  const rows = await readDb()
    .select({
      paymentId: payments.paymentId,
      orderId: payments.orderId,
      organisationName: organisations.name,
      customerNumber: payments.customerNumber,
      totalAmount: payments.totalAmount,
      currency: payments.currency,
      createdAt: payments.createdAt,
      kind: sql<string>`best.kind`,
    })
    .from(payments)
    .innerJoin(best, sql`best.payment_id = ${payments.paymentId}`)
    .innerJoin(organisations, eq(organisations.id, payments.organisationId))
    .orderBy(sql`best.rank`, desc(payments.paymentId));
  const hits = rows.flatMap(({ kind: found, ...detail }) => {
    const kind = found === "orderIdExact" ? "orderId" : found;
    if (!(QUICK_SEARCH_KINDS as readonly string[]).includes(kind)) return [];
    return [{ ...detail, matchedBy: kind as QuickSearchKind }];
  });
  return hitsOf(hits);
}

/** A credit by its id (the credits list filters everything else). */
async function searchCredits(search: StaffSearch, tenant: number | null): Promise<SearchGroupHits<CreditHit>> {
  if (search.creditId === null) return { items: [], more: false };
  const rows = await readDb()
    .select({
      creditId: credits.creditId,
      orderId: credits.orderId,
      totalCreditAmount: credits.totalCreditAmount,
      currency: credits.currency,
      status: credits.status,
      createdAt: credits.createdAt,
    })
    .from(credits)
    .where(and(eq(credits.creditId, search.creditId), tenant === null ? undefined : eq(credits.organisationId, tenant)))
    .limit(FETCH);
  return hitsOf(rows);
}

/**
 * Customers by number (exact), whole email, name (every word a part of it), then any part of the
 * email; each through its index (the primary key, pg_trgm on lower(email) and lower(name)).
 */
async function searchCustomers(search: CustomerSearch, tenant: number | null): Promise<SearchGroupHits<CustomerHit>> {
  const email = sql`lower(${customers.email})`;
  const name = sql`lower(${customers.name})`;
  const contains = (column: SQL, text: string) => sql`${column} like ${`%${escapeLike(text)}%`}`;
  const emailMatch =
    search.lowered.length < PARTIAL_TEXT_MIN ? sql`${email} = ${search.lowered}` : contains(email, search.lowered);
  const nameMatch = search.words.some((word) => word.length >= PARTIAL_TEXT_MIN)
    ? sql.join(
        search.words.map((word) => contains(name, word)),
        sql` and `,
      )
    : sql`${name} = ${search.lowered}`;
  // The number, the whole email, then the name before a part of an email (a name is what a
  // person says on the phone).
  const rank = sql<number>`case
      when ${customers.customerNumber} = ${search.customerNumber ?? ""} then 0
      when ${email} = ${search.lowered} then 1
      when ${nameMatch} then 2
      else 3 end`;
  const rows = await readDb()
    .select({
      customerNumber: customers.customerNumber,
      name: customers.name,
      email: customers.email,
      rank,
    })
    .from(customers)
    .where(
      and(
        sql`(${search.customerNumber === null ? sql`false` : eq(customers.customerNumber, search.customerNumber)} or ${emailMatch} or (${nameMatch}))`,
        tenant === null ? undefined : eq(customers.organisationId, tenant),
      ),
    )
    .orderBy(rank, customers.name, desc(customers.customerNumber))
    .limit(FETCH);
  return hitsOf(
    rows.map(({ rank: r, ...customer }) => ({
      ...customer,
      matchedBy: Number(r) === 0 ? "customerNumber" : Number(r) === 2 ? "name" : "email",
    })),
  );
}
