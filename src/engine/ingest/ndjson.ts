/**
 * NDJSON (and top-level JSON array) → Arrow IPC streams for DuckDB's `insertArrowFromIPCStream`.
 * DuckDB-WASM's json extension is not available offline, so we infer the schema ourselves.
 *
 * Documented limits:
 * - A string value that itself begins with U+0000 followed by `#num:` is read as a number literal
 *   (see NUMBER_MARK); no real data is expected to look like that.
 * - Integers outside the int64 range make their column Float64 (precision is lost, as in DuckDB's DOUBLE).
 * - A top-level JSON array file is parsed whole (twice, once per pass): JSON arrays cannot be split on lines.
 */
import { Bool, DateDay, Field, Float64, Int64, RecordBatch, Schema, Struct, Table, TimestampMicrosecond, Utf8, makeData, tableToIPC } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { LakebookError } from '../errors';

export interface NdjsonOptions {
  batchRows?: number /* default 50_000 */;
  onProgress?: (bytesRead: number, rows: number) => void;
  fileName?: string;
}

const DEFAULT_BATCH_ROWS = 50_000;
const MAX_COLUMNS = 10_000;

// Kinds seen in a column are bits, so pass 1 costs one OR per value.
const BOOL = 1, INT = 2, FLOAT = 4, DATE = 8, TIMESTAMP = 16, STRING = 32, NESTED = 64;

type Row = Record<string, unknown>;
type ColumnType = 'bool' | 'int64' | 'float64' | 'date' | 'timestamp' | 'utf8';
interface Column { name: string; type: ColumnType }

/**
 * JSON.parse turns 9007199254740993 into ...992 and 1.0 into 1, which would corrupt int64 columns and make
 * float columns look like integers. Such literals are rewritten, before parsing, into marked strings holding
 * their exact source text. U+0000 cannot appear raw in JSON text, so real data is very unlikely to collide.
 */
const NUMBER_MARK = '\u0000#num:';
const MARKED_NUMBER_IN_JSON = /"\\u0000#num:([^"]*)"/g;
const MAY_NEED_EXACT_NUMBERS = /\d{16}|\d\.0|\d[eE]/;
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER_LITERAL = /^-?\d+$/;
const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

const COLON_AHEAD = /\s*:/y;

function markExactNumbers(text: string): string {
  return text.replace(STRING_OR_NUMBER, (token, offset: number) => {
    if (token.startsWith('"')) return token;
    const value = Number(token);
    const nativeIsExact = INTEGER_LITERAL.test(token) ? Number.isSafeInteger(value) : !Number.isInteger(value);
    if (nativeIsExact) return token;
    // A number before ':' stands where a key should be; quoting it would make invalid JSON valid.
    COLON_AHEAD.lastIndex = offset + token.length;
    return COLON_AHEAD.test(text) ? token : `"\\u0000#num:${token}"`;
  });
}

