import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.js';
import { openStore, type Store } from '../../src/store/db.js';
import { describeEngines } from '../helpers/engines.js';
import { SCIM, startTestServer, type TestServer } from '../helpers/scim-client.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const N = 40;

describeEngines('concurrent membership changes never lose a member', (engine) => {
  let s: TestServer;
  // On PostgreSQL a second server process: its own app and its own connection pool on the same database.
  let second: { app: FastifyInstance; store: Store } | undefined;
  const users: string[] = [];

  before(async () => {
    s = await startTestServer(engine);
    if (engine === 'postgres') {
      const store = openStore(s.deps.config.databaseUrl, { poolSize: 10 });
      const app = createApp({ ...s.deps, store });
      await app.ready();
      second = { app, store };
    }
    const bulk = Array.from({ length: N }, (_, i) =>
      s.scim('POST', '/Users', { schemas: [USER], userName: `c${i}@race.test` }),
    );
    for (const r of await Promise.all(bulk)) {
      assert.equal(r.status, 201);
      users.push(r.body.id);
    }
  });
  after(async () => {
    if (second) {
      await second.app.close();
      await second.store.close();
    }
    await s.close();
  });

  const apps = () => [s.app, ...(second ? [second.app] : [])];
  const send = (app: FastifyInstance, method: string, path: string, body: unknown) =>
    app.inject({
      method: method as 'PATCH',
      url: `${SCIM}${path}`,
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify(body),
    });
  const state = async (groupId: string) => {
    const rows = await s.deps.store.db
      .selectFrom('group_members')
      .select('member_id')
      .where('group_id', '=', groupId)
      .execute();
    const g = await s.deps.store.db
      .selectFrom('groups')
      .select(['member_count', 'version'])
      .where('id', '=', groupId)
      .executeTakeFirstOrThrow();
    return { ids: rows.map((r) => r.member_id).sort(), count: Number(g.member_count), version: g.version };
  };

  it(`${N} concurrent single-member adds (spread over ${engine === 'postgres' ? 'two server processes' : 'one process'}) leave exactly ${N} members`, async () => {
    const g = await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Race' });
    const id = g.body.id;
    const all = apps();
    const responses = await Promise.all(
      users.map((u, i) =>
        send(all[i % all.length] as FastifyInstance, 'PATCH', `/Groups/${id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: u }] }],
        }),
      ),
    );
    for (const r of responses) assert.equal(r.statusCode, 204, r.body);
    const after = await state(id);
    assert.deepEqual(after.ids, [...users].sort());
    assert.equal(after.count, N, 'member_count follows the rows');
    assert.equal(after.version, 1 + N, 'every add bumped the version exactly once');
    const added = await s.deps.store.db
      .selectFrom('events')
      .select('id')
      .where('resource_id', '=', id)
      .where('type', '=', 'group.members_added')
      .execute();
    assert.equal(added.length, N);
  });

  it('concurrent adds and removes, and repeated adds of the same member, keep rows and count consistent', async () => {
    const g = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Race 2',
      members: users.slice(0, N / 2).map((value) => ({ value })),
    });
    const id = g.body.id;
    const all = apps();
    const ops = [
      // Remove the first half, add the second half, and add one member five times over.
      ...users.slice(0, N / 2).map((u) => ({ op: 'remove', path: `members[value eq "${u}"]` })),
      ...users.slice(N / 2).map((u) => ({ op: 'add', path: 'members', value: [{ value: u }] })),
      ...Array.from({ length: 5 }, () => ({ op: 'add', path: 'members', value: [{ value: users[0] }] })),
    ];
    const responses = await Promise.all(
      ops.map((op, i) =>
        send(all[i % all.length] as FastifyInstance, 'PATCH', `/Groups/${id}`, {
          schemas: [PATCH],
          Operations: [op],
        }),
      ),
    );
    for (const r of responses) assert.equal(r.statusCode, 204, r.body);
    const after = await state(id);
    const expected = new Set(users.slice(N / 2));
    // users[0] ends present or absent depending on whether its last add ran after its remove.
    if (after.ids.includes(users[0] as string)) expected.add(users[0] as string);
    assert.deepEqual(after.ids, [...expected].sort());
    assert.equal(after.count, after.ids.length);
  });
});
