/**
 * Okta's provisioning traffic replayed against the SCIM endpoint (idp-wire-facts §2.2): Test
 * Connector, Import paging, pre-check + create, full-object PUT updates, OIN deactivation by
 * pathless PATCH, and the Runscope SPEC checks R1–R12 (Push Groups: okta-groups.test.ts).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import {
  assertCreated,
  assertError,
  assertList,
  assertPatched,
  idpPerSuite,
  OKTA,
  patchOp,
  q,
  seedUsers,
  USER,
} from './helpers.js';

// §2.2 "Create": password always present, groups:[] and locale.
const oktaUser = (userName: string, externalId = '00ujl29u0le5T6Aj10h7') => ({
  schemas: [USER],
  userName,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId,
  groups: [],
  password: '1mz050nq',
  active: true,
});

describeEngines('Okta', (engine) => {
  const okta = idpPerSuite(engine, OKTA);
  const send = okta.send;

  it('Okta Test Connector: GET /Users?startIndex=1&count=2 answers an integer ListResponse', async () => {
    const res = await send('GET', '/Users?startIndex=1&count=2');
    assertList(res, 0);
    assert.equal(res.body.startIndex, 1);
  });

  it('#10 Okta: pre-check, then create with groups:[] and locale → 201 with the user', async () => {
    const pre = await send(
      'GET',
      '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
    );
    assertList(pre, 0);
    const res = await send('POST', '/Users', oktaUser('test.user@okta.local'));
    assertCreated(res, 'User');
    assert.deepEqual(res.body.schemas, [USER]);
    assert.equal(res.body.userName, 'test.user@okta.local');
    assert.deepEqual(res.body.name, { givenName: 'Test', familyName: 'User' });
    assert.deepEqual(res.body.emails, [{ primary: true, value: 'test.user@okta.local', type: 'work' }]);
    assert.equal(res.body.displayName, 'Test User');
    assert.equal(res.body.locale, 'en-US');
    assert.equal(res.body.externalId, '00ujl29u0le5T6Aj10h7');
    assert.equal(res.body.active, true);
  });

  it('#9 Okta: password is accepted, never stored, never echoed', async () => {
    const res = await send('POST', '/Users', oktaUser('pw.user@okta.local', 'ext-pw'));
    const id = assertCreated(res, 'User');
    assert.ok(!('password' in res.body));
    assert.ok(!res.text.includes('1mz050nq'));
    for (const path of [
      `/Users/${id}`,
      `/Users/${id}?attributes=password`,
      `/Users?filter=${q('id eq "' + id + '"')}`,
    ]) {
      const got = await send('GET', path);
      assert.equal(got.status, 200, got.text);
      assert.ok(!got.text.includes('1mz050nq'), `${path} must not echo the password`);
    }
    const row = await okta.s.deps.store.db
      .selectFrom('users')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(!row.data.includes('1mz050nq'), 'the stored document has no password');
    for (const e of await okta.events('user.created')) assert.ok(!e.data.includes('1mz050nq'));
  });

  it('#11 Okta R8: a duplicate create is 409 uniqueness; concurrent duplicates give one 201 and one 409', async () => {
    const dup = await send('POST', '/Users', oktaUser('test.user@okta.local'));
    assertError(dup, 409, 'uniqueness');
    const pair = await Promise.all([
      send('POST', '/Users', oktaUser('race@okta.local', 'ext-race-1')),
      send('POST', '/Users', oktaUser('race@okta.local', 'ext-race-2')),
    ]);
    assert.deepEqual(pair.map((r) => r.status).sort(), [201, 409]);
    const loser = pair.find((r) => r.status === 409);
    assert.ok(loser);
    assertError(loser, 409, 'uniqueness');
  });

  it('#3 Okta R9: userName eq with an UPPER-CASE value finds the user', async () => {
    const res = await send(
      'GET',
      `/Users?filter=${q('userName eq "TEST.USER@OKTA.LOCAL"')}&startIndex=1&count=100`,
    );
    const [u] = assertList(res, 1);
    assert.equal(u.userName, 'test.user@okta.local');
  });

  it('Okta R1, R3/R5, R4/R12, R11: SPEC suite checks', async () => {
    const r1 = assertList(
      await send('GET', '/Users?count=1&startIndex=1'),
      (await send('GET', '/Users?count=0')).body.totalResults,
    );
    assert.equal(r1.length, 1);
    assert.ok(r1[0].name.familyName && r1[0].name.givenName && r1[0].emails[0].value);
    assert.equal(r1[0].active, true);
    for (const f of ['userName eq "nobody@okta.local"', 'id eq "00000000-0000-0000-0000-000000000000"'])
      assertList(await send('GET', `/Users?filter=${q(f)}&startIndex=1&count=100`), 0);
    assertError(await send('GET', '/Users/010101001010101010101'), 404);
    assertError(await send('GET', '/Users/00000000-0000-0000-0000-000000000000'), 404);
    const r11 = await send('GET', '/Users?count=1', undefined, { authorization: 'Bearer rc_invalid' });
    assertError(r11, 401);
    // Okta cannot parse non-JSON errors ("Unrecognized token 'User'"): even a broken body gets a SCIM Error.
    assertError(await send('POST', '/Users', '{"userName": "broken@okta.local",'), 400);
  });

  it('Okta profile push: GET then PUT the full object; active is kept; an AIW PUT active:false suspends', async () => {
    const found = assertList(
      await send('GET', `/Users?filter=${q('userName eq "test.user@okta.local"')}`),
      1,
    );
    const id = found[0].id;
    const current = await send('GET', `/Users/${id}`);
    const put = await send('PUT', `/Users/${id}`, {
      ...current.body,
      name: { givenName: 'Tested', familyName: 'User' },
    });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.name.givenName, 'Tested');
    assert.equal(put.body.active, true, 'Delinea: active:true must survive a PUT');
    // Rollcall's choice: a PUT that leaves `active` out keeps the current value (not a deactivation).
    const { active: _omit, ...withoutActive } = put.body;
    const kept = await send('PUT', `/Users/${id}`, withoutActive);
    assert.equal(kept.status, 200);
    assert.equal(kept.body.active, true);
    const off = await send('PUT', `/Users/${id}`, { ...kept.body, active: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.active, false);
    const on = await send('PUT', `/Users/${id}`, { ...off.body, active: true });
    assert.equal(on.body.active, true);
    assert.ok((await okta.events('user.suspended')).some((e) => e.resource_id === id));
    assert.ok((await okta.events('user.reactivated')).some((e) => e.resource_id === id));
  });

  it('#15 Okta: pathless replace {active:false} deactivates, {active:true} reactivates', async () => {
    const id = assertCreated(await send('POST', '/Users', oktaUser('deact@okta.local', 'ext-deact')), 'User');
    const off = await send('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
    assertPatched(off);
    assert.equal((await send('GET', `/Users/${id}`)).body.active, false);
    const on = await send('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }));
    assertPatched(on);
    const got = await send('GET', `/Users/${id}`);
    assert.equal(got.body.active, true);
    assert.equal(got.body.name.givenName, 'Test', 'the rest of the profile is untouched');
    const events = (await okta.events('user.suspended')).concat(await okta.events('user.reactivated'));
    assert.equal(events.filter((e) => e.resource_id === id).length, 2);
    assert.ok(events.every((e) => e.user_agent === OKTA.userAgent));
  });

  it('Okta Import: startIndex=1, 101, … pages are stable, complete and integer', async () => {
    await seedUsers(okta, 230, 'import');
    const total = (await send('GET', '/Users?startIndex=1&count=0')).body.totalResults;
    assert.ok(total >= 230, String(total));
    const walk = async () => {
      const ids: string[] = [];
      for (let start = 1; start <= total; start += 100) {
        const page = assertList(await send('GET', `/Users?startIndex=${start}&count=100`), total);
        assert.equal(page.length, Math.min(100, total - start + 1));
        ids.push(...page.map((u) => u.id));
      }
      return ids;
    };
    const first = await walk();
    assert.equal(new Set(first).size, total);
    assert.deepEqual(await walk(), first, 'the order is stable');
  });

  it('#35 Okta: startIndex=101&count=100 with 2 users → itemsPerPage 0, totalResults 2', async () => {
    const { token } = await okta.s.addWorkspace('okta-two');
    const auth = { authorization: `Bearer ${token}` };
    for (const u of ['a@two.test', 'b@two.test'])
      assertCreated(await send('POST', '/Users', oktaUser(u, u), auth), 'User');
    const res = await send('GET', '/Users?startIndex=101&count=100', undefined, auth);
    assertList(res, 2);
    assert.equal(res.body.itemsPerPage, 0);
    assert.equal(res.body.startIndex, 101);
  });

  it('#36 Okta: count=0 gives only totalResults; startIndex=0 and lowercase startindex read as 1', async () => {
    const all = (await send('GET', '/Users?startIndex=1&count=1000')).body;
    const zero = await send('GET', '/Users?count=0');
    assert.deepEqual(assertList(zero, all.totalResults), []);
    for (const path of [
      '/Users?startIndex=0&count=3',
      '/Users?startindex=0&count=3',
      '/Users?startindex=1&count=3',
    ]) {
      const res = await send('GET', path);
      const page = assertList(res, all.totalResults);
      assert.equal(res.body.startIndex, 1);
      assert.deepEqual(
        page.map((u) => u.id),
        all.Resources.slice(0, 3).map((u: { id: string }) => u.id),
      );
    }
  });

  /** A workspace of 10k users and a deleter that removes users at fixed pseudo-random positions. */
  const walkFixture = async (slug: string) => {
    const { workspace, token } = await okta.s.addWorkspace(slug);
    const auth = { authorization: `Bearer ${token}` };
    const ids = await seedUsers(okta, 10_000, 'walk', workspace.id);
    const deleted = new Set<string>();
    let seed = 7;
    const deleteSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        seed = (seed * 48271) % 2147483647; // Park–Miller: the same sequence on every run
        const id = ids[seed % ids.length] as string;
        if (deleted.has(id)) continue;
        deleted.add(id);
        assert.equal((await send('DELETE', `/Users/${id}`, undefined, auth)).status, 204);
      }
    };
    const missed = (seen: Set<string>) => ids.filter((id) => !deleted.has(id) && !seen.has(id));
    return { auth, deleteSome, missed };
  };

  it('#37 Okta: a 10k-user index walk (by immutable id) with concurrent deletes skips no live user', async () => {
    const { auth, deleteSome, missed } = await walkFixture('okta-index-walk');
    // A client that pages on until an empty page (more lenient than stopping at totalResults).
    const seen = new Set<string>();
    for (let start = 1; ; start += 100) {
      const res = await send('GET', `/Users?startIndex=${start}&count=100`, undefined, auth);
      assert.equal(res.status, 200);
      if (res.body.Resources.length === 0) break;
      for (const u of res.body.Resources) seen.add(u.id);
      await deleteSome(3);
    }
    const skipped = missed(seen);
    assert.deepEqual(skipped.slice(0, 3), [], `${skipped.length} live users were skipped by the index walk`);
  });

  it('#37 Okta: a 10k-user cursor walk (RFC 9865) with concurrent deletes visits every live user once', async () => {
    const { auth, deleteSome, missed } = await walkFixture('okta-cursor-walk');
    const visits: string[] = [];
    let cursor: string | undefined = '';
    while (cursor !== undefined) {
      const res = await send('GET', `/Users?cursor=${encodeURIComponent(cursor)}&count=100`, undefined, auth);
      assert.equal(res.status, 200, res.text);
      visits.push(...res.body.Resources.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
      await deleteSome(3);
    }
    const seen = new Set(visits);
    assert.equal(seen.size, visits.length, 'no user twice');
    assert.equal(missed(seen).length, 0, 'no live user missed');
  });

  it('#39 Okta: an unknown filter attribute is 400 invalidFilter; a non-indexed one (title co) really filters', async () => {
    assertError(await send('GET', `/Users?filter=${q('favouriteColour eq "blue"')}`), 400, 'invalidFilter');
    assertError(await send('GET', `/Users?filter=${q('active gt true')}`), 400, 'invalidFilter');
    assertCreated(
      await send('POST', '/Users', { ...oktaUser('titled@okta.local', 'ext-t'), title: 'Staff Engineer' }),
      'User',
    );
    const [u] = assertList(await send('GET', `/Users?filter=${q('title co "engineer"')}`), 1);
    assert.equal(u.userName, 'titled@okta.local');
  });
});
