import { describe, expect, it, vi } from 'vitest';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { ndjsonToArrowIPC, type NdjsonOptions } from './ndjson';
import { LakebookError } from '../errors';

async function chunksOf(blob: Blob, options?: NdjsonOptions): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of ndjsonToArrowIPC(blob, options)) chunks.push(chunk);
  return chunks;
}

/** Loads text and returns the single resulting table (asserting it came as one chunk). */
async function load(text: string, options?: NdjsonOptions): Promise<Table> {
  const chunks = await chunksOf(new Blob([text]), options);
  expect(chunks).toHaveLength(1);
  return tableFromIPC(chunks[0]!);
}

function values(table: Table, name: string): unknown[] {
  const vector = table.getChild(name)!;
  return Array.from({ length: vector.length }, (_, i) => vector.get(i));
}

function typeOf(table: Table, name: string): DataType {
  return table.schema.fields.find((field) => field.name === name)!.type;
}

async function loadError(text: string, options?: NdjsonOptions): Promise<LakebookError> {
  const error = await chunksOf(new Blob([text]), options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LakebookError);
  return error as LakebookError;
}

const lines = (...rows: unknown[]): string => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';

/** A Blob that streams in tiny chunks (splitting UTF-8 characters) and refuses whole-file reads. */
class TrickleBlob extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const source = super.stream();
    let bytes: Uint8Array | undefined;
    let at = 0;
    return new ReadableStream({
      async pull(controller) {
        if (!bytes) bytes = new Uint8Array(await new Response(source).arrayBuffer());
        if (at >= bytes.length) { controller.close(); return; }
        controller.enqueue(bytes.slice(at, at + 3));
        at += 3;
      },
    });
  }
  override text(): Promise<string> {
    throw new Error('whole-file read');
  }
}

