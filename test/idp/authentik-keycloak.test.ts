/**
 * Open-source identity providers as SCIM clients (idp-wire-facts §2.8): the authentik SCIM
 * provider adopts an existing user or group only when a create answers 409 with
 * scimType "uniqueness"; the scim-for-keycloak client re-sends a group's whole member list with
 * PATCH replace, so one added member among 211 must be applied as a diff.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import {
  assertCreated,
  assertError,
  assertList,
  assertPatched,
  GROUP,
  idpPerSuite,
  patchOp,
  q,
  seedUsers,
  USER,
} from './helpers.js';

// The facts file records neither client's User-Agent; these only mark the traffic.
const AUTHENTIK = { userAgent: 'authentik SCIM provider', contentType: 'application/scim+json' };
const KEYCLOAK = { userAgent: 'scim-for-keycloak', contentType: 'application/scim+json' };

describeEngines('authentik SCIM provider', (engine) => {
  const ak = idpPerSuite(engine, AUTHENTIK);
  const send = ak.send;

  it('#11 authentik: a user that already exists answers 409 uniqueness, and authentik adopts it', async () => {
    const user = {
      schemas: [USER],
      userName: 'existing@authentik.test',
      name: { givenName: 'Ex', familyName: 'Isting' },
      active: true,
    };
    const existing = assertCreated(await send('POST', '/Users', user), 'User');
    const dup = await send('POST', '/Users', { ...user, externalId: 'ak-pk-17' });
    assertError(dup, 409, 'uniqueness');
    // Adoption: look the user up, then write authentik's view of it.
    const [found] = assertList(
      await send('GET', `/Users?filter=${q('userName eq "existing@authentik.test"')}`),
      1,
    );
    assert.equal(found.id, existing);
    const put = await send('PUT', `/Users/${existing}`, { ...user, externalId: 'ak-pk-17' });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.externalId, 'ak-pk-17');
  });

  it('#11 authentik: a group that already exists (any case) answers 409 uniqueness, and authentik adopts it', async () => {
    const existing = assertCreated(
      await send('POST', '/Groups', { schemas: [GROUP], displayName: 'authentik Admins' }),
      'Group',
    );
    const dup = await send('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'AUTHENTIK ADMINS',
      members: [],
    });
    assertError(dup, 409, 'uniqueness');
    const [found] = assertList(
      await send('GET', `/Groups?filter=${q('displayName eq "authentik Admins"')}`),
      1,
    );
    assert.equal(found.id, existing);
    const user = assertCreated(
      await send('POST', '/Users', { schemas: [USER], userName: 'admin@authentik.test' }),
      'User',
    );
    assertPatched(
      await send(
        'PATCH',
        `/Groups/${existing}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: user }] }),
      ),
    );
  });
});

describeEngines('scim-for-keycloak client', (engine) => {
  const kc = idpPerSuite(engine, KEYCLOAK);
  let users: string[] = [];
  before(async () => {
    users = await seedUsers(kc, 212, 'kc');
  });
  const send = kc.send;
  const replaceAll = (ids: string[]) =>
    patchOp({ op: 'replace', path: 'members', value: ids.map((value) => ({ value })) });

  it('#30 Keycloak: adding 1 user to a 211-member group by re-sending the whole list is applied as a diff', async () => {
    const id = assertCreated(
      await send('POST', '/Groups', { schemas: [GROUP], displayName: 'keycloak-group', members: [] }),
      'Group',
    );
    const first = users.slice(0, 211);
    assertPatched(await send('PATCH', `/Groups/${id}`, replaceAll(first)));
    const before = await kc.events('group.members_added');
    const res = await send('PATCH', `/Groups/${id}`, replaceAll(users));
    assertPatched(res);
    assert.ok(res.text.length < 2_000, 'the answer does not echo 212 members');
    const added = (await kc.events('group.members_added')).slice(before.length);
    assert.equal(added.length, 1);
    assert.deepEqual(JSON.parse(added[0]?.data ?? '{}').members, [users[211]]);
    assert.equal((await kc.events('group.members_removed')).length, 0, 'nobody was removed and re-added');
    const got = await send('GET', `/Groups/${id}`);
    assert.equal(got.body.members.length, 212);
    // Re-sending the same list changes nothing and records nothing.
    const version = got.body.meta.version;
    assertPatched(await send('PATCH', `/Groups/${id}`, replaceAll(users)));
    assert.equal((await kc.events('group.members_added')).length, before.length + 1);
    assert.equal((await send('GET', `/Groups/${id}?excludedAttributes=members`)).body.meta.version, version);
  });
});
