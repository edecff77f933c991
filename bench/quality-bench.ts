// Data-quality check speed (#6): the seed's three Great Expectations checks (not_null, between 0..120,
// email regex) as a check cell on a 1M-row table with injected bad rows, against the same three
// predicates written by hand as one SQL cell, and against `SELECT count(*)`. Part of `npm run bench`;
// alone:
//
//   npx tsx bench/quality-bench.ts [--rows N] [--runs N] [--port N] [--no-build]
//
// Times are measured in the page from the cell's `running` to its `ok` (the check's covers reading the
// columns, the one aggregate scan, the failing-row lookup and drawing the result). The check's
// unexpected counts must equal the hand-written query's, or the bench fails. Native DuckDB (one thread)
// runs the hand-written query on the same rows for scale.

import type { Browser } from '@playwright/test';
import { firstValue, isEntry, numberFlag, openAppPage, openNotebookText, runStandalone, timeCell } from './app-page';
import { fmtTime, mdTable, median } from './report';

const EMAIL_REGEX = '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$';
const fence = '```';

/** The e2e test's table (e2e/quality.spec.ts): nulls, out-of-range ages and bad emails at fixed rows. */
const customersSql = (rows: number) => `SELECT
  CASE WHEN i % 99991 = 7 THEN NULL ELSE i + 1 END AS customer_id,
  CASE WHEN i % 1000 = 999 THEN NULL WHEN i % 50000 = 123 THEN 150 + i % 7 WHEN i % 333333 = 5 THEN -1 ELSE 18 + (i * 7) % 80 END AS age,
  CASE WHEN i % 40000 = 777 THEN 'user' || i || '@example' WHEN i % 250000 = 4242 THEN 'user ' || i || '@example.com' ELSE 'user' || i || '@example.com' END AS email
FROM range(${rows}) AS r(i)`;

const HAND_WRITTEN = `SELECT count(*) - count(customer_id) AS null_ids, count_if(age < 0 OR age > 120) AS bad_ages, count_if(NOT regexp_matches(email, '${EMAIL_REGEX}')) AS bad_emails FROM customers`;

function notebook(rows: number): string {
  return `# Quality check speed

${fence}sql name=customers cache=true
${customersSql(rows)}
${fence}

${fence}check name=customers_ok table=customers
expectation_suite = df_ge.expect_column_values_to_not_be_null("customer_id")
expectation_suite = df_ge.expect_column_values_to_be_between("age", 0, 120)
expectation_suite = df_ge.expect_column_values_to_match_regex("email", r'${EMAIL_REGEX}')
${fence}

${fence}sql name=count_star
SELECT count(*) FROM customers
${fence}

${fence}sql name=hand_written
SELECT concat_ws(',', null_ids, bad_ages, bad_emails) AS counts FROM (${HAND_WRITTEN})
${fence}
`;
}

export interface QualityBenchResult {
  rows: number;
  runs: number;
  checkMs: number[];
  handWrittenMs: number[];
  countStarMs: number[];
  nativeHandWrittenMs: number[];
  /** The check's unexpected counts, and the hand-written query's: equal or the bench fails. */
  checkCounts: string;
  handCounts: string;
}

export interface QualityBenchOptions {
  appUrl: string;
  browser: Browser;
  rows: number;
  runs: number;
  log?: (line: string) => void;
}

export async function runQualityBench(options: QualityBenchOptions): Promise<QualityBenchResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const { context, page, offOrigin } = await openAppPage(options.browser, options.appUrl);
  const result: QualityBenchResult = {
    rows: options.rows,
    runs: options.runs,
    checkMs: [],
    handWrittenMs: [],
    countStarMs: [],
    nativeHandWrittenMs: [],
    checkCounts: '',
    handCounts: '',
  };
  try {
    await openNotebookText(page, notebook(options.rows));
    await timeCell(page, 'customers');
    // Untimed first runs: the check's code paths and the regex get compiled.
    for (const name of ['customers_ok', 'count_star', 'hand_written']) await timeCell(page, name);
    // The order rotates from run to run: in a fresh page DuckDB's WebAssembly is still being optimized
    // (the same scan took 180 ms in one run and 370 ms two runs earlier), which would otherwise always
    // favour the cell that runs last.
    const cells: [string, number[]][] = [['customers_ok', result.checkMs], ['count_star', result.countStarMs], ['hand_written', result.handWrittenMs]];
    for (let run = 0; run < options.runs; run++) {
      for (let i = 0; i < cells.length; i++) {
        const [name, times] = cells[(run + i) % cells.length]!;
        times.push(await timeCell(page, name));
      }
      log(`  quality run ${run + 1}/${options.runs}: check ${fmtTime(result.checkMs.at(-1))}, hand-written ${fmtTime(result.handWrittenMs.at(-1))}, count(*) ${fmtTime(result.countStarMs.at(-1))}`);
    }
    const expectations = page.locator('[data-testid=cell][data-cell-name="customers_ok"] [data-testid=check-expectation]');
    result.checkCounts = (await expectations.evaluateAll((all) => all.map((e) => e.getAttribute('data-unexpected-count')))).join(',');
    result.handCounts = await firstValue(page, 'hand_written');
    if (offOrigin.length > 0) throw new Error(`requests left the origin: ${offOrigin.join(', ')}`);
  } finally {
    await context.close();
  }
  if (result.checkCounts !== result.handCounts) {
    throw new Error(`the check counted ${result.checkCounts} unexpected values, the hand-written query ${result.handCounts}`);
  }
  result.nativeHandWrittenMs = await measureNative(options.rows, options.runs);
  return result;
}

async function measureNative(rows: number, runs: number): Promise<number[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  try {
    await con.run(`CREATE TABLE customers AS ${customersSql(rows)}`);
    await con.run(HAND_WRITTEN);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await con.run(HAND_WRITTEN);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

export function qualityMarkdown(r: QualityBenchResult): string {
  const check = median(r.checkMs);
  const hand = median(r.handWrittenMs);
  const count = median(r.countStarMs);
  return mdTable(
    [`the seed's 3 checks on ${r.rows.toLocaleString('en-US')} rows (median of ${r.runs})`, 'check cell', 'same predicates, one hand-written SQL cell', '`SELECT count(*)`', 'check / hand-written', 'check / count(*)', 'native 1 thread, hand-written'],
    [[`unexpected counts ${r.checkCounts} (equal in both)`, fmtTime(check), fmtTime(hand), fmtTime(count), (check / hand).toFixed(2), (check / count).toFixed(1), fmtTime(median(r.nativeHandWrittenMs))]],
  ).join('\n');
}

if (isEntry(import.meta.url)) {
  await runStandalone({
    name: 'quality',
    defaultPort: 4197,
    options: (argv) => ({ rows: numberFlag(argv, '--rows', 1_000_000), runs: numberFlag(argv, '--runs', 3) }),
    run: (appUrl, browser, options) => runQualityBench({ appUrl, browser, ...options }),
    markdown: qualityMarkdown,
  });
}
