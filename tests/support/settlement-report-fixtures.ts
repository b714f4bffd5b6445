// Paydesk's side of docs/samples/settlement-report.csv: the captures and the credit of settlement
// SAMPLE-NETS-20261201 as rows, so that importing the sample finds one difference of each kind
// (README "Settlement reports"), plus the settlement's rollup row so its Settlements screen opens.
import fs from "node:fs";
import { eq } from "drizzle-orm";
import path from "node:path";
import {
  creditTransactions,
  credits,
  dailyVolume,
  organisations,
  paymentTransactions,
  payments,
} from "../../db/schema";
import type { TestDatabase } from "./database";

export const SAMPLE_REPORT_PATH = path.resolve("docs/samples/settlement-report.csv");
export const SAMPLE_SETTLEMENT = "SAMPLE-NETS-20261201";
export const sampleReport = () => fs.readFileSync(SAMPLE_REPORT_PATH, "utf8");

/** What importing the sample over these rows finds. */
export const SAMPLE_EXPECTED = {
  lines: 8,
  matched: 5,
  AMOUNT_DIFFERS: { count: 1, amount: "-90.00000", reference: "612340000004" },
  MISSING_IN_PAYDESK: { count: 1, amount: "89.00000", reference: "612340000099" },
  MISSING_AT_PROVIDER: { count: 1, amount: "-120.00000", reference: "612340000005" },
  fees: "88.47000",
};

type Db = TestDatabase["db"];

/** Where a fixture's rows are booked: the organisation and the settlement its payments and credits are under. */
export type SettlementOf = { organisationId: number; settlementId: string };

/**
 * A captured transaction of a new payment under the settlement: a card one found by its `rrn`, or
 * a Vipps one by its `external` reference; `credited` of it already credited (all of it: CREDITED).
 */
export async function insertCaptured(
  db: Db,
  under: SettlementOf,
  amount: string,
  refs: { rrn?: string; external?: string },
  credited = "0",
): Promise<{ paymentId: number; transactionId: number }> {
  const [payment] = await db
    .insert(payments)
    .values({ organisationId: under.organisationId, totalAmount: amount, settlementId: under.settlementId })
    .returning({ id: payments.paymentId });
  const [transaction] = await db
    .insert(paymentTransactions)
    .values({
      paymentId: payment.id,
      organisationId: under.organisationId,
      amount,
      currency: "NOK",
      status: credited === amount ? "CREDITED" : "CAPTURED",
      paymentTypeGroup: refs.rrn ? "PAYMENTCARD" : "MOBILE",
      paymentType: refs.rrn ? "VISA" : "VIPPS",
      rrn: refs.rrn ?? null,
      cardNumber: refs.rrn ? "1111" : null,
      externalTransactionId: refs.external ?? null,
      authorizedAmount: amount,
      capturedAmount: amount,
      creditedAmount: credited,
    })
    .returning({ id: paymentTransactions.transactionId });
  return { paymentId: payment.id, transactionId: transaction.id };
}

/** An executed credit of `amount` on a captured transaction, under the settlement, with the provider's reference. */
export async function insertCredited(
  db: Db,
  under: SettlementOf,
  on: { paymentId: number; transactionId: number },
  amount: string,
  providerReference: string,
): Promise<void> {
  const [credit] = await db
    .insert(credits)
    .values({
      organisationId: under.organisationId,
      totalCreditAmount: amount,
      settlementId: under.settlementId,
      status: "CREDITED",
    })
    .returning({ id: credits.creditId });
  await db.insert(creditTransactions).values({
    creditId: credit.id,
    paymentId: on.paymentId,
    transactionId: on.transactionId,
    amount,
    status: "CREDITED",
    reimbursementMethod: "PAYMENTCARD",
    reimbursementTypeGroup: "PAYMENTCARD",
    providerReference,
  });
  await db
    .update(paymentTransactions)
    .set({ creditedAmount: amount })
    .where(eq(paymentTransactions.transactionId, on.transactionId));
}

export async function insertSampleSettlement(database: TestDatabase): Promise<void> {
  const db = database.db;
  const [organisation] = await db.select({ id: organisations.id }).from(organisations).limit(1);
  const organisationId =
    organisation?.id ?? (await db.insert(organisations).values({ id: 8801, name: "Sample AS" }).returning())[0].id;
  const sample = { organisationId, settlementId: SAMPLE_SETTLEMENT };
  const captured = (amount: string, refs: { rrn?: string; external?: string }, credited = "0") =>
    insertCaptured(db, sample, amount, refs, credited);
  await captured("399.00", { rrn: "612340000001" });
  const refunded = await captured("149.00", { rrn: "612340000002" }, "149.00");
  await captured("250.00", { external: "VIPPS-7Q2M9X" });
  await captured("650.00", { rrn: "612340000004" });
  await captured("120.00", { rrn: "612340000005" });
  await insertCredited(db, sample, refunded, "149.00", "NETS-RF-1001");
  await db.insert(dailyVolume).values({
    day: "2026-12-01",
    organisationId,
    currency: "NOK",
    paymentTypeGroup: "PAYMENTCARD",
    paymentType: "VISA",
    settlementId: SAMPLE_SETTLEMENT,
    capturedAmount: "1568.00",
    capturedCount: 4,
    creditedAmount: "149.00",
    creditedCount: 1,
  });
}
