import { type Kysely, sql } from 'kysely';
import type { Engine } from './db.js';
import { supportsRowLocks } from './dialect.js';
import type { Database } from './tables.js';
import type { Db } from './users.js';

// Tables of migration 003; declared here (not in tables.ts) so the webhook store stays self-contained.
export interface WebhookEndpointTable {
  id: string;
  workspace_id: string;
  url: string;
  description: string | null;
  secret: string;
  event_types: string;
  enabled: number;
  disabled_reason: string | null;
  cursor_position: number | string;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryTable {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  event_position: number | string;
  event_id: string;
  event_type: string;
  resource_key: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_status: number | null;
  last_error: string | null;
  first_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookAttemptTable {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  delivery_id: string;
  event_id: string;
  attempt: number;
  status: number | null;
  error: string | null;
  latency_ms: number;
  response_snippet: string | null;
  next_retry_at: string | null;
  created_at: string;
}

export type WebhookTables = {
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
};

export type WebhookDb = Kysely<Database & WebhookTables>;

/** The handle with migration 003's tables typed in (a transaction stays a transaction at run time). */
export function withWebhookTables(db: Db): WebhookDb {
  return (db as Kysely<Database>).withTables<WebhookTables>() as unknown as WebhookDb;
}

export interface WebhookEndpoint {
  id: string;
  workspaceId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEndpoint(row: WebhookEndpointTable): WebhookEndpoint {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as string[],
    enabled: Number(row.enabled) === 1,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Stores a new endpoint (call before appending its `webhook.created`); it receives only later events. */
export async function insertEndpoint(db: Db, e: WebhookEndpoint, secret: string): Promise<void> {
  const w = withWebhookTables(db);
  // A no-op update locks the workspace's counter row (as appendEvents will), so the next position is
  // this endpoint's own `webhook.created` event and the cursor skips exactly that one.
  const ws = await w
    .updateTable('workspaces')
    .set({ event_seq: sql`event_seq` })
    .where('id', '=', e.workspaceId)
    .returning('event_seq')
    .executeTakeFirstOrThrow();
  await w
    .insertInto('webhook_endpoints')
    .values({
      id: e.id,
      workspace_id: e.workspaceId,
      url: e.url,
      description: e.description,
      secret,
      event_types: JSON.stringify(e.eventTypes),
      enabled: e.enabled ? 1 : 0,
      disabled_reason: e.disabledReason,
      cursor_position: Number(ws.event_seq) + 1,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    })
    .execute();
}

/** Rewrites an endpoint's mutable fields. */
export async function updateEndpointRow(db: Db, e: WebhookEndpoint): Promise<void> {
  await withWebhookTables(db)
    .updateTable('webhook_endpoints')
    .set({
      url: e.url,
      description: e.description,
      event_types: JSON.stringify(e.eventTypes),
      enabled: e.enabled ? 1 : 0,
      disabled_reason: e.disabledReason,
      updated_at: e.updatedAt,
    })
    .where('workspace_id', '=', e.workspaceId)
    .where('id', '=', e.id)
    .execute();
}

/** Deletes an endpoint with its deliveries and attempts. */
export async function deleteEndpointRow(db: Db, workspaceId: string, id: string): Promise<void> {
  const w = withWebhookTables(db);
  await w
    .deleteFrom('webhook_attempts')
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', id)
    .execute();
  await w
    .deleteFrom('webhook_deliveries')
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', id)
    .execute();
  await w
    .deleteFrom('webhook_endpoints')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** One endpoint of a workspace. */
export async function findEndpoint(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<WebhookEndpoint | undefined> {
  const row = await withWebhookTables(db)
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toEndpoint(row) : undefined;
}

/** A workspace's endpoints, oldest first. */
export async function listEndpoints(db: Db, workspaceId: string): Promise<WebhookEndpoint[]> {
  const rows = await withWebhookTables(db)
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEndpoint);
}

/** Enabled endpoints (all workspaces: the worker serves every tenant) with events past their cursor. */
export async function endpointsBehind(db: Db): Promise<{ id: string; workspaceId: string }[]> {
  const rows = await withWebhookTables(db)
    .selectFrom('webhook_endpoints as e')
    .innerJoin('workspaces as w', 'w.id', 'e.workspace_id')
    .select(['e.id', 'e.workspace_id'])
    .where('e.enabled', '=', 1)
    .whereRef('e.cursor_position', '<', 'w.event_seq')
    .execute();
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id }));
}

/**
 * Creates delivery rows for one endpoint's events after its cursor and advances the cursor, in one
 * transaction. On PostgreSQL the endpoint row is locked with SKIP LOCKED, so of several workers one
 * fans out at a time; the unique (endpoint, position) index makes a repeat harmless anyway.
 */
export async function fanOutEndpoint(
  db: Kysely<Database>,
  engine: Engine,
  ref: { id: string; workspaceId: string },
  options: {
    now: string;
    batch: number;
    newId: () => string;
    accept: (patterns: string[], type: string) => boolean;
  },
): Promise<number> {
  return withWebhookTables(db)
    .transaction()
    .execute(async (trx) => {
      let q = trx
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('workspace_id', '=', ref.workspaceId)
        .where('id', '=', ref.id)
        .where('enabled', '=', 1);
      if (supportsRowLocks(engine)) q = q.forUpdate().skipLocked();
      const ep = await q.executeTakeFirst();
      if (!ep) return 0;
      const cursor = Number(ep.cursor_position);
      const events = await trx
        .selectFrom('events')
        .select(['position', 'id', 'type', 'resource_type', 'resource_id'])
        .where('workspace_id', '=', ref.workspaceId)
        .where('position', '>', cursor)
        .orderBy('position')
        .limit(options.batch)
        .execute();
      if (events.length === 0) return 0;
      const patterns = JSON.parse(ep.event_types) as string[];
      const rows = events
        .filter((e) => options.accept(patterns, e.type))
        .map((e) => ({
          id: options.newId(),
          workspace_id: ref.workspaceId,
          endpoint_id: ref.id,
          event_position: Number(e.position),
          event_id: e.id,
          event_type: e.type,
          resource_key: e.resource_id ? `${e.resource_type ?? ''}:${e.resource_id}` : '',
          status: 'pending',
          attempts: 0,
          next_attempt_at: options.now,
          locked_until: null,
          last_status: null,
          last_error: null,
          first_attempt_at: null,
          delivered_at: null,
          created_at: options.now,
        }));
      if (rows.length > 0) {
        await trx
          .insertInto('webhook_deliveries')
          .values(rows)
          .onConflict((oc) => oc.columns(['endpoint_id', 'event_position']).doNothing())
          .execute();
      }
      const last = Number(events[events.length - 1]?.position ?? cursor);
      await trx
        .updateTable('webhook_endpoints')
        .set({ cursor_position: last })
        .where('workspace_id', '=', ref.workspaceId)
        .where('id', '=', ref.id)
        .execute();
      return rows.length;
    });
}

/** A delivery claimed by a worker, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  endpointId: string;
  url: string;
  secret: string;
  attempts: number;
  firstAttemptAt: string | null;
  event: {
    position: number;
    id: string;
    type: string;
    resourceType: string | null;
    resourceId: string | null;
    actorType: string;
    actorId: string | null;
    data: string;
    createdAt: string;
  };
}

/**
 * Claims due deliveries by setting a lease. A delivery is due when pending, its retry time has come,
 * its lease (if any) expired, and no earlier delivery of the same resource to the same endpoint is
 * still pending: event n+1 of a resource never goes out before event n succeeded. On PostgreSQL the
 * rows are picked with FOR UPDATE SKIP LOCKED so concurrent workers never claim the same row.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  engine: Engine,
  options: { now: string; leaseUntil: string; limit: number },
): Promise<ClaimedDelivery[]> {
  return withWebhookTables(db)
    .transaction()
    .execute(async (trx) => {
      let q = trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', (j) =>
          j.onRef('e.id', '=', 'd.endpoint_id').onRef('e.workspace_id', '=', 'd.workspace_id'),
        )
        .select('d.id')
        .where('d.status', '=', 'pending')
        .where('e.enabled', '=', 1)
        .where('d.next_attempt_at', '<=', options.now)
        .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<=', options.now)]))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries as p')
                .select(sql.lit(1).as('one'))
                .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
                .whereRef('p.resource_key', '=', 'd.resource_key')
                .where('p.resource_key', '<>', '')
                .where('p.status', '=', 'pending')
                .whereRef('p.event_position', '<', 'd.event_position'),
            ),
          ),
        )
        .orderBy('d.next_attempt_at')
        .orderBy('d.event_position')
        .limit(options.limit);
      if (supportsRowLocks(engine)) q = q.forUpdate('d').skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      await trx
        .updateTable('webhook_deliveries')
        .set({ locked_until: options.leaseUntil })
        .where('id', 'in', ids)
        .execute();
      const rows = await trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .innerJoin('events as v', (j) =>
          j.onRef('v.workspace_id', '=', 'd.workspace_id').onRef('v.position', '=', 'd.event_position'),
        )
        .select([
          'd.id',
          'd.workspace_id',
          'd.endpoint_id',
          'd.attempts',
          'd.first_attempt_at',
          'e.url',
          'e.secret',
          'v.position',
          'v.id as event_id',
          'v.type',
          'v.resource_type',
          'v.resource_id',
          'v.actor_type',
          'v.actor_id',
          'v.data',
          'v.created_at',
        ])
        .where('d.id', 'in', ids)
        .orderBy('d.event_position')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspace_id,
        endpointId: r.endpoint_id,
        url: r.url,
        secret: r.secret,
        attempts: r.attempts,
        firstAttemptAt: r.first_attempt_at,
        event: {
          position: Number(r.position),
          id: r.event_id,
          type: r.type,
          resourceType: r.resource_type,
          resourceId: r.resource_id,
          actorType: r.actor_type,
          actorId: r.actor_id,
          data: r.data,
          createdAt: r.created_at,
        },
      }));
    });
}
