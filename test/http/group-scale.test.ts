import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../../src/lib/ids.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SIZE = 10_000;
const CHUNK = 1_000;

describeEngines('a 10,000-member group built in chunks of 1,000', (engine) => {
  let s: TestServer;
  let ids: string[] = [];
  before(async () => {
    s = await startTestServer(engine);
    // The users are set up in the store directly (this suite measures groups, not user creation).
    const now = new Date().toISOString();
    ids = Array.from({ length: SIZE }, () => newId());
    for (let i = 0; i < SIZE; i += 500) {
      await s.deps.store.db
        .insertInto('users')
        .values(
          ids.slice(i, i + 500).map((id, j) => ({
            workspace_id: s.workspace.id,
            id,
            user_name: `scale${i + j}@x.test`,
            user_name_norm: `scale${i + j}@x.test`,
            external_id: null,
            display_name: null,
            display_name_norm: null,
            active: 1,
            role: null,
            data: JSON.stringify({ userName: `scale${i + j}@x.test`, active: true }),
            version: 1,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
  });
  after(async () => {
    await s.close();
  });

  it('adds 10 chunks of 1,000 (each well under Okta’s 60 s), then reads back exactly the 10,000', async () => {
    const created = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Everyone',
      members: [],
    });
    const id = created.body.id;
    const started = Date.now();
    for (let i = 0; i < SIZE; i += CHUNK) {
      const t = Date.now();
      const value = ids.slice(i, i + CHUNK).map((v) => ({ value: v, display: 'x' }));
      const r = await s.scim('PATCH', `/Groups/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value }],
      });
      assert.equal(r.status, 204, r.text);
      assert.ok(Date.now() - t < 10_000, `chunk at ${i} took ${Date.now() - t} ms`);
    }
    assert.ok(Date.now() - started < 30_000);

    const got = await s.scim('GET', `/Groups/${id}`);
    assert.equal(got.status, 200);
    const members: string[] = got.body.members.map((m: { value: string }) => m.value);
    assert.equal(members.length, SIZE);
    assert.deepEqual(members, [...ids].sort(), 'every member exactly once, in id order across member pages');
    assert.equal(
      got.body.members[0].display,
      `scale${ids.indexOf(members[0] as string)}@x.test`,
      'display falls back to userName',
    );

    const slim = await s.scim('GET', `/Groups/${id}?excludedAttributes=members`);
    assert.equal(slim.body.members, undefined);
    assert.ok(slim.text.length < 1_000);
    const row = await s.deps.store.db
      .selectFrom('groups')
      .select('member_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.member_count), SIZE);

    // Removing a chunk by value array and re-adding overlapping members stay exact.
    const removed = ids.slice(0, CHUNK);
    const rm = await s.scim('PATCH', `/Groups/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'remove', path: 'members', value: removed.map((value) => ({ value })) },
        { op: 'add', path: 'members', value: ids.slice(CHUNK / 2, CHUNK + 10).map((value) => ({ value })) },
      ],
    });
    assert.equal(rm.status, 204);
    const rows = await s.deps.store.db
      .selectFrom('group_members')
      .select('member_id')
      .where('group_id', '=', id)
      .execute();
    const expected = new Set([...ids.slice(CHUNK), ...ids.slice(CHUNK / 2, CHUNK)]);
    assert.equal(rows.length, expected.size);
    for (const r of rows) assert.ok(expected.has(r.member_id));
    const after = await s.deps.store.db
      .selectFrom('groups')
      .select('member_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.member_count), expected.size);
  });
});
