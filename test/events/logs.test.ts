import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Deps } from '../../src/deps.js';
import { appendEvents } from '../../src/events/append.js';
import {
  detectIdp,
  logBody,
  MAX_LOGGED_BODY,
  redact,
  resourceOf,
} from '../../src/events/provisioning-log.js';
import { pruneLogs } from '../../src/events/prune.js';
import { checkWebhookUrl, isInternalAddress } from '../../src/events/webhook-url.js';
import { listEventsAfter } from '../../src/store/events.js';
import { insertProvisioningEntry, queryProvisioningLog } from '../../src/store/provisioning-log.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { createTestDeps, describeEngines, testClock } from '../helpers/engines.js';

it('detects the identity provider from the User-Agent', () => {
  assert.equal(detectIdp('Okta SCIM Client 1.0.0'), 'okta');
  assert.equal(detectIdp('Azure AD SCIM Provisioning'), 'entra');
  assert.equal(detectIdp('Microsoft.Identity.Provisioning/1.0'), 'entra');
  assert.equal(detectIdp('OneLogin SCIM'), 'onelogin');
  assert.equal(detectIdp('JumpCloud-SCIM/1'), 'jumpcloud');
  assert.equal(detectIdp('Google-Auto-Provisioning'), 'google');
  assert.equal(detectIdp('authentik/2024.2'), 'authentik');
  assert.equal(detectIdp('Go-http-client/1.1'), 'unknown');
  assert.equal(detectIdp(null), 'unknown');
});

it('redacts passwords and secret-looking values, and caps stored bodies', () => {
  const out = redact({
    userName: 'a',
    password: 'p4ss',
    Operations: [
      { op: 'replace', path: 'password', value: 'new-pass' },
      { op: 'replace', value: { password: 'x' } },
    ],
    note: 'token rc_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG here',
    hook: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0',
  }) as Record<string, any>;
  assert.equal(out.password, '[redacted]');
  assert.equal(out.Operations[0].value, '[redacted]');
  assert.equal(out.Operations[1].value.password, '[redacted]');
  assert.equal(out.note, 'token [redacted] here');
  assert.equal(out.hook, '[redacted]');
  assert.equal(out.userName, 'a');
  const big = logBody({ data: 'x'.repeat(MAX_LOGGED_BODY * 2) }) ?? '';
  assert.ok(big.length < MAX_LOGGED_BODY + 100 && big.includes('[truncated'));
  assert.equal(logBody(undefined), null);
});

it('finds the resource of a SCIM path, or the created id', () => {
  assert.deepEqual(resourceOf('/api/v1/auth/scim/Users/abc?x=1', null), { type: 'User', id: 'abc' });
  assert.deepEqual(resourceOf('/api/v1/auth/scim/Groups', { id: 'g1' }), { type: 'Group', id: 'g1' });
  assert.deepEqual(resourceOf('/api/v1/auth/scim/ServiceProviderConfig', null), { type: null, id: null });
});

it('refuses internal webhook addresses unless allowed', async () => {
  for (const a of [
    '127.0.0.1',
    '10.0.0.1',
    '192.168.1.1',
    '172.16.0.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    'fd00::1',
  ]) {
    assert.ok(isInternalAddress(a), a);
  }
  assert.ok(!isInternalAddress('93.184.216.34'));
  assert.equal((await checkWebhookUrl('http://169.254.169.254/latest', { allowPrivate: false })).ok, false);
  assert.equal((await checkWebhookUrl('http://localhost:8080/', { allowPrivate: false })).ok, false);
  assert.equal((await checkWebhookUrl('file:///etc/passwd', { allowPrivate: true })).ok, false);
  assert.equal((await checkWebhookUrl('http://user:pw@example.com/', { allowPrivate: true })).ok, false);
  assert.equal((await checkWebhookUrl('http://127.0.0.1:9/', { allowPrivate: true })).ok, true);
  assert.equal((await checkWebhookUrl('https://93.184.216.34/hook', { allowPrivate: false })).ok, true);
});

describeEngines('log retention', (engine) => {
  let deps: Deps;
  let close: () => Promise<void>;
  const clock = testClock(new Date('2026-01-01T00:00:00Z'));
  before(async () => {
    ({ deps, close } = await createTestDeps(engine, {}, clock));
  });
  after(async () => close());

  it('prunes events past AUDIT_RETENTION_DAYS and provisioning entries past their own retention', async () => {
    const ws = await createWorkspace(deps, 'keep', {}, { type: 'system', id: null });
    const entry = (id: string, at: string) =>
      insertProvisioningEntry(deps.store.db, {
        id,
        workspaceId: ws.id,
        tokenId: null,
        method: 'GET',
        path: '/Users',
        status: 200,
        durationMs: 1,
        idp: 'okta',
        ip: null,
        userAgent: null,
        notes: [],
        requestBody: null,
        responseBody: null,
        resourceType: null,
        resourceId: null,
        eventPositions: [],
        createdAt: at,
      });
    await entry('00000000-0000-7000-8000-000000000001', '2025-11-01T00:00:00.000Z');
    await entry('00000000-0000-7000-8000-000000000002', '2025-12-30T00:00:00.000Z');
    await deps.store.db
      .transaction()
      .execute((trx) =>
        appendEvents(
          trx,
          ws.id,
          { type: 'system', id: null },
          [{ type: 'user.created', resourceType: 'User', resourceId: 'old', data: {} }],
          '2024-06-01T00:00:00.000Z',
        ),
      );
    const r = await pruneLogs(deps);
    assert.equal(r.provisioning, 1);
    assert.equal(r.events, 1);
    const left = await queryProvisioningLog(deps.store.db, ws.id, { limit: 10 });
    assert.deepEqual(
      left.map((e) => e.id),
      ['00000000-0000-7000-8000-000000000002'],
    );
    const events = await listEventsAfter(deps.store.db, ws.id, 0, 10);
    assert.deepEqual(
      events.map((e) => e.type),
      ['workspace.created'],
    );
  });
});
