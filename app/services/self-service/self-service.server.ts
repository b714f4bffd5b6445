// Product self-service: what a logged-in customer may see and start about their own
// products (subscriptions) and invoices, called by the /v1 routes (an API client acting for the
// customer with a customer token) and by the customer's /account page. The pages that finish
// what is started here (provider page, way back to returnUrl) are in pages.server.ts.
//
// Scope: every query names the customer, so another customer's product or invoice matches
// nothing (404); an API client additionally sees only its own organisation's products.
//
// Paying an invoice: the invoice gets one payment (its amount, made on the first attempt) and
// every attempt is a transaction of it. A new attempt cancels the open one, so at most one
// attempt can be paid, and paying marks the invoice PAID under the invoice's row lock.
// Lock order: invoice, then its payment and the payment's transactions, then provider sessions.
import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { customerInvoices, organisations, paymentChanges, payments, products } from "../../../db/schema";
import type { InvoicePaymentMethod, ProductPaymentMethod, TransactionStatus } from "../../domain/enums";
import { conflict, notFound, ruleBroken } from "../../domain/errors";
import { INVOICE_METHODS, paymentMethodItems, type PaymentMethodItem } from "../../domain/self-service";
import type { ClientCaller, CustomerCaller } from "../../domain/caller";
import { lockPayment, requireActive } from "../../platform/locks.server";
import { supersedeSessionsLocked } from "../mobile/hosted-pages.server";
import { findUsableMethod } from "../admin/payment-methods.server";
import type { PaymentRow } from "../queries/payment-view.server";
import { cancelLocked, insertTransactionLocked } from "../transactions/transactions.server";
import { inTransaction } from "../../platform/transaction.server";

/** An API client acting for a customer, or the customer on /account. */
export type SelfServiceCaller = ClientCaller | CustomerCaller;

export type ProductRow = typeof products.$inferSelect;
export type InvoiceRow = typeof customerInvoices.$inferSelect;

function productOf(caller: SelfServiceCaller, customerNumber: string, productCode: string): SQL {
  return and(
    eq(products.productCode, productCode),
    eq(products.customerNumber, customerNumber),
    caller.kind === "client" ? eq(products.organisationId, caller.organisationId) : undefined,
  )!;
}

/** The customer's product (as this caller may see it), or a 404 naming `what`. */
async function findProduct(
  database: Tx | ReturnType<typeof db>,
  caller: SelfServiceCaller,
  customerNumber: string,
  productCode: string,
  what: [string, string] = ["Product", productCode],
) {
  const [product] = await database
    .select()
    .from(products)
    .where(productOf(caller, customerNumber, productCode));
  if (!product) throw notFound(...what);
  return product;
}

// ---------------------------------------------------------------- list payment methods

/**
 * GET /v1/product/payment/{product}: the product's current method and the possible ones.
 * @throws not_found  the product is unknown, another customer's or (for a client) another organisation's
 */
export async function productPaymentMethods(
  caller: SelfServiceCaller,
  input: { customerNumber: string; productCode: string },
): Promise<PaymentMethodItem[]> {
  const product = await findProduct(db(), caller, input.customerNumber, input.productCode);
  return paymentMethodItems(product.currentPaymentMethod);
}

// ---------------------------------------------------------------- pay an invoice

export type InvoicePaymentInput = {
  /** The customer whose invoice it is (the logged-in one). */
  customerNumber: string;
  invoiceNumber: string;
  productCode: string;
  companyCode: string;
  paymentMethod: InvoicePaymentMethod;
};

/** Attempts that may still be paid; a new attempt cancels them. */
const OPEN_ATTEMPT = new Set<TransactionStatus>(["CREATED", "INITIATED", "AUTHORIZED"]);

