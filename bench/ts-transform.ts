// `npx tsx bench/ts-transform.ts [options]`: the same 1M-row map as a ts cell and as a SQL cell, in the
// built app in Chromium, through the notebook as a user runs it (docs/ts-cells.md, "Performance").
//
//   --rows N      rows of the source table (default 1000000)
//   --runs N      timed runs of each cell, interleaved (default 3; the median is reported)
//   --port N      serve dist/ on N (default 4192)
//   --no-build    use the dist/ already built
//
// Both cells are named and read the same materialized table; both leave a table of the same values
// (checked with a checksum at the end). The time is from the cell's `running` to its `ok`, measured in
// the page: for the ts cell it covers transpiling, handing the input to the worker as Arrow, running the
// map, and storing the output in DuckDB. Writes bench/results/ts-transform.json and prints Markdown.
// Exit status: 0 when every run succeeded and the checksums agree; 1 otherwise; 2 on bad options.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { launchBrowser } from './browser';
import { serveStatic } from './server';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

export interface TsTransformOptions {
  rows: number;
  runs: number;
  port: number;
  build: boolean;
}

export interface TsTransformResult {
  rows: number;
  runs: number;
  tsMs: number[];
  sqlMs: number[];
  tsMedianMs: number;
  sqlMedianMs: number;
  tsRowsPerSecond: number;
  sqlRowsPerSecond: number;
  /** The ts cell's own split of each run: inputs · code · store. */
  tsPhases: string[];
  checksumsAgree: boolean;
  machine: { cpus: number; load: number[] };
}

const fence = '```';

function notebook(rows: number): string {
  return `# ts cell vs SQL: a ${rows.toLocaleString('en-US')}-row map

${fence}sql name=src cache=true
SELECT i AS id, (i % 1000) * 0.5 AS amount, 'c' || (i % 97) AS customer FROM range(${rows}) t(i)
${fence}

${fence}ts name=ts_out timeout=600 memory=4096
export default ({ src }) => src.map((r) => ({ id: r.id, amount: r.amount, big: r.amount > 100, tag: r.customer + ':' + r.id }));
${fence}

${fence}sql name=sql_out cache=true
SELECT id, amount, amount > 100 AS big, customer || ':' || id AS tag FROM src
${fence}

${fence}sql name=same
SELECT (SELECT count(*) FROM ts_out) = (SELECT count(*) FROM sql_out)
   AND (SELECT sum(hash(id, amount::DOUBLE, big, tag)) FROM ts_out) = (SELECT sum(hash(id, amount::DOUBLE, big, tag)) FROM sql_out) AS same
${fence}
`;
}

