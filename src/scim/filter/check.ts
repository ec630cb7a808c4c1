/**
 * The one place that decides whether a filter makes sense for a resource type: every path resolves,
 * every operator fits its attribute's type and every literal its attribute (RFC 7644 §3.4.2.2).
 * The evaluator and the SQL compiler both consume its output, so they cannot disagree on meaning.
 *
 * Semantics fixed here, for every consumer:
 * - `a ne v` is `not (a eq v)`: true when no value of `a` equals `v`, including when `a` is absent.
 * - `a eq null` is `not (a pr)`, `a ne null` is `a pr`; other operators with null are invalid.
 * - `not (f)` is plain negation of a two-valued `f`: absent attributes make comparisons false, never unknown.
 */

import { invalidFilter } from '../errors.js';
import {
  leafOf,
  type ResolvedPath,
  resolveAttrPath,
  resolveCompareOperand,
  type SchemaContext,
} from '../paths.js';
import { coerceBooleanString, coerceNumberToString } from '../quirks.js';
import { type AttributeDef, findAttribute } from '../schema-model.js';
import type { AttrPath, CompareOp, FilterLiteral, FilterNode } from './ast.js';
import { type Instant, parseDateTime } from './date-time.js';
import { printAttrPath } from './print.js';

/** A resolved operand; `leaf` is the definition of the compared value (the sub-attribute when there is one). */
export type CheckedTarget = ResolvedPath & { leaf: AttributeDef };

/** A literal converted to the attribute's type. */
export type CheckedValue =
  | { type: 'string'; value: string; caseExact: boolean }
  | { type: 'boolean'; value: boolean }
  | { type: 'number'; value: number }
  | { type: 'dateTime'; value: Instant };

/** Operators left after `ne` became `not eq`. */
export type CheckedOp = Exclude<CompareOp, 'ne'>;

/**
 * A filter checked against the schemas. Inside `valuePath`, the nodes apply to one element and
 * their targets' `leaf` is a sub-attribute of the valuePath's attribute.
 */
export type CheckedFilter =
  | { kind: 'compare'; target: CheckedTarget; op: CheckedOp; value: CheckedValue }
  | { kind: 'present'; target: CheckedTarget }
  | { kind: 'and'; left: CheckedFilter; right: CheckedFilter }
  | { kind: 'or'; left: CheckedFilter; right: CheckedFilter }
  | { kind: 'not'; filter: CheckedFilter }
  | { kind: 'valuePath'; target: CheckedTarget; filter: CheckedFilter };

const STRING_OPS: readonly CheckedOp[] = ['eq', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDERED_OPS: readonly CheckedOp[] = ['eq', 'gt', 'ge', 'lt', 'le'];
// RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary attributes is invalidFilter.
const OPS_BY_TYPE: Record<AttributeDef['type'], readonly CheckedOp[]> = {
  string: STRING_OPS,
  reference: STRING_OPS,
  binary: ['eq', 'co', 'sw', 'ew'],
  boolean: ['eq'],
  integer: ORDERED_OPS,
  decimal: ORDERED_OPS,
  dateTime: ORDERED_OPS,
  complex: [],
};

/** Checks a filter against a resource type's schemas; anything that does not fit is an invalidFilter ScimError. */
export function checkFilter(node: FilterNode, ctx: SchemaContext): CheckedFilter {
  return checkNode(node, (path) => resolveTop(path, ctx));
}

/** Checks the filter of a value path (`emails[type eq "work"]`) against the attribute it applies to. */
export function checkValueFilter(filter: FilterNode, parent: AttributeDef): CheckedFilter {
  const resolved: ResolvedPath = { schema: null, attribute: parent, documentKeys: [parent.name] };
  return checkNode(filter, (path) => resolveInElement(path, resolved));
}

type Resolver = (path: AttrPath) => ResolvedPath;

function checkNode(node: FilterNode, resolve: Resolver): CheckedFilter {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: checkNode(node.left, resolve), right: checkNode(node.right, resolve) };
    case 'not':
      return { kind: 'not', filter: checkNode(node.filter, resolve) };
    case 'present': {
      const resolved = resolve(node.path);
      return { kind: 'present', target: { ...resolved, leaf: leafOf(resolved) } };
    }
    case 'valuePath': {
      const resolved = resolve(node.path);
      if (resolved.attribute.type !== 'complex' || resolved.sub) {
        throw invalidFilter(`"${printAttrPath(node.path)}[…]" needs a complex attribute before "[".`);
      }
      const inner = checkNode(node.filter, (path) => resolveInElement(path, resolved));
      return { kind: 'valuePath', target: { ...resolved, leaf: resolved.attribute }, filter: inner };
    }
    case 'compare':
      return checkCompare(node.path, node.op, node.value, resolve);
  }
}

