import { test, expect, openApp, addFiles, expectTable, addSqlCell, runCell, gridOf, expectEngineAlive, loadErrorFor, tableEntry } from './fixtures';
import { dataFile } from './data/generate';

// DESIGN §5: bad input gets a clear message, the engine stays usable, nothing is lost.

test.describe('bad files', () => {
  const cases: { file: Parameters<typeof dataFile>[0]; message: RegExp }[] = [
    { file: 'ragged.csv', message: /ragged\.csv line \d+: expected 3 fields/ },
    { file: 'empty.csv', message: /empty\.csv is empty/ },
    { file: 'not_parquet.parquet', message: /not_parquet\.parquet is not a readable Parquet file/ },
    { file: 'truncated.parquet', message: /truncated\.parquet is not a readable Parquet file/ },
  ];
  for (const { file, message } of cases) {
    test(`${file} is refused with a message naming it`, async ({ page }) => {
      await openApp(page);
      await addFiles(page, [dataFile('orders.csv')]);
      await expectTable(page, 'orders');
      await addFiles(page, [dataFile(file)]);
      await expect(loadErrorFor(page, file)).toContainText(message);
      await expect(tableEntry(page, file.replace(/\..*$/, ''))).toHaveCount(0);
      await expect(tableEntry(page, 'orders')).toHaveAttribute('data-row-count', '10000');
      await expectEngineAlive(page);
    });
  }
});

test.describe('bad SQL', () => {
  const cases: { name: string; sql: string; message: RegExp }[] = [
    { name: 'a syntax error', sql: 'SELECT *\nFORM orders', message: /syntax error at or near "orders".*line 2, column 6/s },
    { name: 'an unknown table', sql: 'SELECT * FROM no_such_table', message: /no_such_table does not exist.*line 1, column 15/s },
    { name: 'the parquet extension', sql: "SELECT * FROM read_parquet('x.parquet')", message: /parquet extension, which is unavailable offline.*Add files/s },
    { name: 'the json extension', sql: `SELECT json_extract('{"a": 1}', '$.a')`, message: /json extension, which is unavailable offline/ },
    { name: 'the icu extension', sql: "SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AT TIME ZONE 'Europe/Paris'", message: /icu extension, which is unavailable offline.*UTC/s },
    { name: 'an extension install', sql: 'INSTALL httpfs', message: /cannot be installed or loaded here/ },
    { name: 'a remote file', sql: "SELECT * FROM read_csv('https://example.com/data.csv')", message: /remote address.*never sends your data/s },
  ];
  for (const { name, sql, message } of cases) {
    test(`${name} gives an actionable error`, async ({ page }) => {
      await openApp(page);
      await addFiles(page, [dataFile('orders.csv')]);
      await expectTable(page, 'orders');
      const cell = await addSqlCell(page, sql);
      expect(await runCell(cell)).toBe('error');
      await expect(cell.getByTestId('cell-error')).toBeVisible();
      await expect(cell.getByTestId('cell-error')).toContainText(message);
      await expectEngineAlive(page);
    });
  }
});

test('a running query is cancelled with Stop and the engine stays usable', async ({ page }) => {
  await openApp(page);
  const cell = await addSqlCell(page, 'SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3');
  await cell.getByTestId('cell-editor').press('Shift+Enter');
  await expect(cell).toHaveAttribute('data-status', 'running');
  await page.waitForTimeout(300);
  await cell.getByTestId('stop-cell').click();
  await expect(cell).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
  await expect(cell.getByTestId('cell-error')).toContainText(/cancelled/i);
  await expectEngineAlive(page);
});

test('the worker killed mid-query comes back with the tables', async ({ page }) => {
  await openApp(page);
  await addFiles(page, [dataFile('orders.csv'), dataFile('sales.parquet')]);
  await expectTable(page, 'orders');
  await expectTable(page, 'sales');
  const cell = await addSqlCell(page, 'SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3');
  await cell.getByTestId('cell-editor').press('Shift+Enter');
  await expect(cell).toHaveAttribute('data-status', 'running');
  await page.waitForTimeout(300);
  await page.evaluate(() => window.__lakebook!.killWorker());
  await expect(cell).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(cell.getByTestId('cell-error')).toContainText(/engine stopped|restart/i);
  await expect(page.getByRole('status').filter({ hasText: /engine restarted/i })).toBeVisible({ timeout: 60_000 });
  await expect(tableEntry(page, 'orders')).toHaveAttribute('data-row-count', '10000');
  await expect(tableEntry(page, 'sales')).toHaveAttribute('data-row-count', '1000000');
  const check = await addSqlCell(page, 'SELECT count(*) AS n FROM sales JOIN orders ON true WHERE orders.order_id = 1');
  expect(await runCell(check)).toBe('ok');
  await expect(gridOf(check).getByRole('gridcell', { name: /^1,?000,?000$/ })).toBeVisible();
  await expectEngineAlive(page);
});