/** Runs one cell by its Run button and returns the page-measured time from `running` to `ok`. */
async function timeCell(page: Page, name: string): Promise<number> {
  const cell = page.locator(`[data-testid=cell][data-cell-name="${name}"]`);
  await cell.evaluate((el) => {
    const probe = { running: 0, ended: 0, status: '' };
    (el as HTMLElement & { __probe?: typeof probe }).__probe = probe;
    new MutationObserver(() => {
      const status = el.getAttribute('data-status') ?? '';
      if (status === 'running' && probe.running === 0) probe.running = performance.now();
      if ((status === 'ok' || status === 'error') && probe.running > 0 && probe.ended === 0) {
        probe.ended = performance.now();
        probe.status = status;
      }
    }).observe(el, { attributes: true, attributeFilter: ['data-status'] });
  });
  await cell.getByTestId('run-cell').click();
  const handle = await page.waitForFunction(
    (el) => {
      const probe = (el as HTMLElement & { __probe?: { ended: number } }).__probe;
      return probe && probe.ended > 0 ? probe : undefined;
    },
    await cell.elementHandle(),
    { timeout: 900_000, polling: 50 },
  );
  const probe = (await handle.jsonValue()) as { running: number; ended: number; status: string };
  if (probe.status !== 'ok') {
    const error = await cell.getByTestId('cell-error').innerText().catch(() => '(no message)');
    throw new Error(`cell ${name} failed: ${error}`);
  }
  return probe.ended - probe.running;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runTsTransformBench(options: TsTransformOptions): Promise<TsTransformResult> {
  if (options.build) {
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  const server = await serveStatic(`${ROOT}dist`, options.port);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const offOrigin: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
    });
    await page.goto(`${server.url}?sample=0`);
    await page.waitForFunction(() => (window as unknown as { __lakebook?: { isReady: boolean } }).__lakebook?.isReady === true, undefined, { timeout: 120_000 });
    // Lazy mode: running a cell must not re-run the others (reactive mode would re-run every reader of src).
    await page.locator('select').filter({ has: page.locator('option[value=lazy]') }).selectOption('lazy');
    await page.getByTestId('open-notebook').setInputFiles([{ name: 'bench.lakebook.md', mimeType: 'text/markdown', buffer: Buffer.from(notebook(options.rows)) }]);
    await timeCell(page, 'src');
    const tsMs: number[] = [];
    const sqlMs: number[] = [];
    // A first run of each, untimed: the worker script, sucrase and the code paths get loaded and compiled.
    await timeCell(page, 'ts_out');
    await timeCell(page, 'sql_out');
    const phases: string[] = [];
    for (let run = 0; run < options.runs; run++) {
      tsMs.push(await timeCell(page, 'ts_out'));
      phases.push((await page.locator('[data-testid=cell][data-cell-name="ts_out"] [data-testid=ts-timings]').innerText()).trim());
      sqlMs.push(await timeCell(page, 'sql_out'));
      console.error(`run ${run + 1}/${options.runs}: ts ${tsMs.at(-1)!.toFixed(0)} ms (${phases.at(-1)}), sql ${sqlMs.at(-1)!.toFixed(0)} ms`);
    }
    await timeCell(page, 'same');
    const same = (await page.locator('[data-testid=cell][data-cell-name="same"] [role=gridcell]').first().innerText()).trim() === 'true';
    if (offOrigin.length > 0) throw new Error(`requests left the origin: ${offOrigin.join(', ')}`);
    const tsMedianMs = median(tsMs);
    const sqlMedianMs = median(sqlMs);
    return {
      rows: options.rows,
      runs: options.runs,
      tsMs,
      sqlMs,
      tsMedianMs,
      sqlMedianMs,
      tsRowsPerSecond: options.rows / (tsMedianMs / 1000),
      sqlRowsPerSecond: options.rows / (sqlMedianMs / 1000),
      tsPhases: phases,
      checksumsAgree: same,
      machine: { cpus: cpus().length, load: loadavg().map((l) => Number(l.toFixed(2))) },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export function tsTransformMarkdown(r: TsTransformResult): string {
  const rate = (n: number) => `${(n / 1e6).toFixed(2)} M rows/s`;
  return [
    `### ${r.rows.toLocaleString('en-US')}-row map: ts cell vs SQL (median of ${r.runs})`,
    '',
    '| cell | time | throughput |',
    '|---|---:|---:|',
    `| ts cell (\`src.map(r => ({ …r, big, tag }))\`) | ${(r.tsMedianMs / 1000).toFixed(2)} s | ${rate(r.tsRowsPerSecond)} |`,
    `| SQL cell (same columns) | ${(r.sqlMedianMs / 1000).toFixed(2)} s | ${rate(r.sqlRowsPerSecond)} |`,
    '',
    `ts cell phases per run: ${r.tsPhases.join('; ')}`,
    '',
    `ts / SQL: ${(r.tsMedianMs / r.sqlMedianMs).toFixed(1)}×; outputs identical: ${r.checksumsAgree ? 'yes' : 'NO'}; ${r.machine.cpus} CPUs, load ${r.machine.load.join(' ')}`,
  ].join('\n');
}

function parseArgs(argv: string[]): TsTransformOptions {
  const options: TsTransformOptions = { rows: 1_000_000, runs: 3, port: 4192, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${arg} takes a whole number ≥ 1`);
      return v;
    };
    if (arg === '--rows') options.rows = value();
    else if (arg === '--runs') options.runs = value();
    else if (arg === '--port') options.port = value();
    else if (arg === '--no-build') options.build = false;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options: TsTransformOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  try {
    const result = await runTsTransformBench(options);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}ts-transform.json`, `${JSON.stringify(result, null, 2)}\n`);
    console.log(tsTransformMarkdown(result));
    process.exit(result.checksumsAgree ? 0 : 1);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
