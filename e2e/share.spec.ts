// Issue #8: the built site under any base path, offline through the service worker, the CSP, a
// published notebook on another static server, links with the notebook in the URL, trust gating.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import {
  test,
  expect,
  openApp,
  expectTable,
  addSqlCell,
  runCell,
  gridOf,
  gridRow,
  rowTexts,
  ungroup,
  guardOrigin,
  expectNothingLeft,
  tableEntry,
  expectEditorText,
  probeCsp,
} from './fixtures';
import { dataFile, readExpected } from './data/generate';
import { serveStatic, type StaticServer } from './static-server';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
/** The second port of this checkout (E2E_PORT + 1): the sub-folder site and the published bundle. */
const OTHER_PORT = Number(process.env.E2E_PORT ?? 4173) + 1;

test.describe('the built site under /sub/dir/', () => {
  let server: StaticServer;
  test.use({ baseURL: `http://127.0.0.1:${OTHER_PORT}/sub/dir/`, serviceWorkers: 'allow' });
  test.beforeEach(async () => {
    server = await serveStatic(DIST, { port: OTHER_PORT, prefix: '/sub/dir/' });
  });
  test.afterEach(async () => {
    await server?.close();
  });

  test('loads, goes offline, reloads from the service worker and queries a file opened earlier', async ({ page, context }) => {
    test.setTimeout(300_000); // the first visit downloads ≈52 MB into the precache; a loaded machine takes its time
    const expected = readExpected();
    // The offline guard routes every request of the context. Requests the service worker answers from
    // its cache never reach a route; the worker's own network requests (its precache download) are
    // reported on the context in Chromium and pass through the guard like the page's.
    const fromWorker: string[] = [];
    context.on('request', (request) => {
      if (request.serviceWorker()) fromWorker.push(new URL(request.url()).pathname);
    });
    await openApp(page);
    await page.getByTestId('add-files').setInputFiles(dataFile('orders.csv'));
    await expectTable(page, 'orders');
    // Every request stayed under the prefix: asset URLs are relative.
    expect(server.requests.filter((p) => !p.startsWith('/sub/dir/'))).toEqual([]);

    // The service worker has installed (precache complete) and controls the page.
    const scope = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.scope;
    });
    expect(scope).toBe(`http://127.0.0.1:${OTHER_PORT}/sub/dir/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(fromWorker.some((p) => /^\/sub\/dir\/assets\/duckdb-eh-.*\.wasm$/.test(p)), 'the guard sees the worker\'s precache requests').toBe(true);
    expect(fromWorker.filter((p) => /duckdb-mvp.*\.wasm$/.test(p)), 'DuckDB mvp is not precached').toEqual([]);
    await page.waitForTimeout(1500); // autosave of the notebook within a second

    // Offline for real: the browser has no network and the server is gone.
    await server.close();
    await context.setOffline(true);
    expect(await page.evaluate(() => fetch(`./not-cached-${Date.now()}`).then(() => 'reached', () => 'failed'))).toBe('failed');

    await page.reload();
    await page.waitForFunction(() => window.__lakebook?.isReady === true, undefined, { timeout: 60_000 });
    await expect(page.locator('header')).toContainText('engine ready');
    await expectTable(page, 'orders');
    const cell = await addSqlCell(page, 'SELECT count(*) AS n, count(DISTINCT customer) AS customers FROM orders');
    expect(await runCell(cell)).toBe('ok');
    const [n] = await rowTexts(gridRow(gridOf(cell), 2));
    expect(Number(ungroup(n!))).toBe(expected.tables.orders);
    await context.setOffline(false);
  });
});

/** Every data row of a (small) grid, as text. */
async function allRows(cell: Locator): Promise<string[][]> {
  const grid = gridOf(cell);
  await expect(grid).toBeVisible();
  const n = Number(await grid.getAttribute('aria-rowcount')) - 1;
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) rows.push(await rowTexts(gridRow(grid, i + 2)));
  return rows;
}

/** A fresh browser profile (another person) on another site, with the same guards the fixtures give. */
async function otherVisitor(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; finish(): Promise<void>; dialogs: string[] }> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, serviceWorkers: 'allow' });
  const origin = new URL(baseURL).origin;
  const outside = await guardOrigin(context, origin);
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(`${e.error().message}`));
  const dialogs: string[] = [];
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    context,
    page,
    dialogs,
    async finish() {
      await context.close();
      expectNothingLeft(outside, origin);
      expect(errors, 'uncaught errors in the other visitor\'s page').toEqual([]);
      expect(dialogs, 'no dialog may open').toEqual([]);
    },
  };
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__lakebook?.isReady === true, undefined, { timeout: 60_000 });
}

async function statuses(page: Page): Promise<(string | null)[]> {
  return page.getByTestId('cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-status')));
}

test('a published notebook served by a plain static server opens untrusted, runs nothing until trusted, then gives the same results', async ({ page, browser }, testInfo) => {
  test.setTimeout(600_000);
  await openApp(page);
  await page.getByTestId('add-files').setInputFiles(dataFile('orders.csv'));
  await expectTable(page, 'orders');
  const first = page.getByTestId('cell').first();
  await first.getByTestId('cell-editor').click();
  await page.keyboard.insertText('SELECT customer, count(*) AS n, sum(amount) AS total FROM orders GROUP BY ALL ORDER BY total DESC, customer LIMIT 5');
  await first.getByTestId('cell-name').fill('top');
  await first.getByTestId('cell-name').press('Enter');
  expect(await runCell(first)).toBe('ok');
  const second = await addSqlCell(page, 'SELECT count(*) AS customers, sum(n) AS orders, sum(total) AS amount FROM top');
  expect(await runCell(second)).toBe('ok');
  const here = [await allRows(first), await allRows(second)];
  expect(here[0]).toHaveLength(5);

  await page.getByTestId('share-menu').click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 180_000 }), page.getByTestId('publish-notebook').click()]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const zipPath = testInfo.outputPath('published.zip');
  await download.saveAs(zipPath);
  const files = unzipSync(readFileSync(zipPath));
  const siteDir = testInfo.outputPath('site');
  for (const [path, bytes] of Object.entries(files)) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(siteDir, path)), { recursive: true });
    writeFileSync(join(siteDir, path), bytes);
  }
  const folder = Object.keys(files)[0]!.split('/')[0]!;
  expect(Object.keys(files)).toEqual(expect.arrayContaining([`${folder}/index.html`, `${folder}/published/manifest.json`, `${folder}/published/notebook.lakebook.md`, `${folder}/published/data/orders.parquet`, `${folder}/sw.js`]));

  const server = await serveStatic(join(siteDir, folder), { port: OTHER_PORT, prefix: '/' });
  const visitor = await otherVisitor(browser, server.url);
  try {
    const p = visitor.page;
    await p.goto('./');
    await waitReady(p);
    await expect(p.getByTestId('trust-banner')).toBeVisible();
    await expect(p.getByTestId('trust-banner')).toHaveAttribute('data-origin', 'published');
    await expect(p.getByTestId('read-only-banner')).toBeVisible();
    await expect(tableEntry(p, 'orders')).toHaveAttribute('data-row-count', String(readExpected().tables.orders));
    await expect(p.getByTestId('cell')).toHaveCount(2);
    await expect(p.getByTestId('cell').first()).toHaveAttribute('data-cell-name', 'top');

    // Nothing runs: not on open, not on Run all, not on Shift+Enter, not after a reload.
    await p.getByTestId('run-all').click();
    await p.getByTestId('cell').first().getByTestId('cell-editor').click();
    await p.keyboard.press('Shift+Enter');
    await p.waitForTimeout(1500);
    expect(await statuses(p)).toEqual(['idle', 'idle']);
    await expect(p.getByTestId('cell-result')).toHaveCount(0);
    await p.screenshot({ path: testInfo.outputPath('published-untrusted.png') });
    await p.reload();
    await waitReady(p);
    await p.waitForTimeout(1000);
    expect(await statuses(p)).toEqual(['idle', 'idle']);
    await expect(p.getByTestId('trust-banner')).toBeVisible();

    // Trusted: the same results as where it was made.
    await p.getByTestId('trust-notebook').click();
    const cells = p.getByTestId('cell');
    await expect(cells.first()).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(cells.nth(1)).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(p.getByTestId('trust-banner')).toHaveCount(0);
    expect([await allRows(cells.first()), await allRows(cells.nth(1))]).toEqual(here);

    // Trust is remembered for this exact text: after a reload it opens trusted, still without running.
    await p.reload();
    await waitReady(p);
    await expect(p.getByTestId('cell')).toHaveCount(2);
    await expect(p.getByTestId('trust-banner')).toHaveCount(0);
    expect(await statuses(p)).toEqual(['idle', 'idle']);
    // Read-only: the editor refuses typing.
    await p.getByTestId('cell').first().getByTestId('cell-editor').click();
    await p.keyboard.insertText('garbage ');
    await expect(p.getByTestId('cell').first()).not.toContainText('garbage');
    // "Edit a copy" makes it the visitor's own notebook.
    await p.getByTestId('edit-copy').click();
    await expect(p.getByTestId('read-only-banner')).toHaveCount(0);
    await p.getByTestId('cell').first().getByTestId('cell-editor').click();
    await p.keyboard.press('Control+Home');
    await p.keyboard.insertText('mine ');
    await expectEditorText(p.getByTestId('cell').first(), /^mine SELECT customer/);
  } finally {
    await visitor.finish();
    await server.close();
  }
});

const HOSTILE_NOTEBOOK = [
  '---',
  'title: Hostile',
  '---',
  '# Hostile <script>window.__pwned = "heading"</script>',
  '',
  '<script>window.__pwned = "script"; alert("script")</script>',
  '',
  '[click me](javascript:window.__pwned="link";alert(1)) and <a href="javascript:alert(2)" id="rawlink">raw link</a>',
  '',
  '<img src="x" onerror="window.__pwned=\'img\';alert(3)"> <iframe src="javascript:alert(4)"></iframe> <svg onload="alert(5)"></svg>',
  '',
  '<form action="https://example.com/steal"><button formaction="javascript:alert(6)">go</button></form>',
  '',
  '```sql name=evil',
  `SELECT '<img src=x onerror="window.__pwned=''value'';alert(7)">' AS "<img src=y onerror=alert(8)>", '<script>alert(9)</script>' AS v2`,
  '```',
  '',
].join('\n');

const HOSTILE_CSV = '"<img src=x onerror=alert(10)>",name\n"<script>alert(11)</script>","<img src=z onerror=window.__pwned=\'csv\'>"\n';

/** Anything a hostile notebook may have injected or run in the page. */
async function injected(page: Page): Promise<{ pwned: unknown; inlineScripts: number; handlers: string[]; javascriptUrls: number; frames: number }> {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    handlers: [...document.querySelectorAll('*')]
      .filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
      .map((el) => el.outerHTML.slice(0, 100)),
    javascriptUrls: [...document.querySelectorAll('[href], [src], [action], [formaction]')].filter((el) =>
      ['href', 'src', 'action', 'formaction'].some((a) => (el.getAttribute(a) ?? '').trim().toLowerCase().startsWith('javascript:')),
    ).length,
    frames: document.querySelectorAll('iframe, object, embed').length,
  }));
}

