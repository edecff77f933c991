// The two browser engines, in the system Chromium driven by Playwright's library API:
//   lakebook  — the built app, its real `LakebookEngine` reached through `window.__lakebook.engine`.
//   raw-wasm  — bench/raw/: @duckdb/duckdb-wasm and parquet-wasm with no lakebook code (`window.__raw`).
// Each run gets a fresh page (a new engine and its own memory) in a context kept per engine, so the
// wasm is fetched and compiled once; the cold-start measurement (ui.ts) uses fresh contexts instead.

import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { RowsResult } from '../src/engine/engine';
import { checksumOf, type Checksum } from './checksum';
import { installHarness, type Measured } from './page-harness';
import type { EngineSession, QueryVariant, Timed } from './session';
import type { IngestWorkload, QueryWorkload } from './workloads';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${executablePath} (set CHROMIUM_PATH, or apt-get install chromium): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * A fresh context with the harness installed, a record of page errors and of any request that leaves
 * the page's origin (there must be none: the app works offline).
 */
export interface BenchContext {
  context: BrowserContext;
  /** Page errors and off-origin requests seen so far (they are reported, and off-origin ones fail the run). */
  warnings: string[];
}

/**
 * `serviceWorkers: 'block'` for the engine comparisons: lakebook's offline worker would otherwise fill
 * its ≈52 MB cache during the first run's workloads, which the raw page (no service worker) never pays.
 * The cold start allows it, as a first visit does.
 */
export async function newBenchContext(browser: Browser, origin: string, { serviceWorkers = 'block' }: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<BenchContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers });
  const warnings: string[] = [];
  // tsx (esbuild keepNames) wraps functions in `__name(…)`; serialized into the page it must exist there.
  await context.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  await context.addInitScript(installHarness);
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith(origin)) warnings.push(`request off the origin: ${url}`);
  });
  context.on('weberror', (webError) => warnings.push(`page error: ${webError.error().message}`));
  return { context, warnings };
}

async function giveFiles(page: Page, paths: string[]): Promise<void> {
  await page.evaluate(() => window.__bench.ensureFileInput());
  // Chromium runs locally, so Playwright hands over the paths: the page gets disk-backed File objects,
  // read lazily, as from a file picker. Nothing is copied up front.
  await page.locator('#bench-file-input').setInputFiles(paths);
  const names = paths.map((p) => p.split('/').pop()!);
  await page.waitForFunction((wanted) => wanted.every((n) => n in window.__bench.files), names);
}

// ------------------------------------------------------------------------------------------------
// lakebook

/**
 * A new page of the app in `bench` (a context from `newBenchContext`, reused across runs so the wasm
 * is compiled once; every run still gets a fresh page, engine and memory).
 */
