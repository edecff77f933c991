/**
 * A cell's info string: `<kind> key=value key="quoted value" key='single' flag`.
 *
 * - The kind is the first word: letters, digits, `-`, `_`. Anything else (`c++`, `{r}`) is not a cell.
 * - Values: unquoted (up to the next space or tab; may contain `=`), double-quoted (`\"` and `\\`
 *   are escapes, any other backslash is literal) or single-quoted (no escapes).
 * - A bare `key` is a flag with the value ''. A repeated key keeps its first position and last value.
 * - Tokens that are none of these (a stray quote…) are kept verbatim in the text, not in `attributes`.
 */

export const KIND_PATTERN = /^[A-Za-z0-9_-]+$/;
const KEY_PATTERN = /^[^\s="'`]+$/;

export interface InfoToken {
  /** Offsets into the info string. */
  readonly start: number;
  readonly end: number;
  /** undefined for a token that is not an attribute (kept verbatim). */
  readonly key: string | undefined;
  readonly value: string;
}

export interface ParsedInfo {
  readonly kind: string;
  readonly kindStart: number;
  readonly kindEnd: number;
  readonly tokens: readonly InfoToken[];
  readonly attributes: Readonly<Record<string, string>>;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

function skipSpaces(info: string, i: number): number {
  while (isSpace(info[i])) i++;
  return i;
}

function wordEnd(info: string, i: number): number {
  while (i < info.length && !isSpace(info[i])) i++;
  return i;
}

/** Parses the text after the fence characters; undefined when it names no cell kind (no info string, `c++`…). */
export function parseInfo(info: string): ParsedInfo | undefined {
  const kindStart = skipSpaces(info, 0);
  const kindEnd = wordEnd(info, kindStart);
  const kind = info.slice(kindStart, kindEnd);
  if (!KIND_PATTERN.test(kind)) return undefined;
  const tokens: InfoToken[] = [];
  const values = new Map<string, string>();
  let p = kindEnd;
  for (;;) {
    p = skipSpaces(info, p);
    if (p >= info.length) break;
    const token = readToken(info, p);
    tokens.push(token);
    if (token.key !== undefined) values.set(token.key, token.value);
    p = token.end;
  }
  // fromEntries defines own properties, so even a `__proto__` key stays plain data.
  return { kind, kindStart, kindEnd, tokens, attributes: Object.fromEntries(values) };
}

function readToken(info: string, start: number): InfoToken {
  let k = start;
  while (k < info.length && !isSpace(info[k]) && !'="\''.includes(info[k] ?? '')) k++;
  if (k === start) return { start, end: wordEnd(info, start), key: undefined, value: '' };
  const key = info.slice(start, k);
  if (info[k] !== '=') return { start, end: k, key, value: '' };
  const v = k + 1;
  const quote = info[v];
  if (quote === '"') {
    let value = '';
    let q = v + 1;
    while (q < info.length && info[q] !== '"') {
      const next = info[q + 1];
      if (info[q] === '\\' && (next === '"' || next === '\\')) {
        value += next;
        q += 2;
      } else {
        value += info[q];
        q++;
      }
    }
    return { start, end: Math.min(q + 1, info.length), key, value };
  }
  if (quote === "'") {
    const close = info.indexOf("'", v + 1);
    const end = close === -1 ? info.length : close + 1;
    return { start, end, key, value: info.slice(v + 1, close === -1 ? info.length : close) };
  }
  const end = wordEnd(info, v);
  return { start, end, key, value: info.slice(v, end) };
}

export function assertValidKind(kind: string): void {
  if (!KIND_PATTERN.test(kind)) {
    throw new RangeError(`Invalid cell kind ${JSON.stringify(kind)}: use letters, digits, '-' and '_'`);
  }
}

export function assertValidAttributes(attributes: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (!KEY_PATTERN.test(key)) {
      throw new RangeError(`Invalid attribute name ${JSON.stringify(key)}: no spaces, quotes, backticks or '='`);
    }
    if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw new RangeError(`Invalid value for attribute ${key}: a single-line string is required`);
    }
  }
}

/** `key=value`, quoting the value when needed; a flag ('' value) is the bare key. */
export function renderAttribute(key: string, value: string): string {
  if (value === '') return key;
  if (/^[^\s"'`=]+$/.test(value)) return `${key}=${value}`;
  return `${key}="${value.replace(/[\\"]/g, '\\$&')}"`;
}

export function renderInfo(kind: string, attributes: Readonly<Record<string, string>>): string {
  return [kind, ...Object.entries(attributes).map(([k, v]) => renderAttribute(k, v))].join(' ');
}

export function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  return ea.length === eb.length && ea.every(([k, v], i) => eb[i]?.[0] === k && eb[i]?.[1] === v);
}

/**
 * Rewrites an info string for a new kind and attributes with the smallest change: when the keys
 * that were already there keep their order (new keys come last), every untouched token keeps its
 * exact text and spacing and only changed, removed or added tokens differ. Otherwise the string is
 * rebuilt in the new order (untouched tokens still keep their text).
 */
export function updateInfo(info: string, kind: string, attributes: Readonly<Record<string, string>>): string {
  const parsed = parseInfo(info);
  if (parsed === undefined) return renderInfo(kind, attributes);
  const oldKeys = [...new Set(parsed.tokens.flatMap((t) => (t.key === undefined ? [] : [t.key])))];
  const newKeys = Object.keys(attributes);
  const kept = oldKeys.filter((k) => Object.hasOwn(attributes, k));
  const added = newKeys.filter((k) => !oldKeys.includes(k));
  const spliceable = [...kept, ...added].every((k, i) => newKeys[i] === k);
  const seen = new Set<string>();
  const textOf = (t: InfoToken & { key: string }): string => {
    const value = attributes[t.key] ?? '';
    return value === t.value ? info.slice(t.start, t.end) : renderAttribute(t.key, value);
  };

  if (!spliceable) {
    const firstToken = new Map<string, InfoToken & { key: string }>();
    for (const t of parsed.tokens) if (t.key !== undefined && !firstToken.has(t.key)) firstToken.set(t.key, { ...t, key: t.key });
    const parts = newKeys.map((k) => {
      const t = firstToken.get(k);
      return t ? textOf(t) : renderAttribute(k, attributes[k] ?? '');
    });
    const strays = parsed.tokens.filter((t) => t.key === undefined).map((t) => info.slice(t.start, t.end));
    return info.slice(0, parsed.kindStart) + [kind, ...parts, ...strays].join(' ');
  }

  let out = info.slice(0, parsed.kindStart) + kind;
  let cursor = parsed.kindEnd;
  for (const t of parsed.tokens) {
    let space = info.slice(cursor, t.start);
    cursor = t.end;
    if (t.key !== undefined && (seen.has(t.key) || !Object.hasOwn(attributes, t.key))) continue;
    if (space === '') space = ' '; // tokens glued together (`a="x"b`): separate them, now that one may change
    out += space + (t.key === undefined ? info.slice(t.start, t.end) : textOf({ ...t, key: t.key }));
    if (t.key !== undefined) seen.add(t.key);
  }
  for (const k of added) out += ' ' + renderAttribute(k, attributes[k] ?? '');
  return out + info.slice(cursor);
}
