import { Binary, Bool, Field, Float64, Int64, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8, type Data, type DataType } from 'apache-arrow';

/**
 * Rows of plain objects → Arrow record batches, for a ts cell's output. The first batch decides the
 * columns and their kinds (docs/ts-cells.md, "Output"); later batches must fit them, and a value that
 * does not is an error that names the column, the row and both kinds.
 *
 * | JS values in a column (nulls ignored) | DuckDB type |
 * |---|---|
 * | booleans | BOOLEAN |
 * | numbers, all whole (safe integers) in the whole output | BIGINT |
 * | numbers, some fractional (or NaN/Infinity) anywhere in the output | DOUBLE |
 * | bigints (numbers beside them must be whole) | BIGINT |
 * | strings | VARCHAR |
 * | Dates | TIMESTAMP (UTC, millisecond precision) |
 * | Uint8Arrays | BLOB |
 * | arrays and plain objects | VARCHAR holding JSON text |
 * | only nulls | VARCHAR |
 */
export type ColumnKind = 'boolean' | 'number' | 'bigint' | 'varchar' | 'timestamp' | 'blob' | 'json';

export interface ColumnPlan {
  name: string;
  /**
   * `number` columns travel as DOUBLE (exact for whole numbers up to 2^53) while `wholeNumbers`
   * says whether every value so far was whole: at the end such a column becomes BIGINT, so a column
   * of ids is not typed by its first batch alone, and a fractional value late in the output is fine.
   */
  kind: ColumnKind;
  /** Only nulls in the first batch: typed VARCHAR, so only strings may come later. */
  allNull: boolean;
  wholeNumbers: boolean;
}

/** Thrown for output the cell cannot turn into a table; `message` is meant for the user as is. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

type ValueKind = 'boolean' | 'integer' | 'bigint' | 'float' | 'string' | 'date' | 'bytes' | 'json';

function kindOf(value: unknown): ValueKind | 'null' | 'invalid' {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isSafeInteger(value) ? 'integer' : 'float';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'string';
    case 'object':
      if (value instanceof Date) return 'date';
      if (value instanceof Uint8Array) return 'bytes';
      if (Array.isArray(value) || isPlainObject(value)) return 'json';
      return 'invalid';
    default:
      return 'invalid';
  }
}

const KIND_WORDS: Record<ValueKind, string> = {
  boolean: 'a boolean',
  integer: 'a whole number',
  bigint: 'a bigint',
  float: 'a fractional number',
  string: 'a string',
  date: 'a Date',
  bytes: 'a Uint8Array',
  json: 'an object or array',
};

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof value === 'function') return 'a function';
  return `${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Is this a row (an object of column values)? Arrow's row proxies and class instances count. */
export function isRowObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return !(value instanceof Date || ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set || value instanceof Promise);
}

/** Decides the columns and their types from the first batch of rows. */
export function planColumns(rows: readonly unknown[], firstRow = 1): ColumnPlan[] {
  const order: string[] = [];
  const seen = new Map<string, { kind: ValueKind | undefined; row: number }>();
  rows.forEach((row, i) => {
    const rowNumber = firstRow + i;
    const record = asRow(row, rowNumber);
    for (const key of Object.keys(record)) {
      let entry = seen.get(key);
      if (!entry) {
        entry = { kind: undefined, row: rowNumber };
        seen.set(key, entry);
        order.push(key);
      }
      const value = record[key];
      const kind = kindOf(value);
      if (kind === 'null') continue;
      if (kind === 'invalid') throw new OutputError(`Column ${key}, row ${rowNumber}: ${describeValue(value)} cannot be stored in a table (use a string, number, boolean, Date, bigint, Uint8Array, or a plain object/array for JSON).`);
      if (entry.kind === undefined) {
        entry.kind = kind;
        entry.row = rowNumber;
        continue;
      }
      const merged = mergeKinds(entry.kind, kind);
      if (!merged) {
        throw new OutputError(
          `Column ${key} mixes kinds: row ${entry.row} holds ${KIND_WORDS[entry.kind]}, row ${rowNumber} ${KIND_WORDS[kind]}. ` +
            'A column needs one kind of value; convert them (String(x), Number(x)) or return an Arrow table with explicit types.',
        );
      }
      entry.kind = merged;
    }
  });
  return order.map((name) => {
    const kind = seen.get(name)!.kind;
    return { name, kind: kind === undefined ? 'varchar' : COLUMN_KIND[kind], allNull: kind === undefined, wholeNumbers: kind === 'integer' };
  });
}

