import type { Deps } from '../deps.js';
import { isoNow } from '../lib/clock.js';
import { type AuditQuery, type EventRecord, listEventsAfter, queryAudit } from '../store/events.js';
import { type Actor, appendEvents } from './append.js';

// The feed and the audit log both read the one events table; sensitive reads are appended to it too.

/** The events feed: events after a position, in order, with the position to continue from. */
export async function readFeed(
  deps: Deps,
  workspaceId: string,
  after: number,
  limit: number,
): Promise<{ data: EventRecord[]; next_after: number }> {
  const data = await listEventsAfter(deps.store.db, workspaceId, after, limit);
  const last = data[data.length - 1];
  return { data, next_after: last ? last.position : after };
}

/** The audit log, newest first. */
export async function readAudit(deps: Deps, workspaceId: string, q: AuditQuery): Promise<EventRecord[]> {
  return queryAudit(deps.store.db, workspaceId, q);
}

/** Records a sensitive read (an export, the provisioning log's bodies) as an audit-only event. */
export async function recordSensitiveRead(
  deps: Deps,
  workspaceId: string,
  actor: Actor,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  const now = isoNow(deps.clock);
  await deps.store.db.transaction().execute(async (trx) => {
    await appendEvents(trx, workspaceId, actor, [{ type, resourceType: null, resourceId: null, data }], now);
  });
}
