import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.js';
import { ENTERPRISE_USER } from '../schema-model.js';
import type { AttrPath, CompareOp, FilterLiteral, FilterNode, PatchPath } from './ast.js';
import { parseFilter, parsePatchPath } from './parse.js';

const path = (text: string, uri?: string): AttrPath => {
  const [attr, sub] = text.split('.') as [string, string | undefined];
  return { ...(uri === undefined ? {} : { uri }), attr, ...(sub === undefined ? {} : { sub }) };
};
const cmp = (p: string | AttrPath, op: CompareOp, value: FilterLiteral): FilterNode => ({
  kind: 'compare',
  path: typeof p === 'string' ? path(p) : p,
  op,
  value,
});
const pr = (p: string | AttrPath): FilterNode => ({
  kind: 'present',
  path: typeof p === 'string' ? path(p) : p,
});
const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
const not = (filter: FilterNode): FilterNode => ({ kind: 'not', filter });
const vp = (p: string | AttrPath, filter: FilterNode): FilterNode => ({
  kind: 'valuePath',
  path: typeof p === 'string' ? path(p) : p,
  filter,
});

const GRAMMAR: [string, FilterNode][] = [
  // Every operator, and operator case-insensitivity.
  ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
  ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
  ['userName sw "J"', cmp('userName', 'sw', 'J')],
  ['userName ew "son"', cmp('userName', 'ew', 'son')],
  ['title pr', pr('title')],
  ['title ne "boss"', cmp('title', 'ne', 'boss')],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
  ['userName EQ "a"', cmp('userName', 'eq', 'a')],
  ['title PR', pr('title')],
  ['userName Sw "a"', cmp('userName', 'sw', 'a')],
  // Literals.
  ['active eq true', cmp('active', 'eq', true)],
  ['active eq FALSE', cmp('active', 'eq', false)],
  ['title eq Null', cmp('title', 'eq', null)],
  ['n eq 42', cmp('n', 'eq', 42)],
  ['n eq -1.5e3', cmp('n', 'eq', -1500)],
  ['n gt 0.25', cmp('n', 'gt', 0.25)],
  ['n eq 1E+2', cmp('n', 'eq', 100)],
  ['n eq 0', cmp('n', 'eq', 0)],
  ['n eq -0', cmp('n', 'eq', -0)],
  ['n lt 2e-3', cmp('n', 'lt', 0.002)],
  // JSON string escapes.
  ['displayName eq "Group \\"A\\" \\\\ \\u00e9\\/\\t\\n"', cmp('displayName', 'eq', 'Group "A" \\ é/\t\n')],
  ['displayName eq ""', cmp('displayName', 'eq', '')],
  ['displayName eq "\\uD83D\\uDE00 ünïcödé"', cmp('displayName', 'eq', '😀 ünïcödé')],
  ['displayName eq "a)b(c]d[e and or"', cmp('displayName', 'eq', 'a)b(c]d[e and or')],
  // Precedence: and binds tighter than or; both are left-associative.
  ['a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
  ['a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
  ['a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
  ['a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
  ['(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
  ['a pr and (b pr or c pr)', and(pr('a'), or(pr('b'), pr('c')))],
  ['((a pr))', pr('a')],
  ['(a pr)and(b pr)', and(pr('a'), pr('b'))],
  ['not (a pr) and b pr', and(not(pr('a')), pr('b'))],
  ['NOT (a pr or b pr)', not(or(pr('a'), pr('b')))],
  ['not(a pr)', not(pr('a'))],
  ['not (not (a pr))', not(not(pr('a')))],
  ['  a  pr\tand\nb pr  ', and(pr('a'), pr('b'))],
  // Keywords are words: an attribute may be called not, and, or, pr.
  ['not pr', pr('not')],
  ['and eq "x" or or pr', or(cmp('and', 'eq', 'x'), pr('or'))],
  ['pr pr', pr('pr')],
  ['eq eq true', cmp('eq', 'eq', true)],
  // Attribute names.
  ['x-y_z9 pr', pr('x-y_z9')],
  ['manager.$ref pr', pr('manager.$ref')],
  ['members[$ref co "Users"]', vp('members', cmp('$ref', 'co', 'Users'))],
  // Value paths.
  ['emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    or(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
    ),
  ],
  ['emails[not (type eq "work")]', vp('emails', not(cmp('type', 'eq', 'work')))],
  [
    'emails[ type eq "a" or (type eq "b") ]',
    vp('emails', or(cmp('type', 'eq', 'a'), cmp('type', 'eq', 'b'))),
  ],
  ['members[value eq "2819c223"]', vp('members', cmp('value', 'eq', '2819c223'))],
  ['not (emails[type eq "work"])', not(vp('emails', cmp('type', 'eq', 'work')))],
  // URN-qualified paths: the URN is everything up to the last ":".
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"',
    cmp(path('employeeNumber', ENTERPRISE_USER), 'eq', '701984'),
  ],
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"',
    cmp(path('manager.value', ENTERPRISE_USER), 'eq', 'm'),
  ],
  [
    'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName pr',
    pr(path('name.familyName', 'urn:ietf:params:scim:schemas:core:2.0:User')),
  ],
  ['urn:acme:Ext:emails[type eq "x"]', vp(path('emails', 'urn:acme:Ext'), cmp('type', 'eq', 'x'))],
  // Entra's URN "." attribute form.
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager pr',
    pr(path('manager', ENTERPRISE_USER)),
  ],
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager.value eq "m"',
    cmp(path('manager.value', ENTERPRISE_USER), 'eq', 'm'),
  ],
  // Filters Entra ID sends.
  ['ActiVe eq true', cmp('ActiVe', 'eq', true)],
  [
    'active eq true and (meta.lastModified ge "0001-01-03T00:00:00.0000000Z" and meta.lastModified le "2021-09-23T19:35:41.8420572Z")',
    and(
      cmp('active', 'eq', true),
      and(
        cmp('meta.lastModified', 'ge', '0001-01-03T00:00:00.0000000Z'),
        cmp('meta.lastModified', 'le', '2021-09-23T19:35:41.8420572Z'),
      ),
    ),
  ],
  [
    'userName eq "Test_User_00aa00aa-00aa-00aa-00aa-00aa00aa00aa"',
    cmp('userName', 'eq', 'Test_User_00aa00aa-00aa-00aa-00aa-00aa00aa00aa'),
  ],
  [
    'externalId eq "2a69c9a6-3d1f-4c34-9a56-91b55ba2dbdb"',
    cmp('externalId', 'eq', '2a69c9a6-3d1f-4c34-9a56-91b55ba2dbdb'),
  ],
  ['displayName eq "Group_00aa00aa"', cmp('displayName', 'eq', 'Group_00aa00aa')],
  [
    'emails[type eq "work"].value eq "a@b.c"',
    vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.c'))),
  ],
  ['emails[type eq "work"].value pr', vp('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
  [
    'emails[type eq "work" or type eq "home"].Value EQ "a@b.c"',
    vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')), cmp('Value', 'eq', 'a@b.c'))),
  ],
  ['emails[primary eq "True"]', vp('emails', cmp('primary', 'eq', 'True'))],
];

describe('parseFilter: grammar (RFC 7644 §3.4.2.2)', () => {
  for (const [text, expected] of GRAMMAR) {
    it(text, () => assert.deepStrictEqual(parseFilter(text), expected));
  }
});

const ERRORS: [string, RegExp][] = [
  ['', /^Invalid filter: it is empty\.$/],
  ['   ', /empty/],
  [
    'userName',
    /^Invalid filter at position 8: expected an operator \(eq, ne, co, sw, ew, gt, ge, lt, le or pr\) after "userName", found the end of the filter\.$/,
  ],
  [
    'userName eq',
    /^Invalid filter at position 11: expected a value \(a "string", a number, true, false or null\), found the end of the filter\.$/,
  ],
  ['userName xx "a"', /at position 9: expected an operator .*, found "xx"/],
  ['userName eq abc', /at position 12: expected a value .*, found "abc"/],
  ['userName eq "abc', /at position 12: unterminated string: expected a closing '"'/],
  ['userName eq "a\\x"', /at position 14: invalid escape "\\x": expected one of/],
  ['userName eq "\\u12"', /at position 13: invalid \\u escape: expected four hexadecimal digits/],
  ['userName eq 01', /at position 13: unexpected "1" right after a number/],
  ['userName eq 1e999', /at position 12: number out of range/],
  ['userName eq -', /at position 12: expected a number/],
  ['userName eq 1.', /at position 13: unexpected "\." right after a number/],
  ['userName eq "a" "b"', /at position 16: expected "and", "or" or the end of the filter, found a string/],
  [
    '(userName pr',
    /at position 12: expected "\)" to close the "\(" opened at position 0, found the end of the filter/,
  ],
  ['userName pr)', /at position 11: expected "and", "or" or the end of the filter, found "\)"/],
  [
    'userName pr and',
    /at position 15: expected an attribute path, "\(" or "not \(", found the end of the filter/,
  ],
  ['or userName pr', /at position 3: expected an operator .*, found "userName"/],
  ['not userName pr', /at position 4: expected an operator .*, found "userName"/],
  ['not (a pr', /at position 9: expected "\)" to close the "not \(" opened at position 0/],
  ['()', /at position 1: expected an attribute path, "\(" or "not \(", found "\)"/],
  ['emails[type eq "work"', /at position 21: expected "\]" to close the "\[" opened at position 6/],
  [
    'emails[type eq "work"] eq "x"',
    /at position 23: expected "and", "or" or the end of the filter, found "eq"/,
  ],
  ['emails[type eq "work"].value', /at position 28: expected an operator .*, found the end of the filter/],
  [
    'emails[type eq "work"].9 eq "x"',
    /at position 22: expected a sub-attribute name after "\]\.", found "\.9"/,
  ],
  [
    'emails[type eq "work"].a.b eq "x"',
    /at position 22: expected a sub-attribute name after "\]\.", found "\.a\.b"/,
  ],
  ['emails[x[y pr]]', /at position 8: a value filter "\[…\]" cannot be nested inside another/],
  ['user@name eq 1', /at position 4: unexpected character "@"/],
  ["userName eq 'x'", /at position 12: unexpected character "'"/],
  [
    'name.given.family eq 1',
    /at position 0: expected attribute or attribute\.subAttribute, found "name\.given\.family"/,
  ],
  ['_x eq 1', /at position 0: expected an attribute name, found "_x"/],
  ['.x eq 1', /at position 0: expected an attribute name/],
  ['urn:x eq 1', /at position 0: invalid schema URN "urn"/],
  ['urn:a::b eq 1', /invalid schema URN/],
  ['urn:a:b: eq 1', /at position 0: expected an attribute name/],
  ['a pr and or b pr', /at position 12: expected an operator .*, found "b"/],
  ['a'.repeat(4097), /^Invalid filter: it is 4097 characters long; the limit is 4096\.$/],
  [`${'('.repeat(51)}a pr${')'.repeat(51)}`, /at position 50: nested more than 50 levels deep/],
  [`${'not ('.repeat(51)}a pr${')'.repeat(51)}`, /nested more than 50 levels deep/],
  [Array.from({ length: 101 }, () => 'a pr').join(' or '), /more than 200 expressions/],
  ['{', /at position 0: unexpected character "\{"/],
];

describe('parseFilter: errors are invalidFilter naming the position', () => {
  for (const [text, detail] of ERRORS) {
    it(text.length > 60 ? `${text.slice(0, 60)}…` : text || '(empty)', () => {
      assert.throws(
        () => parseFilter(text),
        (e: unknown) =>
          e instanceof ScimError &&
          e.status === 400 &&
          e.scimType === 'invalidFilter' &&
          detail.test(e.detail),
      );
    });
  }

  it('accepts exactly the limits', () => {
    assert.doesNotThrow(() => parseFilter(`${'('.repeat(50)}a pr${')'.repeat(50)}`));
    assert.doesNotThrow(() => parseFilter(Array.from({ length: 100 }, () => 'a pr').join(' or ')));
    assert.doesNotThrow(() => parseFilter(`a eq "${'x'.repeat(4096 - 7)}"`));
  });

  it('does not overflow the stack on very deep input', () => {
    for (const text of ['('.repeat(4000), 'not ('.repeat(800), `a[${'('.repeat(4000)}`]) {
      assert.throws(() => parseFilter(text), ScimError);
    }
  });
});

const PATCH_PATHS: [string, PatchPath][] = [
  ['userName', { path: path('userName') }],
  ['name.familyName', { path: path('name.familyName') }],
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
    { path: path('employeeNumber', ENTERPRISE_USER) },
  ],
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
    { path: path('manager.value', ENTERPRISE_USER) },
  ],
  [
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager',
    { path: path('manager', ENTERPRISE_USER) },
  ],
  ['emails[type eq "work"]', { path: path('emails'), filter: cmp('type', 'eq', 'work') }],
  [
    'emails[type eq "work"].value',
    { path: path('emails'), filter: cmp('type', 'eq', 'work'), subAfterFilter: 'value' },
  ],
  ['members[value eq "2819c223"]', { path: path('members'), filter: cmp('value', 'eq', '2819c223') }],
  [
    'addresses[type eq "work" and primary eq true].streetAddress',
    {
      path: path('addresses'),
      filter: and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)),
      subAfterFilter: 'streetAddress',
    },
  ],
];

describe('parsePatchPath (RFC 7644 §3.5.2)', () => {
  for (const [text, expected] of PATCH_PATHS) {
    it(text, () => assert.deepStrictEqual(parsePatchPath(text), expected));
  }

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['emails[', /expected an attribute path/],
    ['emails[type eq "work"] x', /^Invalid path at position 23: expected the end of the path, found "x"\.$/],
    ['emails[type eq "work"].', /expected the end of the path|expected a sub-attribute/],
    ['a b', /at position 2: expected the end of the path/],
    ['emails[type eq]', /expected a value/],
    ['"x"', /at position 0: expected an attribute path, found a string/],
    ['userName eq "x"', /at position 9: expected the end of the path/],
    ['emails[type eq "work"].value.display', /expected a sub-attribute name/],
  ];
  for (const [text, detail] of bad) {
    it(`rejects ${JSON.stringify(text)} with invalidPath`, () => {
      assert.throws(
        () => parsePatchPath(text),
        (e: unknown) => e instanceof ScimError && e.scimType === 'invalidPath' && detail.test(e.detail),
      );
    });
  }
});
