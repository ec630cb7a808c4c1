import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const kinds = [
  {
    name: 'Users',
    create: (n: string) => ({ schemas: [USER], userName: `${n}@etag.test` }),
    replace: (n: string) => ({ schemas: [USER], userName: `${n}@etag.test`, title: 'Replaced' }),
    patch: (n: string) => ({
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'title', value: `Patched ${n}` }],
    }),
  },
  {
    name: 'Groups',
    create: (n: string) => ({ schemas: [GROUP], displayName: `etag ${n}` }),
    replace: (n: string) => ({ schemas: [GROUP], displayName: `etag ${n} replaced` }),
    patch: (n: string) => ({
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'displayName', value: `etag patched ${n}` }],
    }),
  },
];

describeEngines('SCIM ETags (RFC 7644 §3.14)', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  for (const kind of kinds) {
    it(`${kind.name}: an ETag on every single-resource response, equal to meta.version`, async () => {
      const created = await s.scim('POST', `/${kind.name}`, kind.create('one'));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers.etag, 'W/"1"');
      assert.equal(created.headers.etag, created.body.meta.version);
      const id = created.body.id;
      const got = await s.scim('GET', `/${kind.name}/${id}`);
      assert.equal(got.headers.etag, 'W/"1"');
      const put = await s.scim('PUT', `/${kind.name}/${id}`, kind.replace('one'));
      assert.equal(put.status, 200);
      assert.equal(put.headers.etag, 'W/"2"');
      assert.equal(put.body.meta.version, 'W/"2"');
      const patched = await s.scim('PATCH', `/${kind.name}/${id}`, kind.patch('one'));
      assert.ok(patched.status === 200 || patched.status === 204, patched.text);
      assert.equal(patched.headers.etag, 'W/"3"');
      const projected = await s.scim('GET', `/${kind.name}/${id}?attributes=id`);
      assert.equal(projected.headers.etag, 'W/"3"');
    });

    it(`${kind.name}: If-None-Match on GET answers 304 when the version matches`, async () => {
      const created = await s.scim('POST', `/${kind.name}`, kind.create('two'));
      const id = created.body.id;
      for (const tag of ['W/"1"', '"1"', 'W/"9", W/"1"', '*']) {
        const res = await s.scim('GET', `/${kind.name}/${id}`, undefined, { 'if-none-match': tag });
        assert.equal(res.status, 304, tag);
        assert.equal(res.text, '');
        assert.equal(res.headers.etag, 'W/"1"');
      }
      const stale = await s.scim('GET', `/${kind.name}/${id}`, undefined, { 'if-none-match': 'W/"0"' });
      assert.equal(stale.status, 200);
      assert.equal(stale.body.id, id);
    });

    it(`${kind.name}: a stale If-Match is 412 on PUT, PATCH and DELETE; a current one or none passes`, async () => {
      const created = await s.scim('POST', `/${kind.name}`, kind.create('three'));
      const id = created.body.id;
      const stale = { 'if-match': 'W/"7"' };
      for (const [method, body] of [
        ['PUT', kind.replace('three')],
        ['PATCH', kind.patch('three')],
        ['DELETE', undefined],
      ] as const) {
        const res = await s.scim(method, `/${kind.name}/${id}`, body, stale);
        assert.equal(res.status, 412, `${method}: ${res.text}`);
        assert.deepEqual(res.body.schemas, [ERROR]);
        assert.equal(res.body.status, '412');
      }
      const unchanged = await s.scim('GET', `/${kind.name}/${id}`);
      assert.equal(unchanged.body.meta.version, 'W/"1"', 'nothing was written by the refused requests');
      const current = await s.scim('PUT', `/${kind.name}/${id}`, kind.replace('three'), {
        'if-match': 'W/"1"',
      });
      assert.equal(current.status, 200);
      const strongForm = await s.scim('PATCH', `/${kind.name}/${id}`, kind.patch('three'), {
        'if-match': '"2"',
      });
      assert.ok(strongForm.status === 200 || strongForm.status === 204);
      const deleted = await s.scim('DELETE', `/${kind.name}/${id}`, undefined, { 'if-match': '*' });
      assert.equal(deleted.status, 204);
    });
  }

  it('never requires an ETag: unconditional writes pass', async () => {
    const created = await s.scim('POST', '/Users', kinds[0]?.create('four'));
    const id = created.body.id;
    const put = await s.scim('PUT', `/Users/${id}`, kinds[0]?.replace('four'));
    assert.equal(put.status, 200);
    const del = await s.scim('DELETE', `/Users/${id}`);
    assert.equal(del.status, 204);
  });
});
