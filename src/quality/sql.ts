/**
 * SQL text for DuckDB, built from user-supplied names and values. Identifiers are always quoted and
 * literals always escaped, so a column called `select` or a value with a quote cannot change a query.
 */
import type { JsonValue } from './json';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  // The engine refuses statements holding a literal that looks like a remote URL, so that nothing is
  // fetched. A value compared in a check cannot fetch anything; split it so it is not mistaken for one.
  const scheme = /^\s*[a-z0-9]+:(?=\/\/)/i.exec(value);
  return scheme ? `(${quoteString(scheme[0])} || ${quoteString(value.slice(scheme[0].length))})` : quoted;
}

/**
 * The `table=` attribute as a relation: `orders`, `main.orders`, `"My Table"`. Unquoted parts are
 * split on dots; quoted parts keep theirs.
 */
export function relationOf(table: string): { sql: string; schema: string | undefined; name: string } {
  const parts: string[] = [];
  let i = 0;
  const text = table.trim();
  while (i < text.length) {
    if (text[i] === '"') {
      let part = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          part += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else part += text[i++];
      }
      parts.push(part);
    } else {
      const end = text.indexOf('.', i);
      parts.push(text.slice(i, end < 0 ? text.length : end).trim());
      i = end < 0 ? text.length : end;
    }
    if (text[i] === '.') i++;
  }
  const name = parts.at(-1) ?? '';
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  return { sql: parts.map(quoteIdent).join('.'), schema, name };
}

/** A JSON scalar as a SQL literal. */
export function literal(value: JsonValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return value > 0 ? "'inf'::DOUBLE" : value < 0 ? "'-inf'::DOUBLE" : "'nan'::DOUBLE";
    // A decimal literal such as 0.1 becomes DECIMAL in DuckDB and compares exactly; exponents stay DOUBLE.
    return String(value);
  }
  if (typeof value === 'string') return quoteString(value);
  throw new TypeError('Only scalars become SQL literals');
}

/** How a DuckDB type behaves for comparisons with kwargs and for JSON output. */
export type TypeCategory = 'integer' | 'float' | 'decimal' | 'boolean' | 'string' | 'temporal' | 'other';

export function typeCategory(duckType: string): TypeCategory {
  const t = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE)$/.test(t)) return 'float';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR(') || t === 'UUID') return 'string';
  if (/^(DATE|TIME|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIME WITH TIME ZONE|TIMESTAMPTZ|TIMETZ|INTERVAL)$/.test(t)) return 'temporal';
  return 'other';
}

export function isNumeric(category: TypeCategory): boolean {
  return category === 'integer' || category === 'float' || category === 'decimal';
}

/** How a value read back from DuckDB becomes JSON: the projection's SQL and how to decode it. */
export type ValueKind = 'int' | 'float' | 'bool' | 'text';

export function valueKindOf(category: TypeCategory): ValueKind {
  switch (category) {
    case 'integer':
      return 'int';
    case 'float':
    case 'decimal':
      return 'float';
    case 'boolean':
      return 'bool';
    default:
      return 'text';
  }
}

/**
 * A projection whose Arrow value decodes losslessly into JSON: integers travel as text (a BIGINT or
 * HUGEINT past 2^53 stays exact), decimals as DOUBLE (GE turns Decimal into float), temporal and other
 * values as DuckDB prints them.
 */
export function jsonProjection(expr: string, kind: ValueKind): string {
  switch (kind) {
    case 'int':
    case 'text':
      return `CAST(${expr} AS VARCHAR)`;
    case 'float':
      return `CAST(${expr} AS DOUBLE)`;
    case 'bool':
      return `CAST(${expr} AS BOOLEAN)`;
  }
}

export function decodeValue(raw: unknown, kind: ValueKind): JsonValue {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case 'int': {
      const text = String(raw);
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'float': {
      const n = Number(raw);
      // JSON has no NaN or infinity; GE writes them as null when it serializes results.
      return Number.isFinite(n) ? n : null;
    }
    case 'bool':
      return Boolean(raw);
    case 'text':
      return String(raw);
  }
}

/** A value DuckDB printed as text (`CAST(x AS VARCHAR)`), decoded as its column's kind. */
export function decodeText(raw: unknown, kind: ValueKind): JsonValue {
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  if (kind === 'bool') return text === 'true';
  if (kind === 'float') return decodeValue(Number(text), 'float');
  return decodeValue(text, kind);
}
