import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initParquet, * as parquet from 'parquet-wasm/esm';
import { createNodeEngine } from './node-engine';
import type { LakebookEngine } from './lakebook-engine';
import type { RowsResult } from './engine';
import { LakebookError } from './errors';
import { failureOf, resultRows } from './test-helpers';

const require = createRequire(import.meta.url);
let engine: LakebookEngine;

async function parquetBlob(columns: Record<string, Int32Array | string[] | Float64Array>, rowGroupSize: number): Promise<Blob> {
  await initParquet({ module_or_path: await readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  const table = parquet.Table.fromIPCStream(tableToIPC(tableFromArrays(columns), 'stream'));
  const props = new parquet.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).setCompression(parquet.Compression.ZSTD).build();
  return new Blob([parquet.writeParquet(table, props).slice()]);
}

const rows = (sql: string) => resultRows(engine, sql);

const failure = failureOf;

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
});
afterAll(() => engine.close());

describe('LakebookEngine on DuckDB-WASM', () => {
  it('loads a CSV named after its stem and queries it', async () => {
    const info = await engine.addFile({ name: 'My Orders (2024).csv', blob: new Blob(['id,amount\n1,10.5\n2,20\n3,\n']) });
    expect(info.name).toBe('my_orders_2024');
    expect(info.rowCount).toBe(3);
    expect(info.columns.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE']);
    expect(await rows('SELECT id, amount FROM my_orders_2024 ORDER BY id')).toEqual([['1', '10.5'], ['2', '20.0'], ['3', null]]);
  });

  it('keeps non-Latin file names readable and queryable', async () => {
    const info = await engine.addFile({ name: '매출 2024.csv', blob: new Blob(['지역,금액\n서울,100\n부산,50\n']) });
    expect(info.name).toBe('매출_2024');
    expect(await rows('SELECT 지역, 금액 FROM 매출_2024 ORDER BY 금액 DESC')).toEqual([['서울', '100'], ['부산', '50']]);
  });

  it('de-duplicates table names', async () => {
    const second = await engine.addFile({ name: 'my orders 2024.csv', blob: new Blob(['x\n1\n']) });
    expect(second.name).toBe('my_orders_2024_2');
  });

  it('applies CSV overrides for delimiter, header and types', async () => {
    const info = await engine.addFile(
      { name: 'semi.csv', blob: new Blob(['1;007\n2;010\n']) },
      { csv: { delimiter: ';', header: false, types: { column1: 'VARCHAR' } } },
    );
    expect(info.name).toBe('semi_');
    expect(info.columns).toEqual([{ name: 'column0', type: 'BIGINT' }, { name: 'column1', type: 'VARCHAR' }]);
    expect(await rows('SELECT column1 FROM semi_ ORDER BY column0')).toEqual([['007'], ['010']]);
  });

  it('re-imports a CSV table with other options under the same name', async () => {
    await engine.addFile({ name: 'pipes.csv', blob: new Blob(['a|b\n1|x\n2|y\n']) });
    const info = await engine.reloadTable('pipes', { csv: { delimiter: '|', header: false } });
    expect(info.name).toBe('pipes');
    expect(info.rowCount).toBe(3);
    expect(engine.loadOptionsOf('pipes')?.options.csv).toEqual({ delimiter: '|', header: false });
    await expect(engine.reloadTable('nope', {})).rejects.toThrow(/not loaded from a file/);
  });

  it('streams batches as they come and can be abandoned', async () => {
    let rowsSeen = 0;
    let batches = 0;
    for await (const batch of engine.stream('SELECT i FROM range(300000) t(i)')) {
      rowsSeen += batch.numRows;
      batches++;
    }
    expect(rowsSeen).toBe(300000);
    expect(batches).toBeGreaterThan(1);
    for await (const batch of engine.stream('SELECT i FROM range(300000) t(i)')) {
      expect(batch.numRows).toBeGreaterThan(0);
      break;
    }
    expect(await rows('SELECT 42')).toEqual([['42']]);
  });

  it('loads Parquet row group by row group', async () => {
    const n = 10_000;
    const blob = await parquetBlob({ id: Int32Array.from({ length: n }, (_, i) => i), v: Float64Array.from({ length: n }, (_, i) => i / 2) }, 1_000);
    const progress: number[] = [];
    const info = await engine.addFile({ name: 'numbers.parquet', blob }, { onProgress: (p) => progress.push(p.rows) });
    expect(info.rowCount).toBe(n);
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toBe(n);
    expect(await rows('SELECT sum(id)::VARCHAR, sum(v)::VARCHAR FROM numbers')).toEqual([[String((n * (n - 1)) / 2), `${(n * (n - 1)) / 4}.0`]]);
  });

  it('keeps results for paging with total count, types and DuckDB text rendering', async () => {
    const result = (await engine.run("SELECT i, DATE '2024-01-01' + i::INT AS d FROM range(2500) t(i)")) as RowsResult;
    expect(result.kind).toBe('rows');
    expect(result.rowCount).toBe(2500);
    expect(result.columns).toEqual([{ name: 'i', type: 'BIGINT' }, { name: 'd', type: 'DATE' }]);
    const page = await engine.fetchPage(result, 2490, 100);
    expect(page.rows).toHaveLength(10);
    const lastDate = new Date(Date.UTC(2024, 0, 1) + 2499 * 86_400_000).toISOString().slice(0, 10);
    expect(page.rows.at(-1)).toEqual(['2499', lastDate]);
    await engine.releaseResult(result);
    await expect(engine.fetchPage(result, 0, 1)).rejects.toThrow(/Run the cell again/);
  });

  it('runs several statements and keeps the last one', async () => {
    const result = await engine.run("CREATE TABLE t1 AS SELECT 1 AS a; -- a comment; with a semicolon\nINSERT INTO t1 VALUES (2);\nSELECT 'x;y' AS s, sum(a) AS total FROM t1");
    expect(result.statementCount).toBe(3);
    expect((await engine.fetchPage(result as RowsResult, 0, 10)).rows).toEqual([['x;y', '3']]);
    expect((await engine.listTables()).map((t) => t.name)).toContain('t1');
  });

  it('reports DDL and DML without rows as statements', async () => {
    const created = await engine.run('CREATE TABLE t2 (a INT)');
    expect(created.kind).toBe('statement');
    const inserted = await engine.run('INSERT INTO t2 VALUES (1), (2)');
    expect(inserted).toMatchObject({ kind: 'statement', message: 'Done: 2 rows affected.' });
  });

  it('pages DESCRIBE and other row-returning statements', async () => {
    expect(await rows('DESCRIBE t2')).toEqual([['a', 'INTEGER', 'YES', null, null, null]]);
    expect((await rows('PRAGMA table_info(t2)'))[0]?.[1]).toBe('a');
    expect((await engine.listTables()).map((t) => t.name).filter((n) => /^r\d+$/.test(n))).toEqual([]);
  });

  it('defines a named cell as a view, or as a table when cached', async () => {
    const view = (await engine.run('SELECT 1 AS a UNION ALL SELECT 2', { define: { name: 'small', materialize: false } })) as RowsResult;
    expect(view.rowCount).toBe(2);
    expect((await engine.listTables()).find((t) => t.name === 'small')?.kind).toBe('view');
    expect(await rows('SELECT sum(a) FROM small')).toEqual([['3']]);
    await engine.run('SELECT 10 AS a', { define: { name: 'small', materialize: true } });
    expect((await engine.listTables()).find((t) => t.name === 'small')).toMatchObject({ kind: 'table', rowCount: 1 });
    const notQuery = await failure(engine.run('CREATE TABLE zz (a INT)', { define: { name: 'bad', materialize: false } }));
    expect(notQuery.userMessage).toMatch(/must end with a query/);
    const typo = await failure(engine.run('SELECT 1;\nSELECT nope FROM small', { define: { name: 'small2', materialize: false } }));
    expect(typo.position).toEqual({ line: 2, column: 8 });
  });

  it('stores Arrow batches as a result and as a named table, batch by batch', async () => {
    const first = tableFromArrays({ id: Float64Array.from([1, 2]), name: ['a', 'b'] });
    const second = tableFromArrays({ id: Float64Array.from([3]), name: ['c'] });
    let queriedBetweenBatches = false;
    const batches = async function* () {
      yield first;
      // The producer may query the engine between its batches (a ts cell's `sql`).
      const seen = await engine.run('SELECT count(*) FROM arrow_named');
      queriedBetweenBatches = seen.kind === 'rows';
      yield tableToIPC(second, 'stream');
    };
    await engine.run('CREATE VIEW arrow_named AS SELECT 1 AS stale');
    const result = await engine.runArrow(batches(), { define: { name: 'arrow_named' }, retype: () => ({ id: 'BIGINT' }) });
    expect(queriedBetweenBatches).toBe(true);
    expect(result.rowCount).toBe(3);
    expect(result.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }]);
    expect((await engine.fetchPage(result, 0, 10)).rows).toEqual([['1', 'a'], ['2', 'b'], ['3', 'c']]);
    // The named table (it replaced the view) is what later cells read.
    expect(await rows('SELECT typeof(id), string_agg(name, \'\' ORDER BY id) FROM arrow_named GROUP BY ALL')).toEqual([['BIGINT', 'abc']]);
    expect((await engine.listTables()).find((t) => t.name === 'arrow_named')?.kind).toBe('table');
    await engine.releaseResult(result);
  });

  it('keeps the columns of an empty Arrow table, and refuses a stream without batches', async () => {
    const empty = tableFromArrays({ x: Int32Array.from([]) });
    const result = await engine.runArrow((async function* () { yield tableToIPC(empty, 'stream'); })());
    expect(result.rowCount).toBe(0);
    expect(result.columns).toEqual([{ name: 'x', type: 'INTEGER' }]);
    const none = await failure(engine.runArrow((async function* () {})()));
    expect(none.userMessage).toMatch(/no Arrow batches arrived/);
  });

  it('drops a partly stored result when the producer fails, and leaves the named table as it was', async () => {
    await engine.runArrow((async function* () { yield tableFromArrays({ v: Int32Array.from([7]) }); })(), { define: { name: 'arrow_kept' } });
    const failing = async function* () {
      yield tableFromArrays({ v: Int32Array.from([1]) });
      throw new LakebookError('internal', 'the producer failed');
    };
    const error = await failure(engine.runArrow(failing(), { define: { name: 'arrow_kept' } }));
    expect(error.userMessage).toBe('the producer failed');
    expect(await rows('SELECT v FROM arrow_kept')).toEqual([['7']]);
    const leftovers = await engine.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'lakebook_results'`);
    const before = Number(leftovers.getChild('n')?.get(0));
    await failure(engine.runArrow(failing()));
    const after = await engine.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'lakebook_results'`);
    expect(Number(after.getChild('n')?.get(0))).toBe(before);
  });

  it('stops storing Arrow batches when the signal aborts', async () => {
    const controller = new AbortController();
    const batches = async function* () {
      yield tableFromArrays({ v: Int32Array.from([1]) });
      controller.abort();
      yield tableFromArrays({ v: Int32Array.from([2]) });
    };
    const error = await failure(engine.runArrow(batches(), { signal: controller.signal }));
    expect(error.code).toBe('cancelled');
  });

  it('says where a syntax error is, in the cell', async () => {
    const error = await failure(engine.run('SELECT 1;\nSELECT *\nFORM t1'));
    expect(error.code).toBe('syntax');
    expect(error.userMessage).toMatch(/syntax error at or near "t1"/);
    expect(error.position).toEqual({ line: 3, column: 6 });
  });

  it('names an unknown table', async () => {
    const error = await failure(engine.run('SELECT * FROM nope_table'));
    expect(error.code).toBe('catalog');
    expect(error.userMessage).toMatch(/nope_table does not exist/);
    expect(error.position).toEqual({ line: 1, column: 15 });
  });

  it('explains missing extensions and what to do instead', async () => {
    const parquetError = await failure(engine.run("SELECT * FROM read_parquet('x.parquet')"));
    expect(parquetError.code).toBe('missing-extension');
    expect(parquetError.userMessage).toMatch(/parquet extension, which is unavailable offline/);
    expect(parquetError.userMessage).toMatch(/Add files/);
    const jsonError = await failure(engine.run("SELECT json_extract('{}', '$.a')"));
    expect(jsonError.userMessage).toMatch(/json_extract needs DuckDB's json extension/);
  });

  it('refuses network access before DuckDB sees it', async () => {
    for (const sql of ['INSTALL httpfs', 'LOAD json', "SELECT * FROM read_csv('https://example.com/x.csv')", "ATTACH 's3://bucket/db.duckdb'", 'SET autoload_known_extensions = true']) {
      const error = await failure(engine.run(sql));
      expect(error.code, sql).toBe('network-refused');
    }
    expect(await rows('SELECT 42')).toEqual([['42']]);
  });

  it('rejects bad files with a message naming the file, and stays usable', async () => {
    const ragged = await failure(engine.addFile({ name: 'ragged.csv', blob: new Blob(['a,b,c\n1,2,3\n4,5,6,7,8\n']) }));
    expect(ragged.code).toBe('csv-malformed');
    expect(ragged.userMessage).toMatch(/^ragged\.csv line 3: expected 3 fields/);
    const raggedLate = await failure(engine.addFile({ name: 'late.csv', blob: new Blob(['a,b,c\n' + '1,2,3\n'.repeat(30_000) + '4,5,6,7\n']) }));
    expect(raggedLate.code).toBe('csv-malformed');
    expect(raggedLate.userMessage).toMatch(/^late\.csv line 30002/);
    const empty = await failure(engine.addFile({ name: 'empty.csv', blob: new Blob([]) }));
    expect(empty.code).toBe('file-empty');
    const notParquet = await failure(engine.addFile({ name: 'fake.parquet', blob: new Blob(['hello, this is text']) }));
    expect(notParquet.code).toBe('parquet-invalid');
    expect(notParquet.userMessage).toMatch(/^fake\.parquet is not a readable Parquet file/);
    const good = await parquetBlob({ id: Int32Array.from([1, 2, 3]) }, 10);
    const truncated = new Blob([(await good.arrayBuffer()).slice(0, Math.floor(good.size * 0.6))]);
    expect((await failure(engine.addFile({ name: 'cut.parquet', blob: truncated }))).code).toBe('parquet-invalid');
    const names = (await engine.listTables()).map((t) => t.name);
    expect(names).not.toContain('ragged');
    expect(names).not.toContain('fake');
    expect(await rows('SELECT 42')).toEqual([['42']]);
  });

  it('cancels a running query and stays usable', async () => {
    const controller = new AbortController();
    const running = engine.run('SELECT count(*) FROM range(3000000000) a', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const error = await failure(running);
    expect(error.code).toBe('cancelled');
    expect(await rows('SELECT 42')).toEqual([['42']]);
  });

  it('replaces the engine when DuckDB reports a WASM trap', async () => {
    const restarted = new Promise<string>((resolve) => {
      const off = engine.on((event) => {
        if (event.type === 'restarted') {
          off();
          resolve(event.reason);
        }
      });
    });
    // A trap cannot be provoked on purpose in a healthy build, so the driver reports one.
    const driver = (engine as unknown as { driver: { send: (...a: unknown[]) => Promise<never> } }).driver;
    driver.send = () => Promise.reject(new Error('RuntimeError: unreachable executed'));
    const error = await failure(engine.run('SELECT 1'));
    expect(error.code).toBe('engine-crashed');
    expect(await restarted).toMatch(/unreachable/);
    expect(await rows('SELECT count(*) FROM numbers')).toEqual([['10000']]);
  });

  it('brings file tables back after the backend dies', async () => {
    const restarted = new Promise<{ restoredTables: string[]; lostTables: string[] }>((resolve) => {
      const off = engine.on((event) => {
        if (event.type === 'restarted') {
          off();
          resolve(event);
        }
      });
    });
    await engine.run('CREATE TABLE built_by_sql AS SELECT 1 AS x');
    await engine.listTables();
    engine.killBackendForTest();
    const event = await restarted;
    expect(event.restoredTables).toEqual(expect.arrayContaining(['my_orders_2024', 'numbers', 'semi_']));
    expect(event.lostTables).toEqual(['built_by_sql']);
    expect(await rows('SELECT count(*) FROM numbers')).toEqual([['10000']]);
    expect(await rows('SELECT 42')).toEqual([['42']]);
  });
});
