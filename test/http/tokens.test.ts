import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { authenticate, createToken, hashToken, revokeToken } from '../../src/auth/tokens.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const system = { type: 'system' as const, id: null };

describeEngines('API tokens', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('stores only a hash, with a recognisable prefix', async () => {
    const { token, secret } = await createToken(s.deps, s.workspace, { name: 'hash check' }, system);
    assert.match(secret, /^rc_[A-Za-z0-9_-]{43}$/);
    const row = await s.deps.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(secret));
    assert.ok(!JSON.stringify(row).includes(secret));
    assert.deepEqual(token.scopes, ['scim', 'api:read', 'api:write']);
  });

  it('stops working on the next request after revocation', async () => {
    const { token, secret } = await createToken(s.deps, s.workspace, { name: 'revoke me' }, system);
    const auth = { authorization: `Bearer ${secret}` };
    assert.equal((await s.scim('GET', '/Users', undefined, auth)).status, 200);
    await revokeToken(s.deps, token.id, system);
    const r = await s.scim('GET', '/Users', undefined, auth);
    assert.equal(r.status, 401);
    assert.match(r.body.detail, /revoked/);
  });

  it('refuses expired tokens and tokens without the scim scope', async () => {
    const expired = await createToken(
      s.deps,
      s.workspace,
      { expiresAt: new Date(Date.now() - 1000).toISOString() },
      system,
    );
    assert.equal(
      (await s.scim('GET', '/Users', undefined, { authorization: `Bearer ${expired.secret}` })).status,
      401,
    );
    const apiOnly = await createToken(s.deps, s.workspace, { scopes: ['api:read'] }, system);
    assert.equal(
      (await s.scim('GET', '/Users', undefined, { authorization: `Bearer ${apiOnly.secret}` })).status,
      403,
    );
  });

  it('writes last use at most once a minute', async () => {
    const { token, secret } = await createToken(s.deps, s.workspace, {}, system);
    const r1 = await authenticate(s.deps, secret);
    assert.ok(r1.ok);
    const first = (
      await s.deps.store.db
        .selectFrom('api_tokens')
        .select('last_used_at')
        .where('id', '=', token.id)
        .executeTakeFirstOrThrow()
    ).last_used_at;
    assert.ok(first);
    await authenticate(s.deps, secret);
    const second = (
      await s.deps.store.db
        .selectFrom('api_tokens')
        .select('last_used_at')
        .where('id', '=', token.id)
        .executeTakeFirstOrThrow()
    ).last_used_at;
    assert.equal(second, first);
  });

  it('answers 401 as SCIM JSON for missing and malformed credentials', async () => {
    for (const authorization of ['', 'Basic abc', 'Bearer', 'Bearer rc_short']) {
      const r = await s.scim('GET', '/Users', undefined, { authorization });
      assert.equal(r.status, 401);
      assert.equal(r.body.status, '401');
      assert.equal(r.headers['content-type'], 'application/scim+json');
    }
  });

  it('rate limits per token with 429 and Retry-After', async () => {
    const limited = await startTestServer(engine, { rateLimitRps: 2 });
    try {
      const statuses: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 8; i++) {
        const r = await limited.scim('GET', '/Users?count=0');
        statuses.push(r.status);
        if (r.status === 429) {
          retryAfter = r.headers['retry-after'];
          assert.equal(r.body.status, '429');
        }
      }
      assert.ok(statuses.includes(429), statuses.join(','));
      assert.match(String(retryAfter), /^\d+$/);
    } finally {
      await limited.close();
    }
  });
});

describeEngines('failed authentication', (engine) => {
  it('is limited per client address, without a database lookup once limited', async () => {
    const s = await startTestServer(engine, { rateLimitRps: 100 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await s.scim('GET', '/Users', undefined, { authorization: `Bearer rc_${'x'.repeat(43)}` });
        statuses.push(r.status);
      }
      assert.equal(statuses[0], 401);
      assert.ok(statuses.includes(429), statuses.join(','));
      const last = await s.scim('GET', '/Users', undefined, { authorization: `Bearer rc_${'x'.repeat(43)}` });
      assert.equal(last.status, 429);
      assert.match(String(last.headers['retry-after']), /^\d+$/);
      const other = await s.app.inject({
        method: 'GET',
        url: '/api/v1/auth/scim/Users',
        headers: { authorization: `Bearer ${s.token}` },
        remoteAddress: '10.9.8.7',
      });
      assert.equal(other.statusCode, 200, 'another address is not affected');
    } finally {
      await s.close();
    }
  });
});
