import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import {
  deleteExtension,
  ExtensionDefinitionError,
  listWorkspaceExtensions,
  registerExtension,
} from '../../src/workspaces/extensions.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CATALOG = 'urn:acme:params:scim:schemas:extension:catalog:2.0:User';
const TEAMS = 'urn:acme:params:scim:schemas:extension:teams:1.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const admin = { type: 'cli' as const, id: null };
const q = (f: string) => encodeURIComponent(f);

describeEngines('SCIM custom schema extensions', (engine) => {
  let s: TestServer;
  let alice: string;
  before(async () => {
    s = await startTestServer(engine);
    await registerExtension(
      s.deps,
      s.workspace,
      {
        urn: CATALOG,
        resourceType: 'User',
        attributes: [
          { name: 'team', type: 'string' },
          { name: 'costCenter', type: 'string', canonicalValues: ['R&D', 'Sales'] },
          { name: 'level', type: 'integer' },
          { name: 'tags', type: 'string', multiValued: true },
          { name: 'badge', type: 'string', caseExact: true },
        ],
      },
      admin,
    );
  });
  after(async () => {
    await s.close();
  });

  it('validates definitions and records schema_extension.registered', async () => {
    const bad: [string, object][] = [
      ['not a urn', { urn: 'catalog', resourceType: 'User', attributes: [{ name: 'a', type: 'string' }] }],
      [
        'reserved',
        {
          urn: 'urn:ietf:params:scim:schemas:core:2.0:Thing',
          resourceType: 'User',
          attributes: [{ name: 'a', type: 'string' }],
        },
      ],
      [
        'enterprise',
        {
          urn: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
          resourceType: 'User',
          attributes: [{ name: 'a', type: 'string' }],
        },
      ],
      [
        'duplicate',
        {
          urn: CATALOG.toUpperCase().replace('URN:', 'urn:'),
          resourceType: 'User',
          attributes: [{ name: 'a', type: 'string' }],
        },
      ],
      [
        'resource',
        { urn: 'urn:acme:x:Device', resourceType: 'Device', attributes: [{ name: 'a', type: 'string' }] },
      ],
      ['no attributes', { urn: 'urn:acme:x:User', resourceType: 'User', attributes: [] }],
      [
        'type',
        { urn: 'urn:acme:x:User', resourceType: 'User', attributes: [{ name: 'a', type: 'complex' }] },
      ],
      [
        'name',
        { urn: 'urn:acme:x:User', resourceType: 'User', attributes: [{ name: '1a', type: 'string' }] },
      ],
      [
        'name twice',
        {
          urn: 'urn:acme:x:User',
          resourceType: 'User',
          attributes: [
            { name: 'a', type: 'string' },
            { name: 'A', type: 'integer' },
          ],
        },
      ],
      [
        'flag',
        {
          urn: 'urn:acme:x:User',
          resourceType: 'User',
          attributes: [{ name: 'a', type: 'string', required: 'yes' }],
        },
      ],
    ];
    for (const [label, input] of bad) {
      await assert.rejects(
        registerExtension(s.deps, s.workspace, input as never, admin),
        ExtensionDefinitionError,
        label,
      );
    }
    const events = await sql<{
      type: string;
      resource_id: string;
    }>`select type, resource_id from events where workspace_id = ${s.workspace.id} and type = 'schema_extension.registered'`.execute(
      s.deps.store.db,
    );
    assert.deepEqual(
      events.rows.map((r) => r.resource_id),
      [CATALOG],
    );
    const list = await listWorkspaceExtensions(s.deps, s.workspace.id);
    assert.equal(list.length, 1);
    assert.equal(list[0]?.name, 'catalog User');
  });

  it('appears in /Schemas and in the User resource type', async () => {
    const schemas = await s.scim('GET', '/Schemas');
    const ids = schemas.body.Resources.map((r: any) => r.id);
    assert.ok(ids.includes(CATALOG));
    const one = await s.scim('GET', `/Schemas/${CATALOG}`);
    assert.equal(one.status, 200);
    assert.deepEqual(
      one.body.attributes.map((a: any) => [a.name, a.type, a.multiValued]),
      [
        ['team', 'string', false],
        ['costCenter', 'string', false],
        ['level', 'integer', false],
        ['tags', 'string', true],
        ['badge', 'string', false],
      ],
    );
    assert.deepEqual(one.body.attributes[1].canonicalValues, ['R&D', 'Sales']);
    assert.equal(one.body.attributes[4].caseExact, true);
    const rt = await s.scim('GET', '/ResourceTypes/User');
    assert.deepEqual(
      rt.body.schemaExtensions.map((e: any) => e.schema),
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', CATALOG],
    );
  });

  it('validates, stores and renders extension attributes', async () => {
    const created = await s.scim('POST', '/Users', {
      schemas: [CORE, CATALOG],
      userName: 'alice@x.test',
      [CATALOG]: { Team: 'Search', costCenter: 'R&D', level: 4, tags: ['a', 'b'], badge: 'XY' },
    });
    assert.equal(created.status, 201, created.text);
    alice = created.body.id;
    assert.deepEqual(created.body.schemas, [CORE, CATALOG]);
    assert.deepEqual(created.body[CATALOG], {
      team: 'Search',
      costCenter: 'R&D',
      level: 4,
      tags: ['a', 'b'],
      badge: 'XY',
    });
    const bob = await s.scim('POST', '/Users', {
      schemas: [CORE, CATALOG],
      userName: 'bob@x.test',
      [CATALOG]: { team: 'Ads', level: 2 },
    });
    assert.equal(bob.status, 201);
    const wrong = await s.scim('POST', '/Users', {
      schemas: [CORE, CATALOG],
      userName: 'carol@x.test',
      [CATALOG]: { level: 'high' },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.scimType, 'invalidValue');
  });

  it('filters on extension attributes in SQL, qualified or not', async () => {
    const cases: [string, string[]][] = [
      [`${CATALOG}:team eq "search"`, ['alice@x.test']],
      ['team eq "ADS"', ['bob@x.test']],
      [`${CATALOG}:level gt 3`, ['alice@x.test']],
      ['level le 4 and team pr', ['alice@x.test', 'bob@x.test']],
      [`${CATALOG}:badge eq "xy"`, []],
      [`${CATALOG}:badge eq "XY"`, ['alice@x.test']],
      [`tags eq "b"`, ['alice@x.test']],
    ];
    for (const [filter, expected] of cases) {
      const res = await s.scim('GET', `/Users?filter=${q(filter)}`);
      assert.equal(res.status, 200, `${filter}: ${res.text}`);
      assert.deepEqual(res.body.Resources.map((r: any) => r.userName).sort(), expected, filter);
    }
    const bad = await s.scim('GET', `/Users?filter=${q(`${CATALOG}:nope eq "x"`)}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidFilter');
  });

  it('sorts and projects extension attributes', async () => {
    const sorted = await s.scim('GET', `/Users?sortBy=${q(`${CATALOG}:level`)}&sortOrder=descending`);
    assert.deepEqual(
      sorted.body.Resources.map((r: any) => r.userName),
      ['alice@x.test', 'bob@x.test'],
    );
    const projected = await s.scim('GET', `/Users/${alice}?attributes=${q(`${CATALOG}:team`)}`);
    assert.equal(projected.status, 200);
    assert.deepEqual(projected.body[CATALOG], { team: 'Search' });
    assert.equal(projected.body.userName, undefined);
  });

  it('patches extension attributes by URN path and by pathless value', async () => {
    const byPath = await s.scim('PATCH', `/Users/${alice}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: `${CATALOG}:team`, value: 'Maps' }],
    });
    assert.equal(byPath.status, 200, byPath.text);
    assert.equal(byPath.body[CATALOG].team, 'Maps');
    const pathless = await s.scim('PATCH', `/Users/${alice}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', value: { [`${CATALOG}:level`]: 5 } }],
    });
    assert.equal(pathless.status, 200, pathless.text);
    assert.equal(pathless.body[CATALOG].level, 5);
    const removed = await s.scim('PATCH', `/Users/${alice}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `${CATALOG}:badge` }],
    });
    assert.equal(removed.status, 200);
    assert.equal(removed.body[CATALOG].badge, undefined);
  });

  it('is per workspace: another workspace neither sees nor accepts it', async () => {
    const other = await s.addWorkspace('globex');
    const auth = { authorization: `Bearer ${other.token}` };
    const schemas = await s.scim('GET', '/Schemas', undefined, auth);
    assert.ok(!schemas.body.Resources.some((r: any) => r.id === CATALOG));
    const post = await s.scim(
      'POST',
      '/Users',
      { schemas: [CORE, CATALOG], userName: 'x@globex.test', [CATALOG]: { team: 'A' } },
      auth,
    );
    assert.equal(post.status, 400);
  });

  it('takes effect on the next request after a change, for Groups too, and hides data once removed', async () => {
    const before = await s.scim('GET', '/ResourceTypes/Group');
    assert.deepEqual(before.body.schemaExtensions, []);
    await registerExtension(
      s.deps,
      s.workspace,
      { urn: TEAMS, resourceType: 'Group', attributes: [{ name: 'slack', type: 'string' }] },
      admin,
    );
    const afterwards = await s.scim('GET', '/ResourceTypes/Group');
    assert.deepEqual(afterwards.body.schemaExtensions, [{ schema: TEAMS, required: false }]);
    const group = await s.scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', TEAMS],
      displayName: 'Eng',
      [TEAMS]: { slack: '#eng' },
    });
    assert.equal(group.status, 201, group.text);
    assert.equal(group.body[TEAMS].slack, '#eng');
    const found = await s.scim('GET', `/Groups?filter=${q('slack eq "#ENG"')}`);
    assert.equal(found.body.totalResults, 1);
    const removed = await deleteExtension(s.deps, s.workspace, CATALOG.toLowerCase(), admin);
    assert.equal(removed?.urn, CATALOG);
    const schemas = await s.scim('GET', '/Schemas');
    assert.ok(!schemas.body.Resources.some((r: any) => r.id === CATALOG));
    const user = await s.scim('GET', `/Users/${alice}`);
    assert.equal(user.status, 200);
    assert.deepEqual(user.body.schemas, [CORE]);
    assert.equal(user.body[CATALOG], undefined, 'values of a removed extension are not rendered');
    const filter = await s.scim('GET', `/Users?filter=${q('team eq "Maps"')}`);
    assert.equal(filter.status, 400);
  });
});
