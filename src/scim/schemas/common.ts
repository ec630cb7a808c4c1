import { type AttributeDef, attr } from '../schema-model.js';

/** Attributes common to every resource (RFC 7643 §3.1); kept outside any schema's attribute list. */
export const commonAttributes: AttributeDef[] = [
  attr('id', 'string', {
    description: 'Unique identifier for the resource, assigned by the service provider.',
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
    column: 'id',
  }),
  attr('externalId', 'string', {
    description: 'An identifier for the resource as defined by the provisioning client.',
    caseExact: true,
    column: 'external_id',
    maxLength: 1024,
  }),
  attr('meta', 'complex', {
    description: 'Resource metadata.',
    mutability: 'readOnly',
    derived: true,
    subAttributes: [
      attr('resourceType', 'string', { caseExact: true, mutability: 'readOnly', sortable: false }),
      attr('created', 'dateTime', { mutability: 'readOnly', column: 'created_at' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly', column: 'updated_at' }),
      attr('location', 'reference', { mutability: 'readOnly', referenceTypes: ['uri'], sortable: false }),
      attr('version', 'string', { caseExact: true, mutability: 'readOnly', sortable: false }),
    ],
  }),
];
