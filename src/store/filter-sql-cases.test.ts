import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CompiledQuery } from 'kysely';
import { createTestDatabase, engines } from '../../test/helpers/engines.js';
import { ScimError } from '../scim/errors.js';
import type { FilterNode } from '../scim/filter/ast.js';
import { matchesFilter } from '../scim/filter/evaluate.js';
import { parseFilter } from '../scim/filter/parse.js';
import { printFilter } from '../scim/filter/print.js';
import { defaultGroupContext, defaultUserContext } from '../scim/resource-types.js';
import { ENTERPRISE_USER } from '../scim/schema-model.js';
import { openStore, type Store } from './db.js';
import { compileFilter } from './filter-sql.js';
import { migrateToLatest } from './migrate.js';

const NOW = '2024-01-01T00:00:00.000Z';

async function openAll(): Promise<{ stores: Store[]; close: () => Promise<void> }> {
  const opened = await Promise.all(
    engines.map(async (engine) => {
      const database = await createTestDatabase(engine);
      const store = openStore(database.url, { poolSize: 2 });
      await migrateToLatest(store.db as never);
      return { store, drop: database.drop };
    }),
  );
  return {
    stores: opened.map((o) => o.store),
    close: async () => {
      for (const o of opened) {
        await o.store.close();
        await o.drop();
      }
    },
  };
}

async function selectIds(store: Store, table: 'users' | 'groups', node: FilterNode): Promise<string[]> {
  const ctx = table === 'users' ? defaultUserContext : defaultGroupContext;
  const where = compileFilter(node, { engine: store.engine, ctx, table, alias: 'r', workspaceId: 'w1' });
  const q =
    table === 'users'
      ? store.db.selectFrom('users as r').select('r.id').where('r.workspace_id', '=', 'w1')
      : store.db.selectFrom('groups as r').select('r.id').where('r.workspace_id', '=', 'w1');
  const rows = await q.where(where).execute();
  return rows.map((r) => r.id).sort();
}

