/**
 * The short form of a check: Great Expectations' own Python calls, one per line, as people write them
 * in notebooks (`df_ge.expect_column_values_to_be_between("age", 0, 120)`), with optional short names
 * (`between(age, 0, 120, mostly=0.99)`). Arguments follow GE's positional order; values are Python
 * literals (strings with escapes and r'' raw strings, numbers, True/False/None, lists, tuples, dicts),
 * and a bare word is a string, so column names need no quotes.
 */
import { checkError } from './errors';
import type { JsonObject, JsonValue } from './json';

export interface RawCall {
  /** The callee without any `obj.` prefix. */
  name: string;
  line: number;
  column: number;
  positional: { value: JsonValue; line: number }[];
  keywords: { key: string; value: JsonValue; line: number }[];
}

type TokenKind = 'name' | 'string' | 'number' | 'punct' | 'newline' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  value?: JsonValue;
  line: number;
  column: number;
}

/** True when the first statement of `source` looks like a call: `name(` or `obj.name(` or `x = obj.name(`. */
export function looksLikeCalls(source: string): boolean {
  for (const line of source.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    return /^(?:[A-Za-z_]\w*\s*=\s*)?[A-Za-z_][\w.]*\s*\(/.test(trimmed);
  }
  return false;
}

export function parseCalls(source: string, firstLine = 1): RawCall[] {
  const tokens = tokenize(source, firstLine);
  const calls: RawCall[] = [];
  let i = 0;
  const peek = () => tokens[i]!;
  const next = () => tokens[i++]!;
  const fail = (token: Token, message: string) => checkError(token.line, message, { column: token.column });
  const expect = (text: string) => {
    const token = next();
    if (token.kind !== 'punct' || token.text !== text) throw fail(token, `expected "${text}" but found ${describe(token)}.`);
    return token;
  };

  const value = (): JsonValue => {
    const token = next();
    if (token.kind === 'string' || token.kind === 'number') return token.value!;
    if (token.kind === 'name') {
      if (token.text === 'True' || token.text === 'true') return true;
      if (token.text === 'False' || token.text === 'false') return false;
      if (token.text === 'None' || token.text === 'null') return null;
      return token.text;
    }
    if (token.kind === 'punct' && (token.text === '[' || token.text === '(')) {
      const close = token.text === '[' ? ']' : ')';
      const items: JsonValue[] = [];
      while (!(peek().kind === 'punct' && peek().text === close)) {
        items.push(value());
        if (peek().kind === 'punct' && peek().text === ',') next();
        else break;
      }
      expect(close);
      return items;
    }
    if (token.kind === 'punct' && token.text === '{') {
      const object: JsonObject = {};
      while (!(peek().kind === 'punct' && peek().text === '}')) {
        const key = value();
        if (typeof key !== 'string') throw fail(token, 'dictionary keys must be strings.');
        expect(':');
        object[key] = value();
        if (peek().kind === 'punct' && peek().text === ',') next();
        else break;
      }
      expect('}');
      return object;
    }
    if (token.kind === 'punct' && (token.text === '-' || token.text === '+')) {
      const number = next();
      if (number.kind !== 'number') throw fail(number, `expected a number after "${token.text}".`);
      return token.text === '-' ? -(number.value as number) : (number.value as number);
    }
    throw fail(token, `expected a value but found ${describe(token)}.`);
  };

  for (;;) {
    while (peek().kind === 'newline' || (peek().kind === 'punct' && peek().text === ';')) next();
    if (peek().kind === 'end') break;
    let head = next();
    if (head.kind !== 'name') throw fail(head, `expected an expectation call such as not_null(column) but found ${describe(head)}.`);
    // `suite = df_ge.expect_…(…)`: the assignment the seed writes in front of each call.
    if (peek().kind === 'punct' && peek().text === '=') {
      next();
      head = next();
      if (head.kind !== 'name') throw fail(head, `expected an expectation call after "=" but found ${describe(head)}.`);
    }
    let name = head.text;
    while (peek().kind === 'punct' && peek().text === '.') {
      next();
      const part = next();
      if (part.kind !== 'name') throw fail(part, `expected a name after "." but found ${describe(part)}.`);
      name = part.text;
    }
    expect('(');
    const call: RawCall = { name, line: head.line, column: head.column, positional: [], keywords: [] };
    while (!(peek().kind === 'punct' && peek().text === ')')) {
      const start = peek();
      const after = tokens[i + 1];
      if (start.kind === 'name' && after?.kind === 'punct' && after.text === '=') {
        next();
        next();
        if (call.keywords.some((k) => k.key === start.text)) throw fail(start, `${start.text} is given twice.`);
        call.keywords.push({ key: start.text, value: value(), line: start.line });
      } else {
        if (call.keywords.length > 0) throw fail(start, 'a positional argument cannot follow a keyword argument.');
        call.positional.push({ value: value(), line: start.line });
      }
      if (peek().kind === 'punct' && peek().text === ',') next();
      else break;
    }
    expect(')');
    const end = peek();
    if (!(end.kind === 'newline' || end.kind === 'end' || (end.kind === 'punct' && end.text === ';'))) {
      throw fail(end, `expected the end of the line after the call but found ${describe(end)}.`);
    }
    calls.push(call);
  }
  return calls;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the text';
  if (token.kind === 'newline') return 'the end of the line';
  return `"${token.text}"`;
}

function tokenize(source: string, firstLine: number): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let lineStart = 0;
  let depth = 0;
  let i = 0;
  const at = (index: number) => ({ line, column: index - lineStart + 1 });
  const newline = (index: number, width: number) => {
    line++;
    lineStart = index + width;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\r' || c === '\n') {
      const width = c === '\r' && source[i + 1] === '\n' ? 2 : 1;
      if (depth === 0) tokens.push({ kind: 'newline', text: '\n', ...at(i) });
      newline(i, width);
      i += width;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (source[i + 1] === '\n' || source[i + 1] === '\r')) {
      const width = source[i + 1] === '\r' && source[i + 2] === '\n' ? 2 : 1;
      newline(i + 1, width);
      i += 1 + width;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    const prefix = /^([rRuUbBfF]{0,2})(['"])/.exec(source.slice(i, i + 3));
    if (prefix && (prefix[1] === '' || /^[A-Za-z_]/.test(c))) {
      const flags = prefix[1]!.toLowerCase();
      const position = at(i);
      if (flags.includes('b') || flags.includes('f')) {
        throw checkError(position.line, `${flags}-strings are not supported; write a plain or r'' string.`, { column: position.column });
      }
      const quote = prefix[2]!;
      let j = i + prefix[1]!.length;
      const triple = source.startsWith(quote.repeat(3), j);
      const delimiter = triple ? quote.repeat(3) : quote;
      j += delimiter.length;
      const start = j;
      for (;;) {
        if (j >= source.length) throw checkError(position.line, 'this string is never closed.', { column: position.column });
        const d = source[j]!;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (!triple && (d === '\n' || d === '\r')) throw checkError(position.line, 'this string is never closed on its line.', { column: position.column });
        if (source.startsWith(delimiter, j)) break;
        j++;
      }
      const body = source.slice(start, j);
      const text = source.slice(i, j + delimiter.length);
      tokens.push({ kind: 'string', text, value: flags.includes('r') ? body : unescapePython(body, position.line), ...position });
      for (const m of body.matchAll(/\r\n|\r|\n/g)) newline(start + m.index, m[0].length);
      i = j + delimiter.length;
      continue;
    }
    const number = /^(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      const text = number[0];
      tokens.push({ kind: 'number', text, value: Number(text.replace(/_/g, '')), ...at(i) });
      i += text.length;
      continue;
    }
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], ...at(i) });
      i += name[0].length;
      continue;
    }
    if ('()[]{},=:.;-+'.includes(c)) {
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'punct', text: c, ...at(i) });
      i++;
      continue;
    }
    const position = at(i);
    throw checkError(position.line, `unexpected character "${c}".`, { column: position.column });
  }
  tokens.push({ kind: 'end', text: '', ...at(i) });
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Python's escape rules for a non-raw string; an unknown escape such as `\.` keeps its backslash, as Python does. */
function unescapePython(body: string, line: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i + 1] ?? '';
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i++;
    } else if (e === '\n' || e === '\r') {
      i += e === '\r' && body[i + 2] === '\n' ? 2 : 1;
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw checkError(line, `"\\${e}" needs ${width} hex digits in a string.`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + width;
    } else if (e === 'N') {
      throw checkError(line, 'named escapes (\\N{…}) are not supported; write the character itself.');
    } else {
      out += c;
    }
  }
  return out;
}
