import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError, type ScimType } from './errors.js';
import {
  applyPatch,
  MAX_OPERATIONS,
  type MemberChange,
  type PatchResult,
  parsePatchRequest,
} from './patch.js';
import type { ScimDocument } from './resource.js';
import {
  defaultGroupContext,
  defaultUserContext,
  type ResourceContext,
  userContext,
} from './resource-types.js';
import { attr, ENTERPRISE_USER, PATCH_OP } from './schema-model.js';

const E = ENTERPRISE_USER;
const GROUP_ID = 'abf4dd94-...';

const joy: ScimDocument = {
  userName: 'jyoung@testuser.com',
  displayName: 'Joy Young',
  active: true,
  name: { givenName: 'Joy', familyName: 'Young' },
  emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
};
const homeOnly: ScimDocument = {
  userName: 'h@x.com',
  emails: [{ type: 'home', value: 'h@home.com', primary: true }],
};
const group: ScimDocument = { displayName: 'displayName' };

const ops = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

interface Case {
  name: string;
  ctx?: ResourceContext;
  doc?: ScimDocument;
  externalId?: string | null;
  id?: string;
  body: unknown;
  /** Expected document (deep-equal) when the patch succeeds. */
  document?: ScimDocument;
  externalIdAfter?: string | null;
  memberChanges?: MemberChange[];
  changed?: boolean;
  changedAttributes?: string[];
  /** Substrings each expected in some note. */
  notes?: string[];
  /** Expected scimType of the thrown ScimError. */
  error?: ScimType;
  /** Substring expected in the error detail. */
  detail?: string;
}

function run(c: Case): PatchResult {
  const target = {
    document: c.doc ?? (c.ctx === defaultGroupContext ? group : joy),
    externalId: c.externalId ?? null,
  };
  return applyPatch(target, c.body, c.ctx ?? defaultUserContext, c.id === undefined ? {} : { id: c.id });
}

function check(c: Case): void {
  if (c.error) {
    assert.throws(
      () => run(c),
      (e: unknown) => {
        assert.ok(e instanceof ScimError, `expected a ScimError, got ${String(e)}`);
        assert.equal(e.scimType, c.error, e.detail);
        assert.equal(e.status, 400);
        if (c.detail) assert.ok(e.detail.includes(c.detail), e.detail);
        return true;
      },
    );
    return;
  }
  const r = run(c);
  if (c.document) assert.deepEqual(r.document, c.document);
  if (c.externalIdAfter !== undefined) assert.equal(r.externalId, c.externalIdAfter);
  assert.deepEqual(r.memberChanges, c.memberChanges ?? []);
  if (c.changed !== undefined) assert.equal(r.changed, c.changed);
  if (c.changedAttributes) assert.deepEqual([...r.changedAttributes].sort(), [...c.changedAttributes].sort());
  for (const n of c.notes ?? []) {
    assert.ok(
      r.notes.some((x) => x.includes(n)),
      `no note containing ${JSON.stringify(n)} in ${JSON.stringify(r.notes)}`,
    );
  }
}

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => check(c));
  });
}

