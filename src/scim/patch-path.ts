/**
 * PATCH target resolution (RFC 7644 §3.5.2): a `path` string becomes the attribute, optional
 * sub-attribute and checked value filter it names, or a whole schema (`urn:…:enterprise:2.0:User`).
 */

import { invalidPath } from './errors.js';
import type { FilterNode } from './filter/ast.js';
import { type CheckedFilter, checkValueFilter } from './filter/check.js';
import { parsePatchPath } from './filter/parse.js';
import { printAttrPath } from './filter/print.js';
import { findSchema, resolveAttrPath } from './paths.js';
import {
  canonicalSchemaUrn,
  type Notes,
  noteUnqualifiedExtensionPath,
  rewriteDottedExtensionPath,
} from './quirks.js';
import type { ResourceContext } from './resource-types.js';
import { type AttributeDef, findAttribute, type SchemaDef } from './schema-model.js';

/** A path naming one attribute (possibly a sub-attribute, possibly filtered to some elements). */
export interface AttributeTarget {
  kind: 'attribute';
  /** The path as the client wrote it, for messages. */
  text: string;
  attribute: AttributeDef;
  sub?: AttributeDef;
  /** The value filter (`emails[type eq "work"]`), as parsed and as checked against the attribute. */
  filter?: { node: FilterNode; checked: CheckedFilter };
  /** The document key of the object holding the attribute: the extension URN, or null for the top level. */
  containerKey: string | null;
  /** Canonical qualified name: `emails`, `urn:…:enterprise:2.0:User:manager`. */
  name: string;
}

/** A path naming a whole schema: its value is an object of that schema's attributes. */
export interface SchemaTarget {
  kind: 'schema';
  schema: SchemaDef;
  core: boolean;
}

export type PatchPathTarget = AttributeTarget | SchemaTarget;

/**
 * Resolves a PATCH path against the resource type, case-insensitively; an unknown attribute or
 * malformed path is invalidPath, an ill-typed value filter invalidFilter.
 */
export function resolvePatchPath(text: string, ctx: ResourceContext, notes: Notes): PatchPathTarget {
  const trimmed = text.trim();
  const schema = trimmed.includes(':') ? findSchema(canonicalSchemaUrn(trimmed, notes), ctx) : undefined;
  if (schema) return { kind: 'schema', schema, core: schema.id === ctx.core.id };

  const fixed = rewriteDottedExtensionPath(
    trimmed,
    ctx.extensions.map((e) => e.id),
    notes,
  );
  const parsed = parsePatchPath(fixed);
  // Entra's malformed `…:2.0User` and other known URN aliases, also inside paths.
  if (parsed.path.uri !== undefined) parsed.path.uri = canonicalSchemaUrn(parsed.path.uri, notes);
  const resolved = resolveAttrPath(parsed.path, ctx);
  if (!resolved) throw invalidPath(`Unknown attribute "${printAttrPath(parsed.path)}" in path "${text}".`);
  const { attribute } = resolved;
  let sub = resolved.sub;
  if (parsed.subAfterFilter !== undefined) {
    sub = findAttribute(attribute.subAttributes, parsed.subAfterFilter);
    if (!sub)
      throw invalidPath(
        `"${attribute.name}" has no sub-attribute "${parsed.subAfterFilter}" (path "${text}").`,
      );
  }

  const containerKey = resolved.schema && resolved.schema.id !== ctx.core.id ? resolved.schema.id : null;
  if (containerKey !== null && parsed.path.uri === undefined)
    noteUnqualifiedExtensionPath(text, containerKey, notes);
  const target: AttributeTarget = {
    kind: 'attribute',
    text,
    attribute,
    containerKey,
    name: containerKey === null ? attribute.name : `${containerKey}:${attribute.name}`,
  };
  if (sub) target.sub = sub;
  if (parsed.filter) {
    if (resolved.sub || !attribute.multiValued || attribute.type !== 'complex') {
      throw invalidPath(
        `"${text}": a value filter "[…]" can only select elements of a multi-valued complex attribute.`,
      );
    }
    target.filter = { node: parsed.filter, checked: checkValueFilter(parsed.filter, attribute) };
  }
  return target;
}
