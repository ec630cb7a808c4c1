import { sql, type Transaction } from 'kysely';
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
  const row = await trx
    .updateTable('workspaces')
    .set({
      event_seq: sql`event_seq + ${events.length}`,
      ...(users !== 0 ? { user_count: sql`user_count + ${users}` } : {}),
      ...(groups !== 0 ? { group_count: sql`group_count + ${groups}` } : {}),
    })
    .where('id', '=', workspaceId)
    .returning('event_seq')
    .executeTakeFirstOrThrow();
  const last = Number(row.event_seq);
  const first = last - events.length + 1;
  const positions = events.map((_, i) => first + i);
  await trx
    .insertInto('events')
    .values(
      events.map((e, i) => ({
        workspace_id: workspaceId,
        position: first + i,
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
      })),
    )
    .execute();
  actor.positions?.push(...positions);
  return positions;
}
