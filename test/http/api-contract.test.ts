import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createToken } from '../../src/auth/tokens.js';
import type { Scope } from '../../src/store/tokens.js';
import { waitFor } from '../events/receiver.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const system = { type: 'system' as const, id: null };

describeEngines('REST API contract', (engine) => {
  let s: TestServer;
  let read: string;
  let write: string;
  let scimOnly: string;
  const api = async (method: string, url: string, token: string | null, body?: unknown) => {
    const res = await s.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  const tokenWith = async (scopes: Scope[]) =>
    (await createToken(s.deps, s.workspace, { name: scopes.join('+'), scopes }, system)).secret;

  before(async () => {
    s = await startTestServer(engine, { webhookAllowPrivate: false });
    read = await tokenWith(['api:read']);
    write = await tokenWith(['api:write']);
    scimOnly = await tokenWith(['scim']);
    for (const [userName, displayName, email] of [
      ['ada@x.test', 'Ada Lovelace', 'ada@corp.test'],
      ['bob@x.test', 'Bob Builder', 'bob@corp.test'],
      ['cy_100%@x.test', 'Cy', 'cy@other.test'],
    ]) {
      const r = await s.scim('POST', '/Users', {
        schemas: [CORE],
        userName,
        displayName,
        emails: [{ value: email, primary: true }],
      });
      assert.equal(r.status, 201);
    }
  });
  after(async () => s.close());

  it('refuses missing tokens, scim-only tokens, and writes with api:read — in one error shape', async () => {
    const none = await api('GET', '/members', null);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    assert.equal(typeof none.body.error.message, 'string');
    const scim = await api('GET', '/members', scimOnly);
    assert.equal(scim.status, 403);
    assert.equal(scim.body.error.code, 'insufficient_scope');
    const ro = await api('POST', '/tokens', read, { name: 'x' });
    assert.equal(ro.status, 403);
    assert.equal((await api('GET', '/members', read)).status, 200);
    assert.equal((await api('GET', '/members', write)).status, 200, 'api:write implies api:read');
    const bad = await api('GET', '/members?limit=100000', read);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    const missing = await api('GET', '/members/nope', read);
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.body), ['error']);
    const unknown = await api('GET', '/nothing-here', read);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
  });

  it('keeps SCIM’s own auth and errors under /api/v1/auth/scim', async () => {
    const r = await s.scim('GET', '/Nope');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/scim/Users',
      headers: { authorization: `Bearer ${read}` },
    });
    assert.equal(res.statusCode, 403, 'an api token without scim scope is refused by SCIM');
  });

  it('lists and searches members with cursor pagination', async () => {
    const page1 = await api('GET', '/members?limit=2', read);
    assert.equal(page1.body.data.length, 2);
    assert.ok(page1.body.next_cursor);
    const page2 = await api('GET', `/members?limit=2&cursor=${page1.body.next_cursor}`, read);
    assert.equal(page2.body.data.length, 1);
    assert.equal(page2.body.next_cursor, null);
    const ada = await api('GET', '/members?q=LOVELACE', read);
    assert.deepEqual(
      ada.body.data.map((m: { userName: string }) => m.userName),
      ['ada@x.test'],
    );
    const byEmail = await api('GET', '/members?q=corp.test', read);
    assert.equal(byEmail.body.data.length, 2);
    const literal = await api('GET', '/members?q=100%25', read);
    assert.deepEqual(
      literal.body.data.map((m: { userName: string }) => m.userName),
      ['cy_100%@x.test'],
      '% is literal',
    );
    const m = ada.body.data[0];
    assert.equal(m.status, 'active');
    assert.equal(m.email, 'ada@corp.test');
    assert.equal(m.role, 'Viewer');
    assert.deepEqual(m.groups, []);
    const one = await api('GET', `/members/${m.id}`, read);
    assert.equal(one.body.userName, 'ada@x.test');
    assert.equal((await api('GET', '/members?status=suspended', read)).body.data.length, 0);
    assert.equal((await api('GET', '/members?role=Viewer', read)).body.data.length, 3);
    assert.equal((await api('GET', '/members?role=Admin', read)).body.data.length, 0);
  });

  it('lists groups and their members, maps a group to a role, and filters members by role and group', async () => {
    const ada = (await api('GET', '/members?q=ada', read)).body.data[0];
    const bob = (await api('GET', '/members?q=bob', read)).body.data[0];
    const g = await s.scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Admins',
      members: [{ value: ada.id }, { value: bob.id }],
    });
    assert.equal(g.status, 201);
    const groups = await api('GET', '/groups?q=adm', read);
    assert.deepEqual(
      groups.body.data.map((x: { displayName: string }) => x.displayName),
      ['Admins'],
    );
    assert.equal(groups.body.data[0].memberCount, 2);
    const p1 = await api('GET', `/groups/${g.body.id}/members?limit=1`, read);
    assert.equal(p1.body.data.length, 1);
    const p2 = await api('GET', `/groups/${g.body.id}/members?limit=1&cursor=${p1.body.next_cursor}`, read);
    assert.equal(p2.body.data.length, 1);
    assert.equal(p2.body.next_cursor, null);
    assert.notEqual(p1.body.data[0].id, p2.body.data[0].id);
    assert.equal((await api('PUT', `/groups/${g.body.id}/role`, read, { role: 'Admin' })).status, 403);
    assert.equal((await api('PUT', `/groups/${g.body.id}/role`, write, { role: 'Boss' })).status, 400);
    assert.equal((await api('PUT', '/groups/nope/role', write, { role: 'Admin' })).status, 404);
    const mapped = await api('PUT', `/groups/${g.body.id}/role`, write, { role: 'Admin' });
    assert.equal(mapped.status, 200);
    assert.equal(mapped.body.role, 'Admin');
    const roles = await api('GET', '/roles', read);
    assert.deepEqual(roles.body.mappings, [{ groupId: g.body.id, displayName: 'Admins', role: 'Admin' }]);
    const one = await api('GET', `/members/${ada.id}`, read);
    assert.equal(one.body.role, 'Admin');
    assert.deepEqual(one.body.groups, [{ id: g.body.id, displayName: 'Admins' }]);
    assert.equal((await api('GET', '/members?role=Admin', read)).body.data.length, 2);
    assert.equal((await api('GET', `/members?group=${g.body.id}&q=bob`, read)).body.data.length, 1);
    await api('PUT', `/groups/${g.body.id}/role`, write, { role: null });
    assert.equal((await api('GET', '/members?role=Admin', read)).body.data.length, 0);
  });

  it('creates a token (secret once), lists without secrets, revokes', async () => {
    const created = await api('POST', '/tokens', write, { name: 'ci', scopes: ['api:read'] });
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^rc_/);
    const list = await api('GET', '/tokens', read);
    assert.ok(list.body.data.some((t: { id: string }) => t.id === created.body.id));
    assert.ok(!JSON.stringify(list.body).includes(created.body.secret));
    assert.equal((await api('GET', '/members', created.body.secret)).status, 200);
    assert.equal((await api('DELETE', `/tokens/${created.body.id}`, write)).status, 204);
    assert.equal((await api('GET', '/members', created.body.secret)).status, 401);
    assert.equal((await api('DELETE', '/tokens/unknown', write)).status, 404);
  });

  it('manages webhooks: secret once, URL validation, update, delete', async () => {
    const loop = await api('POST', '/webhooks', write, { url: 'http://127.0.0.1:9/x' });
    assert.equal(loop.status, 400, 'loopback is refused without WEBHOOK_ALLOW_PRIVATE');
    assert.match(loop.body.error.message, /private|loopback/);
    assert.equal((await api('POST', '/webhooks', write, { url: 'ftp://example.com/x' })).status, 400);
    assert.equal((await api('POST', '/webhooks', write, { url: 'http://10.1.2.3/x' })).status, 400);
    assert.equal((await api('POST', '/webhooks', write, { url: 'http://[::1]/x' })).status, 400);
    s.deps.config.webhookAllowPrivate = true;
    const created = await api('POST', '/webhooks', write, {
      url: 'http://127.0.0.1:9/x',
      eventTypes: ['user.*'],
    });
    s.deps.config.webhookAllowPrivate = false;
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^whsec_/);
    const got = await api('GET', `/webhooks/${created.body.id}`, read);
    assert.equal(got.body.secret, undefined);
    assert.deepEqual(got.body.eventTypes, ['user.*']);
    const off = await api('PATCH', `/webhooks/${created.body.id}`, write, { enabled: false });
    assert.equal(off.body.enabled, false);
    assert.match(off.body.disabledReason, /administrator/);
    const deliveries = await api('GET', `/webhooks/${created.body.id}/deliveries`, read);
    assert.deepEqual(deliveries.body, { data: [], next_cursor: null });
    assert.equal((await api('DELETE', `/webhooks/${created.body.id}`, write)).status, 204);
    assert.equal((await api('GET', `/webhooks/${created.body.id}`, read)).status, 404);
  });

  it('serves the event feed in order with a cursor, and the audit log with filters', async () => {
    const all = await api('GET', '/events?after=0&limit=1000', read);
    const positions = all.body.data.map((e: { position: number }) => e.position);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    const first = await api('GET', '/events?after=0&limit=2', read);
    assert.equal(first.body.data.length, 2);
    const rest = await api('GET', `/events?after=${first.body.next_after}&limit=1000`, read);
    assert.equal(first.body.data.length + rest.body.data.length, all.body.data.length);
    assert.equal(rest.body.next_after, positions[positions.length - 1]);
    const created = await api('GET', '/audit-log?type=user.created', read);
    assert.equal(created.body.data.length, 3);
    const mapped = await api('GET', '/audit-log?type=group.*', read);
    assert.ok(mapped.body.data.some((e: { type: string }) => e.type === 'group.role_mapped'));
    assert.equal(created.body.data[0].actor.type, 'token');
    assert.ok(created.body.data[0].actor.ip);
    const tokens = await api('GET', '/audit-log?type=token.*&limit=1', read);
    assert.equal(tokens.body.data.length, 1);
    assert.ok(tokens.body.next_cursor);
    const future = await api('GET', '/audit-log?since=2999-01-01T00:00:00Z', read);
    assert.equal(future.body.data.length, 0);
  });

  it('serves the provisioning log, redacted and filterable, and audits reading it', async () => {
    const r = await s.scim(
      'POST',
      '/Users',
      { schemas: [CORE], userName: 'pw@x.test', password: 'hunter2-secret' },
      { 'user-agent': 'Okta SCIM Client 1.0.0' },
    );
    assert.equal(r.status, 201);
    await s.scim(
      'POST',
      '/Users',
      { schemas: [CORE], userName: 'pw@x.test' },
      { 'user-agent': 'Okta SCIM Client 1.0.0' },
    );
    // The entry is written after the response has been sent.
    await waitFor(async () => (await api('GET', '/provisioning-log?status=409', read)).body.data.length > 0);
    const log = await api('GET', `/provisioning-log?user_id=${r.body.id}`, read);
    assert.equal(log.status, 200);
    const entry = log.body.data[0];
    assert.equal(entry.method, 'POST');
    assert.equal(entry.status, 201);
    assert.equal(entry.idp, 'okta');
    assert.equal(entry.resourceType, 'User');
    assert.equal(entry.eventPositions.length, 1);
    assert.ok(!JSON.stringify(log.body).includes('hunter2'), 'password redacted');
    assert.match(entry.requestBody, /\[redacted\]/);
    const errors = await api('GET', '/provisioning-log?status=error', read);
    assert.ok(
      errors.body.data.some(
        (e: { status: number; eventPositions: number[] }) =>
          e.status === 409 && e.eventPositions.length === 0,
      ),
    );
    const audit = await api('GET', '/audit-log?type=provisioning_log.read', read);
    assert.ok(audit.body.data.length >= 1);
  });

  it('serves an OpenAPI 3 document built from the route schemas', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    assert.match(doc.openapi, /^3\./);
    const members = doc.paths['/api/v1/members'].get;
    assert.ok(
      members.parameters.some(
        (p: { name: string; schema: { maximum: number } }) => p.name === 'limit' && p.schema.maximum === 200,
      ),
    );
    assert.ok(
      doc.paths['/api/v1/webhooks'].post.requestBody.content['application/json'].schema.required.includes(
        'url',
      ),
    );
    assert.ok(doc.paths['/api/v1/groups/{id}/role'].put);
    assert.ok(doc.paths['/api/v1/events'].get);
  });
});
