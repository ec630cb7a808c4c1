import { type CursorPosition, decodeCursor, encodeCursor, type SortValue } from '../scim/cursor.js';
import { invalidCursor } from '../scim/errors.js';
import type { KeysetPosition, KeysetQuery, SortKey } from '../store/paging.js';

/** A row of a keyed page: the item, its id and its sort value (see store/paging.ts). */
export interface KeyedRow<T> {
  item: T;
  id: string;
  sortValue: SortValue;
}

/** Fetches up to `limit` rows strictly after the keyset position, in the (possibly reversed) order. */
export type FetchKeyed<T> = (keyset: KeysetQuery, limit: number) => Promise<KeyedRow<T>[]>;

export interface CursorPage<T> {
  items: T[];
  nextCursor?: string;
  previousCursor?: string;
}

function positionOf<T>(row: KeyedRow<T>, sorted: boolean): KeysetPosition {
  return sorted ? { id: row.id, value: row.sortValue } : { id: row.id };
}

/**
 * One RFC 9865 cursor page, for any resource list. An empty cursor is the first page; a nextCursor
 * is issued when more rows follow and a previousCursor when rows precede (one indexed probe each),
 * so the last page has no nextCursor and the first has no previousCursor.
 */
export async function cursorPage<T>(opts: {
  cursor: string;
  count: number;
  sort: SortKey;
  signature: string;
  fetch: FetchKeyed<T>;
}): Promise<CursorPage<T>> {
  const { sort, signature, fetch, count } = opts;
  const sorted = sort.expr !== undefined;
  const from: CursorPosition | undefined =
    opts.cursor.trim() === '' ? undefined : decodeCursor(opts.cursor.trim(), signature);
  if (from !== undefined && sorted !== (from.value !== undefined))
    throw invalidCursor('The cursor does not fit this sort.');
  if (count <= 0) return { items: [] };
  const reverse = from?.direction === 'before';
  const at: KeysetPosition | undefined = from
    ? sorted
      ? { id: from.id, value: from.value ?? null }
      : { id: from.id }
    : undefined;
  const rows = await fetch({ sort, reverse, ...(at ? { after: at } : {}) }, count + 1);
  const more = rows.length > count;
  const page = rows.slice(0, count);
  if (reverse) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const out: CursorPage<T> = { items: page.map((r) => r.item) };
  // Rows beyond the page in the walking direction are known from the extra row; the other side needs a probe.
  const exists = async (position: KeysetPosition, backwards: boolean) =>
    (await fetch({ sort, reverse: backwards, after: position }, 1)).length > 0;
  const nextFrom = last ? positionOf(last, sorted) : at;
  const prevFrom = first ? positionOf(first, sorted) : at;
  const hasNext = reverse ? nextFrom !== undefined && (await exists(nextFrom, false)) : more;
  const hasPrev = reverse
    ? more
    : prevFrom !== undefined && at !== undefined && (await exists(prevFrom, true));
  if (hasNext && nextFrom) out.nextCursor = encodeCursor({ direction: 'after', ...nextFrom }, signature);
  if (hasPrev && prevFrom) out.previousCursor = encodeCursor({ direction: 'before', ...prevFrom }, signature);
  return out;
}
