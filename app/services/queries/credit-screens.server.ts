// Reading credits for the staff screens: the same search and views as /v1/credits, plus what a
// person needs next to them (who created the credit, organisation names, the payment
// transactions a line credits, whether the four-eyes rule lets this viewer execute it).
// Read-only: every change goes through app/services/credits/credits.server.ts.
import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { readDb } from "../../platform/db.server";
import {
  apiClients,
  creditTransactions,
  credits,
  organisations,
  paymentTransactions,
  staffUsers,
} from "../../../db/schema";
import { fourEyesExecutor, fourEyesRefusal, needsSecondStaffUser, thresholdFor } from "../../domain/four-eyes";
import { formatAmount, sum, type Money } from "../../domain/money";
import type { SearchQuery } from "../../domain/search-filter";
import { amountsOf, creditableAmount } from "../../domain/transaction";
import type { Caller, StaffCaller } from "../../domain/caller";
import { searchCredits } from "./credit-search.server";
import { getCredit, loadCreditViews, type CreditView } from "../credits/credits.server";
import { readFourEyesSettings, thresholdList } from "../credits/four-eyes-thresholds.server";
import { searchPayments } from "./payment-search.server";

export type CreditCreator =
  | { kind: "staff"; userId: string; name: string; email: string }
  | { kind: "client"; clientId: string; name: string }
  | { kind: "unknown" };

const text = (amount: Money) => formatAmount(amount);

/** A credit as the screens show it: amounts as decimal strings, the creator resolved. */
function screenCredit(credit: CreditView, creator: CreditCreator, organisationName: string) {
  return {
    creditId: credit.creditId,
    orderId: credit.orderId,
    orderVersion: credit.orderVersion,
    totalCreditAmount: text(credit.totalCreditAmount),
    currency: credit.currency,
    active: credit.active,
    status: credit.status,
    settlementId: credit.settlementId,
    customerNumber: credit.customerNumber,
    organisationId: credit.organisationId,
    organisationName,
    reason: credit.reason,
    createdAt: credit.createdAt,
    updatedAt: credit.updatedAt,
    creator,
    creditTransactions: credit.creditTransactions.map((line) => ({
      creditTransactionId: line.creditTransactionId,
      paymentId: line.paymentId,
      transactionId: line.transactionId,
      amount: text(line.amount),
      status: line.status,
      /** Claimed by an execution that has no outcome yet (running now, or interrupted). */
      inProgress: line.status === "CREATED" && line.claimedAt !== null,
      reimbursementMethod: line.reimbursementMethod,
      reimbursementTypeGroup: line.reimbursementTypeGroup,
      rrn: line.rrn,
      creditedAt: line.creditedAt,
      failureReason: line.failureReason,
    })),
  };
}

export type ScreenCredit = ReturnType<typeof screenCredit>;

/** Credits as the screens show them: creators and organisations resolved. */
export async function describeCredits(database: Db, views: CreditView[]): Promise<ScreenCredit[]> {
  if (!views.length) return [];
  const staffIds = [...new Set(views.flatMap((v) => (v.createdByStaffUserId ? [v.createdByStaffUserId] : [])))];
  const clientIds = [...new Set(views.flatMap((v) => (v.createdByClientId ? [v.createdByClientId] : [])))];
  const orgIds = [...new Set(views.map((v) => v.organisationId))];
  const [staff, clients, orgs] = await Promise.all([
    staffIds.length
      ? database
          .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
          .from(staffUsers)
          .where(inArray(staffUsers.id, staffIds))
      : [],
    clientIds.length
      ? database
          .select({ clientId: apiClients.clientId, name: apiClients.name })
          .from(apiClients)
          .where(inArray(apiClients.clientId, clientIds))
      : [],
    database
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(inArray(organisations.id, orgIds)),
  ]);
  return views.map((view) => {
    const user = staff.find((s) => s.id === view.createdByStaffUserId);
    const client = clients.find((c) => c.clientId === view.createdByClientId);
    const creator: CreditCreator = user
      ? { kind: "staff", userId: user.id, name: user.name, email: user.email }
      : client
        ? { kind: "client", clientId: client.clientId, name: client.name }
        : { kind: "unknown" };
    return screenCredit(
      view,
      creator,
      orgs.find((o) => o.id === view.organisationId)?.name ?? `Organisation ${view.organisationId}`,
    );
  });
}

/** One page of the credits list: the same search (and SQL) as GET /v1/credits. */
export async function creditListPage(caller: Caller, input: { query: SearchQuery }) {
  const page = await searchCredits(caller, input);
  return { ...page, items: await describeCredits(readDb(), page.items) };
}

/** The four-eyes thresholds as the screens show them. */
export async function fourEyesSummary(_caller: StaffCaller) {
  const settings = await readFourEyesSettings(readDb());
  return { thresholds: thresholdList(settings.thresholds), source: settings.source };
}

/**
 * One credit with its lines' payment transactions (type, last 4, what they can still give back)
 * and what the four-eyes rule means for the viewer.
 * @throws not_found  the credit is unknown
 */