// §2.1 Microsoft Entra ID, payloads verbatim.
table('Entra ID (idp-wire-facts §2.1)', [
  {
    name: 'vector 12: six Replace ops without the flag, incl. …:User:employeeNumber, applied together',
    externalId: 'jyoung',
    body: JSON.parse(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
 {"op":"Replace","path":"displayName","value":"Pvlo"},
 {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"TestBcwqnm@test.microsoft.com"},
 {"op":"Replace","path":"name.givenName","value":"Gtfd"},
 {"op":"Replace","path":"name.familyName","value":"Pkqf"},
 {"op":"Replace","path":"externalId","value":"Eqpj"},
 {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}]}`),
    document: {
      userName: 'jyoung@testuser.com',
      displayName: 'Pvlo',
      active: true,
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      emails: [{ type: 'work', value: 'TestBcwqnm@test.microsoft.com', primary: true }],
      [E]: { employeeNumber: 'Eqpj' },
    },
    externalIdAfter: 'Eqpj',
    changed: true,
    changedAttributes: ['displayName', 'emails', 'name', 'externalId', `${E}:employeeNumber`],
    notes: ['entra: op "Replace" read as "replace"'],
  },
  {
    name: 'vector 13: Replace active "False" → false',
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}',
    ),
    document: { ...joy, active: false },
    changedAttributes: ['active'],
    notes: ['entra: string "False" read as boolean'],
  },
  {
    name: 'Add nickName',
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"nickName","value":"Babs"}]}',
    ),
    document: { ...joy, nickName: 'Babs' },
    changedAttributes: ['nickName'],
  },
  {
    name: 'vector 14: aadOptscim062020 pathless replace with dotted and URN keys updates only those fields',
    body: JSON.parse(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
 {"op":"replace","path":"emails[type eq \\"work\\"].value","value":"TestMhvaes@test.microsoft.com"},
 {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}`),
    document: {
      userName: 'jyoung@testuser.com',
      displayName: 'Bjfe',
      active: true,
      name: { givenName: 'Kkom', familyName: 'Unua' },
      emails: [{ type: 'work', value: 'TestMhvaes@test.microsoft.com', primary: true }],
      [E]: { employeeNumber: 'Aklq' },
    },
    changedAttributes: ['displayName', 'name', 'emails', `${E}:employeeNumber`],
    notes: ['entra: pathless value key "name.givenName" applied as a path'],
  },
  {
    name: 'aadOptscim062020 replace active false (a real boolean)',
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}',
    ),
    document: { ...joy, active: false },
  },
  {
    name: 'vector 16: work email replace with no work email creates it, not primary',
    doc: homeOnly,
    body: ops({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@work.com' }),
    document: {
      userName: 'h@x.com',
      emails: [
        { type: 'home', value: 'h@home.com', primary: true },
        { type: 'work', value: 'w@work.com' },
      ],
    },
    notes: ['one was created from its equalities'],
  },
  {
    name: 'vector 16: work email on a user without emails becomes the only, primary, email',
    doc: { userName: 'n@x.com' },
    body: ops({ op: 'replace', path: 'emails[type eq "work"].value', value: 'w@work.com' }),
    document: { userName: 'n@x.com', emails: [{ type: 'work', value: 'w@work.com', primary: true }] },
  },
  {
    name: 'vector 17: phoneNumbers[type eq "work"].value on an absent attribute creates it; bundled ops still apply',
    body: ops(
      { op: 'Replace', path: 'displayName', value: 'Joy Y.' },
      { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 (555) 010-0100' },
      { op: 'Replace', path: 'title', value: 'Boss' },
    ),
    document: {
      ...joy,
      displayName: 'Joy Y.',
      title: 'Boss',
      phoneNumbers: [{ type: 'work', value: '+1 (555) 010-0100', primary: true }],
    },
    changedAttributes: ['displayName', 'phoneNumbers', 'title'],
  },
  {
    name: 'vector 18: roles[primary eq "True"].value replaces the primary role',
    doc: { userName: 'r@x.com', roles: [{ value: 'Reader' }, { value: 'Admin', primary: true }] },
    body: ops({ op: 'replace', path: 'roles[primary eq "True"].value', value: 'Owner' }),
    document: { userName: 'r@x.com', roles: [{ value: 'Reader' }, { value: 'Owner', primary: true }] },
  },
  {
    name: 'vector 18: roles[primary eq "True"].value with no roles creates a primary role (string boolean coerced)',
    doc: { userName: 'r@x.com' },
    body: ops({ op: 'Add', path: 'roles[primary eq "True"].value', value: 'Owner' }),
    document: { userName: 'r@x.com', roles: [{ primary: true, value: 'Owner' }] },
    notes: ['entra: string "True" read as boolean'],
  },
  {
    name: 'vector 19: Add path "manager" with an array of one {$ref, value} reaches the extension',
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":"http://.../scim/Users/00aa…","value":"00aa…"}]}]}',
    ),
    document: { ...joy, [E]: { manager: { $ref: 'http://.../scim/Users/00aa…', value: '00aa…' } } },
    changedAttributes: [`${E}:manager`],
    notes: ['entra: unqualified path "manager"', 'entra: one-element array'],
  },
  {
    name: 'vector 19: …:User:manager with a bare string id',
    body: ops({ op: 'replace', path: `${E}:manager`, value: 'mgr-1' }),
    document: { ...joy, [E]: { manager: { value: 'mgr-1' } } },
    notes: ['entra: bare value for complex'],
  },
  {
    name: 'vector 19: …:User.manager (dot separator, SCIM Inbound collection) with a bare string id',
    body: ops({
      op: 'replace',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager',
      value: 'mgr-1',
    }),
    document: { ...joy, [E]: { manager: { value: 'mgr-1' } } },
    notes: ['entra: extension path'],
  },
  {
    name: 'vector 19: manager object with read-only displayName (OneLogin template): displayName dropped',
    body: ops({ op: 'add', path: 'manager', value: { value: 'mgr-2', displayName: 'Boss' } }),
    document: { ...joy, [E]: { manager: { value: 'mgr-2' } } },
  },
  {
    name: 'a new manager value without $ref drops the old, now stale, $ref',
    doc: { ...joy, [E]: { department: 'R&D', manager: { value: 'old', $ref: 'https://x/Users/old' } } },
    body: ops({ op: 'replace', path: `${E}:manager`, value: 'new' }),
    document: { ...joy, [E]: { department: 'R&D', manager: { value: 'new' } } },
  },
  {
    name: 'manager replaced with [] or null unassigns it',
    doc: { ...joy, [E]: { manager: { value: 'old' } } },
    body: ops({ op: 'Replace', path: 'manager', value: [] }),
    document: joy,
    changedAttributes: [`${E}:manager`],
  },
  {
    name: 'vector 20: replace userName (the store re-checks uniqueness)',
    body: ops({ op: 'Replace', path: 'userName', value: 'new@testuser.com' }),
    document: { ...joy, userName: 'new@testuser.com' },
    changedAttributes: ['userName'],
  },
  {
    name: 'emails[type eq "work"].value with upper-case attribute names',
    body: ops({ op: 'replace', path: 'EMAILS[TYPE eq "WORK"].VALUE', value: 'x@y.z' }),
    document: { ...joy, emails: [{ type: 'work', value: 'x@y.z', primary: true }] },
  },
]);