/**
 * POST /v1/api/payment/invoice (and "Pay" on /account): a new attempt to pay one OPEN invoice,
 * as a CREATED transaction of the invoice's payment. The customer then goes to
 * /payment/invoice/pay?…&transactionId=… (pages.server.ts).
 * @throws not_found  the invoice is unknown, another customer's, or its product another organisation's
 * @throws conflict   the invoice is paid; its payment was deactivated by staff or is captured; its
 *                    product belongs to no organisation
 * @throws rule       the client has no enabled method of that kind
 */
export async function startInvoicePayment(
  caller: SelfServiceCaller,
  input: InvoicePaymentInput,
): Promise<{ paymentId: number; transactionId: number }> {
  const { customerNumber } = input;
  return inTransaction(async (tx) => {
    const [invoice] = await tx
      .select()
      .from(customerInvoices)
      .where(
        and(
          eq(customerInvoices.invoiceNumber, input.invoiceNumber),
          eq(customerInvoices.customerNumber, customerNumber),
          eq(customerInvoices.productCode, input.productCode),
          eq(customerInvoices.companyCode, input.companyCode),
        ),
      )
      .for("update");
    if (!invoice) throw notFound("Invoice", input.invoiceNumber);
    // A product another organisation sells is as unknown to this client as another customer's invoice.
    const product = await findProduct(tx, caller, customerNumber, input.productCode, ["Invoice", input.invoiceNumber]);
    if (invoice.status === "PAID")
      throw conflict(`Invoice ${invoice.invoiceNumber} is already paid`, undefined, {
        key: "errors.selfService.invoicePaid",
        values: { invoiceNumber: invoice.invoiceNumber },
      });

    const method = INVOICE_METHODS[input.paymentMethod];
    let fee: string | null = null;
    if (caller.kind === "client") {
      const usable = await findUsableMethod(tx, caller, {
        paymentType: method.paymentType,
        paymentTypeGroup: method.paymentTypeGroup,
      });
      if (!usable) {
        throw ruleBroken(
          `${input.paymentMethod} is not enabled for this client (${method.paymentType ?? method.paymentTypeGroup})`,
          "paymentMethod",
          { key: "errors.selfService.methodNotEnabled", values: { paymentMethod: input.paymentMethod } },
        );
      }
      fee = usable.fee;
    }

    const at = new Date();
    const payment = invoice.paymentId
      ? await cancelOpenAttempts(tx, caller, invoice.paymentId, at)
      : await createInvoicePayment(tx, caller, invoice, product, at);
    const { row: transaction } = await insertTransactionLocked(
      tx,
      caller,
      {
        paymentId: payment.paymentId,
        organisationId: payment.organisationId,
        amount: invoice.amount,
        currency: invoice.currency,
        paymentType: method.paymentType,
        paymentTypeGroup: method.paymentTypeGroup,
        distributionChannelId: caller.kind === "client" ? caller.distributionChannel : null,
        fee,
      },
      at,
    );
    await tx
      .update(customerInvoices)
      .set({ paymentId: payment.paymentId, paymentMethod: input.paymentMethod, updatedAt: at })
      .where(eq(customerInvoices.invoiceNumber, invoice.invoiceNumber));
    return { paymentId: payment.paymentId, transactionId: transaction.transactionId };
  });
}

