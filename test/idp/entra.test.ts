/**
 * Microsoft Entra ID user provisioning replayed (idp-wire-facts §2.1), once with the default
 * Tenant URL and once with `?aadOptscim062020` on every request URL (the flag must be ignored as
 * a query parameter, and the flagged PATCH shapes must work). Groups and pull reads are in
 * entra-groups.test.ts.
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
  ENTRA,
  idpPerSuite,
  patchOp,
  q,
  USER,
  userBody,
} from './helpers.js';

const MALFORMED_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User';
const GUID = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';

for (const flagged of [false, true]) {
  const mode = flagged ? 'aadOptscim062020' : 'default';
  // Without the flag Entra capitalises ops ("Replace"); with it, ops are lower-case (CC).
  const op = (name: 'add' | 'remove' | 'replace') =>
    flagged ? name : `${name[0]?.toUpperCase()}${name.slice(1)}`;

  describeEngines(`Entra ID users (${mode})`, (engine) => {
    const entra = idpPerSuite(engine, { ...ENTRA, ...(flagged ? { query: 'aadOptscim062020' } : {}) });
    const send = entra.send;
    const get = async (id: string) => (await send('GET', `/Users/${id}`)).body;
    const create = async (userName: string, extra: Record<string, unknown> = {}) =>
      assertCreated(await send('POST', '/Users', userBody(userName, extra)), 'User');

    it(`#1 Entra (${mode}): Test Connection with a random-GUID userName → 200 empty ListResponse`, async () => {
      const res = await send('GET', `/Users?filter=${q(`userName eq "Test_User_${GUID}"`)}`);
      assert.deepEqual(assertList(res, 0), []);
      assert.equal(res.body.startIndex, 1);
      assert.equal(res.body.itemsPerPage, 0);
    });

    it(`#6 Entra (${mode}): tutorial create bodies with roles:[] and nulls → 201`, async () => {
      const ex1 = await send('POST', '/Users', {
        schemas: [USER, ENTERPRISE],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: `Test_User_${GUID}`,
        active: true,
        emails: [
          {
            primary: true,
            type: 'work',
            value: `Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com`,
          },
        ],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
      });
      assertCreated(ex1, 'User');
      assert.equal(ex1.body.name.formatted, 'givenName familyName');
      const nulls = await send('POST', '/Users', {
        schemas: [USER, ENTERPRISE],
        externalId: 'nulls',
        userName: 'nulls@testuser.com',
        active: true,
        addresses: null,
        displayName: 'Null Fields',
        emails: [{ type: 'work', value: 'nulls@Contoso.com', primary: true }],
        meta: { resourceType: 'User' },
        name: { familyName: 'Fields', givenName: 'Null' },
        phoneNumbers: null,
        preferredLanguage: null,
        title: null,
        department: null,
        manager: null,
      });
      assertCreated(nulls, 'User');
      for (const k of ['addresses', 'phoneNumbers', 'preferredLanguage', 'title'])
        assert.ok(!(k in nulls.body), `${k}:null is absent`);
      assert.equal(nulls.body.emails[0].value, 'nulls@Contoso.com', 'stored as sent');
    });

    it(`#7 Entra (${mode}): the malformed URN "…:2.0User" is accepted (Rollcall's default) → 201`, async () => {
      const res = await send('POST', '/Users', {
        schemas: [USER, MALFORMED_ENTERPRISE],
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        active: true,
        addresses: null,
        displayName: 'Joy Young',
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
        meta: { resourceType: 'User' },
        name: { familyName: 'Young', givenName: 'Joy' },
        phoneNumbers: null,
        preferredLanguage: null,
        title: null,
        department: null,
        manager: null,
      });
      assertCreated(res, 'User');
      assert.ok(!JSON.stringify(res.body.schemas).includes('2.0User'), 'answers only correct URNs');
      assert.equal(res.body.displayName, 'Joy Young');
    });

    it(`#8 Entra (${mode}): Postman "Post emp1 with string True" stores active as boolean true`, async () => {
      const res = await send('POST', '/Users', {
        schemas: [USER, ENTERPRISE],
        userName: 'emp1@contoso.com',
        active: 'True',
        displayName: 'emp1',
        addresses: [
          {
            type: 'work',
            streetAddress: '1 Main St',
            locality: null,
            region: null,
            postalCode: null,
            country: 'US',
            primary: true,
          },
          { type: 'home', formatted: null, streetAddress: '2 Side St', locality: 'Redmond', primary: false },
        ],
        [ENTERPRISE]: { employeeNumber: '701984', department: null },
      });
      const id = assertCreated(res, 'User');
      assert.equal(res.body.active, true);
      const got = await get(id);
      assert.equal(got.active, true);
      assert.equal(got.addresses.length, 2);
      assert.equal(got[ENTERPRISE].employeeNumber, '701984');
    });

    it(`#2 Entra (${mode}): externalId eq "<guid>" pre-check finds the user, case-exactly`, async () => {
      const ext = '2a69c9a6-1708-45b7-acbe-a7b4c8fb102a';
      const id = await create('ext.lookup@contoso.com', { externalId: ext });
      const [u] = assertList(await send('GET', `/Users?filter=${q(`externalId eq "${ext}"`)}`), 1);
      assert.equal(u.id, id);
      assertList(await send('GET', `/Users?filter=${q(`externalId eq "${ext.toUpperCase()}"`)}`), 0);
    });

    it(`#4 Entra (${mode}): emails[type eq "work"].value eq "…" as a lookup filter`, async () => {
      const id = await create('mail.lookup@contoso.com', {
        emails: [
          { value: 'home.mail@example.com', type: 'home' },
          { value: 'Work.Mail@contoso.com', type: 'work', primary: true },
        ],
      });
      const [u] = assertList(
        await send('GET', `/Users?filter=${q('emails[type eq "work"].value eq "work.mail@contoso.com"')}`),
        1,
      );
      assert.equal(u.id, id);
      assertList(
        await send('GET', `/Users?filter=${q('emails[type eq "work"].value eq "home.mail@example.com"')}`),
        0,
      );
    });

    if (!flagged) {
      it('#12 Entra (default): six capitalised Replace ops incl. …:User:employeeNumber apply atomically', async () => {
        const id = await create('six.ops@contoso.com', { displayName: 'Before', externalId: 'before' });
        const ops = [
          { op: 'Replace', path: 'displayName', value: 'Pvlo' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
          { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
          { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
          { op: 'Replace', path: 'externalId', value: 'Eqpj' },
          { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
        ];
        // One bad operation at the end: nothing of the request is applied.
        const bad = await send(
          'PATCH',
          `/Users/${id}`,
          patchOp(...ops, { op: 'Replace', path: 'active', value: 'Maybe' }),
        );
        assertError(bad, 400);
        assert.equal((await get(id)).displayName, 'Before');
        assertPatched(await send('PATCH', `/Users/${id}`, patchOp(...ops)));
        const u = await get(id);
        assert.equal(u.displayName, 'Pvlo');
        assert.deepEqual(u.emails, [{ value: 'TestBcwqnm@test.microsoft.com', type: 'work', primary: true }]);
        assert.deepEqual(u.name, { givenName: 'Gtfd', familyName: 'Pkqf' });
        assert.equal(u.externalId, 'Eqpj');
        assert.equal(u[ENTERPRISE].employeeNumber, 'Eqpj');
        assert.ok(u.schemas.includes(ENTERPRISE));
      });

      it('#23 Entra (default): op "Add", "ADD" and "add" behave identically', async () => {
        for (const [i, name] of ['Add', 'ADD', 'add'].entries()) {
          const id = await create(`nick.${i}@contoso.com`);
          const res = await send(
            'PATCH',
            `/Users/${id}`,
            patchOp({ op: name, path: 'nickName', value: 'Babs' }),
          );
          assertPatched(res);
          assert.equal((await get(id)).nickName, 'Babs', name);
        }
      });
    }

    if (flagged) {
      it('#14 Entra (aadOptscim062020): pathless replace with dotted and URN keys updates only those', async () => {
        const id = await create('flagged@contoso.com', {
          displayName: 'Before',
          title: 'Keeps',
          name: { givenName: 'Old', familyName: 'Name', formatted: 'Old Name' },
          emails: [{ value: 'old@contoso.com', type: 'work', primary: true }],
          [ENTERPRISE]: { department: 'Keeps', employeeNumber: '1' },
        });
        const res = await send(
          'PATCH',
          `/Users/${id}`,
          patchOp(
            { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
            {
              op: 'replace',
              value: {
                displayName: 'Bjfe',
                'name.givenName': 'Kkom',
                'name.familyName': 'Unua',
                [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
              },
            },
          ),
        );
        assertPatched(res);
        const u = await get(id);
        assert.equal(u.displayName, 'Bjfe');
        assert.deepEqual(u.name, { givenName: 'Kkom', familyName: 'Unua', formatted: 'Old Name' });
        assert.deepEqual(u.emails, [{ value: 'TestMhvaes@test.microsoft.com', type: 'work', primary: true }]);
        assert.equal(u.title, 'Keeps');
        assert.deepEqual(u[ENTERPRISE], { department: 'Keeps', employeeNumber: 'Aklq' });
      });
    }

    it(`#13 Entra (${mode}): Replace active ${flagged ? 'false' : '"False"'} suspends (user.suspended event)`, async () => {
      const id = await create('leaver@contoso.com');
      const value = flagged ? false : 'False';
      assertPatched(
        await send('PATCH', `/Users/${id}`, patchOp({ op: op('replace'), path: 'active', value })),
      );
      assert.equal((await get(id)).active, false);
      // Rollcall's tokens belong to workspaces; the host revokes the member's sessions on this event.
      const events = (await entra.events('user.suspended')).filter((e) => e.resource_id === id);
      assert.equal(events.length, 1);
      assert.equal(events[0]?.user_agent, ENTRA.userAgent);
    });

    it(`#16 Entra (${mode}): emails[type eq "work"].value on a user without a work email creates it`, async () => {
      const id = await create('homeonly@contoso.com', {
        emails: [{ value: 'home@example.com', type: 'home', primary: true }],
      });
      const path = 'emails[type eq "work"].value';
      assertPatched(
        await send('PATCH', `/Users/${id}`, patchOp({ op: op('replace'), path, value: 'work@contoso.com' })),
      );
      const emails = (await get(id)).emails;
      assert.equal(emails.length, 2);
      const work = emails.find((e: { type?: string }) => e.type === 'work');
      assert.equal(work?.value, 'work@contoso.com');
      assert.notEqual(work?.primary, true, 'the new work email does not steal primary');
      assert.equal(emails.find((e: { type?: string }) => e.type === 'home')?.primary, true);
      const none = await create('noemail@contoso.com', { emails: undefined });
      assertPatched(
        await send('PATCH', `/Users/${none}`, patchOp({ op: op('add'), path, value: 'only@contoso.com' })),
      );
      const only = (await get(none)).emails;
      assert.equal(only.length, 1);
      assert.equal(only[0].value, 'only@contoso.com');
      assert.equal(only[0].type, 'work');
    });

    it(`#17 Entra (${mode}): phoneNumbers[type eq "work"].value on an absent attribute creates it; bundled ops apply`, async () => {
      const id = await create('phoneless@contoso.com', { displayName: 'Before' });
      const res = await send(
        'PATCH',
        `/Users/${id}`,
        patchOp(
          { op: op('add'), path: 'phoneNumbers[type eq "work"].value', value: '+1 (555) 010-0199' },
          { op: op('replace'), path: 'phoneNumbers[type eq "mobile"].value', value: '0170 1234567' },
          { op: op('replace'), path: 'displayName', value: 'After' },
        ),
      );
      assertPatched(res);
      const u = await get(id);
      assert.equal(u.displayName, 'After');
      const byType = Object.fromEntries(
        u.phoneNumbers.map((p: { type: string; value: string }) => [p.type, p.value]),
      );
      assert.deepEqual(
        byType,
        { work: '+1 (555) 010-0199', mobile: '0170 1234567' },
        'stored as sent, not reformatted',
      );
    });

    it(`#18 Entra (${mode}): roles[primary eq "True"].value replace`, async () => {
      const id = await create('roles@contoso.com', {
        roles: [{ value: 'Reader', primary: true }, { value: 'Other' }],
      });
      const path = 'roles[primary eq "True"].value';
      assertPatched(
        await send('PATCH', `/Users/${id}`, patchOp({ op: op('replace'), path, value: 'Writer' })),
      );
      const roles = (await get(id)).roles;
      assert.deepEqual(roles, [{ value: 'Writer', primary: true }, { value: 'Other' }]);
      const bare = await create('noroles@contoso.com');
      assertPatched(
        await send('PATCH', `/Users/${bare}`, patchOp({ op: op('replace'), path, value: 'Writer' })),
      );
      assert.deepEqual((await get(bare)).roles, [{ primary: true, value: 'Writer' }], 'primary is a boolean');
    });

    it(`#19 Entra (${mode}): manager as an array, as a string on …:User:manager and …:User.manager, displayName dropped`, async () => {
      const boss = await create('boss@contoso.com', { displayName: 'The Boss' });
      const boss2 = await create('boss2@contoso.com');
      const id = await create('report@contoso.com');
      const manager = async () => (await get(id))[ENTERPRISE]?.manager;
      const ref = `http://localhost/api/v1/auth/scim/Users/${boss}`;
      assertPatched(
        await send(
          'PATCH',
          `/Users/${id}`,
          patchOp({ op: op('add'), path: 'manager', value: [{ $ref: ref, value: boss }] }),
        ),
      );
      assert.equal((await manager())?.value, boss);
      assertPatched(
        await send(
          'PATCH',
          `/Users/${id}`,
          patchOp({ op: op('replace'), path: `${ENTERPRISE}:manager`, value: boss2 }),
        ),
      );
      assert.equal((await manager())?.value, boss2);
      assertPatched(
        await send(
          'PATCH',
          `/Users/${id}`,
          patchOp({ op: op('replace'), path: `${ENTERPRISE}.manager`, value: boss }),
        ),
      );
      assert.equal((await manager())?.value, boss);
      const withName = { value: boss2, displayName: 'Client Says So' };
      assertPatched(
        await send(
          'PATCH',
          `/Users/${id}`,
          patchOp({ op: op('replace'), path: `${ENTERPRISE}:manager`, value: withName }),
        ),
      );
      const m = await manager();
      assert.equal(m?.value, boss2);
      assert.notEqual(m?.displayName, 'Client Says So', 'manager.displayName is read-only');
    });

    it(`#20 Entra (${mode}): PATCH userName re-checks uniqueness → 409 on conflict`, async () => {
      await create('taken@contoso.com');
      const id = await create('renamer@contoso.com');
      const res = await send(
        'PATCH',
        `/Users/${id}`,
        patchOp({ op: op('replace'), path: 'userName', value: 'TAKEN@contoso.com' }),
      );
      assertError(res, 409, 'uniqueness');
      assert.equal((await get(id)).userName, 'renamer@contoso.com');
      const own = await send(
        'PATCH',
        `/Users/${id}`,
        patchOp({ op: op('replace'), path: 'userName', value: 'Renamer@contoso.com' }),
      );
      assertPatched(own);
      assert.equal((await get(id)).userName, 'Renamer@contoso.com');
    });

    it(`#21 Entra (${mode}): a PATCH whose data is unchanged succeeds (not 400)`, async () => {
      const id = await create('same@contoso.com', { displayName: 'Same' });
      const body = patchOp(
        { op: op('replace'), path: 'displayName', value: 'Same' },
        { op: op('replace'), path: 'emails[type eq "work"].value', value: 'same@contoso.com' },
        { op: op('replace'), path: 'active', value: flagged ? true : 'True' },
      );
      for (let i = 0; i < 2; i++) assertPatched(await send('PATCH', `/Users/${id}`, body));
      assert.equal((await get(id)).meta.version, 'W/"1"', 'nothing changed, nothing written');
    });

    it(`#22 Entra (${mode}): an unknown key in an op ("name":"addMember") is ignored`, async () => {
      const id = await create('extra.key@contoso.com');
      const res = await send(
        'PATCH',
        `/Users/${id}`,
        patchOp({ name: 'addMember', op: op('add'), path: 'nickName', value: 'Nick' }),
      );
      assertPatched(res);
      assert.equal((await get(id)).nickName, 'Nick');
    });

    it(`Entra (${mode}): unknown id → 404 SCIM Error; DELETE → 204, then 404`, async () => {
      assertError(await send('GET', '/Users/40734ae655284ad3abcc'), 404);
      assertError(
        await send(
          'PATCH',
          '/Users/40734ae655284ad3abcc',
          patchOp({ op: op('replace'), path: 'active', value: false }),
        ),
        404,
      );
      const id = await create('deleted@contoso.com');
      assert.equal((await send('DELETE', `/Users/${id}`)).status, 204);
      assertError(await send('GET', `/Users/${id}`), 404);
    });
  });
}
