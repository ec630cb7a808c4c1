import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { createTestDatabase, engines as ENGINES } from '../../test/helpers/engines.js';
import type { AttrPath, CompareOp, FilterLiteral, FilterNode } from '../scim/filter/ast.js';
import { matchesFilter } from '../scim/filter/evaluate.js';
import { parseFilter } from '../scim/filter/parse.js';
import { printFilter } from '../scim/filter/print.js';
import { defaultUserContext } from '../scim/resource-types.js';
import { CORE_USER, ENTERPRISE_USER } from '../scim/schema-model.js';
import { type Engine, openStore } from './db.js';
import { compileFilter } from './filter-sql.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './tables.js';

// ---- databases -------------------------------------------------------------------------------

interface Handle {
  engine: Engine;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** A fresh migrated database of the engine (PostgreSQL: a throwaway database, dropped on close). */
async function open(engine: Engine): Promise<Handle> {
  const database = await createTestDatabase(engine);
  const store = openStore(database.url, { poolSize: 2 });
  await migrateToLatest(store.db as never);
  return {
    engine,
    db: store.db,
    close: async () => {
      await store.close();
      await database.drop();
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

// Words that hit LIKE/GLOB metacharacters, case differences, quotes and the empty string.
const WORDS = "alice|Alice|ALICE|bob|Bob Smith|a_b|a%b|a\\b|x*y|[z]?||work|Zed|0|O'Brien".split('|');
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

function literalFor(kind: Kind, pool: string[], words: string[] = WORDS): fc.Arbitrary<FilterLiteral> {
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
  const from = fc.constantFrom(...words, ...pool);
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

function leaf(spec: Spec, pool: string[], words: string[] = WORDS): fc.Arbitrary<FilterNode> {
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
          value: literalFor(spec.kind, pool, words),
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
  const emailValues = [...pool.filter((v) => v.includes('@')), 'x@example.com'];
  // Entra's shape, `emails[type eq "work"].value eq "x"`, which the values index answers.
  const [value, type, , primary] = ELEMENT_SPECS.emails!.inner as [Spec, Spec, Spec, Spec];
  const indexed = fc
    .tuple(
      fc.oneof(leaf(type, ['work', 'Work', 'home', 'other', ''], []), leaf(primary, pool)),
      leaf(value, emailValues, []),
      fc.boolean(),
    )
    .map(
      ([a, b, swap]): FilterNode => ({
        kind: 'valuePath',
        path: P('emails'),
        filter: { kind: 'and', left: swap ? b : a, right: swap ? a : b },
      }),
    );
  const leaves = fc.oneof(
    { weight: 2, arbitrary: indexed },
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

async function selectIds(h: Handle, node: FilterNode, workspaceId: string): Promise<string[]> {
  const where = compileFilter(node, {
    engine: h.engine,
    ctx: defaultUserContext,
    table: 'users',
    alias: 'r',
    workspaceId,
  });
  const rows = await h.db
    .selectFrom('users as r')
    .select('r.id')
    .where('r.workspace_id', '=', workspaceId)
    .where(where)
    .execute();
  return rows.map((r) => r.id).sort();
}

describe('compileFilter agrees with the in-memory evaluator', () => {
  const engines: Handle[] = [];
  before(async () => {
    for (const engine of ENGINES) engines.push(await open(engine));
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
          const expected = resources
            .filter((r) => matchesFilter(r, node, defaultUserContext))
            .map((r) => r.id as string);
          for (const h of engines) {
            const actual = await selectIds(h, node, 'w1');
            assert.deepStrictEqual(actual, expected.sort(), `${h.engine}: ${printFilter(node)}`);
          }
        }
      }),
      // Each run reloads both databases: bound the time so that shrinking a failure stays quick.
      { numRuns: 30, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true },
    );
  });
});