export async function creditDetail(viewer: StaffCaller, input: { creditId: number }) {
  const database = readDb();
  const view = await getCredit(viewer, input);
  const [[credit], settings] = await Promise.all([describeCredits(database, [view]), readFourEyesSettings(database)]);
  const transactionIds = [...new Set(view.creditTransactions.map((l) => l.transactionId))];
  const rows = transactionIds.length
    ? await database
        .select()
        .from(paymentTransactions)
        .where(inArray(paymentTransactions.transactionId, transactionIds))
    : [];
  const threshold = thresholdFor(settings.thresholds, view.currency);
  return {
    credit,
    transactions: rows.map((row) => ({
      transactionId: row.transactionId,
      paymentType: row.paymentType,
      paymentTypeGroup: row.paymentTypeGroup,
      cardNumber: row.cardNumber,
      status: row.status,
      creditableAmount: text(creditableAmount(amountsOf(row))),
    })),
    fourEyes: {
      /** The creator may not execute it; someone else with credit:execute must. */
      required: needsSecondStaffUser(view, settings.thresholds) && view.createdByStaffUserId !== null,
      threshold: threshold === null ? null : text(threshold),
      /** Why the viewer may not execute it, or null. */
      refusal: fourEyesRefusal(view, fourEyesExecutor(viewer), settings.thresholds),
    },
  };
}

/**
 * Where a credit stands for the people who must act on it: executed, failed in part, or open;
 * an open one above the four-eyes threshold created by a staff user waits for somebody else.
 */
export type CreditStanding =
  | { kind: "credited" }
  | { kind: "failed"; failedLines: number }
  | { kind: "inProgress" }
  | { kind: "awaitsSecondStaffUser"; creator: string; viewerMayExecute: boolean }
  | { kind: "awaitsExecution"; viewerMayExecute: boolean }
  | { kind: "deactivated" };

/** A credit on the payment page: what of it gives back this payment's money, and where it stands. */
export type PaymentCreditView = ScreenCredit & { amountOfThisPayment: string; standing: CreditStanding };

function standingOf(
  credit: ScreenCredit,
  view: CreditView,
  viewer: StaffCaller,
  settings: Awaited<ReturnType<typeof readFourEyesSettings>>,
  viewerMayExecute: boolean,
): CreditStanding {
  if (credit.status === "CREDITED") return { kind: "credited" };
  const failedLines = credit.creditTransactions.filter((l) => l.status === "FAILED").length;
  if (failedLines) return { kind: "failed", failedLines };
  if (credit.creditTransactions.some((l) => l.inProgress)) return { kind: "inProgress" };
  const refused = fourEyesRefusal(view, fourEyesExecutor(viewer), settings.thresholds) !== null;
  if (needsSecondStaffUser(view, settings.thresholds) && credit.creator.kind === "staff") {
    return {
      kind: "awaitsSecondStaffUser",
      creator: credit.creator.email,
      viewerMayExecute: viewerMayExecute && !refused,
    };
  }
  return { kind: "awaitsExecution", viewerMayExecute: viewerMayExecute && !refused };
}

/**
 * The credits that give back money of one payment, newest first, each with where it stands
 * (for the payment page: a waiting credit must be visible where it was asked for).
 */
export async function creditsOfPayment(
  viewer: StaffCaller,
  input: { paymentId: number; viewerMayExecute: boolean },
): Promise<PaymentCreditView[]> {
  const database = readDb();
  const rows = await database
    .selectDistinct({ credit: credits })
    .from(credits)
    .innerJoin(creditTransactions, eq(creditTransactions.creditId, credits.creditId))
    .where(eq(creditTransactions.paymentId, input.paymentId))
    .orderBy(desc(credits.creditId));
  if (!rows.length) return [];
  const [views, settings] = await Promise.all([
    loadCreditViews(
      database,
      rows.map((r) => r.credit),
    ),
    readFourEyesSettings(database),
  ]);
  const described = await describeCredits(database, views);
  return described.map((credit, i) => ({
    ...credit,
    amountOfThisPayment: text(
      sum(views[i].creditTransactions.filter((l) => l.paymentId === input.paymentId).map((l) => l.amount)),
    ),
    standing: credit.active
      ? standingOf(credit, views[i], viewer, settings, input.viewerMayExecute)
      : ({ kind: "deactivated" } as const),
  }));
}

export type CreditablePayment = {
  paymentId: number;
  orderId: string | null;
  customerNumber: string | null;
  organisationId: number;
  totalAmount: string;
  currency: string;
  active: boolean;
  createdAt: Date;
  transactions: {
    transactionId: number;
    status: string;
    paymentType: string | null;
    paymentTypeGroup: string;
    cardNumber: string | null;
    capturedAmount: string;
    creditedAmount: string;
    creditableAmount: string;
  }[];
};

/**
 * Payments to credit from (a paymentId, customerNumber or orderId search, the same search as
 * GET /v1/payments), with every transaction that captured something and what it can still give
 * back (captured − credited − reserved by open credits).
 */
export async function creditablePayments(caller: Caller, input: { query: SearchQuery }) {
  const page = await searchPayments(caller, input);
  const items: CreditablePayment[] = page.items.map((payment) => ({
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    customerNumber: payment.customerNumber,
    organisationId: payment.organisationId,
    totalAmount: text(payment.totalAmount),
    currency: payment.currency,
    active: payment.active,
    createdAt: payment.createdAt,
    transactions: payment.transactions
      .filter((t) => t.summary.capturedAmount > 0n)
      .map((t) => ({
        transactionId: t.transactionId,
        status: t.status,
        paymentType: t.paymentType,
        paymentTypeGroup: t.paymentTypeGroup,
        cardNumber: t.cardNumber,
        capturedAmount: text(t.summary.capturedAmount),
        creditedAmount: text(t.summary.creditedAmount),
        creditableAmount: text(t.summary.creditableAmount),
      })),
  }));
  return { items, totalItems: page.totalItems };
}
