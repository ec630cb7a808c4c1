import type { EventTable } from './tables.js';
import type { Db } from './users.js';

/** An event as read back from the log. */
export interface EventRecord {
  position: number;
  id: string;
  type: string;
  resourceType: string | null;
  resourceId: string | null;
  actor: { type: string; id: string | null; ip: string | null; userAgent: string | null };
  data: unknown;
  createdAt: string;
}

export function toEventRecord(row: EventTable): EventRecord {
  return {
    position: Number(row.position),
    id: row.id,
    type: row.type,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    actor: { type: row.actor_type, id: row.actor_id, ip: row.ip, userAgent: row.user_agent },
    data: JSON.parse(row.data) as unknown,
    createdAt: row.created_at,
  };
}

/** Events of a workspace after a position, in position order (the feed). */
export async function listEventsAfter(
  db: Db,
  workspaceId: string,
  after: number,
  limit: number,
): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('position', '>', after)
    .orderBy('position', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toEventRecord);
}

export interface AuditQuery {
  actorType?: string;
  actorId?: string;
  type?: string;
  resourceType?: string;
  resourceId?: string;
  since?: string;
  until?: string;
  /** Only events before this position (the cursor of a newest-first page). */
  before?: number;
  limit: number;
}

/** The audit log: a workspace's events, newest first, filtered by who, what and when. */
export async function queryAudit(db: Db, workspaceId: string, q: AuditQuery): Promise<EventRecord[]> {
  let query = db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId);
  if (q.actorType) query = query.where('actor_type', '=', q.actorType);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.type) {
    // `user.*` selects a family of types.
    query = q.type.endsWith('.*')
      ? query.where('type', 'like', `${q.type.slice(0, -1)}%`)
      : query.where('type', '=', q.type);
  }
  if (q.resourceType) query = query.where('resource_type', '=', q.resourceType);
  if (q.resourceId) query = query.where('resource_id', '=', q.resourceId);
  if (q.since) query = query.where('created_at', '>=', q.since);
  if (q.until) query = query.where('created_at', '<', q.until);
  if (q.before !== undefined) query = query.where('position', '<', q.before);
  const rows = await query.orderBy('position', 'desc').limit(q.limit).execute();
  return rows.map(toEventRecord);
}

/** Deletes events older than a cutoff (audit retention); run by the prune job, never in a request. */
export async function pruneEvents(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
