import { readFileSync } from 'node:fs';
import { test, expect, openApp, expectTable, gridOf, gridRow, rowTexts, runCell, type LakebookTestHooks } from './fixtures';
import type { Locator, Page } from '@playwright/test';

void (undefined as unknown as LakebookTestHooks);

const ORDERS = ['id,customer,amount', '1,ann,10', '2,bob,20', '3,ann,5', '4,cid,-3', '5,dan,40', '6,bob,1', ''].join('\n');

const NOTEBOOK = `---
title: Six dependent cells
---
# Orders

\`\`\`sql name=clean
SELECT * FROM orders WHERE amount > 0
\`\`\`

\`\`\`sql name=by_customer
SELECT customer, sum(amount) AS total FROM clean GROUP BY ALL
\`\`\`

\`\`\`sql name=top
SELECT * FROM by_customer ORDER BY total DESC, customer LIMIT 2
\`\`\`

\`\`\`sql name=stats
SELECT count(*) AS n, sum(amount) AS total FROM clean
\`\`\`

\`\`\`sql name=unrelated
SELECT 42 AS answer
\`\`\`

\`\`\`sql name=summary
SELECT n, (SELECT count(*) FROM top) AS top_n, (SELECT max(total) FROM top) AS best FROM stats
\`\`\`
`;

async function openNotebook(page: Page, text: string, name = 'six.lakebook.md'): Promise<void> {
  await page.getByTestId('open-notebook').setInputFiles([{ name, mimeType: 'text/markdown', buffer: Buffer.from(text) }]);
}

function cellNamed(page: Page, name: string): Locator {
  return page.locator(`[data-testid=cell][data-cell-name="${name}"]`);
}

async function firstRow(cell: Locator): Promise<string[]> {
  return rowTexts(gridRow(gridOf(cell), 2));
}

/** Records every data-status each named cell takes from now on. */
async function watchStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: Record<string, string[]> = {};
    (window as unknown as { __statusLog: typeof log }).__statusLog = log;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as Element;
        const name = el.getAttribute('data-cell-name') ?? '?';
        (log[name] ??= []).push(el.getAttribute('data-status') ?? '');
      }
    }).observe(document.body, { attributes: true, attributeFilter: ['data-status'], subtree: true });
  });
}

async function statusLog(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { __statusLog: Record<string, string[]> }).__statusLog);
}

test('a notebook of six dependent cells runs in order, and an edit re-runs exactly its downstream', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('add-files').setInputFiles([{ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS) }]);
  await expectTable(page, 'orders');
  await openNotebook(page, NOTEBOOK);
  const cells = page.getByTestId('cell');
  await expect(cells).toHaveCount(6);
  // Opening runs nothing.
  for (let i = 0; i < 6; i++) await expect(cells.nth(i)).toHaveAttribute('data-status', 'idle');

  await page.getByTestId('run-all').click();
  for (let i = 0; i < 6; i++) await expect(cells.nth(i)).toHaveAttribute('data-status', 'ok');
  expect(await firstRow(cellNamed(page, 'top'))).toEqual(['dan', '40']);
  expect(await firstRow(cellNamed(page, 'stats'))).toEqual(['5', '76']);
  expect(await firstRow(cellNamed(page, 'summary'))).toEqual(['5', '2', '40']);

  // Edit by_customer so that dan's 40 counts double; its readers (top, summary) must follow.
  await watchStatuses(page);
  const byCustomer = cellNamed(page, 'by_customer');
  const editor = byCustomer.getByTestId('cell-editor');
  await editor.click();
  await editor.press('ControlOrMeta+a');
  await page.keyboard.insertText("SELECT customer, sum(amount * CASE WHEN customer = 'dan' THEN 2 ELSE 1 END) AS total FROM clean GROUP BY ALL");
  expect(await runCell(byCustomer)).toBe('ok');
  await expect(cellNamed(page, 'summary')).toHaveAttribute('data-status', 'ok');
  await expect.poll(async () => (await firstRow(cellNamed(page, 'summary')))).toEqual(['5', '2', '80']);
  expect(await firstRow(cellNamed(page, 'top'))).toEqual(['dan', '80']);

  const log = await statusLog(page);
  expect(Object.keys(log).sort()).toEqual(['by_customer', 'summary', 'top']);
  for (const name of ['top', 'summary']) expect(log[name]).toContain('running');
  for (const name of ['clean', 'stats', 'unrelated']) await expect(cellNamed(page, name)).toHaveAttribute('data-status', 'ok');

  // The downloaded notebook is the opened file with only the edited cell's text changed.
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download-notebook').click();
  const download = await downloadPromise;
  const saved = readFileSync((await download.path())!, 'utf8');
  expect(saved).toBe(
    NOTEBOOK.replace(
      'SELECT customer, sum(amount) AS total FROM clean GROUP BY ALL',
      "SELECT customer, sum(amount * CASE WHEN customer = 'dan' THEN 2 ELSE 1 END) AS total FROM clean GROUP BY ALL",
    ),
  );
});