describe('ndjsonToArrowIPC type inference', () => {
  it('infers Bool, Int64, Float64, DateDay, Timestamp and Utf8 in first-appearance order', async () => {
    const table = await load(
      lines(
        { flag: true, n: 1, x: 1.5, day: '2024-02-29', at: '2024-01-02T03:04:05Z', name: 'ada' },
        { flag: false, n: -7, x: 2, day: '1999-12-31', at: '2024-01-02 03:04:05.5', name: 'bob' },
      ),
    );
    expect(table.schema.names).toEqual(['flag', 'n', 'x', 'day', 'at', 'name']);
    expect(DataType.isBool(typeOf(table, 'flag'))).toBe(true);
    expect(DataType.isInt(typeOf(table, 'n'))).toBe(true);
    expect(typeOf(table, 'n').toString()).toBe('Int64');
    expect(typeOf(table, 'x').toString()).toBe('Float64');
    expect(typeOf(table, 'day').toString()).toBe('Date32<DAY>');
    expect(DataType.isTimestamp(typeOf(table, 'at'))).toBe(true);
    expect(typeOf(table, 'at').toString()).toBe('Timestamp<MICROSECOND>');
    expect(DataType.isUtf8(typeOf(table, 'name'))).toBe(true);

    expect(values(table, 'flag')).toEqual([true, false]);
    expect(values(table, 'n')).toEqual([1n, -7n]);
    expect(values(table, 'x')).toEqual([1.5, 2]);
    expect(values(table, 'day')).toEqual([Date.UTC(2024, 1, 29), Date.UTC(1999, 11, 31)]);
    expect(table.getChild('day')!.data[0]!.values[0]).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
    const micros = table.getChild('at')!.data[0]!.values as BigInt64Array;
    expect([...micros]).toEqual([BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1000n, BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1000n + 500_000n]);
    expect(values(table, 'name')).toEqual(['ada', 'bob']);
  });

  it('keeps float literals such as 1.0 and 1e3 as Float64', async () => {
    const table = await load(lines({ a: 1 }).replace('1', '1.0') + '{"a": 2.00}\n' + '{"b": 1e3}\n');
    expect(typeOf(table, 'a').toString()).toBe('Float64');
    expect(values(table, 'a')).toEqual([1, 2, null]);
    expect(typeOf(table, 'b').toString()).toBe('Float64');
    expect(values(table, 'b')).toEqual([null, null, 1000]);
  });

  it('keeps int64 values beyond 2^53 exact', async () => {
    const table = await load('{"id": 9007199254740993}\n{"id": -9223372036854775808}\n{"id": 9223372036854775807}\n{"id": 5}\n');
    expect(typeOf(table, 'id').toString()).toBe('Int64');
    expect(values(table, 'id')).toEqual([9007199254740993n, -9223372036854775808n, 9223372036854775807n, 5n]);
  });

  it('turns integers beyond int64 into Float64', async () => {
    const table = await load('{"big": 92233720368547758070}\n{"big": 1}\n');
    expect(typeOf(table, 'big').toString()).toBe('Float64');
    expect(values(table, 'big')).toEqual([9.223372036854776e19, 1]);
  });

  it('converts timestamps with offsets to UTC microseconds', async () => {
    const table = await load(
      lines(
        { at: '2024-03-10T12:30:00+02:00' },
        { at: '2024-03-10T12:30:00.123456-05:30' },
        { at: '2024-03-10 00:00:00Z' },
        { at: '2024-03-10' },
      ),
    );
    expect(DataType.isTimestamp(typeOf(table, 'at'))).toBe(true);
    const micros = [...(table.getChild('at')!.data[0]!.values as BigInt64Array)];
    const base = BigInt(Date.UTC(2024, 2, 10)) * 1000n;
    expect(micros).toEqual([
      base + 10n * 3_600_000_000n + 30n * 60_000_000n,
      base + 18n * 3_600_000_000n + 123_456n,
      base,
      base,
    ]);
  });

  it('keeps impossible dates and times as strings', async () => {
    const table = await load(lines({ d: '2023-02-30' }, { d: '2024-01-01' }) + lines({ t: '2024-01-01T25:00:00Z' }));
    expect(DataType.isUtf8(typeOf(table, 'd'))).toBe(true);
    expect(values(table, 'd')).toEqual(['2023-02-30', '2024-01-01', null]);
    expect(DataType.isUtf8(typeOf(table, 't'))).toBe(true);
  });

  it('stores nested objects and arrays as JSON text, big integers included', async () => {
    const table = await load('{"tags": ["a", 1], "meta": {"id": 9007199254740993, "ok": true, "w": 1.0}}\n');
    expect(DataType.isUtf8(typeOf(table, 'tags'))).toBe(true);
    expect(values(table, 'tags')).toEqual(['["a",1]']);
    expect(values(table, 'meta')).toEqual(['{"id":9007199254740993,"ok":true,"w":1.0}']);
  });

  it('renders a column mixing kinds as strings', async () => {
    const table = await load(lines({ v: 1 }, { v: 'x' }, { v: true }, { v: 2.5 }, { v: { a: 1 } }, { v: null }) + '{"v": 9007199254740993}\n');
    expect(DataType.isUtf8(typeOf(table, 'v'))).toBe(true);
    expect(values(table, 'v')).toEqual(['1', 'x', 'true', '2.5', '{"a":1}', null, '9007199254740993']);
  });

  it('makes missing keys null and an all-null column Utf8', async () => {
    const table = await load(lines({ a: 1, gone: null }, { b: 'x' }, { a: 3, b: null }));
    expect(table.schema.names).toEqual(['a', 'gone', 'b']);
    expect(values(table, 'a')).toEqual([1n, null, 3n]);
    expect(values(table, 'b')).toEqual([null, 'x', null]);
    expect(DataType.isUtf8(typeOf(table, 'gone'))).toBe(true);
    expect(values(table, 'gone')).toEqual([null, null, null]);
    expect(table.getChild('gone')!.nullCount).toBe(3);
  });

  it('keeps column names exactly, including unicode, spaces and numeric keys', async () => {
    const text = '{"zeta name": 1, "日付": "x", "2020": true, "__proto__": 2, "n": {"1": [1, "a,b"]}, "3": 0}\n{"1": 5, "zeta name": 2, "constructor": "c"}\n';
    const table = await load(text);
    expect(table.schema.names).toEqual(['zeta name', '日付', '2020', '__proto__', 'n', '3', '1', 'constructor']);
    expect(values(table, 'constructor')).toEqual([null, 'c']);
    expect(values(table, '__proto__')).toEqual([2n, null]);
    expect(values(table, '2020')).toEqual([true, null]);
    expect(values(table, '1')).toEqual([null, 5n]);
    const array = await load(`[{"b": 1, "7": 2}, {"a": "x", "5": {"c": 1}, "b": 3}]`);
    expect(array.schema.names).toEqual(['b', '7', 'a', '5']);
    expect(values(array, '5')).toEqual([null, '{"c":1}']);
  });
});

