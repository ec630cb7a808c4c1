import { invalidSyntax, invalidValue } from './errors.js';
import {
  canonicalSchemaUrn,
  coerceBooleanString,
  coerceNumberToString,
  type Notes,
  unwrapSingleElementArray,
  wrapBareValue,
} from './quirks.js';
import type { ResourceContext } from './resource-types.js';
import { type AttributeDef, findAttribute, type SchemaDef } from './schema-model.js';

/**
 * A resource document as stored: core attributes at the top level under their canonical names,
 * extension attributes under the extension URN, and nothing the server owns (id, meta, schemas,
 * derived attributes, write-only attributes).
 */
export type ScimDocument = Record<string, unknown>;

export interface NormalisedResource {
  document: ScimDocument;
  /** `externalId` from the body (a common attribute, kept beside the document). */
  externalId: string | null | undefined;
  notes: Notes;
}

const MAX_STRING = 65_536;
const MAX_ELEMENTS = 1_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates and normalises a client's resource body (POST or PUT) against the schema model:
 * case-insensitive names become canonical, nulls mean "absent" (RFC 7644 §3.5.1), read-only and
 * write-only attributes are dropped, known client quirks are normalised, wrong types are
 * `invalidValue`, unknown schema URNs are `invalidValue`, unknown attributes are ignored and noted.
 */
export function normaliseResource(body: unknown, ctx: ResourceContext): NormalisedResource {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object.');
  const notes: Notes = [];
  const known = new Map<string, SchemaDef>();
  known.set(ctx.core.id.toLowerCase(), ctx.core);
  for (const ext of ctx.extensions) known.set(ext.id.toLowerCase(), ext);

  const schemasValue = body.schemas;
  if (schemasValue !== undefined && schemasValue !== null) {
    if (!Array.isArray(schemasValue) || schemasValue.some((s) => typeof s !== 'string')) {
      throw invalidSyntax('"schemas" must be an array of schema URNs.');
    }
    for (const raw of schemasValue as string[]) {
      const urn = canonicalSchemaUrn(raw, notes);
      if (!known.has(urn.toLowerCase())) {
        throw invalidValue(
          `Unknown schema "${raw}" for ${ctx.resourceType.name}; known: ${[...known.values()].map((s) => s.id).join(', ')}.`,
        );
      }
    }
  }

  const document: ScimDocument = {};
  let externalId: string | null | undefined;
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas') continue;
    if (lower.includes(':')) {
      // An extension object keyed by its URN (possibly a known alias).
      const urn = canonicalSchemaUrn(key, notes);
      const ext = known.get(urn.toLowerCase());
      if (!ext || ext === ctx.core) {
        if (ext === ctx.core && isObject(value)) {
          // Core attributes nested under the core URN: merge them as top-level ones.
          Object.assign(document, normaliseAttributes(value, ctx.core.attributes, '', notes));
          continue;
        }
        throw invalidValue(`Unknown schema extension "${key}".`);
      }
      if (value === null || value === undefined) continue;
      if (!isObject(value)) throw invalidValue(`"${key}" must be an object of extension attributes.`);
      const attrs = normaliseAttributes(value, ext.attributes, `${ext.id}:`, notes);
      if (Object.keys(attrs).length > 0) document[ext.id] = attrs;
      continue;
    }
    const common = findAttribute(ctx.common, key);
    if (common) {
      if (common.name === 'externalId')
        externalId = normaliseValue(value, common, 'externalId', notes) as string | null;
      continue; // id and meta are server-owned.
    }
    const def = findAttribute(ctx.core.attributes, key);
    if (!def) {
      if (value !== null) notes.push(`unknown attribute "${key}" ignored`);
      continue;
    }
    const v = normaliseAttribute(value, def, def.name, notes);
    if (v !== undefined) document[def.name] = v;
  }
  checkRequired(document, ctx.core.attributes, '');
  for (const ext of ctx.extensions) {
    const sub = document[ext.id];
    if (isObject(sub)) checkRequired(sub, ext.attributes, `${ext.id}:`);
  }
  return { document, externalId, notes };
}

