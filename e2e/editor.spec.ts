// The cell editor (src/ui/editor/CodeEditor.svelte): Monaco loaded lazily, SQL completion from the
// catalog, the textarea → Monaco swap that loses nothing, and the run keys.

import { Buffer } from 'node:buffer';
import type { Locator, Page } from '@playwright/test';
import { expect, expectTable, gridOf, openApp, rowCount, test } from './fixtures';

const ORDERS_CSV = 'id,customer,amount\n1,alice,10.50\n2,bob,20.00\n3,carol,7.25\n';
/** URLs of Monaco's code: the lazy chunk (named after src/ui/editor/monaco-loader.ts), its CSS, its worker. */
const MONACO_URL = /monaco|editor\.api|editor\.worker|codicon/;

declare global {
  interface Window {
    __lbFirstEditor?: { at: number; resources: string[] };
  }
}

async function addOrders(page: Page): Promise<void> {
  await page.getByTestId('add-files').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS_CSV) });
  await expectTable(page, 'orders');
}

/** Clicks add-sql-cell and returns the new cell once its editor is Monaco and has focus. */
async function addMonacoCell(page: Page): Promise<{ cell: Locator; editor: Locator }> {
  const cells = page.getByTestId('cell');
  const before = await cells.count();
  await page.getByTestId('add-sql-cell').click();
  await expect(cells).toHaveCount(before + 1);
  const cell = cells.nth(before);
  const editor = cell.getByTestId('cell-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await expectFocusIn(editor);
  return { cell, editor };
}

async function expectFocusIn(editor: Locator): Promise<void> {
  await expect
    .poll(() => editor.evaluate((el) => el.contains(document.activeElement)), { message: 'the editor should have focus', timeout: 10_000 })
    .toBe(true);
}

/** The visible rows of the suggest widget of this editor. */
function suggestions(editor: Locator): Locator {
  return editor.locator('.monaco-editor .suggest-widget .monaco-list-row');
}

/** The editor's text as Monaco renders it (one entry per line; nbsp → space). */
async function editorLines(editor: Locator): Promise<string[]> {
  return (await editor.locator('.view-lines .view-line').allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
}

async function waitForRunEnd(cell: Locator): Promise<string | null> {
  await expect(cell).toHaveAttribute('data-status', /^(ok|error)$/, { timeout: 60_000 });
  return cell.getAttribute('data-status');
}

test.describe('cell editor', () => {
  test('Monaco is requested only once the first editor is on the page', async ({ page }) => {
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        if (window.__lbFirstEditor || !document.querySelector('[data-testid=cell-editor]')) return;
        window.__lbFirstEditor = {
          at: performance.now(),
          resources: performance.getEntriesByType('resource').map((e) => e.name),
        };
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    await openApp(page);
    const editor = page.getByTestId('cell-editor').first();
    await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });

    const first = await page.evaluate(() => window.__lbFirstEditor);
    expect(first, 'the first editor should have been seen appearing').toBeDefined();
    expect(
      first!.resources.filter((url) => MONACO_URL.test(url)),
      'nothing of Monaco may be loaded before the first editor appears',
    ).toEqual([]);
    const monacoRequests = requests.filter((url) => MONACO_URL.test(url));
    expect(monacoRequests.some((url) => /monaco-loader-[\w-]+\.js$/.test(url)), `Monaco's chunk should be requested: ${monacoRequests.join(', ')}`).toBe(true);
    const origin = new URL(page.url()).origin;
    for (const url of monacoRequests) expect(new URL(url).origin, `${url} comes from our own origin`).toBe(origin);
    // The page's own entry stays small: Monaco is not in it.
    expect(requests.filter((url) => /\/assets\/index-[\w-]+\.js$/.test(url))).toHaveLength(1);
  });

  test('with the sample notebook, Monaco arrives only after the first results are shown', async ({ page }) => {
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        const ok = document.querySelector('[data-testid=cell][data-status=ok] [data-testid=cell-result]');
        if (window.__lbFirstEditor || !ok) return;
        window.__lbFirstEditor = { at: performance.now(), resources: performance.getEntriesByType('resource').map((e) => e.name) };
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true, attributes: true });
    });
    await openApp(page, { sample: true });
    await expect(page.getByTestId('cell-editor').first().locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
    const firstResult = await page.evaluate(() => window.__lbFirstEditor);
    expect(firstResult, 'a sample result should have been seen').toBeDefined();
    const before = firstResult!.resources;
    expect(before.filter((url) => MONACO_URL.test(url)), 'Monaco must not compete with the first query').toEqual([]);
    const js = await page.evaluate((urls) =>
      performance.getEntriesByType('resource').filter((e) => urls.includes(e.name) && /\.js$/.test(e.name)).reduce((n, e) => n + (e as PerformanceResourceTiming).decodedBodySize, 0), before);
    console.log(`JS before the first result: ${(js / 1024).toFixed(0)} KB in ${before.filter((u) => /\.js$/.test(u)).length} files`);
  });

  test('text typed into the plain editor while Monaco loads is kept, with the focus', async ({ page }) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route(/monaco-loader-[\w-]+\.(js|css)$/, async (route) => {
      await gate;
      await route.fallback();
    });

    await openApp(page);
    const cell = page.getByTestId('cell').first();
    const editor = cell.getByTestId('cell-editor');
    await expect(editor).toHaveAttribute('data-editor', 'plain');
    await expectFocusIn(editor);
    await page.keyboard.type('SELECT 4');
    release();
    await page.keyboard.type('2 AS answer', { delay: 30 });
    await expect(editor).toHaveAttribute('data-editor', 'monaco', { timeout: 30_000 });
    await expectFocusIn(editor);
    expect(await editorLines(editor)).toEqual(['SELECT 42 AS answer']);

    // Still typing at the cursor, which stayed at the end.
    await page.keyboard.type(', 1 AS one');
    await page.keyboard.press('Shift+Enter');
    expect(await waitForRunEnd(cell)).toBe('ok');
    const grid = gridOf(cell);
    await expect(grid.getByRole('columnheader', { name: 'one' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: '42', exact: true })).toBeVisible();
  });

  test('suggests tables after FROM, and Shift+Enter runs without a newline', async ({ page }) => {
    await openApp(page);
    await addOrders(page);
    const { cell, editor } = await addMonacoCell(page);

    await page.keyboard.type('SELECT * FROM ord');
    await expect(suggestions(editor).filter({ hasText: 'orders' }).first()).toBeVisible({ timeout: 10_000 });
    await page.keyboard.press('Enter'); // accepts the suggestion
    await expect.poll(() => editorLines(editor)).toEqual(['SELECT * FROM orders']);

    await page.keyboard.press('Shift+Enter');
    expect(await waitForRunEnd(cell)).toBe('ok');
    expect(await rowCount(gridOf(cell))).toBe(3);
    expect(await editorLines(editor), 'Shift+Enter must not insert a newline').toEqual(['SELECT * FROM orders']);
  });

  test('suggests the columns of an aliased table after `alias.`, and Ctrl+Enter runs', async ({ page }) => {
    await openApp(page);
    await addOrders(page);
    const { cell, editor } = await addMonacoCell(page);

    await page.keyboard.insertText('SELECT o. FROM orders o');
    await page.keyboard.press('Home');
    for (let i = 0; i < 'SELECT o.'.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+Space');
    const customer = suggestions(editor).filter({ hasText: 'customer' }).first();
    await expect(customer).toBeVisible({ timeout: 10_000 });
    await expect(suggestions(editor).filter({ hasText: 'amount' }).first()).toBeVisible();
    await expect(suggestions(editor).filter({ hasText: 'orders' })).toHaveCount(0);
    await customer.click();
    await expect.poll(() => editorLines(editor)).toEqual(['SELECT o.customer FROM orders o']);

    await page.keyboard.press('Control+Enter');
    expect(await waitForRunEnd(cell)).toBe('ok');
    await expect(gridOf(cell).getByRole('columnheader', { name: 'customer' })).toBeVisible();
    expect(await editorLines(editor), 'Ctrl+Enter must not insert a newline').toEqual(['SELECT o.customer FROM orders o']);
  });

  test('JOIN … AS aliases, and no suggestions inside a string literal', async ({ page }) => {
    await openApp(page);
    await addOrders(page);
    const { editor } = await addMonacoCell(page);

    // Monaco closes the quote as it is typed: the cursor ends up inside 'x.|'.
    await page.keyboard.insertText("SELECT * FROM orders o JOIN orders AS x ON x.id = o.id WHERE x.customer = 'x.");
    await page.keyboard.press('Control+Space');
    await page.waitForTimeout(500);
    await expect(suggestions(editor).filter({ hasText: 'customer' })).toHaveCount(0);

    await page.keyboard.press('End'); // past the closing quote; moving the cursor closes what Monaco showed
    await page.keyboard.insertText(' AND x.am');
    await expect(suggestions(editor).filter({ hasText: 'amount' }).first()).toBeVisible({ timeout: 10_000 });
    expect(await editorLines(editor)).toEqual([
      "SELECT * FROM orders o JOIN orders AS x ON x.id = o.id WHERE x.customer = 'x.' AND x.am",
    ]);
  });
});
