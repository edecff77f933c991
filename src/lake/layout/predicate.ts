/**
 * The predicates the layout advisor reasons about: comparisons of a column with a literal, joined by
 * AND. That is what a reader can check against a row group's min/max statistics; an OR or a function
 * of a column cannot be decided from them, so the advisor refuses it rather than guess.
 *
 *     amount >= 100 AND amount < 200 AND region = 'EU'
 *     order_date BETWEEN DATE '2024-01-01' AND DATE '2024-03-31'
 */

export type ComparisonOp = '=' | '<' | '<=' | '>' | '>=';

export interface Comparison {
  /** The column name as written (unquoted). */
  column: string;
  op: ComparisonOp;
  /** The literal as SQL text (`100`, `'EU'`, `DATE '2024-01-01'`). */
  literal: string;
}

export class PredicateError extends Error {
  override readonly name = 'PredicateError';
}

type Token =
  | { kind: 'ident'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'op'; text: ComparisonOp }
  | { kind: 'word'; text: 'AND' | 'BETWEEN' };

const TYPED_LITERAL = /^(DATE|TIMESTAMP|TIMESTAMPTZ|TIME)$/i;
const USAGE = "Write comparisons joined by AND, e.g. amount >= 100 AND region = 'EU', or order_date BETWEEN DATE '2024-01-01' AND DATE '2024-03-31'.";

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const stringAt = (start: number): [string, number] => {
    let j = start + 1;
    for (;;) {
      if (j >= text.length) throw new PredicateError(`A quoted value is not closed: ${text.slice(start)}`);
      if (text[j] === "'") {
        if (text[j + 1] === "'") j += 2;
        else return [text.slice(start, j + 1), j + 1];
      } else j++;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const [literal, end] = stringAt(i);
      tokens.push({ kind: 'literal', text: literal });
      i = end;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new PredicateError(`A quoted column name is not closed: ${text.slice(i)}`);
      tokens.push({ kind: 'ident', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if ('<>=!'.includes(c)) {
      const two = text.slice(i, i + 2);
      if (two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else if (two === '<>' || two === '!=' || c === '!') {
        throw new PredicateError(`"${two}" cannot be decided from min/max statistics. ${USAGE}`);
      } else {
        tokens.push({ kind: 'op', text: c as ComparisonOp });
        i++;
      }
    } else if (/[0-9.+-]/.test(c)) {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new PredicateError(`Cannot read "${text.slice(i, i + 10)}". ${USAGE}`);
      tokens.push({ kind: 'literal', text: m[0] });
      i += m[0].length;
    } else if (/[\p{L}_]/u.test(c)) {
      const m = /^[\p{L}\p{N}_$]+/u.exec(text.slice(i))!;
      const word = m[0];
      i += word.length;
      const upper = word.toUpperCase();
      if (upper === 'AND' || upper === 'BETWEEN') tokens.push({ kind: 'word', text: upper });
      else if (upper === 'OR' || upper === 'NOT' || upper === 'IN' || upper === 'LIKE') {
        throw new PredicateError(`${upper} cannot be decided from min/max statistics. ${USAGE}`);
      } else if (upper === 'TRUE' || upper === 'FALSE') tokens.push({ kind: 'literal', text: upper });
      else if (TYPED_LITERAL.test(word) && /^\s*'/.test(text.slice(i))) {
        const start = text.indexOf("'", i);
        const [literal, end] = stringAt(start);
        tokens.push({ kind: 'literal', text: `${upper} ${literal}` });
        i = end;
      } else tokens.push({ kind: 'ident', text: word });
    } else {
      throw new PredicateError(`Unexpected "${c}". ${USAGE}`);
    }
  }
  return tokens;
}

const FLIP: Record<ComparisonOp, ComparisonOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Parses `text` into comparisons; throws a PredicateError saying what is accepted. */
export function parsePredicate(text: string): Comparison[] {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new PredicateError(`The predicate is empty. ${USAGE}`);
  const out: Comparison[] = [];
  let i = 0;
  const expect = <K extends Token['kind']>(kind: K, what: string): Extract<Token, { kind: K }> => {
    const t = tokens[i++];
    if (!t || t.kind !== kind) throw new PredicateError(`Expected ${what}${t ? ` before "${t.text}"` : ' at the end'}. ${USAGE}`);
    return t as Extract<Token, { kind: K }>;
  };
  for (;;) {
    const first = tokens[i];
    if (first?.kind === 'literal') {
      // 100 <= amount
      i++;
      const op = expect('op', 'a comparison (=, <, <=, >, >=)').text;
      const column = expect('ident', 'a column name').text;
      out.push({ column, op: FLIP[op], literal: first.text });
    } else {
      const column = expect('ident', 'a column name').text;
      const next = tokens[i];
      if (next?.kind === 'word' && next.text === 'BETWEEN') {
        i++;
        const low = expect('literal', 'a value').text;
        const and = tokens[i++];
        if (!and || and.kind !== 'word' || and.text !== 'AND') throw new PredicateError(`BETWEEN needs "AND". ${USAGE}`);
        const high = expect('literal', 'a value').text;
        out.push({ column, op: '>=', literal: low }, { column, op: '<=', literal: high });
      } else {
        const op = expect('op', 'a comparison (=, <, <=, >, >=)').text;
        out.push({ column, op, literal: expect('literal', 'a value').text });
      }
    }
    if (i >= tokens.length) return out;
    const and = tokens[i++]!;
    if (and.kind !== 'word' || and.text !== 'AND') throw new PredicateError(`Expected AND before "${and.text}". ${USAGE}`);
  }
}

/** The predicate as SQL over the row values. */
export function predicateSql(comparisons: readonly Comparison[], quote: (name: string) => string): string {
  return comparisons.map((c) => `${quote(c.column)} ${c.op} ${c.literal}`).join(' AND ');
}

/**
 * SQL that is true when a row group whose statistics are `min(col)`/`max(col)` columns may hold a
 * matching row: what a reader must read. An all-NULL group (min is NULL) holds no match.
 */
export function mayMatchSql(comparisons: readonly Comparison[], minOf: (column: string) => string, maxOf: (column: string) => string): string {
  const parts = comparisons.map((c) => {
    const lo = minOf(c.column);
    const hi = maxOf(c.column);
    switch (c.op) {
      case '=':
        return `(${lo} <= ${c.literal} AND ${hi} >= ${c.literal})`;
      case '<':
        return `${lo} < ${c.literal}`;
      case '<=':
        return `${lo} <= ${c.literal}`;
      case '>':
        return `${hi} > ${c.literal}`;
      case '>=':
        return `${hi} >= ${c.literal}`;
    }
  });
  return `coalesce(${parts.join(' AND ')}, false)`;
}
