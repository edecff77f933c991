import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, RowsResult } from '../engine/engine';
import { createNodeEngine, loadParquet } from '../engine/node-engine';
import { tableToParquet } from './table-parquet';
import { injectCspMeta } from './csp';
import type { AppFiles } from './app-files';
import { PUBLISHED_META, buildPublishBundle, injectPublishedMeta, parsePublishedManifest, slugOf } from './publish';

let engine: Engine;
let reader: Engine;

async function rows(on: Engine, sql: string): Promise<(string | null)[][]> {
  const result = await on.run(sql);
  return (await on.fetchPage(result as RowsResult, 0, 10_000)).rows;
}

const INDEX = injectCspMeta('<!doctype html>\n<html>\n  <head>\n    <title>lakebook</title>\n  </head>\n  <body></body>\n</html>\n');
const SITE: Record<string, Blob> = {
  'index.html': new Blob([INDEX]),
  'assets/index-abc.js': new Blob(['console.log(1)']),
  'assets/duckdb-eh-x.wasm': new Blob([new Uint8Array(5000).fill(7)]),
  'icons/icon-192.png': new Blob([new Uint8Array([0x89, 0x50])]),
  'sw.js': new Blob(['// sw']),
};
const APP_FILES: AppFiles = {
  format: 'lakebook-app-files',
  version: 1,
  files: [
    ...Object.keys(SITE).map((path) => ({ path, bytes: SITE[path]!.size })),
    { path: 'assets/duckdb-mvp-y.wasm', bytes: 9, optional: true },
  ],
};

const CSV = [
  'id,name,amount,day,ts,flag,note',
  '1,Ada,10.50,2024-01-31,2024-01-31 10:00:00,true,"<img src=x onerror=alert(1)>"',
  '2,Bo,-3.25,2023-12-01,2023-12-01 23:59:59.123456,false,',
  '3,"Çé ✓",0,2024-02-29,2024-02-29 00:00:00,,"a,b"',
].join('\n');

beforeAll(async () => {
  engine = createNodeEngine();
  reader = createNodeEngine();
  await Promise.all([engine.ready(), reader.ready()]);
  await engine.addFile({ name: 'orders.csv', blob: new Blob([CSV]) }, { csv: { types: { amount: 'DECIMAL(10,2)' } } });
  await engine.run('CREATE TABLE big AS SELECT i, i * 2 AS twice, \'row \' || i AS label FROM range(300000) t(i)');
});
afterAll(async () => {
  await engine.close();
  await reader.close();
});

