// Which column each filter of a one-table search compares: the table's column of the filter's
// own name, unless the search names another. Derived from the filters, so a filter cannot lack
// its column (conditionsFor passes over a filter it has no column for); an amount filter's
// values are compared as amounts.
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { FieldSpec } from "../../domain/search-filter";
import type { ColumnOf } from "../../platform/search-sql.server";

export function searchColumns<Field extends string>(
  table: PgTable,
  filters: Record<Field, FieldSpec>,
  renamed: Partial<Record<Field, AnyPgColumn>> = {},
): Record<Field, ColumnOf> {
  const ownColumns = table as unknown as Record<string, AnyPgColumn | undefined>;
  const columns = {} as Record<Field, ColumnOf>;
  for (const [name, spec] of Object.entries(filters) as [Field, FieldSpec][]) {
    const column = renamed[name] ?? ownColumns[name];
    if (!column) throw new Error(`The search filter ${name} has no column`);
    columns[name] = spec.type === "amount" ? { column, amount: true } : { column };
  }
  return columns;
}
