// ts cells (issue #5, docs/ts-cells.md): a TypeScript transform between SQL cells, run in a sandbox
// worker with a time limit and no network; errors point at the cell's line; Monaco checks types first.

import { Buffer } from 'node:buffer';
import type { Locator, Page } from '@playwright/test';
import { expect, gridOf, gridRow, openApp, rowCount, rowTexts, runCell, test } from './fixtures';

async function openNotebook(page: Page, text: string): Promise<void> {
  await page.getByTestId('open-notebook').setInputFiles([{ name: 'ts.lakebook.md', mimeType: 'text/markdown', buffer: Buffer.from(text) }]);
  await expect(page.getByTestId('cell').first()).toBeVisible();
}

function cellNamed(page: Page, name: string): Locator {
  return page.locator(`[data-testid=cell][data-cell-name="${name}"]`);
}

async function runAll(page: Page): Promise<void> {
  await page.getByTestId('run-all').click();
}

async function settled(cell: Locator, timeout = 60_000): Promise<string | null> {
  await expect(cell).toHaveAttribute('data-status', /^(ok|error)$/, { timeout });
  return cell.getAttribute('data-status');
}

const fence = '```';

test.describe('ts cells', () => {
  test('a ts cell enriches a SQL result and a downstream SQL cell reads it', async ({ page }) => {
    await openApp(page);
    await openNotebook(
      page,
      `# Enrich

${fence}sql name=orders_clean
SELECT i AS id, i * 30 AS amount, 'c' || (i % 3) AS customer FROM range(1, 11) t(i)
${fence}

${fence}ts name=enriched
// Every order gets a tier; amounts above 100 are big.
export default ({ orders_clean }) =>
  orders_clean.map((r) => ({ id: r.id, amount: r.amount, tier: r.amount > 100 ? 'big' : 'small', tag: \`\${r.customer}-\${r.id}\` }));
${fence}

${fence}sql name=by_tier
SELECT tier, count(*) AS n, sum(amount) AS total, min(tag) AS first_tag FROM enriched GROUP BY tier ORDER BY tier
${fence}
`,
    );
    await runAll(page);
    const enriched = cellNamed(page, 'enriched');
    const byTier = cellNamed(page, 'by_tier');
    expect(await settled(enriched)).toBe('ok');
    expect(await settled(byTier)).toBe('ok');
    expect(await rowCount(gridOf(enriched))).toBe(10);
    await expect(enriched.getByTestId('cell-rowcount')).toHaveText('10 rows');
    expect(await rowTexts(gridRow(gridOf(enriched), 2))).toEqual(['1', '30', 'small', 'c1-1']);
    // ids 4…10 are big (7 orders, 30 × 49), 1…3 small (3 orders, 30 × 6).
    expect(await rowTexts(gridRow(gridOf(byTier), 2))).toEqual(['big', '7', '1470', 'c0-6']);
    expect(await rowTexts(gridRow(gridOf(byTier), 3))).toEqual(['small', '3', '180', 'c0-3']);
    await expect(page.getByTestId('table-list').locator('[data-table=enriched]')).toBeVisible();
  });

  test('an endless loop is stopped at the time limit with a message, and the next cell runs', async ({ page }) => {
    await openApp(page);
    await openNotebook(
      page,
      `${fence}ts name=forever timeout=2
export default () => {
  while (true) {}
};
${fence}

${fence}sql name=after
SELECT 42 AS answer
${fence}
`,
    );
    const forever = cellNamed(page, 'forever');
    const started = Date.now();
    await runAll(page);
    expect(await settled(forever, 30_000)).toBe('error');
    const elapsed = Date.now() - started;
    await expect(forever.getByTestId('cell-error')).toContainText('Stopped: the cell ran longer than its time limit of 2 s, so its worker was terminated');
    // 2 s of limit plus starting the worker; well short of a hang.
    expect(elapsed).toBeLessThan(12_000);
    const after = cellNamed(page, 'after');
    expect(await settled(after)).toBe('ok');
    expect(await rowTexts(gridRow(gridOf(after), 2))).toEqual(['42']);
  });

  test('a thrown error shows its message with the cell’s line and column', async ({ page }) => {
    await openApp(page);
    await openNotebook(
      page,
      `${fence}ts name=thrower
type Row = { id: number };
export default (): Row[] => {
  throw new Error('x');
};
${fence}
`,
    );
    const cell = cellNamed(page, 'thrower');
    expect(await runCell(cell)).toBe('error');
    await expect(cell.getByTestId('cell-error')).toContainText('Error: x (line 3, column 9)');
  });

  test('fetch fails with a clear error and no request leaves the page', async ({ page }) => {
    let requested = false;
    page.on('request', (request) => {
      if (request.url().includes('example.com')) requested = true;
    });
    await openApp(page);
    await openNotebook(
      page,
      `${fence}ts name=fetcher
export default async () => {
  const response = await fetch('https://example.com');
  return [{ status: response.status }];
};
${fence}
`,
    );
    const cell = cellNamed(page, 'fetcher');
    expect(await runCell(cell)).toBe('error');
    await expect(cell.getByTestId('cell-error')).toContainText('fetch() is not available in a ts cell: the cell runs without network access');
    await expect(cell.getByTestId('cell-error')).toContainText('(line 2, column 26)');
    expect(requested).toBe(false);
    // The offline guard (fixtures.ts) fails the test as well if any request left the origin.
  });

  test('a cell builds an Arrow table with apache-arrow under the page’s CSP (no eval in its worker)', async ({ page }) => {
    await openApp(page);
    // The built page carries the policy; the cell's worker (a blob: script) inherits it.
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
    await openNotebook(
      page,
      `${fence}ts name=built
import { tableFromArrays } from 'apache-arrow';
export default () => tableFromArrays({ name: ['ann', 'bob', null], n: Float64Array.from([1.5, 2, 3]) });
${fence}
`,
    );
    const cell = cellNamed(page, 'built');
    expect(await runCell(cell)).toBe('ok');
    expect(await rowCount(gridOf(cell))).toBe(3);
    expect(await rowTexts(gridRow(gridOf(cell), 2))).toEqual(['ann', '1.5']);
    expect(await rowTexts(gridRow(gridOf(cell), 4))).toEqual(['NULL', '3.0']);
  });

  test('console output shows in the cell, and a type error shows inline before running', async ({ page }) => {
    await openApp(page);
    await openNotebook(
      page,
      `${fence}sql name=orders_clean
SELECT i AS id, i * 30 AS amount FROM range(1, 4) t(i)
${fence}

${fence}ts name=printer
export default ({ orders_clean }) => {
  console.log('rows:', orders_clean.numRows);
  return orders_clean;
};
${fence}
`,
    );
    await runAll(page);
    const printer = cellNamed(page, 'printer');
    expect(await settled(printer)).toBe('ok');
    await expect(printer.getByTestId('cell-logs')).toHaveText('rows: 3');

    // A new ts cell: Monaco's TypeScript knows orders_clean's columns (amount is a number).
    const cells = page.getByTestId('cell');
    const before = await cells.count();
    await page.getByTestId('add-ts-cell').click();
    await expect(cells).toHaveCount(before + 1);
    const cell = cells.nth(before);
    await expect(cell).toHaveAttribute('data-cell-kind', 'ts');
    const editor = cell.getByTestId('cell-editor');
    await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
    await expect.poll(() => editor.evaluate((el) => el.contains(document.activeElement)), { timeout: 10_000 }).toBe(true);
    await page.keyboard.insertText('export default ({ orders_clean }) => orders_clean.map((r) => ({ id: r.id, shout: r.amount.toUpperCase() }));');
    const squiggle = editor.locator('.squiggly-error');
    await expect(squiggle).toHaveCount(1, { timeout: 60_000 });
    await expect(cell).toHaveAttribute('data-status', 'idle');
    // The marked text is the property that does not exist on a number.
    // Notices (toasts) sit over the bottom of the page: out of the way of the pointer.
    // Each click removes a notice, so always take the first one left (a list taken up front goes stale).
    const dismiss = page.getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    // The squiggle is drawn under the text layer, which takes the pointer: hover its place.
    await squiggle.scrollIntoViewIfNeeded();
    await squiggle.hover({ force: true });
    await expect(page.locator('.monaco-hover').filter({ hasText: "Property 'toUpperCase' does not exist on type 'number'" })).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: test.info().outputPath('ts-cells.png'), fullPage: true });
  });
});
