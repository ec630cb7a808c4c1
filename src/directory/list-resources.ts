import type { RawBuilder, SqlBool } from 'kysely';
import type { Deps } from '../deps.js';
import type { SortValue } from '../scim/cursor.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { compileFilter } from '../store/filter-sql.js';
import { resolveSortKey } from '../store/paging.js';
import type { Db } from '../store/users.js';
import { type ResourcePage, type RowQuery, resourcePage } from './cursor-page.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

/** Where one resource type's list comes from: its table and the store's count and keyed fetch. */
export interface ListSource<T> {
  table: 'users' | 'groups';
  /** The table's alias in the store's queries (`u`, `g`), which the compiled filter and sort refer to. */
  alias: string;
  /** Starts the page-cache walk key, so a walk of one type never continues from another's. */
  walkPrefix: string;
  count(db: Db, workspaceId: string, where?: RawBuilder<SqlBool>): Promise<number>;
  fetch(
    db: Db,
    workspaceId: string,
    q: RowQuery & { where?: RawBuilder<SqlBool> },
  ): Promise<{ item: T; sortValue: SortValue }[]>;
}

/**
 * GET /Users and GET /Groups: the filter runs in SQL; pages follow the requested sort with the
 * immutable id as the tie-break (see resourcePage for the three paging modes).
 */
export async function listResources<T extends { id: string }>(
  deps: Deps,
  caller: Caller,
  params: ListParams,
  ctx: ResourceContext,
  pages: PageCache,
  source: ListSource<T>,
): Promise<ResourcePage<T>> {
  const workspaceId = caller.workspace.id;
  const db = deps.store.db;
  const { engine } = deps.store;
  const { table, alias } = source;
  const where = params.filter
    ? compileFilter(params.filter, { engine, ctx, table, alias, workspaceId })
    : undefined;
  const sort = resolveSortKey(params.sortBy, params.sortOrder, { engine, ctx, alias, table });
  return resourcePage({
    params,
    sort,
    count: () => source.count(db, workspaceId, where),
    pages,
    walkKey: `${source.walkPrefix}${workspaceId}|${params.filter ? JSON.stringify(params.filter) : ''}`,
    fetch: (q) => source.fetch(db, workspaceId, { ...(where ? { where } : {}), ...q }),
  });
}
