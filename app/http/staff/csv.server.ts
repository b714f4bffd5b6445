// CSV exports of whole filtered sets, streamed: rows are fetched page by page (keyset, never
// OFFSET; app/platform/keyset.server.ts) while the response is being written, so an export of
// a million rows neither waits for the last row before the first byte nor holds them all in
// memory.
//
// Cells are RFC 4180 quoted, and a text cell that a spreadsheet would run as a formula
// (=, +, -, @, tab, CR at the start) gets a leading apostrophe; plain numbers and decimal
// amounts such as "-12.50" are left as they are.

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/**
 * A CSV download streamed as the client takes it: `first` (a byte-order mark, so that spreadsheet
 * programs read UTF-8, and whatever must lead), then each chunk of `chunks`, pulled only when the
 * client has taken the previous one.
 */
function streamedCsv(
  filename: string,
  first: string,
  chunks: AsyncIterable<Uint8Array>,
  headers: Record<string, string> = {},
): Response {
  const iterator = chunks[Symbol.asyncIterator]();
  let firstSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!firstSent) {
        firstSent = true;
        controller.enqueue(new TextEncoder().encode(`\uFEFF${first}`));
        return;
      }
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      ...headers,
    },
  });
}

/**
 * A streamed CSV download. `batches` yields rows a batch at a time (one keyset page each); the
 * stream pulls the next batch only when the client has taken the previous one.
 */
export function csvResponse(
  filename: string,
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly CsvCell[])[]>,
): Response {
  const encoder = new TextEncoder();
  async function* encoded() {
    for await (const batch of batches) yield encoder.encode(batch.map(csvLine).join(""));
  }
  return streamedCsv(filename, csvLine(header), encoded());
}

/** The response headers that tell the page how many rows to expect (for its progress bar). */
export const EXPECTED_ROWS_HEADER = "X-Expected-Rows";
export const ROWS_ESTIMATED_HEADER = "X-Expected-Rows-Estimated";

/**
 * A CSV the database wrote (decision 044), streamed as the client takes it. The expected row
 * count goes in headers, so the page can show progress while the length of the file is unknown.
 */
export function csvExportResponse(
  filename: string,
  file: { expected: { count: number; estimated: boolean }; body: AsyncIterable<Uint8Array> },
): Response {
  return streamedCsv(filename, "", file.body, {
    [EXPECTED_ROWS_HEADER]: String(file.expected.count),
    [ROWS_ESTIMATED_HEADER]: String(file.expected.estimated),
  });
}
