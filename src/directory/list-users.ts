import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { compileFilter } from '../store/filter-sql.js';
import { resolveSortKey } from '../store/paging.js';
import { countUsers, listUsersKeyed, type UserRecord } from '../store/users.js';
import { resourcePage } from './cursor-page.js';
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
 * tie-break (see resourcePage for the three paging modes).
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
    table: 'users',
  });
  const { items, ...page } = await resourcePage({
    params,
    sort,
    count: () => countUsers(db, workspaceId, where),
    pages,
    walkKey: `${workspaceId}|${params.filter ? JSON.stringify(params.filter) : ''}`,
    fetch: async (q) =>
      (await listUsersKeyed(db, workspaceId, { ...(where ? { where } : {}), ...q })).map((r) => ({
        item: r.user,
        sortValue: r.sortValue,
      })),
  });
  return { users: items, ...page };
}
