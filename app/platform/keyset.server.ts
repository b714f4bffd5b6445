// Reading a whole ordered set a page at a time by keyset (the last row's sort key), never by
// OFFSET: each page starts where the index left off, however deep into the set it is.

/**
 * Yields keyset pages until one comes back short: `fetchPage(after)` returns up to `size` rows
 * after the cursor (null for the first page); `cursorOf` reads the cursor of a row.
 */
export async function* keysetBatches<Row, Cursor>(
  fetchPage: (after: Cursor | null, size: number) => Promise<Row[]>,
  cursorOf: (row: Row) => Cursor,
  size = 1000,
): AsyncGenerator<Row[]> {
  let after: Cursor | null = null;
  for (;;) {
    const rows = await fetchPage(after, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = cursorOf(rows[rows.length - 1]);
  }
}
