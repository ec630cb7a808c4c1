/**
 * Tokeniser for SCIM filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2). It knows nothing of
 * keywords: `and`, `eq`, `true` are words, and the parser decides what a word means by position,
 * so an attribute may be called `not` or `pr`.
 */

export type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'punct'; text: '(' | ')' | '[' | ']'; pos: number }
  | { kind: 'end'; pos: number };

/** Raised by the lexer and parser; the caller turns it into the right ScimError (invalidFilter or invalidPath). */
export class SyntaxProblem extends Error {
  readonly pos: number;
  constructor(pos: number, message: string) {
    super(message);
    this.name = 'SyntaxProblem';
    this.pos = pos;
  }
}

const WORD_START = /[A-Za-z_$.:]/;
const WORD_CHAR = /[A-Za-z0-9_$.:-]/;
const WHITESPACE = /[ \t\r\n]/;
// RFC 8259 §6: the JSON number grammar, nothing more lenient.
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Splits filter text into tokens; throws SyntaxProblem naming the position of the first bad character. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (WHITESPACE.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
    } else if (c === '"') {
      const { value, end } = readString(text, i);
      // No stored value can hold NUL (PostgreSQL text cannot), so it is an error, not a silent miss.
      if (value.includes('\u0000')) throw new SyntaxProblem(i, 'a string may not contain a NUL character');
      tokens.push({ kind: 'string', value, pos: i });
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const match = JSON_NUMBER.exec(text.slice(i, i + 400));
      if (!match) throw new SyntaxProblem(i, 'expected a number');
      const end = i + match[0].length;
      const next = text[end];
      if (next !== undefined && (WORD_CHAR.test(next) || next === '"')) {
        throw new SyntaxProblem(end, `unexpected "${next}" right after a number`);
      }
      const value = Number(match[0]);
      if (!Number.isFinite(value)) throw new SyntaxProblem(i, 'number out of range');
      tokens.push({ kind: 'number', value, text: match[0], pos: i });
      i = end;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < text.length && WORD_CHAR.test(text[end] as string)) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end), pos: i });
      i = end;
    } else {
      throw new SyntaxProblem(i, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

/** Reads a JSON string literal (RFC 8259 §7) starting at the opening quote. */
function readString(text: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value: out, end: i + 1 };
    if (c !== '\\') {
      // Copy the run of plain characters in one go.
      let end = i + 1;
      while (end < text.length && text[end] !== '"' && text[end] !== '\\') end++;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    if (e === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new SyntaxProblem(i, 'invalid \\u escape: expected four hexadecimal digits');
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    const decoded = ESCAPES[e];
    if (decoded === undefined) {
      throw new SyntaxProblem(
        i,
        `invalid escape "\\${e}": expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
      );
    }
    out += decoded;
    i += 2;
  }
  throw new SyntaxProblem(start, `unterminated string: expected a closing '"'`);
}

/** A short, printable rendering of a token for error messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the filter';
    case 'word':
      return `"${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}"`;
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${t.text.length > 20 ? `${t.text.slice(0, 20)}…` : t.text}`;
    case 'punct':
      return `"${t.text}"`;
  }
}
