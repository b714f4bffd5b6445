// Reading payments for the staff screens: the paginated payments list and the few counts the
// dashboard shows until it gets its own service. Read-only; no locks, no log entries.
import { count, desc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { db as defaultDb, type Db } from "../../db/client";
import { dailyVolume, organisations, paymentTransactions, payments } from "../../db/schema";

export const MAX_PER_PAGE = 100;

export type PaymentListOptions = {
  /** 1-based. */
  page: number;
  perPage: number;
  // The filter builder adds its parsed filters here (the API's grammar); they become
  // conditions in `whereFor`, shared by the page query and the count.
};

export type PaymentListTransaction = {
  transactionId: number;
  status: string;
  /** Null while only the group is known (a card's scheme is learnt at the terminal). */
  paymentType: string | null;
  paymentTypeGroup: string;
  /** Last 4 digits of the card, when it was a card. */
  cardNumber: string | null;
  amount: string;
  currency: string;
};

export type PaymentListItem = {
  paymentId: number;
  /** A payment may come without an order. */
  orderId: string | null;
  orderVersion: number | null;
  organisationId: number;
  organisationName: string;
  customerNumber: string | null;
  /** Decimal string as stored, e.g. "199.00000". */
  totalAmount: string;
  currency: string;
  settlementId: string | null;
  active: boolean;
  createdAt: Date;
  /** In transaction id order. */
  transactions: PaymentListTransaction[];
};

export type PaymentList = {
  items: PaymentListItem[];
  /** Payments matching the options, over all pages. */
  total: number;
  page: number;
  perPage: number;
  pageCount: number;
};

const listColumns = {
  paymentId: payments.paymentId,
  orderId: payments.orderId,
  orderVersion: payments.orderVersion,
  organisationId: payments.organisationId,
  organisationName: organisations.name,
  customerNumber: payments.customerNumber,
  totalAmount: payments.totalAmount,
  currency: payments.currency,
  settlementId: payments.settlementId,
  active: payments.active,
  createdAt: payments.createdAt,
};

function whereFor(_options: PaymentListOptions): SQL | undefined {
  return undefined;
}

/**
 * One page of payments, newest first (createdAt, then paymentId, both descending: the order of
 * payments_created_at_idx), with the total count and the page's transactions fetched in one
 * more query. A page past the end is simply empty; `pageCount` tells the screen where the end is.
 */
export async function listPayments(options: PaymentListOptions, database: Db = defaultDb()): Promise<PaymentList> {
  const page = Math.max(1, Math.trunc(options.page));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(options.perPage)));
  const where = whereFor(options);

  const rows = await database
    .select(listColumns)
    .from(payments)
    .innerJoin(organisations, eq(organisations.id, payments.organisationId))
    .where(where)
    .orderBy(desc(payments.createdAt), desc(payments.paymentId))
    .limit(perPage)
    .offset((page - 1) * perPage);

  const [{ total }] = await database.select({ total: count() }).from(payments).where(where);

  const byPayment = await transactionsOf(database, rows.map((row) => row.paymentId));

  return {
    items: rows.map((row) => ({ ...row, transactions: byPayment.get(row.paymentId) ?? [] })),
    total,
    page,
    perPage,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
  };
}

/** The transactions of the given payments, in one query, grouped by payment in id order. */
async function transactionsOf(database: Db, paymentIds: number[]): Promise<Map<number, PaymentListTransaction[]>> {
  const byPayment = new Map<number, PaymentListTransaction[]>();
  if (paymentIds.length === 0) return byPayment;
  const rows = await database
    .select({
      paymentId: paymentTransactions.paymentId,
      transactionId: paymentTransactions.transactionId,
      status: paymentTransactions.status,
      paymentType: paymentTransactions.paymentType,
      paymentTypeGroup: paymentTransactions.paymentTypeGroup,
      cardNumber: paymentTransactions.cardNumber,
      amount: paymentTransactions.amount,
      currency: paymentTransactions.currency,
    })
    .from(paymentTransactions)
    .where(inArray(paymentTransactions.paymentId, paymentIds))
    .orderBy(paymentTransactions.paymentId, paymentTransactions.transactionId);
  for (const { paymentId, ...transaction } of rows) {
    const list = byPayment.get(paymentId) ?? [];
    list.push(transaction);
    byPayment.set(paymentId, list);
  }
  return byPayment;
}

/**
 * One payment with the same fields as a list row, or null. For the detail screen until it gets
 * its own service with amounts, operation log and actions.
 */
export async function findPaymentListItem(paymentId: number, database: Db = defaultDb()): Promise<PaymentListItem | null> {
  const [row] = await database
    .select(listColumns)
    .from(payments)
    .innerJoin(organisations, eq(organisations.id, payments.organisationId))
    .where(eq(payments.paymentId, paymentId));
  if (!row) return null;
  const transactions = await transactionsOf(database, [row.paymentId]);
  return { ...row, transactions: transactions.get(row.paymentId) ?? [] };
}

export type PaymentOverview = {
  paymentsToday: number;
  paymentsLast7Days: number;
  /** Captured, credited and net per currency over the last 7 days (amounts are decimal strings). */
  volumeLast7Days: Array<{ currency: string; captured: string; credited: string; net: string }>;
};

/**
 * The dashboard's first numbers. "Today" starts at midnight in the staff user's time zone; the
 * volume comes from the daily_volume rollup (its `day`, today and the 6 days before), summed
 * in SQL so that amounts stay exact decimals. Currencies are never added together.
 */
export async function getPaymentOverview(
  options: { timeZone: string },
  database: Db = defaultDb(),
): Promise<PaymentOverview> {
  const timeZone = isTimeZone(options.timeZone) ? options.timeZone : "UTC";
  const startOfToday = sql`(date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})`;
  const [counts] = await database
    .select({
      paymentsToday: sql<number>`count(*) filter (where ${payments.createdAt} >= ${startOfToday})`.mapWith(Number),
      paymentsLast7Days: count(),
    })
    .from(payments)
    .where(gte(payments.createdAt, sql`now() - interval '7 days'`));

  const volume = await database
    .select({
      currency: dailyVolume.currency,
      captured: sql<string>`sum(${dailyVolume.capturedAmount})::text`,
      credited: sql<string>`sum(${dailyVolume.creditedAmount})::text`,
      net: sql<string>`(sum(${dailyVolume.capturedAmount}) - sum(${dailyVolume.creditedAmount}))::text`,
    })
    .from(dailyVolume)
    .where(gte(dailyVolume.day, sql`current_date - 6`))
    .groupBy(dailyVolume.currency)
    .orderBy(dailyVolume.currency);

  return { paymentsToday: counts.paymentsToday, paymentsLast7Days: counts.paymentsLast7Days, volumeLast7Days: volume };
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
