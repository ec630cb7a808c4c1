import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import fc from 'fast-check';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { ScimError } from '../scim/errors.js';
import type { AttrPath, CompareOp, FilterLiteral, FilterNode } from '../scim/filter/ast.js';
import { matchesFilter } from '../scim/filter/evaluate.js';
import { parseFilter } from '../scim/filter/parse.js';
import { printFilter } from '../scim/filter/print.js';
import { defaultGroupContext, defaultUserContext } from '../scim/resource-types.js';
import { CORE_USER, ENTERPRISE_USER } from '../scim/schema-model.js';
import type { Engine } from './db.js';
import { compileFilter } from './filter-sql.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './tables.js';

// ---- databases -------------------------------------------------------------------------------

interface Handle {
  engine: Engine;
  db: Kysely<Database>;
  close(): Promise<void>;
}

const PG_URL = process.env.ROLLCALL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function openSqlite(): Promise<Handle> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  await migrateToLatest(db as Kysely<unknown>);
  return { engine: 'sqlite', db, close: () => db.destroy() };
}

/** A throwaway PostgreSQL database, dropped on close; undefined when no server answers. */
async function openPostgres(): Promise<Handle | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `rollcall_filter_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }),
  });
  await migrateToLatest(db as Kysely<unknown>);
  return {
    engine: 'postgres',
    db,
    close: async () => {
      await db.destroy();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}

// ---- data ------------------------------------------------------------------------------------

interface TestUser {
  id: string;
  externalId: string | null;
  document: Record<string, unknown>;
  created: string;
  updated: string;
}

const WORDS = [
  'alice',
  'Alice',
  'ALICE',
  'bob',
  'Bob Smith',
  'a_b',
  'a%b',
  'a\\b',
  'x*y',
  '[z]?',
  '',
  'work',
  'Zed',
  '0',
  "O'Brien",
];
const word = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string({ unit: fc.constantFrom(..."aAbZz_%\\*?[]. -0'"), maxLength: 5 }),
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const INSTANTS = [
  '2001-02-03T04:05:06.789Z',
  '2021-09-23T19:35:41.842Z',
  '2021-09-23T19:35:41.843Z',
  '2030-01-01T00:00:00.000Z',
];
const instant = fc.oneof(
  fc.constantFrom(...INSTANTS),
  fc
    .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2031, 0, 1) })
    .map((ms) => new Date(ms).toISOString()),
);
const emailType = fc.constantFrom('work', 'Work', 'home', 'other', '');

const email = fc.record({
  value: opt(fc.tuple(word, fc.constantFrom('@example.com', '@Example.ORG')).map(([a, b]) => a + b)),
  type: opt(emailType),
  primary: opt(fc.boolean()),
  display: opt(word),
});
const phone = fc.record({
  value: opt(fc.constantFrom('555-0100', '+1 555 0101', '0', '')),
  type: opt(emailType),
});

const testUser = fc.record({
  userName: word,
  displayName: opt(word),
  title: opt(word),
  name: opt(fc.record({ givenName: opt(word), familyName: opt(word) })),
  active: fc.boolean(),
  emails: opt(fc.array(email, { maxLength: 3 })),
  phoneNumbers: opt(fc.array(phone, { maxLength: 2 })),
  roles: opt(fc.array(fc.record({ value: word }), { maxLength: 2 })),
  enterprise: opt(
    fc.record({ employeeNumber: opt(word), department: opt(word), manager: opt(fc.record({ value: word })) }),
  ),
  externalId: fc.option(word, { nil: null }),
  created: instant,
  updated: instant,
});

/** Drops undefined members, as JSON storage does. */
function clean(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

type RawUser = typeof testUser extends fc.Arbitrary<infer U> ? U : never;

function toTestUsers(raw: RawUser[], prefix: string): TestUser[] {
  return raw.map((r, i) => {
    const { enterprise, externalId, created, updated, userName, ...rest } = r;
    const document = clean({
      ...rest,
      userName: `${userName}#${i}`,
      ...(enterprise ? { [ENTERPRISE_USER]: enterprise } : {}),
    });
    return {
      id: `${prefix}${i}`,
      externalId,
      document: document as Record<string, unknown>,
      created,
      updated,
    };
  });
}

