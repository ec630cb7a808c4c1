import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { inviteAdmin } from '../../src/auth/admins.js';
import { createWebhookWorker } from '../../src/events/webhook-worker.js';
import { queryAudit } from '../../src/store/events.js';
import { queryProvisioningLog } from '../../src/store/provisioning-log.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

// The console's provisioning log, SCIM status panel and webhook pages: Admin-only JSON routes.

const system = { type: 'system' as const, id: null };
const API = '/console/api';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describeEngines('admin console: provisioning log, SCIM status and webhooks', (engine) => {
  let s: TestServer;
  const admins: Record<string, { cookie: string; csrf: string }> = {};
  let userId = '';

  const call = async (
    who: string,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const a = admins[who];
    assert.ok(a);
    const res = await s.app.inject({
      method: method as 'GET',
      url: `${API}${url}`,
      headers: {
        cookie: a.cookie,
        'x-csrf-token': a.csrf,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };

  before(async () => {
    s = await startTestServer(engine, { webhookAllowPrivate: true });
    for (const role of ['Admin', 'Editor', 'Viewer'] as const) {
      const { token } = await inviteAdmin(s.deps, s.workspace, { email: `${role}@acme.test`, role }, system);
      const res = await s.app.inject({
        method: 'POST',
        url: `${API}/invites/${token}/accept`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ password: 'correct horse battery' }),
      });
      const raw = res.headers['set-cookie'];
      const cookies = Array.isArray(raw) ? raw : [String(raw)];
      admins[role] = {
        cookie: (cookies.find((c) => c.startsWith('rc_session=')) ?? '').split(';')[0] ?? '',
        csrf: JSON.parse(res.body).csrfToken,
      };
    }
    const okta = { 'user-agent': 'Okta SCIM Client 1.0.0' };
    const created = await s.scim(
      'POST',
      '/Users',
      { schemas: [USER], userName: 'grace@acme.test', password: 'Sup3r-Secret!', active: true },
      okta,
    );
    assert.equal(created.status, 201);
    userId = (created.body as { id: string }).id;
    assert.equal((await s.scim('POST', '/Users', { schemas: [USER] }, okta)).status, 400);
    assert.equal((await s.scim('GET', `/Users/${userId}`, undefined, okta)).status, 200);
    // The recorder writes entries in a batch just after the responses.
    for (let i = 0; i < 100; i++) {
      if ((await queryProvisioningLog(s.deps.store.db, s.workspace.id, { limit: 5 })).length >= 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  after(async () => {
    await s.close();
  });

  it('answers 403 to Editors and Viewers on every log and webhook route', async () => {
    for (const who of ['Editor', 'Viewer']) {
      for (const [method, url] of [
        ['GET', '/provisioning'],
        ['GET', '/provisioning/x'],
        ['GET', '/webhooks'],
        ['POST', '/webhooks'],
        ['POST', '/webhooks/x/test'],
        ['GET', '/webhooks/x/deliveries'],
      ] as const) {
        const r = await call(who, method, url, method === 'POST' ? {} : undefined);
        assert.equal(r.status, 403, `${who} ${method} ${url}`);
      }
    }
  });

  it('lists requests without bodies, filtered by result and user, paged by cursor', async () => {
    const all = await call('Admin', 'GET', '/provisioning');
    assert.equal(all.status, 200);
    assert.equal(all.body.entries.length, 3);
    assert.equal(all.body.entries[0].method, 'GET');
    assert.equal(all.body.entries[0].provider, 'Okta');
    assert.equal(all.body.entries[0].requestBody, undefined);
    const errors = await call('Admin', 'GET', '/provisioning?status=error');
    assert.deepEqual(
      errors.body.entries.map((e: { status: number }) => e.status),
      [400],
    );
    const mine = await call('Admin', 'GET', `/provisioning?user=${userId}`);
    assert.equal(mine.body.entries.length, 2);
    const first = await call('Admin', 'GET', '/provisioning?limit=2');
    assert.equal(first.body.entries.length, 2);
    const second = await call('Admin', 'GET', `/provisioning?limit=2&before=${first.body.next}`);
    assert.equal(second.body.entries.length, 1);
    assert.equal(second.body.next, null);
    const future = await call('Admin', 'GET', '/provisioning?since=2999-01-01T00:00:00Z');
    assert.equal(future.body.entries.length, 0);
    assert.equal((await call('Admin', 'GET', '/provisioning?since=yesterday')).status, 400);
    assert.equal((await call('Admin', 'GET', '/provisioning?status=weird')).status, 400);
  });

  it('shows one request: provider, redacted bodies, notes and the events it caused; audits the read', async () => {
    const list = await call('Admin', 'GET', `/provisioning?user=${userId}&status=success`);
    const post = list.body.entries.find((e: { method: string }) => e.method === 'POST');
    const r = await call('Admin', 'GET', `/provisioning/${post.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.entry.idp, 'okta');
    assert.equal(r.body.entry.requestBody.password, '[redacted]');
    assert.doesNotMatch(JSON.stringify(r.body), /Sup3r-Secret/);
    assert.equal(r.body.entry.responseBody.id, userId);
    assert.ok(Array.isArray(r.body.entry.notes));
    assert.deepEqual(
      r.body.events.map((e: { type: string; resourceId: string }) => [e.type, e.resourceId]),
      [['user.created', userId]],
    );
    const reads = await queryAudit(s.deps.store.db, s.workspace.id, {
      type: 'provisioning_log.read',
      limit: 5,
    });
    assert.equal(reads.length, 1);
    assert.equal(reads[0]?.actor.type, 'admin');
    assert.equal((await call('Admin', 'GET', '/provisioning/nope')).status, 404);
  });

  it('feeds the SCIM status panel: last request and the 24-hour error rate', async () => {
    const r = await call('Admin', 'GET', '/scim');
    assert.equal(r.status, 200);
    assert.equal(r.body.status.source, 'provisioning-log');
    assert.equal(r.body.status.provider, 'Okta');
    assert.equal(r.body.status.lastRequest.method, 'GET');
    assert.equal(r.body.status.lastRequest.status, 200);
    assert.equal(r.body.status.requests24h, 3);
    assert.equal(r.body.status.errors24h, 1);
  });

  it('creates, edits and disables endpoints; errors name the field; the secret is shown once', async () => {
    const badUrl = await call('Admin', 'POST', '/webhooks', { url: 'ftp://example.com/x' });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.error.field, 'url');
    const badTypes = await call('Admin', 'POST', '/webhooks', {
      url: 'http://127.0.0.1:1/',
      eventTypes: ['nope'],
    });
    assert.equal(badTypes.body.error.field, 'eventTypes');
    const created = await call('Admin', 'POST', '/webhooks', {
      url: 'http://127.0.0.1:1/hook',
      eventTypes: ['user.*'],
    });
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^whsec_/);
    const list = await call('Admin', 'GET', '/webhooks');
    assert.equal(list.body.endpoints.length, 1);
    assert.doesNotMatch(JSON.stringify(list.body), /whsec_/);
    assert.ok(list.body.eventTypes.some((t: { type: string }) => t.type === 'user.created'));
    assert.ok(!list.body.eventTypes.some((t: { type: string }) => t.type === 'webhook.test'));
    const id = created.body.endpoint.id;
    const edited = await call('Admin', 'PATCH', `/webhooks/${id}`, { description: 'App', enabled: false });
    assert.equal(edited.body.endpoint.enabled, false);
    assert.equal(edited.body.endpoint.description, 'App');
    const again = await call('Admin', 'PATCH', `/webhooks/${id}`, { enabled: true });
    assert.equal(again.body.endpoint.enabled, true);
    assert.equal((await call('Admin', 'PATCH', '/webhooks/nope', { enabled: true })).status, 404);
    assert.equal((await call('Admin', 'DELETE', `/webhooks/${id}`)).status, 204);
    assert.equal((await call('Admin', 'GET', `/webhooks/${id}`)).status, 404);
  });

  it('sends a test event to one endpoint only, logs the attempt, and redelivers on request', async () => {
    // The other endpoint (subscribed to `*`) is added first; the target only sees what follows it.
    const add = async (url: string) => (await call('Admin', 'POST', '/webhooks', { url })).body.endpoint.id;
    const other = await add('http://127.0.0.1:1/b');
    const target = await add('http://127.0.0.1:1/a');
    const sent = await call('Admin', 'POST', `/webhooks/${target}/test`);
    assert.equal(sent.status, 202);
    const worker = createWebhookWorker(s.deps);
    await worker.tick();
    const log = await call('Admin', 'GET', `/webhooks/${target}/deliveries`);
    assert.equal(log.status, 200);
    assert.equal(log.body.deliveries.length, 1);
    const d = log.body.deliveries[0];
    assert.equal(d.eventType, 'webhook.test');
    assert.equal(d.attempts, 1);
    assert.equal(d.status, 'pending');
    assert.ok(d.nextAttemptAt, 'a failed attempt is retried later');
    assert.ok(d.lastError);
    assert.equal(d.log[0].attempt, 1);
    // `*` subscribers never receive another endpoint's test event (they do get its webhook.created).
    const others = (await call('Admin', 'GET', `/webhooks/${other}/deliveries`)).body.deliveries;
    assert.deepEqual(
      others.map((x: { eventType: string }) => x.eventType),
      ['webhook.created'],
    );
    assert.equal(
      (await call('Admin', 'POST', `/webhooks/${target}/deliveries/${d.id}/redeliver`)).status,
      202,
    );
    assert.equal(
      (await call('Admin', 'POST', `/webhooks/${other}/deliveries/${d.id}/redeliver`)).status,
      404,
    );
    assert.equal((await call('Admin', 'POST', '/webhooks/nope/test')).status, 404);
  });
});
