/**
 * Okta Push Groups replayed against the SCIM endpoint (idp-wire-facts §2.2 "Groups"): create with
 * members:[], list and lookup, the pathless rename carrying `id`, mixed remove+add, full pushes by
 * replace, 1,000-member chunks, AIW full PUTs, and unlink with DELETE.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import {
  assertCreated,
  assertError,
  assertList,
  assertPatched,
  assertScimJson,
  GROUP,
  idpPerSuite,
  OKTA,
  patchOp,
  q,
  seedUsers,
} from './helpers.js';

describeEngines('Okta Push Groups', (engine) => {
  const okta = idpPerSuite(engine, OKTA);
  let users: string[] = [];
  before(async () => {
    users = await seedUsers(okta, 1_000, 'member');
  });
  const send = okta.send;
  const memberIds = async (id: string) =>
    (((await send('GET', `/Groups/${id}?attributes=members`)).body.members ?? []) as { value: string }[])
      .map((m) => m.value)
      .sort();
  const newGroup = async (displayName: string) =>
    assertCreated(await send('POST', '/Groups', { schemas: [GROUP], displayName, members: [] }), 'Group');

  it('#33 Okta: push a new group — create, list, lookup, pathless rename carrying id', async () => {
    const created = await send('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Test SCIMv2',
      members: [],
    });
    const id = assertCreated(created, 'Group');
    assert.equal(created.body.displayName, 'Test SCIMv2');
    const listed = assertList(await send('GET', '/Groups?startIndex=1&count=100'), 1);
    assert.equal(listed[0].id, id);
    assertList(
      await send('GET', `/Groups?filter=${q('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`),
      1,
    );
    // Sent before the member patches when a group is first pushed, and on every membership update.
    const same = await send(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'replace', value: { id, displayName: 'Test SCIMv2' } }),
    );
    assertPatched(same);
    const renamed = await send(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'replace', value: { id, displayName: 'Renamed SCIMv2' } }),
    );
    assertPatched(renamed);
    const got = await send('GET', `/Groups/${id}`);
    assert.equal(got.body.displayName, 'Renamed SCIMv2');
    assert.equal(got.body.id, id);
  });

  it('#29 Okta: mixed remove + add in one PATCH, applied in order', async () => {
    const id = await newGroup('Mixed');
    const [a, b, c] = users as [string, string, string];
    assertPatched(
      await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: a }, { value: b }] }),
      ),
    );
    const res = await send(
      'PATCH',
      `/Groups/${id}`,
      patchOp(
        { op: 'remove', path: `members[value eq "${a}"]` },
        { op: 'add', path: 'members', value: [{ value: c, display: 'test.user@okta.local' }] },
      ),
    );
    assertPatched(res);
    assert.deepEqual(await memberIds(id), [b, c].sort());
    // Same member removed then added in one request: order matters, the member ends up present.
    const again = patchOp(
      { op: 'remove', path: `members[value eq "${b}"]` },
      { op: 'add', path: 'members', value: [{ value: b }] },
    );
    assertPatched(await send('PATCH', `/Groups/${id}`, again));
    assert.deepEqual(await memberIds(id), [b, c].sort());
  });

  it('#30 Okta: replace members with N members sets exactly that set, as a diff', async () => {
    const id = await newGroup('Replaced');
    const start = users.slice(0, 5);
    assertPatched(
      await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({ op: 'add', path: 'members', value: start.map((value) => ({ value })) }),
      ),
    );
    const next = users.slice(2, 8);
    const res = await send(
      'PATCH',
      `/Groups/${id}`,
      patchOp({
        op: 'replace',
        path: 'members',
        value: next.map((value) => ({ value, display: 'test.user@okta.local' })),
      }),
    );
    assertPatched(res);
    assert.deepEqual(await memberIds(id), [...next].sort());
    const added = (await okta.events('group.members_added')).filter((e) => e.resource_id === id).at(-1);
    const removed = (await okta.events('group.members_removed')).filter((e) => e.resource_id === id).at(-1);
    assert.deepEqual(JSON.parse(added?.data ?? '{}').members.sort(), users.slice(5, 8).sort());
    assert.deepEqual(JSON.parse(removed?.data ?? '{}').members.sort(), users.slice(0, 2).sort());
  });

  it('#31 Okta: a PATCH adding 1,000 members completes well under 60 s and does not echo members', async () => {
    const id = await newGroup('Thousand');
    const started = Date.now();
    const res = await send(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'add', path: 'members', value: users.map((value) => ({ value })) }),
    );
    const ms = Date.now() - started;
    assertPatched(res);
    assert.ok(!res.text.includes(users[500] as string), 'members are not echoed');
    assert.ok(ms < 15_000, `took ${ms} ms`);
    assert.equal((await memberIds(id)).length, 1_000);
  });

  it('#32 Okta AIW: PUT the group with its own name and the full members list is no 409', async () => {
    const id = await newGroup('AIW Group');
    const put = await send('PUT', `/Groups/${id}`, {
      schemas: [GROUP],
      id,
      displayName: 'AIW Group',
      members: users.slice(0, 3).map((value) => ({ value, display: 'x' })),
    });
    assert.equal(put.status, 200, put.text);
    assertScimJson(put);
    assert.equal(put.body.displayName, 'AIW Group');
    assert.deepEqual(await memberIds(id), users.slice(0, 3).sort());
    const again = await send('PUT', `/Groups/${id}`, {
      schemas: [GROUP],
      displayName: 'aiw group',
      members: [{ value: users[3] }],
    });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(await memberIds(id), [users[3]]);
  });

  it('Okta: unlink with "Delete the group in the target app" → DELETE 204, then 404', async () => {
    const id = await newGroup('Doomed');
    const del = await send('DELETE', `/Groups/${id}`);
    assert.equal(del.status, 204);
    assertError(await send('GET', `/Groups/${id}`), 404);
  });
});
