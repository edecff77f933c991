import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowsResult } from '../../engine/engine';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { createNodeEngine } from '../../engine/node-engine';
import { adviseLayout } from '../../lake/layout/advisor';
import { bucketOfDigest } from '../../lake/layout/bucket';
import { StorageError } from '../../storage/errors';
import { createMemoryTarget } from '../../storage/export/memory-target';
import type { ExportTarget } from '../../storage/export/target';
import type { ExportManifest } from './manifest';
import { parseExportCell } from './options';
import { runExport, type ExportProgress } from './run-export';

let engine: LakebookEngine;
let loaded = 0;

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  // 60,000 orders over 2023-01-01 … 2024-08-22, 20,000 customers, amounts with cents.
  await engine.run(`CREATE TABLE orders AS SELECT range::BIGINT AS id, DATE '2023-01-01' + (range % 600)::INTEGER AS order_date,
    'c' || (hash(range) % 20000) AS customer_id, ((hash(range * 7) % 100000) / 100.0)::DECIMAL(10,2) AS amount,
    CASE WHEN range % 11 = 0 THEN NULL ELSE ['north', 'south', 'east/west', 'a=b'][range % 4 + 1] END AS region
    FROM range(60000)`);
}, 120_000);
afterAll(() => engine.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

async function texts(sql: string): Promise<(string | null)[][]> {
  const result = (await engine.run(sql)) as RowsResult;
  return (await engine.fetchPage(result, 0, 100_000)).rows;
}

async function exportCell(attributes: Record<string, string>, options: { body?: string; target?: ExportTarget; signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {}) {
  const target = options.target ?? createMemoryTarget();
  const outcome = await runExport({
    engine,
    spec: parseExportCell(attributes, options.body ?? ''),
    target,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { outcome, target };
}

/** Loads each data file of a memory export as its own table; returns the table names by path. */
async function loadFiles(files: Map<string, Uint8Array>, format: 'parquet' | 'csv' | 'ndjson'): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [path, bytes] of files) {
    if (!path.endsWith(`.${format}`)) continue;
    const name = `exported_${++loaded}`;
    await engine.addFile({ name: path.split('/').pop()!, blob: new Blob([bytes as BlobPart]) }, { tableName: name, format });
    names.set(path, name);
  }
  return names;
}

function manifestOf(files: Map<string, Uint8Array>): ExportManifest {
  return JSON.parse(new TextDecoder().decode(files.get('_manifest.json')!)) as ExportManifest;
}

describe('runExport', () => {
  it('partitions by year and month of a date into zstd Parquet: same rows and sums, right folders, manifest, _SUCCESS last', async () => {
    const progress: ExportProgress[] = [];
    const { outcome, target } = await exportCell({ from: 'orders', partition_by: 'year(order_date),month(order_date)' }, { onProgress: (p) => progress.push(p) });
    const files = (target as ReturnType<typeof createMemoryTarget>).files;
    const paths = [...files.keys()];
    expect(paths.at(-1)).toBe('_SUCCESS');
    expect(paths.at(-2)).toBe('_manifest.json');
    expect(paths.filter((p) => p.endsWith('.parquet'))).toHaveLength(20);
    expect(paths).toContain('year=2023/month=1/part-00000.parquet');
    expect(paths).toContain('year=2024/month=8/part-00000.parquet');

    const manifest = manifestOf(files);
    expect(manifest.rows).toBe(60_000);
    expect(manifest.files).toHaveLength(20);
    expect(manifest.partitioning?.keys.map((k) => [k.name, k.column, k.transform])).toEqual([['year', 'order_date', 'year'], ['month', 'order_date', 'month']]);
    expect(manifest.schema.map((c) => c.name)).toEqual(['id', 'order_date', 'customer_id', 'amount', 'region']);
    for (const f of manifest.files) {
      expect(f.sha256).toBe(sha256(files.get(f.path)!));
      expect(f.bytes).toBe(files.get(f.path)!.byteLength);
      expect(f.path).toBe(`year=${f.partition.year}/month=${f.partition.month}/part-00000.parquet`);
    }
    expect(manifest.bytes).toBe(manifest.files.reduce((n, f) => n + f.bytes, 0));

    const tables = await loadFiles(files, 'parquet');
    const union = [...tables].map(([path, t]) => {
      const f = manifest.files.find((m) => m.path === path)!;
      return `SELECT *, ${f.partition.year} AS py, ${f.partition.month} AS pm, ${f.rows} AS manifest_rows, '${f.stats.amount!.min}' AS min_amount, '${f.stats.amount!.max}' AS max_amount FROM ${t}`;
    }).join(' UNION ALL ');
    expect(await texts(`SELECT count(*), sum(id), sum(amount), count(region), count(DISTINCT customer_id) FROM (${union})`)).toEqual(
      await texts('SELECT count(*), sum(id), sum(amount), count(region), count(DISTINCT customer_id) FROM orders'),
    );
    // Each row sits in the folder of its own year and month; the manifest's counts and stats hold per file.
    expect(await texts(`SELECT count(*) FILTER (WHERE year(order_date) <> py OR month(order_date) <> pm) FROM (${union})`)).toEqual([['0']]);
    expect(await texts(`SELECT count(*) FROM (SELECT py, pm, any_value(manifest_rows) m, count(*) n, min(amount)::VARCHAR lo, max(amount)::VARCHAR hi, any_value(min_amount) mlo, any_value(max_amount) mhi FROM (${union}) GROUP BY py, pm) WHERE m <> n OR lo <> mlo OR hi <> mhi`)).toEqual([['0']]);

    expect(outcome.passes).toBe(1);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', rows: 60_000, totalRows: 60_000, files: 20, totalFiles: 20 });
  });

  it('bucketing puts each customer in exactly one of 10 files, by the documented hash, evenly', async () => {
    const { target } = await exportCell({ from: 'orders', buckets: '10', bucket_by: 'customer_id' });
    const files = (target as ReturnType<typeof createMemoryTarget>).files;
    const manifest = manifestOf(files);
    expect(manifest.files.map((f) => f.path)).toEqual(Array.from({ length: 10 }, (_, b) => `bucket-${String(b).padStart(5, '0')}.parquet`));
    expect(manifest.bucketing).toMatchObject({ column: 'customer_id', buckets: 10, hash: 'md5-uint64-be-mod' });
    const tables = await loadFiles(files, 'parquet');
    const union = [...tables].map(([path, t]) => `SELECT customer_id, ${manifest.files.find((f) => f.path === path)!.bucket} AS b FROM ${t}`).join(' UNION ALL ');
    expect(await texts(`SELECT count(*) FROM (SELECT customer_id FROM (${union}) GROUP BY customer_id HAVING count(DISTINCT b) > 1)`)).toEqual([['0']]);
    for (const [customer, bucket] of await texts(`SELECT DISTINCT customer_id, b FROM (${union}) ORDER BY customer_id LIMIT 50`)) {
      expect(Number(bucket)).toBe(bucketOfDigest(md5(customer!), 10));
    }
    const sizes = manifest.files.map((f) => f.rows);
    for (const n of sizes) expect(Math.abs(n - 6000) / 6000).toBeLessThan(0.1);
    console.info('10 buckets by customer_id over 60,000 rows: rows per file', sizes.join(', '));
  });

  it('streams larger-than-budget exports in several passes with the same files', async () => {
    const one = await exportCell({ from: 'orders', partition_by: 'region', format: 'csv', sort_by: 'id' });
    const many = await exportCell({ from: 'orders', partition_by: 'region', format: 'csv', sort_by: 'id', max_pass_rows: '16000' });
    expect(one.outcome.passes).toBe(1);
    expect(many.outcome.passes).toBeGreaterThanOrEqual(4);
    const a = (one.target as ReturnType<typeof createMemoryTarget>).files;
    const b = (many.target as ReturnType<typeof createMemoryTarget>).files;
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()].slice(0, -2)).toEqual([
      'region=a%3Db/part-00000.csv', 'region=east%2Fwest/part-00000.csv', 'region=north/part-00000.csv', 'region=south/part-00000.csv', 'region=NULL/part-00000.csv',
    ]);
    // Sorted within files, so the bytes are the same however the passes were cut.
    for (const [path, bytes] of a) if (path.endsWith('.csv')) expect(sha256(b.get(path)!)).toBe(sha256(bytes));
    const text = new TextDecoder().decode(a.get('region=north/part-00000.csv')!);
    expect(text.split('\n')[0]).toBe('id,order_date,customer_id,amount');
    const ids = text.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  it('writes NDJSON that reads back with the same values', async () => {
    const { target } = await exportCell({ format: 'ndjson', partition_by: 'day' }, { body: "SELECT id, order_date, amount, region FROM orders WHERE order_date < DATE '2023-01-04'" });
    const files = (target as ReturnType<typeof createMemoryTarget>).files;
    expect([...files.keys()].slice(0, 3)).toEqual(['day=1/part-00000.ndjson', 'day=2/part-00000.ndjson', 'day=3/part-00000.ndjson']);
    const tables = await loadFiles(files, 'ndjson');
    const union = [...tables.values()].map((t) => `SELECT id, order_date, amount::DECIMAL(10,2) AS amount, region FROM ${t}`).join(' UNION ALL ');
    expect(await texts(`SELECT * FROM (${union}) ORDER BY id`)).toEqual(await texts("SELECT id, order_date, amount, region FROM orders WHERE order_date < DATE '2023-01-04' ORDER BY id"));
  });

  it('Z-ordered files touch fewer row groups for a 2-column range than unsorted ones (read back from the written Parquet)', async () => {
    await engine.run(`CREATE TABLE points AS SELECT range AS id, (hash(range) % 1000000) / 1000.0 AS x, (hash(range + 7919) % 1000000) / 1000.0 AS y
      FROM range(100000) ORDER BY hash(range * 31)`);
    const touched: Record<string, number> = {};
    for (const layout of ['none', 'zorder']) {
      const { target } = await exportCell({ from: 'points', row_group_size: '2000', ...(layout === 'zorder' ? { zorder_by: 'x,y' } : {}) });
      const files = (target as ReturnType<typeof createMemoryTarget>).files;
      const [table] = [...(await loadFiles(files, 'parquet')).values()];
      // The loaded table keeps the file's row order, so 'current' row groups of 2,000 are the file's row groups.
      const advice = await adviseLayout(engine, {
        source: table!,
        columns: [{ name: 'id', type: 'BIGINT' }, { name: 'x', type: 'DOUBLE' }, { name: 'y', type: 'DOUBLE' }],
        predicate: 'x BETWEEN 100 AND 200 AND y BETWEEN 300 AND 400',
        rowGroupSize: 2000,
      });
      touched[layout] = advice.layouts.find((l) => l.layout === 'current')!.touched;
      if (layout === 'zorder') expect(manifestOf(files).ordering).toMatchObject({ kind: 'zorder', columns: ['x', 'y'], bits_per_column: 32 });
    }
    console.info('row groups of 2,000 touched by x∈[100,200] ∧ y∈[300,400] in exported files (of 50):', touched);
    expect(touched.none).toBe(50);
    expect(touched.zorder).toBeLessThan(10);
  });

  it('refuses unknown columns, 0 buckets and contradictory layouts before writing anything', async () => {
    const target = createMemoryTarget();
    await expect(exportCell({ from: 'orders', partition_by: 'regoin' }, { target })).rejects.toThrow(/partition_by: there is no column "regoin". The columns are: id, order_date, customer_id, amount, region/);
    expect(target.state).toBe('new');
    await expect(exportCell({ from: 'orders', buckets: '0', bucket_by: 'customer_id' })).rejects.toThrow(/buckets must be a whole number of files from 1/);
    await expect(exportCell({ from: 'orders', sort_by: 'id', zorder_by: 'id,amount' })).rejects.toThrow(/sort_by or zorder_by, not both/);
    await expect(exportCell({ from: 'orders', zorder_by: 'id' })).rejects.toThrow(/2 to 4 columns, not 1 \(to order by one column, use sort_by\)/);
    await expect(exportCell({ from: 'nope' })).rejects.toThrow(/no table nope to export. The tables are: .*orders/);
    await expect(exportCell({ from: 'orders', partition_by: 'year(amount)' })).rejects.toThrow(/amount is DECIMAL\(10,2\), not a date or timestamp/);
    await expect(exportCell({ from: 'orders', colour: 'red' })).rejects.toThrow(/Unknown export option colour/);
  });

  it('a stop mid-export aborts the target, writes no _SUCCESS and leaves the engine usable', async () => {
    const controller = new AbortController();
    const target = createMemoryTarget();
    const run = exportCell({ from: 'orders', partition_by: 'customer_id', format: 'csv' }, {
      target,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.files >= 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/export was stopped. Nothing was finished/);
    expect(target.state).toBe('aborted');
    expect(target.files.has('_SUCCESS')).toBe(false);
    expect(await texts('SELECT 42')).toEqual([['42']]);
    expect(await texts("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'lakebook_export'")).toEqual([['0']]);
  });

  it('reports a destination that refuses to write as write-failed, in its own words', async () => {
    const refusing: ExportTarget = {
      ...createMemoryTarget(),
      async openFile() {
        throw new StorageError('permission-denied', 'folder "x" cannot be written (it is read-only). Choose another folder.');
      },
    };
    await expect(exportCell({ from: 'orders' }, { target: refusing })).rejects.toMatchObject({ code: 'write-failed', userMessage: expect.stringMatching(/read-only/) });
  });
});