export async function openLakebook(bench: BenchContext, appUrl: string, paths: string[]): Promise<EngineSession> {
  const page = await bench.context.newPage();
  try {
    await page.goto(new URL('./?sample=0', appUrl).href);
    await page.waitForFunction(() => window.__bench.appSettled(), undefined, { timeout: 120_000 });
    await page.evaluate(() => void window.__bench.appEngine());
    await giveFiles(page, paths);
    // One small run through the whole path (tokenize, materialize, describe, page, release) so that the
    // first measured workload does not pay for compiling that code.
    await page.evaluate(async () => {
      const engine = window.__bench.appEngine();
      const result = await engine.run('SELECT 1 AS warm_up');
      if (result.kind === 'rows') await engine.fetchPage(result, 0, 100);
      await engine.releaseResult(result);
    });
    return new LakebookSession(page, bench.warnings);
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}

class LakebookSession implements EngineSession {
  readonly engine = 'lakebook' as const;
  readonly queryVariants: QueryVariant[];
  private last: RowsResult | undefined;

  constructor(
    private readonly page: Page,
    private readonly seen: string[],
  ) {
    this.queryVariants = [new LakebookQuery(page, this.rows)];
  }

  async ingest(w: IngestWorkload, path: string): Promise<Timed & { table: string }> {
    const file = path.split('/').pop()!;
    // The file is offered under the table's plain name (lineitem.csv), so the table is `lineitem`.
    const measured = await this.page.evaluate(
      ({ file, name }) => {
        const engine = window.__bench.appEngine();
        return window.__bench.measure(async () => (await engine.addFile({ name, blob: window.__bench.files[file]! })).name);
      },
      { file, name: `${w.table}.${w.format}` },
    );
    // Not part of the load: one `listTables()` now, the call addFile makes before and after loading.
    const listTables = await this.page.evaluate(async () => {
      const t0 = performance.now();
      await window.__bench.appEngine().listTables();
      return performance.now() - t0;
    });
    return { ms: measured.ms, longTasks: measured.longTasks, table: measured.value, steps: { listTables } };
  }

  warmUp(w: QueryWorkload): Promise<number> {
    return this.page.evaluate(async (sql) => {
      const engine = window.__bench.appEngine();
      const t0 = performance.now();
      const result = await engine.run(sql);
      if (result.kind === 'rows') await engine.fetchPage(result, 0, 100);
      const ms = performance.now() - t0;
      await engine.releaseResult(result);
      return ms;
    }, w.sql);
  }

  async query(w: QueryWorkload): Promise<Timed & { rowCount: number }> {
    const measured: Measured<RowsResult> = await this.page.evaluate((sql) => {
      const engine = window.__bench.appEngine();
      return window.__bench.measure(async () => {
        const result = await engine.run(sql);
        if (result.kind !== 'rows') throw new Error(`expected rows, got: ${result.message}`);
        await engine.fetchPage(result, 0, 100);
        return result;
      });
    }, w.sql);
    this.last = measured.value;
    return { ms: measured.ms, longTasks: measured.longTasks, rowCount: measured.value.rowCount };
  }

  resultChecksum(): Promise<Checksum> {
    if (!this.last) throw new Error('no result');
    // The engine's own result table: what the grid pages through.
    return checksumOf(this.rows, `lakebook_results."${this.last.id}"`);
  }

  async releaseResult(): Promise<void> {
    const last = this.last;
    this.last = undefined;
    if (last) await this.page.evaluate((result) => window.__bench.appEngine().releaseResult(result), last);
  }

  rows = (sql: string): Promise<Record<string, unknown>[]> =>
    this.page.evaluate(async (sql) => {
      const table = await window.__bench.appEngine().query(sql);
      return table.toArray().map((row) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row.toJSON() as Record<string, unknown>)) {
          out[key] = typeof value === 'bigint' ? Number(value) : value;
        }
        return out;
      });
    }, sql);

  async dropTable(table: string): Promise<void> {
    await this.page.evaluate((table) => window.__bench.appEngine().dropTable(table), table);
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  warnings(): string[] {
    return [...this.seen];
  }
}

// ------------------------------------------------------------------------------------------------
// raw DuckDB-WASM

