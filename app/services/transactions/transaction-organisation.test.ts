// payment_transactions.organisation_id (docs/decisions/059-organisation-on-transactions.md): every
// path that makes a transaction writes its payment's organisation, the database refuses another,
// and an API client's transaction-filtered search, whose count now reads transactions of its
// organisation alone, answers what the search over payments answers, never another's payment.
import { eq } from "drizzle-orm";
import { customerInvoices, customers, paymentTransactions, payments, products } from "../../../db/schema";
import { money } from "../../domain/money";
import { parseSearchQuery } from "../../domain/search-filter";
import type { ClientCaller } from "../../domain/caller";
import { sqlState, violatedConstraint } from "../../platform/transaction.server";
import { useShop, useTwoShops } from "../../../tests/support/fixtures-use-case";
import { insertActiveAgreement, insertStoredCard } from "../../../tests/support/fixtures-transactions";
import { staffCaller } from "../../../tests/support/use-case";
import { createPayment } from "../payments/payments.server";
import { startInvoicePayment } from "../self-service/self-service.server";
import { PAYMENT_SEARCH_FIELDS, searchPayments } from "../queries/payment-search.server";
import { addTransaction } from "./transactions.server";

const { database, shop, otherShop } = useTwoShops();
const privileged = useShop(database, { privileged: true });

async function organisationOf(transactionId: number) {
  const [row] = await database()
    .db.select({ transaction: paymentTransactions.organisationId, payment: payments.organisationId })
    .from(paymentTransactions)
    .innerJoin(payments, eq(payments.paymentId, paymentTransactions.paymentId))
    .where(eq(paymentTransactions.transactionId, transactionId));
  return row;
}

const expectOrganisation = async (transactionId: number, caller: { organisationId: number }) =>
  expect(await organisationOf(transactionId)).toEqual({
    transaction: caller.organisationId,
    payment: caller.organisationId,
  });

describe("every path that makes a transaction writes its payment's organisation", () => {
  it("a payment created with its first transaction, and a transaction added to it", async () => {
    const created = await createPayment(shop, { totalAmount: money("100"), transaction: { paymentType: "VISA" } });
    await expectOrganisation(created.transactions[0].transactionId, shop);
    const other = await createPayment(otherShop, { totalAmount: money("100") });
    const added = await addTransaction(otherShop, {
      paymentId: other.paymentId,
      transaction: { paymentType: "VIPPS" },
    });
    await expectOrganisation(added.transactionId, otherShop);
  });

  it("a transaction charging a stored card, an agreement, or creating an agreement", async () => {
    const customerNumber = "5590001";
    const { db } = database();
    const recurringPaymentId = await insertStoredCard(db, {
      organisationId: privileged.organisationId,
      customerNumber,
      panHash: "org-test-pan",
    });
    await insertActiveAgreement(db, {
      agreementId: "agr_org_test",
      organisationId: privileged.organisationId,
      customerNumber,
    });
    const payment = await createPayment(privileged, { totalAmount: money("30"), customerNumber });
    for (const transaction of [
      { recurringPaymentId, amount: money("10") },
      { paymentAgreementId: "agr_org_test", amount: money("10") },
      { paymentType: "VIPPS" as const, createAgreement: true, amount: money("10") },
    ]) {
      const added = await addTransaction(privileged, { paymentId: payment.paymentId, transaction });
      await expectOrganisation(added.transactionId, privileged);
    }
  });

  it("a customer's invoice payment started in self-service", async () => {
    const { db } = database();
    const customerNumber = "5590002";
    await db.insert(customers).values({ customerNumber, name: "Kari", email: "kari@x.test" });
    await db.insert(products).values({
      productCode: "P-ORG",
      customerNumber,
      organisationId: otherShop.organisationId,
      companyCode: "ACME",
      name: "Newspaper",
      currentPaymentMethod: "invoice",
    });
    await db.insert(customerInvoices).values({
      invoiceNumber: "I-ORG",
      productCode: "P-ORG",
      companyCode: "ACME",
      customerNumber,
      amount: "249.00",
      dueDate: "2026-01-31",
    });
    const started = await startInvoicePayment(
      { kind: "customer", customerNumber, correlationId: crypto.randomUUID() },
      {
        invoiceNumber: "I-ORG",
        productCode: "P-ORG",
        companyCode: "ACME",
        customerNumber,
        paymentMethod: "vippsEcommerce",
      },
    );
    await expectOrganisation(started.transactionId, otherShop);
  });
});