function checkRequired(doc: ScimDocument, attrs: AttributeDef[], prefix: string): void {
  for (const a of attrs) {
    if (a.required && a.mutability !== 'readOnly' && (doc[a.name] === undefined || doc[a.name] === '')) {
      throw invalidValue(`"${prefix}${a.name}" is required.`);
    }
  }
}

/** Normalises the attributes of one object (top level, extension, or complex value). */
export function normaliseAttributes(
  value: Record<string, unknown>,
  defs: AttributeDef[],
  prefix: string,
  notes: Notes,
): ScimDocument {
  const out: ScimDocument = {};
  for (const [key, v] of Object.entries(value)) {
    const def = findAttribute(defs, key);
    if (!def) {
      if (v !== null) notes.push(`unknown attribute "${prefix}${key}" ignored`);
      continue;
    }
    const n = normaliseAttribute(v, def, `${prefix}${def.name}`, notes);
    if (n !== undefined) out[def.name] = n;
  }
  return out;
}

/**
 * Normalises one attribute value; returns undefined when the attribute is absent after
 * normalisation (null, read-only, write-only, derived, empty).
 */
export function normaliseAttribute(value: unknown, def: AttributeDef, name: string, notes: Notes): unknown {
  if (value === null || value === undefined) return undefined;
  // RFC 7643 §2.2: readOnly values sent by clients are ignored; writeOnly ones (password) are never kept.
  if (def.mutability === 'readOnly' || def.derived) return undefined;
  if (def.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    if (list.length > MAX_ELEMENTS) throw invalidValue(`"${name}" has more than ${MAX_ELEMENTS} values.`);
    const items = list
      .map((item) => normaliseValue(item, def, name, notes))
      .filter((i) => i !== undefined && i !== null);
    if (def.type === 'complex') checkPrimary(items as Record<string, unknown>[], name);
    return items.length > 0 ? items : undefined;
  }
  let v: unknown = value;
  if (Array.isArray(v)) v = unwrapSingleElementArray(v, name, notes);
  if (Array.isArray(v)) throw invalidValue(`"${name}" is single-valued; an array was given.`);
  const n = normaliseValue(v, def, name, notes);
  return n === null ? undefined : n;
}

function checkPrimary(items: Record<string, unknown>[], name: string): void {
  let primaries = 0;
  for (const item of items) if (item.primary === true) primaries++;
  // RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once.
  if (primaries > 1) throw invalidValue(`"${name}" has more than one value with "primary": true.`);
}

/** Normalises a single (non-array) value of an attribute to the attribute's type. */
export function normaliseValue(value: unknown, def: AttributeDef, name: string, notes: Notes): unknown {
  if (value === null || value === undefined) return null;
  switch (def.type) {
    case 'complex': {
      let v: unknown = value;
      if (!isObject(v) && findAttribute(def.subAttributes, 'value')) v = wrapBareValue(v, name, notes);
      if (!isObject(v)) throw invalidValue(`"${name}" must be an object.`);
      const out = normaliseAttributes(v, def.subAttributes ?? [], `${name}.`, notes);
      return Object.keys(out).length > 0 ? out : null;
    }
    case 'boolean': {
      const v = coerceBooleanString(value, notes);
      if (typeof v !== 'boolean') throw invalidValue(`"${name}" must be a boolean.`);
      return v;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw invalidValue(`"${name}" must be an integer.`);
      return value;
    }
    case 'decimal': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalidValue(`"${name}" must be a number.`);
      return value;
    }
    case 'dateTime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw invalidValue(`"${name}" must be an xsd:dateTime string.`);
      }
      return value;
    }
    default: {
      const v = coerceNumberToString(value, name, notes);
      if (typeof v !== 'string') throw invalidValue(`"${name}" must be a string.`);
      const max = def.maxLength ?? MAX_STRING;
      if (v.length > max) throw invalidValue(`"${name}" is longer than ${max} characters.`);
      // PostgreSQL text cannot hold NUL, and no identity provider means one.
      if (v.includes('\u0000')) throw invalidValue(`"${name}" contains a NUL character.`);
      return v;
    }
  }
}