export async function openRaw(bench: BenchContext, rawUrl: string, paths: string[]): Promise<EngineSession> {
  const page = await bench.context.newPage();
  try {
    await page.goto(rawUrl);
    await page.waitForFunction(() => window.__raw?.ready === true || window.__raw?.error !== undefined, undefined, { timeout: 120_000 });
    const error = await page.evaluate(() => window.__raw.error);
    if (error) throw new Error(`the raw DuckDB-WASM page did not start: ${error}`);
    await giveFiles(page, paths);
    // The same for the raw page: both query paths once, on nothing.
    await page.evaluate(async () => {
      await window.__raw.query('SELECT 1 AS warm_up');
      await window.__raw.queryMaterialized('SELECT 1 AS warm_up', 'bench_warm_up');
      await window.__raw.rows('DROP TABLE bench_warm_up');
    });
    return new RawSession(page, bench.warnings);
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}

class RawSession implements EngineSession {
  readonly engine = 'raw-wasm' as const;
  readonly queryVariants: QueryVariant[];

  constructor(
    private readonly page: Page,
    private readonly seen: string[],
  ) {
    this.queryVariants = [new RawMaterialized(page, this.rows)];
  }

  async ingest(w: IngestWorkload, path: string): Promise<Timed & { table: string }> {
    const file = path.split('/').pop()!;
    const measured = await this.page.evaluate(
      ({ file, table, format }) =>
        window.__bench.measure(() =>
          format === 'csv' ? window.__raw.addCsv(window.__bench.files[file]!, table) : window.__raw.addParquet(window.__bench.files[file]!, table),
        ),
      { file, table: w.table, format: w.format },
    );
    const steps = measured.value;
    // Not part of the load: what lakebook's ragged-line check (a sniff_csv first) adds to one.
    if (w.format === 'csv') steps.sniff = await this.page.evaluate((file) => window.__raw.sniffCsv(file), file);
    return { ms: measured.ms, longTasks: measured.longTasks, table: w.table, steps };
  }

  async query(w: QueryWorkload): Promise<Timed & { rowCount: number }> {
    const measured = await this.page.evaluate((sql) => window.__bench.measure(() => window.__raw.query(sql)), w.sql);
    return { ms: measured.ms, longTasks: measured.longTasks, rowCount: measured.value.rowCount };
  }

  async warmUp(w: QueryWorkload): Promise<number> {
    const measured = await this.page.evaluate((sql) => window.__bench.measure(() => window.__raw.query(sql)), w.sql);
    await this.page.evaluate(() => window.__raw.keepResult('bench_warm_up'));
    await this.rows('DROP TABLE bench_warm_up');
    return measured.ms;
  }

  async resultChecksum(): Promise<Checksum> {
    // The Arrow table conn.query returned, put back into DuckDB: the checksum sees what was returned.
    await this.page.evaluate(() => window.__raw.keepResult('bench_result'));
    return checksumOf(this.rows, '"bench_result"');
  }

  async releaseResult(): Promise<void> {
    await this.rows('DROP TABLE IF EXISTS bench_result');
  }

  rows = (sql: string): Promise<Record<string, unknown>[]> => this.page.evaluate((sql) => window.__raw.rows(sql), sql);

  async dropTable(table: string): Promise<void> {
    await this.rows(`DROP TABLE "${table}"`);
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  warnings(): string[] {
    return [...this.seen];
  }
}

/** Raw DuckDB-WASM calls doing what lakebook's `run` + `fetchPage` do: the cost of that design alone. */
class RawMaterialized implements QueryVariant {
  readonly engine = 'raw-wasm-materialized' as const;

  constructor(
    private readonly page: Page,
    private readonly rows: (sql: string) => Promise<Record<string, unknown>[]>,
  ) {}

  async query(w: QueryWorkload): Promise<Timed & { rowCount: number }> {
    const measured = await this.page.evaluate(
      (sql) => window.__bench.measure(() => window.__raw.queryMaterialized(sql, 'bench_materialized')),
      w.sql,
    );
    return { ms: measured.ms, longTasks: measured.longTasks, rowCount: measured.value.rowCount, steps: measured.value.steps };
  }

  resultChecksum(): Promise<Checksum> {
    return checksumOf(this.rows, '"bench_materialized"');
  }

  async releaseResult(): Promise<void> {
    await this.rows('DROP TABLE IF EXISTS bench_materialized');
  }
}

/**
 * The same query through lakebook's engine as a plain `engine.query` (one blocking `conn.query` on the
 * meta connection, Arrow back to the page): the same DuckDB instance and tables as lakebook's `run`,
 * without its materialization. A diagnostic; its checksum re-runs the query.
 */
class LakebookQuery implements QueryVariant {
  readonly engine = 'lakebook-query' as const;
  private sql: string | undefined;

  constructor(
    private readonly page: Page,
    private readonly rows: (sql: string) => Promise<Record<string, unknown>[]>,
  ) {}

  async query(w: QueryWorkload): Promise<Timed & { rowCount: number }> {
    const measured = await this.page.evaluate(
      (sql) => window.__bench.measure(async () => (await window.__bench.appEngine().query(sql)).numRows),
      w.sql,
    );
    this.sql = w.sql;
    return { ms: measured.ms, longTasks: measured.longTasks, rowCount: measured.value };
  }

  resultChecksum(): Promise<Checksum> {
    if (!this.sql) throw new Error('no result');
    return checksumOf(this.rows, `(${this.sql})`);
  }

  async releaseResult(): Promise<void> {
    this.sql = undefined;
  }
}
