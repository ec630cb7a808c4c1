import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ADSCIM = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
const q = (filter: string) => encodeURIComponent(filter);

describeEngines('SCIM Groups contract', (engine) => {
  let s: TestServer;
  const users: string[] = [];
  before(async () => {
    s = await startTestServer(engine);
    for (let i = 0; i < 6; i++) {
      const r = await s.scim('POST', '/Users', {
        schemas: [USER],
        userName: `member${i}@groups.test`,
        displayName: `Member ${i}`,
      });
      assert.equal(r.status, 201);
      users.push(r.body.id);
    }
  });
  after(async () => {
    await s.close();
  });

  const memberIds = async (id: string): Promise<string[]> => {
    const r = await s.scim('GET', `/Groups/${id}`);
    assert.equal(r.status, 200);
    return ((r.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
  };
  const events = async (type: string) =>
    s.deps.store.db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', s.workspace.id)
      .where('type', '=', type)
      .execute();

  it('Entra: POST with the ADSCIM URN and no members, lookups, member add/remove forms, rename, remove all', async () => {
    const created = await s.scim('POST', '/Groups', {
      schemas: [GROUP, ADSCIM],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Entra Group',
      meta: { resourceType: 'Group' },
    });
    assert.equal(created.status, 201);
    const id = created.body.id;
    assert.equal(created.body.displayName, 'Entra Group');
    assert.equal(created.body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    assert.equal(created.body.members, undefined);
    assert.equal(created.body.meta.resourceType, 'Group');
    assert.equal(created.headers.location, created.body.meta.location);

    const found = await s.scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q('displayName eq "entra group"')}`,
    );
    assert.equal(found.status, 200);
    assert.equal(found.body.totalResults, 1);
    assert.equal(found.body.Resources[0].id, id);
    assert.equal(found.body.Resources[0].members, undefined);

    const add = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: users[0] }] }),
    );
    assert.equal(add.status, 204);
    assert.equal(add.text, '');
    assert.deepEqual(await memberIds(id), [users[0]]);

    // Postman-suite shapes: extra "name" key, bare-string value, member display.
    const bare = await s.scim('PATCH', `/Groups/${id}`, {
      schemas: [PATCH],
      Operations: [{ name: 'addMember', op: 'add', path: 'members', value: users[1] }],
    });
    assert.equal(bare.status, 204);
    assert.deepEqual(await memberIds(id), [users[0], users[1]].sort());

    const byValue = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: users[0] }] }),
    );
    assert.equal(byValue.status, 204);
    assert.deepEqual(await memberIds(id), [users[1]]);

    const byFilter = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'remove', path: `members[value eq "${users[1]}"]` }),
    );
    assert.equal(byFilter.status, 204);
    assert.deepEqual(await memberIds(id), []);

    const rename = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'Replace', path: 'displayName', value: 'Entra Group Renamed' }),
    );
    assert.equal(rename.status, 204);
    const got = await s.scim('GET', `/Groups/${id}?excludedAttributes=members`);
    assert.equal(got.body.displayName, 'Entra Group Renamed');

    await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'add', path: 'members', value: users.slice(0, 3).map((value) => ({ value })) }),
    );
    assert.equal((await memberIds(id)).length, 3);
    const all = await s.scim('PATCH', `/Groups/${id}`, patch({ op: 'remove', path: 'members' }));
    assert.equal(all.status, 204);
    assert.deepEqual(await memberIds(id), []);
  });

  it('Okta: POST with members:[], pathless rename with its own id, mixed remove+add, replace as exact set, PUT', async () => {
    const created = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Test SCIMv2',
      members: [],
    });
    assert.equal(created.status, 201);
    const id = created.body.id;

    const rename = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'replace', value: { id, displayName: 'Test SCIMv2' } }),
    );
    assert.equal(rename.status, 204);

    await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'add', path: 'members', value: [{ value: users[0], display: 'x' }] }),
    );
    const mixed = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch(
        { op: 'remove', path: `members[value eq "${users[0]}"]` },
        { op: 'add', path: 'members', value: [{ value: users[1], display: 'member1@groups.test' }] },
      ),
    );
    assert.equal(mixed.status, 204);
    assert.deepEqual(await memberIds(id), [users[1]]);

    const replace = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({
        op: 'replace',
        path: 'members',
        value: [{ value: users[2] }, { value: users[3] }, { value: users[1] }],
      }),
    );
    assert.equal(replace.status, 204);
    assert.deepEqual(await memberIds(id), [users[1], users[2], users[3]].sort());
    const exact = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'replace', path: 'members', value: [{ value: users[4] }] }),
    );
    assert.equal(exact.status, 204);
    assert.deepEqual(await memberIds(id), [users[4]]);

    // Okta AIW: GET then PUT the full object with its own name: never a 409 against itself.
    const current = await s.scim('GET', `/Groups/${id}`);
    const put = await s.scim('PUT', `/Groups/${id}`, {
      ...current.body,
      displayName: 'test scimv2',
      members: [{ value: users[4] }, { value: users[5] }],
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.displayName, 'test scimv2');
    assert.deepEqual(
      put.body.members.map((m: { value: string }) => m.value).sort(),
      [users[4], users[5]].sort(),
    );
    assert.equal(put.body.members.find((m: { value: string }) => m.value === users[5]).display, 'Member 5');

    const list = await s.scim('GET', '/Groups?startIndex=1&count=100');
    assert.equal(list.status, 200);
    assert.equal(typeof list.body.totalResults, 'number');
    const mine = list.body.Resources.find((g: { id: string }) => g.id === id);
    assert.equal(mine.members.length, 2);

    const del = await s.scim('DELETE', `/Groups/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await s.scim('GET', `/Groups/${id}`)).status, 404);
  });

  it('OneLogin add/remove arrays and JumpCloud pathless rename', async () => {
    const created = await s.scim('POST', '/Groups', { displayName: 'Group C', schemas: [GROUP] });
    const id = created.body.id;
    assert.equal(
      (
        await s.scim(
          'PATCH',
          `/Groups/${id}`,
          patch({ value: [{ value: users[0] }], op: 'add', path: 'members' }),
        )
      ).status,
      204,
    );
    assert.equal(
      (
        await s.scim(
          'PATCH',
          `/Groups/${id}`,
          patch({ value: [{ value: users[1] }], op: 'add', path: 'members' }),
        )
      ).status,
      204,
    );
    assert.equal(
      (
        await s.scim(
          'PATCH',
          `/Groups/${id}`,
          patch({ value: [{ value: users[0] }], op: 'remove', path: 'members' }),
        )
      ).status,
      204,
    );
    assert.deepEqual(await memberIds(id), [users[1]]);
    const jc = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'replace', value: { displayName: 'Group C (JumpCloud)' } }),
    );
    assert.equal(jc.status, 204);
    const byMember = await s.scim(
      'GET',
      `/Groups?filter=${q(`members.value eq "${users[1]}"`)}&excludedAttributes=members`,
    );
    assert.ok(
      byMember.body.Resources.some(
        (g: { id: string; displayName: string }) => g.id === id && g.displayName === 'Group C (JumpCloud)',
      ),
    );
    const byExternal = await s.scim('GET', `/Groups?filter=${q('externalId eq "nope"')}`);
    assert.equal(byExternal.body.totalResults, 0);
  });

  it('displayName is unique case-insensitively: POST, rename and PUT against another group are 409', async () => {
    const a = await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Unique A' });
    const b = await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Unique B' });
    const dup = await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'UNIQUE a' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.scimType, 'uniqueness');
    const rename = await s.scim(
      'PATCH',
      `/Groups/${b.body.id}`,
      patch({ op: 'replace', path: 'displayName', value: 'unique a' }),
    );
    assert.equal(rename.status, 409);
    assert.equal(rename.body.scimType, 'uniqueness');
    const put = await s.scim('PUT', `/Groups/${b.body.id}`, { schemas: [GROUP], displayName: 'Unique A' });
    assert.equal(put.status, 409);
    const self = await s.scim('PUT', `/Groups/${a.body.id}`, { schemas: [GROUP], displayName: 'unique A' });
    assert.equal(self.status, 200);
  });

  it('unknown member ids are 400 invalidValue naming the id, and nothing of the request is applied', async () => {
    const g = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Strict',
      members: [{ value: users[0] }],
    });
    assert.equal(g.status, 201);
    const id = g.body.id;
    const ghost = '00000000-0000-7000-8000-000000000000';
    const bad = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch(
        { op: 'replace', path: 'displayName', value: 'Strict Renamed' },
        { op: 'remove', path: 'members' },
        { op: 'add', path: 'members', value: [{ value: users[1] }, { value: ghost }] },
      ),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidValue');
    assert.ok(bad.body.detail.includes(ghost));
    const after = await s.scim('GET', `/Groups/${id}`);
    assert.equal(after.body.displayName, 'Strict');
    assert.deepEqual(
      after.body.members.map((m: { value: string }) => m.value),
      [users[0]],
    );
    const badPost = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Never',
      members: [{ value: ghost }],
    });
    assert.equal(badPost.status, 400);
    const never = await s.scim('GET', `/Groups?filter=${q('displayName eq "Never"')}`);
    assert.equal(never.body.totalResults, 0);
  });

  it('adding an existing member and removing an absent one are no-ops; one event per request lists the ids', async () => {
    const g = await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Events' });
    const id = g.body.id;
    const before = (await events('group.members_added')).length;
    await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'add', path: 'members', value: users.slice(0, 4).map((value) => ({ value })) }),
    );
    const added = (await events('group.members_added')).filter((e) => e.resource_id === id);
    assert.equal(added.length, 1);
    assert.deepEqual(JSON.parse(added[0]?.data ?? '{}').members.sort(), users.slice(0, 4).sort());
    assert.equal((await events('group.members_added')).length, before + 1);

    const v1 = (await s.scim('GET', `/Groups/${id}`)).body.meta.version;
    const again = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'add', path: 'members', value: [{ value: users[0] }] }),
    );
    assert.equal(again.status, 204);
    const absent = await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'remove', path: 'members', value: [{ value: users[5] }] }),
    );
    assert.equal(absent.status, 204);
    assert.equal(
      (await s.scim('GET', `/Groups/${id}`)).body.meta.version,
      v1,
      'a no-op PATCH does not bump the version',
    );
    assert.equal((await events('group.members_added')).filter((e) => e.resource_id === id).length, 1);

    await s.scim(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'remove', path: 'members', value: [{ value: users[0] }, { value: users[1] }] }),
    );
    const removed = (await events('group.members_removed')).filter((e) => e.resource_id === id);
    assert.equal(removed.length, 1);
    assert.deepEqual(JSON.parse(removed[0]?.data ?? '{}').members.sort(), [users[0], users[1]].sort());
    const row = await s.deps.store.db
      .selectFrom('groups')
      .select('member_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.member_count), 2);
    assert.equal((await events('group.created')).filter((e) => e.resource_id === id).length, 1);
  });

  it('PATCH answers 200 with the group only when attributes are asked for; members only when named', async () => {
    const g = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Projected',
      members: [{ value: users[0] }],
    });
    const id = g.body.id;
    const op = patch({ op: 'add', path: 'members', value: [{ value: users[1] }] });
    const ex = await s.scim('PATCH', `/Groups/${id}?excludedAttributes=members`, op);
    assert.equal(ex.status, 200);
    assert.equal(ex.body.id, id);
    assert.equal(ex.body.displayName, 'Projected');
    assert.equal(ex.body.members, undefined);
    const named = await s.scim(
      'PATCH',
      `/Groups/${id}?attributes=members.value`,
      patch({ op: 'remove', path: 'members', value: [{ value: users[0] }] }),
    );
    assert.equal(named.status, 200);
    assert.deepEqual(named.body.members, [{ value: users[1] }]);
    assert.equal(named.body.displayName, undefined);
    const etag = (await s.scim('GET', `/Groups/${id}`)).headers.etag as string;
    assert.equal((await s.scim('GET', `/Groups/${id}`, undefined, { 'if-none-match': etag })).status, 304);
  });

  it('User.groups is derived from the relation; other workspaces see nothing', async () => {
    const g = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Derived',
      members: [{ value: users[2] }],
    });
    const u = await s.scim('GET', `/Users/${users[2]}`);
    assert.ok(
      u.body.groups.some(
        (x: { value: string; display: string }) => x.value === g.body.id && x.display === 'Derived',
      ),
    );
    const other = await s.addWorkspace('other-groups');
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/v1/auth/scim/Groups/${g.body.id}`,
      headers: { authorization: `Bearer ${other.token}` },
    });
    assert.equal(res.statusCode, 404);
    const cross = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/scim/Groups',
      headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ schemas: [GROUP], displayName: 'Derived', members: [{ value: users[2] }] }),
    });
    assert.equal(cross.statusCode, 400, "another workspace's user id is unknown here");
  });
});
