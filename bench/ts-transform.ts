// The same 1M-row map as a ts cell and as a SQL cell, in the built app in Chromium, through the notebook
// as a user runs it (docs/ts-cells.md, "Performance"). Part of `npm run bench`; alone:
//
//   npx tsx bench/ts-transform.ts [--rows N] [--runs N] [--port N] [--no-build]
//
// Both cells are named and read the same materialized table; both leave a table of the same values
// (checked with a checksum at the end). The time is from the cell's `running` to its `ok`, measured in
// the page: for the ts cell it covers transpiling, handing the input to the worker as Arrow, running the
// map, and storing the output in DuckDB. Writes bench/results/ts-transform.json and prints Markdown.
// Exit status: 0 when every run succeeded and the checksums agree; 1 otherwise; 2 on bad options.

import { cpus, loadavg } from 'node:os';
import type { Browser } from '@playwright/test';
import { firstValue, isEntry, numberFlag, openAppPage, openNotebookText, runStandalone, timeCell } from './app-page';
import { mdTable, median } from './report';

export interface TsTransformOptions {
  appUrl: string;
  browser: Browser;
  rows: number;
  runs: number;
  log?: (line: string) => void;
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

export async function runTsTransformBench(options: TsTransformOptions): Promise<TsTransformResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const { context, page, offOrigin } = await openAppPage(options.browser, options.appUrl);
  try {
    await openNotebookText(page, notebook(options.rows));
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
      log(`  ts transform run ${run + 1}/${options.runs}: ts ${tsMs.at(-1)!.toFixed(0)} ms (${phases.at(-1)}), sql ${sqlMs.at(-1)!.toFixed(0)} ms`);
    }
    await timeCell(page, 'same');
    const same = (await firstValue(page, 'same')) === 'true';
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
    await context.close();
  }
}

export function tsTransformMarkdown(r: TsTransformResult): string {
  const rate = (n: number) => `${(n / 1e6).toFixed(2)} M rows/s`;
  return [
    `### ${r.rows.toLocaleString('en-US')}-row map: ts cell vs SQL (median of ${r.runs})`,
    '',
    ...mdTable(
      ['cell', 'time', 'throughput'],
      [
        ['ts cell (`src.map(r => ({ …r, big, tag }))`)', `${(r.tsMedianMs / 1000).toFixed(2)} s`, rate(r.tsRowsPerSecond)],
        ['SQL cell (same columns)', `${(r.sqlMedianMs / 1000).toFixed(2)} s`, rate(r.sqlRowsPerSecond)],
      ],
    ),
    '',
    `ts cell phases per run: ${r.tsPhases.join('; ')}`,
    '',
    `ts / SQL: ${(r.tsMedianMs / r.sqlMedianMs).toFixed(1)}×; outputs identical: ${r.checksumsAgree ? 'yes' : 'NO'}; ${r.machine.cpus} CPUs, load ${r.machine.load.join(' ')}`,
  ].join('\n');
}

if (isEntry(import.meta.url)) {
  await runStandalone({
    name: 'ts-transform',
    defaultPort: 4192,
    options: (argv) => ({ rows: numberFlag(argv, '--rows', 1_000_000), runs: numberFlag(argv, '--runs', 3) }),
    run: (appUrl, browser, options) => runTsTransformBench({ appUrl, browser, ...options }),
    markdown: tsTransformMarkdown,
    succeeded: (result) => result.checksumsAgree,
  });
}
