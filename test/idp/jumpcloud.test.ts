/**
 * JumpCloud's Custom SCIM (Identity Management tab of a SAML app) replayed (idp-wire-facts §2.4):
 * Test Connection creates a test user and a test group and removes both with DELETE; groups are
 * renamed by pathless replace and members added without a filter.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
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
  USER,
  userBody,
} from './helpers.js';

// The facts file records no JumpCloud User-Agent; this one only marks the traffic.
const JUMPCLOUD = { userAgent: 'JumpCloud SCIM Client', contentType: 'application/scim+json' };
const TEST_USER_EMAIL = 'scim-test@jumpcloud.test';

describeEngines('JumpCloud', (engine) => {
  const jc = idpPerSuite(engine, JUMPCLOUD);
  const send = jc.send;

  it('JumpCloud Test Connection: create a test user and a test group, DELETE both; it can run again', async () => {
    for (let run = 0; run < 2; run++) {
      const user = await send('POST', '/Users', {
        schemas: [USER],
        userName: TEST_USER_EMAIL,
        name: { givenName: 'SCIM', familyName: 'Test' },
        emails: [{ value: TEST_USER_EMAIL, type: 'work', primary: true }],
        active: true,
      });
      const userId = assertCreated(user, 'User');
      const group = await send('POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'JumpCloud SCIM Test Group',
      });
      const groupId = assertCreated(group, 'Group');
      assert.equal((await send('DELETE', `/Users/${userId}`)).status, 204);
      assert.equal((await send('DELETE', `/Groups/${groupId}`)).status, 204);
      assertError(await send('GET', `/Users/${userId}`), 404);
      assertError(await send('GET', `/Groups/${groupId}`), 404);
      assertList(await send('GET', `/Users?filter=${q(`userName eq "${TEST_USER_EMAIL}"`)}`), 0);
    }
  });

  it('JumpCloud: a test user that cannot be deleted is deactivated instead (PATCH active=false)', async () => {
    const id = assertCreated(
      await send('POST', '/Users', userBody('deactivate-test@jumpcloud.test')),
      'User',
    );
    assertPatched(
      await send('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false })),
    );
    assert.equal((await send('GET', `/Users/${id}`)).body.active, false);
  });

  it('#33 JumpCloud: group rename by pathless replace {"displayName"}; members added with no filter', async () => {
    const a = assertCreated(await send('POST', '/Users', userBody('a@jumpcloud.test')), 'User');
    const b = assertCreated(await send('POST', '/Users', userBody('b@jumpcloud.test')), 'User');
    const id = assertCreated(
      await send('POST', '/Groups', { schemas: [GROUP], displayName: 'Engineering' }),
      'Group',
    );
    const rename = await send(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'replace', value: { displayName: 'Engineering (all)' } }),
    );
    assertPatched(rename);
    const got = await send('GET', `/Groups/${id}`);
    assert.equal(got.body.displayName, 'Engineering (all)');
    assertList(await send('GET', `/Groups?filter=${q('displayName eq "Engineering (all)"')}`), 1);
    assertPatched(
      await send('PATCH', `/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }] })),
    );
    assertPatched(
      await send('PATCH', `/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b }] })),
    );
    // Removal "Azure-style": a value array, no filter.
    assertPatched(
      await send('PATCH', `/Groups/${id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: a }] })),
    );
    const after = await send('GET', `/Groups/${id}`);
    assert.deepEqual(
      after.body.members.map((m: { value: string }) => m.value),
      [b],
    );
  });
});
