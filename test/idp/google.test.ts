/**
 * Google Workspace "Automated user provisioning" (idp-wire-facts §2.5). Google publishes no wire
 * spec; what is known: a static bearer token (401 on a bad one), a setup probe `GET /Users?count=1`,
 * an attribute mapping built from /Schemas (so discovery must tell the truth), and suspension and
 * hard delete as independent paths, the DELETE possibly arriving long after the suspend.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import {
  assertCreated,
  assertError,
  assertList,
  assertPatched,
  assertScimJson,
  ENTERPRISE,
  GROUP,
  idpPerSuite,
  LIST,
  patchOp,
  q,
  USER,
} from './helpers.js';

// The facts file records no Google User-Agent; this one only marks the traffic.
const GOOGLE = { userAgent: 'Google-Auto-Provisioning', contentType: 'application/json' };

type AttrDef = {
  name: string;
  type: string;
  multiValued: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  required: boolean;
  caseExact?: boolean;
  subAttributes?: AttrDef[];
};
const find = (attrs: AttrDef[] | undefined, name: string) => attrs?.find((a) => a.name === name);

describeEngines('Google Workspace', (engine) => {
  const g = idpPerSuite(engine, GOOGLE);
  const send = g.send;

  it('Google setup probe: GET /Users?count=1 with the pasted token → 200 ListResponse', async () => {
    assertList(await send('GET', '/Users?count=1'), 0);
  });

  it('#40 Google R1: a bad or missing token → 401 SCIM JSON; another workspace’s token on this custom domain → 401', async () => {
    for (const authorization of ['Bearer rc_not_a_token', 'Bearer ', 'Basic dXNlcjpwYXNz']) {
      const res = await send('GET', '/Users?count=1', undefined, { authorization });
      assertError(res, 401);
    }
    const { token: other } = await g.s.addWorkspace('beta', { domain: 'scim.beta.test' });
    const onAcme = { host: 'scim.acme.test' };
    assertError(
      await send('GET', '/Users?count=1', undefined, { ...onAcme, authorization: `Bearer ${other}` }),
      401,
    );
    assertList(await send('GET', '/Users?count=1', undefined, onAcme), 0);
    assertList(
      await send('GET', '/Users?count=1', undefined, {
        host: 'scim.beta.test',
        authorization: `Bearer ${other}`,
      }),
      0,
    );
  });

  it('Google R5: /ResourceTypes describes User (with the Enterprise extension) and Group', async () => {
    const res = await send('GET', '/ResourceTypes');
    assert.equal(res.status, 200, res.text);
    assertScimJson(res);
    assert.deepEqual(res.body.schemas, [LIST]);
    const user = res.body.Resources.find((r: { id: string }) => r.id === 'User');
    assert.equal(user.endpoint, '/Users');
    assert.equal(user.schema, USER);
    assert.deepEqual(user.schemaExtensions, [{ schema: ENTERPRISE, required: false }]);
    const group = res.body.Resources.find((r: { id: string }) => r.id === 'Group');
    assert.equal(group.endpoint, '/Groups');
    assert.equal(group.schema, GROUP);
    assert.deepEqual((await send('GET', '/ResourceTypes/User')).body.schema, USER);
  });

  it('Google R5: /Schemas describes userName, name.*, emails, active, password and enterprise attributes truthfully', async () => {
    const res = await send('GET', '/Schemas');
    assert.equal(res.status, 200, res.text);
    const byId = new Map<string, { attributes: AttrDef[] }>(
      res.body.Resources.map((s: { id: string }) => [s.id, s]),
    );
    const user = byId.get(USER)?.attributes;
    const ent = byId.get(ENTERPRISE)?.attributes;
    assert.ok(user && ent && byId.get(GROUP));
    const userName = find(user, 'userName');
    assert.deepEqual(
      [userName?.type, userName?.required, userName?.uniqueness, userName?.caseExact, userName?.mutability],
      ['string', true, 'server', false, 'readWrite'],
    );
    const name = find(user, 'name');
    assert.equal(name?.type, 'complex');
    for (const sub of ['givenName', 'familyName', 'formatted', 'middleName'])
      assert.equal(find(name?.subAttributes, sub)?.type, 'string', `name.${sub}`);
    const emails = find(user, 'emails');
    assert.equal(emails?.multiValued, true);
    assert.deepEqual(
      ['value', 'type', 'primary'].map((s) => find(emails?.subAttributes, s)?.type),
      ['string', 'string', 'boolean'],
    );
    assert.equal(find(user, 'active')?.type, 'boolean');
    const password = find(user, 'password');
    assert.deepEqual([password?.mutability, password?.returned], ['writeOnly', 'never']);
    assert.equal(find(user, 'groups')?.mutability, 'readOnly');
    for (const a of ['employeeNumber', 'department', 'costCenter', 'organization', 'division'])
      assert.equal(find(ent, a)?.type, 'string', a);
    const manager = find(ent, 'manager');
    assert.equal(find(manager?.subAttributes, 'value')?.type, 'string');
    assert.equal(find(manager?.subAttributes, 'displayName')?.mutability, 'readOnly');
    const one = await send('GET', `/Schemas/${ENTERPRISE}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.attributes, ent);
  });

  it('Google R5: a mapping built from /Schemas round-trips every mapped attribute as advertised', async () => {
    const schemas = (await send('GET', '/Schemas')).body.Resources as { id: string; attributes: AttrDef[] }[];
    const user = schemas.find((s) => s.id === USER)?.attributes ?? [];
    const ent = schemas.find((s) => s.id === ENTERPRISE)?.attributes ?? [];
    const boss = assertCreated(
      await send('POST', '/Users', { schemas: [USER], userName: 'boss@google.test' }),
      'User',
    );
    // Google's mapping: primaryEmail → userName, name, work email, suspended → active, org fields.
    const body = {
      schemas: [USER, ENTERPRISE],
      userName: 'mapped@google.test',
      name: { givenName: 'Map', familyName: 'Ped', formatted: 'Map Ped' },
      emails: [{ value: 'mapped@google.test', type: 'work', primary: true }],
      active: true,
      title: 'Analyst',
      password: 'NotKept-123',
      [ENTERPRISE]: {
        employeeNumber: '42',
        department: 'Data',
        costCenter: 'CC1',
        organization: 'Acme',
        division: 'R&D',
        manager: { value: boss },
      },
    };
    for (const key of ['userName', 'name', 'emails', 'active', 'title', 'password'])
      assert.ok(find(user, key), `/Schemas advertises ${key}`);
    for (const key of Object.keys(body[ENTERPRISE])) assert.ok(find(ent, key), `/Schemas advertises ${key}`);
    const res = await send('POST', '/Users', body);
    const id = assertCreated(res, 'User');
    const got = (await send('GET', `/Users/${id}`)).body;
    for (const key of ['userName', 'name', 'emails', 'active', 'title'])
      assert.deepEqual(got[key], body[key as keyof typeof body], key);
    assert.deepEqual(
      { ...got[ENTERPRISE], manager: { value: got[ENTERPRISE].manager.value } },
      body[ENTERPRISE],
    );
    assert.ok(!('password' in got), 'returned: never');
    // uniqueness: server, caseExact: false — as advertised.
    assertError(await send('POST', '/Users', { ...body, userName: 'MAPPED@google.test' }), 409, 'uniqueness');
    assertList(await send('GET', `/Users?filter=${q('userName eq "Mapped@Google.test"')}`), 1);
  });

  it('Google R5: /ServiceProviderConfig advertises only what works', async () => {
    const res = await send('GET', '/ServiceProviderConfig');
    assert.equal(res.status, 200, res.text);
    const spc = res.body;
    assert.equal(spc.changePassword.supported, false);
    assert.ok(spc.authenticationSchemes.some((a: { type: string }) => a.type === 'oauthbearertoken'));
    if (spc.patch.supported) {
      const id = (await send('GET', `/Users?filter=${q('userName eq "mapped@google.test"')}`)).body
        .Resources[0].id;
      assertPatched(
        await send('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' })),
      );
    }
    if (spc.etag.supported) {
      const one = await send('GET', '/Users?count=1');
      const got = await send('GET', `/Users/${one.body.Resources[0].id}`);
      assert.equal(got.headers.etag, got.body.meta.version);
    }
    if (spc.sort.supported) {
      const sorted = await send('GET', '/Users?sortBy=userName&sortOrder=descending');
      const names = sorted.body.Resources.map((u: { userName: string }) => u.userName.toLowerCase());
      assert.deepEqual(names, [...names].sort().reverse());
    }
    assert.ok(Number.isInteger(spc.filter.maxResults) && spc.filter.maxResults > 0);
    const capped = await send('GET', `/Users?count=${spc.filter.maxResults + 1}`);
    assert.equal(capped.status, 200);
    assert.ok(capped.body.itemsPerPage <= spc.filter.maxResults);
    const bulk = await send('POST', '/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [],
    });
    if (spc.bulk.supported) assert.equal(bulk.status, 200, bulk.text);
    else
      assert.ok(
        bulk.status >= 400 && bulk.status < 500 && bulk.status !== 401,
        `unsupported Bulk answers ${bulk.status}`,
      );
    if (spc.pagination?.cursor) assert.equal((await send('GET', '/Users?cursor=&count=1')).status, 200);
  });

  it('Google: bodies as application/json, application/scim+json or with no Content-Type are all accepted', async () => {
    const body = (n: number) => JSON.stringify({ schemas: [USER], userName: `media${n}@google.test` });
    const ua = { 'user-agent': GOOGLE.userAgent };
    assertCreated(
      await g.s.scim('POST', '/Users', body(1), { ...ua, 'content-type': 'application/json' }),
      'User',
    );
    const scimJson = 'application/scim+json; charset=utf-8';
    assertCreated(await g.s.scim('POST', '/Users', body(2), { ...ua, 'content-type': scimJson }), 'User');
    assertCreated(await g.s.scim('POST', '/Users', body(3), ua), 'User');
  });

  it('Google R3: suspend, then a DELETE 30 days later; the userName can be provisioned again', async () => {
    const id = assertCreated(
      await send('POST', '/Users', { schemas: [USER], userName: 'suspended@google.test', active: true }),
      'User',
    );
    assertPatched(
      await send('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false })),
    );
    const listed = assertList(
      await send('GET', `/Users?filter=${q('userName eq "suspended@google.test"')}`),
      1,
    );
    assert.equal(listed[0].active, false, 'suspended users stay in the directory');
    g.clock.advance(30 * 24 * 3600 * 1000);
    assert.equal((await send('DELETE', `/Users/${id}`)).status, 204);
    assertError(await send('GET', `/Users/${id}`), 404);
    const deleted = (await g.events('user.deleted')).filter((e) => e.resource_id === id);
    assert.equal(deleted.length, 1);
    const again = await send('POST', '/Users', { schemas: [USER], userName: 'suspended@google.test' });
    assert.notEqual(assertCreated(again, 'User'), id);
    // A DELETE for a user that is already gone is a clean 404.
    assertError(await send('DELETE', `/Users/${id}`), 404);
  });
});
