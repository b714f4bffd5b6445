// Turns a parsed search query (app/domain/search-filter.ts) into SQL conditions on columns.
import { and, eq, gt, gte, inArray, lt, lte, ne, notInArray, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { FieldFilter, FilterValue, Operator } from "../domain/search-filter";
import { toDbAmount, type Money } from "../domain/money";

export type ColumnOf = { column: AnyPgColumn; amount?: boolean };

function driverValue(value: FilterValue, amount: boolean | undefined): unknown {
  return amount ? toDbAmount(value as Money) : value;
}

const COMPARE: Record<Exclude<Operator, "eq">, (column: AnyPgColumn, value: unknown) => SQL> = {
  ne: (c, v) => ne(c, v),
  gt: (c, v) => gt(c, v),
  gte: (c, v) => gte(c, v),
  lt: (c, v) => lt(c, v),
  lte: (c, v) => lte(c, v),
};

/** eq values OR-ed (IN); ne, gt, gte, lt, lte AND-ed; all fields AND-ed. */
export function conditionsFor(filters: Record<string, FieldFilter>, columns: Record<string, ColumnOf>): SQL[] {
  const conditions: SQL[] = [];
  for (const [field, filter] of Object.entries(filters)) {
    const target = columns[field];
    if (!target) continue;
    const values = filter.anyOf.map((v) => driverValue(v, target.amount));
    if (values.length === 1) conditions.push(eq(target.column, values[0]));
    else if (values.length > 1) conditions.push(inArray(target.column, values));
    const notEqual = filter.all.filter((c) => c.op === "ne").map((c) => driverValue(c.value, target.amount));
    if (notEqual.length > 1) {
      // ne on a nullable column keeps NULLs out too, as a single ne would.
      conditions.push(notInArray(target.column, notEqual));
    } else if (notEqual.length === 1) conditions.push(ne(target.column, notEqual[0]));
    for (const condition of filter.all) {
      if (condition.op === "ne") continue;
      conditions.push(
        COMPARE[condition.op as Exclude<Operator, "eq">](target.column, driverValue(condition.value, target.amount)),
      );
    }
  }
  return conditions;
}

export function allOf(conditions: (SQL | undefined)[]): SQL | undefined {
  const present = conditions.filter((c): c is SQL => c !== undefined);
  return present.length ? and(...present) : undefined;
}
