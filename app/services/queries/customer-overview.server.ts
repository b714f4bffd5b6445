// Everything the staff customer screen shows for one customer number: the customer record (when
// the customer has one), their latest payments and credits (through the same searches as the
// API), recurring payments and agreements (through their services), products and invoices.
// Read-only. Amounts leave as decimal strings for the screen to format.
import { desc, eq, inArray, max } from "drizzle-orm";
import { readDb } from "../../platform/db.server";
import { customerInvoices, customers, organisations, products, recurringPayments } from "../../../db/schema";
import { formatAmount } from "../../domain/money";
import type { SearchQuery } from "../../domain/search-filter";
import type { StaffCaller } from "../../domain/caller";
import { searchCredits } from "./credit-search.server";
import { listAgreements, type AgreementView } from "../agreements/agreements.server";
import { searchPayments } from "./payment-search.server";
import { listRecurringPayments, type RecurringPaymentView } from "../recurring/recurring-payments.server";

/** How many of the newest payments and credits the screen lists. */
export const CUSTOMER_LIST_LIMIT = 20;

export type CustomerOverview = {
  customerNumber: string;
  customer: { name: string; email: string; organisationName: string | null; createdAt: Date } | null;
  payments: {
    total: number;
    items: {
      paymentId: number;
      orderId: string | null;
      organisationId: number;
      totalAmount: string;
      currency: string;
      active: boolean;
      createdAt: Date;
      statuses: string[];
    }[];
  };
  credits: {
    total: number;
    items: {
      creditId: number;
      orderId: string | null;
      totalCreditAmount: string;
      currency: string;
      status: string;
      active: boolean;
      createdAt: Date;
    }[];
  };
  recurringPayments: RecurringPaymentView[];
  agreements: AgreementView[];
  /** Names of the organisations the cards and agreements belong to, by id. */
  organisationNames: Record<number, string>;
  products: { productCode: string; name: string; companyCode: string; currentPaymentMethod: string }[];
  invoices: {
    invoiceNumber: string;
    productCode: string;
    amount: string;
    currency: string;
    dueDate: string;
    status: string;
    paidAt: Date | null;
  }[];
};

const byCustomer = (customerNumber: string): SearchQuery => ({
  filters: { customerNumber: { anyOf: [customerNumber], all: [] } },
  page: 1,
  perPage: CUSTOMER_LIST_LIMIT,
});

/**
 * Everything the back-office knows of one customer: payments and credits (the latest
 * CUSTOMER_LIST_LIMIT of each, with the totals), stored cards, agreements, products, invoices.
 * `origin` is the site's origin, for the agreements' links.
 */
export async function getCustomerOverview(
  caller: StaffCaller,
  input: { customerNumber: string; origin: string },
): Promise<CustomerOverview> {
  const { customerNumber, origin } = input;
  const database = readDb();
  const [customerRows, paymentPage, creditPage, recurring, agreements, productRows, invoiceRows] = await Promise.all([
    database
      .select({
        name: customers.name,
        email: customers.email,
        organisationName: organisations.name,
        createdAt: customers.createdAt,
      })
      .from(customers)
      .leftJoin(organisations, eq(organisations.id, customers.organisationId))
      .where(eq(customers.customerNumber, customerNumber)),
    searchPayments(caller, { query: byCustomer(customerNumber) }),
    searchCredits(caller, { query: byCustomer(customerNumber) }),
    // Staff see the whole history: expired and ended cards too.
    listRecurringPayments(caller, { customerNumber, includeExpired: true, includeCancelled: true }),
    listAgreements(caller, { customerNumber, origin }),
    database
      .select({
        productCode: products.productCode,
        name: products.name,
        companyCode: products.companyCode,
        currentPaymentMethod: products.currentPaymentMethod,
      })
      .from(products)
      .where(eq(products.customerNumber, customerNumber))
      .orderBy(products.productCode),
    database
      .select({
        invoiceNumber: customerInvoices.invoiceNumber,
        productCode: customerInvoices.productCode,
        amount: customerInvoices.amount,
        currency: customerInvoices.currency,
        dueDate: customerInvoices.dueDate,
        status: customerInvoices.status,
        paidAt: customerInvoices.paidAt,
      })
      .from(customerInvoices)
      .where(eq(customerInvoices.customerNumber, customerNumber))
      .orderBy(desc(customerInvoices.dueDate), desc(customerInvoices.invoiceNumber)),
  ]);
  const organisationIds = [...new Set([...recurring, ...agreements].map((r) => r.organisationId))];
  const names = organisationIds.length
    ? await database
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(inArray(organisations.id, organisationIds))
    : [];
  return {
    customerNumber,
    customer: customerRows[0] ?? null,
    organisationNames: Object.fromEntries(names.map((o) => [o.id, o.name])),
    payments: {
      total: paymentPage.totalItems,
      items: paymentPage.items.map((p) => ({
        paymentId: p.paymentId,
        orderId: p.orderId,
        organisationId: p.organisationId,
        totalAmount: formatAmount(p.totalAmount),
        currency: p.currency,
        active: p.active,
        createdAt: p.createdAt,
        statuses: p.transactions.map((t) => t.status),
      })),
    },
    credits: {
      total: creditPage.totalItems,
      items: creditPage.items.map((c) => ({
        creditId: c.creditId,
        orderId: c.orderId,
        totalCreditAmount: formatAmount(c.totalCreditAmount),
        currency: c.currency,
        status: c.status,
        active: c.active,
        createdAt: c.createdAt,
      })),
    },
    recurringPayments: recurring,
    agreements,
    products: productRows,
    invoices: invoiceRows,
  };
}

/** A few customer numbers worth a look (those whose stored cards changed last), for the empty search screen. */
export async function customersWithRecentCards(
  _caller: StaffCaller,
  input: { limit?: number } = {},
): Promise<string[]> {
  const rows = await readDb()
    .select({ customerNumber: recurringPayments.customerNumber })
    .from(recurringPayments)
    .groupBy(recurringPayments.customerNumber)
    .orderBy(desc(max(recurringPayments.updatedAt)), recurringPayments.customerNumber)
    .limit(input.limit ?? 6);
  return rows.map((r) => r.customerNumber);
}
