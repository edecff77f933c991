// Issue #8: the built site under any base path, offline through the service worker, the CSP, a
// published notebook on another static server, links with the notebook in the URL, trust gating.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { test, expect, openApp, expectTable, addSqlCell, runCell, gridOf, gridRow, rowTexts, ungroup } from './fixtures';
import { dataFile, readExpected } from './data/generate';
import { serveStatic, type StaticServer } from './static-server';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
/** The second port of this checkout (E2E_PORT + 1): the sub-folder site and the published bundle. */
const OTHER_PORT = Number(process.env.E2E_PORT ?? 4173) + 1;

test.describe('the built site under /sub/dir/', () => {
  let server: StaticServer;
  test.use({ baseURL: `http://127.0.0.1:${OTHER_PORT}/sub/dir/` });
  test.beforeEach(async () => {
    server = await serveStatic(DIST, { port: OTHER_PORT, prefix: '/sub/dir/' });
  });
  test.afterEach(async () => {
    await server?.close();
  });

  test('loads, goes offline, reloads from the service worker and queries a file opened earlier', async ({ page, context }) => {
    const expected = readExpected();
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
