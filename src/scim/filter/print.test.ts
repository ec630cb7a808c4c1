import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.js';
import { CORE_USER, ENTERPRISE_USER } from '../schema-model.js';
import type { AttrPath, CompareOp, FilterLiteral, FilterNode } from './ast.js';
import { parseFilter, parsePatchPath } from './parse.js';
import { printFilter } from './print.js';

const KEYWORDS = ['not', 'and', 'or', 'pr', 'eq', 'true', 'false', 'null', 'NOT', 'Or'];
const attrName = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,7}$/) },
  { weight: 1, arbitrary: fc.constantFrom('$ref', ...KEYWORDS) },
);
// URNs whose last segment is not version-like, so `uri:attr.sub` is never read as Entra's dot form.
const uri = fc.constantFrom(ENTERPRISE_USER, CORE_USER, 'urn:acme:scim:Custom', 'urn:a:b');

const attrPath: fc.Arbitrary<AttrPath> = fc
  .record({
    uri: fc.option(uri, { nil: undefined }),
    attr: attrName,
    sub: fc.option(attrName, { nil: undefined }),
  })
  .map(({ uri, attr, sub }) => ({ ...(uri ? { uri } : {}), attr, ...(sub ? { sub } : {}) }));

const literal: fc.Arbitrary<FilterLiteral> = fc.oneof(
  // NUL is refused by the lexer (no stored value can hold it), so round trips leave it out.
  fc.string({ unit: 'binary', maxLength: 12 }).map((v) => v.replaceAll('\u0000', '')),
  fc.string({ unit: fc.constantFrom('"', '\\', ' ', 'a', ')', ']', '\u0001', '\u00e9', '\n'), maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const op = fc.constantFrom<CompareOp>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

function filterArb(inValuePath: boolean): fc.Arbitrary<FilterNode> {
  const { node } = fc.letrec<{ node: FilterNode }>((tie) => {
    const leaves: fc.Arbitrary<FilterNode>[] = [
      fc.record(
        { kind: fc.constant('compare' as const), path: attrPath, op, value: literal },
        { noNullPrototype: true },
      ),
      fc.record({ kind: fc.constant('present' as const), path: attrPath }, { noNullPrototype: true }),
    ];
    const inner = tie('node');
    const branches: fc.Arbitrary<FilterNode>[] = [
      fc.record({ kind: fc.constant('and' as const), left: inner, right: inner }, { noNullPrototype: true }),
      fc.record({ kind: fc.constant('or' as const), left: inner, right: inner }, { noNullPrototype: true }),
      fc.record({ kind: fc.constant('not' as const), filter: inner }, { noNullPrototype: true }),
    ];
    if (!inValuePath) {
      branches.push(
        fc.record(
          { kind: fc.constant('valuePath' as const), path: attrPath, filter: filterArb(true) },
          { noNullPrototype: true },
        ),
      );
    }
    return { node: fc.oneof({ depthSize: 'small', maxDepth: 5 }, ...leaves, ...branches) };
  });
  return node;
}

function isScimFilterError(e: unknown, scimType: string): boolean {
  return e instanceof ScimError && e.status === 400 && e.scimType === scimType;
}

describe('printFilter', () => {
  it('round-trips: parseFilter(printFilter(ast)) deep-equals ast', () => {
    fc.assert(
      fc.property(filterArb(false), (ast) => {
        assert.deepStrictEqual(parseFilter(printFilter(ast)), ast);
      }),
      { numRuns: 1500 },
    );
  });

  it('prints canonical text', () => {
    const cases: [string, string][] = [
      ['A Eq "x" AND (b PR OR NOT (c ne -1.5))', 'A eq "x" and (b pr or not (c ne -1.5))'],
      ['a pr and (b pr and c pr)', 'a pr and (b pr and c pr)'],
      ['(a pr and b pr) and c pr', 'a pr and b pr and c pr'],
      ['a pr or (b pr or c pr)', 'a pr or (b pr or c pr)'],
      ['emails[type eq "work"].value eq "a@b.c"', 'emails[type eq "work" and value eq "a@b.c"]'],
      ['x eq "\\u00e9\\"\\u0001"', 'x eq "é\\"\\u0001"'],
      ['x eq 1E3', 'x eq 1000'],
      ['x eq TRUE or y eq NULL', 'x eq true or y eq null'],
    ];
    for (const [input, expected] of cases) assert.equal(printFilter(parseFilter(input)), expected);
  });
});

describe('parser robustness', () => {
  const alphabet = fc.constantFrom(
    ...'()[]" \\.:-$_aeqnotrpswgl019ETUN',
    ' and ',
    ' or ',
    'not (',
    ' eq ',
    ' pr',
    'urn:x:y:',
    '"a"',
    '\\u00',
  );

  it('garbage only ever raises invalidFilter (parseFilter) or invalidPath (parsePatchPath)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
        (text) => {
          try {
            const ast = parseFilter(text);
            // What parses prints to text that parses to the same AST.
            assert.deepStrictEqual(parseFilter(printFilter(ast)), ast);
          } catch (e) {
            if (!isScimFilterError(e, 'invalidFilter')) throw e;
          }
          try {
            parsePatchPath(text);
          } catch (e) {
            if (!isScimFilterError(e, 'invalidPath')) throw e;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('mutated valid filters only ever raise invalidFilter', () => {
    const mutation = fc.record(
      {
        ast: filterArb(false),
        at: fc.nat(),
        cut: fc.nat({ max: 3 }),
        insert: fc.string({ unit: alphabet, maxLength: 3 }),
      },
      { noNullPrototype: true },
    );
    fc.assert(
      fc.property(mutation, ({ ast, at, cut, insert }) => {
        const text = printFilter(ast);
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + insert + text.slice(i + cut);
        try {
          parseFilter(mutated);
        } catch (e) {
          if (!isScimFilterError(e, 'invalidFilter')) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects huge inputs quickly', () => {
    const started = Date.now();
    for (const text of [
      '('.repeat(100_000),
      '"'.repeat(100_000),
      'a pr or '.repeat(600),
      `a eq "${'\\'.repeat(4000)}`,
    ]) {
      assert.throws(
        () => parseFilter(text),
        (e: unknown) => isScimFilterError(e, 'invalidFilter'),
      );
    }
    assert.ok(Date.now() - started < 500);
  });
});