// Fixed users, rendered as the evaluator sees them; rows derive from them below.
const USERS: Record<string, unknown>[] = [
  {
    id: 'u1',
    externalId: 'Ext-1',
    userName: 'Test_User_00aa00aa@x.com',
    displayName: '50% off',
    title: '',
    active: true,
    emails: [
      { value: 'a@b.c', type: 'Work', primary: true },
      { value: 'home@b.c', type: 'home' },
    ],
    [ENTERPRISE_USER]: { employeeNumber: 'A*1', manager: { value: 'Mgr' } },
    meta: { created: '2021-09-23T19:35:41.842Z', lastModified: '2021-09-23T19:35:41.842Z' },
  },
  {
    id: 'u2',
    externalId: 'ext-1',
    userName: 'second@x.com',
    displayName: '50 off',
    active: false,
    emails: [{ value: 'A@B.C', type: 'home' }, { type: 'work' }],
    phoneNumbers: [{ value: '555_0100', type: 'work' }],
    [ENTERPRISE_USER]: { employeeNumber: 'a*1x' },
    meta: { created: '0001-01-03T00:00:00.000Z', lastModified: '2021-09-23T19:35:41.843Z' },
  },
  {
    id: 'u3',
    userName: 'third@x.com',
    active: true,
    title: 'Boss',
    emails: [{ value: 'third@x.com', primary: false }],
    meta: { created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-01T00:00:00.000Z' },
  },
];

// Each case also runs through the evaluator: the expectation documents the shared meaning.
const CASES: [string, string[]][] = [
  ['userName eq "TEST_USER_00AA00AA@X.COM"', ['u1']],
  ['ActiVe eq true', ['u1', 'u3']],
  ['active eq "False"', ['u2']],
  ['externalId eq "ext-1"', ['u2']],
  // caseExact: SQLite must not use its case-insensitive LIKE here.
  ['externalId sw "E"', ['u1']],
  ['externalId co "*"', []],
  ['externalId co "t-"', ['u1', 'u2']],
  ['externalId ne "ext-1"', ['u1', 'u3']],
  ['displayName co "%"', ['u1']],
  ['displayName sw "50 "', ['u2']],
  ['phoneNumbers.value co "_"', ['u2']],
  ['phoneNumbers.value co "5_5"', []],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber sw "a*"', ['u1', 'u2']],
  ['employeeNumber co "*1x"', ['u2']],
  ['employeeNumber eq "a*1"', ['u1']],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "mgr"', []],
  ['title pr', ['u3']],
  ['title ne "boss"', ['u1', 'u2']],
  ['not (title eq "boss")', ['u1', 'u2']],
  ['title eq null', ['u1', 'u2']],
  ['emails eq "a@b.c"', ['u1', 'u2']],
  ['emails[type eq "work"].value eq "A@b.c"', ['u1']],
  ['emails[type eq "work"].value pr', ['u1']],
  ['emails[type eq "work"]', ['u1', 'u2']],
  ['emails[type eq "work" and not (value pr)]', ['u2']],
  ['emails[primary eq "True"]', ['u1']],
  ['emails[primary eq false]', ['u3']],
  ['emails[value ew ".c" and primary ne true]', ['u1', 'u2']],
  ['emails.type ne "home"', ['u3']],
  ['meta.created ge "0001-01-03T00:00:00.0000000Z"', ['u1', 'u2', 'u3']],
  ['meta.lastModified le "2021-09-23T19:35:41.8420572Z"', ['u1']],
  ['meta.lastModified ge "2021-09-23T19:35:41.8420572Z"', ['u2', 'u3']],
  ['meta.lastModified eq "2021-09-23T19:35:41.8420572Z"', []],
  ['meta.lastModified eq "2021-09-23T21:35:41.843+02:00"', ['u2']],
  ['meta.lastModified gt "9999-12-31T23:59:59Z"', []],
  ['meta[lastModified lt "2022-01-01"]', ['u1', 'u2']],
  [
    'active eq true and (meta.lastModified ge "0001-01-03T00:00:00.0000000Z" and meta.lastModified le "2021-09-23T19:35:41.8420572Z")',
    ['u1'],
  ],
];

describe('compileFilter on fixed data, on every engine', () => {
  let all: Awaited<ReturnType<typeof openAll>>;
  before(async () => {
    all = await openAll();
    for (const store of all.stores) {
      for (const u of USERS) {
        const { id, externalId, meta, ...document } = u as {
          id: string;
          externalId?: string;
          meta: Record<string, string>;
        };
        const d = document as {
          userName: string;
          displayName?: string;
          active: boolean;
          emails?: Record<string, unknown>[];
        };
        await store.db
          .insertInto('users')
          .values({
            workspace_id: 'w1',
            id,
            user_name: d.userName,
            user_name_norm: d.userName.toLowerCase(),
            external_id: externalId ?? null,
            display_name: d.displayName ?? null,
            display_name_norm: d.displayName?.toLowerCase() ?? null,
            active: d.active ? 1 : 0,
            role: null,
            data: JSON.stringify(document),
            version: 1,
            created_at: meta.created as string,
            updated_at: meta.lastModified as string,
          })
          .execute();
        for (const e of d.emails ?? []) {
          if (typeof e.value !== 'string' || e.value === '') continue;
          await store.db
            .insertInto('user_values')
            .values({
              workspace_id: 'w1',
              resource_id: id,
              attribute: 'emails',
              type: (e.type as string | undefined) ?? null,
              value_norm: e.value.toLowerCase(),
              is_primary: e.primary === true ? 1 : 0,
            })
            .execute();
        }
      }
    }
  });
  after(() => all.close());

  for (const [text, expected] of CASES) {
    it(`${text} → [${expected.join(', ')}]`, async () => {
      const node = parseFilter(text);
      const evaluated = USERS.filter((u) => matchesFilter(u, node, defaultUserContext)).map((u) => u.id);
      assert.deepStrictEqual(evaluated, expected, 'evaluator');
      for (const store of all.stores)
        assert.deepStrictEqual(await selectIds(store, 'users', node), expected, store.engine);
    });
  }

  it('answers emails[type eq "work"].value eq x from the values index on SQLite', async () => {
    const store = all.stores.find((s) => s.engine === 'sqlite')!;
    const where = compileFilter(parseFilter('emails[type eq "work"].value eq "A@B.C"'), {
      engine: 'sqlite',
      ctx: defaultUserContext,
      table: 'users',
      alias: 'u',
      workspaceId: 'w1',
    });
    const query = store.db
      .selectFrom('users as u')
      .select('u.id')
      .where('u.workspace_id', '=', 'w1')
      .where(where)
      .compile();
    const plan = await store.db.executeQuery(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
    );
    assert.ok(query.parameters.includes('a@b.c'));
    assert.match(JSON.stringify(plan.rows), /user_values_value/);
  });
});

describe('compileFilter on groups and members agrees with the evaluator', () => {
  let all: Awaited<ReturnType<typeof openAll>>;
  before(async () => {
    all = await openAll();
  });
  after(() => all.close());

  it('on random memberships', async () => {
    const members = ['u1', 'u2', 'U3', 'g9'];
    const groups = fc.array(
      fc.record({ displayName: fc.constantFrom('Admins', 'staff', 'a_b'), members: fc.subarray(members) }),
      { minLength: 1, maxLength: 6 },
    );
    const filter = fc.oneof(
      fc.constantFrom(...members, 'u3', 'x').map((v) => `members[value eq ${JSON.stringify(v)}]`),
      fc.constantFrom(...members, 'u3').map((v) => `members.value ne ${JSON.stringify(v)} and members pr`),
      fc.constantFrom('user', 'Group').map((t) => `members[type eq "${t}" and value sw "u"]`),
      fc.constantFrom(...members).map((v) => `members eq "${v}" or displayName co "A"`),
      fc.constantFrom('not (members pr)', 'members.type co "rou"', 'members[not (type eq "User")]'),
    );
    await fc.assert(
      fc.asyncProperty(groups, fc.array(filter, { minLength: 5, maxLength: 5 }), async (raw, filters) => {
        const resources = raw.map((g, i) => ({
          id: `g${i}`,
          displayName: `${g.displayName}#${i}`,
          ...(g.members.length > 0
            ? { members: g.members.map((m) => ({ value: m, type: m.startsWith('g') ? 'Group' : 'User' })) }
            : {}),
        }));
        for (const store of all.stores) {
          await store.db.deleteFrom('group_members').execute();
          await store.db.deleteFrom('groups').execute();
          await store.db
            .insertInto('groups')
            .values(
              resources.map((g) => ({
                workspace_id: 'w1',
                id: g.id,
                display_name: g.displayName,
                display_name_norm: g.displayName.toLowerCase(),
                external_id: null,
                role: null,
                data: JSON.stringify({ displayName: g.displayName }),
                version: 1,
                created_at: NOW,
                updated_at: NOW,
              })),
            )
            .execute();
          const rows = resources.flatMap((g) =>
            (g.members ?? []).map((m) => ({
              workspace_id: 'w1',
              group_id: g.id,
              member_id: m.value,
              member_type: m.type,
              created_at: NOW,
            })),
          );
          // The same group id in another workspace: its memberships must not count.
          rows.push({
            workspace_id: 'w2',
            group_id: 'g0',
            member_id: 'x',
            member_type: 'User',
            created_at: NOW,
          });
          await store.db.insertInto('group_members').values(rows).execute();
        }
        for (const text of filters) {
          const node = parseFilter(text);
          const expected = resources
            .filter((g) => matchesFilter(g, node, defaultGroupContext))
            .map((g) => g.id);
          for (const store of all.stores) {
            assert.deepStrictEqual(
              await selectIds(store, 'groups', node),
              expected.sort(),
              `${store.engine}: ${printFilter(node)}`,
            );
          }
        }
      }),
      { numRuns: 15, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: true },
    );
  });
});

describe('compileFilter errors', () => {
  const opts = {
    engine: 'sqlite' as const,
    ctx: defaultUserContext,
    table: 'users' as const,
    alias: 'u',
    workspaceId: 'w1',
  };
  const cases: [string, RegExp][] = [
    ['meta.location eq "x"', /^"meta\.location" cannot be used in a filter on this resource type\.$/],
    ['meta pr', /"meta" cannot be used in a filter/],
    ['groups.value eq "g1"', /"groups\.value" cannot be used in a filter/],
    ['nope pr', /Unknown attribute "nope"/],
    ['active gt true', /cannot be used with "active"/],
  ];
  for (const [text, detail] of cases) {
    it(text, () => {
      assert.throws(
        () => compileFilter(parseFilter(text), opts),
        (e: unknown) => e instanceof ScimError && e.scimType === 'invalidFilter' && detail.test(e.detail),
      );
    });
  }

  it('members.display is not stored, so it cannot be searched', () => {
    assert.throws(
      () =>
        compileFilter(parseFilter('members[display eq "x"]'), {
          ...opts,
          ctx: defaultGroupContext,
          table: 'groups',
        }),
      /"members\.display" cannot be used in a filter/,
    );
  });

  it('binds every value as a parameter', async () => {
    const evil = `x'); DROP TABLE users; --`;
    const text = `title eq ${JSON.stringify(evil)} or emails[value co ${JSON.stringify(evil)}] or employeeNumber sw ${JSON.stringify(evil)}`;
    const store = openStore('sqlite::memory:');
    try {
      for (const engine of engines) {
        const compiled = compileFilter(parseFilter(text), { ...opts, engine }).compile(store.db);
        assert.ok(!compiled.sql.toLowerCase().includes('drop'));
        assert.equal(
          compiled.parameters.filter((p) => String(p).toLowerCase().includes('drop table')).length,
          3,
        );
      }
    } finally {
      await store.close();
    }
  });
});