test('lazy mode marks the downstream cells stale instead of running them', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('add-files').setInputFiles([{ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS) }]);
  await expectTable(page, 'orders');
  await openNotebook(page, NOTEBOOK);
  await page.getByTestId('run-all').click();
  await expect(cellNamed(page, 'summary')).toHaveAttribute('data-status', 'ok');
  await page.getByRole('combobox', { name: 'Run mode' }).selectOption('lazy');
  expect(await runCell(cellNamed(page, 'clean'))).toBe('ok');
  for (const name of ['by_customer', 'top', 'stats', 'summary']) await expect(cellNamed(page, name)).toHaveAttribute('data-status', 'stale');
  await expect(cellNamed(page, 'unrelated')).toHaveAttribute('data-status', 'ok');
});

test('a cycle and an unknown table are errors on the right cells', async ({ page }) => {
  await openApp(page);
  await openNotebook(
    page,
    [
      '```sql name=a_tbl', 'SELECT * FROM b_tbl', '```', '',
      '```sql name=b_tbl', 'SELECT * FROM a_tbl', '```', '',
      '```sql name=fine', 'SELECT 1 AS x', '```', '',
      '```sql name=lost', 'SELECT * FROM nowhere_table', '```', '',
    ].join('\n'),
  );
  await page.getByTestId('run-all').click();
  for (const name of ['a_tbl', 'b_tbl']) {
    await expect(cellNamed(page, name)).toHaveAttribute('data-status', 'error');
    await expect(cellNamed(page, name).getByTestId('cell-error')).toContainText(/cycle: (a_tbl|b_tbl) → (a_tbl|b_tbl) →/);
  }
  await expect(cellNamed(page, 'lost')).toHaveAttribute('data-status', 'error');
  await expect(cellNamed(page, 'lost').getByTestId('cell-error')).toContainText(/nowhere_table does not exist.*line 1, column 15/);
  await expect(cellNamed(page, 'fine')).toHaveAttribute('data-status', 'ok');
});

test('Markdown in a notebook is rendered and sanitized', async ({ page }) => {
  await openApp(page);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openNotebook(page, '# Title\n\n**bold** and [link](javascript:alert(3))\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n```sql\nSELECT 1\n```\n');
  const prose = page.getByTestId('prose');
  await expect(prose.locator('h1')).toHaveText('Title');
  await expect(prose.locator('strong')).toHaveText('bold');
  await expect(prose.locator('script')).toHaveCount(0);
  expect(await prose.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('onerror')))).toEqual([null]);
  expect(await prose.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).not.toContain('javascript:alert(3)');
  await page.waitForTimeout(300);
  expect(dialogs).toBe(0);
  expect(await runCell(page.getByTestId('cell').first())).toBe('ok');
});
