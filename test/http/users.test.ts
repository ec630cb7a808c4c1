import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setGroupRole } from '../../src/directory/roles.js';
import { newId } from '../../src/lib/ids.js';
import { insertUser } from '../../src/store/users.js';
import { recountWorkspace } from '../../src/store/workspaces.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const oktaUser = (userName: string) => ({
  schemas: [CORE],
  userName,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
});

describeEngines('SCIM Users contract', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('walks Okta’s whole user lifecycle', async () => {
    const pre = await s.scim(
      'GET',
      '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
    );
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['content-type'], 'application/scim+json');
    assert.deepEqual(pre.body.Resources, []);
    assert.equal(pre.body.totalResults, 0);
    assert.equal(pre.body.startIndex, 1);
    assert.equal(pre.body.itemsPerPage, 0);

    const created = await s.scim('POST', '/Users', oktaUser('test.user@okta.local'));
    assert.equal(created.status, 201);
    const id = created.body.id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.match(
      String(created.headers.location),
      new RegExp(`^http://localhost(:80)?/api/v1/auth/scim/Users/${id}$`),
    );
    assert.equal(created.body.meta.resourceType, 'User');
    assert.equal(created.body.meta.version, 'W/"1"');
    assert.equal(created.headers.etag, 'W/"1"');
    assert.ok(created.body.meta.created && created.body.meta.lastModified);
    assert.equal(created.body.meta.location, created.headers.location);
    assert.equal(created.body.password, undefined, 'password is never returned');
    assert.equal(created.body.active, true);
    assert.equal(created.body.userName, 'test.user@okta.local');
    assert.ok(!created.text.includes('1mz050nq'));

    const dup = await s.scim('POST', '/Users', oktaUser('TEST.USER@okta.local'));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.scimType, 'uniqueness');
    assert.deepEqual(dup.body.schemas, [ERROR]);
    assert.equal(dup.body.status, '409');

    const got = await s.scim('GET', `/Users/${id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.name.familyName, 'User');

    const put = await s.scim('PUT', `/Users/${id}`, {
      ...got.body,
      name: { givenName: 'Changed', familyName: 'User' },
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.name.givenName, 'Changed');
    assert.equal(put.body.meta.version, 'W/"2"');

    const deactivate = await s.scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assert.equal(deactivate.status, 200);
    assert.equal(deactivate.body.active, false);

    const reactivate = await s.scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    assert.equal(reactivate.body.active, true);

    const upper = await s.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "TEST.USER@OKTA.LOCAL"')}`,
    );
    assert.equal(upper.status, 200);
    assert.equal(upper.body.totalResults, 1);
    assert.equal(upper.body.Resources[0].id, id);

    const missing = await s.scim('GET', '/Users/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.status, '404');
    assert.ok(missing.body.detail);

    const bad = await s.scim('GET', '/Users', undefined, { authorization: 'Bearer rc_nope' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.status, '401');
    assert.deepEqual(bad.body.schemas, [ERROR]);

    const del = await s.scim('DELETE', `/Users/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await s.scim('GET', `/Users/${id}`)).status, 404);
    const again = await s.scim('POST', '/Users', oktaUser('test.user@okta.local'));
    assert.equal(again.status, 201, 'the userName is free again after DELETE');
  });

  it('pages with integers and a stable order', async () => {
    for (let i = 0; i < 5; i++)
      assert.equal((await s.scim('POST', '/Users', oktaUser(`page${i}@x.test`))).status, 201);
    const all = await s.scim('GET', '/Users?startIndex=1&count=100');
    const total = all.body.totalResults;
    assert.ok(total >= 5);
    const p1 = await s.scim('GET', '/Users?startIndex=1&count=2');
    const p2 = await s.scim('GET', '/Users?startIndex=3&count=2');
    assert.equal(p1.body.itemsPerPage, 2);
    assert.equal(p2.body.startIndex, 3);
    const ids = all.body.Resources.map((r: any) => r.id);
    assert.deepEqual(
      [...p1.body.Resources, ...p2.body.Resources].map((r: any) => r.id),
      ids.slice(0, 4),
    );
    const beyond = await s.scim('GET', `/Users?startIndex=${total + 100}&count=100`);
    assert.equal(beyond.body.itemsPerPage, 0);
    assert.equal(beyond.body.totalResults, total);
    const zero = await s.scim('GET', '/Users?count=0');
    assert.equal(zero.body.totalResults, total);
    assert.deepEqual(zero.body.Resources, []);
    const lower = await s.scim('GET', '/Users?startindex=0&count=1');
    assert.equal(lower.body.startIndex, 1);
  });

  it('answers races on one userName with exactly one 201 and the rest 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => s.scim('POST', '/Users', oktaUser('race@x.test'))),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('rejects bad input with the right error and changes nothing', async () => {
    const before = (await s.scim('GET', '/Users?count=0')).body.totalResults;
    const cases: [unknown, number, string | undefined][] = [
      ['{"userName": ', 400, 'invalidSyntax'],
      [{ schemas: [CORE] }, 400, 'invalidValue'],
      [{ schemas: [CORE], userName: 42.5, active: 'maybe' }, 400, 'invalidValue'],
      [{ schemas: [CORE], userName: 'x@y.test', active: 'maybe' }, 400, 'invalidValue'],
      [{ schemas: ['urn:example:unknown'], userName: 'u@y.test' }, 400, 'invalidValue'],
      [{ schemas: [CORE], userName: 'big@y.test', title: 'x'.repeat(1_100_000) }, 413, undefined],
      ['[1,2]', 400, 'invalidSyntax'],
    ];
    for (const [body, status, scimType] of cases) {
      const r = await s.scim('POST', '/Users', body);
      assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)} → ${r.text.slice(0, 200)}`);
      assert.equal(r.body.scimType, scimType);
      assert.equal(r.body.status, String(status));
      assert.ok(!r.text.includes('at '), 'no stack trace');
    }
    assert.equal((await s.scim('GET', '/Users?count=0')).body.totalResults, before);
  });

  it('keeps the unfiltered totalResults exact through creates and deletes', async () => {
    const made: string[] = [];
    for (let i = 0; i < 6; i++)
      made.push((await s.scim('POST', '/Users', oktaUser(`count${i}@x.test`))).body.id);
    for (const id of made.slice(0, 3)) assert.equal((await s.scim('DELETE', `/Users/${id}`)).status, 204);
    const kept = (await s.scim('GET', '/Users?count=0')).body.totalResults;
    const counted = (await s.scim('GET', `/Users?count=0&filter=${encodeURIComponent('userName pr')}`)).body
      .totalResults;
    assert.equal(kept, counted);
    const madeGroups: string[] = [];
    for (const name of ['Count A', 'Count B', 'Count C'])
      madeGroups.push((await s.scim('POST', '/Groups', { displayName: name })).body.id);
    assert.equal((await s.scim('DELETE', `/Groups/${madeGroups[0]}`)).status, 204);
    const groups = (await s.scim('GET', '/Groups?count=0')).body.totalResults;
    assert.ok(groups >= 2, String(groups));
    const groupsCounted = (
      await s.scim('GET', `/Groups?count=0&filter=${encodeURIComponent('displayName pr')}`)
    ).body.totalResults;
    assert.equal(groups, groupsCounted);
  });

  it('accepts application/json and a missing content type', async () => {
    const body = JSON.stringify(oktaUser('ct1@x.test'));
    const json = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/scim/Users',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      payload: body,
    });
    assert.equal(json.statusCode, 201);
    const none = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/scim/Users',
      headers: { authorization: `Bearer ${s.token}` },
      payload: JSON.stringify(oktaUser('ct2@x.test')),
    });
    assert.equal(none.statusCode, 201, none.body);
  });

  it('isolates tenants', async () => {
    const other = await s.addWorkspace('globex', { domain: 'scim.globex.test' });
    const mine = await s.scim('POST', '/Users', oktaUser('iso@acme.test'));
    const id = mine.body.id;
    const auth = { authorization: `Bearer ${other.token}` };
    assert.equal((await s.scim('GET', `/Users/${id}`, undefined, auth)).status, 404);
    assert.equal((await s.scim('PUT', `/Users/${id}`, oktaUser('iso@acme.test'), auth)).status, 404);
    assert.equal(
      (
        await s.scim(
          'PATCH',
          `/Users/${id}`,
          { Operations: [{ op: 'replace', value: { active: false } }] },
          auth,
        )
      ).status,
      404,
    );
    assert.equal((await s.scim('DELETE', `/Users/${id}`, undefined, auth)).status, 404);
    const list = await s.scim('GET', '/Users?count=100', undefined, auth);
    assert.equal(list.body.totalResults, 0);
    const onAcmeDomain = await s.scim('GET', '/Users', undefined, { ...auth, host: 'scim.acme.test' });
    assert.equal(onAcmeDomain.status, 401);
    assert.equal(onAcmeDomain.body.status, '401');
    const onOwnDomain = await s.scim('GET', '/Users', undefined, { ...auth, host: 'scim.globex.test' });
    assert.equal(onOwnDomain.status, 200);
  });

  it('answers 403 with a reason when SCIM is off', async () => {
    const free = await s.addWorkspace('freebie', { plan: 'free' });
    const r = await s.scim('GET', '/Users', undefined, { authorization: `Bearer ${free.token}` });
    assert.equal(r.status, 403);
    assert.match(r.body.detail, /Enterprise/);
  });
});

