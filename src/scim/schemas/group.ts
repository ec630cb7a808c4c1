import { attr, CORE_GROUP, type SchemaDef } from '../schema-model.js';

/** Core Group schema, RFC 7643 §4.2. */
export const groupSchema: SchemaDef = {
  id: CORE_GROUP,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', {
      description: 'A human-readable name for the Group; unique per workspace, case-insensitively.',
      required: true,
      uniqueness: 'server',
      column: 'display_name',
      maxLength: 1024,
    }),
    attr('members', 'complex', {
      multiValued: true,
      description: 'A list of members of the Group, kept as a relation (never as a stored list).',
      derived: true,
      relation: true,
      returned: 'default',
      subAttributes: [
        attr('value', 'string', {
          description: 'Identifier of the member.',
          caseExact: true,
          mutability: 'immutable',
        }),
        attr('$ref', 'reference', {
          description: 'The URI of the member resource.',
          mutability: 'immutable',
          // Members are users: nested groups are not supported, and discovery says so.
          referenceTypes: ['User'],
        }),
        attr('display', 'string', {
          description: 'A human-readable name of the member.',
          mutability: 'readOnly',
        }),
        attr('type', 'string', {
          description: 'The type of member: always User (nested groups are not supported).',
          mutability: 'immutable',
          canonicalValues: ['User'],
        }),
      ],
    }),
  ],
};
