// What the fixtures-*.ts files build on: a value declared at the top of a test file and made in
// a beforeAll registered where it is declared (so fixtures are made in declaration order).
import { beforeAll } from "vitest";

/**
 * An object that a beforeAll fills in place with what `make` gives (its properties copied in), so
 * a test or hook reads it like any variable; the file's top level, which runs first, sees it empty.
 */
export function madeBeforeAll<T extends object>(make: () => Promise<T>): T {
  const made = {} as T;
  beforeAll(async () => {
    Object.assign(made, await make());
  });
  return made;
}
