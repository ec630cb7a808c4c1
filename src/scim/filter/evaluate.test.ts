import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.js';
import { defaultGroupContext, defaultUserContext } from '../resource-types.js';
import { ENTERPRISE_USER, findAttribute } from '../schema-model.js';
import { userSchema } from '../schemas/user.js';
import { matchesFilter, matchesValueFilter } from './evaluate.js';
import { parseFilter } from './parse.js';

const barbara: Record<string, unknown> = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-EXT',
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: '',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
  addresses: [{ locality: 'Hollywood', country: 'US', type: 'work' }],
  roles: [],
  [ENTERPRISE_USER]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'Mgr-1' } },
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22.000Z',
    lastModified: '2021-09-23T19:35:41.842Z',
    version: 'W/"3"',
  },
};

const MATCHES: [string, boolean][] = [
  // Case-insensitive attribute names and caseExact:false values; caseExact values are exact.
  ['userName eq "BJENSEN@example.com"', true],
  ['USERNAME Eq "bjensen@example.com"', true],
  ['ActiVe eq true', true],
  ['externalId eq "bjensen-ext"', false],
  ['externalId eq "Bjensen-EXT"', true],
  ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "mgr-1"', false],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "Mgr-1"', true],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "Mgr-1"', true],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager eq "Mgr-1"', true],
  // Extension attributes without their URN, and with the core URN.
  ['employeeNumber eq "701984"', true],
  ['department sw "tour"', true],
  ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "barbara"', true],
  ['urn:ietf:params:scim:schemas:core:2.0:User:id pr', true],
  // co, sw, ew, ordering.
  ['name.familyName co "ENS"', true],
  ['name.familyName sw "j"', true],
  ['name.familyName ew "SEN"', true],
  ['name.familyName ew "x"', false],
  ['name.familyName co ""', true],
  ['displayName gt "babs"', true],
  ['displayName gt "BABT"', false],
  ['displayName ge "babs jensen"', true],
  ['displayName lt "c"', true],
  ['displayName le "Babs"', false],
  // Multi-valued: any element; a complex attribute without sub-attribute means its value.
  ['emails eq "babs@jensen.org"', true],
  ['emails co "JENSEN.ORG"', true],
  ['emails.value ew "example.com"', true],
  ['emails.type eq "home"', true],
  ['emails.type eq "other"', false],
  ['phoneNumbers.value sw "555"', true],
  ['addresses.country eq "us"', true],
  // valuePath: one element satisfies the whole inner filter.
  ['emails[type eq "work" and value co "example.com"]', true],
  ['emails[type eq "home" and value co "example.com"]', false],
  ['emails[type eq "home" and not (primary eq true)]', true],
  ['emails[primary eq "True"]', true],
  ['emails[primary eq "FALSE"]', false],
  ['emails[type eq "work"].value eq "BJENSEN@example.com"', true],
  ['emails[type eq "home"].value eq "bjensen@example.com"', false],
  ['emails[type eq "home"].primary pr', false],
  ['emails[type eq "work"].primary pr', true],
  ['name[givenName eq "Barbara" and familyName eq "Jensen"]', true],
  ['name[givenName eq "Barbara" and familyName eq "x"]', false],
  ['meta[lastModified gt "2021-01-01T00:00:00Z"]', true],
  // pr: present and non-empty; false is present.
  ['title pr', false],
  ['nickName pr', false],
  ['active pr', true],
  ['name pr', true],
  ['emails pr', true],
  ['roles pr', false],
  ['ims pr', false],
  ['emails.display pr', false],
  // ne and not: absent values match ne; not negates a two-valued result.
  ['nickName ne "x"', true],
  ['nickName eq "x"', false],
  ['not (nickName eq "x")', true],
  ['title ne ""', false],
  ['emails.type ne "home"', false],
  ['emails.type ne "other"', true],
  ['emails[not (type eq "home")]', true],
  ['nickName eq null', true],
  ['title eq null', true],
  ['displayName eq null', false],
  ['displayName ne null', true],
  // dateTime by instant, with Entra's seven fractional digits and offsets.
  ['meta.lastModified eq "2021-09-23T19:35:41.842Z"', true],
  ['meta.lastModified eq "2021-09-23T19:35:41.8420000Z"', true],
  ['meta.lastModified eq "2021-09-23T21:35:41.842+02:00"', true],
  ['meta.lastModified le "2021-09-23T19:35:41.8420572Z"', true],
  ['meta.lastModified lt "2021-09-23T19:35:41.8420572Z"', true],
  ['meta.lastModified ge "2021-09-23T19:35:41.8420572Z"', false],
  ['meta.lastModified gt "2021-09-23T19:35:41.8419999Z"', true],
  ['meta.lastModified eq "2021-09-23T19:35:41.8420572Z"', false],
  ['meta.lastModified ne "2021-09-23T19:35:41.8420572Z"', true],
  ['meta.created ge "0001-01-03T00:00:00.0000000Z"', true],
  ['meta.created gt "2010-01-23"', true],
  [
    'active eq true and (meta.lastModified ge "0001-01-03T00:00:00.0000000Z" and meta.lastModified le "2021-09-23T19:35:41.8420572Z")',
    true,
  ],
  // Lenient literals: numbers for strings.
  ['employeeNumber eq 701984', true],
  // Logic.
  ['userName pr and (nickName pr or title pr)', false],
  ['userName pr and (nickName pr or displayName pr)', true],
  ['not (userName pr) or not (emails[type eq "work"])', false],
];

