import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

// Regression: on PostgreSQL a random 9,000-character userName (or externalId, displayName, email)
// overflowed the B-tree index row limit, and a NUL character is not valid text: both were 500s.
const random = (n: number) => randomBytes(n).toString('base64').slice(0, n);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describeEngines('oversized and NUL values are 400s, never 500s', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('refuses oversized indexed values on create, PUT and PATCH', async () => {
    for (const body of [
      { userName: `${random(5000)}@x.test` },
      { userName: 'a@x.test', externalId: random(9000) },
      { userName: 'b@x.test', displayName: random(9000) },
      { userName: 'c@x.test', emails: [{ value: random(9000) }] },
    ]) {
      const r = await s.scim('POST', '/Users', body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.scimType, 'invalidValue');
    }
    const user = (await s.scim('POST', '/Users', { userName: 'ok@x.test' })).body;
    const put = await s.scim('PUT', `/Users/${user.id}`, {
      userName: 'ok@x.test',
      displayName: random(9000),
    });
    assert.equal(put.status, 400);
    const patch = await s.scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'externalId', value: random(9000) }],
    });
    assert.equal(patch.status, 400);
    const group = await s.scim('POST', '/Groups', { displayName: random(9000) });
    assert.equal(group.status, 400);
  });

  it('refuses NUL characters in values and in filters', async () => {
    assert.equal((await s.scim('POST', '/Users', { userName: 'nul\u0000@x.test' })).status, 400);
    const filter = encodeURIComponent('userName eq "nul\\u0000@x.test"');
    const r = await s.scim('GET', `/Users?filter=${filter}`);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.scimType, 'invalidFilter');
  });

  it('answers an over-long id in the path with a SCIM 404', async () => {
    const r = await s.scim('GET', `/Users/${'x'.repeat(5000)}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.status, '404');
  });
});
