import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { isoNow } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { insertDirectDelivery, requeueDelivery } from '../store/webhook-deliveries.js';
import {
  deleteEndpointRow,
  findEndpoint,
  insertEndpoint,
  updateEndpointRow,
  type WebhookEndpoint,
} from '../store/webhooks.js';
import { type Actor, appendEvents, type NewEvent } from './append.js';
import { TEST_EVENT_TYPE } from './catalog.js';
import { checkWebhookUrl } from './webhook-url.js';

/** A webhook input problem (bad URL, bad event type): the edge renders it as a 400. */
export class WebhookInputError extends Error {}

/** Standard Webhooks secrets: `whsec_` + base64 of 24 random bytes (the package's expected form). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const TYPE_PATTERN = /^(\*|[a-z_]+\.(\*|[a-z_]+))$/;

function checkEventTypes(types: string[] | undefined): string[] {
  const list = types && types.length > 0 ? [...new Set(types)] : ['*'];
  for (const t of list)
    if (!TYPE_PATTERN.test(t)) throw new WebhookInputError(`"${t}" is not an event type pattern.`);
  return list;
}

async function checkUrl(deps: Deps, url: string): Promise<string> {
  const check = await checkWebhookUrl(url, { allowPrivate: deps.config.webhookAllowPrivate });
  if (!check.ok) throw new WebhookInputError(check.reason);
  return check.url;
}

/** The event of a change to an endpoint (its state; the secret is never part of it). */
function endpointEvent(type: string, e: WebhookEndpoint): NewEvent {
  return { type, resourceType: 'Webhook', resourceId: e.id, data: e };
}

export interface EndpointInput {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
}

/** Registers an endpoint; the signing secret is returned this once (it is needed to verify). */
export async function createEndpoint(
  deps: Deps,
  workspaceId: string,
  input: EndpointInput & { url: string },
  actor: Actor,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = await checkUrl(deps, input.url);
  const now = isoNow(deps.clock);
  const endpoint: WebhookEndpoint = {
    id: newId(),
    workspaceId,
    url,
    description: input.description ?? null,
    eventTypes: checkEventTypes(input.eventTypes),
    enabled: input.enabled ?? true,
    disabledReason: input.enabled === false ? 'Disabled by an administrator.' : null,
    createdAt: now,
    updatedAt: now,
  };
  const secret = newWebhookSecret();
  await deps.store.db.transaction().execute(async (trx) => {
    await insertEndpoint(trx, endpoint, secret);
    await appendEvents(trx, workspaceId, actor, [endpointEvent('webhook.created', endpoint)], now);
  });
  return { endpoint, secret };
}

/** Changes an endpoint; enabling it again clears the reason it was disabled. */
export async function updateEndpoint(
  deps: Deps,
  workspaceId: string,
  id: string,
  input: EndpointInput,
  actor: Actor,
): Promise<WebhookEndpoint | undefined> {
  const url = input.url === undefined ? undefined : await checkUrl(deps, input.url);
  const eventTypes = input.eventTypes === undefined ? undefined : checkEventTypes(input.eventTypes);
  return deps.store.db.transaction().execute(async (trx) => {
    const current = await findEndpoint(trx, workspaceId, id);
    if (!current) return undefined;
    const now = isoNow(deps.clock);
    const enabled = input.enabled ?? current.enabled;
    const next: WebhookEndpoint = {
      ...current,
      url: url ?? current.url,
      description: input.description === undefined ? current.description : input.description,
      eventTypes: eventTypes ?? current.eventTypes,
      enabled,
      disabledReason: enabled
        ? null
        : input.enabled === false
          ? 'Disabled by an administrator.'
          : current.disabledReason,
      updatedAt: now,
    };
    await updateEndpointRow(trx, next);
    await appendEvents(trx, workspaceId, actor, [endpointEvent('webhook.updated', next)], now);
    return next;
  });
}

/** Removes an endpoint and its delivery log. */
export async function deleteEndpoint(
  deps: Deps,
  workspaceId: string,
  id: string,
  actor: Actor,
): Promise<boolean> {
  return deps.store.db.transaction().execute(async (trx) => {
    const current = await findEndpoint(trx, workspaceId, id);
    if (!current) return false;
    const now = isoNow(deps.clock);
    await deleteEndpointRow(trx, workspaceId, id);
    await appendEvents(trx, workspaceId, actor, [endpointEvent('webhook.deleted', current)], now);
    return true;
  });
}

/** Manual redelivery: the delivery goes back in the queue now, whatever its state. */
export async function redeliver(
  deps: Deps,
  workspaceId: string,
  endpointId: string,
  deliveryId: string,
): Promise<boolean> {
  return requeueDelivery(deps.store.db, workspaceId, endpointId, deliveryId, isoNow(deps.clock));
}

/**
 * Sends a `webhook.test` event to one endpoint (even a disabled one is queued; it goes out once
 * enabled). The event is in the log like any other, but only this endpoint gets a delivery.
 */
export async function sendTestEvent(
  deps: Deps,
  workspaceId: string,
  endpointId: string,
  actor: Actor,
): Promise<{ deliveryId: string; position: number } | undefined> {
  return deps.store.db.transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, workspaceId, endpointId);
    if (!endpoint) return undefined;
    const now = isoNow(deps.clock);
    const event = {
      type: TEST_EVENT_TYPE,
      resourceType: 'Webhook',
      resourceId: endpointId,
      data: { message: 'A test event sent from the Rollcall admin console.', url: endpoint.url },
    };
    const [position] = await appendEvents(trx, workspaceId, actor, [event], now);
    if (position === undefined) return undefined;
    const row = await trx
      .selectFrom('events')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('position', '=', position)
      .executeTakeFirstOrThrow();
    // The delivery row needs the event's position, so it follows the append in the same transaction.
    const deliveryId = newId();
    await insertDirectDelivery(trx, {
      id: deliveryId,
      workspaceId,
      endpointId,
      eventPosition: position,
      eventId: row.id,
      eventType: TEST_EVENT_TYPE,
      now,
    });
    return { deliveryId, position };
  });
}
