// A forgiving SQL tokenizer for editor features (completion). It never throws: text that is being
// typed is usually incomplete, so unterminated strings, quoted names and comments run to the end.

export type SqlTokenKind =
  | 'word' // identifier or keyword
  | 'quoted' // "quoted identifier"
  | 'string' // 'literal', E'literal', $$dollar quoted$$
  | 'number'
  | 'comment' // -- line or /* block */
  | 'space'
  | 'punct'; // any other single character (and `::`)

export interface SqlToken {
  kind: SqlTokenKind;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /** False for a string, quoted name or block comment that the text does not close. */
  closed: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number, closed = true) => {
    tokens.push({ kind, start: i, end, closed });
    i = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      push('space', j);
    } else if (c === '-' && next === '-') {
      const newline = text.indexOf('\n', i);
      push('comment', newline === -1 ? text.length : newline);
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) push('comment', text.length, false);
      else push('comment', close + 2);
    } else if (c === "'" || c === '"') {
      const [end, closed] = quotedEnd(text, i, c);
      push(c === "'" ? 'string' : 'quoted', end, closed);
    } else if (c === '$' && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))![0];
      const close = text.indexOf(tag, i + tag.length);
      if (close === -1) push('string', text.length, false);
      else push('string', close + tag.length);
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      push('word', j);
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      let j = i + 1;
      while (j < text.length && /[0-9A-Za-z_.]/.test(text[j]!)) j++;
      push('number', j);
    } else if (c === ':' && next === ':') {
      push('punct', i + 2);
    } else {
      push('punct', i + 1);
    }
  }
  return tokens;
}

/** End offset of a quoted run starting at `start` (doubled quotes escape), and whether it closed. */
function quotedEnd(text: string, start: number, quote: string): [number, boolean] {
  let j = start + 1;
  while (j < text.length) {
    if (text[j] === quote) {
      if (text[j + 1] === quote) j += 2;
      else return [j + 1, true];
    } else {
      j++;
    }
  }
  return [text.length, false];
}

/** The name a word or quoted-identifier token stands for (quotes removed, `""` unescaped). */
export function identifierOf(text: string, token: SqlToken): string {
  const raw = text.slice(token.start, token.end);
  if (token.kind !== 'quoted') return raw;
  const inner = raw.slice(1, token.closed ? -1 : undefined);
  return inner.replaceAll('""', '"');
}

/** The value of a string-literal token (plain '…' strings only; others come back as their text). */
export function stringValueOf(text: string, token: SqlToken): string {
  const raw = text.slice(token.start, token.end);
  if (!raw.startsWith("'")) return raw;
  return raw.slice(1, token.closed ? -1 : undefined).replaceAll("''", "'");
}

export function isSignificant(token: SqlToken): boolean {
  return token.kind !== 'space' && token.kind !== 'comment';
}