function render(u: TestUser): Record<string, unknown> {
  return {
    schemas: [CORE_USER],
    id: u.id,
    ...(u.externalId === null ? {} : { externalId: u.externalId }),
    ...u.document,
    meta: { resourceType: 'User', created: u.created, lastModified: u.updated, version: 'W/"1"' },
  };
}

async function load(h: Handle, workspaceId: string, users: TestUser[]): Promise<void> {
  if (users.length === 0) return;
  const d = (u: TestUser) =>
    u.document as {
      userName: string;
      displayName?: string;
      active: boolean;
      emails?: Record<string, unknown>[];
    };
  await h.db
    .insertInto('users')
    .values(
      users.map((u) => ({
        workspace_id: workspaceId,
        id: u.id,
        user_name: d(u).userName,
        user_name_norm: d(u).userName.toLowerCase(),
        external_id: u.externalId,
        display_name: d(u).displayName ?? null,
        display_name_norm: d(u).displayName?.toLowerCase() ?? null,
        active: d(u).active ? 1 : 0,
        role: null,
        data: JSON.stringify(u.document),
        version: 1,
        created_at: u.created,
        updated_at: u.updated,
      })),
    )
    .execute();
  // The values-table contract: one row per element with a non-empty string value.
  const values = users.flatMap((u) =>
    (d(u).emails ?? [])
      .filter((e) => typeof e.value === 'string' && e.value !== '')
      .map((e) => ({
        workspace_id: workspaceId,
        resource_id: u.id,
        attribute: 'emails',
        type: typeof e.type === 'string' ? e.type : null,
        value_norm: (e.value as string).toLowerCase(),
        is_primary: e.primary === true ? 1 : 0,
      })),
  );
  if (values.length > 0) await h.db.insertInto('user_values').values(values).execute();
}

// ---- filters ---------------------------------------------------------------------------------

type Kind = 'string' | 'boolean' | 'dateTime';
interface Spec {
  path: AttrPath;
  kind: Kind;
}
const ENT = (attr: string, sub?: string): AttrPath => ({
  uri: ENTERPRISE_USER,
  attr,
  ...(sub ? { sub } : {}),
});
const P = (attr: string, sub?: string): AttrPath => ({ attr, ...(sub ? { sub } : {}) });

const RESOURCE_SPECS: Spec[] = [
  { path: P('userName'), kind: 'string' },
  { path: P('displayName'), kind: 'string' },
  { path: P('title'), kind: 'string' },
  { path: P('nickName'), kind: 'string' },
  { path: P('name', 'givenName'), kind: 'string' },
  { path: P('emails'), kind: 'string' },
  { path: P('emails', 'value'), kind: 'string' },
  { path: P('emails', 'type'), kind: 'string' },
  { path: P('emails', 'display'), kind: 'string' },
  { path: P('emails', 'primary'), kind: 'boolean' },
  { path: P('phoneNumbers', 'value'), kind: 'string' },
  { path: P('phoneNumbers', 'type'), kind: 'string' },
  { path: P('roles'), kind: 'string' },
  { path: ENT('employeeNumber'), kind: 'string' },
  { path: P('department'), kind: 'string' },
  { path: ENT('manager', 'value'), kind: 'string' },
  { path: P('externalId'), kind: 'string' },
  { path: P('id'), kind: 'string' },
  { path: P('active'), kind: 'boolean' },
  { path: P('meta', 'created'), kind: 'dateTime' },
  { path: P('meta', 'lastModified'), kind: 'dateTime' },
];
const PRESENT_ONLY: AttrPath[] = [
  P('emails'),
  P('phoneNumbers'),
  P('name'),
  P('roles'),
  P('addresses'),
  ENT('manager'),
];
const ELEMENT_SPECS: Record<string, { path: AttrPath; inner: Spec[] }> = {
  emails: {
    path: P('emails'),
    inner: [
      { path: P('value'), kind: 'string' },
      { path: P('type'), kind: 'string' },
      { path: P('display'), kind: 'string' },
      { path: P('primary'), kind: 'boolean' },
    ],
  },
  phoneNumbers: {
    path: P('phoneNumbers'),
    inner: [
      { path: P('value'), kind: 'string' },
      { path: P('type'), kind: 'string' },
    ],
  },
  name: {
    path: P('name'),
    inner: [
      { path: P('givenName'), kind: 'string' },
      { path: P('familyName'), kind: 'string' },
    ],
  },
  manager: { path: ENT('manager'), inner: [{ path: P('value'), kind: 'string' }] },
  meta: { path: P('meta'), inner: [{ path: P('lastModified'), kind: 'dateTime' }] },
};

const randomCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((flips) => [...s].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

function literalFor(kind: Kind, pool: string[]): fc.Arbitrary<FilterLiteral> {
  if (kind === 'boolean') return fc.constantFrom<FilterLiteral>(true, false, 'True', 'false');
  if (kind === 'dateTime') {
    const base = fc.constantFrom(...INSTANTS, ...pool.filter((t) => /^\d{4}-\d\d-\d\dT.*Z$/.test(t)));
    return fc.oneof(
      base,
      base.map((t) => t.replace('Z', '0572Z')),
      base.map((t) => t.replace('Z', '0000Z')),
      base.map((t) => new Date(Date.parse(t) + 1).toISOString()),
      base.map((t) => new Date(Date.parse(t) + 7_200_000).toISOString().replace('Z', '+02:00')),
    );
  }
  const from = fc.constantFrom(...WORDS, ...pool);
  return fc.oneof(
    from,
    from.chain(randomCase),
    fc
      .tuple(from, fc.nat(), fc.nat())
      .map(([s, a, b]) => s.slice(Math.min(a, b) % (s.length + 1), Math.max(a, b) % (s.length + 1))),
  );
}

const OPS: Record<Kind, CompareOp[]> = {
  string: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'],
  boolean: ['eq', 'ne'],
  dateTime: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
};

function leaf(spec: Spec, pool: string[]): fc.Arbitrary<FilterNode> {
  const path = fc
    .record({ attr: randomCase(spec.path.attr) })
    .chain(({ attr }) =>
      spec.path.sub
        ? randomCase(spec.path.sub).map((sub) => ({ ...spec.path, attr, sub }))
        : fc.constant({ ...spec.path, attr }),
    );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record(
        {
          kind: fc.constant('compare' as const),
          path,
          op: fc.constantFrom(...OPS[spec.kind]),
          value: literalFor(spec.kind, pool),
        },
        { noNullPrototype: true },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('present' as const), path }, { noNullPrototype: true }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          kind: fc.constant('compare' as const),
          path,
          op: fc.constantFrom<CompareOp>('eq', 'ne'),
          value: fc.constant(null),
        },
        { noNullPrototype: true },
      ),
    },
  );
}

function logic(leaves: fc.Arbitrary<FilterNode>, maxDepth: number): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ n: FilterNode }>((tie) => ({
    n: fc.oneof(
      { depthSize: 'small', maxDepth },
      leaves,
      fc.record(
        { kind: fc.constant('and' as const), left: tie('n'), right: tie('n') },
        { noNullPrototype: true },
      ),
      fc.record(
        { kind: fc.constant('or' as const), left: tie('n'), right: tie('n') },
        { noNullPrototype: true },
      ),
      fc.record({ kind: fc.constant('not' as const), filter: tie('n') }, { noNullPrototype: true }),
    ),
  })).n;
}

