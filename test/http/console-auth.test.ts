import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { inviteAdmin } from '../../src/auth/admins.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const system = { type: 'system' as const, id: null };
const API = '/console/api';

interface Res {
  status: number;
  body: any;
  cookies: string[];
}

describeEngines('admin console: sign-in, sessions and CSRF', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  const call = async (
    method: string,
    url: string,
    opts: { body?: unknown; cookie?: string; csrf?: string; headers?: Record<string, string> } = {},
  ): Promise<Res> => {
    const res = await s.app.inject({
      method: method as 'GET',
      url: `${API}${url}`,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    });
    const raw = res.headers['set-cookie'];
    const cookies = Array.isArray(raw) ? raw : raw ? [raw] : [];
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, cookies };
  };
  const sessionCookie = (r: Res) =>
    (r.cookies.find((c) => c.startsWith('rc_session=')) ?? '').split(';')[0] ?? '';

  async function invited(email: string, role: 'Admin' | 'Editor' | 'Viewer' = 'Admin') {
    const { token } = await inviteAdmin(s.deps, s.workspace, { email, role }, system);
    const r = await call('POST', `/invites/${token}/accept`, { body: { password: 'correct horse battery' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { cookie: sessionCookie(r), csrf: r.body.csrfToken as string, token };
  }

  it('accepts an invite once, sets HttpOnly SameSite cookies, and signs in with the password', async () => {
    const { token } = await inviteAdmin(s.deps, s.workspace, { email: 'Ada@Example.com' }, system);
    const info = await call('GET', `/invites/${token}`);
    assert.equal(info.status, 200);
    assert.equal(info.body.email, 'Ada@Example.com');
    assert.equal(
      (await call('POST', `/invites/${token}/accept`, { body: { password: 'short' } })).status,
      400,
    );
    const ok = await call('POST', `/invites/${token}/accept`, {
      body: { password: 'correct horse battery' },
    });
    assert.equal(ok.status, 200);
    const cookie = ok.cookies.find((c) => c.startsWith('rc_session='));
    assert.match(cookie ?? '', /HttpOnly/);
    assert.match(cookie ?? '', /SameSite=Lax/);
    assert.doesNotMatch(cookie ?? '', /Secure/);
    assert.equal(
      (await call('POST', `/invites/${token}/accept`, { body: { password: 'correct horse battery' } }))
        .status,
      410,
    );
    const me = await call('GET', '/me', { cookie: sessionCookie(ok) });
    assert.equal(me.body.admin.email, 'Ada@Example.com');
    assert.equal(me.body.admin.role, 'Admin');
    const signIn = await call('POST', '/session', {
      body: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    assert.equal(signIn.status, 200);
    assert.equal((await call('GET', '/me', { cookie: sessionCookie(signIn) })).status, 200);
  });

  it('refuses expired and unknown invites', async () => {
    assert.equal((await call('GET', '/invites/nope')).status, 404);
    const { token } = await inviteAdmin(s.deps, s.workspace, { email: 'late@example.com' }, system);
    await s.deps.store.db
      .withTables<{ admin_invites: { expires_at: string } }>()
      .updateTable('admin_invites')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .execute();
    assert.equal((await call('GET', `/invites/${token}`)).status, 410);
  });

  it('requires a session and a matching CSRF header for writes', async () => {
    const { cookie, csrf } = await invited('csrf@example.com');
    assert.equal((await call('GET', '/tokens')).status, 401);
    assert.equal((await call('POST', '/tokens', { cookie, body: { name: 'x' } })).status, 403);
    assert.equal((await call('POST', '/tokens', { cookie, csrf: 'wrong', body: { name: 'x' } })).status, 403);
    const created = await call('POST', '/tokens', { cookie, csrf, body: { name: 'Okta', scopes: ['scim'] } });
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^rc_/);
    const evil = await call('POST', '/tokens', {
      cookie,
      csrf,
      body: { name: 'x' },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(evil.status, 403);
    const list = await call('GET', '/tokens', { cookie });
    assert.ok(list.body.tokens.some((t: { name: string }) => t.name === 'Okta'));
    assert.ok(!JSON.stringify(list.body).includes(created.body.secret));
    const revoked = await call('DELETE', `/tokens/${created.body.token.id}`, { cookie, csrf });
    assert.equal(revoked.body.token.state, 'revoked');
    assert.equal(
      (await s.scim('GET', '/Users', undefined, { authorization: `Bearer ${created.body.secret}` })).status,
      401,
    );
    assert.equal((await call('DELETE', '/session', { cookie, csrf })).status, 204);
    assert.equal((await call('GET', '/me', { cookie })).status, 401);
  });

  it('keeps Editors and Viewers out of settings but lets them read members and groups', async () => {
    const { cookie } = await invited('viewer@example.com', 'Viewer');
    assert.equal((await call('GET', '/tokens', { cookie })).status, 403);
    assert.equal((await call('GET', '/scim', { cookie })).status, 403);
    assert.equal((await call('GET', '/members', { cookie })).status, 200);
    assert.equal((await call('GET', '/groups', { cookie })).status, 200);
  });

  it('rate-limits failed sign-ins per IP and email', async () => {
    await invited('limited@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await call('POST', '/session', {
            body: { email: 'limited@example.com', password: 'wrong password!' },
          })
        ).status,
      );
    }
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses[5], 429);
    // Even the right password waits out the window.
    assert.equal(
      (
        await call('POST', '/session', {
          body: { email: 'limited@example.com', password: 'correct horse battery' },
        })
      ).status,
      429,
    );
  });

  it('refuses a sign-in posted as a form (login CSRF) and never answers 500 on junk', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: `${API}/session`,
      headers: { 'content-type': 'text/plain' },
      payload: 'email=a',
    });
    assert.equal(r.statusCode, 415);
    const junk = await s.app.inject({
      method: 'POST',
      url: `${API}/session`,
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    assert.equal(junk.statusCode, 400);
  });
});