table('Entra ID groups and the Microsoft Postman suite (§2.1)', [
  {
    name: 'vector 25: Add members with $ref null',
    ctx: defaultGroupContext,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}',
    ),
    document: group,
    memberChanges: [{ op: 'add', members: [{ value: 'f648f8d5ea4e4cd38e9c' }] }],
    changed: true,
    changedAttributes: ['members'],
  },
  {
    name: 'vector 26: Remove with a value array removes only the listed members',
    ctx: defaultGroupContext,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}',
    ),
    memberChanges: [{ op: 'remove', ids: ['f648f8d5ea4e4cd38e9c'] }],
    notes: ['remove "members" with a value removes only the listed elements'],
  },
  {
    name: 'vector 27: remove members[value eq "x"] removes only x (aadOptscim062020)',
    ctx: defaultGroupContext,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \\"7f4bc1a3-285e-48ae-8202-5accb43efb0e\\"]"}]}',
    ),
    memberChanges: [{ op: 'remove', ids: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] }],
  },
  {
    name: 'remove members[value eq "a" or value eq "b"]',
    ctx: defaultGroupContext,
    body: ops({ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }),
    memberChanges: [{ op: 'remove', ids: ['a', 'b'] }],
  },
  {
    name: 'Replace group displayName',
    ctx: defaultGroupContext,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"1879db59-...updatedDisplayName"}]}',
    ),
    document: { displayName: '1879db59-...updatedDisplayName' },
    changedAttributes: ['displayName'],
  },
  {
    name: 'vector 28: {"op":"remove","path":"members"} clears all',
    ctx: defaultGroupContext,
    body: ops({ op: 'remove', path: 'members' }),
    memberChanges: [{ op: 'removeAll' }],
  },
  {
    name: 'vector 22: "name":"addMember" extra key ignored; member displayName ignored',
    ctx: defaultGroupContext,
    body: ops({
      op: 'add',
      name: 'addMember',
      path: 'members',
      value: [{ displayName: 'Babs', value: 'u-1' }],
    }),
    memberChanges: [{ op: 'add', members: [{ value: 'u-1' }] }],
    notes: ['microsoft: unknown key "name"', 'unknown attribute "members.displayName" ignored'],
  },
  {
    name: 'vector 34: bare string member "string id 1" accepted as the id',
    ctx: defaultGroupContext,
    body: ops({ op: 'Add', path: 'members', value: 'string id 1' }),
    memberChanges: [{ op: 'add', members: [{ value: 'string id 1' }] }],
    notes: ['microsoft: bare member "string id 1"'],
  },
  {
    name: 'bare string members inside an array',
    ctx: defaultGroupContext,
    body: ops({ op: 'add', path: 'members', value: ['a', { value: 'b', type: 'User' }, 'a'] }),
    memberChanges: [{ op: 'add', members: [{ value: 'a' }, { value: 'b', type: 'User' }] }],
  },
]);

