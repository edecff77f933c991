// Export throughput (#7): lakebook's export in the browser against native DuckDB's
// `COPY … (FORMAT parquet, PARTITION_BY …)` on the same rows.
//
//   npx tsx bench/export-bench.ts [--runs N] [--port N] [--no-build]
//
// The data is the benchmark's own `sales_1m.parquet` (bench/data.ts, written once by native DuckDB).
// In the page it is loaded as table `sales_1m`, then exported through `window.__lakebook.exportForBench`
// (the same runExport an export cell uses) to a streamed zip download and to nowhere (the pipeline
// without a destination). Native DuckDB loads the same file into a table and COPYs it, with one
// thread and with all cores. Each workload's rows/s is the median over the runs.
//
// `runExportBench()` is what `npm run bench` can call: it takes the app's URL and a browser.
// Writes bench/results/export.json and prints a Markdown table.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { isEntry, numberFlag, openAppPage, runStandalone } from './app-page';
import { dataPath, fileName, filesFor, sqlString } from './data';
import { mdTable, median } from './report';

export interface ExportWorkload {
  name: string;
  /** The export cell's attributes (lakebook). */
  attributes: Record<string, string>;
  /** The native COPY of the same export; `{src}` is the table, `{dir}` the output folder. */
  nativeCopy: string;
}

const TABLE = 'sales_1m';
const FILE = fileName('sales', '1m', 'parquet');
const ROWS = 1_000_000;

export const EXPORT_WORKLOADS: ExportWorkload[] = [
  {
    name: 'Parquet zstd, partitioned by year/month of a date',
    attributes: { from: TABLE, format: 'parquet', partition_by: 'year(date),month(date)' },
    nativeCopy: `COPY (SELECT *, year(date) AS year, month(date) AS month FROM {src}) TO {dir} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month))`,
  },
  {
    name: 'Parquet zstd, 10 hash buckets by customer_id',
    attributes: { from: TABLE, format: 'parquet', buckets: '10', bucket_by: 'customer_id' },
    nativeCopy: `COPY (SELECT *, CAST(('0x' || substr(md5(CAST(customer_id AS VARCHAR)), 1, 16))::UBIGINT % 10 AS INTEGER) AS bucket FROM {src}) TO {dir} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket))`,
  },
  {
    name: 'CSV, partitioned by region',
    attributes: { from: TABLE, format: 'csv', partition_by: 'region' },
    nativeCopy: `COPY {src} TO {dir} (FORMAT csv, HEADER true, PARTITION_BY (region))`,
  },
];

export interface ExportBenchRow {
  workload: string;
  /** Median rows/s per engine; undefined where it did not run. */
  lakebookZip: number | undefined;
  lakebookDiscard: number | undefined;
  native1t: number | undefined;
  native: number | undefined;
  /** Median seconds per engine, same order. */
  seconds: Record<string, number>;
}

