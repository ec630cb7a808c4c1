import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './users.js';

// The provisioning log (migration 003): one row per SCIM request, written after the response.

export type ProvisioningLogTables = {
  provisioning_log: {
    id: string;
    workspace_id: string;
    token_id: string | null;
    method: string;
    path: string;
    status: number;
    duration_ms: number;
    idp: string;
    ip: string | null;
    user_agent: string | null;
    notes: string;
    request_body: string | null;
    response_body: string | null;
    resource_type: string | null;
    resource_id: string | null;
    event_positions: string;
    created_at: string;
  };
};

/** The database with the log's table typed (it is not in Database: only this module and console-logs read it). */
export function logDb(db: Db): Kysely<Database & ProvisioningLogTables> {
  return (db as Kysely<Database>).withTables<ProvisioningLogTables>() as unknown as Kysely<
    Database & ProvisioningLogTables
  >;
}

export interface ProvisioningEntry {
  id: string;
  workspaceId: string;
  tokenId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  idp: string;
  ip: string | null;
  userAgent: string | null;
  notes: string[];
  requestBody: string | null;
  responseBody: string | null;
  resourceType: string | null;
  resourceId: string | null;
  eventPositions: number[];
  createdAt: string;
}

/** A stored row as an entry: counts come back as strings from PostgreSQL, JSON columns as text. */
export function toProvisioningEntry(r: ProvisioningLogTables['provisioning_log']): ProvisioningEntry {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    tokenId: r.token_id,
    method: r.method,
    path: r.path,
    status: Number(r.status),
    durationMs: Number(r.duration_ms),
    idp: r.idp,
    ip: r.ip,
    userAgent: r.user_agent,
    notes: JSON.parse(r.notes) as string[],
    requestBody: r.request_body,
    responseBody: r.response_body,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    eventPositions: JSON.parse(r.event_positions) as number[],
    createdAt: r.created_at,
  };
}

/** Writes entries in multi-row statements (the recorder batches them off the request path). */
export async function insertProvisioningEntries(db: Db, entries: ProvisioningEntry[]): Promise<void> {
  // Chunks keep each statement under the engines' bound-parameter limits (17 columns a row).
  for (let i = 0; i < entries.length; i += 500) {
    await logDb(db)
      .insertInto('provisioning_log')
      .values(
        entries.slice(i, i + 500).map((e) => ({
          id: e.id,
          workspace_id: e.workspaceId,
          token_id: e.tokenId,
          method: e.method,
          path: e.path,
          status: e.status,
          duration_ms: e.durationMs,
          idp: e.idp,
          ip: e.ip,
          user_agent: e.userAgent,
          notes: JSON.stringify(e.notes),
          request_body: e.requestBody,
          response_body: e.responseBody,
          resource_type: e.resourceType,
          resource_id: e.resourceId,
          event_positions: JSON.stringify(e.eventPositions),
          created_at: e.createdAt,
        })),
      )
      .execute();
  }
}

/** Inserts one entry (tests and tools). */
export async function insertProvisioningEntry(db: Db, e: ProvisioningEntry): Promise<void> {
  await insertProvisioningEntries(db, [e]);
}

export interface ProvisioningQuery {
  /** `success` (< 400), `error` (>= 400), or one status code. */
  status?: 'success' | 'error' | number;
  resourceId?: string;
  resourceType?: string;
  idp?: string;
  since?: string;
  until?: string;
  /** Entries with an id before this one (newest-first keyset; ids are time-ordered UUIDv7). */
  beforeId?: string;
  limit: number;
}

/** A workspace's provisioning log, newest first, filtered; fetch limit+1 to know if there is more. */
export async function queryProvisioningLog(
  db: Db,
  workspaceId: string,
  q: ProvisioningQuery,
): Promise<ProvisioningEntry[]> {
  let query = logDb(db).selectFrom('provisioning_log').selectAll().where('workspace_id', '=', workspaceId);
  if (q.status === 'success') query = query.where('status', '<', 400);
  else if (q.status === 'error') query = query.where('status', '>=', 400);
  else if (typeof q.status === 'number') query = query.where('status', '=', q.status);
  if (q.resourceId) query = query.where('resource_id', '=', q.resourceId);
  if (q.resourceType) query = query.where('resource_type', '=', q.resourceType);
  if (q.idp) query = query.where('idp', '=', q.idp);
  if (q.since) query = query.where('created_at', '>=', q.since);
  if (q.until) query = query.where('created_at', '<', q.until);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return rows.map(toProvisioningEntry);
}

/** Deletes entries older than a cutoff (the prune job). */
export async function pruneProvisioningLog(db: Db, before: string): Promise<number> {
  const r = await logDb(db)
    .deleteFrom('provisioning_log')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
