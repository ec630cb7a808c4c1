import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { SCIM, startTestServer, type TestServer } from '../helpers/scim-client.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const user = (bulkId: string, userName: string) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { schemas: [CORE], userName },
});

describeEngines('SCIM Bulk', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('is advertised with the limits it enforces', async () => {
    const spc = await s.scim('GET', '/ServiceProviderConfig');
    assert.deepEqual(spc.body.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });

  it('creates users and a group whose members reference them by bulkId, in dependency order', async () => {
    const res = await s.scim('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: {
            schemas: [GROUP],
            displayName: 'Tour Guides',
            members: [{ type: 'User', value: 'bulkId:u1' }, { value: 'bulkId:u2' }],
          },
        },
        user('u1', 'alice@bulk.test'),
        user('u2', 'bob@bulk.test'),
      ],
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/scim+json');
    assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    const [g, u1, u2] = res.body.Operations;
    assert.deepEqual([g.bulkId, u1.bulkId, u2.bulkId], ['g1', 'u1', 'u2']);
    for (const op of [g, u1, u2]) {
      assert.equal(op.method, 'POST');
      assert.equal(op.status, '201', JSON.stringify(op));
      assert.equal(op.version, 'W/"1"');
    }
    assert.match(u1.location, /\/api\/v1\/auth\/scim\/Users\/[0-9a-f-]{36}$/);
    const groupId = g.location.split('/').at(-1);
    const group = await s.scim('GET', `/Groups/${groupId}`);
    assert.equal(group.status, 200);
    const members = group.body.members.map((m: any) => m.value).sort();
    assert.deepEqual(members, [u1.location.split('/').at(-1), u2.location.split('/').at(-1)].sort());
  });

  it('runs PUT, PATCH and DELETE with versions, each operation on its own (not atomic)', async () => {
    const created = await s.scim('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [user('c', 'carol@bulk.test')],
    });
    const location = created.body.Operations[0].location as string;
    const id = location.split('/').at(-1);
    const res = await s.scim('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        {
          method: 'PATCH',
          path: `/Users/${id}`,
          version: 'W/"1"',
          data: { schemas: [PATCH], Operations: [{ op: 'replace', value: { displayName: 'Carol' } }] },
        },
        {
          method: 'PUT',
          path: `/Users/${id}`,
          version: 'W/"1"',
          data: { schemas: [CORE], userName: 'carol@bulk.test' },
        },
        {
          method: 'PUT',
          path: `/Users/${id}`,
          data: { schemas: [CORE], userName: 'carol@bulk.test', title: 'Boss' },
        },
        { method: 'DELETE', path: '/Users/00000000-0000-0000-0000-000000000000' },
        user('d', 'dave@bulk.test'),
      ],
    });
    assert.equal(res.status, 200);
    const ops = res.body.Operations;
    assert.deepEqual(
      ops.map((o: any) => o.status),
      ['200', '412', '200', '404', '201'],
    );
    assert.equal(ops[0].version, 'W/"2"');
    assert.equal(ops[0].location, location);
    assert.deepEqual(ops[1].response.schemas, [ERROR]);
    assert.equal(ops[1].response.status, '412');
    const got = await s.scim('GET', `/Users/${id}`);
    assert.equal(got.body.title, 'Boss');
    assert.equal(got.body.displayName, undefined);
    const del = await s.scim('POST', '/Bulk', {
      Operations: [{ method: 'DELETE', path: `/Users/${id}`, version: 'W/"3"' }],
    });
    assert.equal(del.body.Operations[0].status, '204');
    assert.equal((await s.scim('GET', `/Users/${id}`)).status, 404);
  });

  it('stops after failOnErrors errors and reports only what ran', async () => {
    const res = await s.scim('POST', '/Bulk', {
      schemas: [BULK],
      failOnErrors: 1,
      Operations: [user('x1', 'alice@bulk.test'), user('x2', 'erin@bulk.test')],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.Operations.length, 1);
    assert.equal(res.body.Operations[0].status, '409');
    assert.equal(res.body.Operations[0].response.scimType, 'uniqueness');
    const erin = await s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "erin@bulk.test"')}`);
    assert.equal(erin.body.totalResults, 0);
  });

  it('fails unresolvable references and everything that depends on a failed POST', async () => {
    const res = await s.scim('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        user('dup', 'alice@bulk.test'),
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g',
          data: { displayName: 'Needs dup', members: [{ value: 'bulkId:dup' }] },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'ghost',
          data: { displayName: 'Ghost', members: [{ value: 'bulkId:nobody' }] },
        },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'a',
          data: {
            userName: 'a@bulk.test',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'bulkId:b' } },
          },
        },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'b',
          data: {
            userName: 'b@bulk.test',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'bulkId:a' } },
          },
        },
        { method: 'GET', path: '/Users' },
      ],
    });
    assert.equal(res.status, 200);
    const statuses = res.body.Operations.map((o: any) => [o.status, o.response?.scimType]);
    assert.deepEqual(statuses, [
      ['409', 'uniqueness'],
      ['400', 'invalidValue'],
      ['400', 'invalidValue'],
      ['400', 'invalidValue'],
      ['400', 'invalidValue'],
      ['400', 'invalidSyntax'],
    ]);
    assert.equal(res.body.Operations[5].method, 'GET');
    assert.match(res.body.Operations[3].response.detail, /cycle/);
  });

  it('refuses more than maxOperations and more than maxPayloadSize with 413', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` }));
    const tooMany = await s.scim('POST', '/Bulk', { schemas: [BULK], Operations: many });
    assert.equal(tooMany.status, 413);
    assert.deepEqual(tooMany.body.schemas, [ERROR]);
    assert.match(tooMany.body.detail, /maxOperations/);
    const big = {
      schemas: [BULK],
      Operations: [user('big', 'big@bulk.test')],
      padding: 'x'.repeat(1024 * 1024),
    };
    const tooBig = await s.scim('POST', '/Bulk', big);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.status, '413');
    assert.match(tooBig.body.detail, /maxPayloadSize/);
    // Just under the limit is accepted, although that is above nothing but itself.
    const fits = {
      schemas: [BULK],
      Operations: [user('fit', 'fit@bulk.test')],
      padding: 'x'.repeat(1024 * 1024 - 500),
    };
    const ok = await s.scim('POST', '/Bulk', fits);
    assert.equal(ok.status, 200, ok.text.slice(0, 200));
    assert.equal(ok.body.Operations[0].status, '201');
  });

  it('needs a token and a BulkRequest body', async () => {
    const anon = await s.app.inject({ method: 'POST', url: `${SCIM}/Bulk`, payload: { Operations: [] } });
    assert.equal(anon.statusCode, 401);
    const notJson = await s.scim('POST', '/Bulk', '{"Operations": [', {
      'content-type': 'application/scim+json',
    });
    assert.equal(notJson.status, 400);
    const empty = await s.scim('POST', '/Bulk', { schemas: [BULK], Operations: [] });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.Operations, []);
  });
});
