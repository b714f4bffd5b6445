// Reading the CSV files the exports write, for assertions: RFC 4180 quoting, a header line, and
// the byte-order mark the downloads start with.
import { copyCsv } from "../../app/platform/csv-copy.server";
import type { SQL } from "drizzle-orm";

/** The rows of a CSV text, each a list of cells (quotes undone). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** A CSV as objects by its header's names. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

/** What the database writes for an export's select, as text. */
export async function copiedText(select: SQL): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await copyCsv(select)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
