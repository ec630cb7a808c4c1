import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describeEngines('SCIM root POST /.search', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
    for (const [userName, displayName] of [
      ['ann@s.test', 'Eng'],
      ['bea@s.test', 'Bea'],
      ['cid@s.test', 'Cid'],
    ]) {
      const res = await s.scim('POST', '/Users', { schemas: [USER], userName, displayName });
      assert.equal(res.status, 201);
    }
    const ann = (await s.scim('GET', '/Users?filter=userName%20eq%20%22ann%40s.test%22')).body.Resources[0]
      .id;
    for (const displayName of ['Eng', 'Ops']) {
      const res = await s.scim('POST', '/Groups', {
        schemas: [GROUP],
        displayName,
        members: [{ value: ann }],
      });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    await s.close();
  });

  const search = (body: object) => s.scim('POST', '/.search', { schemas: [SEARCH], ...body });
  const kinds = (res: any) =>
    res.body.Resources.map((r: any) => `${r.meta.resourceType}:${r.userName ?? r.displayName}`);

  it('returns Users and Groups together', async () => {
    const res = await search({});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/scim+json');
    assert.equal(res.body.totalResults, 5);
    assert.equal(res.body.itemsPerPage, 5);
    assert.equal(res.body.startIndex, 1);
    assert.deepEqual(kinds(res), [
      'User:ann@s.test',
      'User:bea@s.test',
      'User:cid@s.test',
      'Group:Eng',
      'Group:Ops',
    ]);
    assert.equal(res.body.Resources[3].members.length, 1);
  });

  it('applies a filter to the types whose attributes it names', async () => {
    const users = await search({ filter: 'userName sw "a"' });
    assert.deepEqual(kinds(users), ['User:ann@s.test']);
    const both = await search({ filter: 'displayName eq "eng"' });
    assert.deepEqual(kinds(both), ['User:ann@s.test', 'Group:Eng']);
    const groups = await search({ filter: 'members pr' });
    assert.deepEqual(kinds(groups), ['Group:Eng', 'Group:Ops']);
    const none = await search({ filter: 'nope eq "x"' });
    assert.equal(none.status, 400);
    assert.equal(none.body.scimType, 'invalidFilter');
  });

  it('pages across both types and projects attributes', async () => {
    const res = await search({ startIndex: 3, count: 2, attributes: ['displayName'] });
    assert.equal(res.body.totalResults, 5);
    assert.equal(res.body.startIndex, 3);
    assert.deepEqual(
      res.body.Resources.map((r: any) => [r.displayName, r.userName, r.members]),
      [
        ['Cid', undefined, undefined],
        ['Eng', undefined, undefined],
      ],
    );
    const last = await search({ startIndex: 5, count: 10 });
    assert.deepEqual(kinds(last), ['Group:Ops']);
    const countOnly = await search({ count: 0 });
    assert.equal(countOnly.body.totalResults, 5);
    assert.deepEqual(countOnly.body.Resources, []);
  });

  it('refuses sortBy and cursor, which only the per-type endpoints support', async () => {
    for (const body of [{ sortBy: 'displayName' }, { cursor: '' }]) {
      const res = await search(body);
      assert.equal(res.status, 400);
      assert.equal(res.body.scimType, 'invalidValue');
    }
  });
});
