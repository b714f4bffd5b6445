// A row's place in a newest-first list ordered by (createdAt, id), as a URL carries it: the staff
// lists' `older=` / `newer=` and the /v1 payment search's `after=` / `nextCursor` are this one
// encoding (docs/decisions/058-keyset-pages-for-payments.md). Clients treat it as opaque.

/** A row's place in the newest-first order. */
export type KeysetCursor = { createdAt: Date; id: number };

/** "2026-11-21T10:15:30.123Z_4711": a cursor as the URL carries it. */
export function cursorToParam(cursor: KeysetCursor): string {
  return `${cursor.createdAt.toISOString()}_${cursor.id}`;
}

/** The cursor of a URL value; null for anything cursorToParam does not write. */
export function cursorFromParam(value: string): KeysetCursor | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([1-9][0-9]{0,15})$/.exec(value);
  if (!match) return null;
  const createdAt = new Date(match[1]);
  const id = Number(match[2]);
  return Number.isNaN(createdAt.getTime()) || !Number.isSafeInteger(id) ? null : { createdAt, id };
}
