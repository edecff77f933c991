import { DataType, MapRow, StructRow, Type, util, Vector, type Field, type RecordBatch } from 'apache-arrow';

/**
 * Arrow values as a TypeScript cell sees them in its rows (docs/ts-cells.md, "Values"):
 *
 * | DuckDB | row value |
 * |---|---|
 * | TINYINT … INTEGER, FLOAT, DOUBLE, DECIMAL, HUGEINT | number (DECIMAL and HUGEINT rounded to a double) |
 * | BIGINT, UBIGINT | number when exact (|x| ≤ 2^53), else bigint: never silently rounded |
 * | VARCHAR, UUID, ENUM | string |
 * | BOOLEAN | boolean |
 * | DATE, TIMESTAMP, TIMESTAMPTZ | Date (UTC; microseconds cut to milliseconds) |
 * | TIME | string `HH:MM:SS[.ffffff]` |
 * | INTERVAL | `{ months, days, nanoseconds }` |
 * | BLOB | Uint8Array |
 * | LIST, ARRAY | array; STRUCT: object; MAP: object with string keys |
 * | NULL | null |
 *
 * The exact Arrow values stay reachable through `table.arrow`.
 */
export type ValueConverter = (value: unknown) => unknown;

const MS_PER_DAY = 86_400_000;

export function converterFor(type: DataType): ValueConverter {
  switch (type.typeId) {
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64 ? int64ToJs : identity;
    case Type.Decimal: {
      const scale = (type as unknown as { scale: number }).scale;
      return (v) => (v === null || v === undefined ? null : util.bigNumToNumber(v as Parameters<typeof util.bigNumToNumber>[0], scale));
    }
    case Type.Date:
    case Type.Timestamp:
      return (v) => (v === null || v === undefined ? null : new Date(Number(v)));
    case Type.Time: {
      const unit = (type as unknown as { unit: number }).unit;
      return (v) => (v === null || v === undefined ? null : formatTime(v as number | bigint, unit));
    }
    case Type.Interval:
      return intervalToJs;
    case Type.List:
    case Type.FixedSizeList: {
      const child = converterFor((type.children[0] as Field).type);
      return (v) => (v === null || v === undefined ? null : Array.from(v as Vector, child));
    }
    case Type.Struct: {
      const fields = (type.children as Field[]).map((f) => [f.name, converterFor(f.type)] as const);
      return (v) => {
        if (v === null || v === undefined) return null;
        const row = v as StructRow & Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [name, convert] of fields) out[name] = convert(row[name]);
        return out;
      };
    }
    case Type.Map: {
      const entry = (type.children[0] as Field).type;
      const [keyField, valueField] = entry.children as Field[];
      const key = converterFor(keyField!.type);
      const value = converterFor(valueField!.type);
      return (v) => {
        if (v === null || v === undefined) return null;
        const out: Record<string, unknown> = {};
        for (const [k, val] of v as MapRow) out[String(key(k))] = value(val);
        return out;
      };
    }
    case Type.Dictionary:
      return converterFor((type as unknown as { dictionary: DataType }).dictionary);
    default:
      return identity;
  }
}

const identity: ValueConverter = (v) => (v === undefined ? null : v);

function int64ToJs(v: unknown): unknown {
  if (typeof v !== 'bigint') return v ?? null;
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function intervalToJs(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Int32Array && v.length === 4) {
    // MONTH_DAY_NANO: months, days, then nanoseconds as a little-endian int64.
    const nanos = (BigInt(v[3]!) << 32n) | BigInt(v[2]! >>> 0);
    return { months: v[0], days: v[1], nanoseconds: Number(nanos) };
  }
  return v;
}

function formatTime(value: number | bigint, unit: number): string {
  // TimeUnit: 0 s, 1 ms, 2 µs, 3 ns → everything to microseconds.
  const micros = unit === 0 ? BigInt(value) * 1_000_000n : unit === 1 ? BigInt(value) * 1000n : unit === 2 ? BigInt(value) : BigInt(value) / 1000n;
  const total = Number(micros);
  const seconds = Math.floor(total / 1e6);
  const fraction = total % 1e6;
  const pad = (n: number) => String(n).padStart(2, '0');
  const base = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return fraction === 0 ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}

/** One column of a batch read by row index; fast paths for the common layouts read the buffers directly. */
export type ColumnReader = (index: number) => unknown;

const TWO_32 = 4294967296;

export function columnReader(batch: RecordBatch, column: number): ColumnReader {
  const vector = batch.getChildAt(column)!;
  const type = vector.type as DataType;
  const data = vector.data[0];
  const convert = converterFor(type);
  const generic: ColumnReader = (i) => convert(vector.get(i));
  if (!data || data.offset !== 0 || vector.data.length !== 1) return generic;
  const values = data.values as unknown;
  const withNulls = (read: ColumnReader): ColumnReader => (data.nullCount > 0 ? (i) => (data.getValid(i) ? read(i) : null) : read);
  const typeId = type.typeId;
  if (typeId === Type.Int || (typeId === Type.Float && (type as unknown as { precision: number }).precision > 0)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      // Two 32-bit halves instead of a BigInt per value; beyond ±2^53 the exact bigint.
      const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
      const signed = values instanceof BigInt64Array;
      return withNulls((i) => {
        const lo = words[2 * i]!;
        const hi = words[2 * i + 1]!;
        if (hi < 0x200000) return hi * TWO_32 + lo;
        if (signed && hi > 0xffe00000) return (hi - TWO_32) * TWO_32 + lo;
        return int64ToJs(values[i]);
      });
    }
    if (ArrayBuffer.isView(values)) {
      const array = values as unknown as ArrayLike<number>;
      return withNulls((i) => array[i]);
    }
  }
  if (typeId === Type.Decimal && values instanceof Uint32Array) {
    const { scale, bitWidth } = type as unknown as { scale: number; bitWidth: number };
    const stride = bitWidth / 32;
    const divisor = 10 ** scale;
    return withNulls((i) => {
      const at = i * stride;
      const lo = values[at]!;
      const mid = values[at + 1]!;
      // Whole value within ±2^53: plain double arithmetic; the division rounds once, like parsing the text.
      let high = 0;
      for (let w = 2; w < stride; w++) high |= values[at + w]! === 0 ? 0 : values[at + w]! === 0xffffffff ? 1 : 2;
      if (high === 0 && mid < 0x200000) return (mid * TWO_32 + lo) / divisor;
      if (high === 1 && mid > 0xffe00000) return ((mid - TWO_32) * TWO_32 + lo) / divisor;
      return generic(i);
    });
  }
  if (typeId === Type.Utf8 && values instanceof Uint8Array && data.valueOffsets instanceof Int32Array) {
    const offsets = data.valueOffsets;
    const decoder = new TextDecoder();
    return withNulls((i) => {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      if (end - start > 48) return decoder.decode(values.subarray(start, end));
      // Short ASCII strings (most keys and labels) without a TextDecoder call.
      for (let j = start; j < end; j++) if (values[j]! >= 0x80) return decoder.decode(values.subarray(start, end));
      return String.fromCharCode.apply(null, values.subarray(start, end) as unknown as number[]);
    });
  }
  if (typeId === Type.Date && (type as unknown as { unit: number }).unit === 0 && values instanceof Int32Array) {
    return withNulls((i) => new Date(values[i]! * MS_PER_DAY));
  }
  return generic;
}
