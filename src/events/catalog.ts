// The event types Rollcall records, as data: the OpenAPI document, webhook subscriptions and the
// audit log read this list. Sensitive reads are audit-only: they are not sent to webhooks by `*`.

export interface EventTypeInfo {
  type: string;
  description: string;
  /** Delivered to webhook endpoints subscribed with `*` (false for audit-only records). */
  webhook: boolean;
}

export const eventCatalog: EventTypeInfo[] = [
  { type: 'user.created', description: 'A member was provisioned.', webhook: true },
  { type: 'user.updated', description: 'A member’s attributes changed.', webhook: true },
  { type: 'user.suspended', description: 'A member was deactivated (active=false).', webhook: true },
  { type: 'user.reactivated', description: 'A suspended member was reactivated.', webhook: true },
  { type: 'user.deleted', description: 'A member was deprovisioned.', webhook: true },
  { type: 'user.role_changed', description: 'A member’s effective role changed.', webhook: true },
  { type: 'group.created', description: 'A group was created.', webhook: true },
  { type: 'group.updated', description: 'A group’s attributes changed.', webhook: true },
  { type: 'group.deleted', description: 'A group was deleted.', webhook: true },
  {
    type: 'group.members_added',
    description: 'Members were added to a group (one event per request).',
    webhook: true,
  },
  {
    type: 'group.members_removed',
    description: 'Members were removed from a group (one event per request).',
    webhook: true,
  },
  {
    type: 'group.role_mapped',
    description: 'A group was mapped to a workspace role (or unmapped).',
    webhook: true,
  },
  { type: 'token.created', description: 'An API token was created.', webhook: true },
  { type: 'token.revoked', description: 'An API token was revoked.', webhook: true },
  { type: 'workspace.created', description: 'A workspace was created.', webhook: true },
  { type: 'workspace.updated', description: 'Workspace settings changed.', webhook: true },
  {
    type: 'schema_extension.registered',
    description: 'A custom SCIM schema extension was registered.',
    webhook: true,
  },
  {
    type: 'schema_extension.deleted',
    description: 'A custom SCIM schema extension was removed.',
    webhook: true,
  },
  { type: 'webhook.created', description: 'A webhook endpoint was registered.', webhook: true },
  { type: 'webhook.updated', description: 'A webhook endpoint was changed.', webhook: true },
  { type: 'webhook.deleted', description: 'A webhook endpoint was removed.', webhook: true },
  {
    type: 'webhook.test',
    description: 'A test event an Admin sent to one endpoint (delivered to that endpoint only).',
    webhook: false,
  },
  {
    type: 'provisioning_log.read',
    description: 'The provisioning log (request bodies) was read.',
    webhook: false,
  },
];

/** The event an Admin sends to check one endpoint (see sendTestEvent in webhooks.ts). */
export const TEST_EVENT_TYPE = 'webhook.test';

const auditOnly = new Set(eventCatalog.filter((e) => !e.webhook).map((e) => e.type));

/** Whether `*` subscriptions receive this type (unknown types from newer code are delivered). */
export function deliveredByDefault(type: string): boolean {
  return !auditOnly.has(type);
}

/** True when an endpoint's subscription (`*`, `user.*`, or exact types) selects an event type. */
export function matchesEventTypes(patterns: string[], type: string): boolean {
  // A test event is addressed to one endpoint (its delivery row is written directly), never fanned out.
  if (type === TEST_EVENT_TYPE) return false;
  return patterns.some(
    (p) =>
      (p === '*' && deliveredByDefault(type)) ||
      p === type ||
      (p.endsWith('.*') && type.startsWith(p.slice(0, -1))),
  );
}
