/**
 * Microsoft Entra ID group provisioning and pull reads (idp-wire-facts §2.1 "Groups", "Pull
 * reads"), with the default Tenant URL and with `?aadOptscim062020` on every request URL.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import {
  ADSCIM,
  assertCreated,
  assertError,
  assertList,
  assertPatched,
  createUsers,
  ENTRA,
  GROUP,
  idpPerSuite,
  patchOp,
  q,
} from './helpers.js';

for (const flagged of [false, true]) {
  const mode = flagged ? 'aadOptscim062020' : 'default';
  const op = (name: 'add' | 'remove' | 'replace') =>
    flagged ? name : `${name[0]?.toUpperCase()}${name.slice(1)}`;

  describeEngines(`Entra ID groups (${mode})`, (engine) => {
    const entra = idpPerSuite(engine, { ...ENTRA, ...(flagged ? { query: 'aadOptscim062020' } : {}) });
    let users: string[] = [];
    before(async () => {
      users = await createUsers(entra, 8, 'member');
    });
    const send = entra.send;
    const members = async (id: string) =>
      (((await send('GET', `/Groups/${id}`)).body.members ?? []) as { value: string }[])
        .map((m) => m.value)
        .sort();
    const addAll = (id: string, ids: string[]) =>
      send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({ op: op('add'), path: 'members', value: ids.map((value) => ({ $ref: null, value })) }),
      );
    let seq = 0;
    const newGroup = async () =>
      assertCreated(
        await send('POST', '/Groups', {
          schemas: [GROUP, ADSCIM],
          displayName: `Group ${seq++}`,
          meta: { resourceType: 'Group' },
        }),
        'Group',
      );

    it(`#24 Entra (${mode}): group POST with the ADSCIM URN and no members → 201`, async () => {
      const res = await send('POST', '/Groups', {
        schemas: [GROUP, ADSCIM],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      });
      assertCreated(res, 'Group');
      assert.deepEqual(res.body.schemas, [GROUP]);
      assert.equal(res.body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    });

    it(`#5 Entra (${mode}): excludedAttributes=members lookups return no "members" key`, async () => {
      const [found] = assertList(
        await send('GET', `/Groups?excludedAttributes=members&filter=${q('displayName eq "displayName"')}`),
        1,
      );
      assert.ok(found && !('members' in found));
      assertPatched(await addAll(found.id, users.slice(0, 2)));
      const one = await send('GET', `/Groups/${found.id}?excludedAttributes=members`);
      assert.equal(one.status, 200);
      assert.ok(!('members' in one.body));
      assert.equal(one.body.displayName, 'displayName');
      assertList(
        await send('GET', `/Groups?excludedAttributes=members&filter=${q('displayName eq "nope"')}`),
        0,
      );
    });

    it(`#25 Entra (${mode}): Add members with $ref:null → 204; re-adding is idempotent`, async () => {
      const id = await newGroup();
      const res = await addAll(id, [users[0] as string]);
      assert.equal(res.status, 204, res.text);
      assert.equal(res.text, '');
      const again = await addAll(id, [users[0] as string]);
      assert.equal(again.status, 204);
      assert.deepEqual(await members(id), [users[0]]);
      const added = (await entra.events('group.members_added')).filter((e) => e.resource_id === id);
      assert.equal(added.length, 1, 'the idempotent re-add records no change');
    });

    it(`#22 Entra (${mode}): Postman member add with "name":"addMember" and member display`, async () => {
      const id = await newGroup();
      const res = await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({
          name: 'addMember',
          op: op('add'),
          path: 'members',
          value: [{ displayName: 'member1', value: users[1] }],
        }),
      );
      assertPatched(res);
      assert.deepEqual(await members(id), [users[1]]);
    });

    it(`#34 Entra (${mode}): a bare-string member is read as {value}; "string id 1" is 400 invalidValue naming it`, async () => {
      const id = await newGroup();
      const bad = await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({ op: op('add'), path: 'members', value: 'string id 1' }),
      );
      assertError(bad, 400, 'invalidValue');
      assert.match(bad.body.detail, /string id 1/);
      assert.deepEqual(await members(id), []);
      assertPatched(
        await send('PATCH', `/Groups/${id}`, patchOp({ op: op('add'), path: 'members', value: users[2] })),
      );
      assert.deepEqual(await members(id), [users[2]]);
    });

    it(`#26 Entra (${mode}): Remove with a value array removes only the listed members`, async () => {
      const id = await newGroup();
      assertPatched(await addAll(id, users.slice(0, 4)));
      const res = await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({
          op: op('remove'),
          path: 'members',
          value: [{ $ref: null, value: users[1] }, { value: users[3] }],
        }),
      );
      assertPatched(res);
      assert.deepEqual(await members(id), [users[0], users[2]].sort());
    });

    it(`#27 Entra (${mode}): remove members[value eq "x"] removes only x`, async () => {
      const id = await newGroup();
      assertPatched(await addAll(id, users.slice(0, 4)));
      const res = await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({ op: 'remove', path: `members[value eq "${users[2]}"]` }),
      );
      assertPatched(res);
      assert.deepEqual(await members(id), [users[0], users[1], users[3]].sort());
      // Removing a member that is not there is a harmless no-op.
      assertPatched(
        await send(
          'PATCH',
          `/Groups/${id}`,
          patchOp({ op: 'remove', path: `members[value eq "${users[2]}"]` }),
        ),
      );
      assert.equal((await members(id)).length, 3);
    });

    it(`#28 Entra (${mode}): {"op":"remove","path":"members"} clears all (Rollcall: no guard by default)`, async () => {
      const id = await newGroup();
      assertPatched(await addAll(id, users.slice(0, 5)));
      assertPatched(await send('PATCH', `/Groups/${id}`, patchOp({ op: 'remove', path: 'members' })));
      assert.deepEqual(await members(id), []);
      const got = await send('GET', `/Groups/${id}`);
      assert.equal(got.status, 200);
    });

    it(`Entra (${mode}): rename by Replace displayName; unknown member is 400 and nothing applies; DELETE`, async () => {
      const id = await newGroup();
      const rename = await send(
        'PATCH',
        `/Groups/${id}`,
        patchOp({
          op: op('replace'),
          path: 'displayName',
          value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
        }),
      );
      assertPatched(rename);
      assert.equal(
        (await send('GET', `/Groups/${id}`)).body.displayName,
        '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
      );
      const unknown = await addAll(id, [users[0] as string, 'f648f8d5ea4e4cd38e9c']);
      assertError(unknown, 400, 'invalidValue');
      assert.match(unknown.body.detail, /f648f8d5ea4e4cd38e9c/);
      assert.deepEqual(await members(id), []);
      assert.equal((await send('DELETE', `/Groups/${id}`)).status, 204);
      assertError(await send('GET', `/Groups/${id}?excludedAttributes=members`), 404);
    });

    it(`#38 Entra (${mode}): pull reads with parentheses, 7-digit timestamps, mixed-case names, startindex=0`, async () => {
      const { token } = await entra.s.addWorkspace(`pull-${engine}-${mode.toLowerCase()}`);
      const auth = { authorization: `Bearer ${token}` };
      const ids: string[] = [];
      for (const [i, active] of [true, true, false, true].entries()) {
        const r = await send('POST', '/Users', { userName: `pull${i}@contoso.com`, active }, auth);
        ids.push(assertCreated(r, 'User'));
      }
      // Watermarks in .NET's 7-digit form.
      const seven = (d: Date) => d.toISOString().replace(/Z$/, '0000Z');
      const watermark = seven(new Date(entra.clock.now().getTime() + 60_000));
      const window = (hi: string) =>
        `active eq true and (meta.lastModified ge "0001-01-03T00:00:00.0000000Z" and meta.lastModified le "${hi}")`;
      const p1 = await send(
        'GET',
        `/Users?filter=${q(window(watermark))}&count=5&startIndex=1`,
        undefined,
        auth,
      );
      assert.deepEqual(
        assertList(p1, 3)
          .map((u) => u.id)
          .sort(),
        [ids[0], ids[1], ids[3]].sort(),
      );
      const p2 = await send(
        'GET',
        `/Users?filter=${q(window(watermark))}&count=100&startindex=0`,
        undefined,
        auth,
      );
      assertList(p2, 3);
      assert.equal(p2.body.startIndex, 1);
      assertList(
        await send(
          'GET',
          `/Users?filter=${q(window('2001-01-01T00:00:00.0000000Z'))}&count=5&startIndex=1`,
          undefined,
          auth,
        ),
        0,
      );
      const mixed = `(ActiVe eq true) and meta.lastmodified ge "${seven(new Date(entra.clock.now().getTime() - 60_000))}"`;
      assertList(await send('GET', `/Users?filter=${q(mixed)}`, undefined, auth), 3);
      const [last] = assertList(
        await send('GET', `/Users?filter=${q(`id eq "${ids[3]}"`)}`, undefined, auth),
        1,
      );
      assert.equal(last.id, ids[3]);
    });
  });
}
