// Scanning for card numbers where none may be: every text/json column of every table, log output,
// answers. Deliberately independent of app/domain/card-number.ts (the rule under test): a digit
// run standing on its own (not glued to letters or other digits, so the digits inside a hex hash
// or a base64 token do not count) of 13 to 40 digits, of which any 13–19-digit window passes the
// Luhn check ("%204111…" is caught too), plus every number a test typed, in any spelling it used.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card-number candidates in a text (see above). A PAN glued to letters is caught by `typed` instead. */
export function findCardNumbers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?<![0-9A-Za-z])[0-9]{13,40}(?![0-9A-Za-z])/g)) {
    const run = match[0];
    for (let length = 13; length <= Math.min(19, run.length); length++) {
      for (let start = 0; start + length <= run.length; start++) {
        const candidate = run.slice(start, start + length);
        if (passesLuhn(candidate)) found.push(candidate);
      }
    }
  }
  return found;
}

export type Finding = { where: string; value: string };

/** The card numbers in `text`, and every one of `typed` that appears in it as typed. */
export function scanText(where: string, text: string, typed: readonly string[]): Finding[] {
  const findings: Finding[] = findCardNumbers(text).map((value) => ({ where, value }));
  for (const number of typed) if (text.includes(number)) findings.push({ where, value: `typed ${number}` });
  return findings;
}

export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) ?? [];
}

/** Every text, varchar, json, jsonb (and array of them) column of every table, read as text. */
export async function scanDatabase(
  db: Db,
  typed: readonly string[],
): Promise<{ findings: Finding[]; columns: number; values: number }> {
  const columns = rowsOf(
    await db.execute(sql`
      select c.table_schema, c.table_name, c.column_name
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema not in ('pg_catalog', 'information_schema')
        and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or c.udt_name in ('_text', '_varchar', '_json', '_jsonb'))
      order by 1, 2, 3`),
  ) as { table_schema: string; table_name: string; column_name: string }[];
  const findings: Finding[] = [];
  let values = 0;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const { table_schema, table_name, column_name } of columns) {
    const rows = rowsOf(
      await db.execute(
        sql.raw(
          `select ${quote(column_name)}::text as v from ${quote(table_schema)}.${quote(table_name)} where ${quote(column_name)} is not null`,
        ),
      ),
    );
    for (const row of rows) {
      values += 1;
      findings.push(...scanText(`${table_schema}.${table_name}.${column_name}`, String(row.v), typed));
    }
  }
  return { findings, columns: columns.length, values };
}
