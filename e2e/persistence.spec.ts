import { test, expect, openApp, expectTable, addSqlCell, runCell, gridOf, gridRow, rowTexts, tableEntry, expectEngineAlive, expectEditorText } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const ORDERS = 'id,customer,amount\n1,ann,10\n2,bob,20\n3,ann,5\n';

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__lakebook?.isReady === true, undefined, { timeout: 60_000 });
}

/** A fresh app with orders.csv loaded and `sql` typed into its first cell (not run yet). */
async function ordersWithFirstCell(page: Page, sql: string): Promise<Locator> {
  await openApp(page);
  await page.getByTestId('add-files').setInputFiles([{ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS) }]);
  await expectTable(page, 'orders');
  const first = page.getByTestId('cell').first();
  await first.getByTestId('cell-editor').click();
  await page.keyboard.insertText(sql);
  return first;
}

/** A fresh app with orders.csv loaded and its first cell counting it (run, ok). */
async function countOrdersInFirstCell(page: Page): Promise<void> {
  expect(await runCell(await ordersWithFirstCell(page, 'SELECT count(*) AS n FROM orders'))).toBe('ok');
}

test('after a reload the notebook, its tables and its results are back without picking files', async ({ page }) => {
  const first = await ordersWithFirstCell(page, 'SELECT customer, sum(amount) AS total FROM orders GROUP BY ALL ORDER BY customer');
  await first.getByTestId('cell-name').fill('totals');
  await first.getByTestId('cell-name').press('Enter');
  expect(await runCell(first)).toBe('ok');
  const second = await addSqlCell(page, 'SELECT max(total) AS best FROM totals');
  expect(await runCell(second)).toBe('ok');
  await page.waitForTimeout(1500); // autosave writes within a second

  await page.reload();
  await waitReady(page);
  await expect(tableEntry(page, 'orders')).toHaveAttribute('data-row-count', '3');
  const cells = page.getByTestId('cell');
  await expect(cells).toHaveCount(2);
  await expect(cells.first()).toHaveAttribute('data-cell-name', 'totals');
  await expectEditorText(cells.first(), /SELECT customer, sum\(amount\)/);
  await expect(cells.nth(1)).toHaveAttribute('data-status', 'ok');
  expect(await rowTexts(gridRow(gridOf(cells.nth(1)), 2))).toEqual(['20']);
  expect(await rowTexts(gridRow(gridOf(cells.first()), 2))).toEqual(['ann', '15']);
});

test('a reload after the worker was killed mid-query brings everything back', async ({ page }) => {
  await countOrdersInFirstCell(page);
  const slow = await addSqlCell(page, 'SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3');
  await slow.getByTestId('cell-editor').press('Shift+Enter');
  await expect(slow).toHaveAttribute('data-status', 'running');
  await page.evaluate(() => window.__lakebook!.killWorker());
  await expect(slow).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await page.waitForTimeout(1500);

  await page.reload();
  await waitReady(page);
  await expect(tableEntry(page, 'orders')).toHaveAttribute('data-row-count', '3');
  const cells = page.getByTestId('cell');
  await expect(cells).toHaveCount(2);
  await expectEditorText(cells.nth(1), /range\(20000000000\)/);
  await expect(cells.first()).toHaveAttribute('data-status', 'ok');
  expect(await rowTexts(gridRow(gridOf(cells.first()), 2))).toEqual(['3']);
  // The cell that was killed is not re-run by itself.
  await expect(cells.nth(1)).toHaveAttribute('data-status', 'idle');
  await expectEngineAlive(page);
});

test('a second tab on the same notebook is told so', async ({ page, context }) => {
  await openApp(page);
  await page.waitForTimeout(1200);
  const second = await context.newPage();
  await second.goto('./?sample=0');
  await waitReady(second);
  await expect(second.getByRole('alert').filter({ hasText: 'already open in another tab' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'opened in another tab' })).toBeVisible();
  await second.close();
});

test('recent notebooks: a new notebook starts empty, the previous one comes back with its tables', async ({ page }) => {
  await countOrdersInFirstCell(page);
  await page.waitForTimeout(1200);

  await page.getByTestId('notebooks-menu').click();
  await page.getByRole('menuitem', { name: '+ New notebook' }).click();
  await expect(tableEntry(page, 'orders')).toHaveCount(0);
  await expect(page.getByTestId('cell')).toHaveCount(1);
  await expectEditorText(page.getByTestId('cell').first(), '');

  // Both notebooks are listed once their saves have landed (newest first: the new one, then ours).
  await expect(async () => {
    await page.getByTestId('notebooks-menu').click();
    try {
      await expect(page.getByRole('menuitem').filter({ hasText: 'Untitled notebook' })).toHaveCount(2, { timeout: 2_000 });
    } catch (error) {
      await page.getByTestId('notebooks-menu').click();
      throw error;
    }
  }).toPass({ timeout: 30_000 });
  await page.getByRole('menuitem').filter({ hasText: 'Untitled notebook' }).nth(1).click();
  await expect(tableEntry(page, 'orders')).toHaveAttribute('data-row-count', '3');
  await expectEditorText(page.getByTestId('cell').first(), 'SELECT count(*) AS n FROM orders');
  await expect(page.getByTestId('cell').first()).toHaveAttribute('data-status', 'ok');
});
