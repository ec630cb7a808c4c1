import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { countUsers, listUsersKeyed, type UserRecord } from '../store/users.js';
import type { ResourcePage } from './cursor-page.js';
import { listResources } from './list-resources.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

export type UserPage = Omit<ResourcePage<UserRecord>, 'items'> & { users: UserRecord[] };

/** GET /Users (see listResources). */
export async function listUsers(
  deps: Deps,
  caller: Caller,
  params: ListParams,
  ctx: ResourceContext,
  pages: PageCache,
): Promise<UserPage> {
  const { items, ...page } = await listResources(deps, caller, params, ctx, pages, {
    table: 'users',
    alias: 'u',
    walkPrefix: '',
    count: countUsers,
    fetch: async (db, workspaceId, q) =>
      (await listUsersKeyed(db, workspaceId, q)).map((r) => ({ item: r.user, sortValue: r.sortValue })),
  });
  return { users: items, ...page };
}