function checkCompare(
  path: AttrPath,
  op: CompareOp,
  literal: FilterLiteral,
  resolve: Resolver,
): CheckedFilter {
  const name = printAttrPath(path);
  const resolved = resolve(path);
  if (literal === null) {
    const target = { ...resolved, leaf: leafOf(resolved) };
    if (op === 'eq') return { kind: 'not', filter: { kind: 'present', target } };
    if (op === 'ne') return { kind: 'present', target };
    throw invalidFilter(`"${name} ${op} null": only eq and ne can compare with null.`);
  }
  const operand = resolveCompareOperand(resolved);
  if (!operand) {
    throw invalidFilter(
      `"${name}" is a complex attribute: compare one of its sub-attributes, e.g. "${name}.${resolved.attribute.subAttributes?.[0]?.name ?? 'value'}".`,
    );
  }
  const leaf = leafOf(operand);
  const positiveOp: CheckedOp = op === 'ne' ? 'eq' : op;
  if (!OPS_BY_TYPE[leaf.type].includes(positiveOp)) {
    throw invalidFilter(`The operator "${op}" cannot be used with "${name}", a ${leaf.type} attribute.`);
  }
  const value = convertLiteral(literal, leaf, name);
  const compare: CheckedFilter = { kind: 'compare', target: { ...operand, leaf }, op: positiveOp, value };
  return op === 'ne' ? { kind: 'not', filter: compare } : compare;
}

function convertLiteral(
  literal: Exclude<FilterLiteral, null>,
  leaf: AttributeDef,
  name: string,
): CheckedValue {
  const notes: string[] = [];
  switch (leaf.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      const v = typeof literal === 'boolean' ? String(literal) : coerceNumberToString(literal, name, notes);
      if (typeof v !== 'string') break;
      return { type: 'string', value: v, caseExact: leaf.caseExact };
    }
    case 'boolean': {
      // Entra ID compares booleans with "True"/"False" strings (`primary eq "True"`).
      const v = coerceBooleanString(literal, notes);
      if (typeof v !== 'boolean') break;
      return { type: 'boolean', value: v };
    }
    case 'integer':
    case 'decimal':
      if (typeof literal !== 'number') break;
      return { type: 'number', value: literal };
    case 'dateTime': {
      const instant = typeof literal === 'string' ? parseDateTime(literal) : undefined;
      if (!instant) {
        throw invalidFilter(
          `"${name}" is a dateTime: compare it with a string such as "2021-09-23T19:35:41.842Z".`,
        );
      }
      return { type: 'dateTime', value: instant };
    }
    case 'complex':
      break;
  }
  throw invalidFilter(
    `${JSON.stringify(literal)} is not a valid value for "${name}", a ${leaf.type} attribute.`,
  );
}

function resolveTop(path: AttrPath, ctx: SchemaContext): ResolvedPath {
  const resolved = resolveAttrPath(path, ctx);
  if (!resolved) throw invalidFilter(`Unknown attribute "${printAttrPath(path)}".`);
  refuseHidden(resolved, printAttrPath(path));
  return resolved;
}

function resolveInElement(path: AttrPath, parent: ResolvedPath): ResolvedPath {
  const name = printAttrPath(path);
  if (path.uri !== undefined || path.sub !== undefined) {
    throw invalidFilter(
      `Inside "${parent.attribute.name}[…]", "${name}" must be a sub-attribute name of "${parent.attribute.name}".`,
    );
  }
  const sub = findAttribute(parent.attribute.subAttributes, path.attr);
  if (!sub) throw invalidFilter(`Unknown attribute "${parent.attribute.name}.${path.attr}".`);
  const resolved: ResolvedPath = { ...parent, sub, documentKeys: [...parent.documentKeys, sub.name] };
  refuseHidden(resolved, `${parent.attribute.name}.${sub.name}`);
  return resolved;
}

function refuseHidden(resolved: ResolvedPath, name: string): void {
  // Never-returned attributes (password) must not be probed through filters.
  if (resolved.attribute.returned === 'never' || resolved.sub?.returned === 'never') {
    throw invalidFilter(`"${name}" cannot be used in a filter.`);
  }
}