// §2.2 Okta.
table('Okta (idp-wire-facts §2.2)', [
  {
    name: 'vector 15: deactivate with a pathless replace',
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}',
    ),
    document: { ...joy, active: false },
    changedAttributes: ['active'],
  },
  {
    name: 'vector 15: reactivate',
    doc: { ...joy, active: false },
    body: ops({ op: 'replace', value: { active: true } }),
    document: joy,
  },
  {
    name: 'vector 33: pathless group rename echoing the group id',
    ctx: defaultGroupContext,
    id: GROUP_ID,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":"abf4dd94-...","displayName":"Test SCIMv2"}}]}',
    ),
    document: { displayName: 'Test SCIMv2' },
    changedAttributes: ['displayName'],
    notes: ['okta: read-only "id" in a pathless value ignored'],
  },
  {
    name: 'vector 33 / 21: the same rename when the name is already set changes nothing',
    ctx: defaultGroupContext,
    doc: { displayName: 'Test SCIMv2' },
    id: GROUP_ID,
    body: ops({ op: 'replace', value: { id: GROUP_ID, displayName: 'Test SCIMv2' } }),
    document: { displayName: 'Test SCIMv2' },
    changed: false,
    changedAttributes: [],
  },
  {
    name: 'vector 29: mixed remove + add, in order',
    ctx: defaultGroupContext,
    body: JSON.parse(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
 {"op":"remove","path":"members[value eq \\"89bb1940-b905-4575-9e7f-6f887cfb368e\\"]"},
 {"op":"add","path":"members","value":[{"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"}]}]}`),
    memberChanges: [
      { op: 'remove', ids: ['89bb1940-b905-4575-9e7f-6f887cfb368e'] },
      { op: 'add', members: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173' }] },
    ],
  },
  {
    name: 'vector 30: replace members with N members → exact set',
    ctx: defaultGroupContext,
    body: JSON.parse(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"members","value":[
 {"value":"23a35c27-...","display":"test.user@okta.local"},{"value":"89bb1940-...","display":"test.user@okta.local"}]}]}`),
    memberChanges: [{ op: 'replace', members: [{ value: '23a35c27-...' }, { value: '89bb1940-...' }] }],
  },
  {
    name: 'replace members with [] → the empty set',
    ctx: defaultGroupContext,
    body: ops({ op: 'replace', path: 'members', value: [] }),
    memberChanges: [{ op: 'replace', members: [] }],
  },
  {
    name: 'pathless replace carrying members → replace',
    ctx: defaultGroupContext,
    body: ops({ op: 'replace', value: { displayName: 'G', members: [{ value: 'u-1' }] } }),
    document: { displayName: 'G' },
    memberChanges: [{ op: 'replace', members: [{ value: 'u-1' }] }],
    changedAttributes: ['displayName', 'members'],
  },
]);

// §2.3 OneLogin and §2.4 JumpCloud.
table('OneLogin (§2.3) and JumpCloud (§2.4)', [
  {
    name: 'OneLogin add with a value array',
    ctx: defaultGroupContext,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"value":[{"value":"a-id-1"}],"op":"add","path":"members"}]}',
    ),
    memberChanges: [{ op: 'add', members: [{ value: 'a-id-1' }] }],
  },
  {
    name: 'OneLogin remove with a value array',
    ctx: defaultGroupContext,
    body: JSON.parse(
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"value":[{"value":"a-id-1"}],"op":"remove","path":"members"}]}',
    ),
    memberChanges: [{ op: 'remove', ids: ['a-id-1'] }],
  },
  {
    name: 'OneLogin manager {value, displayName} in a pathless extension object: displayName dropped',
    body: ops({
      op: 'replace',
      value: { [E]: { manager: { value: 'm-1', displayName: 'Boss' }, department: 'Ops' } },
    }),
    document: { ...joy, [E]: { manager: { value: 'm-1' }, department: 'Ops' } },
    changedAttributes: [`${E}:manager`, `${E}:department`],
  },
  {
    name: 'JumpCloud pathless rename (vector 33)',
    ctx: defaultGroupContext,
    body: ops({ op: 'replace', value: { displayName: 'Renamed' } }),
    document: { displayName: 'Renamed' },
  },
  {
    name: 'JumpCloud add member',
    ctx: defaultGroupContext,
    body: ops({ op: 'add', path: 'members', value: [{ value: 'jc-1' }] }),
    memberChanges: [{ op: 'add', members: [{ value: 'jc-1' }] }],
  },
]);

const badge = {
  id: 'urn:example:params:scim:schemas:extension:badge:2.0:User',
  name: 'Badge',
  description: 'Badge',
  attributes: [
    attr('badgeId', 'string', { mutability: 'immutable' }),
    attr('level', 'integer', { required: true }),
  ],
};
const badgeContext = userContext([badge]);

