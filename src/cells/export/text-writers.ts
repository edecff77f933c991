import { DataType, type Field, type Table, type Vector } from 'apache-arrow';
import type { ColumnInfo } from '../../engine/engine';
import type { CsvFormat } from './options';

/**
 * CSV and NDJSON from record batches. Scalar columns arrive already cast to VARCHAR by DuckDB, so
 * every value reads exactly as DuckDB prints it (ISO dates, exact decimals, `2024-01-01 10:00:00`);
 * the writers only quote and escape. NDJSON's nested columns (lists, structs, maps) arrive as Arrow
 * values and become JSON arrays and objects.
 */

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|VARINT|BIGNUM)$/i;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

/** Lists, arrays, structs, maps and unions: written as JSON values in NDJSON, as DuckDB's text in CSV. */
export function isNestedType(type: string): boolean {
  const t = type.trim().toUpperCase();
  return /\]$/.test(t) || /^(STRUCT|MAP|UNION)\s*\(/.test(t);
}

/** The SELECT list a text format needs: VARCHAR for scalars (and for everything in CSV). */
export function textSelectList(columns: readonly ColumnInfo[], format: 'csv' | 'ndjson', quote: (name: string) => string): string[] {
  return columns.map((c) =>
    format === 'ndjson' && isNestedType(c.type) ? quote(c.name) : `CAST(${quote(c.name)} AS VARCHAR) AS ${quote(c.name)}`,
  );
}

const encoder = new TextEncoder();

export interface TextWriter {
  /** Bytes to put before the first row (a CSV header); empty for NDJSON. */
  header(): Uint8Array;
  /** The rows of one batch (columns in `columns` order, as the query selected them). */
  rows(batch: Table): Uint8Array;
}

export function createCsvWriter(columns: readonly ColumnInfo[], format: CsvFormat): TextWriter {
  const { delimiter, quote, nullText } = format;
  const doubled = quote + quote;
  const needsQuotes = (s: string) => s.includes(delimiter) || s.includes(quote) || s.includes('\n') || s.includes('\r');
  const field = (s: string) => (needsQuotes(s) || s === '' || s === nullText ? quote + s.split(quote).join(doubled) + quote : s);
  const guard = columns.map((c) => format.spreadsheetSafe && !isNumericType(c.type));
  return {
    header: () => (format.header ? encoder.encode(columns.map((c) => field(c.name)).join(delimiter) + '\n') : new Uint8Array(0)),
    rows(batch) {
      const vectors = columns.map((_, i) => batch.getChildAt(i));
      let out = '';
      for (let r = 0; r < batch.numRows; r++) {
        for (let i = 0; i < vectors.length; i++) {
          if (i > 0) out += delimiter;
          const v = vectors[i]?.get(r) as string | null | undefined;
          if (v === null || v === undefined) {
            out += nullText;
            continue;
          }
          // A formula prefix is neutralised with a leading apostrophe (OWASP's advice for CSV injection).
          out += field(guard[i] && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
        }
        out += '\n';
      }
      return encoder.encode(out);
    },
  };
}

export function createNdjsonWriter(columns: readonly ColumnInfo[]): TextWriter {
  const keys = columns.map((c) => JSON.stringify(c.name));
  const kinds = columns.map((c) => (isNestedType(c.type) ? 'nested' : isNumericType(c.type) ? 'number' : /^BOOLEAN$/i.test(c.type) ? 'boolean' : 'string'));
  return {
    header: () => new Uint8Array(0),
    rows(batch) {
      const vectors = columns.map((_, i) => batch.getChildAt(i));
      const fields = batch.schema.fields;
      let out = '';
      for (let r = 0; r < batch.numRows; r++) {
        out += '{';
        for (let i = 0; i < vectors.length; i++) {
          if (i > 0) out += ',';
          out += keys[i] + ':';
          const v: unknown = vectors[i]?.get(r);
          if (v === null || v === undefined) out += 'null';
          else if (kinds[i] === 'number') out += /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(String(v)) ? String(v) : JSON.stringify(String(v));
          else if (kinds[i] === 'boolean') out += v === 'true' ? 'true' : v === 'false' ? 'false' : JSON.stringify(String(v));
          else if (kinds[i] === 'nested') out += JSON.stringify(toJson(v, fields[i]!.type));
          else out += JSON.stringify(String(v));
        }
        out += '}\n';
      }
      return encoder.encode(out);
    },
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** An Arrow value as plain JSON, guided by its type: what NDJSON readers expect of nested data. */
export function toJson(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const child = (type.children[0] as Field).type;
    return Array.from(value as Vector | unknown[], (v) => toJson(v, child));
  }
  if (DataType.isStruct(type)) {
    const row = value as Record<string, unknown>;
    return Object.fromEntries((type.children as Field[]).map((f) => [f.name, toJson(row[f.name], f.type)]));
  }
  if (DataType.isMap(type)) {
    const entries = (type.children[0] as Field).type.children as Field[];
    const [keyField, valueField] = [entries[0]!, entries[1]!];
    const out: Record<string, unknown> = {};
    for (const [k, v] of (value as Map<unknown, unknown>).entries?.() ?? Object.entries(value as object)) {
      out[String(toJson(k, keyField.type))] = toJson(v, valueField.type);
    }
    return out;
  }
  if (DataType.isDate(type)) return isoDate(Number(value instanceof Date ? value.getTime() : value));
  if (DataType.isTimestamp(type)) {
    // apache-arrow hands timestamps over as milliseconds: nested timestamps keep millisecond precision.
    const iso = new Date(Number(value)).toISOString().replace(/\.000Z$/, 'Z');
    return type.timezone ? iso : iso.replace(/Z$/, '');
  }
  if (DataType.isDecimal(type)) return decimalText(String(value), type.scale);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON(): unknown }).toJSON();
  return value;
}

/** An unscaled decimal integer as text with its scale applied: ("-350", 2) → "-3.50". */
export function decimalText(unscaled: string, scale: number): string {
  if (scale <= 0) return unscaled;
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
