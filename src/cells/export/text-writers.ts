import { DataType, type Data, type Field, type Table, type Vector } from 'apache-arrow';
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

/**
 * A growing byte buffer. The writers copy each VARCHAR value's UTF-8 bytes straight from the Arrow
 * buffers: decoding every value to a JS string and encoding it back cost more than everything else
 * in a CSV export (bench/export-bench.ts, 1M rows × 6 columns on a loaded machine: 26–31k rows/s
 * through strings, 52–100k rows/s with bytes).
 */
class Bytes {
  buf = new Uint8Array(1 << 16);
  length = 0;
  ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }
  text(s: string): void {
    this.bytes(encoder.encode(s));
  }
  take(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** One VARCHAR column of a record batch, read as UTF-8 slices: where value r starts and ends, or null. */
interface Utf8Column {
  isNull(r: number): boolean;
  start(r: number): number;
  end(r: number): number;
  bytes: Uint8Array;
}

function utf8Column(data: Data): Utf8Column | undefined {
  if (!DataType.isUtf8(data.type) && !DataType.isLargeUtf8(data.type)) return undefined;
  // A slice keeps the whole validity bitmap (read at `offset + r`) but narrows the offsets (read at `r`).
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const base = data.offset;
  const bitmap = data.nullCount !== 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : undefined;
  const big = offsets instanceof BigInt64Array;
  return {
    bytes: data.values as Uint8Array,
    isNull: (r) => bitmap !== undefined && ((bitmap[(base + r) >> 3]! >> ((base + r) & 7)) & 1) === 0,
    start: big ? (r) => Number(offsets[r]) : (r) => offsets[r] as number,
    end: big ? (r) => Number(offsets[r + 1]) : (r) => offsets[r + 1] as number,
  };
}

const QUOTE_NEEDED = (delimiter: number, quote: number) => (b: number) => b === delimiter || b === quote || b === 10 || b === 13;
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]); // = + - @ tab CR

export function createCsvWriter(columns: readonly ColumnInfo[], format: CsvFormat): TextWriter {
  const delimiter = format.delimiter.charCodeAt(0);
  const quote = format.quote.charCodeAt(0);
  const special = QUOTE_NEEDED(delimiter, quote);
  const nullBytes = encoder.encode(format.nullText);
  const guard = columns.map((c) => format.spreadsheetSafe && !isNumericType(c.type));
  const fieldText = (s: string) => {
    const needs = s === '' || s === format.nullText || [...s].some((c) => c.length === 1 && special(c.charCodeAt(0)));
    return needs ? format.quote + s.split(format.quote).join(format.quote + format.quote) + format.quote : s;
  };
  /** Writes bytes [start, end) of `src` as one field, quoted when it must be. */
  const field = (out: Bytes, src: Uint8Array, start: number, end: number, guarded: boolean) => {
    const apostrophe = guarded && end > start && FORMULA_START.has(src[start]!);
    let needs = end === start && !apostrophe;
    for (let i = start; !needs && i < end; i++) if (special(src[i]!)) needs = true;
    if (!needs && nullBytes.length > 0 && end - start === nullBytes.length && !apostrophe) {
      needs = nullBytes.every((b, i) => src[start + i] === b);
    }
    if (!needs) {
      if (apostrophe) out.byte(0x27);
      out.bytes(src, start, end);
      return;
    }
    out.byte(quote);
    if (apostrophe) out.byte(0x27);
    let from = start;
    for (let i = start; i < end; i++) {
      if (src[i] === quote) {
        out.bytes(src, from, i + 1);
        out.byte(quote);
        from = i + 1;
      }
    }
    out.bytes(src, from, end);
    out.byte(quote);
  };
  return {
    header: () => (format.header ? encoder.encode(columns.map((c) => fieldText(c.name)).join(format.delimiter) + '\n') : new Uint8Array(0)),
    rows(batch) {
      const out = new Bytes();
      for (const rb of batch.batches) {
        const cols = columns.map((_, i) => rb.data.children[i]!);
        const utf8 = cols.map(utf8Column);
        for (let r = 0; r < rb.numRows; r++) {
          for (let i = 0; i < cols.length; i++) {
            if (i > 0) out.byte(delimiter);
            const u = utf8[i];
            if (u) {
              if (u.isNull(r)) out.bytes(nullBytes);
              else field(out, u.bytes, u.start(r), u.end(r), guard[i]!);
              continue;
            }
            // Not VARCHAR (only in hand-made batches): through a JS string.
            const v = rb.getChildAt(i)?.get(r) as unknown;
            if (v === null || v === undefined) out.bytes(nullBytes);
            else {
              const b = encoder.encode(String(v));
              field(out, b, 0, b.length, guard[i]!);
            }
          }
          out.byte(10);
        }
      }
      return out.take();
    },
  };
}

const HEX = '0123456789abcdef';
const JSON_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

/** A VARCHAR value's bytes as a JSON string: quotes, backslashes and control characters escaped. */
function jsonString(out: Bytes, src: Uint8Array, start: number, end: number): void {
  out.byte(0x22);
  let from = start;
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) continue;
    out.bytes(src, from, i);
    out.text(JSON_ESCAPES[b] ?? `\\u00${HEX[b >> 4]}${HEX[b & 15]}`);
    from = i + 1;
  }
  out.bytes(src, from, end);
  out.byte(0x22);
}

/** Whether bytes [start, end) are a JSON number as DuckDB prints numbers (not `inf`, `nan`). */
function isJsonNumber(src: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (src[i] === 0x2d) i++;
  if (i >= end || src[i]! < 0x30 || src[i]! > 0x39) return false;
  for (; i < end; i++) {
    const b = src[i]!;
    if (!((b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x65 || b === 0x45 || b === 0x2b || b === 0x2d)) return false;
  }
  return true;
}

export function createNdjsonWriter(columns: readonly ColumnInfo[]): TextWriter {
  const keys = columns.map((c, i) => encoder.encode(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`));
  const kinds = columns.map((c) => (isNestedType(c.type) ? 'nested' : isNumericType(c.type) ? 'number' : /^BOOLEAN$/i.test(c.type) ? 'boolean' : 'string'));
  const NULL = encoder.encode('null');
  return {
    header: () => new Uint8Array(0),
    rows(batch) {
      const out = new Bytes();
      for (const rb of batch.batches) {
        const cols = columns.map((_, i) => rb.data.children[i]!);
        const utf8 = cols.map(utf8Column);
        const fields = rb.schema.fields;
        for (let r = 0; r < rb.numRows; r++) {
          for (let i = 0; i < cols.length; i++) {
            out.bytes(keys[i]!);
            const u = utf8[i];
            if (u && kinds[i] !== 'nested') {
              if (u.isNull(r)) {
                out.bytes(NULL);
                continue;
              }
              const [s, e] = [u.start(r), u.end(r)];
              if ((kinds[i] === 'number' && isJsonNumber(u.bytes, s, e)) || kinds[i] === 'boolean') out.bytes(u.bytes, s, e);
              else jsonString(out, u.bytes, s, e);
              continue;
            }
            const v: unknown = rb.getChildAt(i)?.get(r);
            if (v === null || v === undefined) out.bytes(NULL);
            else out.text(JSON.stringify(kinds[i] === 'nested' ? toJson(v, fields[i]!.type) : String(v)));
          }
          out.text('}\n');
        }
      }
      return out.take();
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
