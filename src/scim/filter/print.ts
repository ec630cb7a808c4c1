/**
 * Canonical text of a filter AST: lower-case keywords, JSON literals, parentheses only where
 * precedence needs them, so that `parseFilter(printFilter(ast))` deep-equals `ast`.
 */

import type { AttrPath, FilterLiteral, FilterNode } from './ast.js';

/** Prints a filter AST as canonical SCIM filter text (RFC 7644 §3.4.2.2). */
export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${printAttrPath(node.path)} ${node.op} ${printLiteral(node.value)}`;
    case 'present':
      return `${printAttrPath(node.path)} pr`;
    case 'and':
      // `and` is left-associative and binds tighter than `or`.
      return `${wrapIf(node.left, node.left.kind === 'or')} and ${wrapIf(node.right, node.right.kind === 'or' || node.right.kind === 'and')}`;
    case 'or':
      return `${printFilter(node.left)} or ${wrapIf(node.right, node.right.kind === 'or')}`;
    case 'not':
      return `not (${printFilter(node.filter)})`;
    case 'valuePath':
      return `${printAttrPath(node.path)}[${printFilter(node.filter)}]`;
  }
}

/** Prints an attribute path: `[uri:]attr[.sub]`. */
export function printAttrPath(path: AttrPath): string {
  const name = path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`;
  return path.uri === undefined ? name : `${path.uri}:${name}`;
}

function wrapIf(node: FilterNode, wrap: boolean): string {
  const text = printFilter(node);
  return wrap ? `(${text})` : text;
}

function printLiteral(value: FilterLiteral): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`printFilter: ${value} is not a JSON number`);
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return JSON.stringify(value);
}
