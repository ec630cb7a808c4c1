import type { Db } from './users.js';
import {
  type WebhookAttemptTable,
  type WebhookDb,
  type WebhookDeliveryTable,
  withWebhookTables,
} from './webhooks.js';

// The results side of webhook delivery: attempts, outcomes, the delivery log and manual redelivery.

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; nextAttemptAt: string }
  | { kind: 'failed'; disableReason: string };

export interface AttemptResult {
  workspaceId: string;
  endpointId: string;
  deliveryId: string;
  eventId: string;
  attempt: number;
  status: number | null;
  error: string | null;
  latencyMs: number;
  responseSnippet: string | null;
  at: string;
  firstAttemptAt: string;
  outcome: DeliveryOutcome;
}

/**
 * Records a batch of attempts and each delivery's new state in one transaction (one commit per
 * worker pass, not per delivery); a final failure disables the endpoint with its reason.
 */
export async function recordAttempts(db: Db, results: AttemptResult[], newId: () => string): Promise<void> {
  if (results.length === 0) return;
  await withWebhookTables(db)
    .transaction()
    .execute(async (trx) => {
      for (const r of results) await writeAttempt(trx, r, newId);
    });
}

async function writeAttempt(trx: WebhookDb, r: AttemptResult, newId: () => string): Promise<void> {
  {
    await trx
      .insertInto('webhook_attempts')
      .values({
        id: newId(),
        workspace_id: r.workspaceId,
        endpoint_id: r.endpointId,
        delivery_id: r.deliveryId,
        event_id: r.eventId,
        attempt: r.attempt,
        status: r.status,
        error: r.error,
        latency_ms: r.latencyMs,
        response_snippet: r.responseSnippet,
        next_retry_at: r.outcome.kind === 'retry' ? r.outcome.nextAttemptAt : null,
        created_at: r.at,
      })
      .execute();
    const o = r.outcome;
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status: o.kind === 'retry' ? 'pending' : o.kind,
        attempts: r.attempt,
        next_attempt_at: o.kind === 'retry' ? o.nextAttemptAt : r.at,
        locked_until: null,
        last_status: r.status,
        last_error: r.error,
        first_attempt_at: r.firstAttemptAt,
        delivered_at: o.kind === 'delivered' ? r.at : null,
      })
      .where('workspace_id', '=', r.workspaceId)
      .where('id', '=', r.deliveryId)
      .execute();
    if (o.kind === 'failed') {
      await trx
        .updateTable('webhook_endpoints')
        .set({ enabled: 0, disabled_reason: o.disableReason, updated_at: r.at })
        .where('workspace_id', '=', r.workspaceId)
        .where('id', '=', r.endpointId)
        .where('enabled', '=', 1)
        .execute();
    }
  }
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventPosition: number;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  log: AttemptView[];
}

export interface AttemptView {
  attempt: number;
  status: number | null;
  error: string | null;
  latencyMs: number;
  responseSnippet: string | null;
  nextRetryAt: string | null;
  at: string;
}

function toAttempt(a: WebhookAttemptTable): AttemptView {
  return {
    attempt: a.attempt,
    status: a.status,
    error: a.error,
    latencyMs: a.latency_ms,
    responseSnippet: a.response_snippet,
    nextRetryAt: a.next_retry_at,
    at: a.created_at,
  };
}

function toDelivery(d: WebhookDeliveryTable, log: AttemptView[]): DeliveryView {
  return {
    id: d.id,
    eventId: d.event_id,
    eventPosition: Number(d.event_position),
    eventType: d.event_type,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
    lastStatus: d.last_status,
    lastError: d.last_error,
    deliveredAt: d.delivered_at,
    createdAt: d.created_at,
    log,
  };
}

/** An endpoint's deliveries, newest event first, each with its attempts (the delivery log). */
export async function listDeliveries(
  db: Db,
  workspaceId: string,
  endpointId: string,
  q: { status?: string; before?: number; limit: number },
): Promise<DeliveryView[]> {
  const w = withWebhookTables(db);
  let query = w
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', endpointId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.before !== undefined) query = query.where('event_position', '<', q.before);
  const rows = await query.orderBy('event_position', 'desc').limit(q.limit).execute();
  if (rows.length === 0) return [];
  const attempts = await w
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(
      'delivery_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('attempt')
    .execute();
  const byDelivery = new Map<string, AttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push(toAttempt(a));
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((r) => toDelivery(r, byDelivery.get(r.id) ?? []));
}

/** Puts a delivery back in the queue now (manual redelivery); its 24-hour retry window starts again. */
export async function requeueDelivery(
  db: Db,
  workspaceId: string,
  endpointId: string,
  deliveryId: string,
  now: string,
): Promise<boolean> {
  const result = await withWebhookTables(db)
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, locked_until: null, first_attempt_at: null })
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes finished deliveries and attempts older than a cutoff (run by the prune job). */
export async function pruneDeliveries(db: Db, before: string): Promise<number> {
  const w = withWebhookTables(db);
  await w.deleteFrom('webhook_attempts').where('created_at', '<', before).execute();
  const r = await w
    .deleteFrom('webhook_deliveries')
    .where('status', '<>', 'pending')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Queues one event for one endpoint directly (a test event), bypassing the subscription fan-out. */
export async function insertDirectDelivery(
  db: Db,
  d: {
    id: string;
    workspaceId: string;
    endpointId: string;
    eventPosition: number;
    eventId: string;
    eventType: string;
    now: string;
  },
): Promise<void> {
  await withWebhookTables(db)
    .insertInto('webhook_deliveries')
    .values({
      id: d.id,
      workspace_id: d.workspaceId,
      endpoint_id: d.endpointId,
      event_position: d.eventPosition,
      event_id: d.eventId,
      event_type: d.eventType,
      // No resource key: a test never waits behind (or holds up) a resource's earlier deliveries.
      resource_key: '',
      status: 'pending',
      attempts: 0,
      next_attempt_at: d.now,
      locked_until: null,
      last_status: null,
      last_error: null,
      first_attempt_at: null,
      delivered_at: null,
      created_at: d.now,
    })
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_position']).doNothing())
    .execute();
}
