import type { RawBuilder, Selectable, SqlBool } from 'kysely';
import {
  type KeysetQuery,
  keysetCondition,
  LATE_LOOKUP_OFFSET,
  orderTerms,
  sortValueSelect,
} from './paging.js';
import type { GroupTable, UserTable } from './tables.js';
import type { Db } from './users.js';

/** What a resource list asks of the store (users and groups alike). */
export interface ListQuery {
  where?: RawBuilder<SqlBool>;
  /** Keyset: only ids greater than this (ascending id order). */
  afterId?: string;
  /** Sorted and keyset paging (store/paging.ts); without it the order is by id. */
  keyset?: KeysetQuery;
  offset?: number;
  limit: number;
}

type Rows = { users: Selectable<UserTable>; groups: Selectable<GroupTable> };

/**
 * One page of a resource table's rows, each with its sort value (for cursors), in the order
 * `q.keyset` asks. `alias` must be the one the compiled filter in `q.where` refers to.
 */
export async function listRows<T extends keyof Rows>(
  db: Db,
  table: T,
  alias: 'u' | 'g',
  workspaceId: string,
  q: ListQuery,
): Promise<(Rows[T] & { sort_value: unknown })[]> {
  if (q.limit <= 0) return [];
  const keyset: KeysetQuery = q.keyset ?? {};
  // Both tables have `id` and `workspace_id`; the builder is typed as users for those references.
  const from = `${table} as ${alias}` as 'users as u';
  const id = `${alias}.id` as 'u.id';
  const ws = `${alias}.workspace_id` as 'u.workspace_id';
  let query = db
    .selectFrom(from)
    .selectAll(alias as 'u')
    .select(sortValueSelect(keyset).as('sort_value'))
    .where(ws, '=', workspaceId);
  if (q.where) query = query.where(q.where);
  if (q.afterId !== undefined) query = query.where(id, '>', q.afterId);
  if (keyset.after) query = query.where(keysetCondition(alias, { ...keyset, after: keyset.after }));
  for (const t of orderTerms(alias, keyset)) query = query.orderBy(t.expr, t.direction);
  query = query.limit(q.limit);
  const byId = !keyset.sort?.expr && !keyset.sort?.descending && q.afterId === undefined;
  if (q.offset && q.offset >= LATE_LOOKUP_OFFSET && byId) {
    // A deep page in id order: skip the first `offset` rows on the (workspace_id, id) index alone,
    // then read only the page's rows, instead of reading and discarding every row before it.
    let first = db.selectFrom(from).select(id).where(ws, '=', workspaceId);
    if (q.where) first = first.where(q.where);
    const start = await first.orderBy(id).limit(1).offset(q.offset).executeTakeFirst();
    if (!start) return [];
    query = query.where(id, '>=', start.id);
  } else if (q.offset) query = query.offset(q.offset);
  return (await query.execute()) as unknown as (Rows[T] & { sort_value: unknown })[];
}