/** The invoice's payment: its amount, the product's organisation, the customer; no order version. */
async function createInvoicePayment(
  tx: Tx,
  caller: SelfServiceCaller,
  invoice: InvoiceRow,
  product: ProductRow,
  at: Date,
): Promise<PaymentRow> {
  const organisationId = product.organisationId ?? (caller.kind === "client" ? caller.organisationId : null);
  if (organisationId === null)
    throw conflict(`Product ${product.productCode} belongs to no organisation and cannot be paid online`, undefined, {
      key: "errors.selfService.noOrganisation",
      values: { productCode: product.productCode },
    });
  const [payment] = await tx
    .insert(payments)
    .values({
      organisationId,
      // orderVersion stays null, so no client's own order can ever collide with it.
      orderId: invoice.invoiceNumber,
      totalAmount: invoice.amount,
      currency: invoice.currency,
      customerNumber: invoice.customerNumber,
      createdByClientId: caller.kind === "client" ? caller.clientId : null,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return payment;
}

/** Locks the invoice's payment and cancels the attempts still open (their pages stop working). */
async function cancelOpenAttempts(tx: Tx, caller: SelfServiceCaller, paymentId: number, at: Date): Promise<PaymentRow> {
  const { payment, transactions } = await lockPayment(tx, caller, paymentId);
  requireActive(payment);
  if (transactions.some((t) => t.status === "CAPTURED"))
    throw conflict(`Payment ${paymentId} of this invoice is already captured`, undefined, {
      key: "errors.selfService.alreadyCaptured",
    });
  for (const transaction of transactions) {
    if (!OPEN_ATTEMPT.has(transaction.status)) continue;
    await cancelLocked(tx, caller, transaction, at);
    await supersedeSessionsLocked(tx, transaction.transactionId, at, "replaced");
  }
  return payment;
}

// ---------------------------------------------------------------- change payment method

/**
 * POST /v1/product/payment/{productCode} (and "Change" on /account): registers the wish; the
 * customer then confirms it with the provider through /paymentChange?…&paymentChangeId=….
 * The product keeps its current method until then.
 * @throws not_found  the product is unknown, another customer's or (for a client) another organisation's
 */
export async function requestPaymentChange(
  caller: SelfServiceCaller,
  input: { customerNumber: string; productCode: string; paymentMethod: ProductPaymentMethod },
): Promise<{ paymentChangeId: number }> {
  const { customerNumber, productCode, paymentMethod } = input;
  const product = await findProduct(db(), caller, customerNumber, productCode);
  const [change] = await db()
    .insert(paymentChanges)
    .values({
      productCode: product.productCode,
      customerNumber,
      paymentMethod,
      clientId: caller.kind === "client" ? caller.clientId : null,
      status: "CREATED",
    })
    .returning({ paymentChangeId: paymentChanges.paymentChangeId });
  return change;
}

// ---------------------------------------------------------------- the customer's own page

export type AccountProduct = {
  productCode: string;
  companyCode: string;
  name: string;
  merchant: string | null;
  currentPaymentMethod: string;
};

export type AccountInvoice = {
  invoiceNumber: string;
  productCode: string;
  productName: string;
  companyCode: string;
  amount: string;
  currency: string;
  dueDate: string;
  status: string;
  paidAt: string | null;
};

/** Everything /account lists: the customer's products and invoices (open first, then newest). */
export async function customerAccount(
  customerNumber: string,
): Promise<{ products: AccountProduct[]; invoices: AccountInvoice[] }> {
  const productRows = await db()
    .select({ product: products, merchant: organisations.name })
    .from(products)
    .leftJoin(organisations, eq(organisations.id, products.organisationId))
    .where(eq(products.customerNumber, customerNumber))
    .orderBy(asc(products.productCode));
  const invoiceRows = await db()
    .select({ invoice: customerInvoices, productName: products.name })
    .from(customerInvoices)
    .innerJoin(products, eq(products.productCode, customerInvoices.productCode))
    .where(eq(customerInvoices.customerNumber, customerNumber))
    .orderBy(asc(customerInvoices.status), desc(customerInvoices.dueDate), asc(customerInvoices.invoiceNumber));
  return {
    products: productRows.map(({ product, merchant }) => ({
      productCode: product.productCode,
      companyCode: product.companyCode,
      name: product.name,
      merchant,
      currentPaymentMethod: product.currentPaymentMethod,
    })),
    invoices: invoiceRows.map(({ invoice, productName }) => ({
      invoiceNumber: invoice.invoiceNumber,
      productCode: invoice.productCode,
      productName,
      companyCode: invoice.companyCode,
      amount: invoice.amount,
      currency: invoice.currency,
      dueDate: invoice.dueDate,
      status: invoice.status,
      paidAt: invoice.paidAt?.toISOString() ?? null,
    })),
  };
}
