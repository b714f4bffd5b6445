// Fixtures of the in-process use-case tests: shops declared at the top of a test file,
//
//   const database = useTestDatabase();
//   const shop = useShop(database);
//
// each made in a beforeAll (tests/support/fixtures.ts), and the matcher of a refused use-case.
import { expect } from "vitest";
import type { ClientCaller } from "../../app/domain/caller";
import type { TestDatabase } from "./database";
import { madeBeforeAll } from "./fixtures";
import { newShop } from "./money-path";

/** The caller of a client of an organisation of its own, with every payment method (see newShop). */
export function useShop(database: () => TestDatabase, options: { privileged?: boolean } = {}): ClientCaller {
  return madeBeforeAll(() => newShop(database(), options));
}

/** What a refused use-case rejects with: an error with (at least) these fields, e.g. its kind and errors. */
export const refused = (fields: Record<string, unknown>) => expect.objectContaining(fields);
