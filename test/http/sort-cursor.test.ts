import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

// userName, familyName (absent for some), employee number
const PEOPLE: [string, string | null, string][] = [
  ['delta@x.test', 'Zed', 'E04'],
  ['Alpha@x.test', 'young', 'E09'],
  ['charlie@x.test', null, 'E01'],
  ['bravo@x.test', 'Xu', 'E07'],
  ['echo@x.test', 'adams', 'E03'],
  ['foxtrot@x.test', null, 'E02'],
  ['golf@x.test', 'Adams', 'E08'],
  ['hotel@x.test', 'baker', 'E05'],
];

async function walk(s: TestServer, query: string, count: number): Promise<{ ids: string[]; pages: any[] }> {
  const ids: string[] = [];
  const pages: any[] = [];
  let cursor = '';
  for (let i = 0; i < 100; i++) {
    const res = await s.scim('GET', `/Users?${query}&count=${count}&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(res.status, 200, res.text);
    pages.push(res.body);
    ids.push(...res.body.Resources.map((r: any) => r.id));
    if (!res.body.nextCursor) return { ids, pages };
    cursor = res.body.nextCursor;
  }
  throw new Error('cursor walk did not end');
}

describeEngines('SCIM sorting and cursor pagination', (engine) => {
  let s: TestServer;
  const byName = new Map<string, string>();
  before(async () => {
    s = await startTestServer(engine);
    for (const [userName, family, employeeNumber] of PEOPLE) {
      const body: Record<string, unknown> = {
        schemas: [CORE, ENTERPRISE],
        userName,
        displayName: userName.split('@')[0],
        [ENTERPRISE]: { employeeNumber },
      };
      if (family) body.name = { familyName: family };
      const res = await s.scim('POST', '/Users', body);
      assert.equal(res.status, 201, res.text);
      byName.set(userName.toLowerCase(), res.body.id);
    }
  });
  after(async () => {
    await s.close();
  });

  const names = (body: any) => body.Resources.map((r: any) => r.userName.toLowerCase());

  it('sorts by userName case-insensitively, both directions', async () => {
    const asc = await s.scim('GET', '/Users?sortBy=userName');
    assert.equal(asc.status, 200);
    const expected = PEOPLE.map((p) => p[0].toLowerCase()).sort();
    assert.deepEqual(names(asc.body), expected);
    const desc = await s.scim('GET', '/Users?sortBy=UserName&sortOrder=descending');
    assert.deepEqual(names(desc.body), [...expected].reverse());
  });

  it('sorts by a JSON attribute with absent values last, ties broken by id', async () => {
    const res = await s.scim('GET', '/Users?sortBy=name.familyName');
    assert.equal(res.status, 200);
    const families = res.body.Resources.map((r: any) => r.name?.familyName?.toLowerCase() ?? null);
    assert.deepEqual(families, ['adams', 'adams', 'baker', 'xu', 'young', 'zed', null, null]);
    const adams = res.body.Resources.slice(0, 2).map((r: any) => r.id);
    assert.deepEqual(adams, [...adams].sort());
    const desc = await s.scim('GET', '/Users?sortBy=name.familyName&sortOrder=descending');
    const familiesDesc = desc.body.Resources.map((r: any) => r.name?.familyName?.toLowerCase() ?? null);
    assert.deepEqual(familiesDesc, ['zed', 'young', 'xu', 'baker', 'adams', 'adams', null, null]);
  });

  it('sorts by extension attributes, meta dates, id, externalId and displayName', async () => {
    const ext = await s.scim('GET', `/Users?sortBy=${encodeURIComponent(`${ENTERPRISE}:employeeNumber`)}`);
    assert.equal(ext.status, 200, ext.text);
    assert.deepEqual(
      ext.body.Resources.map((r: any) => r[ENTERPRISE].employeeNumber),
      ['E01', 'E02', 'E03', 'E04', 'E05', 'E07', 'E08', 'E09'],
    );
    const created = await s.scim('GET', '/Users?sortBy=meta.created&sortOrder=descending');
    assert.equal(created.status, 200);
    const stamps = created.body.Resources.map((r: any) => r.meta.created);
    assert.deepEqual(stamps, [...stamps].sort().reverse());
    for (const attr of ['id', 'externalId', 'displayName', 'meta.lastModified', 'active']) {
      const res = await s.scim('GET', `/Users?sortBy=${attr}`);
      assert.equal(res.status, 200, `${attr}: ${res.text}`);
      assert.equal(res.body.Resources.length, PEOPLE.length);
    }
    const ids = await s.scim('GET', '/Users?sortBy=id&sortOrder=descending');
    const list = ids.body.Resources.map((r: any) => r.id);
    assert.deepEqual(list, [...list].sort().reverse());
  });

  it('refuses attributes that cannot be sorted with 400 invalidValue', async () => {
    for (const attr of [
      'emails',
      'emails.value',
      'groups',
      'name',
      'nope',
      'emails[type eq "work"]',
      'meta.location',
    ]) {
      const res = await s.scim('GET', `/Users?sortBy=${encodeURIComponent(attr)}`);
      assert.equal(res.status, 400, attr);
      assert.equal(res.body.scimType, 'invalidValue', attr);
    }
    const order = await s.scim('GET', '/Users?sortBy=userName&sortOrder=sideways');
    assert.equal(order.status, 400);
  });

  it('pages a sorted list by startIndex (OFFSET)', async () => {
    const all = names((await s.scim('GET', '/Users?sortBy=userName')).body);
    const p2 = await s.scim('GET', '/Users?sortBy=userName&startIndex=4&count=3');
    assert.equal(p2.body.startIndex, 4);
    assert.equal(p2.body.totalResults, PEOPLE.length);
    assert.deepEqual(names(p2.body), all.slice(3, 6));
  });

  it('walks every user exactly once with cursors, in id order and sorted', async () => {
    const all = (await s.scim('GET', '/Users')).body.Resources.map((r: any) => r.id);
    const plain = await walk(s, 'x=1', 3);
    assert.deepEqual(plain.ids, all);
    assert.equal(plain.pages[0].previousCursor, undefined);
    assert.equal(plain.pages[0].startIndex, undefined);
    assert.equal(plain.pages[0].totalResults, PEOPLE.length);
    assert.equal(plain.pages.at(-1).nextCursor, undefined);
    for (const query of [
      'sortBy=name.familyName',
      'sortBy=userName&sortOrder=descending',
      'sortBy=name.familyName&sortOrder=descending',
    ]) {
      const full = (await s.scim('GET', `/Users?${query}`)).body.Resources.map((r: any) => r.id);
      for (const count of [1, 2, 3, 8, 20]) {
        const w = await walk(s, query, count);
        assert.deepEqual(w.ids, full, `${query} count=${count}`);
      }
    }
  });

  it('goes back with previousCursor to the same page', async () => {
    const query = 'sortBy=name.familyName';
    const p1 = await s.scim('GET', `/Users?${query}&count=3&cursor=`);
    const p2 = await s.scim(
      'GET',
      `/Users?${query}&count=3&cursor=${encodeURIComponent(p1.body.nextCursor)}`,
    );
    const p3 = await s.scim(
      'GET',
      `/Users?${query}&count=3&cursor=${encodeURIComponent(p2.body.nextCursor)}`,
    );
    assert.equal(p3.body.nextCursor, undefined);
    assert.ok(p3.body.previousCursor);
    const back2 = await s.scim(
      'GET',
      `/Users?${query}&count=3&cursor=${encodeURIComponent(p3.body.previousCursor)}`,
    );
    assert.deepEqual(
      back2.body.Resources.map((r: any) => r.id),
      p2.body.Resources.map((r: any) => r.id),
    );
    const back1 = await s.scim(
      'GET',
      `/Users?${query}&count=3&cursor=${encodeURIComponent(back2.body.previousCursor)}`,
    );
    assert.deepEqual(
      back1.body.Resources.map((r: any) => r.id),
      p1.body.Resources.map((r: any) => r.id),
    );
    assert.equal(back1.body.previousCursor, undefined);
    assert.ok(back1.body.nextCursor);
  });

  it('answers RFC 9865 errors: invalidCursor and invalidCount', async () => {
    const p1 = await s.scim('GET', '/Users?count=2&cursor=');
    const good = p1.body.nextCursor as string;
    const tampered = `${good.slice(0, 3)}${good[3] === 'A' ? 'B' : 'A'}${good.slice(4)}`;
    for (const cursor of ['garbage', tampered, `${good}x`, 'a.b', '.', 'x'.repeat(5000)]) {
      const res = await s.scim('GET', `/Users?count=2&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.status, 400, cursor);
      assert.equal(res.body.scimType, 'invalidCursor', cursor);
    }
    const otherSort = await s.scim(
      'GET',
      `/Users?count=2&sortBy=userName&cursor=${encodeURIComponent(good)}`,
    );
    assert.equal(otherSort.body.scimType, 'invalidCursor');
    const negative = await s.scim('GET', '/Users?count=-1&cursor=');
    assert.equal(negative.status, 400);
    assert.equal(negative.body.scimType, 'invalidCount');
  });

  it('takes cursor, sortBy and sortOrder in a .search body', async () => {
    const res = await s.scim('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      sortBy: 'userName',
      sortOrder: 'descending',
      count: 2,
      cursor: '',
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(names(res.body), ['hotel@x.test', 'golf@x.test']);
    assert.ok(res.body.nextCursor);
  });

  it('never skips a live user while others are deleted during a cursor walk', async () => {
    const extra: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await s.scim('POST', '/Users', {
        schemas: [CORE],
        userName: `walk${String(i).padStart(2, '0')}@y.test`,
      });
      extra.push(res.body.id);
    }
    for (const query of ['x=1', 'sortBy=userName', 'sortBy=name.familyName&sortOrder=descending']) {
      const seen = new Set<string>();
      const deleted = new Set<string>();
      let cursor = '';
      let page = 0;
      for (;;) {
        const res = await s.scim('GET', `/Users?${query}&count=4&cursor=${encodeURIComponent(cursor)}`);
        assert.equal(res.status, 200, res.text);
        for (const r of res.body.Resources) {
          assert.ok(!seen.has(r.id), `${query}: ${r.id} repeated`);
          seen.add(r.id);
        }
        // Between pages, delete one user already seen and one not yet seen (the row a cursor points at included).
        const remaining = extra.filter((id) => !deleted.has(id));
        const victimSeen = remaining.find((id) => seen.has(id));
        const victimAhead = remaining.find((id) => !seen.has(id));
        const last = res.body.Resources.at(-1)?.id;
        for (const victim of [victimSeen, page % 3 === 0 ? last : victimAhead]) {
          if (!victim || deleted.has(victim) || !extra.includes(victim)) continue;
          const del = await s.scim('DELETE', `/Users/${victim}`);
          assert.equal(del.status, 204);
          deleted.add(victim);
        }
        page++;
        if (!res.body.nextCursor) break;
        cursor = res.body.nextCursor;
      }
      const live = (await s.scim('GET', '/Users?count=1000')).body.Resources.map((r: any) => r.id);
      for (const id of live) assert.ok(seen.has(id), `${query}: live user ${id} skipped`);
      // Recreate the deleted ones so the next walk has victims again.
      for (const id of deleted) extra.splice(extra.indexOf(id), 1);
      for (let i = 0; i < deleted.size; i++) {
        const res = await s.scim('POST', '/Users', {
          schemas: [CORE],
          userName: `walk-${query.length}-${i}@z.test`,
        });
        extra.push(res.body.id);
      }
    }
  });

  it('sorts and walks /Groups with the same helpers', async () => {
    const names = ['Sales', 'admins', 'Engineering', 'design', 'Ops'];
    for (const displayName of names) {
      const res = await s.scim('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName,
      });
      assert.equal(res.status, 201, res.text);
    }
    const sorted = await s.scim(
      'GET',
      '/Groups?sortBy=displayName&sortOrder=descending&excludedAttributes=members',
    );
    assert.equal(sorted.status, 200, sorted.text);
    const expected = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).reverse();
    assert.deepEqual(
      sorted.body.Resources.map((g: any) => g.displayName),
      expected,
    );
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const res = await s.scim(
        'GET',
        `/Groups?sortBy=displayName&count=2&cursor=${encodeURIComponent(cursor)}`,
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.startIndex, undefined);
      seen.push(...res.body.Resources.map((g: any) => g.displayName));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    assert.deepEqual(seen, [...expected].reverse());
    const bad = await s.scim('GET', '/Groups?sortBy=members');
    assert.equal(bad.status, 400);
    const garbage = await s.scim('GET', '/Groups?cursor=zzz');
    assert.equal(garbage.body.scimType, 'invalidCursor');
  });
});
