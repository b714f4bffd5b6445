// A keyset page of a newest-first list ordered by (createdAt, id): the operation log and the
// callbacks. A page starts beyond a row's place, in either direction, and reads one row more than
// it shows to know whether another page follows; its neighbours' places become `older=` /
// `newer=` in the URL (cursorToParam).
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { allOf } from "../../platform/search-sql.server";
import { cursorFromParam, type KeysetCursor } from "../../domain/keyset-cursor";

export { cursorFromParam, cursorToParam, type KeysetCursor } from "../../domain/keyset-cursor";

/** The page of rows older or newer than a row; null: the newest rows. */
export type KeysetDirection = { direction: "older" | "newer"; from: KeysetCursor } | null;

export type KeysetColumns = { createdAt: AnyPgColumn; id: AnyPgColumn };

/** Rows strictly beyond the cursor: a row comparison a (createdAt, id) index starts from. */
export function beyondCursor(columns: KeysetColumns, cursor: NonNullable<KeysetDirection>): SQL {
  const op = sql.raw(cursor.direction === "older" ? "<" : ">");
  return sql`(${columns.createdAt}, ${columns.id}) ${op} (${cursor.from.createdAt.toISOString()}::timestamptz, ${
    cursor.from.id
  }::bigint)`;
}

/** The order to read in: towards older rows, or (for the newer page) towards newer ones. */
export function keysetOrder(columns: KeysetColumns, cursor: KeysetDirection): SQL[] {
  return cursor?.direction === "newer"
    ? [asc(columns.createdAt), asc(columns.id)]
    : [desc(columns.createdAt), desc(columns.id)];
}

/**
 * How one keyset page reads: the requested size held to 1…maxPerPage, the list's filter narrowed
 * to rows beyond the cursor, in keysetOrder, one row more than the page (keysetPageOf tells from
 * it whether another page follows).
 */
export function keysetRead(
  columns: KeysetColumns,
  filter: SQL | undefined,
  query: { cursor?: KeysetDirection; perPage: number },
  maxPerPage: number,
) {
  const perPage = Math.min(maxPerPage, Math.max(1, Math.trunc(query.perPage)));
  const cursor = query.cursor ?? null;
  return {
    perPage,
    cursor,
    where: allOf([filter, cursor ? beyondCursor(columns, cursor) : undefined]),
    orderBy: keysetOrder(columns, cursor),
    limit: perPage + 1,
  };
}

/**
 * The page of `fetched` (up to perPage + 1 rows read in keysetOrder), newest first, and the places
 * its neighbouring pages start from (null where there is none).
 */
export function keysetPageOf<T extends KeysetCursor>(
  fetched: T[],
  perPage: number,
  cursor: KeysetDirection,
): { items: T[]; newer: KeysetCursor | null; older: KeysetCursor | null } {
  const newerFirst = cursor?.direction === "newer";
  const more = fetched.length > perPage;
  const items = fetched.slice(0, perPage);
  if (newerFirst) items.reverse();
  const place = (item: T | undefined) => (item ? { createdAt: item.createdAt, id: item.id } : null);
  // Coming from a cursor, the cursor's row lies on the other side: a page exists there.
  const hasNewer = newerFirst ? more : cursor !== null;
  const hasOlder = newerFirst ? true : more;
  return {
    items,
    newer: hasNewer ? (place(items[0]) ?? cursor!.from) : null,
    older: hasOlder ? (place(items.at(-1)) ?? cursor!.from) : null,
  };
}

/** The cursor of a list URL's `older=` or `newer=` (one not of ours shows the newest rows). */
export function cursorOfParams(params: URLSearchParams): KeysetDirection {
  const older = cursorFromParam(params.get("older") ?? "");
  const newer = cursorFromParam(params.get("newer") ?? "");
  return older ? { direction: "older", from: older } : newer ? { direction: "newer", from: newer } : null;
}
