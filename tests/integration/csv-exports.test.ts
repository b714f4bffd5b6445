// The CSV exports as the database writes them (decision 044), on PGlite and on PostgreSQL: the
// rows are the ones the screen lists for the same filter, in its order; cells are quoted where
// CSV needs it; text a spreadsheet would run as a formula is neutralised in SQL; amounts are
// decimal strings and times ISO UTC; only the last 4 digits of a card ever leave.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, credits, organisations, paymentTransactions, payments } from "../../db/schema";
import { parseSearchQuery } from "../../app/domain/search-filter";
import { auditExportSelect, listAuditEntries, AUDIT_FILTERS } from "../../app/services/queries/audit-log.server";
import {
  CREDIT_SEARCH_FIELDS,
  creditExportSelect,
  searchCredits,
} from "../../app/services/queries/credit-search.server";
import { paymentExportSelect, resolvePaymentQuery } from "../../app/services/queries/payment-list.server";
import { exportCredits } from "../../app/services/admin/csv-export.server";
import { copiedText, csvRecords, parseCsv } from "../support/csv";
import { staffCaller, useTestDatabase } from "../support/use-case";

const database = useTestDatabase();
const STAFF = staffCaller();
const FORMULA = '=HYPERLINK("http://evil.example","x")';

const query = (text: string, spec = CREDIT_SEARCH_FIELDS) => {
  const parsed = parseSearchQuery(new URLSearchParams(text), spec, { defaultPerPage: 100, maxPerPage: 100 });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.query;
};

beforeAll(async () => {
  const { db } = database();
  await db.insert(organisations).values({ id: 31, name: 'Export, "quoted" org' });
  const [payment] = await db
    .insert(payments)
    .values({ organisationId: 31, orderId: FORMULA, totalAmount: "12.50000", currency: "NOK", customerNumber: "+4799" })
    .returning();
  await db.insert(paymentTransactions).values({
    paymentId: payment.paymentId,
    organisationId: 31,
    amount: "12.50000",
    currency: "NOK",
    paymentTypeGroup: "PAYMENTCARD",
    paymentType: "VISA",
    cardNumber: "4242",
    status: "CAPTURED",
    authorizedAmount: "12.50000",
    capturedAmount: "12.50000",
  });
  await db.insert(credits).values([
    { organisationId: 31, orderId: "-12.50", totalCreditAmount: "100.00000", status: "CREATED", reason: "line\nbreak" },
    { organisationId: 31, orderId: "@SUM(A1)", totalCreditAmount: "0.12500", status: "CREDITED" },
    { organisationId: 31, orderId: "plain", totalCreditAmount: "7.00000", status: "CREATED" },
  ]);
});

describe("credits export", () => {
  it("lists the credits the list shows for a filter, in its order", async () => {
    const filter = query("status=CREATED");
    const listed = await searchCredits(STAFF, { query: filter });
    const rows = csvRecords(await copiedText(creditExportSelect(STAFF, filter)));
    expect(rows.map((row) => Number(row.creditId))).toEqual(listed.items.map((item) => item.creditId));
    expect(rows.every((row) => row.status === "CREATED")).toBe(true);
  });

  it("formats amounts and times, keeps numbers, neutralises formulas, quotes line breaks", async () => {
    const text = await copiedText(creditExportSelect(STAFF, query("")));
    const rows = csvRecords(text);
    const byOrder = new Map(rows.map((row) => [row.orderId, row]));
    expect(byOrder.get("-12.50")?.totalCreditAmount).toBe("100.00");
    expect(byOrder.get("-12.50")?.reason).toBe("line\nbreak");
    expect(byOrder.get("'@SUM(A1)")?.totalCreditAmount).toBe("0.125");
    expect(byOrder.get("plain")?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(text).toContain('"line\nbreak"');
  });

  it("writes one audit entry with the filters and the rows they match", async () => {
    const file = await exportCredits(STAFF, { query: query("status=CREATED"), filters: "status=CREATED" });
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.body) chunks.push(chunk);
    expect(parseCsv(Buffer.concat(chunks).toString("utf8"))).toHaveLength(3);
    const entries = await database().db.select().from(auditLog).where(eq(auditLog.action, "credit.export_csv"));
    expect(entries).toHaveLength(1);
    expect(entries[0].after).toEqual({ query: "status=CREATED", rows: 2, estimated: false });
  });
});

describe("payments export", () => {
  it("neutralises a formula order id, quotes the organisation, shows the card's last 4 only", async () => {
    const resolved = await resolvePaymentQuery(STAFF, { query: { filters: {} } });
    const [row] = csvRecords(await copiedText(paymentExportSelect(resolved))).filter((r) => r.organisationId === "31");
    expect(row).toMatchObject({
      orderId: `'${FORMULA}`,
      organisationName: 'Export, "quoted" org',
      customerNumber: "'+4799",
      totalAmount: "12.50",
      capturedAmount: "12.50",
      creditedAmount: "0.00",
      cardNumbers: "4242",
      active: "true",
      transactionCount: "1",
    });
  });
  it("lists a payment's transactions in the order they were made and sums their amounts", async () => {
    const { db } = database();
    const [payment] = await db
      .insert(payments)
      .values({ organisationId: 31, orderId: "three-transactions", totalAmount: "30.00000", currency: "NOK" })
      .returning();
    const transaction = {
      paymentId: payment.paymentId,
      organisationId: 31,
      amount: "10.00000",
      currency: "NOK",
    } as const;
    await db.insert(paymentTransactions).values({
      ...transaction,
      paymentTypeGroup: "PAYMENTCARD",
      paymentType: "MASTERCARD",
      cardNumber: "5100",
      rrn: "000000000001",
      status: "CAPTURED",
      authorizedAmount: "10.00000",
      capturedAmount: "10.00000",
      creditedAmount: "2.50000",
    });
    await db.insert(paymentTransactions).values({ ...transaction, paymentTypeGroup: "INVOICE", status: "CREATED" });
    await db.insert(paymentTransactions).values({
      ...transaction,
      paymentTypeGroup: "PAYMENTCARD",
      paymentType: "VISA",
      cardNumber: "4242",
      status: "AUTHORIZED",
      authorizedAmount: "10.00000",
    });
    const resolved = await resolvePaymentQuery(STAFF, { query: { filters: {} } });
    const [row] = csvRecords(await copiedText(paymentExportSelect(resolved))).filter(
      (r) => r.orderId === "three-transactions",
    );
    expect(row).toMatchObject({
      transactionCount: "3",
      statuses: "CAPTURED;CREATED;AUTHORIZED",
      paymentTypes: "MASTERCARD;INVOICE;VISA",
      cardNumbers: "5100;4242",
      rrns: "000000000001",
      authorizedAmount: "20.00",
      capturedAmount: "10.00",
      creditedAmount: "2.50",
    });
  });
});

describe("audit log export", () => {
  it("lists the entries the audit log shows for a filter", async () => {
    const filter = query("action=credit.export_csv", AUDIT_FILTERS);
    const listed = await listAuditEntries(STAFF, { query: filter });
    const rows = csvRecords(await copiedText(auditExportSelect(filter)));
    expect(rows.map((row) => Number(row.id))).toEqual(listed.items.map((item) => item.id));
  });
});
