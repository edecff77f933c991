import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initParquet, * as parquet from 'parquet-wasm/esm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowsResult } from '../engine';
import type { LakebookEngine } from '../lakebook-engine';
import { createNodeEngine } from '../node-engine';

const require = createRequire(import.meta.url);
let engine: LakebookEngine;

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  await initParquet({ module_or_path: await readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
});
afterAll(() => engine.close());

async function write(sql: string, options: { compression: 'zstd' | 'snappy' | 'uncompressed'; rowGroupSize: number }) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of engine.writeParquet(engine.stream(sql), options)) chunks.push(chunk.slice());
  return { chunks, blob: new Blob(chunks as BlobPart[]) };
}

async function texts(sql: string): Promise<(string | null)[][]> {
  const result = (await engine.run(sql)) as RowsResult;
  return (await engine.fetchPage(result, 0, 10_000)).rows;
}

describe('writeParquet', () => {
  it('streams row groups of the asked size with the asked codec, and the values round-trip', async () => {
    const sql = `SELECT i::BIGINT AS id, DATE '2024-01-01' + (i % 400)::INT AS d, TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 37) AS ts,
      (i * 1.25)::DECIMAL(12,2) AS amount, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || i END AS name, i % 2 = 0 AS even
      FROM range(25000) t(i)`;
    const { chunks, blob } = await write(sql, { compression: 'zstd', rowGroupSize: 10_000 });
    expect(chunks.length).toBeGreaterThan(1);
    const file = await parquet.ParquetFile.fromFile(blob);
    const meta = file.metadata();
    expect(meta.numRowGroups()).toBe(3);
    expect([0, 1, 2].map((i) => meta.rowGroup(i).numRows())).toEqual([10_000, 10_000, 5_000]);
    expect(meta.rowGroup(0).column(0).compression()).toBe(parquet.Compression.ZSTD);
    file.free();
    await engine.addFile({ name: 'roundtrip.parquet', blob });
    expect(await texts('SELECT count(*), sum(id), min(d), max(ts), sum(amount), count(name), count(*) FILTER (WHERE even) FROM roundtrip')).toEqual(
      await texts(`SELECT count(*), sum(id), min(d), max(ts), sum(amount), count(name), count(*) FILTER (WHERE even) FROM (${sql})`),
    );
    expect(await texts('SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = \'roundtrip\' ORDER BY column_index')).toEqual([
      ['id', 'BIGINT'], ['d', 'DATE'], ['ts', 'TIMESTAMP'], ['amount', 'DECIMAL(12,2)'], ['name', 'VARCHAR'], ['even', 'BOOLEAN'],
    ]);
  });

  it('writes snappy and uncompressed too, and refuses a codec or row group size it cannot use', async () => {
    for (const [compression, codec] of [['snappy', parquet.Compression.SNAPPY], ['uncompressed', parquet.Compression.UNCOMPRESSED]] as const) {
      const { blob } = await write('SELECT range AS x FROM range(100)', { compression, rowGroupSize: 1000 });
      const file = await parquet.ParquetFile.fromFile(blob);
      expect(file.metadata().rowGroup(0).column(0).compression()).toBe(codec);
      file.free();
    }
    const attempt = (options: object) => write('SELECT 1', options as never);
    await expect(attempt({ compression: 'lzma', rowGroupSize: 10 })).rejects.toThrow(/zstd, snappy or uncompressed/);
    await expect(attempt({ compression: 'zstd', rowGroupSize: 0 })).rejects.toThrow(/row group size/);
  });

  it('dictionary-encodes only the columns it is told to', async () => {
    const chunks: Uint8Array[] = [];
    const sql = "SELECT range AS id, 'store-' || (range % 5) AS store FROM range(20000)";
    for await (const c of engine.writeParquet(engine.stream(sql), { compression: 'zstd', rowGroupSize: 50_000, dictionaryColumns: ['store'] })) chunks.push(c.slice());
    const file = await parquet.ParquetFile.fromFile(new Blob(chunks as BlobPart[]));
    const group = file.metadata().rowGroup(0);
    expect(group.column(1).encodings()).toContain(parquet.Encoding.RLE_DICTIONARY);
    expect(group.column(0).encodings()).not.toContain(parquet.Encoding.RLE_DICTIONARY);
    expect(group.column(0).encodings()).not.toContain(parquet.Encoding.PLAIN_DICTIONARY);
    file.free();
  });

  it('stops the query when the consumer stops reading', async () => {
    let seen = 0;
    for await (const chunk of engine.writeParquet(engine.stream('SELECT range AS x, range::VARCHAR AS s FROM range(2000000)'), { compression: 'zstd', rowGroupSize: 50_000 })) {
      seen += chunk.byteLength;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(await texts('SELECT 42')).toEqual([['42']]);
  });
});
