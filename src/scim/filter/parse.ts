/**
 * Recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (RFC 7644 §3.5.2).
 * Precedence, lowest first: `or`, `and`, then `not (...)`, `(...)` and attribute expressions.
 */

import { invalidFilter, invalidPath } from '../errors.js';
import type { AttrPath, CompareOp, FilterLiteral, FilterNode, PatchPath } from './ast.js';
import { describeToken, SyntaxProblem, type Token, tokenize } from './lexer.js';

/** Abuse limits: longer, deeper or larger filters are refused with invalidFilter. */
export const FILTER_LIMITS = { maxLength: 4096, maxDepth: 50, maxNodes: 200 } as const;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
]);
const OPERATORS_TEXT = 'an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)';
// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar); `$ref` is the one reserved exception.
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

type Mode = 'filter' | 'path';

/** Parses a SCIM filter into its AST; any malformed input is an invalidFilter ScimError naming the position. */
export function parseFilter(text: string): FilterNode {
  return withErrors('filter', text, (p) => {
    const node = p.parseOr(0, false);
    p.expectEnd();
    return node;
  });
}

/** Parses a PATCH `path` (RFC 7644 §3.5.2): attrPath, or valuePath with an optional sub-attribute; errors are invalidPath. */
export function parsePatchPath(text: string): PatchPath {
  return withErrors('path', text, (p) => {
    const first = p.next();
    if (first.kind !== 'word') throw expected(first, 'an attribute path');
    const path = parseAttrPath(first);
    if (!p.at('[')) {
      p.expectEnd();
      return { path };
    }
    const open = p.next();
    const filter = p.parseOr(1, true);
    const close = p.expectPunct(']', `"]" to close the "[" opened at position ${open.pos}`);
    const out: PatchPath = { path, filter };
    const sub = p.subAfterBracket(close);
    if (sub !== undefined) out.subAfterFilter = sub;
    p.expectEnd();
    return out;
  });
}

function withErrors<T>(mode: Mode, text: string, run: (p: Parser) => T): T {
  const make = mode === 'filter' ? invalidFilter : invalidPath;
  const label = mode === 'filter' ? 'Invalid filter' : 'Invalid path';
  if (typeof text !== 'string' || text.trim() === '') throw make(`${label}: it is empty.`);
  if (text.length > FILTER_LIMITS.maxLength) {
    throw make(`${label}: it is ${text.length} characters long; the limit is ${FILTER_LIMITS.maxLength}.`);
  }
  try {
    return run(createParser(tokenize(text), mode));
  } catch (error) {
    if (error instanceof SyntaxProblem) throw make(`${label} at position ${error.pos}: ${error.message}.`);
    throw error;
  }
}

function expected(tok: Token, what: string): SyntaxProblem {
  return new SyntaxProblem(tok.pos, `expected ${what}, found ${describeToken(tok)}`);
}

interface Parser {
  next(): Token;
  at(punct: '(' | ')' | '[' | ']'): boolean;
  expectPunct(punct: '(' | ')' | '[' | ']', what: string): Token;
  expectEnd(): void;
  parseOr(depth: number, inValuePath: boolean): FilterNode;
  subAfterBracket(close: Token): string | undefined;
}