describe('ndjsonToArrowIPC reading', () => {
  it('handles CRLF, a BOM, blank lines and a missing final newline', async () => {
    const table = await load('\uFEFF{"a": 1, "s": "é"}\r\n\r\n   \r\n{"a": 2, "s": "x"}\r\n\n{"a": 3, "s": "z"}');
    expect(table.schema.names).toEqual(['a', 's']);
    expect(values(table, 'a')).toEqual([1n, 2n, 3n]);
    expect(values(table, 's')).toEqual(['é', 'x', 'z']);
  });

  it('streams the file in pieces without reading it whole, even when UTF-8 characters are split', async () => {
    const chunks = await chunksOf(new TrickleBlob(['{"naïve": "日本語"}\n{"naïve": "ü"}\n']));
    const table = tableFromIPC(chunks[0]!);
    expect(values(table, 'naïve')).toEqual(['日本語', 'ü']);
  });

  it('yields batches of batchRows with one schema, and reports progress', async () => {
    const text = Array.from({ length: 120_000 }, (_, i) => `{"id":${i},"name":"n${i}","even":${i % 2 === 0}}`).join('\n');
    const blob = new Blob([text]);
    const onProgress = vi.fn();
    const chunks = await chunksOf(blob, { batchRows: 50_000, onProgress });
    expect(chunks).toHaveLength(3);
    const tables = chunks.map((chunk) => tableFromIPC(chunk));
    expect(tables.map((table) => table.numRows)).toEqual([50_000, 50_000, 20_000]);
    const schemas = tables.map((table) => table.schema.fields.map((field) => `${field.name}:${String(field.type)}:${field.nullable}`));
    expect(schemas[1]).toEqual(schemas[0]);
    expect(schemas[2]).toEqual(schemas[0]);
    expect(schemas[0]).toEqual(['id:Int64:true', 'name:Utf8:true', 'even:Bool:true']);
    expect(values(tables[2]!, 'id').at(-1)).toBe(119_999n);
    expect(values(tables[1]!, 'name')[0]).toBe('n50000');
    // Each chunk is an IPC *stream* (starts with the continuation marker), not an IPC file ("ARROW1").
    for (const chunk of chunks) expect([...chunk.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    expect(onProgress.mock.calls.map(([, rows]) => rows)).toEqual([50_000, 100_000, 120_000]);
    const bytes = onProgress.mock.calls.map(([read]) => read as number);
    expect(bytes[0]).toBeGreaterThan(0);
    expect(bytes[2]).toBe(blob.size);
  });

  it('accepts a top-level JSON array file', async () => {
    const table = await load('\uFEFF \n [\n  {"a": 1, "b": "x"},\n  {"a": 9007199254740993, "c": [1]}\n]\n');
    expect(table.schema.names).toEqual(['a', 'b', 'c']);
    expect(values(table, 'a')).toEqual([1n, 9007199254740993n]);
    expect(values(table, 'b')).toEqual(['x', null]);
    expect(values(table, 'c')).toEqual([null, '[1]']);
  });
});

describe('ndjsonToArrowIPC errors', () => {
  it('reports a broken line by number and file name', async () => {
    const error = await loadError('{"a": 1}\n\n{"a": }\n{"a": 3}\n', { fileName: 'events.ndjson' });
    expect(error.code).toBe('ndjson-malformed');
    expect(error.userMessage).toContain('events.ndjson line 3: not valid JSON (');
    expect(error.userMessage).toContain('Fix or remove that line and add the file again.');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports a broken line that contains big numbers against the original text', async () => {
    const error = await loadError('{"a": 9007199254740993,}\n');
    expect(error.code).toBe('ndjson-malformed');
    expect(error.userMessage).toMatch(/^file line 1: not valid JSON/);
    expect(error.userMessage).not.toContain('#num');
    for (const key of ['1.0', '9007199254740993']) {
      const unquotedKey = await loadError(`{"a": 1}\n{${key}: 2}\n`);
      expect(unquotedKey.code).toBe('ndjson-malformed');
      expect(unquotedKey.userMessage).toContain('line 2');
    }
  });

  it('rejects lines and array elements that are not objects', async () => {
    const line = await loadError('{"a": 1}\n42\n');
    expect(line.code).toBe('ndjson-malformed');
    expect(line.userMessage).toContain('line 2');
    expect(line.userMessage).toContain('found a number');
    const element = await loadError('[{"a": 1}, "x"]', { fileName: 'rows.json' });
    expect(element.code).toBe('ndjson-malformed');
    expect(element.userMessage).toContain('rows.json element 2');
  });

  it('reports an empty file or one with only blank lines as file-empty', async () => {
    for (const text of ['', '\n\r\n   \n', '\uFEFF', '[]']) {
      const error = await loadError(text, { fileName: 'events.ndjson' });
      expect(error.code).toBe('file-empty');
      expect(error.userMessage).toBe('events.ndjson is empty: there are no rows to load.');
    }
  });

  it('refuses more than 10,000 columns', async () => {
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`c${i}`, i])));
    const error = await loadError(wide);
    expect(error.code).toBe('ndjson-malformed');
    expect(error.userMessage).toContain('10,000');
    const ok = await load(JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`c${i}`, i]))));
    expect(ok.numCols).toBe(10_000);
  });
});
