import { attr, CORE_USER, multiValued, type SchemaDef } from '../schema-model.js';

/** Core User schema, RFC 7643 §4.1 (and §8.7.1 for descriptions). */
export const userSchema: SchemaDef = {
  id: CORE_USER,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', {
      description:
        'Unique identifier for the User, here the email address; unique per workspace, case-insensitively.',
      required: true,
      uniqueness: 'server',
      column: 'user_name',
      maxLength: 1024,
    }),
    attr('name', 'complex', {
      description: "The components of the user's real name.",
      subAttributes: [
        attr('formatted', 'string', { description: 'The full name, formatted for display.' }),
        attr('familyName', 'string', { description: 'The family name of the User.' }),
        attr('givenName', 'string', { description: 'The given name of the User.' }),
        attr('middleName', 'string', { description: 'The middle name(s) of the User.' }),
        attr('honorificPrefix', 'string', { description: 'The honorific prefix(es) of the User.' }),
        attr('honorificSuffix', 'string', { description: 'The honorific suffix(es) of the User.' }),
      ],
    }),
    attr('displayName', 'string', {
      description: 'The name of the User, suitable for display.',
      column: 'display_name',
      maxLength: 1024,
    }),
    attr('nickName', 'string', { description: 'The casual way to address the user.' }),
    attr('profileUrl', 'reference', {
      description: "A fully qualified URL pointing to the User's profile.",
      referenceTypes: ['external'],
    }),
    attr('title', 'string', { description: "The user's title, such as 'Vice President'." }),
    attr('userType', 'string', {
      description: 'Identifies the relationship between the organization and the user.',
    }),
    attr('preferredLanguage', 'string', {
      description: "The User's preferred written or spoken language (RFC 7231 §5.3.5).",
    }),
    attr('locale', 'string', { description: "The User's default location, e.g. en-US." }),
    attr('timezone', 'string', {
      description: "The User's time zone in IANA format, e.g. America/Los_Angeles.",
    }),
    attr('active', 'boolean', {
      description: "The User's administrative status; false suspends the member.",
      column: 'active',
    }),
    attr('password', 'string', {
      description: 'Accepted and discarded: Rollcall never stores or returns passwords.',
      mutability: 'writeOnly',
      returned: 'never',
      derived: true,
    }),
    // RFC 7643 §4.1.2: emails are searched by value; their values get an index (and a length cap).
    {
      ...multiValued('emails', 'Email addresses for the user.', ['work', 'home', 'other'], {
        maxLength: 1024,
      }),
      indexedValues: true,
    },
    multiValued('phoneNumbers', 'Phone numbers for the User, stored as sent.', [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    multiValued('ims', 'Instant messaging addresses for the User.', [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
      'qq',
      'yahoo',
    ]),
    multiValued('photos', 'URLs of photos of the User.', ['photo', 'thumbnail'], {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    attr('addresses', 'complex', {
      multiValued: true,
      description: 'A physical mailing address for this User.',
      subAttributes: [
        attr('formatted', 'string', { description: 'The full mailing address, formatted for display.' }),
        attr('streetAddress', 'string', { description: 'The full street address component.' }),
        attr('locality', 'string', { description: 'The city or locality component.' }),
        attr('region', 'string', { description: 'The state or region component.' }),
        attr('postalCode', 'string', { description: 'The zip code or postal code component.' }),
        attr('country', 'string', { description: 'The country name component (ISO 3166-1 alpha-2).' }),
        attr('type', 'string', {
          description: 'A label indicating the function.',
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', 'boolean', { description: 'Indicates the primary address.' }),
      ],
    }),
    attr('groups', 'complex', {
      multiValued: true,
      description: 'Groups the user belongs to, derived from group membership; read-only.',
      mutability: 'readOnly',
      derived: true,
      subAttributes: [
        attr('value', 'string', {
          description: 'The id of the group.',
          mutability: 'readOnly',
          caseExact: true,
        }),
        attr('$ref', 'reference', {
          description: 'The URI of the group.',
          mutability: 'readOnly',
          referenceTypes: ['Group'],
        }),
        attr('display', 'string', { description: "The group's displayName.", mutability: 'readOnly' }),
        attr('type', 'string', {
          description: 'direct or indirect.',
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
    }),
    multiValued('entitlements', 'A list of entitlements for the User.', []),
    multiValued('roles', 'A list of roles for the User.', []),
    multiValued('x509Certificates', 'A list of certificates issued to the User.', [], { type: 'binary' }),
  ],
};
