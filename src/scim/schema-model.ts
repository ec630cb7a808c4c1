/**
 * The SCIM schema model (RFC 7643 §2, §7) as data. Validation, projection, filter resolution,
 * PATCH, discovery and SQL mapping all read these properties; nothing branches on attribute names.
 */

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'complex'
  | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
  /**
   * Storage hint read by the store: the attribute is kept in a dedicated, indexed column
   * (case-insensitive strings also keep a normalised copy) instead of only in the JSON document.
   */
  column?: string;
  /** Storage hint: the elements' `value` of this multi-valued attribute are indexed in the values table. */
  indexedValues?: boolean;
  /** The attribute is computed by the server (meta, groups) and never read from or written to the document. */
  derived?: boolean;
  /**
   * The attribute is a relation between resources (Group `members`): PATCH turns operations on it
   * into membership changes for the store instead of editing the document.
   */
  relation?: boolean;
  /**
   * Longest accepted string, in UTF-16 units. Indexed values need one: a B-tree entry must fit
   * in a database page (PostgreSQL refuses index rows over ~2.7 kB).
   */
  maxLength?: number;
  /** Not sortable (complex, multi-valued and derived attributes never are). */
  sortable?: boolean;
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export interface ResourceTypeDef {
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

/** Builds an attribute with RFC 7643 §2.2 defaults; only what differs needs saying. */
export function attr(name: string, type: AttributeType, props: Partial<AttributeDef> = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...props,
  };
}

/** The usual sub-attributes of a multi-valued attribute (RFC 7643 §2.4), with the `type` canonical values given. */
export function multiValued(
  name: string,
  description: string,
  types: string[],
  valueProps: Partial<AttributeDef> = {},
  extra: AttributeDef[] = [],
): AttributeDef {
  return attr(name, 'complex', {
    multiValued: true,
    description,
    subAttributes: [
      attr('value', valueProps.type ?? 'string', { description: `The ${name} value.`, ...valueProps }),
      attr('display', 'string', {
        description: 'A human-readable name, primarily used for display purposes.',
      }),
      attr('type', 'string', {
        description: `A label indicating the attribute's function.`,
        canonicalValues: types,
      }),
      attr('primary', 'boolean', {
        description: 'Indicates the primary or preferred value; at most one element may be primary.',
      }),
      ...extra,
    ],
  });
}

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

/** Finds an attribute by name, case-insensitively (RFC 7643 §2.1). */
export function findAttribute(
  list: readonly AttributeDef[] | undefined,
  name: string,
): AttributeDef | undefined {
  if (!list) return undefined;
  const lower = name.toLowerCase();
  return list.find((a) => a.name.toLowerCase() === lower);
}
