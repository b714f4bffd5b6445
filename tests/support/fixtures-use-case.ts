// Fixtures of the in-process use-case tests: shops declared at the top of a test file,
//
//   const database = useTestDatabase();
//   const shop = useShop(database);
//
// (or `const { database, shop, otherShop } = useTwoShops();`),
// each made in a beforeAll (tests/support/fixtures.ts), the matcher of a refused use-case, and
// transactions written and read straight in the database, around the use-case under test, and
// the filters of a search.
import { expect } from "vitest";
import type { ClientCaller } from "../../app/domain/caller";
import type { PaymentTypeGroup } from "../../app/domain/enums";
import { parseSearchQuery, type FieldSpec } from "../../app/domain/search-filter";
import { payments, paymentTransactions } from "../../db/schema";
import type { TestDatabase } from "./database";
import { madeBeforeAll } from "./fixtures";
import { newShop } from "./money-path";
import { transactionRow } from "./fixtures-transactions";
import { useTestDatabase } from "./use-case";

/** The caller of a client of an organisation of its own, with every payment method (see newShop). */
export function useShop(database: () => TestDatabase, options: { privileged?: boolean } = {}): ClientCaller {
  return madeBeforeAll(() => newShop(database(), options));
}

/**
 * A test file's database with two shops of their own organisations: `shop` acts, and `otherShop` is
 * the other organisation whose payments, credits, callbacks, … `shop` must not reach.
 */
export function useTwoShops() {
  const database = useTestDatabase();
  return { database, shop: useShop(database), otherShop: useShop(database) };
}

/** What a refused use-case rejects with: an error with (at least) these fields, e.g. its kind and errors. */
export const refused = (fields: Record<string, unknown>) => expect.objectContaining(fields);

/** A payment of `amount` NOK of the organisation with one CREATED transaction of `kind`, inserted as rows. */
export async function insertTransaction(
  database: TestDatabase,
  organisationId: number,
  kind: { paymentTypeGroup: PaymentTypeGroup; paymentType?: string },
  amount: string,
) {
  const [payment] = await database.db.insert(payments).values({ organisationId, totalAmount: amount }).returning();
  const [transaction] = await database.db
    .insert(paymentTransactions)
    .values({ paymentId: payment.paymentId, organisationId, amount, currency: "NOK", ...kind })
    .returning();
  return { paymentId: payment.paymentId, transactionId: transaction.transactionId };
}

/** The payment_transactions row of a transaction. */
export const transactionRowIn = (database: TestDatabase, transactionId: number) =>
  transactionRow({ database }, transactionId);

/** The filters of a search in the API's grammar (`status=CAPTURED&totalAmount=gte:100`), which must parse. */
export function searchFilters(search: URLSearchParams | string, fields: Record<string, FieldSpec>) {
  const parsed = parseSearchQuery(new URLSearchParams(search), fields);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.query.filters;
}