/** `number` columns whose values were all whole: DuckDB should hold them as BIGINT. */
export function wholeNumberColumns(plan: readonly ColumnPlan[]): string[] {
  return plan.filter((c) => c.kind === 'number' && c.wholeNumbers).map((c) => c.name);
}

const COLUMN_KIND: Record<ValueKind, ColumnKind> = {
  boolean: 'boolean',
  integer: 'number',
  bigint: 'bigint',
  float: 'number',
  string: 'varchar',
  date: 'timestamp',
  bytes: 'blob',
  json: 'json',
};

function mergeKinds(a: ValueKind, b: ValueKind): ValueKind | undefined {
  if (a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('float')) return 'float';
  if (pair.has('integer') && pair.has('bigint')) return 'bigint';
  return undefined;
}

function asRow(row: unknown, rowNumber: number): Record<string, unknown> {
  if (!isRowObject(row)) {
    throw new OutputError(`Row ${rowNumber} is ${describeValue(row)}, not an object of column values (like { id: 1, name: 'a' }).`);
  }
  return row;
}

export function schemaOf(plan: readonly ColumnPlan[]): Schema {
  return new Schema(plan.map((c) => new Field(c.name, arrowType(c.kind), true)));
}

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'boolean':
      return new Bool();
    case 'bigint':
      return new Int64();
    case 'number':
      return new Float64();
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'blob':
      return new Binary();
    case 'varchar':
    case 'json':
      return new Utf8();
  }
}

/** One record batch from rows, every value checked against the plan. */
export function buildBatch(rows: readonly unknown[], plan: readonly ColumnPlan[], schema: Schema, firstRow = 1): RecordBatch {
  const n = rows.length;
  const records = rows.map((row, i) => asRow(row, firstRow + i));
  const known = new Set(plan.map((c) => c.name));
  for (let i = 0; i < n; i++) {
    for (const key of Object.keys(records[i]!)) {
      if (!known.has(key)) {
        throw new OutputError(
          `Row ${firstRow + i} has a column ${key} that the first rows did not have (the first batch of output decides the columns: ${plan.map((c) => c.name).join(', ')}). ` +
            'Give every row the same keys (null where there is no value).',
        );
      }
    }
  }
  const children = plan.map((column) => buildColumn(records, column, firstRow));
  const struct = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}

