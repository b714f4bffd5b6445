// Product self-service in-process: a customer starts paying an open invoice (a new attempt
// cancels the open one), asks to change a product's payment method, and sees only their own.
import { eq } from "drizzle-orm";
import { customerInvoices, customers, paymentTransactions, products } from "../../../db/schema";
import type { CustomerCaller } from "../../domain/caller";
import { newOrganisation, useTestDatabase } from "../../../tests/support/use-case";
import {
  customerAccount,
  productPaymentMethods,
  requestPaymentChange,
  startInvoicePayment,
} from "./self-service.server";

const database = useTestDatabase();

const customer = (customerNumber: string): CustomerCaller => ({
  kind: "customer",
  customerNumber,
  correlationId: crypto.randomUUID(),
});

async function customerWithInvoice(customerNumber: string, organisationId: number) {
  const { db } = database();
  await db
    .insert(customers)
    .values({ customerNumber, name: `Customer ${customerNumber}`, email: `${customerNumber}@x.test` });
  await db.insert(products).values({
    productCode: `P-${customerNumber}`,
    customerNumber,
    organisationId,
    companyCode: "ACME",
    name: "Newspaper",
    currentPaymentMethod: "invoice",
  });
  await db.insert(customerInvoices).values({
    invoiceNumber: `I${customerNumber}`,
    productCode: `P-${customerNumber}`,
    companyCode: "ACME",
    customerNumber,
    amount: "249.00",
    dueDate: "2026-01-31",
  });
  return {
    invoiceNumber: `I${customerNumber}`,
    productCode: `P-${customerNumber}`,
    companyCode: "ACME",
  };
}

describe("self-service", () => {
  it("starts an invoice payment as a CREATED attempt; a new attempt cancels the open one", async () => {
    const organisationId = await newOrganisation(database());
    const invoice = await customerWithInvoice("8800001", organisationId);
    const me = customer("8800001");
    const first = await startInvoicePayment(me, {
      ...invoice,
      customerNumber: me.customerNumber,
      paymentMethod: "vippsEcommerce",
    });
    const second = await startInvoicePayment(me, {
      ...invoice,
      customerNumber: me.customerNumber,
      paymentMethod: "creditcardPayex",
    });
    expect(second.paymentId).toBe(first.paymentId);
    const rows = await database()
      .db.select()
      .from(paymentTransactions)
      .where(eq(paymentTransactions.paymentId, first.paymentId));
    expect(Object.fromEntries(rows.map((r) => [r.transactionId, r.status]))).toEqual({
      [first.transactionId]: "CANCELLED",
      [second.transactionId]: "CREATED",
    });
    const account = await customerAccount(me.customerNumber);
    expect(account.invoices).toMatchObject([{ invoiceNumber: invoice.invoiceNumber, status: "OPEN" }]);
  });

  it("lists and changes a product's payment method; another customer's product is unknown (404)", async () => {
    const organisationId = await newOrganisation(database());
    const invoice = await customerWithInvoice("8800002", organisationId);
    const me = customer("8800002");
    const methods = await productPaymentMethods(me, {
      customerNumber: me.customerNumber,
      productCode: invoice.productCode,
    });
    expect(methods[0]).toMatchObject({ paymentMethod: "invoice", current: true });
    const change = await requestPaymentChange(me, {
      customerNumber: me.customerNumber,
      productCode: invoice.productCode,
      paymentMethod: "autoGiro",
    });
    expect(change.paymentChangeId).toBeGreaterThan(0);

    const stranger = customer("8800099");
    await expect(
      productPaymentMethods(stranger, { customerNumber: stranger.customerNumber, productCode: invoice.productCode }),
    ).rejects.toMatchObject({ kind: "not_found" });
    await expect(
      startInvoicePayment(stranger, { ...invoice, customerNumber: stranger.customerNumber, paymentMethod: "nexi" }),
    ).rejects.toMatchObject({ kind: "not_found" });
  });
});
