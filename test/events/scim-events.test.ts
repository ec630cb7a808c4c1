import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { listEventsAfter } from '../../src/store/events.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describeEngines('SCIM changes → events', (engine) => {
  let s: TestServer;
  let seen = 0;
  before(async () => {
    s = await startTestServer(engine);
    seen = (await listEventsAfter(s.deps.store.db, s.workspace.id, 0, 1000)).at(-1)?.position ?? 0;
  });
  after(async () => s.close());

  /** The events appended since the last call: [type, resourceId]. */
  async function newEvents(): Promise<
    { type: string; resourceId: string | null; data: any; position: number }[]
  > {
    const events = await listEventsAfter(s.deps.store.db, s.workspace.id, seen, 1000);
    const last = events.at(-1);
    if (last) seen = last.position;
    return events.map((e) => ({
      type: e.type,
      resourceId: e.resourceId,
      data: e.data,
      position: e.position,
    }));
  }

  it('records exactly one event per change, in order, with gap-free positions; failures record none', async () => {
    const created = await s.scim('POST', '/Users', { schemas: [USER], userName: 'ev@x.test', active: true });
    assert.equal(created.status, 201);
    const id = created.body.id;
    let ev = await newEvents();
    assert.deepEqual(
      ev.map((e) => [e.type, e.resourceId]),
      [['user.created', id]],
    );
    assert.equal(ev[0]?.data.userName, 'ev@x.test');

    assert.equal((await s.scim('POST', '/Users', { schemas: [USER], userName: 'EV@x.test' })).status, 409);
    assert.equal((await s.scim('PATCH', '/Users/nope', { schemas: [PATCH], Operations: [] })).status, 404);
    assert.equal((await s.scim('POST', '/Users', '{not json')).status, 400);
    assert.deepEqual(await newEvents(), [], 'failed requests leave no event');

    const patch = (value: unknown, path = 'active') =>
      s.scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path, value }] });
    assert.equal((await patch(false)).status, 200);
    assert.equal((await patch(false)).status, 200, 'a PATCH that changes nothing');
    assert.equal((await patch(true)).status, 200);
    assert.equal((await patch('Evelyn', 'displayName')).status, 200);
    assert.equal((await s.scim('DELETE', `/Users/${id}`)).status, 204);
    ev = await newEvents();
    assert.deepEqual(
      ev.map((e) => e.type),
      ['user.suspended', 'user.reactivated', 'user.updated', 'user.deleted'],
    );
    for (let i = 1; i < ev.length; i++) assert.equal(ev[i]?.position, (ev[i - 1]?.position ?? 0) + 1);
  });

  it('records group changes with one membership event per request listing the member ids', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const r = await s.scim('POST', '/Users', { schemas: [USER], userName: `g${n}@x.test` });
      ids.push(r.body.id);
    }
    await newEvents();
    const g = await s.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Eng',
      members: [{ value: ids[0] }],
    });
    assert.equal(g.status, 201);
    const add = await s.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: ids[1] }, { value: ids[2] }] }],
    });
    assert.equal(add.status, 204);
    const remove = await s.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${ids[1]}"]` }],
    });
    assert.equal(remove.status, 204);
    const ev = await newEvents();
    const types = ev.map((e) => e.type);
    // One event per request: the create (with its first member), the add of two, the remove of one.
    assert.deepEqual(types, [
      'group.created',
      'group.members_added',
      'group.members_added',
      'group.members_removed',
    ]);
    const added = ev.filter((e) => e.type === 'group.members_added');
    const removed = ev.filter((e) => e.type === 'group.members_removed');
    assert.ok(JSON.stringify(added.at(-1)?.data).includes(ids[1] ?? '?'));
    assert.ok(JSON.stringify(removed[0]?.data).includes(ids[1] ?? '?'));
    assert.ok(ev.every((e) => e.resourceId === g.body.id));
  });
});