interface BenchPageResult {
  rows: number;
  files: number;
  bytes: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

/** The app's hooks this bench uses (src/main.ts). */
interface AppHooks {
  isReady: boolean;
  engine: { addFile(source: { name: string; blob: Blob }): Promise<unknown> };
  exportForBench(attributes: Record<string, string>, to: 'zip' | 'discard'): Promise<BenchPageResult>;
}

async function ensureSales(log: (line: string) => void): Promise<string> {
  const path = dataPath(FILE);
  const { existsSync } = await import('node:fs');
  if (existsSync(path)) return path;
  const file = filesFor(['1m']).find((f) => f.name === FILE)!;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    mkdirSync(dataPath(''), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await con.run(`COPY (${file.select}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    const { renameSync } = await import('node:fs');
    renameSync(tmp, path);
    log(`data: wrote ${FILE}`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return path;
}

async function measureNative(workloads: ExportWorkload[], path: string, threads: 1 | 'default', runs: number): Promise<number[][]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', threads === 1 ? { threads: '1' } : {});
  const con = await instance.connect();
  const out: number[][] = workloads.map(() => []);
  try {
    await con.run(`CREATE TABLE src AS FROM read_parquet(${sqlString(path)})`);
    for (let run = 0; run < runs; run++) {
      for (const [i, w] of workloads.entries()) {
        const dir = mkdtempSync(join(tmpdir(), 'lakebook-native-export-'));
        const sql = w.nativeCopy.replace('{src}', 'src').replace('{dir}', sqlString(join(dir, 'out')));
        const started = performance.now();
        await con.run(sql);
        out[i]!.push(performance.now() - started);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return out;
}

async function measureBrowser(browser: Browser, appUrl: string, workloads: ExportWorkload[], path: string, runs: number): Promise<{ zip: number[][]; discard: number[][] }> {
  const { context, page, offOrigin } = await openAppPage(browser, appUrl);
  const zip: number[][] = workloads.map(() => []);
  const discard: number[][] = workloads.map(() => []);
  try {
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'export-bench-file';
      input.hidden = true;
      document.body.append(input);
    });
    await page.locator('#export-bench-file').setInputFiles([path]);
    await page.evaluate(async (name) => {
      const file = (document.getElementById('export-bench-file') as HTMLInputElement).files![0]!;
      await (window as unknown as { __lakebook: AppHooks }).__lakebook.engine.addFile({ name, blob: file });
    }, FILE);
    // Warm-up: starts the Parquet writer worker, compiles its wasm and registers the download worker.
    await page.evaluate(() => (window as unknown as { __lakebook: AppHooks }).__lakebook.exportForBench({ from: 'sales_1m', format: 'parquet', partition_by: 'region', zorder_by: 'customer_id,amount' }, 'zip'));
    for (let run = 0; run < runs; run++) {
      for (const [i, w] of workloads.entries()) {
        for (const to of ['discard', 'zip'] as const) {
          const result = await page.evaluate(({ attributes, to }) => (window as unknown as { __lakebook: AppHooks }).__lakebook.exportForBench(attributes, to), { attributes: w.attributes, to });
          if (result.rows !== ROWS) throw new Error(`${w.name}: exported ${result.rows} rows, expected ${ROWS}`);
          (to === 'zip' ? zip : discard)[i]!.push(result.elapsedMs);
        }
      }
    }
    if (offOrigin.length > 0) throw new Error(`requests left the origin: ${offOrigin.join(', ')}`);
  } finally {
    await context.close();
  }
  return { zip, discard };
}

export interface ExportBenchOptions {
  appUrl: string;
  browser: Browser;
  runs: number;
  log?: (line: string) => void;
}

export async function runExportBench(options: ExportBenchOptions): Promise<ExportBenchRow[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const path = await ensureSales(log);
  log(`export bench: ${ROWS.toLocaleString('en-US')} rows of ${FILE}, ${options.runs} run(s) each`);
  const browser = await measureBrowser(options.browser, options.appUrl, EXPORT_WORKLOADS, path, options.runs);
  const native1t = await measureNative(EXPORT_WORKLOADS, path, 1, options.runs);
  const native = await measureNative(EXPORT_WORKLOADS, path, 'default', options.runs);
  const rate = (ms: number[]) => (ms.length === 0 ? undefined : (ROWS / median(ms)) * 1000);
  return EXPORT_WORKLOADS.map((w, i) => ({
    workload: w.name,
    lakebookZip: rate(browser.zip[i]!),
    lakebookDiscard: rate(browser.discard[i]!),
    native1t: rate(native1t[i]!),
    native: rate(native[i]!),
    seconds: {
      'lakebook → zip': median(browser.zip[i]!) / 1000,
      'lakebook, no destination': median(browser.discard[i]!) / 1000,
      'native 1 thread': median(native1t[i]!) / 1000,
      native: median(native[i]!) / 1000,
    },
  }));
}

export function exportMarkdown(rows: ExportBenchRow[]): string {
  const fmt = (n: number | undefined) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
  const lines = mdTable(
    ['export of 1M rows (rows/s)', 'lakebook → zip download', 'lakebook, no destination', 'native DuckDB, 1 thread', 'native DuckDB'],
    rows.map((r) => [r.workload, fmt(r.lakebookZip), fmt(r.lakebookDiscard), fmt(r.native1t), fmt(r.native)]),
  );
  return lines.join('\n');
}

if (isEntry(import.meta.url)) {
  await runStandalone({
    name: 'export',
    defaultPort: 4196,
    options: (argv) => ({ runs: numberFlag(argv, '--runs', 3) }),
    run: (appUrl, browser, options) => runExportBench({ appUrl, browser, ...options }),
    markdown: exportMarkdown,
  });
}
