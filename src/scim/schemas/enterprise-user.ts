import { attr, ENTERPRISE_USER, type SchemaDef } from '../schema-model.js';

/** Enterprise User extension, RFC 7643 §4.3. */
export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', {
      description: 'Numeric or alphanumeric identifier assigned to a person.',
    }),
    attr('costCenter', 'string', { description: 'Identifies the name of a cost center.' }),
    attr('organization', 'string', { description: 'Identifies the name of an organization.' }),
    attr('division', 'string', { description: 'Identifies the name of a division.' }),
    attr('department', 'string', { description: 'Identifies the name of a department.' }),
    attr('manager', 'complex', {
      description: "The User's manager.",
      subAttributes: [
        attr('value', 'string', {
          description: 'The id of the SCIM resource representing the manager.',
          caseExact: true,
        }),
        attr('$ref', 'reference', {
          description: 'The URI of the manager resource.',
          referenceTypes: ['User'],
        }),
        attr('displayName', 'string', {
          description: "The manager's displayName; read-only.",
          mutability: 'readOnly',
        }),
      ],
    }),
  ],
};
