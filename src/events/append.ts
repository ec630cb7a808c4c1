import { PostgresAdapter, sql, type Transaction } from 'kysely';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/tables.js';

/** Who made a change: an API token, a console admin, the CLI operator, or the system. */
export interface Actor {
  type: 'token' | 'admin' | 'cli' | 'system';
  id: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** When present, the positions appended on this actor's behalf are pushed here (provisioning log). */
  positions?: number[];
}

export interface NewEvent {
  type: string;
  resourceType: string | null;
  resourceId: string | null;
  data: unknown;
}

const COUNT_DELTAS: Record<string, { users: number; groups: number }> = {
  'user.created': { users: 1, groups: 0 },
  'user.deleted': { users: -1, groups: 0 },
  'group.created': { users: 0, groups: 1 },
  'group.deleted': { users: 0, groups: -1 },
};

/**
 * Appends events in the caller's transaction. The workspace's counter row gives gap-free, strictly
 * increasing positions; its row lock orders concurrent writers so a reader never sees position n+1
 * committed before n.
 */
export async function appendEvents(
  trx: Transaction<Database>,
  workspaceId: string,
  actor: Actor,
  events: NewEvent[],
  now: string,
): Promise<number[]> {
  if (events.length === 0) return [];
  // The same row keeps the workspace's user and group counts (see migrations/007-counters.ts).
  let users = 0;
  let groups = 0;
  for (const e of events) {
    const delta = COUNT_DELTAS[e.type];
    if (delta) {
      users += delta.users;
      groups += delta.groups;
    }
  }
  const rows = events.map((e) => ({
    workspace_id: workspaceId,
    id: newId(),
    type: e.type,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    actor_type: actor.type,
    actor_id: actor.id,
    ip: actor.ip ?? null,
    user_agent: actor.userAgent ?? null,
    data: JSON.stringify(e.data ?? null),
    created_at: now,
  }));
  const counters = {
    event_seq: sql<number>`event_seq + ${events.length}`,
    ...(users !== 0 ? { user_count: sql<number>`user_count + ${users}` } : {}),
    ...(groups !== 0 ? { group_count: sql<number>`group_count + ${groups}` } : {}),
  };
  let positions: number[];
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    // One statement, one round trip: the counter UPDATE and the INSERT that uses its positions.
    // The workspace row lock is then held for one statement and the commit, not for two.
    const values = sql.join(
      rows.map(
        (r, i) =>
          sql`(${i + 1}::bigint, ${r.id}, ${r.type}, ${r.resource_type}::text, ${r.resource_id}::text, ${r.actor_type}, ${r.actor_id}::text, ${r.ip}::text, ${r.user_agent}::text, ${r.data})`,
      ),
    );
    const sets = sql.join(
      Object.entries(counters).map(([column, expr]) => sql`${sql.ref(column)} = ${expr}`),
    );
    const inserted = await sql<{ position: number | string }>`
      WITH s AS (UPDATE workspaces SET ${sets} WHERE id = ${workspaceId} RETURNING event_seq)
      INSERT INTO events (workspace_id, position, id, type, resource_type, resource_id, actor_type, actor_id, ip, user_agent, data, created_at)
      SELECT ${workspaceId}, s.event_seq - ${events.length} + v.ord, v.id, v.type, v.resource_type, v.resource_id,
             v.actor_type, v.actor_id, v.ip, v.user_agent, v.data, ${now}
      FROM s CROSS JOIN (VALUES ${values}) AS v(ord, id, type, resource_type, resource_id, actor_type, actor_id, ip, user_agent, data)
      ORDER BY v.ord
      RETURNING position`.execute(trx);
    if (inserted.rows.length !== events.length) throw new Error(`workspace ${workspaceId} not found`);
    positions = inserted.rows.map((r) => Number(r.position)).sort((a, b) => a - b);
  } else {
    const row = await trx
      .updateTable('workspaces')
      .set(counters)
      .where('id', '=', workspaceId)
      .returning('event_seq')
      .executeTakeFirstOrThrow();
    const first = Number(row.event_seq) - events.length + 1;
    positions = events.map((_, i) => first + i);
    await trx
      .insertInto('events')
      .values(rows.map((r, i) => ({ ...r, position: first + i })))
      .execute();
  }
  actor.positions?.push(...positions);
  return positions;
}