describe("the database keeps a transaction's organisation its payment's", () => {
  const insert = async (organisationId: number | null) => {
    const [payment] = await database()
      .db.insert(payments)
      .values({ organisationId: shop.organisationId, totalAmount: "10.00" })
      .returning();
    try {
      await database()
        .db.insert(paymentTransactions)
        .values({
          paymentId: payment.paymentId,
          organisationId: organisationId as number,
          amount: "10.00",
          currency: "NOK",
          paymentTypeGroup: "PAYMENTCARD",
        });
      return "inserted";
    } catch (error) {
      return `${sqlState(error)} ${violatedConstraint(error) ?? ""}`.trim();
    }
  };

  it("refuses another organisation's id, and none, and takes the payment's", async () => {
    // 23503: foreign key violation; 23502: not null violation.
    expect(await insert(otherShop.organisationId)).toBe("23503 payment_transactions_payment_organisation_fk");
    expect(await insert(null)).toBe("23502");
    expect(await insert(shop.organisationId)).toBe("inserted");
  });

  it("refuses to move a payment with transactions to another organisation", async () => {
    const created = await createPayment(shop, { totalAmount: money("10"), transaction: { paymentType: "VISA" } });
    await expect(
      database()
        .db.update(payments)
        .set({ organisationId: otherShop.organisationId })
        .where(eq(payments.paymentId, created.paymentId)),
    ).rejects.toThrow();
    await expectOrganisation(created.transactions[0].transactionId, shop);
  });
});

describe("an API client's transaction-filtered search", () => {
  const query = (text: string) => {
    const parsed = parseSearchQuery(new URLSearchParams(text), PAYMENT_SEARCH_FIELDS, { exactTotal: true });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.query;
  };
  /** What the client's search answers: ids on the page, their organisations, and the count. */
  const answer = async (caller: ClientCaller | ReturnType<typeof staffCaller>, text: string) => {
    const page = await searchPayments(caller, { query: query(text) });
    return {
      ids: page.items.map((p) => p.paymentId),
      organisations: [...new Set(page.items.map((p) => p.organisationId))],
      totalItems: page.totalItems,
      estimated: page.totalItemsEstimated,
    };
  };

  beforeAll(async () => {
    // Both organisations have VISA and VIPPS payments; only the other one has MASTERCARD and AMEX.
    for (const [caller, types] of [
      [shop, ["VISA", "VIPPS", "VISA", "VIPPS", "VISA"]],
      [otherShop, ["VISA", "MASTERCARD", "VIPPS", "AMEX", "VISA", "MASTERCARD"]],
    ] as const) {
      for (const paymentType of types) {
        await createPayment(caller, { totalAmount: money("20"), transaction: { paymentType } });
      }
    }
  });

  it.each([
    "status=CREATED",
    "paymentType=VISA",
    "paymentType=VIPPS&status=CREATED",
    "paymentTypeGroup=MOBILE",
    "paymentTypeGroup=PAYMENTCARD&perPage=2",
    "paymentType=MASTERCARD",
    "paymentType=AMEX&perPage=1",
    "status=CAPTURED",
  ])("%s: what the search over payments answers, its own payments only, page and count", async (filters) => {
    for (const caller of [shop, otherShop]) {
      for (const exact of ["", "&exactTotal=true"]) {
        const client = await answer(caller, filters + exact);
        // The same search as staff with organisationId (a payment filter) still walks payments.
        const reference = await answer(staffCaller(), `organisationId=${caller.organisationId}&${filters}${exact}`);
        expect(client).toEqual(reference);
        expect(client.organisations.every((id) => id === caller.organisationId)).toBe(true);
      }
    }
  });

  it("counts nothing for a filter only another organisation's transactions match", async () => {
    expect(await answer(shop, "paymentType=MASTERCARD")).toMatchObject({ ids: [], totalItems: 0 });
    expect(await answer(shop, "paymentType=AMEX&exactTotal=true")).toMatchObject({ ids: [], totalItems: 0 });
  });

  it("pages past the first: the count of a full page comes from the transactions of its organisation", async () => {
    const first = await answer(otherShop, "paymentTypeGroup=PAYMENTCARD&perPage=2");
    // Five card payments of its own (VISA ×2, MASTERCARD ×2, AMEX), not the three VISA of `shop` besides.
    expect(first).toMatchObject({ totalItems: 5, estimated: false });
    expect(first.ids).toHaveLength(2);
  });
});
