/**
 * OneLogin's "SCIM Provisioner with SAML (SCIM v2 Enterprise)" traffic replayed (idp-wire-facts
 * §2.3, after linkyard/scim-scala OneLoginClientSpec): activation probe, group load, template
 * creates (unfilled parameters as empty strings, manager with displayName, SCIM 1.0 core URN),
 * PUT updates and PUT deactivation, membership by value arrays.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import {
  assertCreated,
  assertError,
  assertList,
  assertPatched,
  ENTERPRISE,
  GROUP,
  idpPerSuite,
  PATCH_OP,
  q,
  USER,
} from './helpers.js';

// The facts file records no OneLogin User-Agent; this one only marks the traffic.
const ONELOGIN = { userAgent: 'OneLogin SCIM Provisioner', contentType: 'application/json' };

// The v2 Enterprise template, userName from {$parameters.scimusername} = Email; unfilled parameters are "".
const templateUser = (email: string, managerId?: string) => ({
  schemas: [USER, ENTERPRISE],
  userName: email,
  externalId: '',
  name: { givenName: 'Jane', familyName: 'Doe', formatted: 'Jane Doe' },
  emails: [{ value: email, type: 'work', primary: true }],
  title: '',
  active: true,
  [ENTERPRISE]: {
    department: '',
    employeeNumber: '',
    ...(managerId ? { manager: { value: managerId, displayName: 'Template Manager Name' } } : {}),
  },
});

// OneLogin sends the op's keys in this order, value first (OneLoginClientSpec).
const members = (op: 'add' | 'remove', ids: string[]) => ({
  schemas: [PATCH_OP],
  Operations: [{ value: ids.map((value) => ({ value })), op, path: 'members' }],
});

describeEngines('OneLogin', (engine) => {
  const ol = idpPerSuite(engine, ONELOGIN);
  const send = ol.send;
  const memberIds = async (id: string) =>
    (((await send('GET', `/Groups/${id}`)).body.members ?? []) as { value: string }[])
      .map((m) => m.value)
      .sort();

  it('OneLogin activation: userName eq "never-existing-user" → 200 with 0 results', async () => {
    assertList(await send('GET', `/Users?filter=${q('userName eq "never-existing-user"')}`), 0);
  });

  it('OneLogin group load: GET /Groups?count=100&startIndex=1, then POST the missing group', async () => {
    assertList(await send('GET', '/Groups?count=100&startIndex=1'), 0);
    const res = await send('POST', '/Groups', { displayName: 'Group C', schemas: [GROUP] });
    assertCreated(res, 'Group');
    assert.equal(res.body.displayName, 'Group C');
    const [g] = assertList(await send('GET', '/Groups?count=100&startIndex=1'), 1);
    assert.equal(g.displayName, 'Group C');
  });

  it('#19 OneLogin: Enterprise template with "" parameters and manager {value, displayName} → 201, displayName dropped', async () => {
    const boss = assertCreated(await send('POST', '/Users', templateUser('boss@onelogin.test')), 'User');
    const res = await send('POST', '/Users', templateUser('jane.doe@onelogin.test', boss));
    assertCreated(res, 'User');
    const manager = res.body[ENTERPRISE]?.manager;
    assert.equal(manager?.value, boss);
    assert.notEqual(manager?.displayName, 'Template Manager Name', 'manager.displayName is read-only');
    assert.equal(res.body.userName, 'jane.doe@onelogin.test');
  });

  it('OneLogin "Core Schema" template with the SCIM 1.0 URN → 201', async () => {
    const res = await send('POST', '/Users', {
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'core10@onelogin.test',
      name: { givenName: 'Core', familyName: 'Ten' },
      emails: [{ value: 'core10@onelogin.test', type: 'work', primary: true }],
    });
    assertCreated(res, 'User');
    assert.deepEqual(res.body.schemas, [USER]);
    assert.equal(res.body.active, true);
  });

  it('#26 OneLogin: members add and remove with a value array and no filter path', async () => {
    const ids: string[] = [];
    for (const n of ['m1', 'm2', 'm3'])
      ids.push(assertCreated(await send('POST', '/Users', templateUser(`${n}@onelogin.test`)), 'User'));
    const group = assertCreated(
      await send('POST', '/Groups', { displayName: 'Group D', schemas: [GROUP] }),
      'Group',
    );
    assertPatched(await send('PATCH', `/Groups/${group}`, members('add', ids)));
    assert.deepEqual(await memberIds(group), [...ids].sort());
    const res = await send('PATCH', `/Groups/${group}`, members('remove', [ids[1] as string]));
    assert.notEqual(res.status, 405, 'authentik#11249: group PATCH must not be 405');
    assertPatched(res);
    assert.deepEqual(await memberIds(group), [ids[0], ids[2]].sort());
  });

  it('OneLogin update and deactivate by PUT (after removing the user from groups); reactivate by PUT', async () => {
    const id = assertCreated(await send('POST', '/Users', templateUser('leaver@onelogin.test')), 'User');
    const group = assertCreated(
      await send('POST', '/Groups', { displayName: 'Group E', schemas: [GROUP] }),
      'Group',
    );
    assertPatched(await send('PATCH', `/Groups/${group}`, members('add', [id])));
    const update = await send('PUT', `/Users/${id}`, {
      ...templateUser('leaver@onelogin.test'),
      title: 'Engineer',
    });
    assert.equal(update.status, 200, update.text);
    assert.equal(update.body.title, 'Engineer');
    assert.equal(update.body.id, id);
    assertPatched(await send('PATCH', `/Groups/${group}`, members('remove', [id])));
    const off = await send('PUT', `/Users/${id}`, { ...templateUser('leaver@onelogin.test'), active: false });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    assert.deepEqual(await memberIds(group), []);
    assert.equal((await ol.events('user.suspended')).filter((e) => e.resource_id === id).length, 1);
    const on = await send('PUT', `/Users/${id}`, templateUser('leaver@onelogin.test'));
    assert.equal(on.body.active, true);
  });

  it('OneLogin: reactivating a user the app deleted gets a clean 404 SCIM error (its "provisioning error")', async () => {
    const id = assertCreated(await send('POST', '/Users', templateUser('gone@onelogin.test')), 'User');
    assert.equal((await send('DELETE', `/Users/${id}`)).status, 204);
    assertError(await send('PUT', `/Users/${id}`, templateUser('gone@onelogin.test')), 404);
  });
});
