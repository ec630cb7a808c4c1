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
  const row = await trx
    .updateTable('workspaces')
    .set({ event_seq: sql`event_seq + ${events.length}` })
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
