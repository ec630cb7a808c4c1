import { sql } from 'kysely';
import { type EventRecord, toEventRecord } from './events.js';
import { logDb, type ProvisioningEntry, toProvisioningEntry } from './provisioning-log.js';
import type { Db } from './users.js';

// Reads the admin console needs beyond the REST API's: one provisioning log entry, the SCIM status
// panel's figures, and the events an entry caused.

/** One provisioning log entry of a workspace, by id. */
export async function findProvisioningEntry(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<ProvisioningEntry | undefined> {
  const row = await logDb(db)
    .selectFrom('provisioning_log')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toProvisioningEntry(row) : undefined;
}

export interface ProvisioningSummary {
  last: Pick<
    ProvisioningEntry,
    'createdAt' | 'method' | 'path' | 'status' | 'idp' | 'userAgent' | 'durationMs'
  > | null;
  requests: number;
  errors: number;
}

/**
 * The latest request, and how many requests (and errors, status >= 400) arrived since a time: two
 * index-only reads on (workspace_id, created_at, status), migration 006.
 */
export async function provisioningSummary(
  db: Db,
  workspaceId: string,
  since: string,
): Promise<ProvisioningSummary> {
  const t = logDb(db);
  const [last, counts] = await Promise.all([
    t
      .selectFrom('provisioning_log')
      .select(['created_at', 'method', 'path', 'status', 'idp', 'user_agent', 'duration_ms'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    t
      .selectFrom('provisioning_log')
      .select([
        sql<number | string>`count(*)`.as('requests'),
        sql<number | string | null>`sum(case when status >= 400 then 1 else 0 end)`.as('errors'),
      ])
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '>=', since)
      .executeTakeFirst(),
  ]);
  return {
    last: last
      ? {
          createdAt: last.created_at,
          method: last.method,
          path: last.path,
          status: Number(last.status),
          idp: last.idp,
          userAgent: last.user_agent,
          durationMs: Number(last.duration_ms),
        }
      : null,
    requests: Number(counts?.requests ?? 0),
    errors: Number(counts?.errors ?? 0),
  };
}

/** The events at the given positions of a workspace (what one request caused), in order. */
export async function eventsAtPositions(
  db: Db,
  workspaceId: string,
  positions: number[],
): Promise<EventRecord[]> {
  if (positions.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('position', 'in', positions.slice(0, 500))
    .orderBy('position')
    .execute();
  return rows.map(toEventRecord);
}
