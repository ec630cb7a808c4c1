import { type CursorPosition, decodeCursor, encodeCursor, type SortValue } from '../scim/cursor.js';
import { invalidCursor } from '../scim/errors.js';
import type { ListParams } from '../scim/list.js';
import { type KeysetPosition, type KeysetQuery, type SortKey, sortSignature } from '../store/paging.js';
import type { PageCache } from './page-cache.js';

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

/** What a resource list's store function takes (users and groups alike). */
export interface RowQuery {
  keyset?: KeysetQuery;
  /** Keyset on id for index pagination in id order (see page-cache.ts). */
  afterId?: string;
  offset?: number;
  limit: number;
}

export interface ResourcePage<T> {
  items: T[];
  totalResults: number;
  /** Index pagination only (RFC 9865 cursor pages carry no startIndex). */
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
}

/**
 * One page of a resource list in any of the three modes: an RFC 9865 cursor page (keyset); an
 * index page in id order (keyset through the page cache, OFFSET on a miss); an index page sorted
 * by an attribute (OFFSET: the position of row N in a sorted order cannot be cached safely).
 */
export async function resourcePage<T extends { id: string }>(opts: {
  params: ListParams;
  sort: SortKey;
  /** Counts the matches; only called when the page itself cannot tell (see below). */
  count: () => Promise<number>;
  pages: PageCache;
  /** Names the walk (workspace, resource type, filter) for the page cache. */
  walkKey: string;
  fetch: (q: RowQuery) => Promise<{ item: T; sortValue: SortValue }[]>;
}): Promise<ResourcePage<T>> {
  const { params, sort, count, pages, walkKey, fetch } = opts;
  if (params.cursor !== undefined) {
    const page = await cursorPage({
      cursor: params.cursor,
      count: params.count,
      sort,
      signature: sortSignature(params.sortBy, params.sortOrder),
      fetch: async (keyset, limit) =>
        (await fetch({ keyset, limit })).map((r) => ({
          item: r.item,
          id: r.item.id,
          sortValue: r.sortValue,
        })),
    });
    return { ...page, totalResults: await count() };
  }
  const startIndex = params.startIndex;
  if (params.count === 0) return { items: [], totalResults: await count(), startIndex };
  const byId = sort.expr === undefined && !sort.descending;
  // A walk in id order continues after the last id it saw, even once deletes have pushed
  // startIndex past the shrunken totalResults: otherwise the walk's tail would be skipped.
  const afterId = byId && startIndex > 1 ? pages.get(`${walkKey}|${startIndex}`) : undefined;
  // A first page shorter than asked is the whole result: its length is totalResults, no count
  // needed (the common `userName eq` / `externalId eq` lookups of Okta and Entra).
  const total = async (rows: number) => (startIndex === 1 && rows < params.count ? rows : count());
  if (afterId === undefined && startIndex > 1) {
    const totalResults = await count();
    if (startIndex > totalResults) return { items: [], totalResults, startIndex };
  }
  if (!byId) {
    const rows = await fetch({ keyset: { sort }, offset: startIndex - 1, limit: params.count });
    return { items: rows.map((r) => r.item), totalResults: await total(rows.length), startIndex };
  }
  const rows = await fetch(
    afterId !== undefined
      ? { afterId, limit: params.count }
      : { offset: startIndex - 1, limit: params.count },
  );
  const items = rows.map((r) => r.item);
  const last = items.at(-1);
  if (last) pages.set(`${walkKey}|${startIndex + items.length}`, last.id);
  return { items, totalResults: await total(items.length), startIndex };
}
