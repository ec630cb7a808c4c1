import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttrPath } from './filter/ast.js';
import { resolveAttrPath, resolveCompareOperand, type SchemaContext } from './paths.js';
import { defaultUserContext } from './resource-types.js';
import { attr, CORE_USER, ENTERPRISE_USER, type SchemaDef } from './schema-model.js';

const ctx = defaultUserContext;

const RESOLVED: [AttrPath, string | null, string[]][] = [
  [{ attr: 'userName' }, CORE_USER, ['userName']],
  [{ attr: 'USERNAME' }, CORE_USER, ['userName']],
  [{ attr: 'name', sub: 'FAMILYNAME' }, CORE_USER, ['name', 'familyName']],
  [{ attr: 'id' }, null, ['id']],
  [{ attr: 'Meta', sub: 'lastmodified' }, null, ['meta', 'lastModified']],
  [{ attr: 'employeeNumber' }, ENTERPRISE_USER, [ENTERPRISE_USER, 'employeeNumber']],
  [
    { uri: ENTERPRISE_USER.toUpperCase(), attr: 'manager', sub: 'value' },
    ENTERPRISE_USER,
    [ENTERPRISE_USER, 'manager', 'value'],
  ],
  [{ uri: CORE_USER, attr: 'emails', sub: 'type' }, CORE_USER, ['emails', 'type']],
  [{ uri: CORE_USER, attr: 'externalId' }, null, ['externalId']],
  // Entra's `urn:…:2.0:User.manager` when read as URN "…:2.0", attribute "User".
  [
    { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User', sub: 'manager' },
    ENTERPRISE_USER,
    [ENTERPRISE_USER, 'manager'],
  ],
];

const UNKNOWN: AttrPath[] = [
  { attr: 'nope' },
  { attr: 'name', sub: 'nope' },
  { attr: 'userName', sub: 'value' },
  { uri: 'urn:acme:Unknown', attr: 'userName' },
  { uri: ENTERPRISE_USER, attr: 'userName' },
  { uri: ENTERPRISE_USER, attr: 'id' },
];

describe('resolveAttrPath', () => {
  for (const [path, schema, keys] of RESOLVED) {
    it(JSON.stringify(path), () => {
      const r = resolveAttrPath(path, ctx);
      assert.ok(r);
      assert.equal(r.schema?.id ?? null, schema);
      assert.deepEqual(r.documentKeys, keys);
    });
  }
  for (const path of UNKNOWN) {
    it(`${JSON.stringify(path)} → undefined`, () => assert.equal(resolveAttrPath(path, ctx), undefined));
  }

  it('prefers core, then common, then an unambiguous extension', () => {
    const a: SchemaDef = {
      id: 'urn:acme:A',
      name: 'A',
      description: '',
      attributes: [attr('badge', 'string'), attr('userName', 'string')],
    };
    const b: SchemaDef = {
      id: 'urn:acme:B',
      name: 'B',
      description: '',
      attributes: [attr('badge', 'string'), attr('desk', 'string')],
    };
    const two: SchemaContext = { ...ctx, extensions: [a, b] };
    assert.equal(resolveAttrPath({ attr: 'userName' }, two)?.schema?.id, CORE_USER);
    assert.equal(resolveAttrPath({ attr: 'desk' }, two)?.schema?.id, 'urn:acme:B');
    assert.equal(resolveAttrPath({ attr: 'badge' }, two), undefined);
    assert.deepEqual(resolveAttrPath({ uri: 'urn:acme:a', attr: 'BADGE' }, two)?.documentKeys, [
      'urn:acme:A',
      'badge',
    ]);
  });
});

describe('resolveCompareOperand', () => {
  it('reads a complex attribute as its value sub-attribute (RFC 7644 §3.4.2.2)', () => {
    const emails = resolveAttrPath({ attr: 'emails' }, ctx)!;
    assert.deepEqual(resolveCompareOperand(emails)?.documentKeys, ['emails', 'value']);
    assert.equal(resolveCompareOperand(resolveAttrPath({ attr: 'name' }, ctx)!), undefined);
    const userName = resolveAttrPath({ attr: 'userName' }, ctx)!;
    assert.equal(resolveCompareOperand(userName), userName);
  });
});