function createParser(tokens: Token[], mode: Mode): Parser {
  let index = 0;
  let nodes = 0;
  const peek = (offset = 0): Token => tokens[Math.min(index + offset, tokens.length - 1)] as Token;
  const next = (): Token => {
    const t = peek();
    if (index < tokens.length - 1) index++;
    return t;
  };
  const isWord = (t: Token, word: string): boolean => t.kind === 'word' && t.text.toLowerCase() === word;
  const at = (punct: string): boolean => {
    const t = peek();
    return t.kind === 'punct' && t.text === punct;
  };
  const count = <N extends FilterNode>(node: N, pos: number): N => {
    nodes++;
    if (nodes > FILTER_LIMITS.maxNodes) {
      throw new SyntaxProblem(pos, `more than ${FILTER_LIMITS.maxNodes} expressions`);
    }
    return node;
  };
  const deeper = (depth: number, pos: number): number => {
    if (depth + 1 > FILTER_LIMITS.maxDepth) {
      throw new SyntaxProblem(pos, `nested more than ${FILTER_LIMITS.maxDepth} levels deep`);
    }
    return depth + 1;
  };

  const expectPunct = (punct: '(' | ')' | '[' | ']', what: string): Token => {
    const t = next();
    if (t.kind !== 'punct' || t.text !== punct) throw expected(t, what);
    return t;
  };

  const expectEnd = (): void => {
    const t = peek();
    if (t.kind === 'end') return;
    if (mode === 'path') throw expected(t, 'the end of the path');
    throw expected(t, '"and", "or" or the end of the filter');
  };

  function parseOr(depth: number, inValuePath: boolean): FilterNode {
    let left = parseAnd(depth, inValuePath);
    while (isWord(peek(), 'or')) {
      const op = next();
      const right = parseAnd(depth, inValuePath);
      left = count({ kind: 'or', left, right }, op.pos);
    }
    return left;
  }

  function parseAnd(depth: number, inValuePath: boolean): FilterNode {
    let left = parseUnary(depth, inValuePath);
    while (isWord(peek(), 'and')) {
      const op = next();
      const right = parseUnary(depth, inValuePath);
      left = count({ kind: 'and', left, right }, op.pos);
    }
    return left;
  }

  function parseUnary(depth: number, inValuePath: boolean): FilterNode {
    const t = peek();
    if (t.kind === 'punct' && t.text === '(') {
      const d = deeper(depth, t.pos);
      next();
      const inner = parseOr(d, inValuePath);
      expectPunct(')', `")" to close the "(" opened at position ${t.pos}`);
      return inner;
    }
    // `not` is negation only when "(" follows; otherwise it is an attribute called "not".
    const after = peek(1);
    if (isWord(t, 'not') && after.kind === 'punct' && after.text === '(') {
      const d = deeper(depth, t.pos);
      next();
      next();
      const inner = parseOr(d, inValuePath);
      expectPunct(')', `")" to close the "not (" opened at position ${t.pos}`);
      return count({ kind: 'not', filter: inner }, t.pos);
    }
    return parseAttrExp(depth, inValuePath);
  }

  function parseAttrExp(depth: number, inValuePath: boolean): FilterNode {
    const t = next();
    if (t.kind !== 'word') throw expected(t, 'an attribute path, "(" or "not ("');
    const path = parseAttrPath(t);
    const open = peek();
    if (open.kind === 'punct' && open.text === '[') {
      // RFC 7644 §3.4.2.2: valFilter is attrExp / logExp / not(valFilter): no valuePath inside a valuePath.
      if (inValuePath)
        throw new SyntaxProblem(open.pos, 'a value filter "[…]" cannot be nested inside another');
      const d = deeper(depth, open.pos);
      next();
      const inner = parseOr(d, true);
      const close = expectPunct(']', `"]" to close the "[" opened at position ${open.pos}`);
      const sub = subAfterBracket(close);
      if (sub === undefined) return count({ kind: 'valuePath', path, filter: inner }, open.pos);
      // Entra ID: `emails[type eq "work"].value eq "x"` means the element's `value` is compared too.
      const leaf = parseOperation({ attr: sub }, close);
      const both = count({ kind: 'and', left: inner, right: leaf }, close.pos);
      return count({ kind: 'valuePath', path, filter: both }, open.pos);
    }
    return parseOperation(path, t);
  }

  function parseOperation(path: AttrPath, after: Token): FilterNode {
    const opTok = next();
    if (opTok.kind !== 'word') throw expected(opTok, `${OPERATORS_TEXT} after ${describeToken(after)}`);
    const op = opTok.text.toLowerCase();
    if (op === 'pr') return count({ kind: 'present', path }, opTok.pos);
    if (!COMPARE_OPS.has(op)) throw expected(opTok, OPERATORS_TEXT);
    const value = parseValue(next());
    return count({ kind: 'compare', path, op: op as CompareOp, value }, opTok.pos);
  }

  function subAfterBracket(close: Token): string | undefined {
    const t = peek();
    if (t.kind !== 'word' || !t.text.startsWith('.') || t.pos !== close.pos + 1) return undefined;
    next();
    const name = t.text.slice(1);
    if (!ATTR_NAME.test(name)) {
      throw new SyntaxProblem(t.pos, `expected a sub-attribute name after "].", found "${t.text}"`);
    }
    return name;
  }

  return { next, at, expectPunct, expectEnd, parseOr, subAfterBracket };
}

function parseValue(t: Token): FilterLiteral {
  if (t.kind === 'string' || t.kind === 'number') return t.value;
  if (t.kind === 'word') {
    const lower = t.text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
  }
  throw expected(t, 'a value (a "string", a number, true, false or null)');
}

/**
 * Splits one word into [URI ":"] ATTRNAME ["." subAttr] (RFC 7644 §3.10): the URI is everything up to
 * the last ":". Entra ID also writes `urn:…:enterprise:2.0:User.manager` (URN, ".", attribute): a tail
 * of three names, or of two after a version-like URN segment ("2.0"), is read that way.
 */
function parseAttrPath(t: Token & { kind: 'word' }): AttrPath {
  const text = t.text;
  const colon = text.lastIndexOf(':');
  let uri: string | undefined;
  let parts: string[];
  if (colon >= 0) {
    uri = text.slice(0, colon);
    parts = text.slice(colon + 1).split('.');
    const segments = uri.split(':');
    if (segments.length < 2 || segments.some((s) => s === '')) {
      throw new SyntaxProblem(t.pos, `invalid schema URN "${uri}"`);
    }
    const last = segments[segments.length - 1] as string;
    if (parts.length === 3 || (parts.length === 2 && /^[0-9]/.test(last))) {
      uri = `${uri}:${parts[0]}`;
      parts = parts.slice(1);
    }
  } else {
    parts = text.split('.');
  }
  if (parts.length > 2) {
    throw new SyntaxProblem(t.pos, `expected attribute or attribute.subAttribute, found "${text}"`);
  }
  for (const name of parts) {
    if (!ATTR_NAME.test(name)) {
      throw new SyntaxProblem(t.pos, `expected an attribute name, found "${text}"`);
    }
  }
  const path: AttrPath = { attr: parts[0] as string };
  if (uri !== undefined) path.uri = uri;
  if (parts[1] !== undefined) path.sub = parts[1];
  return path;
}
