// The hostile-input and fault corpus (issue #10, docs/corpus.md). Each group runs on one page, its cases
// in sequence as steps; every case ends with the shared checks of CorpusPage.expectInvariants. A failing
// case is recorded and the group goes on, so one run reports every failing case.

import { test, expect, addFiles, expectTable, gridOf, gridRow, loadErrorFor, openApp, rowTexts, tableEntry } from '../fixtures';
import { dataFile } from '../data/generate';
import { FAULT_CASES, FILE_CASES, NOTEBOOK_CASES, SQL_CASES, TS_CASES, TS_CASE_CELL, type CorpusCase, type FileCase, type SqlCase } from './cases';
import { corpusFile } from './files';
import { CorpusPage } from './harness';

// The cases provoke errors on purpose; CorpusPage checks that none escaped as an uncaught page error.
test.use({ allowPageErrors: true });

async function runFileCase(c: CorpusPage, kase: FileCase): Promise<void> {
  const outcome = kase.expect;
  await addFiles(c.page, [corpusFile(kase.file)]);
  if ('refused' in outcome) {
    await expect(loadErrorFor(c.page, kase.file)).toContainText(outcome.refused, { timeout: 60_000 });
    await expect(tableEntry(c.page, outcome.table)).toHaveCount(0);
    return;
  }
  const entry = await expectTable(c.page, outcome.table, { timeout: outcome.timeoutMs ?? 60_000 });
  await expect(entry).toHaveAttribute('data-row-count', String(outcome.rowCount));
  await expect(loadErrorFor(c.page, kase.file)).toHaveCount(0);
  if (outcome.note) await expect(c.page.getByRole('status').filter({ hasText: outcome.note })).toBeVisible();
  if (outcome.sourceShown) await expect(entry.locator('.source')).toContainText(kase.file);
  for (const check of outcome.checks) {
    if ('rows' in check) {
      await c.expectRows(check.sql, check.rows, check.headers);
      continue;
    }
    expect(await c.runSql(check.sql, outcome.timeoutMs), check.sql).toBe('ok');
    const grid = gridOf(c.caseCell);
    await expect(grid).toHaveAttribute('aria-rowcount', String(check.rowCount + 1));
    await expect(grid).toHaveAttribute('aria-colcount', String(check.columnCount + 1));
    const first = await rowTexts(gridRow(grid, 2));
    expect(first.slice(0, check.firstRowStartsWith.length)).toEqual(check.firstRowStartsWith);
  }
  c.keep.set(outcome.table, outcome.rowCount);
}

async function runSqlCase(c: CorpusPage, kase: SqlCase): Promise<void> {
  const status = await c.runSql(kase.sql);
  if ('error' in kase.expect) {
    expect(status, 'the cell fails').toBe('error');
    await expect(c.caseError()).toBeVisible();
    await expect(c.caseError()).toContainText(kase.expect.error);
  } else {
    expect(status, status === 'error' ? await c.caseError().innerText() : 'ok').toBe('ok');
    const grid = gridOf(c.caseCell);
    for (const [i, row] of kase.expect.rows.entries()) expect(await rowTexts(gridRow(grid, i + 2))).toEqual(row);
  }
}

async function runCase(c: CorpusPage, kase: CorpusCase): Promise<void> {
  c.begin();
  if (kase.kind === 'file') await runFileCase(c, kase);
  else if (kase.kind === 'sql') await runSqlCase(c, kase);
  else await kase.run(c);
  if (kase.kind === 'action') {
    await c.expectInvariants({
      ...(kase.expectedText !== undefined ? { expectedText: kase.expectedText } : {}),
      ...(kase.probe ? { probe: kase.probe(c) } : {}),
    });
  } else {
    await c.expectInvariants();
  }
  if (kase.kind === 'sql' && kase.after) expect(await c.runSql(kase.after), kase.after).toBe('ok');
}

/** Runs the cases one after the other on `c`; a failing case is reported and the next one runs. */
async function runGroup(c: CorpusPage, cases: CorpusCase[]): Promise<void> {
  const failed: string[] = [];
  for (const kase of cases) {
    const started = Date.now();
    try {
      await test.step(`${kase.id}: ${kase.title}`, () => runCase(c, kase));
      console.log(`corpus ${kase.id}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed.push(`${kase.id}: ${error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n    ') : String(error)}`);
      console.log(`corpus ${kase.id}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await c.dismissNotices().catch(() => undefined);
    }
  }
  expect(failed, `failing corpus cases:\n${failed.join('\n')}`).toEqual([]);
}

const budget = (cases: CorpusCase[], perCase: number) =>
  60_000 + cases.reduce((t, k) => t + (k.kind === 'action' ? (k.timeoutMs ?? perCase) : k.kind === 'file' ? (k.expect as { timeoutMs?: number }).timeoutMs ?? perCase : perCase), 0);

test('corpus: files', async ({ page }) => {
  test.setTimeout(budget(FILE_CASES, 30_000));
  const c = new CorpusPage(page);
  await c.open();
  await addFiles(page, [dataFile('orders.csv')]);
  await expectTable(page, 'orders');
  c.keep.set('orders', 10_000);
  await runGroup(c, FILE_CASES);
});

test('corpus: SQL', async ({ page }) => {
  test.setTimeout(budget(SQL_CASES, 40_000));
  const c = new CorpusPage(page);
  await c.open();
  await addFiles(page, [dataFile('orders.csv')]);
  await expectTable(page, 'orders');
  c.keep.set('orders', 10_000);
  await runGroup(c, SQL_CASES);
});

test('corpus: TS cells', async ({ page }) => {
  test.setTimeout(budget(TS_CASES, 40_000));
  const c = new CorpusPage(page, TS_CASE_CELL);
  await c.open();
  await runGroup(c, TS_CASES);
});

test('corpus: notebooks as attack', async ({ page }) => {
  test.setTimeout(budget(NOTEBOOK_CASES, 60_000));
  const c = new CorpusPage(page);
  await openApp(page);
  await runGroup(c, NOTEBOOK_CASES);
});

/** CORPUS_ONLY=id,id runs just those fault cases: for working on one case. */
const ONLY = process.env.CORPUS_ONLY ? new Set(process.env.CORPUS_ONLY.split(',')) : undefined;

test('corpus: faults', async ({ page }) => {
  const cases = FAULT_CASES.filter((kase) => !ONLY || ONLY.has(kase.id));
  test.setTimeout(budget(cases, 90_000));
  const c = new CorpusPage(page);
  await c.open();
  await addFiles(page, [dataFile('orders.csv'), dataFile('sales.parquet')]);
  await expectTable(page, 'orders');
  await expectTable(page, 'sales');
  c.keep.set('orders', 10_000);
  c.keep.set('sales', 1_000_000);
  // The harness notebook is opened as a file from disk: the first explicit run is the user's consent, so
  // it is trusted (and stays so across the reloads below) whichever case runs first.
  expect(await c.runProbe()).toBe('ok');
  await runGroup(c, cases);
});