test('a link carries the notebook in its fragment; a hostile notebook executes nothing, before and after trust', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  await openApp(page);
  await page.getByTestId('open-notebook').setInputFiles({ name: 'hostile.lakebook.md', mimeType: 'text/markdown', buffer: Buffer.from(HOSTILE_NOTEBOOK) });
  await expect(page.getByTestId('cell')).toHaveCount(1);
  await page.getByTestId('share-menu').click();
  await page.getByTestId('share-link').click();
  const link = await page.getByTestId('share-link-url').inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL!.replace(/[.?*+^$()[\]{}|\\/]/g, '\\$&')}#notebook=v1\\.[A-Za-z0-9_-]+$`));
  expect(link.length).toBeLessThan(2_000);

  // Another person opens the link.
  const visitor = await otherVisitor(browser, baseURL!);
  try {
    const p = visitor.page;
    await p.goto(link);
    await waitReady(p);
    await expect(p.getByTestId('trust-banner')).toHaveAttribute('data-origin', 'link');
    await expect(p.getByTestId('cell')).toHaveCount(1);
    // The fragment is gone from the address bar: a reload opens the saved copy, not the link again.
    expect(new URL(p.url()).hash).toBe('');
    // Round trip: the downloaded notebook is byte-identical to the one shared.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('download-notebook').click()]);
    expect(readFileSync(await download.path()).toString('utf8')).toBe(HOSTILE_NOTEBOOK);

    // The prose is rendered, defanged.
    await expect(p.getByTestId('prose').first()).toContainText('Hostile');
    await expect(p.getByText('click me')).toBeVisible();
    await p.getByText('click me').click();
    await p.locator('#rawlink').click().catch(() => undefined);
    await p.getByRole('button', { name: 'go' }).click({ timeout: 1000 }).catch(() => undefined);
    await p.waitForTimeout(500);
    expect(await injected(p)).toEqual({ pwned: undefined, inlineScripts: 0, handlers: [], javascriptUrls: 0, frames: 0 });
    expect(await statuses(p)).toEqual(['idle']);

    // Its data comes as a file with hostile column names and values; trusted, it runs and shows them as text.
    await p.getByTestId('add-files').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(HOSTILE_CSV) });
    await expectTable(p, 'hostile');
    const cell = await addSqlCell(p, 'SELECT * FROM hostile');
    await p.getByTestId('trust-notebook').click();
    await expect(p.getByTestId('cell').first()).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(cell).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    const evil = gridOf(p.getByTestId('cell').first());
    await expect(evil.getByRole('columnheader', { name: '<img src=y onerror=alert(8)>' })).toBeVisible();
    await expect(evil.getByRole('gridcell', { name: `<img src=x onerror="window.__pwned='value';alert(7)">` })).toBeVisible();
    const data = gridOf(cell);
    await expect(data.getByRole('columnheader', { name: '<img src=x onerror=alert(10)>' })).toBeVisible();
    await expect(data.getByRole('gridcell', { name: "<img src=z onerror=window.__pwned='csv'>" })).toBeVisible();
    await p.waitForTimeout(500);
    await p.screenshot({ path: testInfo.outputPath('hostile-trusted.png'), fullPage: true });
    expect(await injected(p)).toEqual({ pwned: undefined, inlineScripts: 0, handlers: [], javascriptUrls: 0, frames: 0 });
  } finally {
    await visitor.finish();
  }
});

test('the built site carries a Content-Security-Policy that blocks injected inline script and requests to other origins', async ({ page }) => {
  await openApp(page);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("connect-src 'self'");
  // No inline script and no eval (Playwright's own evaluate is exempt from the page's policy, so
  // eval cannot be probed from here: the policy text is checked instead).
  expect(policy).toMatch(/(^|; )script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  const outcome = await probeCsp(page);
  expect(outcome).toEqual({
    injected: false,
    fetched: 'blocked',
    violations: ['connect-src', 'script-src-elem'],
  });
  // (Images from elsewhere are refused by img-src too, but Chromium reports such a request to the
  // test's network listener before refusing it, which the offline guard would count; not tested here.)
  // The engine still works under the policy (WebAssembly, workers).
  const cell = await addSqlCell(page, 'SELECT 6 * 7 AS answer');
  expect(await runCell(cell)).toBe('ok');
  await expect(gridOf(cell).getByRole('gridcell', { name: '42', exact: true })).toBeVisible();
});