function buildColumn(records: readonly Record<string, unknown>[], column: ColumnPlan, firstRow: number): Data {
  // `column.wholeNumbers` is updated as values arrive (see ColumnPlan).
  const n = records.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  const present = (i: number) => {
    bitmap[i >> 3]! |= 1 << (i & 7);
  };
  const fail = (i: number, value: unknown): never => {
    const expected = column.allNull ? 'strings (its first values were all null, so it became VARCHAR)' : WANTS[column.kind];
    throw new OutputError(
      `Column ${column.name}, row ${firstRow + i}: ${describeValue(value)} does not fit the column, which holds ${expected}. ` +
        'The first batch of output decides each column’s type; return an Arrow table to choose types yourself.',
    );
  };
  const name = column.name;
  const type = arrowType(column.kind);
  switch (column.kind) {
    case 'boolean': {
      const values = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const v = records[i]![name];
        if (v === null || v === undefined) {
          nullCount++;
          continue;
        }
        if (typeof v !== 'boolean') fail(i, v);
        present(i);
        if (v) values[i >> 3]! |= 1 << (i & 7);
      }
      return makeData({ type: type as Bool, length: n, nullCount, nullBitmap: nullCount ? bitmap : null, data: values });
    }
    case 'bigint': {
      const values = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = records[i]![name];
        if (v === null || v === undefined) {
          nullCount++;
          continue;
        }
        if (typeof v === 'number' && Number.isSafeInteger(v)) values[i] = BigInt(v);
        else if (typeof v === 'bigint' && v >= -(2n ** 63n) && v < 2n ** 63n) values[i] = v;
        else fail(i, v);
        present(i);
      }
      return makeData({ type: type as Int64, length: n, nullCount, nullBitmap: nullCount ? bitmap : null, data: values });
    }
    case 'number': {
      const values = new Float64Array(n);
      let whole = column.wholeNumbers;
      for (let i = 0; i < n; i++) {
        const v = records[i]![name];
        if (v === null || v === undefined) {
          nullCount++;
          continue;
        }
        if (typeof v === 'number') {
          values[i] = v;
          if (whole && !Number.isSafeInteger(v)) whole = false;
        } else if (typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n) {
          values[i] = Number(v);
        } else fail(i, v);
        present(i);
      }
      column.wholeNumbers = whole;
      return makeData({ type: type as Float64, length: n, nullCount, nullBitmap: nullCount ? bitmap : null, data: values });
    }
    case 'timestamp': {
      const values = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = records[i]![name];
        if (v === null || v === undefined) {
          nullCount++;
          continue;
        }
        if (!(v instanceof Date)) fail(i, v);
        const ms = (v as Date).getTime();
        if (Number.isNaN(ms)) throw new OutputError(`Column ${name}, row ${firstRow + i}: an Invalid Date cannot be stored (use null for no date).`);
        values[i] = BigInt(ms) * 1000n;
        present(i);
      }
      return makeData({ type: type as TimestampMicrosecond, length: n, nullCount, nullBitmap: nullCount ? bitmap : null, data: values });
    }
    case 'blob': {
      const parts: Uint8Array[] = [];
      const offsets = new Int32Array(n + 1);
      let size = 0;
      for (let i = 0; i < n; i++) {
        const v = records[i]![name];
        if (v === null || v === undefined) nullCount++;
        else if (v instanceof Uint8Array) {
          parts.push(v);
          size += v.byteLength;
          present(i);
        } else fail(i, v);
        offsets[i + 1] = size;
      }
      const data = new Uint8Array(size);
      let at = 0;
      for (const part of parts) {
        data.set(part, at);
        at += part.byteLength;
      }
      return makeData({ type: type as Binary, length: n, nullCount, nullBitmap: nullCount ? bitmap : null, valueOffsets: offsets, data });
    }
    case 'varchar':
    case 'json': {
      const json = column.kind === 'json';
      const encoder = new StringEncoder();
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) {
        const v = records[i]![name];
        if (v === null || v === undefined) nullCount++;
        else if (json) {
          encoder.add(toJson(v));
          present(i);
        } else if (typeof v === 'string') {
          encoder.add(v);
          present(i);
        } else fail(i, v);
        offsets[i + 1] = encoder.length;
      }
      return makeData({ type: type as Utf8, length: n, nullCount, nullBitmap: nullCount ? bitmap : null, valueOffsets: offsets, data: encoder.finish() });
    }
  }
}

const WANTS: Record<ColumnKind, string> = {
  boolean: 'booleans (BOOLEAN)',
  bigint: 'whole numbers and bigints (BIGINT)',
  number: 'numbers',
  varchar: 'strings (VARCHAR)',
  timestamp: 'Dates (TIMESTAMP)',
  blob: 'Uint8Arrays (BLOB)',
  json: 'objects or arrays (JSON text)',
};

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
}

/** UTF-8 bytes of many strings in one growing buffer. */
class StringEncoder {
  private static readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(1024);
  length = 0;

  add(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const need = this.length + text.length * 3;
    if (need > this.buffer.length) {
      const next = new Uint8Array(Math.max(need, this.buffer.length * 2));
      next.set(this.buffer.subarray(0, this.length));
      this.buffer = next;
    }
    this.length += StringEncoder.encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
