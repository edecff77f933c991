// Acceptance: load a 1M-row Parquet file and a CSV file, run the seed's batch job (daily sales per
// product) and compare with native DuckDB's answers (e2e/.data/expected.json, from data/generate.ts).

import type { Page } from '@playwright/test';
import { SAMPLE_KEY, SEED_BATCH_SQL, dataFile, readExpected } from './data/generate';
import {
  addFiles,
  addSqlCell,
  expect,
  expectEngineAlive,
  expectTable,
  gridOf,
  gridRow,
  rowCount,
  rowTexts,
  runCell,
  scrollToLastRow,
  test,
  ungroup,
  openApp,
} from './fixtures';

async function openWithFiles(page: Page, files: Parameters<typeof dataFile>[0][]): Promise<void> {
  await openApp(page);
  await addFiles(page, files.map(dataFile));
}

/** Adds a SQL cell, runs it, expects success and returns its result grid. */
async function query(page: Page, sql: string) {
  const cell = await addSqlCell(page, sql);
  const status = await runCell(cell);
  if (status !== 'ok') {
    const error = await cell.getByTestId('cell-error').innerText().catch(() => '(no cell-error)');
    throw new Error(`query failed: ${sql}\n${error}`);
  }
  const grid = gridOf(cell);
  await expect(grid).toBeVisible();
  return grid;
}

test.describe('ingest and query', () => {
  test('a 1M-row Parquet file and a CSV file become tables with their row counts', async ({ page }) => {
    const expected = readExpected();
    await openWithFiles(page, ['sales.parquet', 'orders.csv']);

    const sales = await expectTable(page, 'sales');
    const orders = await expectTable(page, 'orders');
    await expect(sales).toHaveAttribute('data-row-count', String(expected.tables.sales));
    await expect(orders).toHaveAttribute('data-row-count', String(expected.tables.orders));

    // Parquet types survive the trip into the engine.
    const grid = await query(
      page,
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'sales' ORDER BY ordinal_position`,
    );
    expect(await rowCount(grid)).toBe(5);
    const types: string[][] = [];
    for (let i = 2; i <= 6; i++) types.push(await rowTexts(gridRow(grid, i)));
    expect(types).toEqual([
      ['date', 'DATE'],
      ['product_id', 'VARCHAR'],
      ['customer_id', 'INTEGER'],
      ['amount', 'DECIMAL(10,2)'],
      ['quantity', 'INTEGER'],
    ]);

    await expectEngineAlive(page);
  });

  test('the seed batch job on sales matches native DuckDB', async ({ page }) => {
    const { seedBatch } = readExpected();
    await openWithFiles(page, ['sales.parquet']);
    await expectTable(page, 'sales');

    const grid = await query(page, `${SEED_BATCH_SQL} ORDER BY date, product_id`);
    await expect(grid).toHaveAttribute('aria-rowcount', String(seedBatch.rowCount + 1));
    expect(await rowCount(grid)).toBe(seedBatch.rowCount);
    await expect(grid.getByRole('columnheader')).toContainText(['date', 'product_id', 'total_amount', 'total_quantity']);

    const totals = await query(
      page,
      `SELECT count(*) AS n, sum(total_amount)::VARCHAR AS amount, sum(total_quantity) AS qty
       FROM (${SEED_BATCH_SQL})`,
    );
    expect(await rowCount(totals)).toBe(1);
    const [n, amount, qty] = (await rowTexts(gridRow(totals, 2))).map(ungroup);
    expect(n).toBe(String(seedBatch.rowCount));
    expect(amount).toBe(seedBatch.totalAmount);
    expect(qty).toBe(String(seedBatch.totalQuantity));

    const one = await query(
      page,
      `SELECT * FROM (${SEED_BATCH_SQL})
       WHERE date = DATE '${SAMPLE_KEY.date}' AND product_id = '${SAMPLE_KEY.product_id}'`,
    );
    expect(await rowCount(one)).toBe(1);
    const r = seedBatch.sampleRow;
    expect((await rowTexts(gridRow(one, 2))).map(ungroup)).toEqual([r.date, r.product_id, r.total_amount, r.total_quantity]);
  });

  test('the seed result grid scrolls to its last row', async ({ page }) => {
    const { seedBatch } = readExpected();
    await openWithFiles(page, ['sales.parquet']);
    await expectTable(page, 'sales');

    const grid = await query(page, `${SEED_BATCH_SQL} ORDER BY date, product_id`);
    const total = await rowCount(grid);
    expect(total).toBe(seedBatch.rowCount);
    await expect(gridRow(grid, 2)).toBeVisible();

    const last = await scrollToLastRow(grid);
    await expect(last).toHaveAttribute('aria-rowindex', String(total + 1));
    const r = seedBatch.lastRow;
    expect((await rowTexts(last)).map(ungroup)).toEqual([r.date, r.product_id, r.total_amount, r.total_quantity]);
    expect(ungroup(await last.getByRole('rowheader').innerText())).toBe(String(total));

    // Virtualized: the first data row has left the DOM and only a window of rows is rendered.
    await expect(gridRow(grid, 2)).toHaveCount(0);
    expect(await grid.getByRole('row').count()).toBeLessThan(500);
  });

  test('a million-row result grid scrolls to its last row', async ({ page }) => {
    const expected = readExpected();
    await openWithFiles(page, ['sales.parquet']);
    await expectTable(page, 'sales');

    const grid = await query(page, 'SELECT * FROM sales ORDER BY date, product_id, customer_id, amount, quantity');
    await expect(grid).toHaveAttribute('aria-rowcount', String(expected.tables.sales + 1));

    const last = await scrollToLastRow(grid);
    const r = expected.salesLastRow;
    expect((await rowTexts(last)).map(ungroup)).toEqual([r.date, r.product_id, r.customer_id, r.amount, r.quantity]);
    expect(await grid.getByRole('row').count()).toBeLessThan(500);
  });
});