describeEngines('SCIM Users: the derived workspace role', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('survives Okta’s GET-then-PUT without becoming a stored role', async () => {
    const user = (await s.scim('POST', '/Users', oktaUser('roles@x.test'))).body;
    const group = (await s.scim('POST', '/Groups', { displayName: 'Admins', members: [{ value: user.id }] }))
      .body;
    const caller = { workspace: s.workspace, actor: { type: 'system' as const, id: null } };
    await setGroupRole(s.deps, caller, group.id, 'Admin');
    const got = (await s.scim('GET', `/Users/${user.id}`)).body;
    assert.deepEqual(got.roles, [{ value: 'Admin', type: 'workspace', primary: true }]);
    const put = await s.scim('PUT', `/Users/${user.id}`, got);
    assert.equal(put.status, 200);
    await setGroupRole(s.deps, caller, group.id, null);
    const after = (await s.scim('GET', `/Users/${user.id}`)).body;
    assert.deepEqual(
      after.roles,
      [{ value: 'Viewer', type: 'workspace', primary: true }],
      'falls back to the default',
    );
  });
});

describeEngines('SCIM Users: deep index pages', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('reads a page past OFFSET 1,000 on the id index and returns exactly the rows OFFSET would', async () => {
    const now = new Date().toISOString();
    const ids: string[] = [];
    await s.deps.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1_500; i++) {
        const id = newId();
        ids.push(id);
        const userName = `deep${i}@x.test`;
        await insertUser(
          trx,
          {
            workspaceId: s.workspace.id,
            id,
            userName,
            externalId: null,
            displayName: null,
            active: true,
            role: null,
            document: { userName, active: true },
            version: 1,
            createdAt: now,
            updatedAt: now,
          },
          [],
        );
      }
    });
    await recountWorkspace(s.deps.store.db, s.workspace.id);
    ids.sort();
    const page = await s.scim('GET', '/Users?startIndex=1201&count=100&attributes=id');
    assert.equal(page.body.totalResults, 1_500);
    assert.deepEqual(
      page.body.Resources.map((r: { id: string }) => r.id),
      ids.slice(1_200, 1_300),
    );
    const filtered = await s.scim(
      'GET',
      `/Users?startIndex=1101&count=50&attributes=id&filter=${encodeURIComponent('userName sw "deep"')}`,
    );
    assert.deepEqual(
      filtered.body.Resources.map((r: { id: string }) => r.id),
      ids.slice(1_100, 1_150),
    );
    const past = await s.scim('GET', '/Users?startIndex=1490&count=100&attributes=id');
    assert.equal(past.body.itemsPerPage, 11);
  });
});
