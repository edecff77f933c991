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
  const builder = new BatchBuilder(plan, schema, rows.length);
  for (let i = 0; i < rows.length; i++) builder.append(rows[i], firstRow + i);
  return builder.finish();
}

/**
 * Appends rows straight into Arrow buffers, so a row object can be collected as soon as it is
 * appended: a long output never holds more than its Arrow batch in progress.
 */
export class BatchBuilder {
  private readonly columns: ColumnBuilder[];
  private readonly index: Map<string, number>;
  length = 0;

  constructor(
    private readonly plan: readonly ColumnPlan[],
    private readonly schema: Schema,
    capacity: number,
  ) {
    this.columns = plan.map((column) => new ColumnBuilder(column, Math.max(1, capacity)));
    this.index = new Map(plan.map((c, i) => [c.name, i]));
  }

  append(row: unknown, rowNumber: number): void {
    const record = asRow(row, rowNumber);
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      if (!this.index.has(key)) {
        throw new OutputError(
          `Row ${rowNumber} has a column ${key} that the first rows did not have (the first batch of output decides the columns: ${this.plan.map((c) => c.name).join(', ')}). ` +
            'Give every row the same keys (null where there is no value).',
        );
      }
    }
    for (const column of this.columns) column.append(record[column.name], rowNumber);
    this.length++;
  }

  finish(): RecordBatch {
    const children = this.columns.map((c) => c.finish());
    const struct = makeData({ type: new Struct(this.schema.fields), length: this.length, nullCount: 0, children });
    return new RecordBatch(this.schema, struct);
  }
}

/** One column's Arrow buffers, grown as values arrive; `finish` hands them over. */
class ColumnBuilder {
  readonly name: string;
  private length = 0;
  private nullCount = 0;
  private validity: Uint8Array;
  private numbers: Float64Array | undefined;
  private bigints: BigInt64Array | undefined;
  private bits: Uint8Array | undefined;
  private offsets: Int32Array | undefined;
  private strings: StringEncoder | undefined;
  private bytes: Uint8Array[] | undefined;
  private byteCount = 0;
  private readonly type: DataType;

  constructor(
    private readonly column: ColumnPlan,
    private capacity: number,
  ) {
    this.name = column.name;
    this.type = arrowType(column.kind);
    this.validity = new Uint8Array((capacity + 7) >> 3);
    switch (column.kind) {
      case 'number':
        this.numbers = new Float64Array(capacity);
        break;
      case 'bigint':
      case 'timestamp':
        this.bigints = new BigInt64Array(capacity);
        break;
      case 'boolean':
        this.bits = new Uint8Array((capacity + 7) >> 3);
        break;
      case 'varchar':
      case 'json':
        this.offsets = new Int32Array(capacity + 1);
        this.strings = new StringEncoder();
        break;
      case 'blob':
        this.offsets = new Int32Array(capacity + 1);
        this.bytes = [];
        break;
    }
  }

  append(value: unknown, rowNumber: number): void {
    const i = this.length;
    if (i >= this.capacity) this.grow();
    this.length++;
    if (value === null || value === undefined) {
      this.nullCount++;
      if (this.offsets) this.offsets[i + 1] = this.offsets[i]!;
      return;
    }
    this.validity[i >> 3]! |= 1 << (i & 7);
    switch (this.column.kind) {
      case 'number':
        if (typeof value === 'number') {
          this.numbers![i] = value;
          if (this.column.wholeNumbers && !Number.isSafeInteger(value)) this.column.wholeNumbers = false;
        } else if (typeof value === 'bigint' && value >= -9007199254740991n && value <= 9007199254740991n) {
          this.numbers![i] = Number(value);
        } else this.fail(rowNumber, value);
        return;
      case 'bigint':
        if (typeof value === 'number' && Number.isSafeInteger(value)) this.bigints![i] = BigInt(value);
        else if (typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n) this.bigints![i] = value;
        else this.fail(rowNumber, value);
        return;
      case 'timestamp': {
        if (!(value instanceof Date)) this.fail(rowNumber, value);
        const ms = (value as Date).getTime();
        if (Number.isNaN(ms)) throw new OutputError(`Column ${this.name}, row ${rowNumber}: an Invalid Date cannot be stored (use null for no date).`);
        this.bigints![i] = BigInt(ms) * 1000n;
        return;
      }
      case 'boolean':
        if (typeof value !== 'boolean') this.fail(rowNumber, value);
        if (value) this.bits![i >> 3]! |= 1 << (i & 7);
        return;
      case 'varchar':
        if (typeof value !== 'string') this.fail(rowNumber, value);
        this.strings!.add(value as string);
        this.offsets![i + 1] = this.strings!.length;
        return;
      case 'json':
        this.strings!.add(toJson(value));
        this.offsets![i + 1] = this.strings!.length;
        return;
      case 'blob':
        if (!(value instanceof Uint8Array)) this.fail(rowNumber, value);
        this.bytes!.push(value as Uint8Array);
        this.byteCount += (value as Uint8Array).byteLength;
        this.offsets![i + 1] = this.byteCount;
        return;
    }
  }

  private fail(rowNumber: number, value: unknown): never {
    const expected = this.column.allNull ? 'strings (its first values were all null, so it became VARCHAR)' : WANTS[this.column.kind];
    throw new OutputError(
      `Column ${this.name}, row ${rowNumber}: ${describeValue(value)} does not fit the column, which holds ${expected}. ` +
        'The first batch of output decides each column’s type; return an Arrow table to choose types yourself.',
    );
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(old: T, size: number): T => {
      const next = new (old.constructor as new (n: number) => T)(size);
      next.set(old as never);
      return next;
    };
    this.validity = grown(this.validity, (capacity + 7) >> 3);
    if (this.numbers) this.numbers = grown(this.numbers, capacity);
    if (this.bigints) this.bigints = grown(this.bigints, capacity);
    if (this.bits) this.bits = grown(this.bits, (capacity + 7) >> 3);
    if (this.offsets) this.offsets = grown(this.offsets, capacity + 1);
    this.capacity = capacity;
  }

  finish(): Data {
    const n = this.length;
    const nullBitmap = this.nullCount > 0 ? this.validity.slice(0, (n + 7) >> 3) : null;
    const common = { length: n, nullCount: this.nullCount, nullBitmap };
    switch (this.column.kind) {
      case 'number':
        return makeData({ type: this.type as Float64, ...common, data: this.numbers!.slice(0, n) });
      case 'bigint':
      case 'timestamp':
        return makeData({ type: this.type as Int64, ...common, data: this.bigints!.slice(0, n) });
      case 'boolean':
        return makeData({ type: this.type as Bool, ...common, data: this.bits!.slice(0, (n + 7) >> 3) });
      case 'varchar':
      case 'json':
        return makeData({ type: this.type as Utf8, ...common, valueOffsets: this.offsets!.slice(0, n + 1), data: this.strings!.finish() });
      case 'blob': {
        const data = new Uint8Array(this.byteCount);
        let at = 0;
        for (const part of this.bytes!) {
          data.set(part, at);
          at += part.byteLength;
        }
        return makeData({ type: this.type as Binary, ...common, valueOffsets: this.offsets!.slice(0, n + 1), data });
      }
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
    // ASCII (most keys, codes and labels) is copied code unit by code unit, without a TextEncoder call.
    const buffer = this.buffer;
    let at = this.length;
    const n = text.length;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buffer[at++] = c;
    }
    if (i < n) at += StringEncoder.encoder.encodeInto(text.slice(i), buffer.subarray(at)).written;
    this.length = at;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