describe('matchesFilter', () => {
  for (const [text, expected] of MATCHES) {
    it(`${text} → ${expected}`, () =>
      assert.equal(matchesFilter(barbara, parseFilter(text), defaultUserContext), expected));
  }

  it('reads Group members', () => {
    const group = {
      id: 'g1',
      displayName: 'Tour Guides',
      members: [
        { value: 'u1', type: 'User' },
        { value: 'g2', type: 'Group' },
      ],
    };
    const ctx = defaultGroupContext;
    assert.equal(matchesFilter(group, parseFilter('members[value eq "u1"]'), ctx), true);
    assert.equal(matchesFilter(group, parseFilter('members eq "U1"'), ctx), false);
    assert.equal(matchesFilter(group, parseFilter('members[type eq "group" and value eq "g2"]'), ctx), true);
    assert.equal(matchesFilter(group, parseFilter('members pr'), ctx), true);
    assert.equal(matchesFilter({ id: 'g3', displayName: 'x' }, parseFilter('members pr'), ctx), false);
  });
});

const INVALID: [string, RegExp][] = [
  ['nope eq "x"', /^Unknown attribute "nope"\.$/],
  ['name.nope eq "x"', /Unknown attribute "name\.nope"/],
  ['urn:acme:Unknown:userName eq "x"', /Unknown attribute "urn:acme:Unknown:userName"/],
  ['emails[nope eq "x"]', /Unknown attribute "emails\.nope"/],
  ['emails[emails.type eq "x"]', /must be a sub-attribute name of "emails"/],
  ['userName[value eq "x"]', /needs a complex attribute/],
  [
    'name eq "x"',
    /"name" is a complex attribute: compare one of its sub-attributes, e\.g\. "name\.formatted"/,
  ],
  ['active gt true', /The operator "gt" cannot be used with "active", a boolean attribute/],
  ['active co "t"', /The operator "co" cannot be used with "active"/],
  ['active eq "yes"', /"yes" is not a valid value for "active", a boolean attribute/],
  ['active eq 1', /1 is not a valid value for "active"/],
  ['meta.created co "2010"', /The operator "co" cannot be used with "meta\.created", a dateTime attribute/],
  ['meta.created gt "yesterday"', /"meta\.created" is a dateTime/],
  ['meta.created gt "2021-02-30T00:00:00Z"', /is a dateTime/],
  ['meta.created gt 5', /is a dateTime/],
  [
    'x509Certificates.value gt "x"',
    /The operator "gt" cannot be used with "x509Certificates\.value", a binary attribute/,
  ],
  ['userName gt null', /only eq and ne can compare with null/],
  ['password eq "secret"', /"password" cannot be used in a filter/],
];

describe('checkFilter errors are invalidFilter', () => {
  for (const [text, detail] of INVALID) {
    it(text, () => {
      assert.throws(
        () => matchesFilter(barbara, parseFilter(text), defaultUserContext),
        (e: unknown) => e instanceof ScimError && e.scimType === 'invalidFilter' && detail.test(e.detail),
      );
    });
  }
});

describe('matchesValueFilter (PATCH value filters)', () => {
  const emails = findAttribute(userSchema.attributes, 'emails')!;
  it('tests one element', () => {
    assert.equal(
      matchesValueFilter({ value: 'a@b.c', type: 'work' }, parseFilter('type eq "WORK"'), emails),
      true,
    );
    assert.equal(
      matchesValueFilter({ value: 'a@b.c', primary: true }, parseFilter('primary eq "True"'), emails),
      true,
    );
    assert.equal(matchesValueFilter({ value: 'a@b.c' }, parseFilter('type ne "work"'), emails), true);
    assert.equal(matchesValueFilter('a@b.c', parseFilter('value pr'), emails), false);
  });
  it('rejects attributes that are not sub-attributes', () => {
    assert.throws(
      () => matchesValueFilter({}, parseFilter('userName eq "x"'), emails),
      /Unknown attribute "emails\.userName"/,
    );
  });
});
