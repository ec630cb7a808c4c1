/**
 * Custom schema extensions registered per workspace: validation of their definition and their
 * conversion to the schema model, so validation, projection, filters, PATCH and discovery treat
 * them like the built-in Enterprise User extension. Pure.
 */

import { attr, CORE_GROUP, CORE_USER, ENTERPRISE_USER, type SchemaDef } from './schema-model.js';

/** The attribute types an extension may declare (RFC 7643 §2.3, without complex and binary). */
export const EXTENSION_TYPES = ['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference'] as const;
export type ExtensionType = (typeof EXTENSION_TYPES)[number];

/** One attribute of an extension as an admin declares it. */
export interface AttributeInput {
  name: string;
  type: ExtensionType;
  multiValued?: boolean;
  caseExact?: boolean;
  required?: boolean;
  canonicalValues?: string[];
  description?: string;
}

export interface ExtensionDefinition {
  urn: string;
  resourceType: 'User' | 'Group';
  name: string;
  description: string;
  attributes: AttributeInput[];
}

export class ExtensionDefinitionError extends Error {}

export const EXTENSION_LIMITS = {
  maxAttributes: 100,
  maxNameLength: 64,
  maxUrnLength: 200,
  maxCanonicalValues: 100,
} as const;

// RFC 8141 URN: "urn:" NID ":" NSS; we keep to characters that are safe as JSON keys and in paths.
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}(?::[A-Za-z0-9()+,\-.=@;$_!*'%/?#]+)+$/i;
// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar).
const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
// Namespaces whose meaning the RFCs fix: a workspace cannot redefine them.
const RESERVED = [
  'urn:ietf:params:scim:schemas:core:',
  'urn:ietf:params:scim:api:',
  ENTERPRISE_USER.toLowerCase(),
  'urn:scim:schemas:core:',
];

function fail(message: string): never {
  throw new ExtensionDefinitionError(message);
}

/** Checks an extension URN: RFC 8141 shape, not reserved, no quote or backslash. */
export function checkUrn(urn: string): string {
  const u = urn.trim();
  if (u.length > EXTENSION_LIMITS.maxUrnLength)
    fail(`the URN is longer than ${EXTENSION_LIMITS.maxUrnLength} characters`);
  if (!URN.test(u))
    fail(
      `"${urn}" is not a URN (urn:<namespace>:<name>, e.g. urn:acme:params:scim:schemas:extension:catalog:2.0:User)`,
    );
  const lower = u.toLowerCase();
  if (
    lower === CORE_USER.toLowerCase() ||
    lower === CORE_GROUP.toLowerCase() ||
    RESERVED.some((r) => lower.startsWith(r))
  ) {
    fail(`"${urn}" is reserved by RFC 7643/7644`);
  }
  return u;
}

function checkAttribute(a: AttributeInput, seen: Set<string>): AttributeInput {
  if (
    typeof a?.name !== 'string' ||
    !ATTR_NAME.test(a.name) ||
    a.name.length > EXTENSION_LIMITS.maxNameLength
  ) {
    fail(
      `attribute name "${a?.name}" must start with a letter and use only letters, digits, "_" and "-" (at most ${EXTENSION_LIMITS.maxNameLength})`,
    );
  }
  const key = a.name.toLowerCase();
  if (seen.has(key)) fail(`attribute "${a.name}" is declared twice (names are case-insensitive)`);
  seen.add(key);
  if (!(EXTENSION_TYPES as readonly string[]).includes(a.type))
    fail(`attribute "${a.name}": type must be one of ${EXTENSION_TYPES.join(', ')}`);
  const out: AttributeInput = { name: a.name, type: a.type };
  for (const flag of ['multiValued', 'caseExact', 'required'] as const) {
    const v = a[flag];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') fail(`attribute "${a.name}": ${flag} must be true or false`);
    if (v) out[flag] = true;
  }
  if (a.canonicalValues !== undefined) {
    const cv = a.canonicalValues;
    if (
      !Array.isArray(cv) ||
      cv.some((v) => typeof v !== 'string' || v === '') ||
      cv.length > EXTENSION_LIMITS.maxCanonicalValues
    ) {
      fail(`attribute "${a.name}": canonicalValues must be a list of non-empty strings`);
    }
    if (a.type !== 'string' && a.type !== 'reference')
      fail(`attribute "${a.name}": canonicalValues only fit string attributes`);
    if (cv.length > 0) out.canonicalValues = [...cv];
  }
  if (a.description !== undefined) {
    if (typeof a.description !== 'string') fail(`attribute "${a.name}": description must be a string`);
    if (a.description !== '') out.description = a.description.slice(0, 1000);
  }
  return out;
}

// `urn:acme:…:extension:catalog:2.0:User` → `catalog User`: the last words that are not versions.
function defaultName(urn: string): string {
  const words = urn
    .split(':')
    .slice(2)
    .filter((p) => !/^\d/.test(p));
  const last = words.at(-1) ?? urn;
  const before = words.at(-2);
  return /^(user|group)$/i.test(last) && before ? `${before} ${last}` : last;
}

/** Validates a definition and returns it cleaned (trimmed URN, canonical flags). */
export function checkExtensionDefinition(input: {
  urn: string;
  resourceType: string;
  name?: string;
  description?: string;
  attributes: AttributeInput[];
}): ExtensionDefinition {
  const urn = checkUrn(input.urn);
  const rt = input.resourceType.toLowerCase();
  if (rt !== 'user' && rt !== 'group') fail('the resource type must be User or Group');
  if (!Array.isArray(input.attributes) || input.attributes.length === 0)
    fail('an extension needs at least one attribute');
  if (input.attributes.length > EXTENSION_LIMITS.maxAttributes)
    fail(`at most ${EXTENSION_LIMITS.maxAttributes} attributes`);
  const seen = new Set<string>();
  const attributes = input.attributes.map((a) => checkAttribute(a, seen));
  const name = (input.name ?? '').trim() || defaultName(urn);
  return {
    urn,
    resourceType: rt === 'user' ? 'User' : 'Group',
    name,
    description: (input.description ?? '').trim(),
    attributes,
  };
}

/** Parses a CLI attribute spec `name:type[:multi][:required][:caseExact]`, e.g. `team:string`. */
export function parseAttributeSpec(spec: string): AttributeInput {
  const [name = '', type = 'string', ...flags] = spec.split(':');
  const a: AttributeInput = { name, type: type as ExtensionType };
  for (const f of flags) {
    const k = f.toLowerCase();
    if (k === 'multi' || k === 'multivalued') a.multiValued = true;
    else if (k === 'required') a.required = true;
    else if (k === 'caseexact') a.caseExact = true;
    else fail(`unknown attribute flag "${f}" in "${spec}" (multi, required, caseExact)`);
  }
  return a;
}

/** The schema model of a registered extension (RFC 7643 §2.2 defaults for what it does not say). */
export function extensionSchema(def: ExtensionDefinition): SchemaDef {
  return {
    id: def.urn,
    name: def.name,
    description: def.description,
    attributes: def.attributes.map((a) =>
      attr(a.name, a.type, {
        multiValued: a.multiValued === true,
        caseExact: a.caseExact === true,
        required: a.required === true,
        description: a.description ?? '',
        ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
        ...(a.type === 'reference' ? { referenceTypes: ['external'] } : {}),
      }),
    ),
  };
}
