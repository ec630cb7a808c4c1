import type { Deps } from '../deps.js';
import type { ListParams } from '../scim/list.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { compileFilter } from '../store/filter-sql.js';
import { countUsers, listUsers as listUserRows, type UserRecord } from '../store/users.js';
import type { PageCache } from './page-cache.js';
import type { Caller } from './users.js';

export interface UserPage {
  users: UserRecord[];
  totalResults: number;
  startIndex: number;
}

/** GET /Users: the filter runs in SQL; pages follow the immutable id order. */
export async function listUsers(
  deps: Deps,
  caller: Caller,
  params: ListParams,
  ctx: ResourceContext,
  pages: PageCache,
): Promise<UserPage> {
  const workspaceId = caller.workspace.id;
  const where = params.filter
    ? compileFilter(params.filter, {
        engine: deps.store.engine,
        ctx,
        table: 'users',
        alias: 'u',
        workspaceId,
      })
    : undefined;
  const totalResults = await countUsers(deps.store.db, workspaceId, where);
  if (params.count === 0 || params.startIndex > totalResults) {
    return { users: [], totalResults, startIndex: params.startIndex };
  }
  const walkKey = `${workspaceId}|${params.filter ? JSON.stringify(params.filter) : ''}`;
  const afterId = params.startIndex === 1 ? undefined : pages.get(`${walkKey}|${params.startIndex}`);
  const users = await listUserRows(deps.store.db, workspaceId, {
    ...(where ? { where } : {}),
    ...(afterId !== undefined ? { afterId } : { offset: params.startIndex - 1 }),
    limit: params.count,
  });
  const last = users.at(-1);
  if (last) pages.set(`${walkKey}|${params.startIndex + users.length}`, last.id);
  return { users, totalResults, startIndex: params.startIndex };
}
