/**
 * Resolution of attribute paths (`userName`, `name.familyName`, `urn:…:User:manager.value`) against
 * a resource type's schemas, case-insensitively (RFC 7643 §2.1, RFC 7644 §3.10).
 */

import type { AttrPath } from './filter/ast.js';
import { type AttributeDef, findAttribute, type SchemaDef } from './schema-model.js';

/** The schemas of one resource type: what a path is resolved against (a ResourceContext fits). */
export interface SchemaContext {
  core: SchemaDef;
  extensions: SchemaDef[];
  common: AttributeDef[];
}

/** A path resolved to its definitions, with canonical names. */
export interface ResolvedPath {
  /** The schema declaring the attribute; null for the common attributes (id, externalId, meta). */
  schema: SchemaDef | null;
  attribute: AttributeDef;
  sub?: AttributeDef;
  /**
   * Keys from the resource's JSON root to the value: core and common attributes at the top level,
   * extension attributes under the extension URN, e.g. [ENTERPRISE_USER, 'manager', 'value'].
   */
  documentKeys: string[];
}

/**
 * Resolves a path against the resource type's schemas, or undefined when the URN, attribute or
 * sub-attribute is unknown (or, without URN, ambiguous between extensions). Without a URN the
 * core schema is searched first, then the common attributes, then the extensions.
 */
export function resolveAttrPath(path: AttrPath, ctx: SchemaContext): ResolvedPath | undefined {
  if (path.uri === undefined) return resolveUnqualified(path, ctx);
  const schema = findSchema(path.uri, ctx);
  if (schema) {
    const found = findAttribute(schema.attributes, path.attr);
    if (found) return withSub(schema, found, path.sub, schemaKeys(schema, ctx, found));
    const common = schema === ctx.core ? findAttribute(ctx.common, path.attr) : undefined;
    return common ? withSub(null, common, path.sub, [common.name]) : undefined;
  }
  // Entra ID writes `urn:…:enterprise:2.0:User.manager`; the parser may read it as URN `…:2.0`, attribute `User`.
  if (path.sub !== undefined && findSchema(`${path.uri}:${path.attr}`, ctx)) {
    return resolveAttrPath({ uri: `${path.uri}:${path.attr}`, attr: path.sub }, ctx);
  }
  return undefined;
}

/**
 * The operand of a comparison: RFC 7644 §3.4.2.2 reads a complex attribute compared without a
 * sub-attribute (`emails co "x"`) as its `value` sub-attribute; undefined when it has none.
 */
export function resolveCompareOperand(resolved: ResolvedPath): ResolvedPath | undefined {
  if (resolved.sub || resolved.attribute.type !== 'complex') return resolved;
  const value = findAttribute(resolved.attribute.subAttributes, 'value');
  if (!value) return undefined;
  return { ...resolved, sub: value, documentKeys: [...resolved.documentKeys, value.name] };
}

/** The definition a path's value has: the sub-attribute when there is one, else the attribute. */
export function leafOf(resolved: ResolvedPath): AttributeDef {
  return resolved.sub ?? resolved.attribute;
}

/** Finds a schema of the resource type by URN, case-insensitively. */
export function findSchema(uri: string, ctx: SchemaContext): SchemaDef | undefined {
  const lower = uri.toLowerCase();
  if (ctx.core.id.toLowerCase() === lower) return ctx.core;
  return ctx.extensions.find((s) => s.id.toLowerCase() === lower);
}

function resolveUnqualified(path: AttrPath, ctx: SchemaContext): ResolvedPath | undefined {
  const core = findAttribute(ctx.core.attributes, path.attr);
  if (core) return withSub(ctx.core, core, path.sub, [core.name]);
  const common = findAttribute(ctx.common, path.attr);
  if (common) return withSub(null, common, path.sub, [common.name]);
  let hit: { schema: SchemaDef; attribute: AttributeDef } | undefined;
  for (const schema of ctx.extensions) {
    const found = findAttribute(schema.attributes, path.attr);
    if (!found) continue;
    if (hit) return undefined; // ambiguous: the client must qualify it with the URN
    hit = { schema, attribute: found };
  }
  return hit ? withSub(hit.schema, hit.attribute, path.sub, [hit.schema.id, hit.attribute.name]) : undefined;
}

function schemaKeys(schema: SchemaDef, ctx: SchemaContext, attribute: AttributeDef): string[] {
  return schema === ctx.core ? [attribute.name] : [schema.id, attribute.name];
}

function withSub(
  schema: SchemaDef | null,
  attribute: AttributeDef,
  subName: string | undefined,
  keys: string[],
): ResolvedPath | undefined {
  if (subName === undefined) return { schema, attribute, documentKeys: keys };
  const sub = findAttribute(attribute.subAttributes, subName);
  if (!sub) return undefined;
  return { schema, attribute, sub, documentKeys: [...keys, sub.name] };
}
