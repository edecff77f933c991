/**
 * A small tokenizer for TypeScript source, enough to find what a ts cell reads without a compiler:
 * the default export's parameter destructuring and the `sql` tagged templates. Comments, strings,
 * template literals (with nested `${…}`) and regular-expression literals are skipped as whole tokens,
 * so a table name inside a comment or a string is never mistaken for code.
 */

export type TokenType = 'ident' | 'punct' | 'string' | 'template' | 'number' | 'regex';

export interface Token {
  type: TokenType;
  /** Identifiers and punctuators: the text; strings: the value; templates: the raw text between the backticks. */
  value: string;
  start: number;
  end: number;
  /** Templates only: the raw text of each `${…}` expression. */
  expressions?: string[];
  /** Templates only: the raw text pieces between the expressions (one more than `expressions`). */
  quasis?: string[];
}

/** After these, a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_PUNCT = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^', '=>', '&&', '||', '??', '==', '===', '!=', '!==', '<=', '>=', '+=', '-=', '*=', '/=', '...']);
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const PUNCTS = ['...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'];

const isIdentStart = (c: string) => /[\p{L}\p{Nl}$_]/u.test(c);
const isIdentPart = (c: string) => /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]/u.test(c);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (!last) return true;
    if (last.type === 'punct') return REGEX_AFTER_PUNCT.has(last.value);
    if (last.type === 'ident') return REGEX_AFTER_WORD.has(last.value);
    return false;
  };
  while (i < n) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      const { value, end } = readString(source, i);
      tokens.push({ type: 'string', value, start, end });
      i = end;
      continue;
    }
    if (c === '`') {
      const template = readTemplate(source, i);
      tokens.push({ type: 'template', value: source.slice(start + 1, Math.max(start + 1, template.end - 1)), start, end: template.end, expressions: template.expressions, quasis: template.quasis });
      i = template.end;
      continue;
    }
    if (c === '/' && regexAllowed()) {
      i = readRegex(source, i);
      tokens.push({ type: 'regex', value: source.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      i++;
      while (i < n && /[0-9A-Za-z_.]/.test(source[i]!)) i++;
      tokens.push({ type: 'number', value: source.slice(start, i), start, end: i });
      continue;
    }
    if (isIdentStart(c) || c === '\\' || c === '#') {
      i++;
      while (i < n && (isIdentPart(source[i]!) || source[i] === '\\')) i++;
      tokens.push({ type: 'ident', value: source.slice(start, i), start, end: i });
      continue;
    }
    const punct = PUNCTS.find((p) => source.startsWith(p, i)) ?? c;
    i += punct.length;
    tokens.push({ type: 'punct', value: punct, start, end: i });
  }
  return tokens;
}

function readString(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n') break; // unterminated: stop at the line's end
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      value += ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[next] ?? next;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return { value, end: i };
}

/** A template literal from its opening backtick; `${…}` expressions may hold strings, templates and braces. */
function readTemplate(source: string, start: number): { end: number; expressions: string[]; quasis: string[] } {
  const expressions: string[] = [];
  const quasis: string[] = [];
  let quasiStart = start + 1;
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      quasis.push(source.slice(quasiStart, i));
      return { end: i + 1, expressions, quasis };
    }
    if (c === '$' && source[i + 1] === '{') {
      quasis.push(source.slice(quasiStart, i));
      const exprStart = i + 2;
      const exprEnd = skipBalanced(source, exprStart);
      expressions.push(source.slice(exprStart, exprEnd));
      i = exprEnd + 1;
      quasiStart = i;
      continue;
    }
    i++;
  }
  quasis.push(source.slice(quasiStart));
  return { end: source.length, expressions, quasis };
}

/** From just inside a `${`, the offset of its closing `}` (nested braces, strings and templates skipped). */
function skipBalanced(source: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      i = readString(source, i).end;
      continue;
    }
    if (c === '`') {
      i = readTemplate(source, i).end;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? source.length : close + 2;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return source.length;
}

function readRegex(source: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') return i;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      i++;
      while (i < source.length && /[a-z]/i.test(source[i]!)) i++;
      return i;
    }
    i++;
  }
  return i;
}