describe('tableToParquet', () => {
  it('writes a table that reads back with the same types and values (DECIMAL, DATE, TIMESTAMP, NULL, unicode)', async () => {
    const blob = await tableToParquet(engine, 'orders');
    await reader.addFile({ name: 'orders.parquet', blob }, { tableName: 'orders_back', format: 'parquet' });
    const original = await rows(engine, 'SELECT * FROM orders ORDER BY id');
    expect(await rows(reader, 'SELECT * FROM orders_back ORDER BY id')).toEqual(original);
    const types = async (on: Engine, t: string) => (await rows(on, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`)).map((r) => r[1]);
    expect(await types(reader, 'orders_back')).toEqual(await types(engine, 'orders'));
  });

  it('streams a 300,000-row table into row groups of 122,880 rows', async () => {
    const blob = await tableToParquet(engine, 'big');
    const pq = await loadParquet();
    const file = await pq.ParquetFile.fromFile(blob);
    expect(Number(file.metadata().fileMetadata().numRows())).toBe(300_000);
    expect(file.metadata().numRowGroups()).toBe(3);
    file.free();
    await reader.addFile({ name: 'big.parquet', blob }, { tableName: 'big_back', format: 'parquet' });
    expect(await rows(reader, 'SELECT count(*), sum(twice), max(label) FROM big_back')).toEqual(await rows(engine, 'SELECT count(*), sum(twice), max(label) FROM big'));
  });

  it('names a missing table in its error', async () => {
    await expect(tableToParquet(engine, 'nope')).rejects.toThrow(/nope/);
  });
});

describe('buildPublishBundle', () => {
  const notebook = '---\ntitle: Orders review\n---\n# Orders\n\n```sql name=totals\nSELECT sum(amount) AS total FROM orders\n```\n';

  async function publish(overrides: Partial<Parameters<typeof buildPublishBundle>[0]> = {}) {
    return buildPublishBundle({
      title: 'Orders review',
      notebookText: notebook,
      tables: [{ name: 'orders', rowCount: 3 }],
      appFiles: APP_FILES,
      fetchAppFile: async (path) => SITE[path],
      tableToParquet: (name) => tableToParquet(engine, name),
      now: new Date('2026-11-02T10:00:00Z'),
      ...overrides,
    });
  }

  it('packs the app, the notebook and its data as Parquet into one folder', async () => {
    const result = await publish();
    expect(result.fileName).toBe('orders-review.zip');
    expect(result.skipped).toEqual(['assets/duckdb-mvp-y.wasm']);
    const files = unzipSync(new Uint8Array(await result.zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(
      [
        'orders-review/README.txt',
        'orders-review/assets/duckdb-eh-x.wasm',
        'orders-review/assets/index-abc.js',
        'orders-review/icons/icon-192.png',
        'orders-review/index.html',
        'orders-review/published/data/orders.parquet',
        'orders-review/published/manifest.json',
        'orders-review/published/notebook.lakebook.md',
        'orders-review/sw.js',
      ].sort(),
    );
    const text = (p: string) => new TextDecoder().decode(files[`orders-review/${p}`]);
    expect(text('published/notebook.lakebook.md')).toBe(notebook);
    const manifest = parsePublishedManifest(text('published/manifest.json'));
    expect(manifest).toEqual({
      format: 'lakebook-published',
      version: 1,
      title: 'Orders review',
      notebook: 'notebook.lakebook.md',
      readOnly: true,
      publishedAt: '2026-11-02T10:00:00.000Z',
      tables: [{ name: 'orders', file: 'data/orders.parquet', rows: 3, bytes: files['orders-review/published/data/orders.parquet']!.length }],
    });
    // The page opens the published notebook, and keeps the CSP as its first element.
    const html = text('index.html');
    expect(html).toContain(`<meta name="${PUBLISHED_META}" content="published/manifest.json" />`);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf(PUBLISHED_META));
    expect(text('assets/index-abc.js')).toBe('console.log(1)');
    // The data reads back as the same table.
    await reader.addFile({ name: 'orders.parquet', blob: new Blob([files['orders-review/published/data/orders.parquet']! as BlobPart]) }, { tableName: 'published_orders', format: 'parquet' });
    expect(await rows(reader, 'SELECT sum(amount) FROM published_orders')).toEqual(await rows(engine, 'SELECT sum(amount) FROM orders'));
  });

  it('fails with a clear message when a required app file is unavailable', async () => {
    await expect(publish({ fetchAppFile: async (path) => (path.endsWith('.js') ? undefined : SITE[path]) })).rejects.toMatchObject({
      code: 'publish-failed',
      userMessage: expect.stringContaining('assets/index-abc.js is not available'),
    });
  });

  it('fails when a table cannot be written, naming it', async () => {
    await expect(publish({ tables: [{ name: 'gone', rowCount: null }] })).rejects.toMatchObject({ code: 'publish-failed', userMessage: expect.stringContaining('table gone') });
  });

  it('publishes only plain table names, each to its own file', async () => {
    await engine.run('CREATE TABLE "x y" AS SELECT 1 AS x; CREATE TABLE 매출 AS SELECT 2 AS x');
    await expect(publish({ tables: [{ name: 'x y', rowCount: 1 }] })).rejects.toMatchObject({ code: 'publish-failed', userMessage: expect.stringContaining('"x y" is not a plain name') });
    const result = await publish({ tables: [{ name: '매출', rowCount: 1 }, { name: 'orders', rowCount: 3 }] });
    expect(result.manifest.tables.map((t) => t.file)).toEqual(['data/매출.parquet', 'data/orders.parquet']);
  });
});

describe('published manifest', () => {
  const valid = { format: 'lakebook-published', version: 1, title: 't', notebook: 'n.md', readOnly: true, publishedAt: '', tables: [{ name: 'a', file: 'data/a.parquet', rows: 1, bytes: 2 }] };

  it('refuses paths that leave the folder, odd table names and foreign files', () => {
    const cases: unknown[] = [
      { ...valid, notebook: '../secret.md' },
      { ...valid, notebook: '/etc/passwd.md' },
      { ...valid, notebook: 'https://evil.example/x.md' },
      { ...valid, tables: [{ name: 'a', file: '../../x.parquet' }] },
      { ...valid, tables: [{ name: 'a; DROP TABLE x', file: 'data/a.parquet' }] },
      { ...valid, tables: [{ name: '<img src=x onerror=alert(1)>', file: 'data/a.parquet' }] },
      { ...valid, tables: [{ name: 'a', file: 'data/a.parquet' }, { name: 'A', file: 'data/b.parquet' }] },
      { ...valid, format: 'other' },
      { ...valid, version: 2 },
    ];
    for (const c of cases) expect(() => parsePublishedManifest(JSON.stringify(c)), JSON.stringify(c)).toThrow(expect.objectContaining({ code: 'share-invalid' }));
    expect(() => parsePublishedManifest('{')).toThrow(expect.objectContaining({ code: 'share-invalid' }));
    expect(parsePublishedManifest(JSON.stringify(valid)).tables[0]!.name).toBe('a');
  });

  it('opens read-only unless the manifest says otherwise', () => {
    const { readOnly: _r, ...rest } = valid;
    expect(parsePublishedManifest(JSON.stringify(rest)).readOnly).toBe(true);
    expect(parsePublishedManifest(JSON.stringify({ ...valid, readOnly: false })).readOnly).toBe(false);
  });

  it('slugs titles into folder names', () => {
    expect(slugOf('Orders review')).toBe('orders-review');
    expect(slugOf('Ünïcode: ventes 2024!')).toBe('unicode-ventes-2024');
    expect(slugOf('../..')).toBe('notebook');
    expect(slugOf('매출 보고서')).toBe('매출-보고서');
  });

  it('injects the marker once, after the CSP', () => {
    const once = injectPublishedMeta(INDEX);
    expect(injectPublishedMeta(once)).toBe(once);
    expect(() => injectPublishedMeta('<html></html>')).toThrow(/no <head>/);
  });
});
