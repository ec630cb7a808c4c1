import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { SCIM, startTestServer, type TestServer } from '../helpers/scim-client.js';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PRIVATE_HINTS = ['column', 'indexedValues', 'derived', 'relation', 'sortable'];

function walkAttributes(list: any[], visit: (a: any) => void): void {
  for (const a of list) {
    visit(a);
    if (Array.isArray(a.subAttributes)) walkAttributes(a.subAttributes, visit);
  }
}

describeEngines('SCIM discovery', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine, { maxResults: 250 });
  });
  after(async () => {
    await s.close();
  });

  it('needs a valid token on every discovery endpoint', async () => {
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', `/Schemas/${CORE_USER}`]) {
      const res = await s.app.inject({ method: 'GET', url: `${SCIM}${path}` });
      assert.equal(res.statusCode, 401, path);
      const bad = await s.scim('GET', path, undefined, { authorization: 'Bearer rc_nope' });
      assert.equal(bad.status, 401, path);
    }
  });

  it('advertises exactly what works in /ServiceProviderConfig', async () => {
    const res = await s.scim('GET', '/ServiceProviderConfig');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/scim+json');
    const b = res.body;
    assert.deepEqual(b.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
    assert.deepEqual(b.patch, { supported: true });
    assert.deepEqual(b.filter, { supported: true, maxResults: 250 });
    assert.deepEqual(b.changePassword, { supported: false });
    assert.deepEqual(b.sort, { supported: true });
    assert.deepEqual(b.etag, { supported: true });
    assert.equal(typeof b.bulk.supported, 'boolean');
    assert.ok(Number.isInteger(b.bulk.maxOperations) && Number.isInteger(b.bulk.maxPayloadSize));
    assert.equal(b.authenticationSchemes.length, 1);
    assert.equal(b.authenticationSchemes[0].type, 'oauthbearertoken');
    assert.equal(b.authenticationSchemes[0].primary, true);
    assert.ok(b.authenticationSchemes[0].name && b.authenticationSchemes[0].description);
    assert.equal(b.pagination.cursor, true);
    assert.equal(b.pagination.index, true);
    assert.equal(b.pagination.defaultPaginationMethod, 'index');
    assert.equal(b.pagination.defaultPageSize, 100);
    assert.equal(b.pagination.maxPageSize, 250);
    assert.ok(Number.isInteger(b.pagination.cursorTimeout) && b.pagination.cursorTimeout > 0);
    assert.equal(b.meta.resourceType, 'ServiceProviderConfig');
    assert.match(b.meta.location, /\/api\/v1\/auth\/scim\/ServiceProviderConfig$/);
  });

  it('answers the advertised defaults: a list without count returns at most defaultPageSize', async () => {
    const users = await s.scim('GET', '/Users?count=100000');
    assert.equal(users.status, 200);
    const cursor = await s.scim('GET', '/Users?cursor=&count=5');
    assert.equal(cursor.status, 200);
    assert.equal(cursor.body.startIndex, undefined);
  });

  it('refuses a filter on discovery endpoints (RFC 7644 §4)', async () => {
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
      const res = await s.scim('GET', `${path}?filter=${encodeURIComponent('id eq "User"')}`);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.status, '403');
    }
  });

  it('lists the resource types as a ListResponse, and each by id', async () => {
    const res = await s.scim('GET', '/ResourceTypes');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.schemas, [LIST]);
    assert.equal(res.body.totalResults, 2);
    assert.equal(res.body.itemsPerPage, 2);
    const [user, group] = res.body.Resources;
    assert.deepEqual(user.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ResourceType']);
    assert.equal(user.id, 'User');
    assert.equal(user.endpoint, '/Users');
    assert.equal(user.schema, CORE_USER);
    assert.deepEqual(user.schemaExtensions, [{ schema: ENTERPRISE, required: false }]);
    assert.equal(user.meta.resourceType, 'ResourceType');
    assert.match(user.meta.location, /\/ResourceTypes\/User$/);
    assert.equal(group.id, 'Group');
    assert.equal(group.schema, CORE_GROUP);
    const one = await s.scim('GET', '/ResourceTypes/Group');
    assert.equal(one.status, 200);
    assert.equal(one.body.endpoint, '/Groups');
    const lower = await s.scim('GET', '/ResourceTypes/user');
    assert.equal(lower.status, 200);
    const missing = await s.scim('GET', '/ResourceTypes/Device');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.status, '404');
  });

  it('renders the schemas from the model, with RFC 7643 §7 attribute definitions only', async () => {
    const res = await s.scim('GET', '/Schemas');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.schemas, [LIST]);
    const ids = res.body.Resources.map((r: any) => r.id);
    assert.deepEqual(ids, [CORE_USER, CORE_GROUP, ENTERPRISE]);
    assert.equal(res.body.totalResults, 3);
    for (const schema of res.body.Resources) {
      assert.deepEqual(schema.schemas, ['urn:ietf:params:scim:schemas:core:2.0:Schema']);
      assert.equal(schema.meta.resourceType, 'Schema');
      walkAttributes(schema.attributes, (a) => {
        for (const hint of PRIVATE_HINTS)
          assert.equal(a[hint], undefined, `${schema.id} ${a.name} leaks ${hint}`);
        for (const key of [
          'name',
          'type',
          'multiValued',
          'description',
          'required',
          'mutability',
          'returned',
          'uniqueness',
        ]) {
          assert.notEqual(a[key], undefined, `${schema.id} ${a.name} lacks ${key}`);
        }
        if (a.type === 'complex') assert.ok(Array.isArray(a.subAttributes), `${a.name} has subAttributes`);
        if (a.type === 'reference')
          assert.ok(Array.isArray(a.referenceTypes), `${a.name} has referenceTypes`);
        if (a.type === 'string') assert.equal(typeof a.caseExact, 'boolean');
      });
    }
    const user = res.body.Resources[0];
    const userName = user.attributes.find((a: any) => a.name === 'userName');
    assert.equal(userName.uniqueness, 'server');
    assert.equal(userName.required, true);
    assert.equal(userName.caseExact, false);
    const password = user.attributes.find((a: any) => a.name === 'password');
    assert.equal(password.mutability, 'writeOnly');
    assert.equal(password.returned, 'never');
    const emails = user.attributes.find((a: any) => a.name === 'emails');
    assert.equal(emails.multiValued, true);
    assert.deepEqual(emails.subAttributes.find((a: any) => a.name === 'type').canonicalValues, [
      'work',
      'home',
      'other',
    ]);
    assert.equal(user.attributes.find((a: any) => a.name === 'groups').mutability, 'readOnly');
  });

  it('serves one schema by URN, case-insensitively, and 404 for unknown URNs', async () => {
    const res = await s.scim('GET', `/Schemas/${ENTERPRISE}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, ENTERPRISE);
    const manager = res.body.attributes.find((a: any) => a.name === 'manager');
    assert.deepEqual(
      manager.subAttributes.map((a: any) => a.name),
      ['value', '$ref', 'displayName'],
    );
    assert.equal(res.body.meta.location.endsWith(`/Schemas/${ENTERPRISE}`), true);
    const upper = await s.scim('GET', `/Schemas/${CORE_GROUP.toUpperCase()}`);
    assert.equal(upper.status, 200);
    assert.equal(upper.body.id, CORE_GROUP);
    const missing = await s.scim('GET', '/Schemas/urn:example:nope');
    assert.equal(missing.status, 404);
  });
});
