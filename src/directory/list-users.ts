import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { compileFilter } from '../store/filter-sql.js';
import { resolveSortKey, sortSignature } from '../store/paging.js';
import { countUsers, listUsers as listUserRows, listUsersKeyed, type UserRecord } from '../store/users.js';
import { cursorPage } from './cursor-page.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

export interface UserPage {
  users: UserRecord[];
  totalResults: number;
  /** Index pagination only (RFC 9865 cursor pages carry no startIndex). */
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
}

/**
 * GET /Users: the filter runs in SQL; pages follow the requested sort with the immutable id as the
 * tie-break. Cursor pages (RFC 9865) are keyset pages; index pages are keyset too in id order (via
 * the page cache), and OFFSET when sorted by an attribute.
 */
export async function listUsers(
  deps: Deps,
  caller: Caller,
  params: ListParams,
  ctx: ResourceContext,
  pages: PageCache,
): Promise<UserPage> {
  const workspaceId = caller.workspace.id;
  const db = deps.store.db;
  const where = params.filter
    ? compileFilter(params.filter, {
        engine: deps.store.engine,
        ctx,
        table: 'users',
        alias: 'u',
        workspaceId,
      })
    : undefined;
  const sort = resolveSortKey(params.sortBy, params.sortOrder, {
    engine: deps.store.engine,
    ctx,
    alias: 'u',
  });
  const totalResults = await countUsers(db, workspaceId, where);
  if (params.cursor !== undefined) {
    const page = await cursorPage({
      cursor: params.cursor,
      count: params.count,
      sort,
      signature: sortSignature(params.sortBy, params.sortOrder),
      fetch: async (keyset, limit) =>
        (await listUsersKeyed(db, workspaceId, { ...(where ? { where } : {}), keyset, limit })).map((r) => ({
          item: r.user,
          id: r.user.id,
          sortValue: r.sortValue,
        })),
    });
    return { users: page.items, totalResults, ...page };
  }
  if (params.count === 0 || params.startIndex > totalResults) {
    return { users: [], totalResults, startIndex: params.startIndex };
  }
  if (sort.expr !== undefined || sort.descending) {
    const users = await listUserRows(db, workspaceId, {
      ...(where ? { where } : {}),
      keyset: { sort },
      offset: params.startIndex - 1,
      limit: params.count,
    });
    return { users, totalResults, startIndex: params.startIndex };
  }
  const walkKey = `${workspaceId}|${params.filter ? JSON.stringify(params.filter) : ''}`;
  const afterId = params.startIndex === 1 ? undefined : pages.get(`${walkKey}|${params.startIndex}`);
  const users = await listUserRows(db, workspaceId, {
    ...(where ? { where } : {}),
    ...(afterId !== undefined ? { afterId } : { offset: params.startIndex - 1 }),
    limit: params.count,
  });
  const last = users.at(-1);
  if (last) pages.set(`${walkKey}|${params.startIndex + users.length}`, last.id);
  return { users, totalResults, startIndex: params.startIndex };
}