function filterFor(pool: string[]): fc.Arbitrary<FilterNode> {
  const valuePaths = Object.values(ELEMENT_SPECS).map(({ path, inner }) =>
    logic(fc.oneof(...inner.map((s) => leaf(s, pool))), 2).map(
      (filter): FilterNode => ({ kind: 'valuePath', path, filter }),
    ),
  );
  const leaves = fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...RESOURCE_SPECS.map((s) => leaf(s, pool))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...PRESENT_ONLY).map((path): FilterNode => ({ kind: 'present', path })),
    },
    { weight: 3, arbitrary: fc.oneof(...valuePaths) },
  );
  return logic(leaves, 3);
}

/** Strings occurring in the data, so that generated literals hit. */
function poolOf(users: TestUser[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.add(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  for (const u of users) walk(render(u));
  return [...out];
}

// ---- the properties --------------------------------------------------------------------------

async function selectIds(
  h: Handle,
  table: 'users' | 'groups',
  node: FilterNode,
  workspaceId: string,
): Promise<string[]> {
  const ctx = table === 'users' ? defaultUserContext : defaultGroupContext;
  const where = compileFilter(node, { engine: h.engine, ctx, table, alias: 'r', workspaceId });
  const rows =
    table === 'users'
      ? await h.db
          .selectFrom('users as r')
          .select('r.id')
          .where('r.workspace_id', '=', workspaceId)
          .where(where)
          .execute()
      : await h.db
          .selectFrom('groups as r')
          .select('r.id')
          .where('r.workspace_id', '=', workspaceId)
          .where(where)
          .execute();
  return rows.map((r) => r.id).sort();
}

function expectedIds(
  resources: Record<string, unknown>[],
  node: FilterNode,
  table: 'users' | 'groups',
): string[] {
  const ctx = table === 'users' ? defaultUserContext : defaultGroupContext;
  return resources
    .filter((r) => matchesFilter(r, node, ctx))
    .map((r) => r.id as string)
    .sort();
}

describe('compileFilter agrees with the in-memory evaluator', () => {
  const engines: Handle[] = [];
  before(async () => {
    engines.push(await openSqlite());
    const postgres = await openPostgres();
    if (postgres) engines.push(postgres);
    else console.warn(`filter-sql.test: no PostgreSQL at ${PG_URL}; only SQLite is checked`);
  });
  after(async () => {
    for (const h of engines) await h.close();
  });

  it('on random users and random filters, on every engine', async () => {
    const scenario = fc
      .tuple(fc.array(testUser, { minLength: 5, maxLength: 30 }), fc.array(testUser, { maxLength: 8 }))
      .map(([main, other]) => ({ users: toTestUsers(main, 'u'), others: toTestUsers(other, 'u') }))
      .chain((s) =>
        fc.record({
          s: fc.constant(s),
          filters: fc.array(filterFor(poolOf(s.users)), { minLength: 25, maxLength: 25 }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, filters }) => {
        for (const h of engines) {
          await h.db.deleteFrom('user_values').execute();
          await h.db.deleteFrom('users').execute();
          await load(h, 'w1', s.users);
          // Same ids, other data, in another workspace: no subquery may leak across workspaces.
          await load(h, 'w2', s.others);
        }
        const resources = s.users.map(render);
        for (const ast of filters) {
          // Through the text form too, so the parser and printer are part of the loop.
          const node = parseFilter(printFilter(ast));
          const expected = expectedIds(resources, node, 'users');
          for (const h of engines) {
            const actual = await selectIds(h, 'users', node, 'w1');
            assert.deepStrictEqual(actual, expected, `${h.engine}: ${printFilter(node)}`);
          }
        }
      }),
      // Each run reloads both databases: bound the time so that shrinking a failure stays quick.
      { numRuns: 30, interruptAfterTimeLimit: 30_000 },
    );
  });

  it('on groups and their members', async () => {
    const members = ['u1', 'u2', 'U3', 'g9'];
    const groups = fc.array(
      fc.record({
        displayName: word,
        externalId: fc.option(word, { nil: null }),
        members: fc.subarray(members),
      }),
      { minLength: 1, maxLength: 6 },
    );
    const memberFilter = fc.oneof(
      fc
        .constantFrom(...members, 'u3', 'x')
        .map((v) => parseFilter(`members[value eq ${JSON.stringify(v)}]`)),
      fc
        .constantFrom(...members, 'u3')
        .map((v) => parseFilter(`members.value ne ${JSON.stringify(v)} and members pr`)),
      fc.constantFrom('user', 'Group').map((t) => parseFilter(`members[type eq "${t}" and value sw "u"]`)),
      fc.constantFrom(...members).map((v) => parseFilter(`members eq "${v}" or displayName co "a"`)),
      fc.constant(parseFilter('not (members pr)')),
    );
    await fc.assert(
      fc.asyncProperty(
        groups,
        fc.array(memberFilter, { minLength: 5, maxLength: 5 }),
        async (raw, filters) => {
          const now = '2024-01-01T00:00:00.000Z';
          const resources = raw.map((g, i) => ({
            id: `g${i}`,
            displayName: `${g.displayName}#${i}`,
            ...(g.externalId === null ? {} : { externalId: g.externalId }),
            ...(g.members.length > 0
              ? { members: g.members.map((m) => ({ value: m, type: m.startsWith('g') ? 'Group' : 'User' })) }
              : {}),
          }));
          for (const h of engines) {
            await h.db.deleteFrom('group_members').execute();
            await h.db.deleteFrom('groups').execute();
            await h.db
              .insertInto('groups')
              .values(
                resources.map((g) => ({
                  workspace_id: 'w1',
                  id: g.id,
                  display_name: g.displayName,
                  display_name_norm: g.displayName.toLowerCase(),
                  external_id: g.externalId ?? null,
                  role: null,
                  data: JSON.stringify({ displayName: g.displayName }),
                  version: 1,
                  created_at: now,
                  updated_at: now,
                })),
              )
              .execute();
            const rows = resources.flatMap((g) =>
              (g.members ?? []).map((m) => ({
                workspace_id: 'w1',
                group_id: g.id,
                member_id: m.value,
                member_type: m.type,
                created_at: now,
              })),
            );
            // A membership in another workspace with the same group id must not count.
            rows.push({
              workspace_id: 'w2',
              group_id: 'g0',
              member_id: 'x',
              member_type: 'User',
              created_at: now,
            });
            await h.db.insertInto('group_members').values(rows).execute();
          }
          for (const node of filters) {
            const expected = expectedIds(resources, node, 'groups');
            for (const h of engines)
              assert.deepStrictEqual(
                await selectIds(h, 'groups', node, 'w1'),
                expected,
                `${h.engine}: ${printFilter(node)}`,
              );
          }
        },
      ),
      { numRuns: 15, interruptAfterTimeLimit: 15_000 },
    );
  });

  it('uses the values index for emails on SQLite', async () => {
    const h = engines[0]!;
    const where = compileFilter(parseFilter('emails[type eq "work"].value eq "A@B.C"'), {
      engine: 'sqlite',
      ctx: defaultUserContext,
      table: 'users',
      alias: 'u',
      workspaceId: 'w1',
    });
    const query = h.db
      .selectFrom('users as u')
      .select('u.id')
      .where('u.workspace_id', '=', 'w1')
      .where(where)
      .compile();
    const plan = await h.db.executeQuery(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
    );
    assert.ok(query.parameters.includes('a@b.c'));
    assert.match(JSON.stringify(plan.rows), /user_values_value/);
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
    ['meta.location eq "x"', /"meta\.location" cannot be used in a filter/],
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

  it('binds every value as a parameter', () => {
    const evil = `x'); DROP TABLE users; --`;
    const where = compileFilter(
      parseFilter(`title eq ${JSON.stringify(evil)} or emails[value co ${JSON.stringify(evil)}]`),
      opts,
    );
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    const compiled = db.selectFrom('users as u').select('u.id').where(where).compile();
    assert.ok(!compiled.sql.includes('DROP'));
    void db.destroy();
  });
});
