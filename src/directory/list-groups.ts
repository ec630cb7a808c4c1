import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { compileFilter } from '../store/filter-sql.js';
import { countGroups, type GroupRecord, listGroupsKeyed } from '../store/groups.js';
import { resolveSortKey } from '../store/paging.js';
import { resourcePage } from './cursor-page.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

export interface GroupPage {
  groups: GroupRecord[];
  totalResults: number;
  /** Index pagination only (RFC 9865 cursor pages carry no startIndex). */
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
}

/**
 * GET /Groups: the filter runs in SQL (`members.value eq "<id>"` becomes an EXISTS on the
 * membership table); pages follow the requested sort, tie-broken by the immutable id. Members are never loaded here.
 */
export async function listGroups(
  deps: Deps,
  caller: Caller,
  params: ListParams,
  ctx: ResourceContext,
  pages: PageCache,
): Promise<GroupPage> {
  const workspaceId = caller.workspace.id;
  const where = params.filter
    ? compileFilter(params.filter, {
        engine: deps.store.engine,
        ctx,
        table: 'groups',
        alias: 'g',
        workspaceId,
      })
    : undefined;
  const sort = resolveSortKey(params.sortBy, params.sortOrder, {
    engine: deps.store.engine,
    ctx,
    alias: 'g',
    table: 'groups',
  });
  const { items, ...page } = await resourcePage({
    params,
    sort,
    count: () => countGroups(deps.store.db, workspaceId, where),
    pages,
    // Prefixed so a groups walk never continues from a users walk with the same filter text.
    walkKey: `groups|${workspaceId}|${params.filter ? JSON.stringify(params.filter) : ''}`,
    fetch: async (q) =>
      (await listGroupsKeyed(deps.store.db, workspaceId, { ...(where ? { where } : {}), ...q })).map((r) => ({
        item: r.group,
        sortValue: r.sortValue,
      })),
  });
  return { groups: items, ...page };
}