table('RFC 7644 §3.5.2 semantics', [
  {
    name: 'vector 21: a PATCH that changes nothing succeeds with changed=false',
    body: ops(
      { op: 'replace', path: 'displayName', value: 'Joy Young' },
      { op: 'add', path: 'emails', value: joy.emails },
    ),
    document: joy,
    changed: false,
    changedAttributes: [],
  },
  {
    name: 'vector 23: "ADD" behaves like "add"',
    body: ops({ op: 'ADD', path: 'nickName', value: 'Babs' }),
    document: { ...joy, nickName: 'Babs' },
  },
  {
    name: 'add to a multi-valued attribute appends and de-duplicates',
    body: ops({
      op: 'add',
      path: 'emails',
      value: [
        { type: 'work', value: 'jyoung@Contoso.com', primary: true },
        { type: 'home', value: 'joy@home.com' },
      ],
    }),
    document: {
      ...joy,
      emails: [
        { type: 'work', value: 'jyoung@Contoso.com', primary: true },
        { type: 'home', value: 'joy@home.com' },
      ],
    },
  },
  {
    name: 'add of a primary value clears primary on the others (RFC 7643 §2.4)',
    body: ops({
      op: 'add',
      path: 'emails',
      value: [{ type: 'home', value: 'joy@home.com', primary: 'True' }],
    }),
    document: {
      ...joy,
      emails: [
        { type: 'work', value: 'jyoung@Contoso.com' },
        { type: 'home', value: 'joy@home.com', primary: true },
      ],
    },
    notes: ['primary moved'],
  },
  {
    name: 'filtered primary set to true moves primary',
    doc: {
      userName: 'p@x.com',
      emails: [
        { type: 'work', value: 'w', primary: true },
        { type: 'home', value: 'h' },
      ],
    },
    body: ops({ op: 'replace', path: 'emails[type eq "home"].primary', value: true }),
    document: {
      userName: 'p@x.com',
      emails: [
        { type: 'work', value: 'w' },
        { type: 'home', value: 'h', primary: true },
      ],
    },
  },
  {
    name: 'replace on a multi-valued attribute replaces the whole list',
    body: ops({ op: 'replace', path: 'emails', value: [{ type: 'other', value: 'o@x.com' }] }),
    document: { ...joy, emails: [{ type: 'other', value: 'o@x.com' }] },
  },
  {
    name: 'replace with a value filter and no sub-attribute merges into the matched element',
    body: ops({ op: 'replace', path: 'emails[type eq "work"]', value: { value: 'merged@x.com' } }),
    document: { ...joy, emails: [{ type: 'work', value: 'merged@x.com', primary: true }] },
  },
  {
    name: 'replace of a complex attribute merges sub-attributes',
    body: ops({ op: 'replace', path: 'name', value: { middleName: 'Q', givenName: null } }),
    document: { ...joy, name: { familyName: 'Young', middleName: 'Q' } },
  },
  {
    name: 'null in a replace removes the attribute (Entra)',
    body: ops({ op: 'replace', value: { displayName: null, title: null } }),
    document: { userName: joy.userName, active: true, name: joy.name, emails: joy.emails },
    changedAttributes: ['displayName'],
    notes: ['null for "displayName" in a replace removes it'],
  },
  {
    name: 'remove of an absent attribute is a no-op',
    body: ops({ op: 'remove', path: 'title' }),
    document: joy,
    changed: false,
    notes: ['remove of absent "title": nothing to do'],
  },
  {
    name: 'remove with a filter matching nothing is a no-op',
    body: ops({ op: 'remove', path: 'emails[type eq "home"]' }),
    document: joy,
    changed: false,
  },
  {
    name: 'remove with a filter removes the matched element and an emptied attribute',
    body: ops({ op: 'remove', path: 'emails[type eq "work"]' }),
    document: { userName: joy.userName, displayName: joy.displayName, active: true, name: joy.name },
    changedAttributes: ['emails'],
  },
  {
    name: 'remove of a sub-attribute',
    body: ops({ op: 'remove', path: 'name.givenName' }),
    document: { ...joy, name: { familyName: 'Young' } },
  },
  {
    name: 'remove with a value on a multi-valued attribute removes the listed elements only',
    doc: { userName: 'r@x.com', roles: [{ value: 'a' }, { value: 'b' }] },
    body: ops({ op: 'remove', path: 'roles', value: [{ value: 'A' }] }),
    document: { userName: 'r@x.com', roles: [{ value: 'b' }] },
  },
  {
    name: 'externalId add, then remove',
    externalId: 'old',
    body: ops({ op: 'remove', path: 'externalId' }),
    externalIdAfter: null,
    changedAttributes: ['externalId'],
  },
  {
    name: 'a whole extension by its URN: add an object, pathless extension object',
    body: ops(
      { op: 'add', path: E, value: { department: 'Sales' } },
      { op: 'replace', value: { [E]: { costCenter: '42' } } },
    ),
    document: { ...joy, [E]: { department: 'Sales', costCenter: '42' } },
  },
  {
    name: 'remove of a whole extension by its URN',
    doc: { ...joy, [E]: { department: 'Sales' } },
    body: ops({ op: 'remove', path: E }),
    document: joy,
    changedAttributes: [`${E}:department`],
  },
  {
    name: 'core attributes under the core URN in a pathless value',
    body: ops({ op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User': { nickName: 'J' } } }),
    document: { ...joy, nickName: 'J' },
  },
  {
    name: 'pathless: unknown keys, meta and groups ignored; password discarded',
    body: ops({
      op: 'replace',
      value: { foo: 1, meta: { created: 'x' }, groups: [], password: 'p', nickName: 'N' },
    }),
    document: { ...joy, nickName: 'N' },
    notes: ['unknown attribute "foo"', 'read-only "meta"', 'write-only "password" accepted and discarded'],
  },
  {
    name: 'password by path is accepted and discarded',
    body: ops({ op: 'replace', path: 'password', value: 's3cret' }),
    document: joy,
    changed: false,
  },
  {
    name: 'a missing "schemas" and a lower-case "operations" are accepted',
    body: { operations: [{ op: 'add', path: 'nickName', value: 'B' }] },
    document: { ...joy, nickName: 'B' },
    notes: ['without "schemas"'],
  },
  {
    name: 'the malformed Entra URN "…:2.0User" inside a path',
    body: ops({
      op: 'replace',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department',
      value: 'D',
    }),
    document: { ...joy, [E]: { department: 'D' } },
    notes: ['malformed enterprise URN'],
  },
  {
    name: 'a value-filter key inside a pathless value',
    body: ops({ op: 'replace', value: { 'emails[type eq "work"].value': 'k@x.com' } }),
    document: { ...joy, emails: [{ type: 'work', value: 'k@x.com', primary: true }] },
  },
  {
    name: 'sub-attribute of a multi-valued attribute without a filter targets every element',
    doc: { userName: 'p@x.com', emails: [{ value: 'a' }, { value: 'b', type: 'home' }] },
    body: ops({ op: 'replace', path: 'emails.type', value: 'other' }),
    document: {
      userName: 'p@x.com',
      emails: [
        { value: 'a', type: 'other' },
        { value: 'b', type: 'other' },
      ],
    },
  },
  {
    name: 'remove of a filtered sub-attribute keeps the rest of the element',
    body: ops({ op: 'remove', path: 'emails[type eq "work"].primary' }),
    document: { ...joy, emails: [{ type: 'work', value: 'jyoung@Contoso.com' }] },
  },
  {
    name: 'a null "members" inside a pathless group value is ignored (never wipes the group)',
    ctx: defaultGroupContext,
    body: ops({ op: 'replace', value: { displayName: 'G2', members: null } }),
    document: { displayName: 'G2' },
    notes: ['null "members" in a pathless value ignored'],
  },
  {
    name: 'immutable attribute may be set when absent',
    ctx: badgeContext,
    doc: { userName: 'b@x.com', [badge.id]: { level: 1 } },
    body: ops({ op: 'add', path: `${badge.id}:badgeId`, value: 'B-1' }),
    document: { userName: 'b@x.com', [badge.id]: { level: 1, badgeId: 'B-1' } },
  },
  {
    name: 'immutable attribute set to its current value is fine',
    ctx: badgeContext,
    doc: { userName: 'b@x.com', [badge.id]: { level: 1, badgeId: 'B-1' } },
    body: ops({ op: 'replace', path: 'badgeId', value: 'B-1' }),
    changed: false,
  },
]);

table('RFC 7644 §3.12 errors', [
  { name: 'remove without path → noTarget', body: ops({ op: 'remove' }), error: 'noTarget' },
  {
    name: 'filtered replace matching nothing that is not an equality → noTarget',
    body: ops({ op: 'replace', path: 'emails[value co "zzz"].type', value: 'home' }),
    error: 'noTarget',
  },
  {
    name: 'unknown attribute → invalidPath',
    body: ops({ op: 'replace', path: 'shoeSize', value: 1 }),
    error: 'invalidPath',
  },
  {
    name: 'unknown sub-attribute → invalidPath',
    body: ops({ op: 'replace', path: 'name.nick', value: 1 }),
    error: 'invalidPath',
  },
  {
    name: 'malformed path → invalidPath',
    body: ops({ op: 'replace', path: 'emails[type eq "work"', value: 'x' }),
    error: 'invalidPath',
  },
  {
    name: 'value filter on a single-valued attribute → invalidPath',
    body: ops({ op: 'replace', path: 'name[givenName eq "Joy"].familyName', value: 'x' }),
    error: 'invalidPath',
  },
  {
    name: 'unknown sub-attribute inside a value filter → invalidFilter',
    body: ops({ op: 'replace', path: 'emails[kind eq "work"].value', value: 'x' }),
    error: 'invalidFilter',
  },
  { name: 'path id → mutability', body: ops({ op: 'replace', path: 'id', value: 'x' }), error: 'mutability' },
  {
    name: 'path meta.created → mutability',
    body: ops({ op: 'replace', path: 'meta.created', value: 'x' }),
    error: 'mutability',
  },
  {
    name: 'path groups → mutability',
    body: ops({ op: 'add', path: 'groups', value: [{ value: 'g' }] }),
    error: 'mutability',
  },
  {
    name: 'path manager.displayName (read-only sub-attribute) → mutability',
    body: ops({ op: 'replace', path: 'manager.displayName', value: 'x' }),
    error: 'mutability',
  },
  {
    name: 'changing an immutable attribute with a value → mutability',
    ctx: badgeContext,
    doc: { userName: 'b@x.com', [badge.id]: { level: 1, badgeId: 'B-1' } },
    body: ops({ op: 'replace', path: 'badgeId', value: 'B-2' }),
    error: 'mutability',
  },
  {
    name: 'removing an immutable attribute with a value → mutability',
    ctx: badgeContext,
    doc: { userName: 'b@x.com', [badge.id]: { level: 1, badgeId: 'B-1' } },
    body: ops({ op: 'remove', path: 'badgeId' }),
    error: 'mutability',
  },
  {
    name: 'removing userName (required) → invalidValue',
    body: ops({ op: 'remove', path: 'userName' }),
    error: 'invalidValue',
    detail: '"userName" is required',
  },
  {
    name: 'group displayName replaced with null → invalidValue',
    ctx: defaultGroupContext,
    body: ops({ op: 'replace', path: 'displayName', value: null }),
    error: 'invalidValue',
  },
  {
    name: 'required extension attribute removed → invalidValue',
    ctx: badgeContext,
    doc: { userName: 'b@x.com', [badge.id]: { level: 1 } },
    body: ops({ op: 'remove', path: `${badge.id}:level` }),
    error: 'invalidValue',
  },
  {
    name: 'a non-boolean for active → invalidValue',
    body: ops({ op: 'replace', path: 'active', value: 'yes' }),
    error: 'invalidValue',
  },
  {
    name: 'two primaries in one add → invalidValue',
    body: ops({
      op: 'add',
      path: 'emails',
      value: [
        { value: 'a@x', primary: true },
        { value: 'b@x', primary: true },
      ],
    }),
    error: 'invalidValue',
  },
  {
    name: 'pathless value that is not an object → invalidValue',
    body: ops({ op: 'replace', value: 'x' }),
    error: 'invalidValue',
  },
  {
    name: 'add without value → invalidValue',
    body: ops({ op: 'add', path: 'title' }),
    error: 'invalidValue',
  },
  { name: 'empty Operations → invalidValue', body: ops(), error: 'invalidValue' },
  {
    name: `more than ${MAX_OPERATIONS} operations → invalidValue`,
    body: ops(
      ...Array.from({ length: MAX_OPERATIONS + 1 }, () => ({ op: 'add', path: 'title', value: 't' })),
    ),
    error: 'invalidValue',
  },
  { name: 'missing Operations → invalidSyntax', body: { schemas: [PATCH_OP] }, error: 'invalidSyntax' },
  {
    name: 'Operations not an array → invalidSyntax',
    body: { schemas: [PATCH_OP], Operations: {} },
    error: 'invalidSyntax',
  },
  {
    name: 'schemas without the PatchOp URN → invalidSyntax',
    body: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      Operations: [{ op: 'add', path: 'title', value: 'x' }],
    },
    error: 'invalidSyntax',
  },
  { name: 'body not an object → invalidSyntax', body: [], error: 'invalidSyntax' },
  { name: 'missing op → invalidSyntax', body: ops({ path: 'title', value: 'x' }), error: 'invalidSyntax' },
  {
    name: 'unknown op → invalidSyntax',
    body: ops({ op: 'copy', path: 'title', value: 'x' }),
    error: 'invalidSyntax',
  },
  { name: 'operation not an object → invalidSyntax', body: ops('add'), error: 'invalidSyntax' },
  {
    name: 'member without value → invalidValue',
    ctx: defaultGroupContext,
    body: ops({ op: 'add', path: 'members', value: [{ display: 'x' }] }),
    error: 'invalidValue',
  },
  {
    name: 'a group as its own member → invalidValue',
    ctx: defaultGroupContext,
    id: GROUP_ID,
    body: ops({ op: 'add', path: 'members', value: [{ value: GROUP_ID }] }),
    error: 'invalidValue',
  },
  {
    name: 'members filter other than value eq → invalidFilter',
    ctx: defaultGroupContext,
    body: ops({ op: 'remove', path: 'members[type eq "User"]' }),
    error: 'invalidFilter',
  },
  {
    name: 'add with a members filter → invalidPath',
    ctx: defaultGroupContext,
    body: ops({ op: 'add', path: 'members[value eq "x"]', value: { value: 'x' } }),
    error: 'invalidPath',
  },
  {
    name: 'the error names the failing operation',
    body: ops({ op: 'replace', path: 'title', value: 'x' }, { op: 'replace', path: 'id', value: 'x' }),
    error: 'mutability',
    detail: 'Operations[1] (replace "id")',
  },
]);

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

describe('purity and atomicity', () => {
  it('never mutates the input document or body', () => {
    const document = deepFreeze(structuredClone({ ...joy, [E]: { manager: { value: 'm' } } }));
    const body = deepFreeze(
      ops(
        { op: 'add', path: 'emails', value: [{ value: 'n@x', primary: true }] },
        { op: 'replace', path: 'name.givenName', value: 'G' },
        { op: 'remove', path: `${E}:manager` },
        { op: 'replace', value: { title: 'T' } },
      ),
    );
    const snapshot = structuredClone(document);
    const r = applyPatch({ document, externalId: null }, body, defaultUserContext);
    assert.deepEqual(document, snapshot);
    assert.notEqual(r.document, document);
    assert.equal((r.document.emails as unknown[]).length, 2);
  });

  it('a bad later operation leaves nothing applied', () => {
    const document = structuredClone(joy);
    const snapshot = structuredClone(joy);
    assert.throws(
      () =>
        applyPatch(
          { document, externalId: 'e' },
          ops(
            { op: 'replace', path: 'displayName', value: 'X' },
            { op: 'replace', path: 'active', value: 'maybe' },
          ),
          defaultUserContext,
        ),
      (e: unknown) => e instanceof ScimError && e.scimType === 'invalidValue',
    );
    assert.deepEqual(document, snapshot);
  });

  it('a later operation sees the earlier ones', () => {
    const r = applyPatch(
      { document: joy, externalId: null },
      ops(
        { op: 'add', path: 'emails', value: [{ type: 'home', value: 'h@x' }] },
        { op: 'replace', path: 'emails[type eq "home"].value', value: 'h2@x' },
        { op: 'remove', path: 'emails[type eq "work"]' },
      ),
      defaultUserContext,
    );
    assert.deepEqual(r.document.emails, [{ type: 'home', value: 'h2@x' }]);
  });

  it('vector 23: Add, ADD and add give identical results', () => {
    const results = ['Add', 'ADD', 'add'].map(
      (op) =>
        applyPatch(
          { document: joy, externalId: null },
          ops({ op, path: 'title', value: 'T' }),
          defaultUserContext,
        ).document,
    );
    assert.equal(results[0]?.title, 'T');
    assert.deepEqual(results[0], results[1]);
    assert.deepEqual(results[1], results[2]);
  });
});

describe('parsePatchRequest', () => {
  it('returns the operations with lower-case ops, trimmed paths and null values kept', () => {
    const notes: string[] = [];
    const parsed = parsePatchRequest(
      ops({ op: 'Replace', path: ' title ', value: null }, { op: 'remove', path: 'nickName' }),
      notes,
    );
    assert.deepEqual(parsed, [
      { op: 'replace', path: 'title', value: null },
      { op: 'remove', path: 'nickName' },
    ]);
  });
});
