import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { countGroups, type GroupRecord, listGroupsKeyed } from '../store/groups.js';
import type { ResourcePage } from './cursor-page.js';
import { listResources } from './list-resources.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

export type GroupPage = Omit<ResourcePage<GroupRecord>, 'items'> & { groups: GroupRecord[] };

/**
 * GET /Groups (see listResources): `members.value eq "<id>"` becomes an EXISTS on the membership
 * table. Members are never loaded here.
 */
export async function listGroups(
  deps: Deps,
  caller: Caller,
  params: ListParams,
  ctx: ResourceContext,
  pages: PageCache,
): Promise<GroupPage> {
  const { items, ...page } = await listResources(deps, caller, params, ctx, pages, {
    table: 'groups',
    alias: 'g',
    // Prefixed so a groups walk never continues from a users walk with the same filter text.
    walkPrefix: 'groups|',
    count: countGroups,
    fetch: async (db, workspaceId, q) =>
      (await listGroupsKeyed(db, workspaceId, q)).map((r) => ({ item: r.group, sortValue: r.sortValue })),
  });
  return { groups: items, ...page };
}