function parseJson(text: string): unknown {
  if (!MAY_NEED_EXACT_NUMBERS.test(text)) return JSON.parse(text);
  try {
    return JSON.parse(markExactNumbers(text));
  } catch (error) {
    JSON.parse(text); // rethrow with positions that refer to the user's own text
    throw error;
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01, or null when the calendar date does not exist (2023-02-30 stays a string). */
function epochDays(year: string, month: string, day: string): number | null {
  const y = Number(year), m = Number(month) - 1, d = Number(day);
  const date = new Date(0);
  date.setUTCFullYear(y, m, d); // unlike Date.UTC, does not map years 0–99 to 1900–1999
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m || date.getUTCDate() !== d) return null;
  return date.getTime() / 86_400_000;
}

function parseDate(text: string): number | null {
  const match = DATE_RE.exec(text);
  return match ? epochDays(match[1]!, match[2]!, match[3]!) : null;
}

/** Microseconds since the epoch in UTC (offsets applied; no offset means UTC), or null. */
function parseTimestamp(text: string): bigint | null {
  const match = TIMESTAMP_RE.exec(text);
  if (!match) return null;
  const [, year, month, day, hh, mm, ss, fraction = '', sign = '+', offsetH = '0', offsetM = '0'] = match;
  const days = epochDays(year!, month!, day!);
  const h = Number(hh), mi = Number(mm), s = Number(ss), oh = Number(offsetH), om = Number(offsetM);
  if (days === null || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return null;
  const offsetSeconds = (sign === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  const micros = BigInt(fraction.padEnd(6, '0').slice(0, 6)); // sub-microsecond digits are truncated
  return BigInt(days) * MICROS_PER_DAY + BigInt(h * 3600 + mi * 60 + s - offsetSeconds) * 1_000_000n + micros;
}

/** The exact source text of a number that was marked by markExactNumbers. */
const literalOf = (marked: string): string => marked.slice(NUMBER_MARK.length);

function kindOf(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return BOOL;
  if (typeof value === 'number') return Number.isInteger(value) ? INT : FLOAT;
  if (typeof value === 'string') {
    if (value.startsWith(NUMBER_MARK)) {
      const literal = literalOf(value);
      return INTEGER_LITERAL.test(literal) && BigInt(literal) >= INT64_MIN && BigInt(literal) <= INT64_MAX ? INT : FLOAT;
    }
    if (parseDate(value) !== null) return DATE;
    return parseTimestamp(value) !== null ? TIMESTAMP : STRING;
  }
  return NESTED;
}

function resolveType(kinds: number): ColumnType {
  if (kinds === BOOL) return 'bool';
  if (kinds === INT) return 'int64';
  if (kinds !== 0 && (kinds & ~(INT | FLOAT)) === 0) return 'float64';
  if (kinds === DATE) return 'date';
  if (kinds !== 0 && (kinds & ~(DATE | TIMESTAMP)) === 0) return 'timestamp';
  return 'utf8'; // strings, nested values, mixed kinds, and all-null columns
}

/** JSON text of a value, with marked numbers turned back into their exact literals. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value.startsWith(NUMBER_MARK) ? literalOf(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value).replace(MARKED_NUMBER_IN_JSON, '$1');
}

const numberOf = (value: unknown): number => Number(typeof value === 'string' ? literalOf(value) : value);
const bigintOf = (value: unknown): bigint => BigInt(typeof value === 'string' ? literalOf(value) : (value as number));
const timestampOf = (value: string): bigint =>
  DATE_RE.test(value) ? BigInt(parseDate(value)!) * MICROS_PER_DAY : parseTimestamp(value)!;

const encoder = new TextEncoder();

function buildColumn(column: Column, rows: Row[]): Data {
  const length = rows.length;
  const nullBitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  const eachPresent = (write: (index: number, value: unknown) => void): void => {
    for (let i = 0; i < length; i++) {
      const row = rows[i]!;
      // Own keys only: a row without "constructor" must not yield Object.prototype.constructor.
      const value = Object.hasOwn(row, column.name) ? row[column.name] : undefined;
      if (value === null || value === undefined) nullCount++;
      else { nullBitmap[i >> 3]! |= 1 << (i & 7); write(i, value); }
    }
  };
  switch (column.type) {
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3);
      eachPresent((i, value) => { if (value === true) data[i >> 3]! |= 1 << (i & 7); });
      return makeData({ type: new Bool(), length, nullCount, nullBitmap, data });
    }
    case 'int64': {
      const data = new BigInt64Array(length);
      eachPresent((i, value) => { data[i] = bigintOf(value); });
      return makeData({ type: new Int64(), length, nullCount, nullBitmap, data });
    }
    case 'float64': {
      const data = new Float64Array(length);
      eachPresent((i, value) => { data[i] = numberOf(value); });
      return makeData({ type: new Float64(), length, nullCount, nullBitmap, data });
    }
    case 'date': {
      const data = new Int32Array(length);
      eachPresent((i, value) => { data[i] = parseDate(value as string)!; });
      return makeData({ type: new DateDay(), length, nullCount, nullBitmap, data });
    }
    case 'timestamp': {
      // No timezone: DuckDB sees a plain TIMESTAMP whose values are UTC wall-clock time.
      const data = new BigInt64Array(length);
      eachPresent((i, value) => { data[i] = timestampOf(value as string); });
      return makeData({ type: new TimestampMicrosecond(), length, nullCount, nullBitmap, data });
    }
    case 'utf8': {
      const encoded: Uint8Array[] = [];
      let byteLength = 0;
      eachPresent((i, value) => { encoded[i] = encoder.encode(toText(value)); byteLength += encoded[i].length; });
      const data = new Uint8Array(byteLength);
      const valueOffsets = new Int32Array(length + 1);
      for (let i = 0, at = 0; i < length; i++) {
        const bytes = encoded[i];
        if (bytes) { data.set(bytes, at); at += bytes.length; }
        valueOffsets[i + 1] = at;
      }
      return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data });
    }
  }
}

/** Every batch gets the same field types, because the column types were fixed by pass 1. */
function toIPC(columns: Column[], rows: Row[]): Uint8Array {
  const children = columns.map((column) => buildColumn(column, rows));
  const schema = new Schema(children.map((data, i) => new Field(columns[i]!.name, data.type, true)));
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return tableToIPC(new Table(schema, [new RecordBatch(schema, struct)]), 'stream');
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\],]/g;
/** Key order as written, for rows holding integer-like keys ("2020"), which JS objects list first. */
const keysAsWritten = new WeakMap<Row, string[]>();

function needsWrittenOrder(row: Row): boolean {
  for (const key in row) return INDEX_KEY.test(key);
  return false;
}

/** The keys of every object found at `objectDepth` (1: a line's object, 2: a JSON array's elements). */
function keysInTextOrder(text: string, objectDepth: number): string[][] {
  const objects: string[][] = [];
  const open: string[] = [];
  let expectKey = false;
  for (const [token] of text.matchAll(JSON_TOKEN)) {
    if (token === '{' || token === '[') {
      open.push(token);
      expectKey = token === '{' && open.length === objectDepth;
      if (expectKey) objects.push([]);
    } else if (token === '}' || token === ']') open.pop();
    else if (token === ',') expectKey = open.length === objectDepth && open.at(-1) === '{';
    else if (expectKey) { objects.at(-1)!.push(JSON.parse(token) as string); expectKey = false; }
  }
  return objects;
}

function asRow(value: unknown, fileName: string, where: string): Row {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Row;
  const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  throw malformed(`${fileName} ${where}: expected a JSON object like {"name": value}, found ${found}. Each row must be one object.`);
}

function malformed(message: string, cause?: unknown): LakebookError {
  return new LakebookError('ndjson-malformed', message, { cause });
}

function unreadable(fileName: string, cause: unknown): LakebookError {
  return new LakebookError('file-unreadable', `${fileName} could not be read. Add the file again.`, { cause });
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * Rows of the blob, one stream chunk at a time. Lines are read with a streaming decoder; the BOM is
 * dropped by TextDecoder. A file whose first non-blank character is `[` is a JSON array instead.
 */
async function* readRows(blob: Blob, fileName: string): AsyncGenerator<{ rows: Row[]; bytesRead: number }> {
  const reader = blob.stream().getReader();
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let bytesRead = 0;
  let lineNumber = 0;
  let sawContent = false;
  try {
    for (let done = false; !done; ) {
      let chunk: Uint8Array | undefined;
      ({ done, value: chunk } = await reader.read().catch((cause: unknown) => { throw unreadable(fileName, cause); }));
      bytesRead += chunk?.byteLength ?? 0;
      const text = done ? decoder.decode() : decoder.decode(chunk, { stream: true });
      // Splitting only when a newline arrived keeps very long lines linear instead of quadratic.
      if (!done && !text.includes('\n')) { pending += text; continue; }
      // A trailing \r (CRLF files) is JSON whitespace, so lines need no further trimming.
      const lines = (pending + text).split('\n');
      pending = done ? '' : lines.pop()!;
      const rows: Row[] = [];
      for (const line of lines) {
        lineNumber++;
        if (!/\S/.test(line)) continue;
        if (!sawContent && line.trimStart().startsWith('[')) {
          yield* readJsonArray(blob, fileName);
          return;
        }
        sawContent = true;
        let value: unknown;
        try {
          value = parseJson(line);
        } catch (cause) {
          throw malformed(`${fileName} line ${lineNumber}: not valid JSON (${errorText(cause)}). Fix or remove that line and add the file again.`, cause);
        }
        const row = asRow(value, fileName, `line ${lineNumber}`);
        if (needsWrittenOrder(row)) keysAsWritten.set(row, keysInTextOrder(line, 1)[0]!);
        rows.push(row);
      }
      yield { rows, bytesRead };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** A JSON array cannot be split on newlines, so this path parses the whole text (documented limit). */
async function* readJsonArray(blob: Blob, fileName: string): AsyncGenerator<{ rows: Row[]; bytesRead: number }> {
  const text = await blob.text().catch((cause: unknown) => { throw unreadable(fileName, cause); });
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (cause) {
    throw malformed(`${fileName}: not valid JSON (${errorText(cause)}). Fix the file and add it again.`, cause);
  }
  const rows = (parsed as unknown[]).map((element, index) => asRow(element, fileName, `element ${index + 1}`));
  if (rows.some(needsWrittenOrder)) keysInTextOrder(text, 2).forEach((keys, i) => keysAsWritten.set(rows[i]!, keys));
  yield { rows, bytesRead: blob.size };
}

/** Yields Arrow IPC *stream* buffers (each a complete stream: schema + one or more record batches), all with the same schema. */
export async function* ndjsonToArrowIPC(blob: Blob, options: NdjsonOptions = {}): AsyncGenerator<Uint8Array> {
  const fileName = options.fileName ?? 'file';
  const batchRows = Math.max(1, Math.floor(options.batchRows ?? DEFAULT_BATCH_ROWS));

  // Pass 1: one schema over every row, so all chunks can go into the same DuckDB table.
  const kindsByName = new Map<string, number>();
  let totalRows = 0;
  for await (const { rows } of readRows(blob, fileName)) {
    totalRows += rows.length;
    for (const row of rows) {
      for (const name of keysAsWritten.get(row) ?? Object.keys(row)) {
        const kinds = kindsByName.get(name);
        if (kinds === undefined && kindsByName.size === MAX_COLUMNS) {
          throw malformed(`${fileName} has more than ${MAX_COLUMNS.toLocaleString('en-US')} different field names; at most ${MAX_COLUMNS.toLocaleString('en-US')} columns can be loaded. Check that the keys are field names, not data.`);
        }
        kindsByName.set(name, (kinds ?? 0) | kindOf(row[name]));
      }
    }
  }
  if (totalRows === 0) throw new LakebookError('file-empty', `${fileName} is empty: there are no rows to load.`);
  if (kindsByName.size === 0) throw malformed(`${fileName} holds only empty objects {}: there are no columns to load.`);

  const columns: Column[] = [...kindsByName].map(([name, kinds]) => ({ name, type: resolveType(kinds) }));

  // Pass 2: re-read and convert one batch at a time, so memory stays bounded by batchRows.
  let batch: Row[] = [];
  let rowsDone = 0;
  const flush = (bytesRead: number): Uint8Array => {
    const ipc = toIPC(columns, batch);
    rowsDone += batch.length;
    batch = [];
    options.onProgress?.(bytesRead, rowsDone);
    return ipc;
  };
  for await (const { rows, bytesRead } of readRows(blob, fileName)) {
    for (const row of rows) {
      batch.push(row);
      if (batch.length === batchRows) yield flush(bytesRead);
    }
  }
  if (batch.length > 0) yield flush(blob.size);
}
