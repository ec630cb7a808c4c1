import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { compileFilter } from '../store/filter-sql.js';
import { countGroups, type GroupRecord, listGroupRows } from '../store/groups.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

export interface GroupPage {
  groups: GroupRecord[];
  totalResults: number;
  startIndex: number;
}

/**
 * GET /Groups: the filter runs in SQL (`members.value eq "<id>"` becomes an EXISTS on the
 * membership table); pages follow the immutable id order. Members are never loaded here.
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
  const totalResults = await countGroups(deps.store.db, workspaceId, where);
  if (params.count === 0 || params.startIndex > totalResults) {
    return { groups: [], totalResults, startIndex: params.startIndex };
  }
  // Prefixed so a groups walk never continues from a users walk with the same filter text.
  const walkKey = `groups|${workspaceId}|${params.filter ? JSON.stringify(params.filter) : ''}`;
  const afterId = params.startIndex === 1 ? undefined : pages.get(`${walkKey}|${params.startIndex}`);
  const groups = await listGroupRows(deps.store.db, workspaceId, {
    ...(where ? { where } : {}),
    ...(afterId !== undefined ? { afterId } : { offset: params.startIndex - 1 }),
    limit: params.count,
  });
  const last = groups.at(-1);
  if (last) pages.set(`${walkKey}|${params.startIndex + groups.length}`, last.id);
  return { groups, totalResults, startIndex: params.startIndex };
}
